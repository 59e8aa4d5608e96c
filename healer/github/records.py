"""What a trends report is computed from: plain records of a repository's runs, their
jobs and the action's failure issues, as `runs` reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FAILED = frozenset({"failure", "timed_out", "startup_failure"})


@dataclass(frozen=True)
class RunRecord:
    id: int
    number: int
    workflow: str
    branch: str
    sha: str
    attempt: int  # the latest attempt
    conclusion: str | None  # of the latest attempt
    created: datetime
    url: str

    @property
    def failed(self) -> bool:
        return self.conclusion in FAILED


@dataclass(frozen=True)
class JobRecord:
    """One job of one attempt of a run; `kind` and `category` when its log was
    classified (failed jobs of the latest attempt)."""

    id: int
    run_id: int
    name: str  # the matrix base name
    attempt: int
    conclusion: str | None
    url: str
    kind: str | None = None
    category: str | None = None

    @property
    def failed(self) -> bool:
        return self.conclusion in FAILED


@dataclass(frozen=True)
class IssueRecord:
    """A failure issue of the action's (found by its marker)."""

    number: int
    url: str
    workflow: str
    job: str
    created: datetime
    closed: datetime | None
