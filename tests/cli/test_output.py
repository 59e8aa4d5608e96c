"""What people and scripts get from `healer classify`: exit codes to gate on, the
Markdown body, --explain, and colour and progress only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from healer.cli import main
from tests.cli.helpers import NPM_LOG, PYTEST_LOG, ROOT, classify, healer


@pytest.mark.parametrize(
    ("fail_on", "logs", "code"),
    [
        ("never", [PYTEST_LOG], 0),
        ("persistent", [PYTEST_LOG], 1),
        ("persistent", [NPM_LOG], 0),
        ("persistent", [NPM_LOG, PYTEST_LOG], 1),
        ("any", [NPM_LOG], 1),
        ("any", [Path("missing.log")], 1),
        ("persistent", [Path("missing.log")], 0),
    ],
)
def test_fail_on_sets_the_exit_code(
    capsys: pytest.CaptureFixture[str], fail_on: str, logs: list[Path], code: int
) -> None:
    assert classify(capsys, "--fail-on", fail_on, *map(str, logs)).code == code


def test_fail_on_any_passes_a_log_with_no_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    green = tmp_path / "green.log"
    green.write_text("2026-04-25T05:18:16.0Z all good\n")
    printed = classify(capsys, "--fail-on", "any", str(green))
    assert printed.rows[0]["kind"] == "unknown"
    assert printed.code == 0


def test_markdown_is_the_body_to_paste_into_an_issue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--format", "markdown", str(PYTEST_LOG)]) == 0
    body = capsys.readouterr().out
    assert body.startswith(f"The log **{PYTEST_LOG}** shows a failure that looks persistent")
    assert "- **Verdict:** persistent, category `test`, confidence 0.99" in body
    assert "- **Deciding rule:** `pytest-failed`" in body
    assert "### Log excerpt" in body
    fence = body.split("### Log excerpt", 1)[1]
    assert "FAILED tests/test_cart.py::test_total_applies_discount" in fence
    assert "\x1b" not in body


def test_explain_lists_every_matching_rule_with_score_and_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (row,) = classify(capsys, "--explain", str(PYTEST_LOG)).rows
    matched = row["matched"]
    assert matched[0]["rule"] == row["rule"] == "pytest-failed"
    assert [m["score"] for m in matched] == sorted((m["score"] for m in matched), reverse=True)
    lines = PYTEST_LOG.read_text().splitlines()
    for match in matched:
        assert match["hits"] >= len(match["lines"]) >= 1
        assert all(1 <= n <= len(lines) for n in match["lines"])
    # Without --explain the JSON stays as it was.
    (plain,) = classify(capsys, str(PYTEST_LOG)).rows
    assert "matched" not in plain

    assert main(["classify", "--explain", str(PYTEST_LOG)]) == 0
    text = capsys.readouterr().out
    best = matched[0]
    shown = ", ".join(str(n) for n in best["lines"][:8])
    assert f"{best['score']:5.2f}  pytest-failed" in text
    assert f"persistent (test), line {shown}" in text
    assert "← decided" in text


def on_a_terminal(argv: list[str], env: dict[str, str], stdin_too: bool = False) -> str:
    """Run healer with stdout and stderr (and stdin, if asked) on a pseudo-terminal;
    what the terminal got."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "healer", *argv],
        stdin=follower if stdin_too else subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 1 << 16)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def big_log(tmp_path: Path) -> Path:
    log = tmp_path / "big.log"
    filler = b"2026-04-25T05:18:16.0000001Z compiling module %d of many\n"
    with log.open("wb") as out:
        for i in range(200_000):
            out.write(filler.replace(b"%d", str(i).encode()))
        out.write(PYTEST_LOG.read_bytes())
    return log


def test_colour_and_progress_on_a_terminal_only(tmp_path: Path) -> None:
    log = big_log(tmp_path)
    assert log.stat().st_size > 8 << 20
    env = {"NO_COLOR": ""}
    terminal = on_a_terminal(["classify", str(log)], env)
    assert "\x1b[1;31mpersistent (test)\x1b[0m" in terminal
    assert "\r\x1b[K" in terminal  # the progress line, written and erased

    for argv, extra in (
        (["classify", str(log)], {"NO_COLOR": "1"}),
        (["classify", "--format", "json", str(log)], env),
    ):
        assert "\x1b" not in on_a_terminal(argv, extra), (argv, extra)
    # Markdown is for pasting: no colour in it (the progress line is on stderr).
    markdown = on_a_terminal(["classify", "--format", "markdown", str(log)], env)
    assert "\x1b[1" not in markdown
    piped = healer("classify", str(log), env=env)
    assert b"\x1b" not in piped.stdout + piped.stderr
    assert b"verdict:     persistent (test)" in piped.stdout


def test_no_input_on_a_terminal_is_a_usage_error() -> None:
    terminal = on_a_terminal(["classify"], {}, stdin_too=True)
    assert "give a log (a file, a folder, an archive or a run's URL)" in terminal


def test_json_lines_stay_one_object_per_log(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--json", str(NPM_LOG), str(PYTEST_LOG)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["kind"] for row in rows] == ["transient", "persistent"]


def test_hostile_names_never_reach_the_terminal_as_control_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An archive's entry name and a job's name are input: shown, never obeyed."""
    import zipfile

    title = "\x1b]0;owned\x07\x1b[2J"
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(f"0_job{title}.txt", PYTEST_LOG.read_bytes())
    gh_output = tmp_path / "gh.log"
    gh_output.write_bytes(
        b"".join(f"job{title}\tRun\t".encode() + line for line in PYTEST_LOG.open("rb"))
    )
    for argv in (
        ["classify", str(archive)],
        ["classify", "--format", "markdown", str(archive)],
        ["classify", str(gh_output)],
        ["classify", str(tmp_path / f"missing{title}.log")],
    ):
        main(argv)
        out, err = capsys.readouterr()
        assert "\x1b" not in out + err
        assert "\x07" not in out + err
        assert "\\x1b" in out + err  # shown as its escape
        assert "owned" in out + err
    # JSON keeps the name exactly, escaped by JSON itself.
    main(["classify", "--json", str(archive)])
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["path"] == f"{archive}:job{title}"
