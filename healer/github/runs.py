"""Reading a repository's CI history for a trends report, within a request budget.

Runs created since a date (newest first, 100 per page), the jobs of the runs that failed or were
re-run (every attempt, one request per 100 jobs), the logs of the failed jobs of each
run's latest attempt (classified, newest first, while the budget lasts), and the
action's failure issues, open and closed. Every request is counted; when the budget
ends, what was not read is said, and the report is partial.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healer.github.fetch import FetchError, base_name, download_log
from healer.github.model import FailedJob, aware
from healer.github.records import IssueRecord, JobRecord, RunRecord
from healer.github.render import find_marker

if TYPE_CHECKING:
    from github.Repository import Repository

    from healer.github.retries import RetryBudget

PER_PAGE = 100  # the client's page size (`client.make_client`)
# A log's verdict: (kind, category).
Classify = Callable[[Path], tuple[str, str]]


@dataclass
class RepositoryHistory:
    runs: list[RunRecord] = field(default_factory=list)
    jobs: list[JobRecord] = field(default_factory=list)
    issues: list[IssueRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    requests: int = 0
    # The oldest run still in progress when read: not counted yet, read again next time.
    incomplete: datetime | None = None
    # Whether the first window (`first_since` on) was read whole: runs, jobs and logs.
    window_complete: bool = True


class _Counter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, count: int = 1) -> bool:
        if self.used + count > self.limit:
            return False
        self.used += count
        return True


def _pages(listing: Any, counter: _Counter) -> Any:
    """The items of a paginated listing, a page (one request) at a time; raises
    `_BudgetEnded` when the budget ends before the listing does."""
    page = 0
    while counter.take():
        items = listing.get_page(page)
        yield from items
        if len(items) < PER_PAGE:  # the last page: no request for an empty one
            return
        page += 1
    raise _BudgetEnded


class _BudgetEnded(Exception):
    pass


def read_repository(
    repo: Repository,
    since: datetime,
    labels: tuple[str, ...],
    classify: Classify | None,
    budget: RetryBudget,
    max_requests: int,
    first_since: datetime | None = None,
) -> RepositoryHistory:
    """The history since `since`; with `first_since` (a later date), the runs since it
    are read whole first, and the older ones with what the budget leaves."""
    counter = _Counter(max_requests)
    found = RepositoryHistory()
    handles: dict[int, Any] = {}
    try:
        # Newest first: read until a run is older than `since`. (The `created` filter's
        # range syntax is not the date-time GitHub's OpenAPI description declares.)
        for run in _pages(repo.get_workflow_runs(), counter):
            if aware(run.created_at) < since:
                break
            if run.status != "completed":
                found.incomplete = aware(run.created_at)  # newest first: the last is oldest
                continue
            found.runs.append(
                RunRecord(
                    id=run.id,
                    number=int(run.run_number or 0),
                    workflow=str(run.name or ""),
                    branch=str(run.head_branch or ""),
                    sha=str(run.head_sha or ""),
                    attempt=int(run.run_attempt or 1),
                    conclusion=run.conclusion,
                    created=aware(run.created_at),
                    url=str(run.html_url),
                )
            )
            handles[run.id] = run  # PyGithub objects stay here: records are plain
    except _BudgetEnded:
        found.skipped.append("runs older than the last page read")
        found.window_complete = False
    try:
        _read_issues(repo, labels, found, counter)
    except _BudgetEnded:
        found.skipped.append("some failure issues")
    # The window first, whole, then the one before it while the budget lasts.
    windows = [(first_since, None), (since, first_since)] if first_since else [(since, None)]
    for phase, (start, end) in enumerate(windows):
        chosen = {
            r.id for r in found.runs if r.created >= start and (end is None or r.created < end)
        }
        skipped = len(found.skipped)
        try:
            _read_jobs(found, handles, counter, chosen)
        except _BudgetEnded:
            found.skipped.append(f"the jobs of some runs since {start:%Y-%m-%d}")
        if classify is not None:
            _classify_failures(found, handles, classify, counter, budget, chosen)
        if phase == 0 and len(found.skipped) > skipped:
            found.window_complete = False
    found.requests = counter.used
    return found


def _read_jobs(
    found: RepositoryHistory, handles: dict[int, Any], counter: _Counter, chosen: set[int]
) -> None:
    for record in sorted(found.runs, key=lambda r: r.created, reverse=True):
        if record.id not in chosen or (not record.failed and record.attempt < 2):
            continue
        run = handles[record.id]
        for job in _pages(run.jobs("all"), counter):
            found.jobs.append(
                JobRecord(
                    id=job.id,
                    run_id=record.id,
                    name=base_name(job.name),
                    attempt=int(job.run_attempt or 1),
                    conclusion=job.conclusion,
                    url=str(job.html_url),
                )
            )
            handles[job.id] = job


def _read_issues(
    repo: Repository, labels: tuple[str, ...], found: RepositoryHistory, counter: _Counter
) -> None:
    listing = repo.get_issues(state="all", labels=list(labels))
    for issue in _pages(listing, counter):
        marker = find_marker(issue.body)
        if marker is None or "/pull/" in issue.html_url:
            continue
        closed = issue.closed_at if issue.state == "closed" else None
        found.issues.append(
            IssueRecord(
                number=issue.number,
                url=str(issue.html_url),
                workflow=marker.workflow,
                job=marker.job,
                created=aware(issue.created_at),
                closed=aware(closed) if closed is not None else None,
            )
        )


def _classify_failures(
    found: RepositoryHistory,
    handles: dict[int, Any],
    classify: Classify,
    counter: _Counter,
    budget: RetryBudget,
    chosen: set[int],
) -> None:
    """Classify the failed jobs of the latest attempts, newest runs first, one request
    each for the log's URL (the download from storage is not an API request)."""
    latest = {run.id: run for run in found.runs}
    order = sorted(
        (
            (index, job)
            for index, job in enumerate(found.jobs)
            if job.failed
            and job.run_id in chosen
            and job.kind is None
            and latest[job.run_id].attempt == job.attempt
        ),
        key=lambda pair: latest[pair[1].run_id].created,
        reverse=True,
    )
    left = 0
    with tempfile.TemporaryDirectory(prefix="self-healing-report-") as folder:
        for position, (index, job) in enumerate(order):
            if not counter.take():
                left = len(order) - position
                break
            handle = handles.get(job.id)
            failed = FailedJob(job.id, job.name, job.name, job.url, None, handle)
            try:
                path = download_log(failed, Path(folder), budget)
            except FetchError:
                continue  # expired or gone: the job stays unclassified
            kind, category = classify(path)
            path.unlink(missing_ok=True)
            found.jobs[index] = JobRecord(
                job.id, job.run_id, job.name, job.attempt, job.conclusion, job.url, kind, category
            )
    if left:
        found.skipped.append(f"the logs of {left} failed job(s), not classified")
