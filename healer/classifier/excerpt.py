"""The few lines a person needs to see: the deciding error with some context,
the other evidence lines, never the generic exit line alone."""

from __future__ import annotations

from collections.abc import Iterable

from healer.classifier.baseline import Baseline
from healer.classifier.scan import Hit, ScanResult
from healer.classifier.verdict import Verdict

DEFAULT_MAX_LINES = 40
DECIDING_BEFORE = 3
DECIDING_AFTER = 30
# Other evidence: its heading above it (`Error found:`, `in module …`) and what follows.
OTHER_BEFORE = 4
OTHER_AFTER = 2
FIRST_REPORT_AFTER = 12
LEAD_IN = 10
UNKNOWN_BEFORE = 30
# A weak deciding rule names a wrapper (`make: *** Error 1`): the cause is above it.
WEAK_RULE_WEIGHT = 1.0
WEAK_RULE_BEFORE = 20
# Lines longer than this are shown once; shorter ones (`}`, `end`) belong to their place.
REPEAT_MIN_CHARS = 20


def _window(hit: Hit, before: int, after: int, last: int | None) -> list[tuple[int, str]]:
    """Lines around a hit, not past `last` (the failing exit line), without runner noise."""
    end = hit.line + after if last is None or hit.line > last else min(hit.line + after, last)
    return [
        (line, text)
        for line, text in hit.context_lines()
        if hit.line - before <= line <= end and (line == hit.line or not _is_noise(text))
    ]


def _novel(
    window: list[tuple[int, str]], keep: int, baseline: Baseline | None
) -> list[tuple[int, str]]:
    """The lines of `window` the green run did not print, and line `keep` whatever it says."""
    if not baseline:
        return window
    return [(line, text) for line, text in window if line == keep or not baseline.seen(text)]


_NOISE_PREFIXES = ("##[group]", "##[endgroup]", "##[debug]", "Post job cleanup.", "shell: ")


def _is_noise(text: str) -> bool:
    return text.startswith(_NOISE_PREFIXES) or _is_generic(text)


def _is_generic(text: str) -> bool:
    return "Process completed with exit code" in text


def build_excerpt(
    verdict: Verdict,
    scan: ScanResult,
    max_lines: int = DEFAULT_MAX_LINES,
    baseline: Baseline | None = None,
) -> list[tuple[int, str]]:
    """(line number, clean text) pairs, in log order, at most `max_lines`; with a
    `baseline`, where no rule decides, only the lines the green run did not print."""
    chosen: dict[int, str] = {}
    shown: set[str] = set()
    anchor = verdict.region.anchor

    def take(lines: Iterable[tuple[int, str]]) -> None:
        for line, text in lines:
            if len(chosen) >= max_lines:
                return
            if not text.strip() or line in chosen:
                continue
            # A line that says again what is already shown (a retry printing the
            # same errors) would only take the place of a line that says more.
            if len(text.strip()) > REPEAT_MIN_CHARS and text in shown:
                continue
            chosen[line] = text
            shown.add(text)

    if verdict.deciding:
        weak = verdict.rule is not None and verdict.rule.weight <= WEAK_RULE_WEIGHT
        before = WEAK_RULE_BEFORE if weak else DECIDING_BEFORE
        window = _window(verdict.deciding[0], before, DECIDING_AFTER, anchor)
        if verdict.rule is not None and verdict.rule.fallback:
            # A bare exit line decided: show what this run printed and the green one did not.
            window = _novel(window, verdict.deciding[0].line, baseline)
        # The deciding line first, so that even a one-line excerpt shows it.
        take(item for item in window if item[0] == verdict.deciding[0].line)
        # Then the line that ended the failing step (`The command "…" exited with 1`),
        # which names the command, before anything else fills the room.
        take(
            (hit.line, hit.text)
            for hit in scan.exits
            if hit.line == anchor and not _is_generic(hit.text)
        )
        # And the last evidence line of the failing region, the error that ended it.
        last = max(
            (e for e in verdict.evidence if e.line in verdict.region),
            key=lambda e: e.line,
            default=None,
        )
        if last is not None:
            take([(last.line, last.text)])
        take(window)
        # Tools report the failure where it happens and sum it up at the end: show
        # the first strong report of the failing region with its following lines too.
        top = max((e.score for e in verdict.evidence), default=0.0)
        strong = [
            e.line for e in verdict.evidence if e.score >= top / 2 and e.line in verdict.region
        ]
        first_line = min(strong, default=None)
        first = next((h for h in scan.hits if h.line == first_line), None)
        if first is not None and first.line not in chosen:
            take(_window(first, 0, FIRST_REPORT_AFTER, anchor))
        evidence_lines = {e.line for e in verdict.evidence}
        others = [h for h in scan.hits if h.line in evidence_lines and h.line not in chosen]
        for hit in sorted(others, key=lambda h: h.line):
            take(_window(hit, OTHER_BEFORE, OTHER_AFTER, anchor))
        # Room left: what led up to the deciding line (a report's heading, the test's
        # name), nearest first, not before the failing step's start, and not what the
        # green run printed too.
        lead = [
            (line, text)
            for line, text in _window(verdict.deciding[0], LEAD_IN, 0, anchor)
            if line < verdict.deciding[0].line and line > verdict.region.start
        ]
        take(reversed(_novel(lead, 0, baseline)))
    else:
        # Nothing explained the failure: show what led up to the first failing exit line.
        anchor_hit = next((h for h in [*scan.errors, *scan.exits] if h.line == anchor), None)
        if anchor_hit is not None:
            take(_novel(_window(anchor_hit, UNKNOWN_BEFORE, 0, None), anchor_hit.line, baseline))
    # The generic exit line says nothing the verdict does not: never show it.
    lines = sorted((line, text) for line, text in chosen.items() if not _is_generic(text))
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
