"""Render action.yml's inputs and outputs as Markdown tables in README.md.

`python scripts/action_tables.py` rewrites the two marked regions of README.md
(`<!-- action-inputs:start -->` … `<!-- action-inputs:end -->`, and the same for
`action-outputs`); with `--check` it changes nothing and exits 1 if they are stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
README = ROOT / "README.md"
REGENERATE = "python scripts/action_tables.py"


def cell(value: object) -> str:
    """Text for one table cell: on one line, with `|` escaped."""
    if isinstance(value, bool):
        value = str(value).lower()
    return " ".join(str(value).split()).replace("|", "\\|")


def code(value: object) -> str:
    """A cell shown as a code span, fenced by more backticks than it holds."""
    text = cell(value)
    if not text:
        return '`""`'
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inputs_table(inputs: Mapping[str, Mapping[str, Any]]) -> str:
    rows = ["| input | description | default | required |", "|---|---|---|---|"]
    for name, spec in inputs.items():
        default = code(spec["default"]) if "default" in spec else ""
        required = "yes" if spec.get("required", False) else "no"
        rows.append(f"| `{name}` | {cell(spec.get('description', ''))} | {default} | {required} |")
    return "\n".join(rows)


def outputs_table(outputs: Mapping[str, Mapping[str, Any]]) -> str:
    rows = ["| output | description |", "|---|---|"]
    for name, spec in outputs.items():
        rows.append(f"| `{name}` | {cell(spec.get('description', ''))} |")
    return "\n".join(rows)


def render(action: Mapping[str, Any]) -> dict[str, str]:
    """The README regions by marker name: `action-inputs`, `action-outputs`."""
    return {
        "action-inputs": inputs_table(action.get("inputs") or {}),
        "action-outputs": outputs_table(action.get("outputs") or {}),
    }


def region(name: str) -> re.Pattern[str]:
    """Matches a marked region; group 1 is the text between its markers."""
    return re.compile(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", re.DOTALL)


def refresh(readme: str, tables: Mapping[str, str]) -> str:
    """README text with each marked region replaced by its table."""
    for name, table in tables.items():
        match = region(name).search(readme)
        if match is None:
            raise ValueError(f"README.md has no <!-- {name}:start/end --> markers")
        readme = f"{readme[: match.start(1)]}{table}\n{readme[match.end(1) :]}"
    return readme


def main(argv: list[str] | None = None, readme: Path = README, action: Path = ACTION) -> int:
    parser = argparse.ArgumentParser(description="Write action.yml's tables into README.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is stale")
    args = parser.parse_args(argv)
    current = readme.read_text(encoding="utf-8")
    try:
        wanted = refresh(current, render(yaml.safe_load(action.read_text(encoding="utf-8"))))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.check:
        if wanted != current:
            print(f"README.md's action tables differ from action.yml; run `{REGENERATE}`")
            return 1
    elif wanted != current:
        readme.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
