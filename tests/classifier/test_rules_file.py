"""A user's rules file: add, override, disable; and clear errors when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from healer.classifier.rule import RulesError
from healer.classifier.rulepack import default_rules, load_rules
from healer.classifier.ruleschema import parse_rule_file

VALID_RULE = """
  - id: {rule_id}
    kind: {kind}
    category: {category}
    patterns: ['{pattern}']
    explanation: A rule written for a test.
    samples: {{match: ['{pattern}'], no_match: ['nothing']}}
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "self-healing.yml"
    path.write_text(text)
    return path


def _rule(
    rule_id: str, kind: str = "persistent", category: str = "test", pattern: str = "boom"
) -> str:
    return VALID_RULE.format(rule_id=rule_id, kind=kind, category=category, pattern=pattern)


def test_user_rules_add_override_and_disable(tmp_path: Path) -> None:
    shipped = default_rules()
    first, second = shipped[0].id, shipped[1].id
    path = _file(
        tmp_path,
        f"version: 1\ndisable: [{second}]\nrules:{_rule('acme-new')}{_rule(first, pattern='replaced')}",
    )
    rules = {rule.id: rule for rule in load_rules(path)}
    assert "acme-new" in rules
    assert rules[first].patterns == ("replaced",)
    assert second not in rules
    assert len(rules) == len(shipped)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("version: 2\n", "field version"),
        ("version: 1\nrulez: []\n", "field rulez"),
        (f"version: 1\nrules:{_rule('x1', kind='sometimes')}", "rule 'x1', field kind"),
        (
            f"version: 1\nrules:{_rule('x2', kind='transient', category='test')}",
            "not a transient category",
        ),
        (f"version: 1\nrules:{_rule('x3', pattern='(?<=a)b')}", "look-around"),
        (f"version: 1\nrules:{_rule('x4', pattern='x*')}", "matches the empty line"),
        (f"version: 1\nrules:{_rule('x7', pattern='boom(')}", "does not compile"),
        (f"version: 1\nrules:{_rule('x8', pattern='(a+)+$')}", "repeats a group that itself"),
        (f"version: 1\nrules:{_rule('x9', pattern='(x.*){10}y')}", "can take hours"),
        (f"version: 1\nrules:{_rule('Bad Id')}", "field id"),
        (f"version: 1\nrules:{_rule('x5')}{_rule('x5')}", "defined twice"),
        ("version: 1\ndisable: [no-such-rule]\n", "no-such-rule"),
        (
            "version: 1\nrules:\n  - id: x6\n    kind: transient\n    category: network\n"
            "    patterns: [a]\n    explanation: No samples here.\n",
            "rule 'x6', field samples",
        ),
    ],
)
def test_malformed_rules_files_name_file_rule_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(RulesError) as exc:
        load_rules(path)
    message = str(exc.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_a_missing_rules_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_rules(tmp_path / "absent.yml")


def test_an_empty_file_adds_nothing() -> None:
    assert parse_rule_file("", "empty.yml").rules == []
