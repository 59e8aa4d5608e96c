"""The self-healing loop end to end, in the workflow_run mode: runs arrive over time,
and after each the repository is in the state a maintainer would expect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo
from tests.runner.action_run import (
    NETWORK_LOG,
    PYTEST_LOG,
    REPO,
    failing_run,
    finished,
    green,
    numbered,
    run_action,
    watch,
)


def test_a_finished_run_whose_failures_are_all_transient_is_re_run_whole(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = finished(repo, ("install", NETWORK_LOG))
    result = watch(fake_github, tmp_path, repo, run)
    assert result.code == 0, result.stdout
    assert result.outputs["action"] == "retried"
    assert not repo.issues
    assert [r.path for r in fake_github.requests_to("POST")] == [
        f"/repos/{REPO}/actions/runs/{run.id}/rerun-failed-jobs"
    ]
    assert run.rerun_jobs == ["install"]
    assert "| re-run |" in result.summary


def test_only_the_transient_jobs_are_re_run_when_others_need_a_fix(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = finished(repo, ("install", NETWORK_LOG), ("test", PYTEST_LOG))
    result = watch(fake_github, tmp_path, repo, run)
    actions = {e["job"]: e["action"] for e in json.loads(result.outputs["report"])}
    assert actions == {"install": "retried", "test": "created"}
    assert run.rerun_jobs == ["install"]
    (issue,) = repo.issues.values()
    assert "transient" not in issue.labels


def test_a_job_still_transient_at_its_last_attempt_gets_an_issue_labelled_transient(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = finished(repo, ("install", NETWORK_LOG), attempt=2)
    result = watch(fake_github, tmp_path, repo, run)
    assert result.outputs["action"] == "created"
    assert fake_github.requests_to("POST", "*/rerun*") == []
    (issue,) = repo.issues.values()
    assert sorted(issue.labels) == ["automated", "ci-failure", "transient"]
    assert "every one of its 2 attempts" in (issue.body or "")
    assert "max-attempts" in result.summary
    # The same again: a comment on that issue. A persistent failure of the same job
    # is another matter: an issue of its own.
    again = watch(fake_github, tmp_path, repo, finished(repo, ("install", NETWORK_LOG), attempt=2))
    assert again.outputs["action"] == "commented"
    real = watch(fake_github, tmp_path, repo, finished(repo, ("install", PYTEST_LOG)))
    assert real.outputs["action"] == "created"
    assert len(repo.issues) == 2


def test_inside_the_run_nothing_is_re_run_and_the_summary_says_why(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = failing_run(repo, NETWORK_LOG)  # the action's own run, still in progress
    result = run_action(fake_github, tmp_path, run)
    assert result.code == 0
    assert result.outputs["action"] == "skipped"
    assert fake_github.requests_to("POST", "*/rerun*") == []
    assert "GitHub lets no run re-run itself" in result.summary
    assert not repo.issues


@pytest.mark.parametrize("never", ["install", "inst*", "Tests", "deploy,\n  inst*"])
def test_never_retry_names_workflows_or_jobs_by_glob(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, never: str
) -> None:
    run = finished(repo, ("install", NETWORK_LOG))
    result = watch(fake_github, tmp_path, repo, run, **{"never-retry": never})
    assert result.outputs["action"] == "skipped"
    assert fake_github.requests_to("POST", "*/rerun*") == []
    assert "never-retry" in result.summary


def test_without_actions_write_one_warning_says_which_permission_to_add(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    token = "ghs_readOnlyActions000000000000000000"
    fake_github.add_token(token, actions="read", issues="write")
    run = finished(repo, ("install", NETWORK_LOG), ("test", PYTEST_LOG))
    result = watch(fake_github, tmp_path, repo, run, token=token)
    assert result.code == 0
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1
    assert "actions: write" in warnings[0]
    actions = {e["job"]: e["action"] for e in json.loads(result.outputs["report"])}
    assert actions == {"install": "skipped", "test": "created"}
    assert run.rerun_requests == 0


@pytest.mark.parametrize(
    ("inputs", "action"),
    [
        ({"max-attempts": "1"}, "created"),  # the first attempt is the last
        ({"retry-transient": "false"}, "skipped"),
        ({"dry-run": "true"}, "dry-run"),
    ],
)
def test_no_re_run_at_max_attempts_one_with_retry_off_or_in_a_dry_run(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, inputs: dict[str, str], action: str
) -> None:
    run = finished(repo, ("install", NETWORK_LOG))
    result = watch(fake_github, tmp_path, repo, run, **inputs)
    assert result.outputs["action"] == action
    assert fake_github.requests_to("POST", "*/rerun*") == []
    assert run.rerun_requests == 0


def test_fail_fail_then_pass_on_a_later_commit_closes_the_issue(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1))
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 2))
    (issue,) = repo.issues.values()
    assert issue.state == "open"
    assert "| [#2](" in (issue.body or "")
    assert "| [#1](" in (issue.body or "")
    passed = green(repo, number=3)
    before = len([r for r in fake_github.requests if r.api])
    result = watch(fake_github, tmp_path, repo, passed)
    assert result.code == 0, result.stdout
    assert result.outputs["action"] == "closed"
    # The run, its jobs (listed once), the open issues, the repository's default
    # branch, the comment and the closing edit.
    assert len([r for r in fake_github.requests if r.api]) - before <= 6
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert f"/actions/runs/{passed.id}" in issue.comments[-1].body
    assert "**Closed:** 1" in (issue.body or "")
    assert "passed: issue closed" in result.summary


def test_close_after_two_needs_two_greens_in_a_row(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1))
    (issue,) = repo.issues.values()
    first = watch(fake_github, tmp_path, repo, green(repo, number=2), **{"close-after": "2"})
    assert first.outputs["action"] == "green"
    assert issue.state == "open"
    assert "since the last failure:** 1" in (issue.body or "")
    second = watch(fake_github, tmp_path, repo, green(repo, number=3), **{"close-after": "2"})
    assert second.outputs["action"] == "closed"
    assert issue.state == "closed"


@pytest.mark.parametrize(
    "passed",
    [
        {"number": 6},  # an older run's success, arriving after run 7 failed
        {"number": 8, "branch": "feature/x"},  # a newer success, on another branch
    ],
)
def test_a_late_old_success_or_one_on_another_branch_closes_nothing(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, passed: dict[str, Any]
) -> None:
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 7))
    (issue,) = repo.issues.values()
    result = watch(fake_github, tmp_path, repo, green(repo, **passed))
    assert result.outputs["action"] == "skipped"
    assert issue.state == "open"
    assert issue.comments == []


def test_fail_then_pass_on_a_re_run_of_the_same_commit_is_flaky_and_stays_open(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = numbered(finished(repo, ("test", PYTEST_LOG)), 1)
    watch(fake_github, tmp_path, repo, run)
    (issue,) = repo.issues.values()
    # The same run, attempt 2: the job passes this time.
    run.run_attempt, run.conclusion = 2, "success"
    for name in ("lint", "test"):
        run.add_job(name, conclusion="success", run_attempt=2, log=b"ok\n")
    result = watch(fake_github, tmp_path, repo, run)
    assert result.outputs["action"] == "flaky"
    assert issue.state == "open"
    assert "flaky" in issue.labels
    comment = issue.comments[-1].body
    assert f"/actions/runs/{run.id}/attempts/1" in comment
    assert "attempt 2" in comment
    assert "**Flaky passes:** 1" in (issue.body or "")
    # A green run on a new commit then closes it.
    closed = watch(fake_github, tmp_path, repo, green(repo, number=2))
    assert closed.outputs["action"] == "closed"


def test_a_failure_soon_after_the_close_reopens_the_issue(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1))
    watch(fake_github, tmp_path, repo, green(repo, number=2))
    (issue,) = repo.issues.values()
    assert issue.state == "closed"
    again = watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 3))
    assert again.outputs["action"] == "reopened"
    assert len(repo.issues) == 1
    assert (issue.state, issue.state_reason) == ("open", "reopened")
    assert "**Reopened:** 1" in (issue.body or "")
    assert "**Occurrences:** 2" in (issue.body or "")
    assert "occurrence 2" in issue.comments[-1].body


def test_a_failure_after_the_reopen_window_opens_a_new_issue_that_links_the_old(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    from datetime import timedelta

    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1))
    watch(fake_github, tmp_path, repo, green(repo, number=2))
    (old,) = repo.issues.values()
    assert old.closed_at is not None
    old.closed_at -= timedelta(days=15)
    again = watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 3))
    assert again.outputs["action"] == "created"
    new = repo.issues[int(again.outputs["issue-number"])]
    assert new.number != old.number
    assert old.state == "closed"
    assert f"**Earlier issue:** #{old.number}" in (new.body or "")


def test_an_issue_closed_as_a_duplicate_or_not_planned_is_never_reopened(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1))
    (old,) = repo.issues.values()
    old.state, old.state_reason = "closed", "not_planned"
    again = watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 2))
    assert again.outputs["action"] == "created"
    assert old.state == "closed"


def test_eight_distinct_failing_jobs_open_five_issues_and_list_the_rest(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = finished(repo, *[(f"suite-{n}", PYTEST_LOG) for n in range(1, 9)])
    result = watch(fake_github, tmp_path, repo, run)
    assert result.code == 0, result.stdout
    actions = [e["action"] for e in json.loads(result.outputs["report"])]
    assert actions.count("created") == 5
    assert actions.count("capped") == 3
    assert len(repo.issues) == 5
    newest = max(repo.issues.values(), key=lambda issue: issue.number)
    (listing,) = newest.comments
    for n in (6, 7, 8):
        assert f"suite-{n}" in listing.body
        assert f"suite-{n}" in result.summary
    assert "max-issues-per-run" in result.summary


def pull_request_event(tmp_path: Path, number: int) -> None:
    event = {
        "number": number,
        "pull_request": {"number": number, "head": {"repo": {"full_name": REPO}}},
    }
    (tmp_path / "event.json").write_text(json.dumps(event))


def test_a_pull_request_failure_keeps_one_sticky_comment_and_opens_no_issue(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    pull = repo.add_issue("Add discounts", pull_request=True)
    pull_request_event(tmp_path, pull.number)
    first = run_action(fake_github, tmp_path, failing_run(repo), event_name="pull_request")
    assert first.code == 0, first.stdout
    assert first.outputs["action"] == "pull-request"
    assert [i for i in repo.issues.values() if not i.pull_request] == []
    (comment,) = pull.comments
    assert "<!-- self-healing:pull-request -->" in comment.body
    assert "test_total_applies_discount" in comment.body
    second = failing_run(repo)
    run_action(fake_github, tmp_path, second, event_name="pull_request")
    (comment,) = pull.comments  # edited in place, not a second comment
    assert f"/actions/runs/{second.id}" in comment.body


def test_a_watched_pull_request_run_comments_and_its_green_run_says_so(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    # An open issue of the default branch's for the same job: a pull request never touches it.
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1))
    (tracked,) = repo.issues.values()
    pull = repo.add_issue("Add discounts", pull_request=True)
    run = finished(repo, ("test", PYTEST_LOG))
    run.event, run.head_branch, run.pull_requests = "pull_request", "discounts", [pull.number]
    result = watch(fake_github, tmp_path, repo, run)
    assert result.outputs["action"] == "pull-request"
    assert len(tracked.comments) == 0
    (comment,) = pull.comments
    passed = green(repo, branch="discounts", number=5)
    passed.event, passed.pull_requests = "pull_request", [pull.number]
    after = watch(fake_github, tmp_path, repo, passed)
    assert after.code == 0
    (comment,) = pull.comments
    assert "every job passed" in comment.body
    assert tracked.state == "open"


@pytest.mark.parametrize(("mode", "issues", "comments"), [("issue", 1, 0), ("summary", 0, 0)])
def test_pull_requests_input_chooses_issues_or_the_summary_only(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, mode: str, issues: int, comments: int
) -> None:
    pull = repo.add_issue("Add discounts", pull_request=True)
    pull_request_event(tmp_path, pull.number)
    result = run_action(
        fake_github,
        tmp_path,
        failing_run(repo),
        event_name="pull_request",
        **{"pull-requests": mode},
    )
    assert result.code == 0
    assert len([i for i in repo.issues.values() if not i.pull_request]) == issues
    assert len(pull.comments) == comments
    assert "test_total_applies_discount" in result.summary


def copilot_ready(fake: FakeGitHub, repo: Repo) -> dict[str, str]:
    repo.add_assignee("copilot-swe-agent[bot]")
    fake.add_token("github_pat_maintainer", login="maintainer", issues="write")
    return {"copilot-token": "github_pat_maintainer"}


def test_copilot_gets_code_failures_with_instructions_and_the_failing_branch(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    inputs = copilot_ready(fake_github, repo)
    run = finished(repo, ("test", PYTEST_LOG))
    run.head_branch = "release/2.1"
    watch(fake_github, tmp_path, repo, run, **inputs)
    (issue,) = repo.issues.values()
    assert issue.assignees == ["copilot-swe-agent[bot]"]
    (assign,) = fake_github.requests_to("POST", "*/assignees")
    agent = assign.body["agent_assignment"]
    assert agent["target_repo"] == REPO
    assert agent["base_branch"] == "release/2.1"
    fingerprint = issue.body.split("**Fingerprint:** `", 1)[1].split("`", 1)[0]
    assert fingerprint in agent["custom_instructions"]
    assert "pytest -q" in agent["custom_instructions"]
    assert "do not skip, weaken or delete tests" in agent["custom_instructions"]


def test_copilot_never_gets_dependency_failures_nor_more_than_the_daily_cap(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    from tests.classifier.helpers import gha_log

    inputs = copilot_ready(fake_github, repo)
    missing = gha_log(
        "##[group]Run sudo apt-get install -y libfoo-dev",
        "E: Unable to locate package libfoo-dev",
        "##[error]Process completed with exit code 100.",
    )
    watch(fake_github, tmp_path, repo, finished(repo, ("deps", missing)), **inputs)
    (issue,) = repo.issues.values()
    assert issue.assignees == []
    assert fake_github.requests_to("POST", "*/assignees") == []
    for n in range(3):  # three issues handed over today already
        repo.add_issue(
            f"CI failure {n}",
            labels=["ci-failure", "automated"],
            assignees=["copilot-swe-agent[bot]"],
        )
    watch(fake_github, tmp_path, repo, finished(repo, ("test", PYTEST_LOG)), **inputs)
    newest = max(repo.issues.values(), key=lambda i: i.number)
    assert newest.title.startswith("CI failure: Tests / test")
    assert newest.assignees == []
    assert fake_github.requests_to("POST", "*/assignees") == []


def test_the_excerpt_links_to_its_first_line_in_the_job_log(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    import re

    run = repo.add_run("Tests", conclusion="failure")
    steps = [
        ("Set up job", "success"),
        ("Run actions/checkout@v4", "success"),
        ("Run pip install -e '.[test]'", "success"),
        ("Run pytest -q", "failure"),
    ]
    job = run.add_job("test", steps=steps, log=PYTEST_LOG)
    watch(fake_github, tmp_path, repo, run)
    (issue,) = repo.issues.values()
    match = re.search(
        rf"\[Open the job log at this excerpt\]\((\S+/job/{job.id})#step:4:(\d+)\)",
        issue.body or "",
    )
    assert match is not None, issue.body
    # Line N of the step is the excerpt's first line, counted from the step's `Run` line.
    plain = re.sub(r"\x1b\[[0-9;]*m", "", PYTEST_LOG.decode())
    lines = [line.split(" ", 1)[-1] for line in plain.splitlines()]
    start = next(i for i, text in enumerate(lines) if text.startswith("##[group]Run pytest"))
    first = (issue.body or "").split("```text\n", 1)[1].splitlines()[0]
    assert lines[start + int(match.group(2)) - 1].endswith(first)


def test_a_re_run_of_a_tracked_job_is_counted_in_its_history(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("install", PYTEST_LOG)), 1))
    (issue,) = repo.issues.values()
    assert "**Re-runs:** 0" in (issue.body or "")
    result = watch(fake_github, tmp_path, repo, finished(repo, ("install", NETWORK_LOG)))
    assert result.outputs["action"] == "retried"
    assert "**Re-runs:** 1" in (issue.body or "")


def test_the_in_run_step_with_if_always_closes_the_issue_when_the_job_passes(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    first = failing_run(repo)
    first.run_number = 1
    run_action(fake_github, tmp_path, first)
    (issue,) = repo.issues.values()
    # A later run of the same workflow: the tests pass, and the analysis job (this
    # action, with `if: ${{ !cancelled() }}`) is still running.
    run = repo.add_run("Tests", status="in_progress", conclusion=None, run_number=2)
    run.add_job("test", conclusion="success", steps=[("Run pytest -q", "success")], log=b"ok\n")
    run.add_job("analyze-failure", status="in_progress", conclusion=None, log=b"")
    result = run_action(fake_github, tmp_path, run)
    assert result.code == 0, result.stdout
    assert result.outputs["action"] == "closed"
    assert issue.state == "closed"
