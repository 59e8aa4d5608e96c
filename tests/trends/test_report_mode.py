"""The action in `mode: report`: one ci-health issue, created once and edited in place,
and the same report in the job summary."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.github.fake_github import FakeGitHub
from tests.runner.action_run import REPO, run_action
from tests.trends.seeded import seed


def test_the_report_issue_is_created_once_and_kept_up_to_date(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    repo = fake_github.add_repo(REPO)
    current, _ = seed(repo, datetime.now(UTC).replace(microsecond=0))
    scheduled = repo.add_run("CI health", status="in_progress", conclusion=None)
    scheduled.add_job("report", status="in_progress", conclusion=None, log=b"")
    first = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert first.code == 0, first.stdout
    assert first.outputs["action"] == "created"
    (issue,) = [i for i in repo.issues.values() if "ci-health" in i.labels]
    assert issue.title == "CI health report"
    assert f"| runs | [{current.runs}](https://github.com/{REPO}/actions) |" in (issue.body or "")
    assert "## CI health: the last 30 days" in first.summary
    second = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert second.outputs["action"] == "updated"
    assert second.outputs["issue-number"] == str(issue.number)
    assert len([i for i in repo.issues.values() if "ci-health" in i.labels]) == 1
    assert "API requests" in second.stdout


def _without_state(body: str) -> str:
    return re.sub(r"<!-- self-healing:ci-health-state .*? -->", "", body)


def test_a_week_later_the_report_reads_only_the_new_runs_and_agrees_with_a_full_read(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    repo = fake_github.add_repo(REPO)
    now = datetime.now(UTC).replace(microsecond=0)
    seed(repo, now)
    scheduled = repo.add_run("CI health", status="in_progress", conclusion=None)
    scheduled.add_job("report", status="in_progress", conclusion=None, log=b"")
    # A week ago: the runs since then are not there yet.
    repo.runs_listed_until = now - timedelta(days=7)
    first = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert first.code == 0, first.stdout
    (issue,) = [i for i in repo.issues.values() if "ci-health" in i.labels]
    assert "<!-- self-healing:ci-health-state v1 " in (issue.body or "")
    first_requests = len([r for r in fake_github.requests if r.api])
    # Now: the report reads the last week's runs, not the 60 days.
    repo.runs_listed_until = None
    second = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert second.code == 0, second.stdout
    assert second.outputs["action"] == "updated"
    incremental = len([r for r in fake_github.requests if r.api]) - first_requests
    assert incremental < 60, incremental
    assert incremental < first_requests / 3
    # The same figures as a report that reads everything again.
    body = issue.body or ""
    issue.body = _without_state(body)
    third = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert third.code == 0, third.stdout
    assert _without_state(issue.body or "") == _without_state(body)


def test_a_damaged_or_foreign_state_is_ignored_with_a_warning(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    repo = fake_github.add_repo(REPO)
    seed(repo, datetime.now(UTC).replace(microsecond=0))
    scheduled = repo.add_run("CI health", status="in_progress", conclusion=None)
    scheduled.add_job("report", status="in_progress", conclusion=None, log=b"")
    run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    (issue,) = [i for i in repo.issues.values() if "ci-health" in i.labels]
    good = issue.body or ""
    issue.body = re.sub(r"(<!-- self-healing:ci-health-state v1 )(\S+)( -->)", r"\1AAAA\2\3", good)
    again = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert again.code == 0
    assert "saved state is not used (its state block is damaged)" in again.stdout
    assert _without_state(issue.body or "") == _without_state(good)


def test_a_refused_token_or_a_bad_window_ends_in_one_error_line(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    repo = fake_github.add_repo(REPO)
    scheduled = repo.add_run("CI health", status="in_progress", conclusion=None)
    refused = run_action(
        fake_github,
        tmp_path,
        scheduled,
        token="ghs_notAValidToken000000000000000000000",
        event_name="schedule",
        mode="report",
    )
    bad_window = run_action(
        fake_github,
        tmp_path,
        scheduled,
        event_name="schedule",
        mode="report",
        **{"report-days": "400"},
    )
    for result, code in ((refused, 1), (bad_window, 2)):
        errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
        assert result.code == code
        assert len(errors) == 1, result.stdout
    assert "report-days" in bad_window.stdout
