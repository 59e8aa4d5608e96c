"""Which transient failures to re-run: a pure decision, made once per run.

GitHub re-runs only a finished run (a run cannot re-run itself while it is in
progress), at most 50 times. The user caps the attempts with `max-attempts` and names
workflows or jobs never to re-run (deploys, publishes) with `never-retry`. Where
every failed job is transient, the run's failed jobs are re-run in one request;
where some need a fix, only the transient ones, job by job, so the persistent
failures keep their issues and nothing that must change is run again for nothing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

from healer.classifier.rule import Kind
from healer.github.model import FailedJob

IN_PROGRESS_NOTE = (
    "The run is still in progress, and GitHub lets no run re-run itself: transient "
    "failures are re-run only in the workflow_run mode (see the README's "
    "self-healing-watch.yml example)."
)


@dataclass(frozen=True)
class RetryPolicy:
    enabled: bool
    max_attempts: int
    never_retry: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetryPlan:
    rerun: tuple[FailedJob, ...] = ()  # the jobs to re-run
    whole_run: bool = False  # every failed job is among them: one rerun-failed-jobs
    exhausted: tuple[FailedJob, ...] = ()  # transient at the last attempt: an issue each
    note: str | None = None  # why transient failures are not re-run, for the summary


def never_retried(policy: RetryPolicy, workflow: str, job: FailedJob) -> bool:
    """Whether a `never-retry` glob names the workflow, the job or its matrix base name
    (case-insensitive, as GitHub compares names)."""
    names = [workflow.casefold(), job.name.casefold(), job.base_name.casefold()]
    return any(
        fnmatch.fnmatchcase(name, pattern.casefold())
        for pattern in policy.never_retry
        for name in names
    )


def plan(
    policy: RetryPolicy,
    workflow: str,
    verdicts: Sequence[tuple[FailedJob, Kind]],
    attempt: int,
    finished: bool,
) -> RetryPlan:
    transient = [job for job, kind in verdicts if kind is Kind.TRANSIENT]
    if not transient or not policy.enabled:
        return RetryPlan()
    allowed = [job for job in transient if not never_retried(policy, workflow, job)]
    skipped = len(transient) - len(allowed)
    held = (
        f" {skipped} transient job(s) are named in never-retry: re-run them by hand."
        if skipped
        else ""
    )
    if attempt >= policy.max_attempts:
        return RetryPlan(
            exhausted=tuple(allowed),
            note=(
                f"Attempt {attempt} of at most {policy.max_attempts} (max-attempts): no more "
                "re-runs; a job still transient gets an issue labelled transient." + held
            ),
        )
    if not finished:
        return RetryPlan(note=IN_PROGRESS_NOTE + held)
    whole = len(allowed) == len(verdicts)
    return RetryPlan(rerun=tuple(allowed), whole_run=whole, note=held.strip() or None)
