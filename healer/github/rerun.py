"""Re-running failed jobs of a finished run: the whole run's failed jobs in one
request, or chosen jobs one by one. Needs `actions: write`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from healer.github.model import FailedJob

if TYPE_CHECKING:
    from github.WorkflowRun import WorkflowRun


class RerunRefused(RuntimeError):
    """GitHub would not re-run; the message says what to do."""


def rerun(run: WorkflowRun, jobs: Sequence[FailedJob], whole_run: bool) -> None:
    """`POST …/runs/{id}/rerun-failed-jobs` when `whole_run`, else
    `POST …/jobs/{id}/rerun` for each job."""
    from github import GithubException

    from healer.github.client import rate_limited

    urls = (
        [f"{run.url}/rerun-failed-jobs"]
        if whole_run
        else [f"{run.url.split('/actions/runs/')[0]}/actions/jobs/{job.id}/rerun" for job in jobs]
    )
    for url in urls:
        try:
            run.requester.requestJsonAndCheck("POST", url)
        except GithubException as exc:
            if exc.status != 403 or rate_limited(exc):
                raise
            message = str((exc.data or {}).get("message", "")) if isinstance(exc.data, dict) else ""
            if "already running" in message:
                raise RerunRefused(
                    "GitHub refused the re-run: the run is still in progress (a run cannot "
                    "re-run itself); use the workflow_run mode to re-run transient failures"
                ) from None
            raise RerunRefused(
                "the token may not re-run jobs; add 'actions: write' to the job's permissions "
                "to re-run transient failures (the verdicts are reported all the same)"
            ) from None
