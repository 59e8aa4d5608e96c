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


def test_headline_figures_link_to_their_sources_and_sections() -> None:
    from healer.trends.render import CATEGORY_HEADING, FLAKY_HEADING, RESCUED_HEADING

    runs = [
        RunRecord(
            1,
            11,
            "CI",
            "main",
            "a" * 40,
            2,
            "success",
            UNTIL - timedelta(days=1),
            "https://example.test/r/1",
        ),
        RunRecord(
            2,
            12,
            "CI",
            "main",
            "b" * 40,
            1,
            "failure",
            UNTIL - timedelta(days=2),
            "https://example.test/r/2",
        ),
    ]
    jobs = [
        JobRecord(10, 1, "test", 1, "failure", "https://example.test/j/10"),
        JobRecord(11, 1, "test", 2, "success", "https://example.test/j/11"),
        JobRecord(12, 2, "test", 1, "failure", "https://example.test/j/12", "transient", "network"),
    ]
    closed = [
        IssueRecord(4, "u", "CI", "test", UNTIL - timedelta(days=5), UNTIL - timedelta(days=4))
    ]
    text = markdown(trends("octo/shop", runs, jobs, closed, UNTIL, 30), label="ci-failure")
    headings = {line for line in text.splitlines() if line.startswith("### ")}
    assert {FLAKY_HEADING, RESCUED_HEADING, CATEGORY_HEADING} <= headings
    assert "| runs | [2](https://github.com/octo/shop/actions) |" in text
    assert "[1](#runs-rescued-by-a-re-run)" in text
    assert "[1](#flaky-jobs-failed-then-passed-on-a-re-run-of-the-same-commit)" in text
    assert (
        "[24 h](https://github.com/octo/shop/issues?q=is%3Aissue%20is%3Aclosed%20label%3Aci-failure)"
        in text
    )
    assert "| [#11](https://example.test/r/1) | CI | 2 |" in text
