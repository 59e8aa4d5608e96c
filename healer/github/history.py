"""A tracking issue's history: what happened to its job, kept in the issue body.

The body carries the history twice: as visible Markdown (counts, an occurrences
table, a Mermaid chart of failures per day) and as a compact JSON block in a hidden
comment, the state the next event starts from. Anyone with write access can edit an
issue, so the block is validated on every read; a damaged or foreign one is ignored
and the history starts again from what the body still shows.

Pure functions: parsing, updating and rendering. The GitHub side reads and writes.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from healer.github.markdown import code

ROWS_KEPT = 30  # occurrences shown in the table, newest first
DAYS_SHOWN = 30  # days in the chart
STATE_LIMIT = 20_000  # characters of a state block worth parsing
START = "### History"
_STATE = re.compile(r"<!-- self-healing:history (\{.*?\}) -->", re.DOTALL)
_SECTION = re.compile(
    r"### History\n<!-- self-healing:history \{.*?\} -->.*?<!-- self-healing:history-end -->",
    re.DOTALL,
)
END = "<!-- self-healing:history-end -->"


class Occurrence(BaseModel):
    """One failure of the job: where and when, and the verdict."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    run_id: int = Field(gt=0)
    number: int = Field(ge=0)  # the run number, for ordering
    attempt: int = Field(ge=1)
    sha: str = Field(default="", pattern=r"^(?:[0-9a-f]{7,40})?$")
    branch: str = Field(default="", max_length=255)  # shown as code: any text is inert
    # Our own words only (the block can be edited by anyone with write access, and
    # what it says is rendered): `kind (category)`, `YYYY-MM-DD HH:MM UTC`.
    verdict: str = Field(default="", pattern=r"^(?:[a-z]+ \([a-z0-9_-]{1,40}\))?$")
    when: str = Field(default="", pattern=r"^(?:\d{4}-\d\d-\d\d \d\d:\d\d UTC)?$")


Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d\d-\d\d$")]
Count = Annotated[int, Field(ge=0)]


class History(BaseModel):
    model_config = ConfigDict(extra="ignore")

    v: int = 1
    reruns: int = Field(default=0, ge=0)
    flaky: int = Field(default=0, ge=0)
    closes: int = Field(default=0, ge=0)
    reopens: int = Field(default=0, ge=0)
    greens: int = Field(default=0, ge=0)  # on the default branch since the last failure
    last_failure: tuple[int, int] | None = None  # (run number, attempt) of the newest
    days: dict[Day, Count] = Field(default_factory=dict, max_length=DAYS_SHOWN * 2)
    rows: list[Occurrence] = Field(default_factory=list, max_length=ROWS_KEPT)

    def to_block(self) -> str:
        # `>` never appears raw, so no value can end the hidden comment early.
        text = json.dumps(self.model_dump(mode="json"), separators=(",", ":"), sort_keys=True)
        safe = text.replace(">", "\\u003e")
        return f"<!-- self-healing:history {safe} -->"


def read_history(body: str | None) -> tuple[History, bool]:
    """The history a body carries, and whether it was sound. A missing block is a new
    history; a damaged one (bad JSON, wrong types, too big) is one too, reported."""
    match = _STATE.search(body or "")
    if match is None:
        return History(), True
    text = match.group(1)
    if len(text) > STATE_LIMIT:
        return History(), False
    try:
        history = History.model_validate_json(text)
    except ValidationError:
        return History(), False
    if history.v != 1:
        return History(), False
    return history, True


def newer(run: tuple[int, int], than: tuple[int, int] | None) -> bool:
    """Whether a run (number, attempt) came after another, by number then attempt."""
    return than is None or run > than


def with_failure(history: History, occurrence: Occurrence, day: date) -> History:
    """The history after one more failure: a row, a count on its day, greens reset."""
    days = dict(history.days)
    days[day.isoformat()] = days.get(day.isoformat(), 0) + 1
    cutoff = (day - timedelta(days=DAYS_SHOWN - 1)).isoformat()
    run = (occurrence.number, occurrence.attempt)
    return history.model_copy(
        update={
            "days": {d: n for d, n in days.items() if d >= cutoff},
            "rows": [occurrence, *history.rows][:ROWS_KEPT],
            "greens": 0,
            "last_failure": run if newer(run, history.last_failure) else history.last_failure,
        }
    )


def render_section(
    history: History, failures: int, server_url: str, repository: str, today: date
) -> str:
    """The visible history, with its state block, as it goes into the body."""
    lines = [
        START,
        history.to_block(),
        "",
        f"- **Failures:** {failures} · **Re-runs:** {history.reruns} · **Flaky passes:** "
        f"{history.flaky} · **Closed:** {history.closes} · **Reopened:** {history.reopens}",
    ]
    if history.greens:
        lines.append(
            f"- **Green runs on the default branch since the last failure:** {history.greens}"
        )
    if history.rows:
        lines += [
            "",
            "| run | attempt | commit | branch | verdict | date |",
            "|---|---|---|---|---|---|",
        ]
        base = f"{server_url}/{repository}"
        for row in history.rows:
            commit = f"[`{row.sha[:7]}`]({base}/commit/{row.sha})" if row.sha else "–"
            branch = code(row.branch).replace("|", "\\|") if row.branch else "–"
            lines.append(
                f"| [#{row.number}]({base}/actions/runs/{row.run_id}) | {row.attempt} | {commit} "
                f"| {branch} | {row.verdict or '–'} | {row.when or '–'} |"
            )
    lines += ["", *_chart(history, today), END]
    return "\n".join(lines)


def _chart(history: History, today: date) -> list[str]:
    days = [today - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1)]
    counts = [history.days.get(d.isoformat(), 0) for d in days]
    labels = ", ".join(f'"{d.strftime("%m-%d")}"' for d in days)
    return [
        "```mermaid",
        "xychart-beta",
        f'    title "Failures per day, last {DAYS_SHOWN} days"',
        f"    x-axis [{labels}]",
        f'    y-axis "failures" 0 --> {max(1, *counts)}',
        f"    bar [{', '.join(str(c) for c in counts)}]",
        "```",
    ]


def with_section(body: str, section: str, before: str) -> str:
    """`body` with its history section replaced by `section`; a body without one gets it
    just before the line `before` (or at the end)."""
    if _SECTION.search(body):
        return _SECTION.sub(lambda _: section, body, count=1)
    at = body.find(before)
    if at < 0:
        return f"{body}\n\n{section}"
    return f"{body[:at]}{section}\n\n{body[at:]}"
