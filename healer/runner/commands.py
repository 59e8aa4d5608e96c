"""Talking to the Actions runner: workflow commands on stdout, output and summary files.

The runner reads every stdout line that starts with `::` as a command, so text we
do not control (log excerpts) is either escaped or printed between
`::stop-commands::<token>` and `::<token>::`, with a token nobody can guess.
Values follow the escaping of actions/toolkit (`command.ts`): in data `%`, CR
and LF are escaped; in properties also `:` and `,`.
"""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

SUMMARY_LIMIT = 1024 * 1024  # the runner shows at most 1 MiB per step summary


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", **properties: str) -> str:
    """One workflow command line, e.g. `::error title=Invalid input::…`."""
    props = ",".join(
        f"{key}={escape_property(value)}" for key, value in properties.items() if value
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


class Commands:
    """Writes workflow commands to one stream (stdout on a runner)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout

    def emit(self, name: str, message: str = "", **properties: str) -> None:
        self.out.write(command(name, message, **properties) + "\n")
        self.out.flush()

    def mask(self, secret: str) -> None:
        """Ask the runner to hide `secret` in every later log line."""
        if secret:
            self.emit("add-mask", secret)

    def error(self, message: str, title: str = "") -> None:
        self.emit("error", message, title=title)

    def warning(self, message: str, title: str = "") -> None:
        self.emit("warning", message, title=title)

    def notice(self, message: str, title: str = "") -> None:
        self.emit("notice", message, title=title)

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        self.emit("group", title)
        try:
            yield
        finally:
            self.emit("endgroup")

    @contextmanager
    def verbatim(self) -> Iterator[None]:
        """Lines printed inside are shown as they are, never run as commands."""
        token = secrets.token_hex(16)
        self.emit("stop-commands", token)
        try:
            yield
        finally:
            self.out.write(f"::{token}::\n")
            self.out.flush()


_LEVEL_COMMANDS = {logging.DEBUG: "debug", logging.WARNING: "warning", logging.ERROR: "error"}


class ActionsLogFormatter(logging.Formatter):
    """Log records as the runner shows them: warnings and errors as annotations,
    debug lines only when step debug logging is on; message text escaped."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        level = (
            logging.ERROR
            if record.levelno >= logging.ERROR
            else logging.WARNING
            if record.levelno >= logging.WARNING
            else record.levelno
        )
        name = _LEVEL_COMMANDS.get(level)
        if name is None:
            # A plain line must not start a command either: break its leading `::`.
            if message.lstrip().startswith("::"):
                return message.replace("::", ":\u200b:", 1)
            return message
        return command(name, message)


def write_outputs(path: Path, values: Mapping[str, str]) -> None:
    """Append step outputs to `$GITHUB_OUTPUT`, every value as a heredoc with a
    random delimiter that does not occur in it."""
    with path.open("a", encoding="utf-8") as out:
        for name, value in values.items():
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            while delimiter in value:
                delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def read_outputs(text: str) -> dict[str, str]:
    """Parse a `$GITHUB_OUTPUT` file as the runner does (both forms)."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


def append_summary(path: Path, markdown: str) -> None:
    """Append to `$GITHUB_STEP_SUMMARY`, cut to what the runner will show."""
    data = markdown.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        notice = b"\n\n*(summary cut to the runner's 1 MiB limit)*\n"
        data = data[: SUMMARY_LIMIT - len(notice)].decode("utf-8", "ignore").encode() + notice
    with path.open("ab") as out:
        out.write(data)
