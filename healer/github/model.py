"""What the GitHub side finds and does, as plain values: a failed job of the run,
and what became of the issue that tracks it. The runner reports them without
touching GitHub.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def aware(moment: datetime) -> datetime:
    """A time from PyGithub as UTC: some of its fields come without a time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class FailedJob:
    id: int
    name: str
    base_name: str
    html_url: str
    failed_step: str | None
    # The listed job object: its logs URL is asked for without fetching the job again.
    handle: Any = field(default=None, compare=False, repr=False)
    # The failed step's number in the job (GitHub's log viewer anchors `#step:N:LINE`).
    failed_step_number: int | None = None


@dataclass(frozen=True)
class Outcome:
    action: str  # created | commented | reopened | retried | dry-run | skipped
    number: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class Recovered:
    """What became of a tracking issue when its job passed: closed, flaky, or green
    (counted towards closing, still open)."""

    job: str
    action: str
    number: int
    url: str
