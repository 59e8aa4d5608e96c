"""Rules as data: the pydantic schema, the shipped rule pack and users' rules files.

A rule names one tool's real message. Its patterns use the regex subset that
Python's `re`, RE2 and hyperscan all accept (no look-around, no back-references),
because the fast engines only pre-select lines and `re` confirms them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


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

# Constructs the fast engines cannot run; rejected up front with a clear message.
_UNPORTABLE = re.compile(r"\(\?[=!<]|\(\?P[=<]|\\[1-9]|\(\?#|\\[AZzG]")


class RulesError(ValueError):
    """A rules file the user can fix: says which file, which rule and which field."""


class Samples(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(min_length=1)


class Rule(BaseModel):
    """One failure signature."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
    kind: Literal[Kind.TRANSIENT, Kind.PERSISTENT]
    category: str
    patterns: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    ignore_case: bool = False
    weight: float = Field(default=1.0, gt=0, le=10)
    explanation: Annotated[str, Field(min_length=3, max_length=200)]
    samples: Samples

    @field_validator("patterns", "exclude")
    @classmethod
    def _portable_regexes(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if not pattern:
                raise ValueError("a pattern must not be empty")
            if _UNPORTABLE.search(pattern):
                raise ValueError(
                    f"pattern {pattern!r} uses look-around, a back-reference or an anchor "
                    "other than ^ and $; the fast engines cannot run it"
                )
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
            if re.compile(pattern).search(""):
                raise ValueError(f"pattern {pattern!r} matches the empty line")
        return value

    @model_validator(mode="after")
    def _category_fits_kind(self) -> Rule:
        allowed = TRANSIENT_CATEGORIES if self.kind == Kind.TRANSIENT else PERSISTENT_CATEGORIES
        if self.category not in allowed:
            raise ValueError(
                f"category {self.category!r} is not a {self.kind.value} category; "
                f"use one of {', '.join(sorted(allowed))}"
            )
        return self

    def compiled(self) -> CompiledRule:
        flags = re.IGNORECASE if self.ignore_case else 0
        return CompiledRule(
            rule=self,
            patterns=tuple(re.compile(p, flags) for p in self.patterns),
            excludes=tuple(re.compile(p, flags) for p in self.exclude),
        )


class CompiledRule:
    """A rule with its regexes compiled for confirming candidate lines."""

    __slots__ = ("excludes", "patterns", "rule")

    def __init__(
        self,
        rule: Rule,
        patterns: tuple[re.Pattern[str], ...],
        excludes: tuple[re.Pattern[str], ...],
    ) -> None:
        self.rule = rule
        self.patterns = patterns
        self.excludes = excludes

    def matches(self, line: str) -> bool:
        """Whether a clean line (no timestamp, no colour codes) is this rule's message."""
        if not any(p.search(line) for p in self.patterns):
            return False
        return not any(x.search(line) for x in self.excludes)


class RuleFile(BaseModel):
    """The document shape of both the shipped pack and a user's rules file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    rules: list[Rule] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)


def _describe(error: dict[str, Any], raw: Any) -> str:
    """Turn one pydantic error into 'rule <id>, field <name>: message'."""
    loc = list(error["loc"])
    where = "top level"
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        index = loc[1]
        rule_id = None
        if isinstance(raw, dict) and isinstance(raw.get("rules"), list):
            rules = raw["rules"]
            if index < len(rules) and isinstance(rules[index], dict):
                rule_id = rules[index].get("id")
        field = ".".join(str(p) for p in loc[2:]) or "(the rule itself)"
        who = f"rule {rule_id!r}" if rule_id else f"rule #{index + 1}"
        where = f"{who}, field {field}"
    elif loc:
        where = f"field {'.'.join(str(p) for p in loc)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def parse_rule_file(text: str, source: str) -> RuleFile:
    """Validate a rules document; every problem is reported with file, rule and field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{source}: not valid YAML: {exc}".replace("\n", " ")) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RulesError(f"{source}: expected a mapping with a 'rules' list at the top level")
    try:
        parsed = RuleFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(dict(e), raw) for e in exc.errors())
        raise RulesError(f"{source}: {problems}") from None
    seen: set[str] = set()
    for rule in parsed.rules:
        if rule.id in seen:
            raise RulesError(f"{source}: rule {rule.id!r} is defined twice")
        seen.add(rule.id)
    return parsed


def load_rule_file(path: Path) -> RuleFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read the rules file: {exc}") from None
    return parse_rule_file(text, str(path))


def shipped_rule_files() -> list[tuple[str, str]]:
    """(name, text) of every YAML file of the default pack, in name order."""
    folder = resources.files("healer") / "rules"
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".yml")), key=lambda e: e.name
    )
    return [(f"healer/rules/{entry.name}", entry.read_text(encoding="utf-8")) for entry in entries]


def default_rules() -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, text in shipped_rule_files():
        for rule in parse_rule_file(text, name).rules:
            if rule.id in seen:
                raise RulesError(f"{name}: rule {rule.id!r} is already defined in {seen[rule.id]}")
            seen[rule.id] = name
            rules.append(rule)
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
        rules = merge_rules(rules, load_rule_file(user_file), str(user_file))
    return rules
