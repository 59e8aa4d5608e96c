"""What the action reports: the outputs and the job summary, from the per-job results."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from healer.classifier.classify import Result
from healer.classifier.rule import Kind
from healer.github.markdown import code, fenced, inline
from healer.github.model import FailedJob, Outcome, Recovered

SEVERITY = {Kind.PERSISTENT: 2, Kind.TRANSIENT: 1, Kind.UNKNOWN: 0}


@dataclass(frozen=True)
class JobReport:
    job: FailedJob
    result: Result
    outcome: Outcome

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job.name,
            "job_url": self.job.html_url,
            "kind": self.result.kind.value,
            "category": self.result.category,
            "confidence": self.result.confidence,
            "rule": self.result.rule,
            "fingerprint": self.result.fingerprint,
            "step": self.job.failed_step or self.result.step,
            "command": self.result.command,
            "action": self.outcome.action,
            "issue_number": self.outcome.number,
            "issue_url": self.outcome.url,
        }


ACTION_SHOWN = {
    "retried": "re-run",
    "dry-run": "dry run",
    "capped": "over the cap",
    "pull-request": "on the pull request",
}


RECOVERED_SHOWN = {
    "closed": "passed: issue closed",
    "flaky": "passed on a re-run of the same commit: labelled flaky",
    "green": "passed: counted towards closing",
}


def summary(
    reports: list[JobReport], notes: Sequence[str] = (), recovered: Sequence[Recovered] = ()
) -> str:
    lines = ["## self-healing", ""]
    if recovered:
        lines += ["| job | what happened | issue |", "|---|---|---|"]
        for item in recovered:
            lines.append(
                f"| {inline(item.job)} | {RECOVERED_SHOWN.get(item.action, item.action)} "
                f"| [#{item.number}]({item.url}) |"
            )
        if not reports:
            return "\n".join(lines) + "\n"
        lines.append("")
    lines += [
        "| job | verdict | category | confidence | issue |",
        "|---|---|---|---|---|",
    ]
    for report in reports:
        issue = (
            f"[#{report.outcome.number}]({report.outcome.url})"
            if report.outcome.url
            else ACTION_SHOWN.get(report.outcome.action, report.outcome.action)
        )
        lines.append(
            f"| [{inline(report.job.name)}]({report.job.html_url}) | {report.result.kind.value} | "
            f"{report.result.category} | {report.result.confidence:.2f} | {issue} |"
        )
    for note in notes:
        lines += ["", f"> {inline(note)}"]
    for report in reports:
        lines += _excerpt_details(report)
    return "\n".join(lines) + "\n"


def outputs(reports: list[JobReport], recovered: Sequence[Recovered] = ()) -> dict[str, str]:
    if not reports:
        first = recovered[0] if recovered else None
        entries = [
            {"job": r.job, "action": r.action, "issue_number": r.number, "issue_url": r.url}
            for r in recovered
        ]
        return {
            "classification": "unknown",
            "category": "unknown",
            "confidence": "0",
            "fingerprint": "",
            "issue-number": str(first.number) if first else "",
            "issue-url": first.url if first else "",
            "action": first.action if first else "skipped",
            "report": json.dumps(entries),
        }
    worst = max(reports, key=lambda r: (SEVERITY[r.result.kind], r.result.confidence))
    return {
        "classification": worst.result.kind.value,
        "category": worst.result.category,
        "confidence": f"{worst.result.confidence:.2f}",
        "fingerprint": worst.result.fingerprint,
        "issue-number": str(worst.outcome.number or ""),
        "issue-url": worst.outcome.url or "",
        "action": worst.outcome.action,
        "report": json.dumps([r.to_json() for r in reports]),
    }


def capped_comment(capped: Sequence[JobReport]) -> str:
    """The failures beyond the run's cap on new issues, for a comment."""
    lines = [
        "More failures in this run need a look; no issue was opened for them (max-issues-per-run):",
        "",
    ]
    for item in capped:
        lines.append(
            f"- [{inline(item.job.name)}]({item.job.html_url}): {item.result.kind.value}, "
            f"category `{item.result.category}`"
            + (f", failing command {code(item.result.command)}" if item.result.command else "")
        )
    return "\n".join(lines)


def pull_request_comment(reports: Sequence[JobReport], run_url: str, now: str) -> str:
    """The pull request's sticky comment: the failures of its latest analysed run."""
    lines = [
        f"**self-healing**: these jobs failed in [this run]({run_url}) and need a change "
        f"before merging ({now}). Issues are opened only for the default branch.",
        "",
        "| job | verdict | category | confidence |",
        "|---|---|---|---|",
    ]
    for item in reports:
        lines.append(
            f"| [{inline(item.job.name)}]({item.job.html_url}) | {item.result.kind.value} | "
            f"{item.result.category} | {item.result.confidence:.2f} |"
        )
    for item in reports:
        lines += _excerpt_details(item)
    return "\n".join(lines)


def pull_request_passed(run_url: str, now: str) -> str:
    return f"**self-healing**: every job passed in [the latest run]({run_url}) ({now})."


def _excerpt_details(report: JobReport) -> list[str]:
    if not (report.result.excerpt or report.result.command):
        return []
    command = report.result.command
    return [
        "",
        f"<details><summary>Excerpt: {inline(report.job.name)}</summary>",
        "",
        *([f"Failing command: {code(command)}", ""] if command else []),
        *([fenced(report.result.excerpt), ""] if report.result.excerpt else []),
        "</details>",
    ]
