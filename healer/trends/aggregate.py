"""The figures of a trends report, computed from records; pure.

The window is the `days` before `until`; the previous window, of the same length just
before it, gives the change. A run counts in the window it was created in. A job's
failures are the failed jobs of its runs' latest attempts; a run rescued by a re-run
failed on an earlier attempt and passed on the latest; a job is flaky where it failed on
an earlier attempt of a run and passed on a later one (the same commit).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from healer.github.records import IssueRecord, JobRecord, RunRecord

TOP_JOBS = 10
OLDEST_OPEN = 10
RESCUED_SHOWN = 10


@dataclass(frozen=True)
class Headline:
    runs: int
    failed_runs: int
    failure_rate: float
    classified_jobs: int
    transient_jobs: int
    transient_share: float
    rescued_runs: int
    flaky_jobs: int
    median_hours_to_close: float | None


@dataclass(frozen=True)
class JobRow:
    workflow: str
    job: str
    failures: int
    runs: int
    rate: float
    transient: int
    transient_share: float
    last_failure_url: str
    open_issue: int | None = None
    open_issue_url: str | None = None


@dataclass(frozen=True)
class FlakyRow:
    workflow: str
    job: str
    flaky_passes: int
    last_run_url: str


@dataclass(frozen=True)
class Trends:
    repository: str
    days: int
    since: datetime
    until: datetime
    current: Headline
    previous: Headline
    weeks: list[str]  # the Monday of each week, YYYY-MM-DD
    failures_by_week: dict[str, list[int]]  # workflow -> failed runs per week
    failure_rate_by_week: list[float]
    categories: dict[str, int]
    jobs: list[JobRow]  # every job that failed in the window, most failures first
    flaky: list[FlakyRow]
    oldest_open: list[IssueRecord]
    partial: bool = False
    skipped: list[str] = field(default_factory=list)
    rescued: list[RunRecord] = field(default_factory=list)  # newest first, at most 10


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _in(moment: datetime, start: datetime, end: datetime) -> bool:
    return start <= moment < end


def latest_jobs(runs: Sequence[RunRecord], jobs: Iterable[JobRecord]) -> list[JobRecord]:
    attempts = {run.id: run.attempt for run in runs}
    return [job for job in jobs if attempts.get(job.run_id) == job.attempt]


def flaky_passes(
    runs: Sequence[RunRecord], jobs: Iterable[JobRecord]
) -> list[tuple[RunRecord, str]]:
    """(run, job) for each job that failed on an earlier attempt of a run and passed on
    its latest attempt."""
    by_run: dict[int, list[JobRecord]] = defaultdict(list)
    for job in jobs:
        by_run[job.run_id].append(job)
    found = []
    for run in runs:
        if run.attempt < 2:
            continue
        mine = by_run.get(run.id, [])
        failed_before = {j.name for j in mine if j.attempt < run.attempt and j.failed}
        passed_last = {
            j.name for j in mine if j.attempt == run.attempt and j.conclusion == "success"
        }
        found += [(run, name) for name in sorted(failed_before & passed_last)]
    return found


def headline(
    runs: Sequence[RunRecord],
    jobs: Sequence[JobRecord],
    issues: Sequence[IssueRecord],
    start: datetime,
    end: datetime,
) -> Headline:
    chosen = [run for run in runs if _in(run.created, start, end)]
    ids = {run.id for run in chosen}
    mine = [job for job in jobs if job.run_id in ids]
    failed = latest_jobs(chosen, (j for j in mine if j.failed))
    classified = [job for job in failed if job.kind is not None]
    transient = sum(job.kind == "transient" for job in classified)
    rescued = sum(run.attempt > 1 and run.conclusion == "success" for run in chosen)
    flaky = {(run.workflow, name) for run, name in flaky_passes(chosen, mine)}
    closes = [
        (issue.closed - issue.created).total_seconds() / 3600
        for issue in issues
        if issue.closed is not None and _in(issue.closed, start, end)
    ]
    failed_runs = sum(run.failed for run in chosen)
    return Headline(
        runs=len(chosen),
        failed_runs=failed_runs,
        failure_rate=_share(failed_runs, len(chosen)),
        classified_jobs=len(classified),
        transient_jobs=transient,
        transient_share=_share(transient, len(classified)),
        rescued_runs=rescued,
        flaky_jobs=len(flaky),
        median_hours_to_close=round(statistics.median(closes), 1) if closes else None,
    )


def midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def window_start(until: datetime, days: int) -> datetime:
    """The first moment of the window: midnight (of `until`'s clock) `days` days before
    `until`'s day; windows are whole days, so that a day is in or out as a whole."""
    return midnight(until) - timedelta(days=days)


def _monday(moment: datetime) -> datetime:
    day = midnight(moment)
    return day - timedelta(days=day.weekday())


def trends(
    repository: str,
    runs: Sequence[RunRecord],
    jobs: Sequence[JobRecord],
    issues: Sequence[IssueRecord],
    until: datetime,
    days: int,
    skipped: Sequence[str] = (),
) -> Trends:
    since = window_start(until, days)
    current_runs = [run for run in runs if _in(run.created, since, until)]
    by_id = {run.id: run for run in current_runs}
    failed = latest_jobs(current_runs, (j for j in jobs if j.failed and j.run_id in by_id))

    weeks: list[datetime] = []
    week = _monday(since)
    while week < until:
        weeks.append(week)
        week += timedelta(days=7)
    index = {w: i for i, w in enumerate(weeks)}
    by_week: dict[str, list[int]] = {}
    totals = [0] * len(weeks)
    failures = [0] * len(weeks)
    for run in current_runs:
        i = index[_monday(run.created)]
        totals[i] += 1
        if run.failed:
            failures[i] += 1
            by_week.setdefault(run.workflow, [0] * len(weeks))[i] += 1

    runs_per_workflow = Counter(run.workflow for run in current_runs)
    per_job: dict[tuple[str, str], list[JobRecord]] = defaultdict(list)
    for job in failed:
        per_job[(by_id[job.run_id].workflow, job.name)].append(job)
    open_issues = {(issue.workflow, issue.job): issue for issue in issues if issue.closed is None}
    rows = []
    for (workflow, name), failures_of in per_job.items():
        transient = sum(job.kind == "transient" for job in failures_of)
        classified = sum(job.kind is not None for job in failures_of)
        newest = max(failures_of, key=lambda job: (by_id[job.run_id].created, job.id))
        issue = open_issues.get((workflow, name))
        rows.append(
            JobRow(
                workflow=workflow,
                job=name,
                failures=len(failures_of),
                runs=runs_per_workflow[workflow],
                rate=_share(len(failures_of), runs_per_workflow[workflow]),
                transient=transient,
                transient_share=_share(transient, classified),
                last_failure_url=newest.url,
                open_issue=issue.number if issue else None,
                open_issue_url=issue.url if issue else None,
            )
        )
    rows.sort(key=lambda row: (-row.failures, row.workflow, row.job))

    flaky_count: Counter[tuple[str, str]] = Counter()
    flaky_last: dict[tuple[str, str], RunRecord] = {}
    for run, name in flaky_passes(current_runs, jobs):
        key = (run.workflow, name)
        flaky_count[key] += 1
        if key not in flaky_last or run.created > flaky_last[key].created:
            flaky_last[key] = run
    flaky = [
        FlakyRow(workflow, name, count, flaky_last[(workflow, name)].url)
        for (workflow, name), count in sorted(flaky_count.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    categories = Counter(job.category for job in failed if job.category)
    oldest = sorted((i for i in issues if i.closed is None), key=lambda i: (i.created, i.number))
    return Trends(
        repository=repository,
        days=days,
        since=since,
        until=until,
        current=headline(runs, jobs, issues, since, until),
        previous=headline(runs, jobs, issues, since - timedelta(days=days), since),
        weeks=[w.strftime("%Y-%m-%d") for w in weeks],
        failures_by_week=dict(sorted(by_week.items())),
        failure_rate_by_week=[_share(f, t) for f, t in zip(failures, totals, strict=True)],
        categories=dict(categories.most_common()),
        jobs=rows,
        flaky=flaky,
        oldest_open=oldest[:OLDEST_OPEN],
        partial=bool(skipped),
        skipped=list(skipped),
        rescued=sorted(
            (r for r in current_runs if r.attempt > 1 and r.conclusion == "success"),
            key=lambda r: (r.created, r.id),
            reverse=True,
        )[:RESCUED_SHOWN],
    )
