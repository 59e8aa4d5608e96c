"""Fetching: the run, its failed jobs for the current attempt, each job's log."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from github.Repository import Repository
    from github.WorkflowJob import WorkflowJob
    from github.WorkflowRun import WorkflowRun

FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
_MATRIX_SUFFIX = re.compile(r"\s+\(.*\)$")
LOG_TIMEOUT = 60
CHUNK = 1 << 20


class FetchError(RuntimeError):
    """A problem the user can act on; the message says what to do."""


@dataclass(frozen=True)
class FailedJob:
    id: int
    name: str
    base_name: str
    html_url: str
    failed_step: str | None
    # The listed job object: its logs URL is asked for without fetching the job again.
    handle: Any = field(default=None, compare=False, repr=False)


def base_name(job_name: str) -> str:
    """`test (3.12, ubuntu-latest)` → `test`: one issue per job, whatever the matrix."""
    return _MATRIX_SUFFIX.sub("", job_name).strip()


def get_run(repo: Repository, run_id: int) -> WorkflowRun:
    from github import GithubException

    try:
        run = repo.get_workflow_run(run_id)
        run.run_attempt  # noqa: B018 - from a lazy repository, this is where the run is fetched
        return run
    except GithubException as exc:
        if exc.status == 404:
            raise FetchError(
                f"run {run_id} was not found in {repo.full_name}; check run-id, and that the token "
                "can read Actions (permissions: actions: read)"
            ) from None
        if exc.status == 403:
            raise FetchError(
                "the token may not read workflow runs; add 'actions: read' to the job's permissions"
            ) from None
        raise


def failed_jobs(run: WorkflowRun, job_name: str = "") -> list[FailedJob]:
    """The failed jobs of the run's latest attempt, optionally only `job_name`
    (exact, or its matrix base name)."""
    found = []
    for job in run.jobs("latest"):
        if job.conclusion not in FAILED_CONCLUSIONS:
            continue
        if job_name and job_name not in (job.name, base_name(job.name)):
            continue
        found.append(
            FailedJob(
                id=job.id,
                name=job.name,
                base_name=base_name(job.name),
                html_url=job.html_url,
                failed_step=_failed_step(job),
                handle=job,
            )
        )
    return found


def _failed_step(job: WorkflowJob) -> str | None:
    for step in job.steps or []:
        if step.conclusion == "failure":
            return str(step.name)
    return None


def download_log(job: FailedJob, folder: Path) -> Path:
    """Stream a job's log to a file. The logs endpoint answers 302 with a
    short-lived URL, fetched without the token."""
    import requests
    from github import GithubException

    job_id = job.id
    try:
        url = job.handle.logs_url()
    except GithubException as exc:
        if exc.status in (404, 410):
            raise FetchError(
                f"the log of job {job_id} is gone (expired or deleted); logs are kept 90 days "
                "by default, rerun the job to analyse it"
            ) from None
        if exc.status == 403:
            raise FetchError(
                "the token may not read job logs; add 'actions: read' to the job's permissions"
            ) from None
        raise
    target = Path(tempfile.mkstemp(prefix=f"job-{job_id}-", suffix=".log", dir=folder)[1])
    with requests.get(url, stream=True, timeout=LOG_TIMEOUT) as response:
        if response.status_code in (403, 404, 410):
            raise FetchError(
                f"the log of job {job_id} could not be downloaded ({response.status_code}); rerun to try again"
            )
        response.raise_for_status()
        with target.open("wb") as out:
            for chunk in response.iter_content(CHUNK):
                out.write(chunk)
    return target
