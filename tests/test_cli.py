"""The command line is a contract other tools depend on: test it as they use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from healer.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "logs"
PYTEST_LOG = EXAMPLES / "github-pytest-failure.log"
NPM_LOG = EXAMPLES / "github-npm-network-error.log"
CONTRACT_KEYS = {"path", "kind", "category", "confidence", "rule", "excerpt", "fingerprint"}


def _json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_json_prints_one_object_per_path_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(ROOT / "no-such.log")
    code = main(["classify", "--format", "json", str(NPM_LOG), missing, str(PYTEST_LOG)])
    rows = _json_lines(capsys.readouterr().out)
    assert code == 0
    assert [row["path"] for row in rows] == [str(NPM_LOG), missing, str(PYTEST_LOG)]
    for row in rows:
        assert row.keys() >= CONTRACT_KEYS
    network, unreadable, tests = rows
    assert (network["kind"], network["category"]) == ("transient", "network")
    assert (tests["kind"], tests["category"]) == ("persistent", "test")
    assert unreadable["kind"] == "unknown"
    assert unreadable["error"] == f"{missing}: cannot read the log: No such file or directory"


def test_json_excerpt_is_a_list_of_clean_strings(capsys: pytest.CaptureFixture[str]) -> None:
    main(["classify", "--format", "json", str(PYTEST_LOG)])
    (row,) = _json_lines(capsys.readouterr().out)
    excerpt = row["excerpt"]
    assert isinstance(excerpt, list)
    assert any("FAILED tests/test_cart.py::test_total_applies_discount" in line for line in excerpt)
    assert not any("\x1b" in line or line.startswith("2026-") for line in excerpt)
    assert not any("Process completed with exit code" in line for line in excerpt)
    assert len(str(row["fingerprint"])) == 16


def test_text_report_names_verdict_rule_step_and_excerpt(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["classify", str(PYTEST_LOG)]) == 0
    out = capsys.readouterr().out
    assert "verdict:     persistent (test)" in out
    assert "failed step: Run pytest -q" in out
    assert "| FAILED tests/test_cart.py::test_total_applies_discount - assert 1350 == 1215" in out


def test_max_excerpt_lines_caps_the_excerpt(capsys: pytest.CaptureFixture[str]) -> None:
    main(["classify", "--format", "json", "--max-excerpt-lines", "2", str(NPM_LOG)])
    (row,) = _json_lines(capsys.readouterr().out)
    assert isinstance(row["excerpt"], list)
    assert 1 <= len(row["excerpt"]) <= 2


@pytest.mark.parametrize(
    "argv",
    [
        ["classify", "--max-excerpt-lines", "0", "x.log"],
        ["classify", "--format", "xml", "x.log"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_non_zero(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_a_bad_rules_file_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(
        "version: 1\nrules:\n  - id: my-rule\n    kind: transient\n    category: network\n"
        "    patterns: ['(unclosed']\n    explanation: Broken on purpose.\n"
        "    samples: {match: [a], no_match: [b]}\n"
    )
    assert main(["classify", "--rules", str(rules), str(PYTEST_LOG)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    message = captured.err.strip()
    assert len(message.splitlines()) == 1
    assert str(rules) in message
    assert "'my-rule'" in message
    assert "field patterns" in message
    assert "does not compile" in message


def test_a_users_rule_changes_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(
        "version: 1\nrules:\n  - id: shop-discount-flake\n    kind: transient\n"
        "    category: infrastructure\n    patterns: ['test_total_applies_discount']\n"
        "    weight: 10\n    explanation: Known flaky on shared runners.\n"
        "    samples: {match: [test_total_applies_discount], no_match: [test_other]}\n"
    )
    main(["classify", "--format", "json", "--rules", str(rules), str(PYTEST_LOG)])
    (row,) = _json_lines(capsys.readouterr().out)
    assert (row["kind"], row["rule"]) == ("transient", "shop-discount-flake")


def test_python_dash_m_healer_is_the_same_program() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "healer", "classify", "--format", "json", str(PYTEST_LOG)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    (row,) = _json_lines(done.stdout)
    assert row["kind"] == "persistent"


def test_the_command_line_loads_neither_pygithub_nor_the_schema(tmp_path: Path) -> None:
    """Start-up stays fast: no PyGithub ever, and once the shipped pack is cached,
    no pydantic or YAML parser either."""
    script = (
        "import sys, io, contextlib\n"
        "from healer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['classify', {str(PYTEST_LOG)!r}])\n"
        "heavy = ('github', 'pydantic', 'yaml', 'requests', 'zstandard')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    env = {**os.environ, "HEALER_CACHE_DIR": str(tmp_path)}

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=env,
        )
        return done.stdout.strip()

    assert loaded() == "['pydantic', 'yaml']"  # first run validates the pack
    assert loaded() == "[]"


def test_report_without_the_github_extra_says_how_to_install_it() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['github'] = None\n"  # as if PyGithub were not installed
        "from healer.cli import main\n"
        "sys.exit(main(['report', '--repo', 'octo/shop']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"GITHUB_TOKEN": "x", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "pip install 'self-healing[github]'" in done.stderr
    assert "Traceback" not in done.stderr
