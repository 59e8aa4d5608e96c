"""A seeded CI history in the fake GitHub, and the figures it must give, computed here
independently of the action's code (no import from healer.trends)."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from healer.github.render import Marker
from tests.github.fake_github.state import Repo
from tests.runner.action_run import NETWORK_LOG, PYTEST_LOG

WORKFLOWS = {"CI": ["test", "lint"], "Nightly": ["e2e"], "Docs": ["build"]}


@dataclass
class Expected:
    runs: int = 0
    failed_runs: int = 0
    rescued: int = 0
    transient_jobs: int = 0
    classified_jobs: int = 0
    flaky: set[tuple[str, str]] = field(default_factory=set)
    job_failures: dict[tuple[str, str], int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    close_hours: list[float] = field(default_factory=list)
    runs_per_workflow: dict[str, int] = field(default_factory=dict)

    @property
    def median_close(self) -> float | None:
        return round(statistics.median(self.close_hours), 1) if self.close_hours else None


def _start(until: datetime, days: int = 30) -> datetime:
    """The window's first moment, whole days as the report counts them."""
    return until.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)


def seed(
    repo: Repo, until: datetime, days: int = 60, per_day: int = 4
) -> tuple[Expected, Expected]:
    """Runs over `days` days before `until`: CI mostly green with transient blips and a
    flaky test rescued by re-runs, Nightly failing more and more, Docs always green;
    and failure issues closed after some days. The figures of the last 30 days and of
    the 30 before."""
    rng = random.Random(20261129)
    current, previous = Expected(), Expected()
    number = 0
    for day in range(days, 0, -1):
        for slot in range(per_day):
            number += 1
            created = until - timedelta(days=day) + timedelta(hours=2 + slot * 5)
            window = current if created >= _start(until) else previous
            workflow = ("CI", "CI", "Nightly", "Docs")[slot % 4]
            _one_run(repo, rng, workflow, created, number, day, days, window)
    _issues(repo, until, current, previous)
    return current, previous


def _one_run(
    repo: Repo,
    rng: random.Random,
    workflow: str,
    created: datetime,
    number: int,
    day: int,
    days: int,
    window: Expected,
) -> None:
    window.runs += 1
    window.runs_per_workflow[workflow] = window.runs_per_workflow.get(workflow, 0) + 1
    roll = rng.random()
    run = repo.add_run(workflow, head_sha=f"{number:040x}", run_number=number)
    run.created_at = created
    failing: dict[str, bytes] = {}
    flaky = False
    if workflow == "CI":
        if roll < 0.10:
            failing = {"test": PYTEST_LOG}
        elif roll < 0.18:
            failing = {"lint": NETWORK_LOG}
        elif roll < 0.26:
            flaky = True
    elif workflow == "Nightly" and roll < 0.1 + 0.8 * (days - day) / days:
        failing = {"e2e": PYTEST_LOG}
    if flaky:
        # Attempt 1: the test fails; attempt 2, the same commit: everything passes.
        for name in WORKFLOWS[workflow]:
            run.add_job(name, run_attempt=1, conclusion="failure" if name == "test" else "success")
        run.run_attempt = 2
        for name in WORKFLOWS[workflow]:
            run.add_job(name, run_attempt=2, conclusion="success", log=b"ok\n")
        run.conclusion = "success"
        window.rescued += 1
        window.flaky.add((workflow, "test"))
        return
    for name in WORKFLOWS[workflow]:
        log = failing.get(name)
        run.add_job(name, conclusion="failure" if log else "success", log=log or b"ok\n")
    run.conclusion = "failure" if failing else "success"
    if failing:
        window.failed_runs += 1
        for name, log in failing.items():
            key = (workflow, name)
            window.job_failures[key] = window.job_failures.get(key, 0) + 1
            window.classified_jobs += 1
            if log is NETWORK_LOG:
                window.transient_jobs += 1
                window.categories["network"] = window.categories.get("network", 0) + 1
            else:
                window.categories["test"] = window.categories.get("test", 0) + 1


def _issues(repo: Repo, until: datetime, current: Expected, previous: Expected) -> None:
    """Failure issues: three closed after some days (two in the current window), two open."""
    spans = [(50, 46), (25, 22), (12, 10), (20, None), (5, None)]  # (opened, closed) days ago
    for n, (opened, closed) in enumerate(spans):
        job = ("test", "e2e")[n % 2]
        workflow = "CI" if job == "test" else "Nightly"
        marker = Marker(workflow, job, f"fp{n}")
        issue = repo.add_issue(
            f"CI failure: {workflow} / {job}",
            body=marker.render() + "\nbody",
            labels=["ci-failure", "automated"],
        )
        issue.created_at = until - timedelta(days=opened)
        if closed is not None:
            issue.state, issue.state_reason = "closed", "completed"
            issue.closed_at = until - timedelta(days=closed)
            moment = until - timedelta(days=closed)
            window = current if moment >= _start(until) else previous
            window.close_hours.append((opened - closed) * 24.0)


def seed_busy(repo: Repo, until: datetime, days: int = 60, per_day: int = 50) -> tuple[int, int]:
    """A busy repository: `per_day` runs a day for `days` days, one in five failed on one
    job (a test failure). Returns the runs and the failed runs of the last 30 days."""
    rng = random.Random(7)
    recent = failed_recent = 0
    every = timedelta(minutes=24 * 60 / per_day)
    for n in range(days * per_day):
        created = until - (n + 1) * every
        run = repo.add_run("CI", head_sha=f"{n:040x}", run_number=days * per_day - n)
        run.created_at = created.replace(microsecond=0)
        failed = rng.random() < 0.2
        run.add_job("lint", conclusion="success", log=b"ok\n")
        run.add_job("test", conclusion="failure" if failed else "success", log=PYTEST_LOG)
        run.conclusion = "failure" if failed else "success"
        if run.created_at >= _start(until):
            recent += 1
            failed_recent += failed
    return recent, failed_recent
