"""Running the action as the runner does: entrypoint.py in a process of its own, with the
runner's environment, against the fake GitHub; and a failing run to analyse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from healer.runner.commands import read_outputs
from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo, Run

ROOT = Path(__file__).resolve().parents[2]
REPO = "octo-org/octo-repo"
EXAMPLES = ROOT / "examples" / "logs"
PYTEST_LOG = (EXAMPLES / "github-pytest-failure.log").read_bytes()
NETWORK_LOG = (EXAMPLES / "github-npm-network-error.log").read_bytes()


@dataclass
class Outcome:
    code: int
    stdout: str
    outputs: dict[str, str]
    summary: str
    stderr: str = ""


def run_variables(fake: FakeGitHub, run: Run, event_name: str = "push") -> dict[str, str]:
    """The runner's `GITHUB_*` variables that name the API, the repository and the run."""
    return {
        "GITHUB_API_URL": fake.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": str(run.id),
        "GITHUB_RUN_ATTEMPT": str(run.run_attempt),
        "GITHUB_WORKFLOW": run.name,
        "GITHUB_EVENT_NAME": event_name,
    }


def run_action(
    fake: FakeGitHub,
    tmp_path: Path,
    run: Run,
    token: str | None = None,
    event_name: str = "push",
    extra_env: dict[str, str] | None = None,
    **inputs: str,
) -> Outcome:
    """entrypoint.py with the environment a runner gives a Docker action (plus `extra_env`)."""
    files = tmp_path / "file_commands"
    files.mkdir(exist_ok=True)
    output, summary = files / "set_output", files / "step_summary"
    output.write_text("")
    event = tmp_path / "event.json"
    if not event.exists():
        event.write_text("{}")
    defaults = {
        "github-token": token or fake.token,
        "workflow-name": "",
        "job-name": "",
        "run-id": "",
        "labels": "",
        "mention": "",
        "copilot-token": "",
        "copilot-max-per-day": "",
        "rules-file": "",
        "dry-run": "",
        "max-excerpt-lines": "",
        "max-retry-wait": "",
        "compare-last-green": "",
        "retry-transient": "",
        "max-attempts": "",
        "never-retry": "",
        "close-after": "",
        "reopen-window": "",
        "max-issues-per-run": "",
        "pull-requests": "",
        "notify": "",
        "notify-on": "",
        "mode": "",
        "report-days": "",
    }
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "HEALER_CACHE_DIR": os.environ.get("HEALER_CACHE_DIR", str(tmp_path / "cache")),
        "PYTHONPATH": str(ROOT),
        **run_variables(fake, run, event_name),
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(tmp_path),
    }
    for name, value in {**defaults, **inputs}.items():
        env[f"INPUT_{name.upper()}"] = value
    env.update(extra_env or {})
    done = subprocess.run(
        [sys.executable, str(ROOT / "entrypoint.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return Outcome(
        done.returncode,
        done.stdout,
        read_outputs(output.read_text()),
        summary.read_text() if summary.exists() else "",
        done.stderr,
    )


def api_requests(fake: FakeGitHub) -> list[object]:
    """Requests to the REST API (the log download from the signed URL is not one)."""
    return [r for r in fake.requests if r.api]


def failing_run(
    repo: Repo, log: bytes = PYTEST_LOG, job: str = "test", status: str = "in_progress"
) -> Run:
    """A run with a passing and a failing job; by default still in progress, as the run
    is that the action analyses from within (the workflow_run mode sees it completed)."""
    run = repo.add_run(
        "Tests", status=status, conclusion=None if status != "completed" else "failure"
    )
    run.add_job("lint", conclusion="success", steps=[("Run ruff", "success")], log=b"ok\n")
    run.add_job(job, steps=[("Set up job", "success"), ("Run pytest -q", "failure")], log=log)
    return run


def watch(
    fake: FakeGitHub,
    tmp_path: Path,
    repo: Repo,
    watched: Run,
    token: str | None = None,
    **inputs: str,
) -> Outcome:
    """The watching workflow's job, started by the watched run's workflow_run event."""
    event = {
        "workflow_run": {
            "id": watched.id,
            "name": watched.name,
            "conclusion": watched.conclusion,
            "head_repository": {"full_name": REPO},
        }
    }
    (tmp_path / "event.json").write_text(json.dumps(event))
    watcher = repo.add_run("Self-healing", status="in_progress", conclusion=None)
    watcher.add_job("analyze", conclusion=None, status="in_progress", log=b"")
    return run_action(fake, tmp_path, watcher, token=token, event_name="workflow_run", **inputs)


def finished(repo: Repo, *jobs: tuple[str, bytes], attempt: int = 1) -> Run:
    """A finished run of the Tests workflow whose `jobs` failed with these logs."""
    run = repo.add_run("Tests", conclusion="failure", run_attempt=attempt)
    run.add_job("lint", conclusion="success", steps=[("Run ruff", "success")], log=b"ok\n")
    for name, log in jobs:
        run.add_job(name, steps=[("Set up job", "success"), ("Run it", "failure")], log=log)
    return run


def green(repo: Repo, *, branch: str = "main", attempt: int = 1, number: int | None = None) -> Run:
    """A finished run of the Tests workflow in which every job passed."""
    fields = {"run_number": number} if number is not None else {}
    run = repo.add_run(
        "Tests", conclusion="success", head_branch=branch, run_attempt=attempt, **fields
    )
    for name in ("lint", "install", "test"):
        run.add_job(name, conclusion="success", steps=[("Run it", "success")], log=b"ok\n")
    return run


def numbered(run: Run, number: int) -> Run:
    run.run_number = number
    return run
