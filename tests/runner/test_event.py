"""The triggering event: which run to analyse, and when to leave it alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from healer.runner.event import Trigger, read_event, trigger

REPO = "octo-org/octo-repo"


def _workflow_run(head: object, run_id: object = 42, name: object = "Tests") -> dict[str, object]:
    return {"workflow_run": {"id": run_id, "name": name, "head_repository": head}}


def test_a_watched_run_of_this_repository_is_analysed() -> None:
    assert trigger("workflow_run", _workflow_run({"full_name": REPO}), REPO) == Trigger(
        run_id=42, workflow="Tests"
    )


@pytest.mark.parametrize("head", [{"full_name": "fork/octo-repo"}, None, {}, "octo-org/octo-repo"])
def test_a_watched_run_from_a_fork_or_of_unknown_origin_is_skipped(head: object) -> None:
    assert trigger("workflow_run", _workflow_run(head), REPO).skip_reason is not None


@pytest.mark.parametrize(("run_id", "name"), [("42", 7), (-1, ""), (None, None)])
def test_odd_ids_and_names_in_the_payload_are_ignored(run_id: object, name: object) -> None:
    assert (
        trigger("workflow_run", _workflow_run({"full_name": REPO}, run_id, name), REPO) == Trigger()
    )


@pytest.mark.parametrize(
    ("pull", "skipped"),
    [
        ({"head": {"repo": {"full_name": REPO}}}, False),
        ({"head": {"repo": {"full_name": "fork/octo-repo"}}}, True),
        ({"head": {"repo": None}}, True),  # the fork was deleted
    ],
)
def test_pull_requests_from_forks_are_skipped(pull: object, skipped: bool) -> None:
    result = trigger("pull_request", {"pull_request": pull}, REPO)
    assert (result.skip_reason is not None) is skipped


def test_other_events_change_nothing() -> None:
    assert trigger("push", _workflow_run(None), REPO) == Trigger()


def test_an_unreadable_event_file_is_an_empty_event(tmp_path: Path) -> None:
    assert read_event(None) == {}
    assert read_event(tmp_path / "absent.json") == {}
    (tmp_path / "list.json").write_text("[1, 2]")
    assert read_event(tmp_path / "list.json") == {}
    (tmp_path / "bad.json").write_bytes(b"\xff{")
    assert read_event(tmp_path / "bad.json") == {}


@pytest.mark.parametrize(
    ("event_name", "event", "number"),
    [
        ("pull_request", {"pull_request": {"number": 7, "head": {"repo": {"full_name": REPO}}}}, 7),
        (
            "workflow_run",
            {
                "workflow_run": {
                    "id": 5,
                    "head_repository": {"full_name": REPO},
                    "pull_requests": [{"number": 9}],
                }
            },
            9,
        ),
        ("workflow_run", {"workflow_run": {"id": 5, "head_repository": {"full_name": REPO}}}, None),
        (
            "pull_request",
            {"pull_request": {"number": "7", "head": {"repo": {"full_name": REPO}}}},
            None,
        ),
    ],
)
def test_the_pull_request_a_run_is_for(
    event_name: str, event: dict[str, object], number: int | None
) -> None:
    assert trigger(event_name, event, REPO).pull_request == number
