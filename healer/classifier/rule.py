"""A rule at run time: its kind and category, its patterns, and confirming a line.

A rule names one tool's real message. Its patterns use the regex subset that
Python's `re`, RE2 and hyperscan all accept (no look-around, no back-references),
because the fast engines only pre-select lines and `re` confirms them.

Rules are written in YAML and validated by `ruleschema` (pydantic); `rulepack`
loads the shipped pack and a user's file. Here a rule is a plain frozen
dataclass, so classifying needs neither pydantic nor a YAML parser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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


# What a failing command can say about the failure, when no rule does.
COMMAND_CATEGORIES = frozenset(PERSISTENT_CATEGORIES - {"unknown", "crash"})


@dataclass(frozen=True)
class CommandRule:
    """A well-known command or wrapper and the category of its failure: `npm run
    lint` fails on lint, `cargo test` on tests (validated by `ruleschema.CommandModel`)."""

    id: str
    category: str
    patterns: tuple[str, ...]
    explanation: str
    samples: Samples

    def matches(self, command: str) -> bool:
        """Whether one simple command (wrappers removed) is this rule's."""
        return any(_compiled(pattern).search(command) for pattern in self.patterns)

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> CommandRule:
        samples = data["samples"]
        return cls(
            id=data["id"],
            category=data["category"],
            patterns=tuple(data["patterns"]),
            explanation=data["explanation"],
            samples=Samples(tuple(samples["match"]), tuple(samples["no_match"])),
        )


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass
class RuleFile:
    """A validated rules document: rules to add or replace, commands to add or
    replace, ids to disable."""

    rules: list[Rule] = field(default_factory=list)
    commands: list[CommandRule] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)

    def ids(self) -> list[str]:
        """The ids it defines, rules then commands (one namespace for both)."""
        return [*(rule.id for rule in self.rules), *(command.id for command in self.commands)]
