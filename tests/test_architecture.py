"""The direction of imports is a contract (pyproject.toml, docs/architecture.md) that
`lint-imports` holds the code to; these tests show it catches what it promises to."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_keeps_every_contract() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "added", "contract", "offence"),
    [
        (
            "classifier/scan.py",
            "import github",
            "The classifier works offline",
            "healer.classifier.scan -> github",
        ),
        (
            "classifier/verdict.py",
            "from healer.github import render",
            "never upwards",
            "healer.classifier.verdict -> healer.github.render",
        ),
        (
            "github/fetch.py",
            "from healer.runner import settings",
            "never upwards",
            "healer.github.fetch -> healer.runner.settings",
        ),
        (
            "runner/report.py",
            "from healer.github import upsert",
            "Only the pipeline talks to GitHub",
            "healer.runner.report -> healer.github.upsert",
        ),
        (
            "classifier/rule.py",
            "from healer.classifier import ruleschema",
            "No import cycles",
            "healer.classifier.rule",
        ),
        (
            "classifier/classify.py",
            "import pydantic",
            "pydantic and YAML are the rules schema's alone",
            "healer.classifier.classify -> pydantic",
        ),
    ],
)
def test_an_import_against_the_direction_breaks_its_contract(
    tmp_path: Path, module: str, added: str, contract: str, offence: str
) -> None:
    """A throwaway copy of the package with one import added fails the check, naming
    the contract and the import."""
    shutil.copytree(ROOT / "healer", tmp_path / "healer", ignore=shutil.ignore_patterns("*.so"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "healer" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{added}  # noqa\n")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    report = " ".join(done.stdout.split())  # the report wraps long contract names
    assert re.search(rf"{re.escape(contract)}[^.]*? BROKEN", report)
    assert offence in report
