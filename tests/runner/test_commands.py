"""Workflow commands, outputs and summaries as the runner reads them."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from healer.runner.commands import (
    ActionsLogFormatter,
    Commands,
    append_summary,
    command,
    read_outputs,
    write_outputs,
)


def test_commands_escape_data_and_properties() -> None:
    assert command("error", "50% done\nnext", title="a:b,c") == (
        "::error title=a%3Ab%2Cc::50%25 done%0Anext"
    )
    assert command("endgroup") == "::endgroup::"


def test_verbatim_blocks_stop_commands_with_an_unguessable_token() -> None:
    out = io.StringIO()
    commands = Commands(out)
    with commands.verbatim():
        out.write("::set-output name=x::pwned\n")
    lines = out.getvalue().splitlines()
    token = lines[0].removeprefix("::stop-commands::")
    assert len(token) == 32
    assert lines[1] == "::set-output name=x::pwned"
    assert lines[2] == f"::{token}::"
    with commands.verbatim():
        pass
    assert token not in out.getvalue().splitlines()[-1]


def test_mask_and_group() -> None:
    out = io.StringIO()
    commands = Commands(out)
    commands.mask("s3cret")
    commands.mask("")
    with commands.group("Classify"):
        commands.notice("ok")
    assert out.getvalue().splitlines() == [
        "::add-mask::s3cret",
        "::group::Classify",
        "::notice::ok",
        "::endgroup::",
    ]


def test_log_formatter_maps_levels_to_commands() -> None:
    formatter = ActionsLogFormatter("%(message)s")

    def fmt(level: int, message: str) -> str:
        return formatter.format(logging.LogRecord("x", level, "f", 1, message, None, None))

    assert fmt(logging.ERROR, "no permission\nto read") == "::error::no permission%0Ato read"
    assert fmt(logging.WARNING, "slow") == "::warning::slow"
    assert fmt(logging.DEBUG, "detail") == "::debug::detail"
    assert fmt(logging.INFO, "plain") == "plain"
    assert fmt(logging.INFO, "::add-mask::x") == ":\u200b:add-mask::x"


def test_outputs_round_trip_through_the_runner_format(tmp_path: Path) -> None:
    path = tmp_path / "output"
    values = {
        "classification": "persistent",
        "report": '{"a": 1}\nline two',
        "tricky": "ghadelimiter_x",
    }
    write_outputs(path, values)
    write_outputs(path, {"action": "created"})
    assert read_outputs(path.read_text()) == {**values, "action": "created"}


def test_summary_is_cut_to_the_runner_limit(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    append_summary(path, "# Title\n")
    append_summary(path, "x" * (2 * 1024 * 1024))
    text = path.read_text()
    assert text.startswith("# Title\n")
    assert len(path.read_bytes()) <= 1024 * 1024 + len("# Title\n")
    assert text.endswith("*(summary cut to the runner's 1 MiB limit)*\n")
