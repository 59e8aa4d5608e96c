"""Weigh the hits of a scan into one verdict: kind, category, confidence, deciding rule.

Where a hit sits matters as much as what it says. The failing region is the step
that ended with the failing exit line (GitHub Actions), or the lines before the
first failing exit line of another CI, or the end of the log. A hit there counts
three times as much as one elsewhere, and a hit just before the exit line counts
more again, so a test named `test_timeout` early in the log, or a retried download
that then worked, does not outvote the assertion that failed the job. Where several commands failed
(Travis runs them all; GitHub runs `if: always()` steps), a transient verdict holds
only if no later failing command has a persistent error of its own.

The command that failed is evidence too (see `command`): where no specific rule
decides, a well-known command (`npm run lint`, `cargo test`) names the category
with moderate confidence; where a rule agrees with it, confidence rises; it never
overrides a transient rule.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from healer.classifier.baseline import Baseline
from healer.classifier.command import (
    SECTION,
    STEP,
    TRAVIS_EXIT,
    Command,
    classify_command,
    is_trivial,
)
from healer.classifier.rule import CommandRule, Kind, Rule
from healer.classifier.scan import Hit, ScanResult, exit_code, is_inner_exit

TAIL_REGION_LINES = 400
NEAR_EXIT_LINES = 40
IN_REGION_FACTOR = 3.0
NEAR_EXIT_FACTOR = 1.5
ANNOTATION_FACTOR = 1.25
UNKNOWN_BELOW = 0.6
EVIDENCE_KEPT = 12
# A transient-looking line the step shrugged off, away from the failure point.
SHRUGGED_FACTOR = 0.2
_SHRUGGED = re.compile(
    r"^(?:##\[warning\]|W: |Ign:|\S*\s*(?:warn(?:ing)?\b|\[warn(?:ing)?\]))"
    r"|\b(?:ignor(?:ed|ing)|will retry|retrying|retry(?:ing)? in \d|trying again)\b",
    re.IGNORECASE,
)
_SHRUGGED_AFTER = re.compile(
    r"\b(?:(?:have|has) been ignored|ignoring|will retry|retrying)\b", re.IGNORECASE
)
SHRUGGED_AFTER_LINES = 8
# A bare failing exit line says the job failed, not why.
FALLBACK_CONFIDENCE = 0.3
# A well-known failing command says why, with no line to show for it.
COMMAND_CONFIDENCE = 0.6
COMMAND_AGREES_BONUS = 0.1
# Categories that say the same thing, for a command and a rule to agree.
_SAME = {"assertion": "test", "type_error": "compile", "syntax_error": "compile"}


@dataclass(frozen=True)
class Region:
    """The lines that most likely hold the cause: [start, end], 1-based, inclusive."""

    start: int
    end: int
    step: str | None
    anchor: int | None

    def __contains__(self, line: int) -> bool:
        return self.start <= line <= self.end


@dataclass(frozen=True)
class Evidence:
    line: int
    text: str
    rule: str
    score: float


@dataclass(frozen=True)
class RuleScore:
    """A rule that matched the log, for `--explain`: its best position-weighted
    score (with the bonus for repeated hits), its hit count and the lines kept."""

    rule: str
    kind: Kind
    category: str
    score: float
    hits: int
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    category: str
    confidence: float
    rule: Rule | None
    region: Region
    evidence: tuple[Evidence, ...]
    deciding: tuple[Hit, ...]
    command: Command | None = None
    # The command rule that decided or confirmed the verdict, if any.
    command_rule: CommandRule | None = None
    # Every rule that matched, best first (what `healer classify --explain` shows).
    matched: tuple[RuleScore, ...] = ()


def failing_region(scan: ScanResult) -> Region:
    failing_exits = [h for h in scan.exits if exit_code(h.text) != 0]
    # A step's own exit line, where there is one: a tool inside the step may fail and
    # the step go on (a hook runner, a build that keeps going), and print more.
    outer = [h for h in failing_exits if not is_inner_exit(h.text)]
    failing_exits = outer or failing_exits
    anchor_hit = failing_exits[0] if failing_exits else (scan.errors[0] if scan.errors else None)
    if anchor_hit is None:
        return Region(max(1, scan.lines - TAIL_REGION_LINES), max(scan.lines, 1), None, None)
    anchor = anchor_hit.line
    step = None
    start = max(1, anchor - TAIL_REGION_LINES)
    for candidate in scan.steps:
        if candidate.line <= anchor:
            step = candidate
    if step is not None:
        start = step.line
    return Region(start, anchor, step.name if step else None, anchor)


def shrugged_off(hit: Hit) -> bool:
    """A hit the tool itself marks as not fatal: a warning, something ignored, a retry,
    on its own line or in the few lines that follow it (apt's `W: … They have been
    ignored` after the failed fetches)."""
    if _SHRUGGED.search(hit.text):
        return True
    following = [text for line, text in hit.context_lines() if line > hit.line]
    return any(_SHRUGGED_AFTER.search(text) for text in following[:SHRUGGED_AFTER_LINES])


def _near_exit(hit: Hit, region: Region) -> bool:
    """Within a few lines before the failure point: the failing exit line, else (a log
    cut short, a pasted excerpt) the end of the log."""
    return 0 <= region.end - hit.line <= NEAR_EXIT_LINES


def _position_factor(hit: Hit, region: Region, rule: Rule) -> float:
    factor = 1.0
    if hit.line in region:
        factor *= IN_REGION_FACTOR
        if _near_exit(hit, region):
            factor *= NEAR_EXIT_FACTOR
    if rule.kind is Kind.TRANSIENT and not _near_exit(hit, region) and shrugged_off(hit):
        # The step went on after it: a retry that may have worked, a warning, an
        # index that was ignored. Evidence only when nothing else speaks.
        factor *= SHRUGGED_FACTOR
    if hit.text.startswith("##[error]"):
        factor *= ANNOTATION_FACTOR
    return factor


def failing_command(scan: ScanResult, region: Region) -> Command | None:
    """The last command that says something, printed at or before the failure point."""
    for command in reversed(scan.commands):
        if command.line <= region.end and not is_trivial(command):
            return command
    return None


def decide(
    scan: ScanResult,
    rules: Sequence[Rule],
    commands: Sequence[CommandRule] = (),
    baseline: Baseline | None = None,
) -> Verdict:
    """The verdict; with a `baseline` (the last green run's log), hits on lines it
    printed too are not evidence."""
    region = failing_region(scan)
    if baseline:
        scan = dataclasses.replace(scan, hits=[h for h in scan.hits if not baseline.seen(h.text)])
    first = verdict = _decide_by_rules(scan, rules, region)
    if verdict.kind is Kind.TRANSIENT:
        verdict = _later_persistent_failure(scan, rules, region) or verdict
        region = verdict.region
    command = failing_command(scan, region)
    if command is not None:
        command, command_rule = _known_command(scan, region, command, commands)
        verdict = _with_command(verdict, command, command_rule, _command_start(scan, command))
    # What `--explain` lists: the rules the whole log matched, as first scored.
    return dataclasses.replace(verdict, matched=first.matched)


def _known_command(
    scan: ScanResult, region: Region, command: Command, commands: Sequence[CommandRule]
) -> tuple[Command, CommandRule | None]:
    """The failing command and its rule. A command traced inside a step (`set -x`)
    that no rule knows gives way to the step's own command when that one is known:
    the step ran it, so the step's category holds for it too."""
    rule = classify_command(command.text, commands)
    if rule is not None or command.origin in (STEP, SECTION):
        return command, rule
    for outer in reversed(scan.commands):  # in line order: from the command backwards
        if outer.line >= command.line:
            continue
        if outer.line < region.start:
            break
        if outer.origin in (STEP, SECTION):
            outer_rule = classify_command(outer.text, commands)
            return (outer, outer_rule) if outer_rule is not None else (command, None)
    return command, None


def _command_start(scan: ScanResult, command: Command) -> int | None:
    """The line where the failing command was printed as it started (Travis names it
    again in its exit line, which is where `failing_command` may have found it)."""
    if command.origin != TRAVIS_EXIT:
        return command.line
    started = [
        c.line
        for c in scan.commands
        if c.line < command.line and c.origin != TRAVIS_EXIT and c.text == command.text
    ]
    return max(started, default=None)


def _with_command(
    verdict: Verdict, command: Command, rule: CommandRule | None, started: int | None
) -> Verdict:
    if rule is None or verdict.kind is Kind.TRANSIENT:
        return dataclasses.replace(verdict, command=command)
    if (
        verdict.rule is None
        or verdict.rule.fallback
        or _outside_failure(verdict)
        or _before_command(verdict, started)
    ):
        return dataclasses.replace(
            verdict,
            kind=Kind.PERSISTENT,
            category=rule.category,
            confidence=COMMAND_CONFIDENCE,
            rule=None,
            evidence=(Evidence(command.line, command.shown, rule.id, COMMAND_CONFIDENCE),),
            deciding=(),
            command=command,
            command_rule=rule,
        )
    if _SAME.get(verdict.category, verdict.category) == _SAME.get(rule.category, rule.category):
        confidence = min(0.99, round(verdict.confidence + COMMAND_AGREES_BONUS, 2))
        return dataclasses.replace(
            verdict, confidence=confidence, command=command, command_rule=rule
        )
    return dataclasses.replace(verdict, command=command)


def _later_persistent_failure(
    scan: ScanResult, rules: Sequence[Rule], region: Region
) -> Verdict | None:
    """A persistent error that failed a later command, if any.

    Travis runs every script command even after one failed, and a GitHub step with
    `if: always()` runs after a failed one. A rerun passes only if every failure was
    a blip: a later section that failed on a specific persistent error keeps the job
    red, so it decides."""
    start = region.end + 1
    for exit_hit in scan.exits:
        if exit_hit.line < start or not exit_code(exit_hit.text):
            continue
        section = Region(start, exit_hit.line, None, exit_hit.line)
        hits = [h for h in scan.hits if h.line in section]
        counts: dict[int, int] = {}
        for hit in hits:
            counts[hit.rule] = counts.get(hit.rule, 0) + 1
        verdict = _decide_by_rules(
            dataclasses.replace(scan, hits=hits, hit_counts=counts), rules, section
        )
        if (
            verdict.kind is Kind.PERSISTENT
            and verdict.rule is not None
            and not verdict.rule.fallback
        ):
            return verdict
        start = exit_hit.line + 1
    return None


def _outside_failure(verdict: Verdict) -> bool:
    """Every line that decided the verdict lies in an earlier step than the failing
    one (GitHub Actions marks each step's start). Those steps passed, so the lines did
    not fail the job, and the failing step's command says more about what broke."""
    region = verdict.region
    return region.step is not None and not any(h.line in region for h in verdict.deciding)


def _before_command(verdict: Verdict, started: int | None) -> bool:
    """Every line that decided the verdict was printed before the failing command
    started: by earlier commands, which passed, like an earlier GitHub step."""
    return (
        started is not None
        and bool(verdict.deciding)
        and all(h.line < started for h in verdict.deciding)
    )


def _scores(
    scan: ScanResult, rules: Sequence[Rule], region: Region
) -> tuple[list[tuple[float, Hit]], dict[int, float]]:
    """Each kept hit's score, and each matching rule's: its best hit's, plus a bonus
    for repeated hits."""
    scored: list[tuple[float, Hit]] = []
    for hit in scan.hits:
        rule = rules[hit.rule]
        scored.append((rule.weight * _position_factor(hit, region, rule), hit))

    rule_scores: dict[int, float] = {}
    for score, hit in scored:
        rule_scores[hit.rule] = max(rule_scores.get(hit.rule, 0.0), score)
    for index, count in scan.hit_counts.items():
        if index in rule_scores and count > 1:
            rule_scores[index] += min(0.5, 0.1 * math.log2(count))
    return scored, rule_scores


def _matched(
    scan: ScanResult,
    rules: Sequence[Rule],
    scored: list[tuple[float, Hit]],
    rule_scores: dict[int, float],
) -> tuple[RuleScore, ...]:
    """Every matching rule with its score, best first."""
    lines: dict[int, set[int]] = {}
    for _, hit in scored:
        lines.setdefault(hit.rule, set()).add(hit.line)
    found = [
        RuleScore(
            rules[index].id,
            rules[index].kind,
            rules[index].category,
            round(score, 3),
            scan.hit_counts.get(index, len(lines[index])),
            tuple(sorted(lines[index])),
        )
        for index, score in rule_scores.items()
    ]
    return tuple(sorted(found, key=lambda r: (-r.score, r.rule)))


def _decide_by_rules(scan: ScanResult, rules: Sequence[Rule], region: Region) -> Verdict:
    scored, rule_scores = _scores(scan, rules, region)
    matched = _matched(scan, rules, scored, rule_scores)

    # Fallback rules (a bare failing exit line) only speak when their kind has
    # nothing specific to say.
    specific_kinds = {rules[i].kind for i in rule_scores if not rules[i].fallback}
    for index in [i for i in rule_scores if rules[i].fallback and rules[i].kind in specific_kinds]:
        del rule_scores[index]

    best_by_kind: dict[Kind, tuple[float, int]] = {}
    # In pack order, with a strict `>`: a tie goes to the rule listed first.
    for index, score in sorted(rule_scores.items()):
        kind = rules[index].kind
        current = best_by_kind.get(kind)
        if current is None or score > current[0]:
            best_by_kind[kind] = (score, index)

    persistent = best_by_kind.get(Kind.PERSISTENT, (0.0, -1))
    transient = best_by_kind.get(Kind.TRANSIENT, (0.0, -1))
    # A persistent signal wins ties: when in doubt, a person should look.
    if transient[0] > persistent[0]:
        winner, runner_up = transient, persistent
    else:
        winner, runner_up = persistent, transient
    top, index = winner
    if index < 0 or top < UNKNOWN_BELOW:
        return Verdict(Kind.UNKNOWN, "unknown", 0.0, None, region, (), (), matched=matched)

    rule = rules[index]
    confidence = top / (top + runner_up[0]) * (1.0 - math.exp(-top / 2.0))
    if rule.fallback:
        confidence = min(confidence, FALLBACK_CONFIDENCE)
    kind_hits = sorted(
        ((s, h) for s, h in scored if rules[h.rule].kind == rule.kind),
        key=lambda sh: (-sh[0], sh[1].line),
    )
    evidence = tuple(
        Evidence(h.line, h.text, rules[h.rule].id, round(s, 3))
        for s, h in kind_hits[:EVIDENCE_KEPT]
    )
    deciding = tuple(
        sorted(
            (h for s, h in scored if h.rule == index), key=lambda h: (h.line not in region, h.line)
        )
    )
    return Verdict(
        kind=rule.kind,
        category=rule.category,
        confidence=round(min(confidence, 0.99), 2),
        rule=rule,
        region=region,
        evidence=evidence,
        deciding=deciding,
        matched=matched,
    )
