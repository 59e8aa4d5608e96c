"""`healer classify https://github.com/OWNER/REPO/actions/runs/ID[/job/JOB]`: the run's
failed jobs (or the one job) fetched and classified as the action does it, with the
action's own fetch code and the last green run's log as the baseline.

PyGithub is imported here only, and only when an argument is a run's URL.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from healer.classifier.classify import Classifier, Result
from healer.cli.archive import InputError

_RUN_PATH = re.compile(
    r"/(?P<repo>[\w.-]+/[\w.-]+)/actions/runs/(?P<run>\d+)"
    r"(?:/attempts/\d+)?(?:/jobs?/(?P<job>\d+))?/?"
)
TOKEN_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN")


@dataclass(frozen=True)
class RunUrl:
    server: str  # https://github.com, or a GitHub Enterprise Server's address
    repository: str
    run_id: int
    job_id: int | None

    @property
    def api_url(self) -> str:
        """`GITHUB_API_URL` when set (as on a runner); else GitHub's API, or a GitHub
        Enterprise Server's (`/api/v3` on its web address)."""
        configured = os.environ.get("GITHUB_API_URL", "").strip().rstrip("/")
        if configured:
            return configured
        host = urlsplit(self.server).hostname or ""
        return "https://api.github.com" if host == "github.com" else f"{self.server}/api/v3"

    def name(self, job: str) -> str:
        return f"{self.repository}/actions/runs/{self.run_id}:{job}"


def parse(argument: str) -> RunUrl | None:
    """A workflow run's or job's web address, else None (the argument is a path)."""
    if not argument.startswith(("https://", "http://")):
        return None
    parts = urlsplit(argument)
    match = _RUN_PATH.fullmatch(parts.path)
    if match is None or not parts.hostname:
        raise InputError(
            f"{argument}: not a workflow run's address; copy it from the run's page, "
            "e.g. https://github.com/OWNER/REPO/actions/runs/123 (or …/job/456 for one job)"
        )
    job = match.group("job")
    return RunUrl(
        f"{parts.scheme}://{parts.netloc}",
        match.group("repo"),
        int(match.group("run")),
        int(job) if job else None,
    )


def token(url: RunUrl) -> str:
    """GH_TOKEN or GITHUB_TOKEN, else what `gh auth token` gives for the host."""
    for variable in TOKEN_VARIABLES:
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    gh = shutil.which("gh")
    if gh is not None:
        host = urlsplit(url.server).hostname or "github.com"
        try:
            done = subprocess.run(
                [gh, "auth", "token", "--hostname", host],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            done = None
        if done is not None and done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    raise InputError(
        f"{url.server}/{url.repository}/actions/runs/{url.run_id}: reading a run needs a "
        "token; set GH_TOKEN (e.g. GH_TOKEN=$(gh auth token)) or log in with `gh auth login`"
    )


@dataclass(frozen=True)
class RunLog:
    """A failed job's verdict, with what the action's issue body would link to."""

    result: Result
    context: object  # healer.github.render.RunContext, kept opaque to the output code


def classify_run(url: RunUrl, classifier: Classifier, folder: Path) -> list[RunLog]:
    """The failed jobs of the run's latest attempt (or the job the URL names),
    classified. Raises InputError with what to do when GitHub cannot be read."""
    try:
        import requests
        from github import GithubException
    except ImportError:
        raise InputError(
            f"{url.server}/{url.repository}/actions/runs/{url.run_id}: reading a run needs "
            "the github extra: pip install 'self-healing[github]'"
        ) from None

    from healer.github import explain
    from healer.github.fetch import FetchError

    secret = token(url)
    where = f"{url.server}/{url.repository}/actions/runs/{url.run_id}"
    try:
        return _classify(url, classifier, folder, secret)
    except GithubException as exc:
        problem = (
            "GitHub refused the token (401); set GH_TOKEN to a valid one"
            if exc.status == 401
            else explain.api_error(exc)
        )
        raise InputError(f"{where}: {problem}") from None
    except FetchError as exc:
        raise InputError(f"{where}: {exc}") from None
    except requests.RequestException as exc:
        raise InputError(f"{where}: {explain.network(exc, url.api_url)}") from None


def _classify(url: RunUrl, classifier: Classifier, folder: Path, secret: str) -> list[RunLog]:
    from healer.github.client import make_client
    from healer.github.fetch import (
        LastGreenRun,
        failed_jobs,
        get_run,
        log_and_baseline,
        run_context,
    )
    from healer.github.retries import RetryBudget

    budget = RetryBudget(60)
    repo = make_client(secret, url.api_url, budget).get_repo(url.repository, lazy=True)
    run = get_run(repo, url.run_id)
    if url.job_id is None:
        jobs = failed_jobs(run)
    else:
        listed = [job for job in run.jobs("all") if job.id == url.job_id]
        if not listed:
            raise InputError(f"{url.name(str(url.job_id))}: the run has no job {url.job_id}")
        jobs = failed_jobs(run, listed=listed) or _as_failed(listed)
    context = run_context(url.repository, url.server, str(run.name or ""), run)
    green = LastGreenRun(repo, run)
    found = []
    for job in jobs:
        path, baseline = log_and_baseline(job, folder, budget, green)
        result = classifier.classify_path(path, baseline)
        result = dataclasses.replace(result, path=url.name(job.name))
        found.append(RunLog(result, context.for_job(job, green.url if baseline else None)))
    return found


def _as_failed(listed: list[Any]) -> list[Any]:
    """A job the URL names that did not fail is classified all the same."""
    from healer.github.fetch import base_name
    from healer.github.model import FailedJob

    return [
        FailedJob(job.id, job.name, base_name(job.name), job.html_url, None, job) for job in listed
    ]
