"""What `healer classify` prints: a text report, JSON Lines or Markdown.

Colour and the progress line are for people at a terminal: off when the output is
not one, when `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`, and never in
JSON. Log text is printed with its control characters already removed by the
classifier, so a log cannot move the cursor or change the terminal's title.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time
from typing import TextIO

from healer.classifier.classify import Result
from healer.classifier.rule import Kind

# C0 and C1 control characters (escape, bell, carriage return, ...), DEL included.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Inputs smaller than this finish before a progress line would help.
PROGRESS_MIN_BYTES = 8 << 20
_REFRESH_SECONDS = 0.2


def for_people(stream: TextIO) -> bool:
    """Colour and progress on this stream: a terminal, and nobody said no."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def printable(text: str) -> str:
    """Text from an input (an archive's entry name, a job's name) safe to print on a
    terminal: each control character is shown as its escape, never sent as is."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class Style:
    """ANSI styles, or nothing."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def verdict(self, kind: Kind, text: str) -> str:
        code = {Kind.PERSISTENT: "1;31", Kind.TRANSIENT: "1;33"}.get(kind, "1")
        return self._wrap(code, text)


def render_text(result: Result, out: TextIO, style: Style, explain: bool = False) -> None:
    result = dataclasses.replace(
        result,
        path=printable(result.path),
        step=printable(result.step) if result.step else None,
        command=printable(result.command) if result.command else None,
        excerpt=[printable(line) for line in result.excerpt],
    )
    out.write(style.bold(result.path) + "\n")
    verdict = f"{result.kind.value} ({result.category})"
    out.write(
        f"  verdict:     {style.verdict(result.kind, verdict)}, "
        f"confidence {result.confidence:.2f}\n"
    )
    if result.rule:
        out.write(f"  rule:        {result.rule}: {result.explanation}\n")
    if result.step:
        out.write(f"  failed step: {result.step}\n")
    if result.command:
        out.write(f"  command:     {result.command}\n")
    out.write(f"  fingerprint: {result.fingerprint}\n")
    if explain:
        _explain(result, out, style)
    if result.excerpt:
        width = len(str(result.excerpt_lines[-1]))
        out.write("  excerpt:\n")
        for line, text in zip(result.excerpt_lines, result.excerpt, strict=True):
            out.write(f"    {style.dim(f'{line:>{width}} |')} {text}\n")
    out.write("\n")


def _explain(result: Result, out: TextIO, style: Style) -> None:
    if not result.matched:
        out.write("  matched:     no rule matched\n")
        return
    out.write("  matched (best first; score = weight × position, + repeats):\n")
    width = max(len(m.rule) for m in result.matched)
    for match in result.matched:
        lines = ", ".join(str(n) for n in match.lines[:8])
        more = f" … ({match.hits} hits)" if match.hits > len(match.lines[:8]) else ""
        decided = " ← decided" if match.rule == result.rule else ""
        out.write(
            f"    {match.score:5.2f}  {match.rule:<{width}}  "
            f"{match.kind.value} ({match.category}), line {lines}{more}"
            f"{style.bold(decided)}\n"
        )


def render_json(result: Result, out: TextIO, explain: bool = False) -> None:
    out.write(json.dumps(result.to_json(explain), ensure_ascii=False) + "\n")


class ProgressLine:
    """One line on stderr, rewritten as a big input is scanned, then erased."""

    def __init__(self, out: TextIO, name: str, total: int | None) -> None:
        self.out = out
        name = printable(name)
        self.name = name if len(name) <= 40 else "…" + name[-39:]
        self.total = total
        self.shown = False
        self._last = 0.0

    def __call__(self, done: int) -> None:
        if self.total is None and done < PROGRESS_MIN_BYTES:
            return  # a pipe of unknown length: only once it proves big
        now = time.monotonic()
        if now - self._last < _REFRESH_SECONDS:
            return
        self._last = now
        mib = done / 2**20
        if self.total:
            share = min(1.0, done / self.total)
            bar = "#" * int(share * 20)
            text = f"{self.name} [{bar:<20}] {share:4.0%} {mib:.0f}/{self.total / 2**20:.0f} MiB"
        else:
            text = f"{self.name} {mib:.0f} MiB"
        self.out.write(f"\r\x1b[K{text}")
        self.out.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.out.write("\r\x1b[K")
            self.out.flush()
