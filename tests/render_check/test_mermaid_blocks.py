"""Every Mermaid block the action writes parses with the real Mermaid library, as GitHub
renders it: the history chart of an issue and the charts of the CI health report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from healer.github.records import IssueRecord, JobRecord, RunRecord
from healer.github.render import Marker, RunContext, issue_body
from healer.trends.aggregate import trends
from healer.trends.render import markdown
from tests.classifier.helpers import a_result
from tests.render_check.mermaid import RenderCheckUnavailableError, mermaid_blocks, parse_errors


def _parse(blocks: list[str]) -> list[str]:
    try:
        return parse_errors(blocks)
    except RenderCheckUnavailableError as exc:
        pytest.fail(f"the Mermaid check cannot run: {exc}", pytrace=False)


def _issue_body() -> str:
    context = RunContext(
        repository="octo/shop",
        server_url="https://github.com",
        workflow='Tests "quoted" [x]',
        run_id=1,
        run_attempt=1,
        job_name="test",
        job_url="https://github.com/octo/shop/actions/runs/1/job/2",
        failed_step=None,
        run_number=1,
        head_sha="a" * 40,
        head_branch="main",
    )
    return issue_body(context, a_result(), Marker("Tests", "test", "f"), "", "2026-11-29 10:00 UTC")


def _report() -> str:
    until = datetime(2026, 11, 29, tzinfo=UTC)
    runs, jobs = [], []
    for n in range(1, 40):
        workflow = ('CI "main"', "Nightly [e2e]", "Docs; x")[n % 3]
        created = until - timedelta(days=n)
        runs.append(
            RunRecord(
                n,
                n,
                workflow,
                "main",
                f"{n:040x}",
                1,
                "failure" if n % 2 else "success",
                created,
                "u",
            )
        )
        jobs.append(
            JobRecord(
                100 + n, n, "job", 1, "failure" if n % 2 else "success", "u", "persistent", 'te"st'
            )
        )
    issues = [IssueRecord(1, "u", "CI", "job", until - timedelta(days=3), None)]
    return markdown(trends("octo/shop", runs, jobs, issues, until, 30))


def test_every_mermaid_block_the_action_writes_parses() -> None:
    blocks = mermaid_blocks(_issue_body()) + mermaid_blocks(_report())
    assert len(blocks) == 4  # the history chart; failures per week, rate per week, categories
    assert _parse(blocks) == ["ok"] * len(blocks)


def test_the_check_catches_a_broken_block() -> None:
    (found,) = _parse(["xychart-beta\n    bar [1, 2"])
    assert found.startswith("error:")


def test_a_day_without_failures_still_draws_a_chart() -> None:
    from healer.github.history import History, render_section

    section = render_section(History(), 0, "https://github.com", "octo/shop", date(2026, 11, 29))
    assert _parse(mermaid_blocks(section)) == ["ok"]
