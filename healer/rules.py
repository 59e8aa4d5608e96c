"""Rules as data: the shipped rule pack, users' rules files, and confirming a line.

A rule names one tool's real message. Its patterns use the regex subset that
Python's `re`, RE2 and hyperscan all accept (no look-around, no back-references),
because the fast engines only pre-select lines and `re` confirms them.

The YAML schema lives in `ruleschema` (pydantic). At run time a rule is a plain
frozen dataclass, and the validated shipped pack is cached as JSON, so the
command line starts without loading pydantic or a YAML parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from healer import __version__
from healer.cache import cache_key, read_cached, write_cached


class Kind(StrEnum):
    TRANSIENT = "transient"
    PERSISTENT = "persistent"
    UNKNOWN = "unknown"


TRANSIENT_CATEGORIES = frozenset(
    {"network", "timeout", "rate_limit", "service_unavailable", "infrastructure"}
)
PERSISTENT_CATEGORIES = frozenset(
    {
        "test",
        "assertion",
        "type_error",
        "syntax_error",
        "import_error",
        "compile",
        "lint",
        "format",
        "dependency",
        "config",
        "crash",
        "unknown",
    }
)


class RulesError(ValueError):
    """A rules file the user can fix: says which file, which rule and which field."""


@dataclass(frozen=True)
class Samples:
    match: tuple[str, ...]
    no_match: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One failure signature (validated by `ruleschema.RuleModel`)."""

    id: str
    kind: Kind
    category: str
    patterns: tuple[str, ...]
    explanation: str
    samples: Samples
    exclude: tuple[str, ...] = ()
    ignore_case: bool = False
    weight: float = 1.0
    fallback: bool = False

    def compiled(self) -> CompiledRule:
        return CompiledRule(self)

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> Rule:
        samples = data["samples"]
        return cls(
            id=data["id"],
            kind=Kind(data["kind"]),
            category=data["category"],
            patterns=tuple(data["patterns"]),
            explanation=data["explanation"],
            samples=Samples(tuple(samples["match"]), tuple(samples["no_match"])),
            exclude=tuple(data["exclude"]),
            ignore_case=bool(data["ignore_case"]),
            weight=float(data["weight"]),
            fallback=bool(data.get("fallback", False)),
        )


class CompiledRule:
    """A rule whose regexes are compiled on first use: most rules never see a
    candidate line, and compiling all of them would double the start-up time."""

    __slots__ = ("_excludes", "_patterns", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self._patterns: tuple[re.Pattern[str], ...] | None = None
        self._excludes: tuple[re.Pattern[str], ...] = ()

    def matches(self, line: str) -> bool:
        """Whether a clean line (no timestamp, no colour codes) is this rule's message."""
        if self._patterns is None:
            flags = re.IGNORECASE if self.rule.ignore_case else 0
            self._patterns = tuple(re.compile(p, flags) for p in self.rule.patterns)
            self._excludes = tuple(re.compile(p, flags) for p in self.rule.exclude)
        if not any(p.search(line) for p in self._patterns):
            return False
        return not any(x.search(line) for x in self._excludes)


@dataclass
class RuleFile:
    """A validated rules document: rules to add or replace, ids to disable."""

    rules: list[Rule] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)


def shipped_rule_files() -> list[tuple[str, str]]:
    """(name, text) of every YAML file of the default pack, in name order."""
    folder = resources.files("healer") / "rules"
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".yml")), key=lambda e: e.name
    )
    return [(f"healer/rules/{entry.name}", entry.read_text(encoding="utf-8")) for entry in entries]


def _validate_shipped(files: list[tuple[str, str]]) -> list[Rule]:
    from healer.ruleschema import parse_rule_file

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for file_name, text in files:
        for rule in parse_rule_file(text, file_name).rules:
            if rule.id in seen:
                raise RulesError(
                    f"{file_name}: rule {rule.id!r} is already defined in {seen[rule.id]}"
                )
            seen[rule.id] = file_name
            rules.append(rule)
    return rules


def default_rules() -> list[Rule]:
    """The shipped pack: validated once per version of its text, then read from cache."""
    files = shipped_rule_files()
    name = f"rules-{cache_key(__version__, files)}.json"
    cached = read_cached(name)
    if cached is not None:
        try:
            return [Rule.from_plain(item) for item in json.loads(cached)]
        except (ValueError, KeyError, TypeError):
            pass  # damaged: validate again
    rules = _validate_shipped(files)
    write_cached(name, json.dumps([asdict(rule) for rule in rules]).encode("utf-8"))
    return rules


def merge_rules(base: Iterable[Rule], extra: RuleFile, source: str) -> list[Rule]:
    """A user's file adds rules, replaces shipped ones by id, and disables ids."""
    merged = {rule.id: rule for rule in base}
    for rule_id in extra.disable:
        if rule_id not in merged:
            raise RulesError(f"{source}: 'disable' names rule {rule_id!r}, which does not exist")
        del merged[rule_id]
    for rule in extra.rules:
        merged[rule.id] = rule
    return list(merged.values())


def load_rules(user_file: Path | None = None) -> list[Rule]:
    rules = default_rules()
    if user_file is not None:
        from healer.ruleschema import load_rule_file

        rules = merge_rules(rules, load_rule_file(user_file), str(user_file))
    return rules
