"""The rule pack: the shipped YAML files, validated once per version and cached,
and a user's rules file merged over them.

The shipped pack is validated with `ruleschema` (pydantic, YAML) only when its
text changed; the result is cached as plain JSON, so the command line's common
path loads neither.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from importlib import resources
from pathlib import Path

from healer import __version__
from healer.classifier.cache import cache_key, read_cached, write_cached
from healer.classifier.rule import Rule, RuleFile, RulesError

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


def _validate_shipped(files: list[tuple[str, str]]) -> list[Rule]:
    from healer.classifier.ruleschema import parse_rule_file

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
        from healer.classifier.ruleschema import load_rule_file

        rules = merge_rules(rules, load_rule_file(user_file), str(user_file))
    return rules
