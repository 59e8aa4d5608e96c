"""Every shipped rule matches the lines it must and none of the lines it must not.

A sample is read as the scanner reads a line: a leading `##[error]` annotation
prefix is not part of the message.

A sample must also survive the trip through the fast engines: written raw, behind
a runner timestamp, and with colour codes around its first word.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from healer.classifier.command import classify_command
from healer.classifier.engines import available_engines
from healer.classifier.logtext import message_text
from healer.classifier.rule import CommandRule, Rule
from healer.classifier.rulepack import default_pack, default_rules
from healer.classifier.scan import Scanner

RULES = default_rules()
IDS = [rule.id for rule in RULES]


def _variants(line: str) -> list[bytes]:
    raw = line.encode("utf-8")
    first, _, rest = line.partition(" ")
    coloured = f"\x1b[31;1m{first}\x1b[0m{' ' if rest else ''}{rest}".encode()
    stamp = b"2026-04-25T05:18:16.2685185Z "
    return [raw, stamp + raw, stamp + coloured, raw + b"\r\n"]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_matches_its_samples(rule: Rule) -> None:
    compiled = rule.compiled()
    missed = [s for s in rule.samples.match if not compiled.matches(message_text(s))]
    assert missed == [], f"{rule.id} does not match {missed}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_rejects_its_counter_samples(rule: Rule) -> None:
    compiled = rule.compiled()
    wrongly = [s for s in rule.samples.no_match if compiled.matches(message_text(s))]
    assert wrongly == [], f"{rule.id} wrongly matches {wrongly}"


@pytest.mark.parametrize("engine_name", available_engines())
def test_engines_select_every_sample_line(engine_name: str) -> None:
    scanner = Scanner(RULES, engine_name)
    index = {rule.id: i for i, rule in enumerate(RULES)}
    lost = []
    for rule in RULES:
        for sample in rule.samples.match:
            for variant in _variants(sample):
                scan = scanner.scan(io.BytesIO(b"setup\n" + variant + b"\nteardown\n"))
                if index[rule.id] not in {hit.rule for hit in scan.hits}:
                    lost.append((rule.id, variant))
    assert lost == []


def test_rule_ids_are_unique_across_the_pack() -> None:
    assert len(IDS) == len(set(IDS))


COMMANDS = default_pack().commands


@pytest.mark.parametrize("command", COMMANDS, ids=[c.id for c in COMMANDS])
def test_command_rule_names_its_samples_first(command: CommandRule) -> None:
    """A sample command is this rule's, and no rule listed before it takes it."""
    wrong = {
        sample: (found.id if found else None)
        for sample in command.samples.match
        if (found := classify_command(sample, COMMANDS)) is None or found.id != command.id
    }
    assert wrong == {}


@pytest.mark.parametrize("command", COMMANDS, ids=[c.id for c in COMMANDS])
def test_command_rule_rejects_its_counter_samples(command: CommandRule) -> None:
    wrongly = [s for s in command.samples.no_match if classify_command(s, [command])]
    assert wrongly == []


def test_the_cached_pack_equals_a_fresh_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALER_CACHE_DIR", str(tmp_path))
    fresh = default_pack()  # validates and writes the cache
    assert list(tmp_path.glob("pack-*.json"))
    assert default_pack() == fresh  # read back from the cache
    assert fresh.commands


@pytest.mark.parametrize("engine_name", available_engines())
def test_every_shipped_pattern_compiles_in_every_engine(engine_name: str) -> None:
    """No shipped rule may push the scanner off its fastest engine."""
    from healer.classifier.engines import ENGINES, Pattern

    refused = []
    for rule in RULES:
        for source in rule.patterns:
            try:
                ENGINES[engine_name]([Pattern(source, 0, rule.ignore_case)])
            except Exception as exc:
                refused.append((rule.id, source, str(exc)))
    assert refused == []
