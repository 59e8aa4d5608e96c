"""`healer report` against the fake GitHub, on a seeded history of 240 runs over 60 days:
the figures equal those computed from the seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.github.fake_github import FakeGitHub
from tests.runner.action_run import REPO, ROOT
from tests.trends.seeded import seed


def report(
    fake: FakeGitHub, *args: str, token: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "GITHUB_API_URL": fake.url,
        "GITHUB_TOKEN": token if token is not None else fake.token,
        "HEALER_CACHE_DIR": os.environ.get("HEALER_CACHE_DIR", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "healer", "report", "--repo", REPO, *args],
        env={k: v for k, v in env.items() if v},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def until() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_the_figures_equal_the_seeds(fake_github: FakeGitHub, until: datetime) -> None:
    repo = fake_github.add_repo(REPO)
    current, previous = seed(repo, until)
    done = report(fake_github, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == 1
    assert data["partial"] is False
    for got, want in ((data["current"], current), (data["previous"], previous)):
        assert got["runs"] == want.runs
        assert got["failed_runs"] == want.failed_runs
        assert got["failure_rate"] == round(want.failed_runs / want.runs, 4)
        assert got["rescued_runs"] == want.rescued
        assert got["flaky_jobs"] == len(want.flaky)
        assert got["classified_jobs"] == want.classified_jobs
        assert got["transient_jobs"] == want.transient_jobs
        assert got["median_hours_to_close"] == want.median_close
    assert data["categories"] == dict(sorted(current.categories.items(), key=lambda kv: -kv[1]))
    failures = {(row["workflow"], row["job"]): row["failures"] for row in data["jobs"]}
    assert failures == current.job_failures
    nightly = next(row for row in data["jobs"] if row["job"] == "e2e")
    assert nightly["runs"] == current.runs_per_workflow["Nightly"]
    # Nightly gets worse: it fails more in this window than in the one before.
    assert current.job_failures[("Nightly", "e2e")] > previous.job_failures[("Nightly", "e2e")]
    assert [(row["workflow"], row["job"]) for row in data["flaky"]] == sorted(current.flaky)
    assert "API requests" in done.stderr


def test_markdown_and_csv_show_the_same_jobs(fake_github: FakeGitHub, until: datetime) -> None:
    repo = fake_github.add_repo(REPO)
    current, _ = seed(repo, until)
    markdown = report(fake_github)
    assert markdown.returncode == 0, markdown.stderr
    text = markdown.stdout
    assert "## CI health: the last 30 days" in text
    assert text.count("```mermaid") == 3
    assert "xychart-beta" in text
    assert "pie title" in text
    csv_out = report(fake_github, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("workflow,job,failures")
    assert len(csv_out) - 1 == len(current.job_failures)


def test_the_request_budget_holds_and_a_partial_report_says_so(
    fake_github: FakeGitHub, until: datetime
) -> None:
    repo = fake_github.add_repo(REPO)
    seed(repo, until)
    done = report(fake_github, "--format", "json", "--max-requests", "20")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["partial"] is True
    assert data["skipped"]
    api = [r for r in fake_github.requests if r.api and r.path != f"/repos/{REPO}"]
    assert len(api) <= 20
    markdown = report(fake_github, "--max-requests", "20").stdout
    assert "**Partial report:**" in markdown


@pytest.mark.parametrize(
    ("args", "token", "message"),
    [
        (["--repo", "not a repo"], None, "is not OWNER/NAME"),
        ([], "", "no token in $GITHUB_TOKEN"),
    ],
)
def test_bad_input_ends_in_one_clear_line(
    fake_github: FakeGitHub, args: list[str], token: str | None, message: str, tmp_path: Path
) -> None:
    fake_github.add_repo(REPO)
    done = report(fake_github, *args, token=token)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_busy_repository_stays_within_a_thousand_requests(
    fake_github: FakeGitHub, until: datetime
) -> None:
    from tests.trends.seeded import seed_busy

    repo = fake_github.add_repo(REPO)
    recent, failed_recent = seed_busy(repo, until)
    assert 1490 <= recent <= 1560  # about 1,500 runs in the 30 days and today
    assert 250 <= failed_recent <= 350  # about 300 failed jobs in the window
    done = report(fake_github, "--format", "json")
    assert done.returncode == 0, done.stderr
    api = [r for r in fake_github.requests if r.api]
    assert len(api) <= 1000
    data = json.loads(done.stdout)
    # The window is read whole, every failed job classified; the budget runs out, if at
    # all, on the window before, and the report says so.
    assert data["current"]["runs"] == recent
    assert data["current"]["classified_jobs"] == failed_recent
    assert data["partial"] is bool(data["skipped"])


def test_an_unknown_repository_or_a_refused_token_ends_in_one_clear_line(
    fake_github: FakeGitHub,
) -> None:
    missing = report(fake_github)  # no repository added to the fake
    assert missing.returncode == 1
    assert missing.stderr.count("healer: error:") == 1
    assert "404" in missing.stderr
    assert "Traceback" not in missing.stderr
    fake_github.add_repo(REPO)
    refused = report(fake_github, token="ghs_notAValidToken000000000000000000000")
    assert refused.returncode == 1
    assert "401" in refused.stderr
    assert "Traceback" not in refused.stderr
