"""GitHub misbehaving under the action: server errors, rate limits, broken and slow
connections, log URLs that expire, log downloads cut off halfway.

Each case runs entrypoint.py against the fake GitHub with faults injected on one
request, and checks what a user sees: the exit code, at most one `::error::`
line (and what it says), the outputs, and the issues and comments left behind.
A case either succeeds after bounded retries, or ends with one clear error and
exit code 1; a failed case is then re-run with GitHub behaving again, and must
leave exactly the one issue and the occurrences a clean run would. Never a
traceback (``run_action`` checks), a duplicate issue or a lost occurrence.

Waits are kept short by GitHub's own means: `Retry-After: 1`, a rate limit that
resets a second from now, a small `max-retry-wait`, and a request timeout of
one second (HEALER_HTTP_TIMEOUT) against answers delayed by two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from healer.github.render import OCCURRENCE_MARKER, Marker, find_marker, recorded_occurrences
from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo, Run
from tests.runner.action_run import REPO, Outcome, failing_run, run_action

FAST = {"HEALER_HTTP_TIMEOUT": "1"}
LABELS = ["automated", "ci-failure"]
SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before "
    "you try again. If you reach out to GitHub Support for help, please include the request "
    "ID 0000:1111:2222.",
    "documentation_url": "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
}
PRIMARY = {
    "message": "API rate limit exceeded for installation ID 1.",
    "documentation_url": "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
}
EXPIRED_BLOB = b'<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>'

# The requests the action makes, by name; {repo}, {run} and {job} are filled in per test.
PATHS = {
    "run": "/repos/{repo}/actions/runs/{run}",
    "jobs": "/repos/{repo}/actions/runs/{run}/jobs",
    "log-url": "/repos/{repo}/actions/jobs/{job}/logs",
    "log": "/_blob/logs/{job}",
    "issues": "/repos/{repo}/issues",
    "label": "/repos/{repo}/labels/ci-failure",
    "labels": "/repos/{repo}/labels",
    "issue": "/repos/{repo}/issues/1",
    "comments": "/repos/{repo}/issues/1/comments",
}


def reset_in(seconds: int) -> dict[str, str]:
    """Headers of a used-up primary rate limit that resets `seconds` from now."""
    return {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": str(int(time.time()) + seconds),
    }


@dataclass(frozen=True)
class Case:
    id: str
    faults: list[tuple[str, str, dict[str, Any]]]  # (method, PATHS key, Fault options)
    error: str | None = None  # a part of the one ::error:: line; None: the run succeeds
    existing: bool = False  # an open issue tracks the job already: the comment path
    labels: bool = True  # the labels exist (as after the first issue), else they are created
    inputs: dict[str, str] = field(default_factory=dict)
    log_url_ttl: float | None = None  # seconds a log URL stays valid, if not the default
    headers: Any = None  # called at arrange time for headers that depend on the clock

    def __str__(self) -> str:
        return self.id


def fault(method: str, where: str, **options: Any) -> tuple[str, str, dict[str, Any]]:
    return (method, where, options)


CASES = [
    # Server errors on each request: retried, then the run succeeds.
    Case("500 run", [fault("GET", "run", status=500)]),
    Case("502 jobs", [fault("GET", "jobs", status=502)]),
    Case("503 log url", [fault("GET", "log-url", status=503)]),
    Case("500 log download", [fault("GET", "log", status=500, body=b"Server Busy")]),
    Case("502 open issues", [fault("GET", "issues", status=502)]),
    Case("503 label", [fault("GET", "label", status=503)], labels=False),
    Case("500 create label", [fault("POST", "labels", status=500)], labels=False),
    Case(
        "500 create label, made", [fault("POST", "labels", status=500, handled=True)], labels=False
    ),
    Case("502 twice then fine", [fault("GET", "run", status=502, times=2)]),
    Case("503 with Retry-After", [fault("GET", "jobs", status=503, headers={"Retry-After": "1"})]),
    # A create whose answer is lost: made once, whether or not GitHub carried it out.
    Case("502 create issue, not made", [fault("POST", "issues", status=502)]),
    Case("502 create issue, made", [fault("POST", "issues", status=502, handled=True)]),
    Case("create issue made, then dropped", [fault("POST", "issues", drop=True, handled=True)]),
    Case("create issue made, then reset", [fault("POST", "issues", reset=True, handled=True)]),
    Case("create issue made, answer too slow", [fault("POST", "issues", delay=2, handled=True)]),
    # The comment path: the occurrence is counted once, the comment posted once.
    Case("503 update body", [fault("PATCH", "issue", status=503)], existing=True),
    Case(
        "502 update body, made", [fault("PATCH", "issue", status=502, handled=True)], existing=True
    ),
    Case("502 comment, not made", [fault("POST", "comments", status=502)], existing=True),
    Case("500 comment, made", [fault("POST", "comments", status=500, handled=True)], existing=True),
    Case(
        "comment made, then dropped",
        [fault("POST", "comments", drop=True, handled=True)],
        existing=True,
    ),
    # Rate limits that allow a short wait.
    Case(
        "403 secondary, Retry-After",
        [fault("GET", "run", status=403, body=SECONDARY, headers={"Retry-After": "1"})],
    ),
    Case(
        "403 secondary on create, Retry-After",
        [fault("POST", "issues", status=403, body=SECONDARY, headers={"Retry-After": "1"})],
    ),
    Case(
        "429 Retry-After",
        [fault("GET", "jobs", status=429, body=SECONDARY, headers={"Retry-After": "1"})],
    ),
    Case(
        "403 primary, resets in 1 s",
        [fault("GET", "issues", status=403, body=PRIMARY)],
        headers=lambda: reset_in(1),
    ),
    Case(
        "429 primary, resets in 1 s",
        [fault("GET", "log-url", status=429, body=PRIMARY)],
        headers=lambda: reset_in(1),
    ),
    # Broken and slow connections.
    Case("reset run", [fault("GET", "run", reset=True)]),
    Case("dropped jobs", [fault("GET", "jobs", drop=True)]),
    Case("slow run", [fault("GET", "run", delay=2)]),
    Case("slow log download", [fault("GET", "log", delay=2)]),
    Case("log download reset", [fault("GET", "log", reset=True)]),
    Case("log download cut off", [fault("GET", "log", truncate=100)]),
    # The log URL expired between the 302 and the download: a fresh one is asked for.
    Case("log URL expired once", [fault("GET", "log", status=403, body=EXPIRED_BLOB)]),
    Case("log URL gone once", [fault("GET", "log", status=404, body=b"")]),
    Case("log URL 410 once", [fault("GET", "log", status=410, body=b"")]),
    # ------------------------------------------------------------------ clear errors
    Case(
        "502 on every try",
        [fault("GET", "run", status=502, times=50)],
        error="::error title=GitHub API error::GitHub answered 502 after retries",
        inputs={"max-retry-wait": "3"},
    ),
    Case(
        "503 asks for an hour",
        [fault("GET", "jobs", status=503, times=50, headers={"Retry-After": "3600"})],
        error="GitHub answered 503 after retries and asked to wait 3600 s",
    ),
    Case(
        "429 asks for an hour",
        [fault("GET", "run", status=429, body=SECONDARY, headers={"Retry-After": "3600"})],
        error="::error title=GitHub rate limit::GitHub's secondary rate limit asks to wait 3600 s",
    ),
    Case(
        "403 secondary asks for an hour on create",
        [fault("POST", "issues", status=403, body=SECONDARY, headers={"Retry-After": "3600"})],
        error="::error title=GitHub rate limit::GitHub's secondary rate limit asks to wait 3600 s",
    ),
    Case(
        "403 secondary without Retry-After",
        [fault("GET", "issues", status=403, body=SECONDARY)],
        error="secondary rate limit asks to wait at least a minute; that is more than "
        "max-retry-wait allows (30 s",
        inputs={"max-retry-wait": "30"},
    ),
    Case(
        "403 primary, resets in an hour",
        [fault("GET", "jobs", status=403, body=PRIMARY)],
        headers=lambda: reset_in(3600),
        error="GitHub's API rate limit for this token is used up until",
    ),
    Case(
        "429 primary, resets in an hour",
        [fault("GET", "run", status=429, body=PRIMARY)],
        headers=lambda: reset_in(3600),
        error="GitHub's API rate limit for this token is used up until",
    ),
    Case(
        "every answer too slow",
        [fault("GET", "run", delay=2, times=50)],
        error="::error title=GitHub unreachable::could not talk to GitHub at http://127.0.0.1:",
        inputs={"max-retry-wait": "1"},
    ),
    Case(
        "every connection reset",
        [fault("GET", "issues", reset=True, times=50)],
        error="the connection was reset, after retries",
        inputs={"max-retry-wait": "0"},
    ),
    Case(
        "create issue fails on every try",
        [fault("POST", "issues", status=502, times=50)],
        error="GitHub answered 502 after retries",
        inputs={"max-retry-wait": "2"},
    ),
    Case(
        "log URL expired every time",
        [],
        log_url_ttl=-1,
        error="::error title=Cannot read the run::the log URL of job",
    ),
    Case(
        "log download cut off every time",
        [fault("GET", "log", truncate=100, times=50)],
        error="the download stopped after 100 of",
        inputs={"max-retry-wait": "0"},
    ),
    Case(
        "log download drips, never done",
        [fault("GET", "log", drip=0.5, times=50)],
        error="the download took longer than 10 s in all, though data kept coming",
    ),
    Case(
        "log storage down",
        [fault("GET", "log", status=503, body=b"Server Busy", times=50)],
        error="the log storage answered 503",
        inputs={"max-retry-wait": "0"},
    ),
]


def seed_issue(repo: Repo) -> None:
    """An open issue that tracks the job, as an earlier run left it."""
    marker = Marker("Tests", "test", "f" * 16)
    seen = "2026-01-01 00:00 UTC"
    body = f"{marker.render()}\n- **First seen:** {seen} · **Last seen:** {seen} · **Occurrences:** 1\n"
    repo.add_issue("CI failure: Tests / test (test)", body=body, labels=list(LABELS))


def arrange(fake: FakeGitHub, run: Run, case: Case) -> None:
    job = next(j for j in run.jobs if j.name == "test")
    extra = case.headers() if case.headers else {}
    for method, where, options in case.faults:
        path = PATHS[where].format(repo=REPO, run=run.id, job=job.id)
        headers = options.get("headers", {}) | extra
        fake.inject(method, path, **(options | {"headers": headers}))
    if case.log_url_ttl is not None:
        fake.log_url_ttl = case.log_url_ttl


def errors(result: Outcome) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("::error")]


def check_tracking(repo: Repo, occurrences: int) -> None:
    """Exactly one issue, open, labelled, marked, with `occurrences` counted and
    one occurrence comment for each occurrence after the first."""
    (issue,) = repo.issues.values()
    assert issue.state == "open"
    assert sorted(issue.labels) == LABELS
    marker = find_marker(issue.body)
    assert marker is not None
    assert (marker.workflow, marker.job) == ("Tests", "test")
    assert recorded_occurrences(issue.body) == occurrences
    notes = [c for c in issue.comments if OCCURRENCE_MARKER in c.body]
    assert len(notes) == len(issue.comments) == occurrences - 1


@pytest.mark.parametrize("case", CASES, ids=str)
def test_api_fault(fake_github: FakeGitHub, tmp_path: Path, case: Case) -> None:
    repo = fake_github.add_repo(REPO)
    if case.labels:
        for name in LABELS:
            repo.add_label(name)
    if case.existing:
        seed_issue(repo)
    run = failing_run(repo)
    arrange(fake_github, run, case)
    expected = 2 if case.existing else 1

    result = run_action(fake_github, tmp_path, run, extra_env=FAST, **case.inputs)

    if case.error is None:
        assert result.code == 0, result.stdout
        assert errors(result) == []
        check_tracking(repo, expected)
        assert result.outputs["action"] == ("commented" if case.existing else "created")
        assert result.outputs["issue-number"] == "1"
        assert result.outputs["classification"] == "persistent"
        return

    assert result.code == 1, result.stdout
    (line,) = errors(result)
    assert case.error in line
    assert "unexpected" not in line
    assert result.outputs == {}  # no outputs from a run that failed
    assert not repo.issues  # every error case fails before the issue is made

    # GitHub behaves again; the user re-runs: the failure is recorded exactly once.
    fake_github.clear_faults()
    fake_github.log_url_ttl = 60.0
    again = run_action(fake_github, tmp_path, run, extra_env=FAST, **case.inputs)
    assert again.code == 0, again.stdout
    assert errors(again) == []
    check_tracking(repo, expected)


def test_a_create_whose_answer_was_lost_makes_one_request_to_look(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    """After the lost answer, the action looks for the issue by its marker instead of
    creating a second one; GitHub saw one create."""
    repo = fake_github.add_repo(REPO)
    run = failing_run(repo)
    arrange(fake_github, run, Case("", [fault("POST", "issues", status=502, handled=True)]))
    result = run_action(fake_github, tmp_path, run, extra_env=FAST)
    assert result.code == 0, result.stdout
    assert len(fake_github.requests_to("POST", f"/repos/{REPO}/issues")) == 1
    assert "creating the issue: GitHub answered 502; looking whether it went through in 1 s" in (
        result.stdout
    )
    check_tracking(repo, 1)


def test_an_expired_log_url_is_asked_for_once_more(fake_github: FakeGitHub, tmp_path: Path) -> None:
    repo = fake_github.add_repo(REPO)
    run = failing_run(repo)
    arrange(fake_github, run, Case("", [fault("GET", "log", status=403, body=EXPIRED_BLOB)]))
    result = run_action(fake_github, tmp_path, run, extra_env=FAST)
    assert result.code == 0, result.stdout
    job = next(j for j in run.jobs if j.name == "test")
    assert len(fake_github.requests_to("GET", f"/repos/{REPO}/actions/jobs/{job.id}/logs")) == 2
    assert all(r.authorization is None for r in fake_github.blob_requests)
    check_tracking(repo, 1)


def test_the_retry_budget_is_shared_by_the_whole_run(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    """Two waits of 1 s fit in max-retry-wait 1 only once: the second ends the run."""
    repo = fake_github.add_repo(REPO)
    run = failing_run(repo)
    limited = {"status": 429, "body": SECONDARY, "headers": {"Retry-After": "1"}}
    arrange(
        fake_github,
        run,
        Case("", [fault("GET", "run", **limited), fault("GET", "jobs", **limited)]),
    )
    result = run_action(fake_github, tmp_path, run, extra_env=FAST, **{"max-retry-wait": "1"})
    assert result.code == 1, result.stdout
    (line,) = errors(result)
    assert (
        "asks to wait 1 s; that is more than max-retry-wait allows (1 s in all, 0 s left)" in line
    )
    assert not repo.issues
