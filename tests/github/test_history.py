"""The history an issue body keeps: rendered for people, read back for the next event."""

from __future__ import annotations

from datetime import date, timedelta

from healer.github.history import History, Occurrence, read_history, with_failure
from healer.github.render import (
    BODY_LIMIT,
    Marker,
    RunContext,
    issue_body,
    occurrence,
    with_history,
    with_new_occurrence,
)
from tests.classifier.helpers import a_result

DAY = date(2026, 11, 29)


def context(number: int, branch: str = "main") -> RunContext:
    return RunContext(
        repository="octo-org/octo-repo",
        server_url="https://github.com",
        workflow="Tests",
        run_id=1000 + number,
        run_attempt=1,
        job_name="test",
        job_url=f"https://github.com/octo-org/octo-repo/actions/runs/{1000 + number}/job/{number}",
        failed_step="Run pytest",
        run_number=number,
        head_sha=f"{number:040x}",
        head_branch=branch,
    )


RESULT = a_result()


def stamp(day: date) -> str:
    return f"{day.isoformat()} 10:00 UTC"


def test_the_body_shows_the_history_and_carries_it_for_the_next_event() -> None:
    body = issue_body(context(1), RESULT, Marker("Tests", "test", "abc123"), "", stamp(DAY))
    history, sound = read_history(body)
    assert sound
    assert history.last_failure == (1, 1)
    assert [row.run_id for row in history.rows] == [1001]
    assert "| [#1](https://github.com/octo-org/octo-repo/actions/runs/1001) | 1 |" in body
    assert "[`0000000`](https://github.com/octo-org/octo-repo/commit/" in body
    assert "xychart-beta" in body
    assert "- **Commit:**" in body


def test_five_hundred_occurrences_keep_the_body_under_githubs_limit() -> None:
    body = issue_body(context(1), RESULT, Marker("Tests", "test", "abc123"), "", stamp(DAY))
    history, _ = read_history(body)
    for n in range(2, 502):
        day = DAY + timedelta(days=n // 10)
        ctx = context(n)
        body = with_new_occurrence(body, stamp(day), ctx.job_url)
        history = with_failure(history, occurrence(ctx, RESULT, stamp(day)), day)
        body = with_history(body, ctx, history, stamp(day))
    assert len(body) < BODY_LIMIT
    assert "**Occurrences:** 501" in body
    history, sound = read_history(body)
    assert sound
    assert len(history.rows) == 30
    assert history.rows[0].number == 501
    assert len(history.days) <= 30
    assert body.count("xychart-beta") == 1
    assert body.count("### History") == 1
    # The chart's last bar is the last day's count.
    assert "bar [" in body
    assert body.split("bar [", 1)[1].split("]")[0].endswith(", 2")


def test_a_damaged_or_hostile_state_block_is_ignored_not_obeyed() -> None:
    body = issue_body(context(1), RESULT, Marker("Tests", "test", "abc123"), "", stamp(DAY))
    broken = body.replace('"reruns":0', '"reruns":"many"')
    assert read_history(broken) == (History(), False)
    hostile = body.replace('"verdict":"persistent (test)"', '"verdict":"@octocat please merge"')
    assert read_history(hostile) == (History(), False)
    assert read_history("no block at all") == (History(), True)


def test_a_branch_name_cannot_end_the_hidden_block_or_ping_anyone() -> None:
    ctx = context(1, branch="x--><img src=y>@octocat")
    body = issue_body(ctx, RESULT, Marker("Tests", "test", "abc123"), "", stamp(DAY))
    block = body.split("<!-- self-healing:history ", 1)[1].split(" -->", 1)[0]
    assert "-->" not in block
    assert ">" not in block
    history, sound = read_history(body)
    assert sound
    assert history.rows[0].branch == "x--><img src=y>@octocat"
    table_row = next(line for line in body.splitlines() if line.startswith("| [#1]"))
    assert "` x--><img src=y>@octocat `" in table_row


def test_greens_reset_on_a_failure_and_order_is_by_run_number_then_attempt() -> None:
    history = History(greens=2, last_failure=(5, 2))
    row = Occurrence(run_id=1, number=4, attempt=1)
    later = with_failure(history, row, DAY)
    assert later.greens == 0
    assert later.last_failure == (5, 2)  # an older run's failure does not move it back


def test_the_log_link_needs_the_same_failing_step_in_the_log_and_the_api() -> None:
    import dataclasses

    from healer.github.render import log_link

    result = dataclasses.replace(RESULT, step="Run pytest", step_line=100, excerpt_lines=[110])
    ctx = dataclasses.replace(context(1), failed_step_number=3)
    assert log_link(ctx, result) == f"{ctx.job_url}#step:3:11"
    assert log_link(dataclasses.replace(ctx, failed_step="Run lint"), result) is None
    assert log_link(dataclasses.replace(ctx, failed_step_number=None), result) is None


def test_the_body_stays_under_the_limit_with_the_longest_lines_and_branch_names() -> None:
    huge = a_result(excerpt=["x" * 2000] * 40, excerpt_lines=list(range(1, 41)))
    ctx = context(1, branch="b" * 255)
    body = issue_body(ctx, huge, Marker("Tests", "test", "abc123"), "", stamp(DAY))
    history, _ = read_history(body)
    for n in range(2, 60):
        ctx = context(n, branch="b" * 255)
        body = with_new_occurrence(body, stamp(DAY), ctx.job_url)
        history = with_failure(history, occurrence(ctx, huge, stamp(DAY)), DAY)
        body = with_history(body, ctx, history, stamp(DAY))
        assert len(body) <= BODY_LIMIT
    assert read_history(body)[1]
    assert "xychart-beta" in body
