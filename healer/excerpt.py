"""The few lines a person needs to see: the deciding error with some context,
the other evidence lines, never the generic exit line alone."""

from __future__ import annotations

from collections.abc import Iterable

from healer.scan import Hit, ScanResult
from healer.verdict import Verdict

DEFAULT_MAX_LINES = 40
DECIDING_BEFORE = 3
DECIDING_AFTER = 12
OTHER_AFTER = 2
UNKNOWN_BEFORE = 12


def _window(hit: Hit, before: int, after: int) -> list[tuple[int, str]]:
    return [
        (line, text)
        for line, text in hit.context_lines()
        if hit.line - before <= line <= hit.line + after
    ]


def _is_generic(text: str) -> bool:
    return "Process completed with exit code" in text


def build_excerpt(
    verdict: Verdict, scan: ScanResult, max_lines: int = DEFAULT_MAX_LINES
) -> list[tuple[int, str]]:
    """(line number, clean text) pairs, in log order, at most `max_lines`."""
    chosen: dict[int, str] = {}

    def take(lines: Iterable[tuple[int, str]]) -> None:
        for line, text in lines:
            if len(chosen) >= max_lines:
                return
            if text.strip():
                chosen.setdefault(line, text)

    if verdict.deciding:
        take(_window(verdict.deciding[0], DECIDING_BEFORE, DECIDING_AFTER))
        evidence_lines = {e.line for e in verdict.evidence}
        others = [h for h in scan.hits if h.line in evidence_lines and h.line not in chosen]
        for hit in sorted(others, key=lambda h: h.line):
            take(_window(hit, 0, OTHER_AFTER))
    else:
        # Nothing explained the failure: show what led up to the first failing exit line.
        anchor = next(
            (h for h in [*scan.errors, *scan.exits] if h.line == verdict.region.anchor), None
        )
        if anchor is not None:
            take(_window(anchor, UNKNOWN_BEFORE, 0))
    lines = sorted(chosen.items())
    if lines and all(_is_generic(text) for _, text in lines):
        return []
    return _collapse_repeats(lines)


def _collapse_repeats(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    repeats = 0
    for line, text in lines:
        if out and out[-1][1] == text:
            repeats += 1
            continue
        if repeats:
            out.append((out[-1][0], f"(previous line repeated {repeats} more times)"))
            repeats = 0
        out.append((line, text))
    if repeats:
        out.append((out[-1][0], f"(previous line repeated {repeats} more times)"))
    return out
