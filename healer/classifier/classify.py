"""From a log to a result: scan, decide, excerpt, fingerprint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from healer.classifier.baseline import Baseline
from healer.classifier.excerpt import DEFAULT_MAX_LINES, build_excerpt
from healer.classifier.fingerprint import fingerprint
from healer.classifier.parallel import Progress, scan_file
from healer.classifier.rule import CommandRule, Kind, Rule
from healer.classifier.scan import Scanner, ScanResult
from healer.classifier.verdict import Evidence, RuleScore, decide


@dataclass(frozen=True)
class Result:
    """What the classifier says about one log; `to_json` is the CLI's stable contract."""

    path: str
    kind: Kind
    category: str
    confidence: float
    rule: str | None
    explanation: str | None
    excerpt: list[str]
    excerpt_lines: list[int]
    fingerprint: str
    step: str | None
    evidence: list[Evidence] = field(default_factory=list)
    lines: int = 0
    error: str | None = None
    # The command the failing step ran, as shown to people (first line of its script).
    command: str | None = None
    # The log line where the failing step starts (its `##[group]Run` line), if known.
    step_line: int | None = None
    # Every rule that matched, best first.
    matched: list[RuleScore] = field(default_factory=list)

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "kind": self.kind.value,
            "category": self.category,
            "confidence": self.confidence,
            "rule": self.rule,
            "explanation": self.explanation,
            "excerpt": self.excerpt,
            "excerpt_lines": self.excerpt_lines,
            "fingerprint": self.fingerprint,
            "step": self.step,
            "command": self.command,
            "evidence": [
                {"line": e.line, "text": e.text, "rule": e.rule, "score": e.score}
                for e in self.evidence
            ],
            "lines": self.lines,
        }
        if explain:
            data["matched"] = [
                {
                    "rule": m.rule,
                    "kind": m.kind.value,
                    "category": m.category,
                    "score": m.score,
                    "hits": m.hits,
                    "lines": list(m.lines),
                }
                for m in self.matched
            ]
        if self.error is not None:
            data["error"] = self.error
        return data


class Classifier:
    """Rules compiled once; `classify_*` may be called for any number of logs."""

    def __init__(
        self,
        rules: Sequence[Rule],
        max_excerpt_lines: int = DEFAULT_MAX_LINES,
        engine: str | None = None,
        commands: Sequence[CommandRule] = (),
    ) -> None:
        self.rules = list(rules)
        self.commands = list(commands)
        self.max_excerpt_lines = max_excerpt_lines
        self.scanner = Scanner(self.rules, engine)

    def classify_stream(
        self, stream: BinaryIO, name: str, baseline: Baseline | None = None
    ) -> Result:
        return self._result(self.scanner.scan(stream), name, baseline)

    def classify_path(
        self, path: Path, baseline: Baseline | None = None, progress: Progress | None = None
    ) -> Result:
        """A log file; a large one is scanned on two cores (see `parallel`). With a
        `baseline` (the last green run's log), what it printed too is noise;
        `progress` is told the bytes scanned so far."""
        try:
            scan = scan_file(self.scanner, path, progress)
        except OSError as exc:
            return unreadable(str(path), exc.strerror or str(exc))
        return self._result(scan, str(path), baseline)

    def _result(self, scan: ScanResult, name: str, baseline: Baseline | None) -> Result:
        verdict = decide(scan, self.rules, self.commands, baseline)
        excerpt = build_excerpt(verdict, scan, self.max_excerpt_lines, baseline)
        decided_by: Rule | CommandRule | None = verdict.rule
        if decided_by is None:
            decided_by = verdict.command_rule
        if verdict.rule is not None:
            signature = [h.text for h in verdict.deciding if h.line in verdict.region] or [
                h.text for h in verdict.deciding
            ]
            fp = fingerprint(verdict.rule.id, signature)
        elif verdict.command_rule is not None and verdict.command is not None:
            fp = fingerprint(verdict.command_rule.id, [verdict.command.text])
        else:
            fp = fingerprint("unknown", [text for _, text in excerpt[-3:]])
        return Result(
            path=name,
            kind=verdict.kind,
            category=verdict.category,
            confidence=verdict.confidence,
            rule=decided_by.id if decided_by else None,
            explanation=decided_by.explanation if decided_by else None,
            excerpt=[text for _, text in excerpt],
            excerpt_lines=[line for line, _ in excerpt],
            fingerprint=fp,
            step=verdict.region.step,
            evidence=list(verdict.evidence),
            lines=scan.lines,
            command=verdict.command.shown if verdict.command else None,
            step_line=verdict.region.start if verdict.region.step else None,
            matched=list(verdict.matched),
        )


def unreadable(name: str, reason: str) -> Result:
    return Result(
        path=name,
        kind=Kind.UNKNOWN,
        category="unknown",
        confidence=0.0,
        rule=None,
        explanation=None,
        excerpt=[],
        excerpt_lines=[],
        fingerprint="",
        step=None,
        error=f"cannot read the log: {reason}",
    )
