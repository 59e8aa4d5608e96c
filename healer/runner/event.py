"""What the triggering event says about the run to analyse and whether to touch it.

Two events need care:

- a pull request from a fork: the token is read-only there, and nothing can be filed;
- `workflow_run`: the job analyses another, finished run (`workflow_run.id`), and it
  holds a write token even when that run came from a fork's pull request, whose log
  is attacker-controlled text. Such runs are skipped, like fork pull requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PULL_REQUEST_EVENTS = frozenset(
    {"pull_request", "pull_request_review", "pull_request_review_comment"}
)


@dataclass(frozen=True)
class Trigger:
    skip_reason: str | None = None  # why nothing should be done, or None
    run_id: int | None = None  # the watched run, for workflow_run
    workflow: str | None = None  # its workflow's name
    pull_request: int | None = None  # the pull request the run is for, if any


def read_event(path: Path | None) -> dict[str, Any]:
    """The event payload; an unreadable or odd file counts as an empty event."""
    if path is None:
        return {}
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return event if isinstance(event, dict) else {}


def _full_name(repo: Any) -> str | None:
    if isinstance(repo, dict) and isinstance(repo.get("full_name"), str):
        return str(repo["full_name"])
    return None


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def trigger(event_name: str, event: dict[str, Any], repository: str) -> Trigger:
    if event_name in PULL_REQUEST_EVENTS:
        pull = event.get("pull_request")
        if isinstance(pull, dict):
            head = pull.get("head")
            head_repo = _full_name(head.get("repo")) if isinstance(head, dict) else None
            if head_repo != repository:
                return Trigger("Pull request from a fork: the token is read-only, nothing to do.")
            return Trigger(pull_request=_number(pull.get("number")))
        return Trigger()
    if event_name == "workflow_run":
        watched = event.get("workflow_run")
        if not isinstance(watched, dict):
            return Trigger()
        if _full_name(watched.get("head_repository")) != repository:
            return Trigger(
                "The watched run came from a fork: its log is not trusted with this "
                "job's write token, nothing to do."
            )
        run_id = watched.get("id")
        name = watched.get("name")
        pulls = watched.get("pull_requests")
        first = pulls[0] if isinstance(pulls, list) and pulls else None
        return Trigger(
            run_id=run_id if isinstance(run_id, int) and run_id > 0 else None,
            workflow=name if isinstance(name, str) and name else None,
            pull_request=_number(first.get("number")) if isinstance(first, dict) else None,
        )
    return Trigger()
