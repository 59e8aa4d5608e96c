"""The rule pack: the shipped YAML files (rules, and the commands whose failure
names a category), validated once per version and cached, and a user's rules file
merged over them.

The shipped pack is validated with `ruleschema` (pydantic, YAML) only when its
text changed; the result is cached as plain JSON, so the command line's common
path loads neither.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from healer import __version__
from healer.classifier.cache import cache_key, read_cached, write_cached
from healer.classifier.rule import CommandRule, Rule, RuleFile, RulesError

PACK_FOLDER = "rules"  # beside this module: healer/classifier/rules/*.yml


def shipped_rule_files() -> list[tuple[str, str]]:
    """(name, text) of every YAML file of the default pack, in name order."""
    folder = resources.files("healer.classifier") / PACK_FOLDER
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".yml")), key=lambda e: e.name
    )
    return [
        (f"healer/classifier/{PACK_FOLDER}/{entry.name}", entry.read_text(encoding="utf-8"))
        for entry in entries
    ]


@dataclass(frozen=True)
class RulePack:
    """The rules that read log lines, and the commands whose failure names a category."""

    rules: list[Rule]
    commands: list[CommandRule]


def _validate_shipped(files: list[tuple[str, str]]) -> RulePack:
    from healer.classifier.ruleschema import parse_rule_file

    rules: list[Rule] = []
    commands: list[CommandRule] = []
    seen: dict[str, str] = {}
    for file_name, text in files:
        parsed = parse_rule_file(text, file_name)
        for entry_id in parsed.ids():
            if entry_id in seen:
                raise RulesError(
                    f"{file_name}: id {entry_id!r} is already defined in {seen[entry_id]}"
                )
            seen[entry_id] = file_name
        rules += parsed.rules
        commands += parsed.commands
    return RulePack(rules, commands)


def default_pack() -> RulePack:
    """The shipped pack: validated once per version of its text, then read from cache."""
    files = shipped_rule_files()
    name = f"pack-{cache_key(__version__, files)}.json"
    cached = read_cached(name)
    if cached is not None:
        try:
            data = json.loads(cached)
            return RulePack(
                [Rule.from_plain(item) for item in data["rules"]],
                [CommandRule.from_plain(item) for item in data["commands"]],
            )
        except (ValueError, KeyError, TypeError):
            pass  # damaged: validate again
    pack = _validate_shipped(files)
    plain = {
        "rules": [asdict(rule) for rule in pack.rules],
        "commands": [asdict(command) for command in pack.commands],
    }
    write_cached(name, json.dumps(plain).encode("utf-8"))
    return pack


def default_rules() -> list[Rule]:
    """The shipped pack's rules."""
    return default_pack().rules


def merge(base: RulePack, extra: RuleFile, source: str) -> RulePack:
    """A user's file adds rules and commands, replaces shipped ones by id, and
    disables ids; its commands are tried before the shipped ones."""
    rules = {rule.id: rule for rule in base.rules}
    commands = {command.id: command for command in base.commands}
    for entry_id in extra.disable:
        if entry_id in rules:
            del rules[entry_id]
        elif entry_id in commands:
            del commands[entry_id]
        else:
            raise RulesError(f"{source}: 'disable' names rule {entry_id!r}, which does not exist")
    for rule in extra.rules:
        rules[rule.id] = rule
    own = {command.id for command in extra.commands}
    shipped = [command for command in commands.values() if command.id not in own]
    return RulePack(list(rules.values()), [*extra.commands, *shipped])


def load_pack(user_file: Path | None = None) -> RulePack:
    """The shipped pack, with the user's rules file merged over it if given."""
    pack = default_pack()
    if user_file is not None:
        from healer.classifier.ruleschema import load_rule_file

        pack = merge(pack, load_rule_file(user_file), str(user_file))
    return pack
