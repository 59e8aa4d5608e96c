"""Running `healer classify` as people do, and what it printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from healer.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "logs"
PYTEST_LOG = EXAMPLES / "github-pytest-failure.log"
NPM_LOG = EXAMPLES / "github-npm-network-error.log"
# What stays the same when the same log comes another way (pipe, archive, ...).
VERDICT_KEYS = ("kind", "category", "confidence", "rule", "excerpt", "excerpt_lines", "fingerprint")


@dataclass
class Printed:
    code: int
    rows: list[dict[str, Any]]
    stderr: str


def classify(capsys: pytest.CaptureFixture[str], *argv: str) -> Printed:
    code = main(["classify", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return Printed(code, [json.loads(line) for line in out.splitlines()], err)


def verdict(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(json.dumps(row[key]) for key in VERDICT_KEYS)


def of_file(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[Any, ...]:
    (row,) = classify(capsys, str(path)).rows
    return verdict(row)


def healer(
    *argv: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a process of its own, input piped in."""
    return subprocess.run(
        [sys.executable, "-m", "healer", *argv],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
