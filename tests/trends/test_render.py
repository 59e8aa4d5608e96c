"""The trends report as people read it: hostile names stay inert, every format agrees."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from healer.github.records import IssueRecord, JobRecord, RunRecord
from healer.trends.aggregate import trends
from healer.trends.render import as_csv, as_json, markdown

UNTIL = datetime(2026, 11, 29, tzinfo=UTC)
HOSTILE = "@octocat #1 `rm` <img src=x> [x](y) =cmd()"


def _history() -> tuple[list[RunRecord], list[JobRecord], list[IssueRecord]]:
    runs, jobs = [], []
    for n in range(1, 6):
        created = UNTIL - timedelta(days=n)
        runs.append(
            RunRecord(
                n,
                n,
                HOSTILE,
                "main",
                f"{n:040x}",
                1,
                "failure",
                created,
                f"https://example.test/r/{n}",
            )
        )
        jobs.append(
            JobRecord(
                100 + n,
                n,
                HOSTILE,
                1,
                "failure",
                f"https://example.test/j/{n}",
                "persistent",
                'te"st]',
            )
        )
    issues = [
        IssueRecord(
            7, "https://example.test/i/7", HOSTILE, HOSTILE, UNTIL - timedelta(days=3), None
        )
    ]
    return runs, jobs, issues


def test_hostile_names_ping_nobody_and_break_no_table_or_chart() -> None:
    report = trends("octo/shop", *_history(), until=UNTIL, days=30)
    text = markdown(report)
    assert "@octocat" not in text  # the name is shown with a joiner after @
    assert re.search(r"(?<!\\)<img", text) is None  # escaped, never raw HTML
    assert re.search(r"(?<!\\)#1 ", text) is None
    table = [line for line in text.splitlines() if line.startswith("| ") and "rm" in line]
    assert table
    for line in table:
        assert "\\`rm\\`" in line
    pie = text.split("pie title", 1)[1].split("```", 1)[0]
    assert '"test" : 5' in pie  # quotes and brackets of the category are left out


def test_json_and_csv_carry_the_same_jobs_and_csv_cells_never_run_as_formulas() -> None:
    report = trends("octo/shop", *_history(), until=UNTIL, days=30)
    data = json.loads(as_json(report))
    rows = list(csv.DictReader(io.StringIO(as_csv(report))))
    assert [r["job"] for r in data["jobs"]] == [HOSTILE]
    assert rows[0]["failures"] == "5"
    assert not rows[0]["workflow"].startswith("@")
    assert rows[0]["workflow"] == "'" + HOSTILE
