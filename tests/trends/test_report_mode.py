"""The action in `mode: report`: one ci-health issue, created once and edited in place,
and the same report in the job summary."""

from __future__ import annotations

from datetime import UTC, datetime
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
    assert f"| runs | {current.runs} |" in (issue.body or "")
    assert "## CI health: the last 30 days" in first.summary
    second = run_action(fake_github, tmp_path, scheduled, event_name="schedule", mode="report")
    assert second.outputs["action"] == "updated"
    assert second.outputs["issue-number"] == str(issue.number)
    assert len([i for i in repo.issues.values() if "ci-health" in i.labels]) == 1
    assert "API requests" in second.stdout
