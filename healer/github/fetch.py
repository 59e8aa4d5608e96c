"""Fetching: the run, its failed jobs for the current attempt, each job's log."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from healer.classifier.baseline import Baseline
from healer.github.model import FailedJob, aware
from healer.github.render import RunContext

if TYPE_CHECKING:
    from github import GithubException
    from github.Repository import Repository
    from github.WorkflowJob import WorkflowJob
    from github.WorkflowRun import WorkflowRun

    from healer.github.retries import RetryBudget

log = logging.getLogger("healer.github.fetch")
FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
# GitHub keeps logs 90 days by default: an older green run's logs are likely gone.
GREEN_MAX_AGE = timedelta(days=90)
_MATRIX_SUFFIX = re.compile(r"\s+\(.*\)$")
LOG_TIMEOUT = 60.0  # seconds without a byte from the log storage
LOG_DEADLINE_TIMEOUTS = 10  # a whole download may take this many timeouts, no more
LOG_ATTEMPTS = 4  # tries at downloading one log
CHUNK = 1 << 20


class FetchError(RuntimeError):
    """A problem the user can act on; the message says what to do."""


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
        raise _refusal(
            exc,
            gone=(404,),
            gone_message=f"run {run_id} was not found in {repo.full_name}; check run-id, and "
            "that the token can read Actions (permissions: actions: read)",
            forbidden_message="the token may not read workflow runs; add 'actions: read' to "
            "the job's permissions",
        ) from None


def latest_jobs(run: WorkflowRun) -> list[WorkflowJob]:
    """Every job of the run's latest attempt (one listing, read once per run)."""
    return list(run.jobs("latest"))


def failed_jobs(
    run: WorkflowRun, job_name: str = "", listed: list[WorkflowJob] | None = None
) -> list[FailedJob]:
    """The failed jobs of the run's latest attempt (`listed`, if already read),
    optionally only `job_name` (exact, or its matrix base name)."""
    found = []
    for job in listed if listed is not None else run.jobs("latest"):
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
                failed_step_number=_failed_step_number(job),
            )
        )
    return found


def _failed_step_number(job: WorkflowJob) -> int | None:
    for step in job.steps or []:
        if step.conclusion == "failure":
            return int(step.number)
    return None


def _failed_step(job: WorkflowJob) -> str | None:
    for step in job.steps or []:
        if step.conclusion == "failure":
            return str(step.name)
    return None


def _log_url(job: FailedJob) -> str:
    """The short-lived URL of a job's log, from the API's 302."""
    from github import GithubException

    try:
        return str(job.handle.logs_url())
    except GithubException as exc:
        raise _refusal(
            exc,
            gone=(404, 410),
            gone_message=f"the log of job {job.id} is gone (expired or deleted); logs are kept "
            "90 days by default, rerun the job to analyse it",
            forbidden_message="the token may not read job logs; add 'actions: read' to the "
            "job's permissions",
        ) from None


def _refusal(
    exc: GithubException, gone: tuple[int, ...], gone_message: str, forbidden_message: str
) -> Exception:
    """What to raise for GitHub's refusal `exc`: a FetchError that says what to fix
    for a missing thing or a missing permission (a 403 that is no rate limit), else
    `exc` itself."""
    from healer.github.client import rate_limited

    if exc.status in gone:
        return FetchError(gone_message)
    if exc.status == 403 and not rate_limited(exc):
        return FetchError(forbidden_message)
    return exc


class _UrlExpired(Exception):
    """The storage refused the signed URL (403, 404, 410): it expired or was revoked."""


class _Incomplete(Exception):
    """A try that may succeed when repeated: a server error or a cut-off body."""


class _TooSlow(Exception):
    """The storage kept sending, too slowly for a read timeout ever to fire."""


def _download(url: str, target: Path, timeout: float) -> None:
    """One try at `url` into `target`; raises on an answer or a body that is not whole,
    or one that takes longer than `LOG_DEADLINE_TIMEOUTS` timeouts in all."""
    import requests

    deadline = timeout * LOG_DEADLINE_TIMEOUTS
    # No token: the signature in the URL is the authorisation.
    with requests.get(url, stream=True, timeout=timeout) as response:
        if response.status_code in (403, 404, 410):
            raise _UrlExpired(str(response.status_code))
        if response.status_code != 200:
            raise _Incomplete(f"the log storage answered {response.status_code}")
        expected = response.headers.get("Content-Length", "")
        # A watchdog shuts the socket down at the deadline: a read blocked on it returns
        # at once (closing alone would not wake it).
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            sock = getattr(getattr(response.raw, "connection", None), "sock", None)
            with contextlib.suppress(OSError):
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            response.close()

        watchdog = threading.Timer(deadline, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            with target.open("wb") as out:
                for chunk in response.iter_content(CHUNK):
                    out.write(chunk)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, OSError):
            if not fired.is_set() and not expected.isdigit():
                raise
        finally:
            watchdog.cancel()
        if fired.is_set():
            raise _TooSlow(f"the download took longer than {deadline:.0f} s in all")
        received = int(response.raw.tell())  # bytes on the wire, before any decoding
        if expected.isdigit() and received != int(expected):
            raise _Incomplete(f"the download stopped after {received} of {expected} bytes")


def download_log(job: FailedJob, folder: Path, budget: RetryBudget) -> Path:
    """Stream a job's log to a file. The logs endpoint answers 302 with a
    short-lived URL, fetched without the token. Server errors, broken connections
    and cut-off bodies are retried, the waits taken from `budget`; a URL refused
    by the storage is asked for anew once."""
    import requests

    from healer.github.client import request_timeout
    from healer.github.retries import network_problem

    handle, name = tempfile.mkstemp(prefix=f"job-{job.id}-", suffix=".log", dir=folder)
    os.close(handle)
    target = Path(name)
    timeout = request_timeout(LOG_TIMEOUT)
    url, renewed, attempt = _log_url(job), False, 1
    while True:
        try:
            _download(url, target, timeout)
            return target
        except _UrlExpired as expired:
            if renewed:
                raise FetchError(
                    f"the log URL of job {job.id} expired before the log could be downloaded "
                    f"(the storage answered {expired}, twice); re-run the analysis"
                ) from None
            url, renewed = _log_url(job), True
            continue
        except _TooSlow as slow:
            # Trying again would cost as long again: stop here.
            raise FetchError(
                f"the log of job {job.id} could not be downloaded: {slow}, though data "
                "kept coming; the log storage is too slow, re-run the analysis later"
            ) from None
        except _Incomplete as incomplete:
            problem = str(incomplete)
        except requests.RequestException as error:
            problem = network_problem(error)
        wait = 0.0 if attempt == 1 else float(2 ** (attempt - 1))
        if attempt >= LOG_ATTEMPTS or not budget.wait(wait, f"log of job {job.id}: {problem}"):
            raise FetchError(
                f"the log of job {job.id} could not be downloaded: {problem} "
                f"({attempt} tries); re-run the analysis"
            )
        attempt += 1


class LastGreenRun:
    """The latest successful run of the same workflow on the same branch: its log of a
    job is the baseline for that job's failure. Looked up once per run, on first need
    (one request for the runs, one for their jobs, one per job for its log URL); any
    trouble only means no baseline."""

    def __init__(self, repo: Repository, run: WorkflowRun) -> None:
        self.repo = repo
        self.run = run
        self.url: str | None = None
        self._jobs: dict[str, WorkflowJob] | None = None

    def _lookup(self) -> dict[str, WorkflowJob]:
        branch = self.run.head_branch
        if not branch:
            return {}
        oldest = datetime.now(UTC) - GREEN_MAX_AGE
        runs = self.repo.get_workflow_runs(
            branch=branch,  # type: ignore[arg-type]  # PyGithub takes a name too, as documented
            event=self.run.event,
            status="success",
            exclude_pull_requests=True,
        )
        for candidate in runs.get_page(0):
            if candidate.workflow_id != self.run.workflow_id or candidate.id == self.run.id:
                continue
            created = candidate.created_at
            if created is not None and aware(created) < oldest:
                return {}
            self.url = str(candidate.html_url)
            return {job.name: job for job in candidate.jobs("latest")}
        return {}

    def log_of(self, job: FailedJob, folder: Path, budget: RetryBudget) -> Path | None:
        """The green run's log of the same job (same name, else same matrix base name)."""
        import requests
        from github import GithubException

        try:
            if self._jobs is None:
                self._jobs = {}  # a failed lookup is not tried again for the next job
                self._jobs = self._lookup()
            green = self._jobs.get(job.name) or next(
                (j for name, j in self._jobs.items() if base_name(name) == job.base_name), None
            )
            if green is None or green.conclusion != "success":
                return None
            same = FailedJob(green.id, green.name, job.base_name, green.html_url, None, green)
            return download_log(same, folder, budget)
        except (GithubException, FetchError, requests.RequestException) as exc:
            log.info("no baseline from the last green run (%s)", type(exc).__name__)
            return None


def run_context(repository: str, server_url: str, workflow: str, run: WorkflowRun) -> RunContext:
    """Where the run's failures happened, for links; each failed job adds its part
    (`RunContext.for_job`)."""
    return RunContext(
        repository=repository,
        server_url=server_url,
        workflow=workflow,
        run_id=int(run.id),
        run_attempt=int(run.run_attempt or 1),
        job_name="",
        job_url="",
        failed_step=None,
        run_number=int(run.run_number or 0),
        head_sha=str(run.head_sha or ""),
        head_branch=str(run.head_branch or ""),
    )


def log_and_baseline(
    job: FailedJob, folder: Path, budget: RetryBudget, green: LastGreenRun | None
) -> tuple[Path, Baseline | None]:
    """The job's log, and the same job's log in the last green run (if asked for and
    found) as the baseline."""
    path = download_log(job, folder, budget)
    green_log = green.log_of(job, folder, budget) if green is not None else None
    return path, Baseline.from_path(green_log) if green_log is not None else None
