"""The action end to end: entrypoint.py as the runner starts it, against the fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healer.github.render import find_marker
from tests.classifier.helpers import gha_log
from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo, Run
from tests.runner.action_run import (
    NETWORK_LOG,
    PYTEST_LOG,
    REPO,
    api_requests,
    failing_run,
    run_action,
)


def test_first_failure_creates_one_labelled_issue(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = failing_run(repo)
    result = run_action(fake_github, tmp_path, run, mention="@github")
    assert result.code == 0, result.stdout
    (issue,) = repo.issues.values()
    assert issue.title == "CI failure: Tests / test (test)"
    assert sorted(issue.labels) == ["automated", "ci-failure"]
    marker = find_marker(issue.body)
    assert marker is not None
    assert (marker.workflow, marker.job) == ("Tests", "test")
    assert "FAILED tests/test_cart.py::test_total_applies_discount" in issue.body
    assert f"https://github.com/{REPO}/actions/runs/{run.id}" in issue.body
    assert "Run pytest -q" in issue.body
    assert "@github please take a look." in issue.body
    assert result.outputs["classification"] == "persistent"
    assert result.outputs["category"] == "test"
    assert result.outputs["action"] == "created"
    assert result.outputs["issue-number"] == str(issue.number)
    (entry,) = json.loads(result.outputs["report"])
    assert entry["command"] == "pytest -q"
    assert "- **Failing command:** ` pytest -q `" in issue.body
    assert "| persistent | test |" in result.summary
    assert "Failing command: ` pytest -q `" in result.summary
    # The log came from the signed URL, without the token.
    assert fake_github.blob_requests
    assert all(r.authorization is None for r in fake_github.blob_requests)


def test_second_failure_comments_on_the_same_issue(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run_action(fake_github, tmp_path, failing_run(repo))
    before = len(api_requests(fake_github))
    second = failing_run(repo)
    result = run_action(fake_github, tmp_path, second)
    assert result.outputs["action"] == "commented"
    (issue,) = repo.issues.values()
    (comment,) = issue.comments
    assert "occurrence 2" in comment.body
    assert str(second.id) in comment.body
    assert "**Occurrences:** 2" in (issue.body or "")
    # The comment path: run, jobs, log URL, the last green run (none here), open issues,
    # body update, new comment.
    assert len(api_requests(fake_github)) - before <= 7


def test_re_running_the_analysis_never_counts_a_job_twice(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    """The count moved on but the comment could not be posted: the run fails, and its
    re-run posts the comment without counting the job again; later re-runs, for it or
    for the job that opened the issue, add nothing, even after a newer job counted."""
    first = failing_run(repo)
    run_action(fake_github, tmp_path, first)
    second = failing_run(repo)
    fake_github.inject("POST", "*/comments", status=502, times=99)
    failed = run_action(fake_github, tmp_path, second, **{"max-retry-wait": "1"})
    assert failed.code == 1
    (issue,) = repo.issues.values()
    assert "**Occurrences:** 2" in (issue.body or "")
    assert issue.comments == []
    fake_github.clear_faults()
    for _ in range(2):
        again = run_action(fake_github, tmp_path, second)
        assert again.code == 0
        assert again.outputs["action"] == "commented"
    assert "**Occurrences:** 2" in (issue.body or "")
    assert [str(second.id) in c.body for c in issue.comments] == [True]
    run_action(fake_github, tmp_path, first)
    assert "**Occurrences:** 2" in (issue.body or "")
    assert len(issue.comments) == 1
    # A newer job is counted; re-running the analysis for the older one still is not.
    run_action(fake_github, tmp_path, failing_run(repo))
    run_action(fake_github, tmp_path, second)
    assert "**Occurrences:** 3" in (issue.body or "")
    assert len(issue.comments) == 2


def test_create_path_stays_within_nine_requests_when_labels_exist(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    repo.add_label("ci-failure")
    repo.add_label("automated")
    result = run_action(fake_github, tmp_path, failing_run(repo))
    assert result.outputs["action"] == "created"
    # 8, one to look for the last green run, one for a recently closed issue to reopen.
    assert len(api_requests(fake_github)) <= 10


# A test that logs a refused connection on purpose in every run: noise, not a network blip.
NOISE = "npm ERR! code ECONNRESET"
STEPS = [("Set up job", "success"), ("Run ./ci/check.sh", "failure")]


def test_the_last_green_run_of_the_job_is_the_baseline(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    def log(*lines: str) -> bytes:
        return gha_log("##[group]Run ./ci/check.sh", "##[endgroup]", *lines)

    failing = failing_run(
        repo,
        log=log(
            NOISE,
            "cart.mod: the discount table has 3 rows",
            "##[error]Process completed with exit code 1.",
        ),
        job="check",
    )
    alone = run_action(fake_github, tmp_path, failing, **{"dry-run": "true"})
    assert alone.outputs["classification"] == "transient"  # misled by the noise

    green = repo.add_run("Tests", conclusion="success", workflow_id=failing.workflow_id)
    green.add_job(
        "check",
        conclusion="success",
        steps=[(n, "success") for n, _ in STEPS],
        log=log(NOISE, "all checks passed"),
    )
    repo.add_label("ci-failure")
    repo.add_label("automated")
    before = len(api_requests(fake_github))
    result = run_action(fake_github, tmp_path, failing)
    assert result.outputs["classification"] == "persistent"
    assert result.outputs["action"] == "created"
    (issue,) = repo.issues.values()
    assert f"[the last green run](https://github.com/{REPO}/actions/runs/{green.id})" in (
        issue.body or ""
    )
    assert NOISE not in (issue.body or "")
    assert "cart.mod: the discount table has 3 rows" in (issue.body or "")
    # Three requests more than the create path's eight: runs, their jobs, the log URL.
    # 8 to create, at most 3 for the baseline, 1 for a recently closed issue to reopen.
    assert len(api_requests(fake_github)) - before <= 8 + 3 + 1

    before = len(api_requests(fake_github))
    off = run_action(
        fake_github, tmp_path, failing, **{"dry-run": "true", "compare-last-green": "false"}
    )
    assert off.outputs["classification"] == "transient"  # no baseline, no lookup
    assert not any(r.path.endswith("/actions/runs") for r in api_requests(fake_github)[before:])


def test_a_transient_failure_opens_no_issue(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    result = run_action(fake_github, tmp_path, failing_run(repo, NETWORK_LOG))
    assert result.code == 0
    assert not repo.issues
    assert fake_github.write_requests == []
    assert (result.outputs["classification"], result.outputs["action"]) == ("transient", "skipped")


def test_dry_run_writes_nothing(fake_github: FakeGitHub, repo: Repo, tmp_path: Path) -> None:
    result = run_action(fake_github, tmp_path, failing_run(repo), **{"dry-run": "true"})
    assert result.code == 0
    assert fake_github.write_requests == []
    assert not repo.issues
    assert (result.outputs["classification"], result.outputs["action"]) == ("persistent", "dry-run")


def test_several_failed_jobs_including_a_matrix(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = repo.add_run("Tests")
    run.add_job("test (3.11, ubuntu-latest)", steps=[("Run pytest -q", "failure")], log=PYTEST_LOG)
    run.add_job("test (3.12, ubuntu-latest)", steps=[("Run pytest -q", "failure")], log=PYTEST_LOG)
    run.add_job("deploy", steps=[("Run npm ci", "failure")], log=NETWORK_LOG)
    result = run_action(fake_github, tmp_path, run)
    report = json.loads(result.outputs["report"])
    assert sorted(entry["action"] for entry in report) == ["commented", "created", "retried"]
    (issue,) = repo.issues.values()  # both matrix legs are one job: one issue, one comment
    assert len(issue.comments) == 1
    assert result.outputs["classification"] == "persistent"
    # The run has finished and some failures need a fix: only the transient job is re-run.
    assert run.rerun_jobs == ["deploy"]
    assert [r.path.rsplit("/", 2)[-1] for r in fake_github.requests_to("POST", "*/rerun")] == [
        "rerun"
    ]


def test_job_name_selects_by_matrix_base_name(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = repo.add_run("Tests")
    run.add_job("test (3.12)", steps=[("Run pytest -q", "failure")], log=PYTEST_LOG)
    run.add_job("build", steps=[("Run make", "failure")], log=PYTEST_LOG)
    result = run_action(fake_github, tmp_path, run, **{"job-name": "test"})
    assert [entry["job"] for entry in json.loads(result.outputs["report"])] == ["test (3.12)"]


def test_a_pull_request_from_a_fork_is_skipped(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    event = {"pull_request": {"head": {"repo": {"full_name": "someone/octo-repo"}}}}
    (tmp_path / "event.json").write_text(json.dumps(event))
    result = run_action(fake_github, tmp_path, failing_run(repo), event_name="pull_request")
    assert result.code == 0
    assert "::notice title=Skipped::" in result.stdout
    assert result.outputs["action"] == "skipped"
    assert fake_github.requests == []


def _watcher(repo: Repo) -> Run:
    """The workflow_run job's own run: it is running, nothing in it has failed."""
    run = repo.add_run("Self-healing")
    run.add_job("analyze", conclusion="success", steps=[("Run action", "success")], log=b"ok\n")
    return run


def test_workflow_run_mode_analyses_the_watched_run(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    watched = failing_run(repo)
    event = {
        "workflow_run": {
            "id": watched.id,
            "name": "Tests",
            "conclusion": "failure",
            "head_repository": {"full_name": REPO},
        }
    }
    (tmp_path / "event.json").write_text(json.dumps(event))
    result = run_action(fake_github, tmp_path, _watcher(repo), event_name="workflow_run")
    assert result.code == 0, result.stdout
    assert result.outputs["action"] == "created"
    [issue] = repo.issues.values()
    marker = find_marker(issue.body or "")
    assert marker is not None
    assert marker.workflow == "Tests"  # the watched workflow, not the watcher
    assert f"/actions/runs/{watched.id}" in (issue.body or "")


@pytest.mark.parametrize("head_repository", [{"full_name": "someone/octo-repo"}, None])
def test_workflow_run_mode_skips_runs_from_forks(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, head_repository: object
) -> None:
    watched = failing_run(repo)
    event = {
        "workflow_run": {"id": watched.id, "name": "Tests", "head_repository": head_repository}
    }
    (tmp_path / "event.json").write_text(json.dumps(event))
    result = run_action(
        fake_github,
        tmp_path,
        _watcher(repo),
        event_name="workflow_run",
        **{"run-id": str(watched.id)},
    )
    assert result.code == 0
    assert "::notice title=Skipped::The watched run came from a fork" in result.stdout
    assert result.outputs["action"] == "skipped"
    assert fake_github.requests == []
    assert not repo.issues


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"run-id": "abc"}, "::error title=Invalid input::run-id: "),
        ({"labels": "x" * 51}, "::error title=Invalid input::labels: "),
        ({"dry-run": "maybe"}, "::error title=Invalid input::dry-run: "),
    ],
)
def test_bad_inputs_end_in_one_clear_error(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, inputs: dict[str, str], expected: str
) -> None:
    result = run_action(fake_github, tmp_path, failing_run(repo), **inputs)
    assert result.code == 2
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1
    assert errors[0].startswith(expected)
    assert fake_github.requests == []


def test_a_bad_token_and_a_missing_permission_say_what_to_do(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run = failing_run(repo)
    bad = run_action(fake_github, tmp_path, run, token="not-a-token")
    assert bad.code == 1
    assert "check the github-token input" in bad.stdout

    fake_github.add_token("no-actions", issues="write")
    denied = run_action(fake_github, tmp_path, run, token="no-actions")
    assert denied.code == 1
    assert "actions: read" in denied.stdout
    assert not repo.issues


def _errors(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("::error")]


def test_a_token_that_cannot_write_issues_leaves_nothing_half_written(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    fake_github.add_token("read-only", actions="read", issues="read")
    result = run_action(fake_github, tmp_path, failing_run(repo), token="read-only")
    assert result.code == 1
    [error] = _errors(result.stdout)
    assert "issues: write" in error
    assert not repo.issues
    assert not repo.labels  # no label made for an issue that could not be
    assert "Traceback" not in result.stdout


def test_a_repository_that_does_not_exist(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    result = run_action(
        fake_github, tmp_path, failing_run(repo), extra_env={"GITHUB_REPOSITORY": "octo-org/nope"}
    )
    assert result.code == 1
    [error] = _errors(result.stdout)
    assert "not found" in error


def test_a_run_that_does_not_exist(fake_github: FakeGitHub, repo: Repo, tmp_path: Path) -> None:
    run = failing_run(repo)
    result = run_action(fake_github, tmp_path, run, **{"run-id": "999999"})
    assert result.code == 1
    assert "run 999999 was not found" in result.stdout


def test_expired_logs_say_what_to_do(fake_github: FakeGitHub, repo: Repo, tmp_path: Path) -> None:
    run = repo.add_run("Tests")
    run.add_job("test", steps=[("Run pytest -q", "failure")], log=PYTEST_LOG, logs_expired=True)
    result = run_action(fake_github, tmp_path, run)
    assert result.code == 1
    assert "rerun the job" in result.stdout


@pytest.mark.parametrize("path", ["created", "commented", "cannot write", "server down"])
def test_the_tokens_appear_nowhere_but_in_masks_and_authorization_headers(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path, path: str
) -> None:
    """Whatever the run does, neither token is in the step's log, outputs, summary,
    issues, comments, any request body, a non-API request, or a file left behind."""
    token, user_token = "ghs_" + "T" * 36, "github_pat_" + "U" * 40
    fake_github.add_token(
        token, actions="read", issues="read" if path == "cannot write" else "write"
    )
    fake_github.add_token(user_token, login="maintainer", issues="write")
    repo.add_assignee("copilot-swe-agent[bot]")
    if path == "commented":
        (tmp_path / "first").mkdir()
        run_action(fake_github, tmp_path / "first", failing_run(repo), token=token)
    if path == "server down":
        fake_github.inject("POST", "*/issues", status=502, times=99)
    (tmp_path / "run").mkdir()
    result = run_action(
        fake_github,
        tmp_path / "run",
        failing_run(repo),
        token=token,
        **{"copilot-token": user_token, "max-retry-wait": "2"},
    )
    assert (result.code == 0) is (path in ("created", "commented")), result.stdout
    shown = [line for line in result.stdout.splitlines() if not line.startswith("::add-mask::")]
    places = {
        "stdout": "\n".join(shown),
        "stderr": result.stderr,
        "outputs": json.dumps(result.outputs),
        "summary": result.summary,
    }
    for issue in repo.issues.values():
        places[f"issue #{issue.number}"] = issue.title + (issue.body or "")
        places.update({f"comment on #{issue.number}": c.body for c in issue.comments})
    for index, request in enumerate(fake_github.requests):
        places[f"request {index} body"] = request.raw_body.decode("utf-8", "replace")
        if not request.api:
            places[f"request {index} headers"] = json.dumps(request.headers)
    for file in tmp_path.rglob("*"):
        if file.is_file() and "cache" not in file.parts:
            places[str(file.relative_to(tmp_path))] = file.read_text("utf-8", "replace")
    for where, text in places.items():
        for secret in (token, user_token):
            assert secret not in text, f"{secret[:8]}… in {where}"


def test_a_copilot_token_hands_the_new_issue_to_copilot(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    repo.add_assignee("copilot-swe-agent[bot]")
    fake_github.add_token("github_pat_user", login="maintainer", issues="write")
    result = run_action(
        fake_github, tmp_path, failing_run(repo), **{"copilot-token": "github_pat_user"}
    )
    assert result.outputs["action"] == "created"
    (issue,) = repo.issues.values()
    assert issue.assignees == ["copilot-swe-agent[bot]"]
    (assign,) = fake_github.requests_to("POST", "*/assignees")
    assert assign.authorization is not None
    assert "github_pat_user" in assign.authorization
    assert "::add-mask::github_pat_user" in result.stdout


def test_a_rules_file_in_the_workspace_is_used(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    rules = tmp_path / ".github" / "self-healing.yml"
    rules.parent.mkdir()
    rules.write_text(
        "version: 1\nrules:\n  - id: shop-flaky-discount\n    kind: transient\n"
        "    category: infrastructure\n    patterns: ['test_total_applies_discount']\n"
        "    weight: 10\n    explanation: Known flaky on shared runners.\n"
        "    samples: {match: [test_total_applies_discount], no_match: [other]}\n"
    )
    result = run_action(fake_github, tmp_path, failing_run(repo))
    assert (result.outputs["classification"], result.outputs["action"]) == ("transient", "skipped")
    assert not repo.issues


def test_a_broken_rules_file_is_one_clear_error(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    rules = tmp_path / "my-rules.yml"
    rules.write_text("version: 1\nrules:\n  - id: x1\n    kind: sometimes\n")
    result = run_action(fake_github, tmp_path, failing_run(repo), **{"rules-file": "my-rules.yml"})
    assert result.code == 2
    (error,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert error.startswith("::error title=Invalid rules file::")
    assert "my-rules.yml" in error
    assert "'x1'" in error
    assert fake_github.requests == []


def test_missing_labels_are_created_with_colour_and_description(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    run_action(fake_github, tmp_path, failing_run(repo))
    created = [r.body for r in fake_github.requests_to("POST", "*/labels")]
    assert sorted(body["name"] for body in created) == ["automated", "ci-failure"]
    assert all(body["color"] and body["description"] for body in created)


def test_log_text_never_runs_as_a_workflow_command(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    hostile = PYTEST_LOG.replace(
        b"E       assert 1350 == 1215",
        b"::set-output name=action::pwned\n::add-mask::everything\nE       assert 1350 == 1215",
    )
    result = run_action(fake_github, tmp_path, failing_run(repo, hostile))
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    end = lines.index(f"::{token}::")
    assert "::set-output name=action::pwned" in lines[start:end]
    outside = lines[:start] + lines[end + 1 :]
    assert not any("pwned" in line or line == "::add-mask::everything" for line in outside)
    assert result.outputs["action"] == "created"


COPIES = 20


def test_copies_started_at_once_leave_one_open_issue_with_every_occurrence(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    """Twenty copies for one failing job (matrix legs, several workflows) start at once:
    each sees no issue and creates one. They end with one open issue, the oldest, that
    records each copy's job exactly once and counts all of them."""
    from concurrent.futures import ThreadPoolExecutor

    runs = [failing_run(repo) for _ in range(COPIES)]
    folders = [tmp_path / f"copy{i}" for i in range(COPIES)]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(COPIES) as pool:
        results = list(
            pool.map(
                lambda pair: run_action(fake_github, pair[0], pair[1]),
                zip(folders, runs, strict=True),
            )
        )
    assert [r.code for r in results] == [0] * COPIES, [r.stdout for r in results if r.code]
    open_issues = [i for i in repo.issues.values() if i.state == "open"]
    assert len(open_issues) == 1
    survivor = open_issues[0]
    assert survivor.number == min(repo.issues)
    assert {r.outputs["issue-number"] for r in results} == {str(survivor.number)}
    records = [survivor.body or ""] + [
        c.body for c in survivor.comments if "self-healing:occurrence" in c.body
    ]
    for run in runs:
        [job] = [j for j in run.jobs if j.conclusion == "failure"]
        job_link = f"/actions/runs/{run.id}/job/{job.id})"
        assert sum(job_link in text for text in records) == 1, job_link
    assert f"**Occurrences:** {COPIES}" in (survivor.body or "")
    for issue in repo.issues.values():
        if issue.number != survivor.number:
            assert issue.state == "closed"
            assert any(f"Duplicate of #{survivor.number}" in c.body for c in issue.comments)


def test_credentials_in_the_log_never_reach_the_issue_or_the_log(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    leaked = "ghp_" + "L" * 36
    hostile = PYTEST_LOG.replace(
        b"E       assert 1350 == 1215",
        f"DEPLOY_TOKEN={leaked}\necho {fake_github.token}\nE       assert 1350 == 1215".encode(),
    )
    result = run_action(fake_github, tmp_path, failing_run(repo, hostile))
    (issue,) = repo.issues.values()
    body = issue.body or ""
    assert "[REDACTED]" in body
    for secret in (leaked, fake_github.token):
        assert secret not in body
        assert secret not in result.summary
    assert leaked not in result.stdout
    assert result.stdout.count(fake_github.token) == 1  # its own ::add-mask:: line
