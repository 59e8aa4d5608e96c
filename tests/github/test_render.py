"""Issue bodies: identifiable by marker, safe whatever the log holds, within size."""

from __future__ import annotations

import dataclasses

from healer.classifier.classify import Result
from healer.classifier.rule import Kind
from healer.github.render import (
    BODY_LIMIT,
    COUNTED_KEPT,
    OCCURRENCE_MARKER,
    Marker,
    RunContext,
    comment_body,
    counted_jobs,
    find_marker,
    issue_body,
    job_url_in,
    moved_body,
    recorded_occurrences,
    records_job,
    title,
    with_new_occurrence,
    with_occurrences,
)

CONTEXT = RunContext(
    repository="octo/shop",
    server_url="https://github.com",
    workflow="Tests",
    run_id=1001,
    run_attempt=2,
    job_name="test (3.12, ubuntu-latest)",
    job_url="https://github.com/octo/shop/actions/runs/1001/job/5",
    failed_step="Run pytest",
)


def _result(excerpt: list[str]) -> Result:
    return Result(
        path="log",
        kind=Kind.PERSISTENT,
        category="test",
        confidence=0.93,
        rule="pytest-failed",
        explanation="pytest listed a failing test.",
        excerpt=excerpt,
        excerpt_lines=list(range(1, len(excerpt) + 1)),
        fingerprint="0123456789abcdef",
        step="Run pytest",
    )


def test_marker_round_trips_through_the_body_even_with_odd_names() -> None:
    marker = Marker("CI / tests --> x", "test job", "0123456789abcdef")
    body = issue_body(CONTEXT, _result(["FAILED a"]), marker, "@github", "2026-11-27 10:00 UTC")
    assert find_marker(body) == marker
    assert body.startswith("<!-- self-healing:v1 ")
    assert "-->" not in marker.render()[: -len("-->")]


def test_title_names_workflow_job_and_category() -> None:
    assert title(CONTEXT, "test", _result([])) == "CI failure: Tests / test (test)"


def test_the_body_has_what_a_maintainer_needs() -> None:
    body = issue_body(
        CONTEXT,
        _result(["FAILED tests/a.py::t - assert 1 == 2"]),
        Marker("Tests", "test", "f"),
        "@github",
        "now",
    )
    for needed in (
        "persistent",
        "`test`",
        "0.93",
        "`pytest-failed`",
        "https://github.com/octo/shop/actions/runs/1001",
        CONTEXT.job_url,
        "Run pytest",
        "FAILED tests/a.py::t - assert 1 == 2",
        "Occurrences:** 1",
        "@github please take a look.",
        "What to do next",
    ):
        assert needed in body


def test_the_body_shows_the_failing_command_inert() -> None:
    result = dataclasses.replace(_result(["x"]), command="make `lint` @octocat #12 <b>x</b>")
    body = issue_body(CONTEXT, result, Marker("Tests", "test", "f"), "@github", "now")
    [line] = [line for line in body.splitlines() if line.startswith("- **Failing command:**")]
    assert line == "- **Failing command:** `` make `lint` @octocat #12 <b>x</b> ``"
    without = issue_body(CONTEXT, _result(["x"]), Marker("Tests", "test", "f"), "@github", "now")
    assert "Failing command" not in without


def test_the_body_never_exceeds_githubs_limit() -> None:
    huge = ["x" * 1999] * 40 + ["`" * 5000]
    body = issue_body(CONTEXT, _result(huge), Marker("Tests", "test", "f"), "@github", "now")
    assert len(body) <= BODY_LIMIT
    assert find_marker(body) is not None
    assert "cut to fit" in body
    comment = comment_body(CONTEXT, _result(huge), 3, "now")
    assert len(comment) <= BODY_LIMIT
    assert "occurrence 3" in comment


def test_occurrences_move_on_in_the_body() -> None:
    from healer.github.render import recorded_occurrences, with_new_occurrence

    body = issue_body(CONTEXT, _result(["x"]), Marker("Tests", "test", "f"), "", "day 1")
    assert recorded_occurrences(body) == 1
    body = with_new_occurrence(with_new_occurrence(body, "day 2"), "day 3")
    assert recorded_occurrences(body) == 3
    assert "**First seen:** day 1 · **Last seen:** day 3 · **Occurrences:** 3" in body
    assert find_marker(body) is not None
    assert recorded_occurrences("an issue a person wrote") == 1


def test_a_moved_duplicate_keeps_its_report_but_not_its_marker() -> None:
    body = issue_body(CONTEXT, _result(["E   boom"]), Marker("Tests", "test", "f"), "@team", "now")
    moved = moved_body(7, body)
    assert moved.startswith(OCCURRENCE_MARKER)
    assert "Moved from #7" in moved
    assert find_marker(moved) is None  # never mistaken for a tracking issue
    assert job_url_in(moved) == CONTEXT.job_url == job_url_in(body)
    assert records_job(moved, CONTEXT.job_url)
    assert "E   boom" in moved
    assert "@team" not in moved  # nobody is pinged twice
    assert recorded_occurrences(with_occurrences(body, 20, "later")) == 20


def test_the_body_remembers_the_jobs_it_counted_most_recently() -> None:
    body = issue_body(CONTEXT, _result(["E   boom"]), Marker("Tests", "test", "f"), "", "now")
    for number in range(COUNTED_KEPT + 3):
        body = with_new_occurrence(
            body, "later", f"https://github.com/o/r/actions/runs/1/job/{number}"
        )
    remembered = counted_jobs(body)
    assert len(remembered) == COUNTED_KEPT
    assert remembered[-1].endswith(f"/job/{COUNTED_KEPT + 2}")
    assert remembered[0].endswith("/job/3")  # the oldest ones make room
    assert recorded_occurrences(body) == COUNTED_KEPT + 4
    assert find_marker(body) is not None
