"""A user's rules file: add, override, disable; and clear errors when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from healer.classifier.rule import RulesError
from healer.classifier.rulepack import default_pack, default_rules, load_pack
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
    rules = {rule.id: rule for rule in load_pack(path).rules}
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
            "version: 1\ncommands:\n  - id: c1\n    category: network\n    patterns: [x]\n"
            "    explanation: Not a category a command names.\n"
            "    samples: {match: [x], no_match: [y]}\n",
            "command 'c1', field category",
        ),
        (
            "version: 1\ncommands:\n  - id: c2\n    category: lint\n    patterns: ['a(']\n"
            "    explanation: A pattern that does not compile.\n"
            "    samples: {match: [x], no_match: [y]}\n",
            "command 'c2', field patterns",
        ),
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
        load_pack(path)
    message = str(exc.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


COMMAND = """
  - id: {command_id}
    category: {category}
    patterns: ['{pattern}']
    explanation: A command written for a test.
    samples: {{match: ['{pattern}'], no_match: ['nothing']}}
"""


def test_user_commands_come_first_replace_by_id_and_can_be_disabled(tmp_path: Path) -> None:
    shipped = default_pack().commands
    first, second = shipped[0].id, shipped[1].id
    own = COMMAND.format(command_id="acme-ci-check", category="lint", pattern="^ci-check")
    replaced = COMMAND.format(command_id=first, category="test", pattern="^replaced")
    path = _file(tmp_path, f"version: 1\ndisable: [{second}]\ncommands:{own}{replaced}")
    commands = load_pack(path).commands
    assert [c.id for c in commands[:2]] == ["acme-ci-check", first]
    assert commands[1].patterns == ("^replaced",)
    assert second not in {c.id for c in commands}
    assert len(commands) == len(shipped)


def test_a_missing_rules_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_pack(tmp_path / "absent.yml")


def test_an_empty_file_adds_nothing() -> None:
    assert parse_rule_file("", "empty.yml").rules == []


def test_a_key_given_twice_is_an_error_not_a_silent_override() -> None:
    """A rule whose `id:` line went missing runs into the rule before it: its fields
    would quietly replace that rule's."""
    text = (
        "version: 1\nrules:\n"
        + VALID_RULE.format(rule_id="acme-a", kind="persistent", category="test", pattern="boom")
        + "    kind: transient\n    category: network\n"
    )
    with pytest.raises(RulesError, match=r"the key 'kind' is given twice in the mapping at line 4"):
        parse_rule_file(text, "self-healing.yml")
