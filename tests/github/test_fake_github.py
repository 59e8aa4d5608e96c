"""Tests of the fake GitHub harness itself, driven through PyGithub as the action will."""

from __future__ import annotations

import time
from pathlib import Path

import github
import pytest
import requests

from tests.github.fake_github import FakeGitHub, GitHubContract, fetch_spec

REPO = "octo-org/octo-repo"


def client(fake: FakeGitHub, token: str | None = None, **options: object) -> github.Github:
    """PyGithub as the action builds it, minus its throttling (1 s between writes)."""
    auth = github.Auth.Token(token or fake.token)
    return github.Github(
        auth=auth,
        base_url=fake.url,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
        **options,  # type: ignore[arg-type]
    )


def raw(fake: FakeGitHub, method: str, path: str, **kwargs: object) -> requests.Response:
    headers = {"Authorization": f"token {fake.token}", "Accept": "application/vnd.github+json"}
    return requests.request(method, fake.url + path, headers=headers, timeout=10, **kwargs)  # type: ignore[arg-type]


def test_spec_is_pinned_cached_outside_the_repo_and_loaded(github_contract: GitHubContract) -> None:
    path = fetch_spec.spec_path()
    assert fetch_spec.is_cached()
    assert Path(__file__).resolve().parents[2] not in path.resolve().parents
    assert fetch_spec.VERSION in str(path)
    assert github_contract.load_seconds < 10


def test_repository_and_workflow_run(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo(REPO, default_branch="trunk")
    run = repo.add_run(
        "CI", head_branch="feature", head_sha="b" * 40, event="pull_request", run_attempt=2
    )
    forked = repo.add_run("CI", head_repository="someone/octo-repo")

    gh_repo = client(fake_github).get_repo(REPO)
    assert (gh_repo.full_name, gh_repo.default_branch, gh_repo.id) == (REPO, "trunk", repo.id)

    gh_run = gh_repo.get_workflow_run(run.id)
    assert gh_run.name == "CI"
    assert (gh_run.head_branch, gh_run.head_sha, gh_run.event) == (
        "feature",
        "b" * 40,
        "pull_request",
    )
    assert (gh_run.status, gh_run.conclusion, gh_run.run_attempt) == ("completed", "failure", 2)
    assert gh_run.html_url.endswith(f"/{REPO}/actions/runs/{run.id}")
    assert gh_run.head_repository.full_name == REPO
    assert gh_repo.get_workflow_run(forked.id).head_repository.full_name == "someone/octo-repo"

    with pytest.raises(github.UnknownObjectException):
        gh_repo.get_workflow_run(999)


def test_jobs_are_paginated_like_github(fake_github: FakeGitHub) -> None:
    run = fake_github.add_repo(REPO).add_run()
    for i in range(205):
        run.add_job(f"job {i}", conclusion="success" if i % 2 else "failure")

    jobs = client(fake_github, per_page=100).get_repo(REPO).get_workflow_run(run.id).jobs()
    assert [j.name for j in jobs] == [f"job {i}" for i in range(205)]
    assert jobs.totalCount == 205
    pages = fake_github.requests_to("GET", f"/repos/{REPO}/actions/runs/{run.id}/jobs")
    assert [r.param("page") for r in pages if r.param("per_page") == "100"] == [None, "2", "3"]

    first = raw(fake_github, "GET", f"/repos/{REPO}/actions/runs/{run.id}/jobs?per_page=2")
    assert first.json()["total_count"] == 205
    assert len(first.json()["jobs"]) == 2
    assert first.links["next"]["url"].endswith("per_page=2&page=2")
    assert first.links["last"]["url"].endswith("per_page=2&page=103")
    last = requests.get(first.links["last"]["url"], headers=first.request.headers, timeout=10)
    assert [j["name"] for j in last.json()["jobs"]] == ["job 204"]
    assert set(last.links) == {"prev", "first"}


def test_jobs_of_attempts(fake_github: FakeGitHub) -> None:
    run = fake_github.add_repo(REPO).add_run()
    run.add_job("build", conclusion="success")
    run.add_job("test", conclusion="failure")
    run.run_attempt = 2
    retried = run.add_job("test", conclusion="success", steps=[("Run tests", "success")])

    gh_run = client(fake_github).get_repo(REPO).get_workflow_run(run.id)
    latest = {j.name: j for j in gh_run.jobs()}
    assert latest["test"].id == retried.id
    assert latest["test"].run_attempt == 2
    assert [(s.name, s.number, s.conclusion) for s in latest["test"].steps] == [
        ("Run tests", 1, "success")
    ]
    assert gh_run.jobs("all").totalCount == 3

    requester = client(fake_github).requester
    _, first = requester.requestJsonAndCheck(
        "GET", f"/repos/{REPO}/actions/runs/{run.id}/attempts/1/jobs"
    )
    assert [j["name"] for j in first["jobs"]] == ["build", "test"]
    with pytest.raises(github.UnknownObjectException):
        requester.requestJsonAndCheck("GET", f"/repos/{REPO}/actions/runs/{run.id}/attempts/3/jobs")


def test_job_logs_redirect_to_an_unauthenticated_short_lived_url(fake_github: FakeGitHub) -> None:
    run = fake_github.add_repo(REPO).add_run()
    job = run.add_job("test", log=b"##[error]Process completed with exit code 1.\n")
    expired = run.add_job("old", log=b"gone", logs_expired=True)

    gh_run = client(fake_github).get_repo(REPO).get_workflow_run(run.id)
    gh_job = next(j for j in gh_run.jobs() if j.id == job.id)
    location = gh_job.logs_url()
    assert location.startswith(f"{fake_github.url}/_blob/logs/{job.id}?sig=")
    assert fake_github.requests_to("GET", f"*/actions/jobs/{job.id}/logs")[0].status == 302

    download = requests.get(location, timeout=10)
    assert download.status_code == 200
    assert download.content == job.log
    assert [r.authorization for r in fake_github.blob_requests] == [None]

    assert requests.get(location.replace("sig=", "sig=x"), timeout=10).status_code == 403
    fake_github.log_url_ttl = -1
    assert requests.get(gh_job.logs_url(), timeout=10).status_code == 403

    with pytest.raises(github.GithubException) as gone:
        next(j for j in gh_run.jobs() if j.id == expired.id).logs_url()
    assert gone.value.status == 410


def test_labels_issues_comments_and_closing(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo(REPO)
    repo.add_assignee("octocat")
    repo.add_issue("an old one", labels=["ci-transient"], state="closed")
    repo.add_issue("a pull request", labels=["ci-transient"], pull_request=True)
    gh_repo = client(fake_github).get_repo(REPO)

    with pytest.raises(github.UnknownObjectException):
        gh_repo.get_label("no such label")
    label = gh_repo.create_label("ci-flaky", "d73a4a", "Fails then passes")
    assert (label.name, label.color, label.description) == (
        "ci-flaky",
        "d73a4a",
        "Fails then passes",
    )
    assert gh_repo.get_label("CI-FLAKY").name == "ci-flaky"
    with pytest.raises(github.GithubException) as duplicate:
        gh_repo.create_label("ci-flaky", "000000")
    assert duplicate.value.status == 422

    issue = gh_repo.create_issue(
        "Flaky: test_network", body="details", labels=["ci-flaky", "ci-transient"]
    )
    assert issue.number == 3
    assert [x.name for x in issue.labels] == ["ci-flaky", "ci-transient"]
    assert issue.user.login == "github-actions[bot]"
    assert repo.issues[3].labels == ["ci-flaky", "ci-transient"]

    both = gh_repo.get_issues(state="open", labels=["ci-flaky", "ci-transient"])
    assert [i.number for i in both] == [3]
    transient = gh_repo.get_issues(state="open", labels=[gh_repo.get_label("ci-transient")])
    assert sorted(i.number for i in transient) == [2, 3]  # pull requests are issues too
    assert next(i for i in transient if i.number == 2).pull_request is not None

    issue.create_comment("seen again in run 42")
    issue.add_to_assignees("octocat", "not-a-collaborator")
    assert repo.issues[3].assignees == ["octocat"]
    assert [c.body for c in issue.get_comments()] == ["seen again in run 42"]

    issue.edit(state="closed", state_reason="completed")
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert repo.issues[3].closed_at is not None
    assert [i.number for i in gh_repo.get_issues(state="open")] == [2]


def test_rerun_failed_jobs(fake_github: FakeGitHub) -> None:
    run = fake_github.add_repo(REPO).add_run()
    run.add_job("build", conclusion="success")
    run.add_job("test", conclusion="failure")

    assert client(fake_github).get_repo(REPO).get_workflow_run(run.id).rerun_failed_jobs()
    assert (run.rerun_requests, run.run_attempt, run.status) == (1, 2, "queued")
    assert [(j.name, j.run_attempt) for j in run.jobs_of(attempt=2)] == [("test", 2)]


def test_bad_or_missing_token_is_401(fake_github: FakeGitHub) -> None:
    fake_github.add_repo(REPO)
    with pytest.raises(github.BadCredentialsException) as error:
        client(fake_github, token="ghs_not_a_token").get_repo(REPO)
    assert error.value.status == 401
    assert error.value.data["message"] == "Bad credentials"
    assert requests.get(f"{fake_github.url}/repos/{REPO}", timeout=10).status_code == 401


def test_missing_permission_is_403(fake_github: FakeGitHub) -> None:
    run = fake_github.add_repo(REPO).add_run()
    fake_github.add_token("ghs_reader", actions="read")
    gh_repo = client(fake_github, token="ghs_reader").get_repo(REPO)
    assert gh_repo.get_workflow_run(run.id).id == run.id

    with pytest.raises(github.GithubException) as error:
        gh_repo.create_issue("nope")
    assert error.value.status == 403
    assert error.value.data["message"] == "Resource not accessible by integration"
    assert (error.value.headers or {})["x-accepted-github-permissions"] == "issues=write"
    assert fake_github.repo(REPO).issues == {}


def test_contract_violations_are_recorded_and_answered_422(fake_github: FakeGitHub) -> None:
    fake_github.add_repo(REPO)
    response = raw(fake_github, "POST", f"/repos/{REPO}/issues", json={"labels": "x"})
    assert response.status_code == 422
    assert raw(fake_github, "GET", f"/repos/{REPO}/issues?state=bogus").status_code == 422

    violations = fake_github.take_violations()
    assert len(violations) == 2
    assert "'title' is a required property" in violations[0]
    assert "'x' is not of type 'array'" in violations[0]
    assert "'bogus' is not one of ['open', 'closed', 'all']" in violations[1]
    assert fake_github.repo(REPO).issues == {}


def test_unknown_endpoints_fail_the_test_at_teardown(github_contract: GitHubContract) -> None:
    with FakeGitHub(github_contract) as fake:
        fake.add_repo(REPO)
        assert raw(fake, "GET", f"/repos/{REPO}/pulls").status_code == 404  # not faked
        assert raw(fake, "GET", "/no/such/endpoint").status_code == 404  # not GitHub's
    assert fake.unexpected == [f"GET /repos/{REPO}/pulls"]
    assert "/no/such/endpoint" in fake.violations[0]
    with pytest.raises(AssertionError, match=r"unexpected request.*pulls"):
        fake.check()
    fake.take_violations()
    fake.take_unexpected()
    fake.check()


def test_request_log_and_rate_limit_headers(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo(REPO)
    repo.add_issue("existing")
    gh = client(fake_github)
    gh_repo = gh.get_repo(REPO)
    list(gh_repo.get_issues())
    assert fake_github.write_requests == []
    assert [(r.method, r.path, r.status) for r in fake_github.requests] == [
        ("GET", f"/repos/{REPO}", 200),
        ("GET", f"/repos/{REPO}/issues", 200),
    ]
    assert fake_github.requests[0].authorization == f"token {fake_github.token}"
    assert gh.rate_limiting == (4998, 5000)

    gh_repo.create_issue("new", body="text")
    (write,) = fake_github.write_requests
    assert (write.method, write.body) == ("POST", {"title": "new", "body": "text"})


def test_fault_injection(fake_github: FakeGitHub) -> None:
    fake_github.add_repo(REPO)
    fake_github.inject("GET", f"/repos/{REPO}", times=2, status=502, body=b"bad gateway")
    fake_github.inject("GET", "/repos/*", status=403, headers={"x-ratelimit-remaining": "0"})
    assert raw(fake_github, "GET", f"/repos/{REPO}").status_code == 502
    assert raw(fake_github, "GET", f"/repos/{REPO}").status_code == 502
    limited = raw(fake_github, "GET", f"/repos/{REPO}")
    assert (limited.status_code, limited.headers["x-ratelimit-remaining"]) == (403, "0")
    assert raw(fake_github, "GET", f"/repos/{REPO}").status_code == 200

    fake_github.inject("GET", f"/repos/{REPO}", drop=True)
    with pytest.raises(requests.ConnectionError):
        raw(fake_github, "GET", f"/repos/{REPO}")
    assert fake_github.requests[-1].status is None

    fake_github.inject("*", "*", delay=0.3)
    started = time.monotonic()
    assert raw(fake_github, "GET", f"/repos/{REPO}").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_faults_that_spoil_the_answer_after_the_work_is_done(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo(REPO)
    # The issue is created, then the answer is lost: first a 502, then a dropped connection.
    fake_github.inject("POST", f"/repos/{REPO}/issues", status=502, handled=True)
    assert raw(fake_github, "POST", f"/repos/{REPO}/issues", json={"title": "a"}).status_code == 502
    fake_github.inject("POST", f"/repos/{REPO}/issues", drop=True, handled=True)
    with pytest.raises(requests.ConnectionError):
        raw(fake_github, "POST", f"/repos/{REPO}/issues", json={"title": "b"})
    assert [issue.title for issue in repo.issues.values()] == ["a", "b"]
    # Without `handled`, the fault answers instead of GitHub: nothing is created.
    fake_github.inject("POST", f"/repos/{REPO}/issues", status=503)
    assert raw(fake_github, "POST", f"/repos/{REPO}/issues", json={"title": "c"}).status_code == 503
    assert len(repo.issues) == 2


def test_a_reset_connection_and_a_cut_off_body(fake_github: FakeGitHub) -> None:
    fake_github.add_repo(REPO)
    fake_github.inject("GET", f"/repos/{REPO}", reset=True)
    with pytest.raises(requests.ConnectionError, match="reset"):
        raw(fake_github, "GET", f"/repos/{REPO}")

    fake_github.inject("GET", f"/repos/{REPO}", truncate=10)
    # urllib3 counts the bytes it was promised.
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
        raw(fake_github, "GET", f"/repos/{REPO}")
    assert fake_github.requests[-1].status == 200
    whole = raw(fake_github, "GET", f"/repos/{REPO}")  # the fault is used up
    assert len(whole.content) == int(whole.headers["Content-Length"])


def test_a_slow_answer_outlasts_the_client_timeout(fake_github: FakeGitHub) -> None:
    fake_github.add_repo(REPO)
    fake_github.inject("GET", f"/repos/{REPO}", delay=1.0)
    headers = {"Authorization": f"token {fake_github.token}"}
    with pytest.raises(requests.Timeout):
        requests.get(fake_github.url + f"/repos/{REPO}", headers=headers, timeout=0.2)
    assert raw(fake_github, "GET", f"/repos/{REPO}").status_code == 200
