"""`healer classify RUN_URL`: the failed jobs' logs fetched from (the fake) GitHub with
the action's fetch code, one verdict each, and one clear line when it cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from healer.cli import main
from healer.cli.archive import InputError
from healer.cli.remote import RunUrl, parse
from tests.cli.helpers import NPM_LOG, PYTEST_LOG, classify, of_file, verdict
from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo
from tests.runner.action_run import REPO, failing_run

WEB = f"https://github.com/{REPO}/actions/runs"


@pytest.fixture
def api(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GH_TOKEN", fake_github.token)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return fake_github


@pytest.fixture
def repo(api: FakeGitHub) -> Repo:
    return api.add_repo(REPO)


def test_a_run_url_gives_each_failed_jobs_verdict(
    capsys: pytest.CaptureFixture[str], repo: Repo
) -> None:
    run = failing_run(repo, status="completed")
    run.add_job("build", steps=[("Install", "failure")], log=NPM_LOG.read_bytes())
    printed = classify(capsys, f"{WEB}/{run.id}")
    assert printed.code == 0
    assert printed.stderr == ""
    assert [row["path"] for row in printed.rows] == [
        f"{REPO}/actions/runs/{run.id}:test",
        f"{REPO}/actions/runs/{run.id}:build",
    ]
    assert [verdict(row) for row in printed.rows] == [
        of_file(capsys, PYTEST_LOG),
        of_file(capsys, NPM_LOG),
    ]


def test_a_job_url_gives_that_job_only(capsys: pytest.CaptureFixture[str], repo: Repo) -> None:
    run = failing_run(repo, status="completed")
    build = run.add_job("build", steps=[("Install", "failure")], log=NPM_LOG.read_bytes())
    (row,) = classify(capsys, f"{WEB}/{run.id}/job/{build.id}").rows
    assert row["path"] == f"{REPO}/actions/runs/{run.id}:build"
    assert row["kind"] == "transient"


def test_markdown_for_a_run_is_the_action_issue_body(
    capsys: pytest.CaptureFixture[str], repo: Repo
) -> None:
    run = failing_run(repo, status="completed")
    assert main(["classify", "--format", "markdown", f"{WEB}/{run.id}"]) == 0
    body = capsys.readouterr().out
    assert body.startswith("<!-- self-healing:v1 workflow=Tests job=test fingerprint=")
    assert "The job **test** of workflow **Tests** failed" in body
    assert (
        f"- **Run:** [{run.id} (attempt 1)](https://github.com/{REPO}/actions/runs/{run.id})"
        in body
    )
    assert "### What to do next" in body


def test_without_a_token_one_line_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str],
    repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    run = failing_run(repo, status="completed")
    monkeypatch.delenv("GH_TOKEN")
    monkeypatch.setenv("PATH", str(tmp_path))  # no gh either
    printed = classify(capsys, f"{WEB}/{run.id}", str(PYTEST_LOG))
    assert printed.code == 0
    assert printed.rows[1]["kind"] == "persistent"  # the file is still classified
    (line,) = printed.stderr.splitlines()
    assert line == (
        f"healer: error: https://github.com/{REPO}/actions/runs/{run.id}: reading a run needs "
        "a token; set GH_TOKEN (e.g. GH_TOKEN=$(gh auth token)) or log in with `gh auth login`"
    )


def test_the_token_of_gh_is_used_when_no_variable_holds_one(
    capsys: pytest.CaptureFixture[str],
    repo: Repo,
    api: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    run = failing_run(repo, status="completed")
    gh = tmp_path / "gh"
    gh.write_text(f'#!/bin/sh\n[ "$*" = "auth token --hostname github.com" ] && echo {api.token}\n')
    gh.chmod(0o755)
    monkeypatch.delenv("GH_TOKEN")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    (row,) = classify(capsys, f"{WEB}/{run.id}").rows
    assert row["kind"] == "persistent"


def test_a_refused_token_or_a_missing_run_is_one_line(
    capsys: pytest.CaptureFixture[str], repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = failing_run(repo, status="completed")
    monkeypatch.setenv("GH_TOKEN", "not-a-token")
    printed = classify(capsys, f"{WEB}/{run.id}")
    assert printed.code == 0
    assert "GitHub refused the token (401); set GH_TOKEN to a valid one" in printed.stderr
    monkeypatch.undo()


def test_a_missing_run_is_one_line(capsys: pytest.CaptureFixture[str], repo: Repo) -> None:
    printed = classify(capsys, "--fail-on", "any", f"{WEB}/999999")
    assert printed.code == 1
    (line,) = printed.stderr.splitlines()
    assert "run 999999 was not found in octo-org/octo-repo" in line


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/octo-org/octo-repo/pulls/3",
        "https://github.com/octo-org/actions/runs/12",
    ],
)
def test_a_url_that_is_not_a_run_says_what_to_copy(url: str) -> None:
    with pytest.raises(InputError, match="not a workflow run's address; copy it"):
        parse(url)


def test_the_api_of_github_or_of_an_enterprise_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    dotcom = parse("https://github.com/o/r/actions/runs/12/job/34")
    assert dotcom == RunUrl("https://github.com", "o/r", 12, 34)
    assert dotcom.api_url == "https://api.github.com"
    ghes = parse("https://ghe.example.test/o/r/actions/runs/12/attempts/2")
    assert ghes == RunUrl("https://ghe.example.test", "o/r", 12, None)
    assert ghes.api_url == "https://ghe.example.test/api/v3"
    assert parse("logs/run.zip") is None
