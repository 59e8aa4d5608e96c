"""Which transient failures get re-run: the plan, as a pure function."""

from __future__ import annotations

from healer.classifier.rule import Kind
from healer.github.model import FailedJob
from healer.runner.retry import RetryPolicy, plan


def job(name: str, number: int) -> FailedJob:
    return FailedJob(number, name, name.split(" (")[0], f"https://example.test/job/{number}", None)


NET, TEST, DEPLOY = job("install", 1), job("test (3.12)", 2), job("deploy", 3)
ON = RetryPolicy(enabled=True, max_attempts=3, never_retry=("deploy*",))


def test_all_transient_re_runs_the_whole_run() -> None:
    made = plan(ON, "CI", [(NET, Kind.TRANSIENT)], attempt=1, finished=True)
    assert (made.rerun, made.whole_run, made.exhausted) == ((NET,), True, ())


def test_a_persistent_failure_among_them_re_runs_job_by_job() -> None:
    made = plan(ON, "CI", [(NET, Kind.TRANSIENT), (TEST, Kind.PERSISTENT)], 1, finished=True)
    assert (made.rerun, made.whole_run) == ((NET,), False)


def test_a_never_retry_job_is_held_back_and_said() -> None:
    made = plan(ON, "CI", [(NET, Kind.TRANSIENT), (DEPLOY, Kind.TRANSIENT)], 1, finished=True)
    assert (made.rerun, made.whole_run) == ((NET,), False)
    assert made.note is not None
    assert "never-retry" in made.note


def test_the_last_attempt_re_runs_nothing_and_names_the_exhausted_jobs() -> None:
    made = plan(ON, "CI", [(NET, Kind.TRANSIENT), (TEST, Kind.UNKNOWN)], 3, finished=True)
    assert (made.rerun, made.exhausted) == ((), (NET,))


def test_a_run_in_progress_re_runs_nothing() -> None:
    made = plan(ON, "CI", [(NET, Kind.TRANSIENT)], 1, finished=False)
    assert made.rerun == ()
    assert made.note is not None
    assert "re-run itself" in made.note


def test_nothing_transient_or_retry_off_plans_nothing() -> None:
    assert plan(ON, "CI", [(TEST, Kind.PERSISTENT)], 1, True).rerun == ()
    off = RetryPolicy(enabled=False, max_attempts=3)
    assert plan(off, "CI", [(NET, Kind.TRANSIENT)], 1, True).rerun == ()
