"""A trends report as Markdown (the issue and the job summary), JSON or CSV.

Names of workflows and jobs come from workflow files: shown with `inline`, they ping
nobody and render no HTML. Every number of a table links to where it comes from.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from healer.github.markdown import inline
from healer.trends.aggregate import TOP_JOBS, Headline, Trends

SCHEMA_VERSION = 1
REPORT_MARKER = "<!-- self-healing:ci-health -->"


def percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def change(now: float, before: float, points: bool = False) -> str:
    """The change against the window before: a difference, or in percentage points."""
    delta = now - before
    if abs(delta) < 1e-9:
        return "±0"
    return f"{delta * 100:+.1f} pt" if points else f"{delta:+g}"


FLAKY_ROWS = 20


# Where each headline figure comes from: the run list, or a section further down.
FLAKY_HEADING = "### Flaky jobs (failed, then passed on a re-run of the same commit)"
RESCUED_HEADING = "### Runs rescued by a re-run"
CATEGORY_HEADING = "### Failed jobs by category"


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    text = heading.lstrip("#").strip().lower()
    return "#" + re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _headline_rows(now: Headline, before: Headline, actions: str, closed: str) -> list[str]:
    hours = (
        f"[{now.median_hours_to_close:g} h]({closed})"
        if now.median_hours_to_close is not None
        else "–"
    )
    return [
        "| figure | this window | change |",
        "|---|---|---|",
        f"| runs | [{now.runs}]({actions}) | {change(now.runs, before.runs)} |",
        f"| failure rate | {percent(now.failure_rate)} "
        f"([{now.failed_runs} runs]({actions}?query=is%3Afailure)) | "
        f"{change(now.failure_rate, before.failure_rate, True)} |",
        f"| transient share of failed jobs | [{percent(now.transient_share)}]"
        f"({_anchor(CATEGORY_HEADING)}) ({now.transient_jobs} of {now.classified_jobs} "
        f"classified) | {change(now.transient_share, before.transient_share, True)} |",
        f"| runs rescued by a re-run | [{now.rescued_runs}]({_anchor(RESCUED_HEADING)}) | "
        f"{change(now.rescued_runs, before.rescued_runs)} |",
        f"| flaky jobs | [{now.flaky_jobs}]({_anchor(FLAKY_HEADING)}) | "
        f"{change(now.flaky_jobs, before.flaky_jobs)} |",
        f"| median time to close a failure issue | {hours} | |",
    ]


def _quoted(text: str) -> str:
    """A label inside a Mermaid string: no quotes or brackets that would end it."""
    return "".join(ch for ch in text if ch not in '"[]{}<>`\\\n\r;')[:40] or "?"


def _charts(report: Trends) -> list[str]:
    labels = ", ".join(f'"{week[5:]}"' for week in report.weeks)
    top = max([1, *(max(v, default=0) for v in report.failures_by_week.values())])
    lines = [
        "```mermaid",
        "xychart-beta",
        '    title "Failed runs per week"',
        f"    x-axis [{labels}]",
        f'    y-axis "failed runs" 0 --> {top}',
    ]
    # One bar series per workflow, drawn in the order the text below the charts lists.
    for counts in report.failures_by_week.values():
        lines.append(f"    bar [{', '.join(str(c) for c in counts)}]")
    lines += [
        "```",
        "",
        "```mermaid",
        "xychart-beta",
        '    title "Failure rate per week (%)"',
        f"    x-axis [{labels}]",
        '    y-axis "failure rate" 0 --> 100',
        f"    line [{', '.join(f'{r * 100:.1f}' for r in report.failure_rate_by_week)}]",
        "```",
    ]
    if report.categories:
        lines += ["", "```mermaid", 'pie title "Failed jobs by category"']
        lines += [f'    "{_quoted(name)}" : {count}' for name, count in report.categories.items()]
        lines.append("```")
    return lines


def markdown(
    report: Trends, server_url: str = "https://github.com", label: str = "ci-failure"
) -> str:
    actions = f"{server_url}/{report.repository}/actions"
    lines = [
        REPORT_MARKER,
        f"## CI health: the last {report.days} days",
        "",
        f"[Runs]({actions}) from {report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}, "
        f"compared with the {report.days} days before.",
    ]
    if report.partial:
        lines += [
            "",
            "> **Partial report:** the request budget ended before "
            + "; ".join(inline(s) for s in report.skipped)
            + " could be read.",
        ]
    closed = f"{server_url}/{report.repository}/issues?q=" + quote(
        f"is:issue is:closed label:{label}"
    )
    lines += [
        "",
        *_headline_rows(report.current, report.previous, actions, closed),
        "",
        *_charts(report),
    ]
    if report.failures_by_week:
        lines += [
            "",
            "Series of the first chart, in order: "
            + ", ".join(inline(w) for w in report.failures_by_week)
            + ".",
        ]
    lines += ["", "### Jobs that fail most", ""]
    if report.jobs:
        lines += [
            "| workflow | job | failures | rate | transient | open issue |",
            "|---|---|---|---|---|---|",
        ]
        for row in report.jobs[:TOP_JOBS]:
            issue = f"[#{row.open_issue}]({row.open_issue_url})" if row.open_issue else "–"
            lines.append(
                f"| {inline(row.workflow)} | {inline(row.job)} | "
                f"[{row.failures}]({row.last_failure_url}) | {percent(row.rate)} of "
                f"{row.runs} runs | {percent(row.transient_share)} | {issue} |"
            )
    else:
        lines.append("No job failed in this window.")
    lines += ["", RESCUED_HEADING, ""]
    if report.rescued:
        lines += ["| run | workflow | attempts |", "|---|---|---|"]
        lines += [
            f"| [#{r.number}]({r.url}) | {inline(r.workflow)} | {r.attempt} |"
            for r in report.rescued
        ]
    else:
        lines.append("None in this window.")
    lines += ["", FLAKY_HEADING, ""]
    if report.flaky:
        lines += ["| workflow | job | flaky passes |", "|---|---|---|"]
        lines += [
            f"| {inline(r.workflow)} | {inline(r.job)} | [{r.flaky_passes}]({r.last_run_url}) |"
            for r in report.flaky[:FLAKY_ROWS]
        ]
        if len(report.flaky) > FLAKY_ROWS:
            lines.append(f"… and {len(report.flaky) - FLAKY_ROWS} more (see the JSON report).")
    else:
        lines.append("None in this window.")
    if report.categories:
        lines += ["", CATEGORY_HEADING, "", "| category | jobs |", "|---|---|"]
        lines += [f"| {inline(name)} | {count} |" for name, count in report.categories.items()]
    lines += ["", "### Oldest open failure issues", ""]
    if report.oldest_open:
        lines += ["| issue | workflow | job | open since |", "|---|---|---|---|"]
        lines += [
            f"| [#{i.number}]({i.url}) | {inline(i.workflow)} | {inline(i.job)} | "
            f"{i.created:%Y-%m-%d} |"
            for i in report.oldest_open
        ]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def as_json(report: Trends) -> str:
    """The report as JSON; `schema` counts its versions (see docs/trends.md)."""
    data = {"schema": SCHEMA_VERSION, **_plain(dataclasses.asdict(report))}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


CSV_FIELDS = [
    "workflow",
    "job",
    "failures",
    "runs",
    "rate",
    "transient",
    "transient_share",
    "open_issue",
    "last_failure_url",
]


def as_csv(report: Trends) -> str:
    """One row per job that failed in the window, most failures first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in report.jobs:
        values = dataclasses.asdict(row)
        writer.writerow({name: _cell(values[name]) for name in CSV_FIELDS})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A value a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
