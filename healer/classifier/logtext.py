"""Pure helpers that turn raw log bytes into clean text lines.

Lines are separated by LF, CRLF or a bare CR (a progress bar redraw is a line of
its own), so line numbers agree with what an editor with universal newlines shows.
"""

from __future__ import annotations

import re

# GitHub Actions prefixes every line with `2026-04-25T05:18:16.2685185Z `.
TIMESTAMP = re.compile(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")
ANNOTATION_PREFIXES = ("##[error]", "##[warning]")
# CSI (colours, cursor moves), OSC (titles, hyperlinks), charset selection, two-byte escapes.
ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[()*+][0-9A-Za-z]|[@-Z\\-_])"
)
# Other control bytes that only garble the display (keeps TAB).
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")

MAX_LINE_CHARS = 2000
# What ends a line cut at MAX_LINE_CHARS.
CUT_MARK = " …[cut]"


def to_universal_newlines(block: bytes) -> bytes:
    """CRLF and bare CR become LF; a no-op (and no copy) when the block has no CR."""
    if b"\r" not in block:
        return block
    return block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def strip_ansi(block: bytes) -> bytes:
    if b"\x1b" not in block:
        return block
    return ANSI.sub(b"", block)


def prepare_block_python(raw: bytes) -> tuple[bytes, int]:
    """Universal newlines, no escape sequences, and the number of line breaks."""
    text = strip_ansi(to_universal_newlines(raw))
    return text, text.count(b"\n")


try:
    # The same in one C pass that releases the GIL (built when a compiler is there).
    from healer.classifier._fastprep import prepare_block as prepare_block
except ImportError:  # pragma: no cover - depends on the build
    prepare_block = prepare_block_python


def clean_line(raw: bytes, limit: int = MAX_LINE_CHARS) -> str:
    """One raw line (no newline) as a person should read it.

    Drops the runner timestamp and colour codes, decodes UTF-8 leniently, removes
    control bytes and cuts very long lines, marking the cut.
    """
    raw = strip_ansi(raw[: limit * 4 + 64])
    raw = TIMESTAMP.sub(b"", raw, count=1)
    raw = CONTROL.sub(b"", raw)
    text = raw.decode("utf-8", errors="replace").rstrip()
    if len(text) > limit:
        text = text[:limit] + CUT_MARK
    return text


def message_text(clean: str) -> str:
    """What a rule sees: the clean line without a leading `##[error]` annotation prefix."""
    if clean.startswith(ANNOTATION_PREFIXES):
        return clean.split("]", 1)[1]
    return clean


def split_lines(block: bytes) -> list[bytes]:
    """Split an already universal-newline block into lines without their LF."""
    lines = block.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines
