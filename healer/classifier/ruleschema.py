"""The rules-file schema (pydantic) and its one-line error messages.

Imported only to validate YAML: the shipped pack once (then cached as plain data,
see `rulepack.default_rules`) and a user's rules file when one is given. The
command line's common path never loads pydantic or YAML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from healer.classifier.regexcheck import may_backtrack_catastrophically
from healer.classifier.rule import (
    COMMAND_CATEGORIES,
    PERSISTENT_CATEGORIES,
    TRANSIENT_CATEGORIES,
    CommandRule,
    Kind,
    Rule,
    RuleFile,
    RulesError,
    Samples,
)

# Constructs the fast engines cannot run; rejected up front with a clear message.
_UNPORTABLE = re.compile(r"\(\?[=!<]|\(\?P[=<]|\\[1-9]|\(\?#|\\[AZzG]")
# libyaml's loader parses the shipped pack ten times faster than the pure-Python one.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.YAMLError):
    pass


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """A key given twice in one mapping is an error, not a silent override: a rule
    whose `id:` line went missing would otherwise take over its neighbour's fields."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    line = node.start_mark.line + 1
                    raise _DuplicateKey(
                        f"the key {key.value!r} is given twice in the mapping at line {line}"
                    )
                seen.add(key.value)
        mapping: dict[object, object] = super().construct_mapping(node, deep=deep)
        return mapping


def _check_compiles(pattern: str, what: str) -> None:
    """Refuse a pattern that does not compile or that matches an empty `what`."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
    if regex.search(""):
        raise ValueError(f"pattern {pattern!r} matches the empty {what}")


def _check_backtracking(pattern: str, flags: int) -> None:
    if may_backtrack_catastrophically(pattern, flags):
        raise ValueError(
            f"pattern {pattern!r} repeats a group that itself repeats (like (a+)+), "
            "which can take hours on one long line; make each repetition start "
            "with a character the inner part cannot match, or drop the outer repeat"
        )


class SamplesModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(min_length=1)


class RuleModel(BaseModel):
    """One failure signature, as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
    kind: Literal[Kind.TRANSIENT, Kind.PERSISTENT]
    category: str
    patterns: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    ignore_case: bool = False
    weight: float = Field(default=1.0, gt=0, le=10)
    # A fallback decides only when no other rule of its kind matched at all.
    fallback: bool = False
    explanation: Annotated[str, Field(min_length=3, max_length=200)]
    samples: SamplesModel

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
            _check_compiles(pattern, "line")
        return value

    @model_validator(mode="after")
    def _no_runaway_backtracking(self) -> RuleModel:
        flags = re.IGNORECASE if self.ignore_case else 0
        for pattern in (*self.patterns, *self.exclude):
            _check_backtracking(pattern, flags)
        return self

    @model_validator(mode="after")
    def _category_fits_kind(self) -> RuleModel:
        allowed = TRANSIENT_CATEGORIES if self.kind == Kind.TRANSIENT else PERSISTENT_CATEGORIES
        if self.category not in allowed:
            raise ValueError(
                f"category {self.category!r} is not a {self.kind.value} category; "
                f"use one of {', '.join(sorted(allowed))}"
            )
        return self

    def to_rule(self) -> Rule:
        return Rule(
            id=self.id,
            kind=Kind(self.kind),
            category=self.category,
            patterns=tuple(self.patterns),
            exclude=tuple(self.exclude),
            ignore_case=self.ignore_case,
            weight=self.weight,
            fallback=self.fallback,
            explanation=self.explanation,
            samples=Samples(tuple(self.samples.match), tuple(self.samples.no_match)),
        )


class CommandModel(BaseModel):
    """A well-known command and the category of its failure, as written in YAML.

    Patterns are Python regexes searched in one simple command (a pipeline or a
    list is split at `&&`, `||`, `;` and `|`, and wrappers such as `sudo`, `npx`
    or `bundle exec` are removed first)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
    category: str
    patterns: list[str] = Field(min_length=1)
    explanation: Annotated[str, Field(min_length=3, max_length=200)]
    samples: SamplesModel

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _check_compiles(pattern, "command")
            _check_backtracking(pattern, 0)
        return value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in COMMAND_CATEGORIES:
            raise ValueError(
                f"category {value!r} is not one a command can name; "
                f"use one of {', '.join(sorted(COMMAND_CATEGORIES))}"
            )
        return value

    def to_command(self) -> CommandRule:
        return CommandRule(
            id=self.id,
            category=self.category,
            patterns=tuple(self.patterns),
            explanation=self.explanation,
            samples=Samples(tuple(self.samples.match), tuple(self.samples.no_match)),
        )


class RuleFileModel(BaseModel):
    """The document shape of both the shipped pack and a user's rules file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    rules: list[RuleModel] = Field(default_factory=list)
    commands: list[CommandModel] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)


def _describe(error: dict[str, Any], raw: Any) -> str:
    """Turn one pydantic error into 'rule <id>, field <name>: message'."""
    loc = list(error["loc"])
    where = "top level"
    if len(loc) >= 2 and loc[0] in ("rules", "commands") and isinstance(loc[1], int):
        section, index = str(loc[0]), loc[1]
        noun = section.removesuffix("s")
        entry_id = None
        if isinstance(raw, dict) and isinstance(raw.get(section), list):
            entries = raw[section]
            if index < len(entries) and isinstance(entries[index], dict):
                entry_id = entries[index].get("id")
        field = ".".join(str(p) for p in loc[2:]) or f"(the {noun} itself)"
        who = f"{noun} {entry_id!r}" if entry_id else f"{noun} #{index + 1}"
        where = f"{who}, field {field}"
    elif loc:
        where = f"field {'.'.join(str(p) for p in loc)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def parse_rule_file(text: str, source: str) -> RuleFile:
    """Validate a rules document; every problem is reported with file, rule and field."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise RulesError(f"{source}: not valid YAML: {exc}".replace("\n", " ")) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RulesError(f"{source}: expected a mapping with a 'rules' list at the top level")
    try:
        parsed = RuleFileModel.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(dict(e), raw) for e in exc.errors())
        raise RulesError(f"{source}: {problems}") from None
    rule_file = RuleFile(
        rules=[r.to_rule() for r in parsed.rules],
        commands=[c.to_command() for c in parsed.commands],
        disable=list(parsed.disable),
    )
    seen: set[str] = set()
    for entry_id in rule_file.ids():
        if entry_id in seen:
            raise RulesError(f"{source}: id {entry_id!r} is defined twice")
        seen.add(entry_id)
    return rule_file


def load_rule_file(path: Path) -> RuleFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read the rules file: {exc}") from None
    return parse_rule_file(text, str(path))


def validate_rule(data: dict[str, Any]) -> Rule:
    """One rule from a mapping, as the rules file would give it (for tests and tools)."""
    return RuleModel.model_validate(data).to_rule()
