"""The one issue that holds the CI-health report: found by its hidden marker among the
open issues labelled `ci-health`, edited in place, created once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from healer.github.issues import ensure_labels
from healer.github.model import Outcome
from healer.github.retries import write_once

if TYPE_CHECKING:
    from github.Issue import Issue
    from github.Repository import Repository

    from healer.github.retries import RetryBudget

REPORT_LABEL = "ci-health"
REPORT_TITLE = "CI health report"


def find_report_issue(repo: Repository, marker: str) -> Issue | None:
    for issue in repo.get_issues(state="open", labels=[REPORT_LABEL]):
        if "/pull/" not in issue.html_url and marker in (issue.body or ""):
            return issue
    return None


def upsert_report(
    repo: Repository, body: str, marker: str, budget: RetryBudget, existing: Issue | None
) -> Outcome:
    """Edit the report issue found (`existing`) with `body`, or create the issue."""
    if existing is not None:
        if existing.body != body:
            existing.edit(body=body)
        return Outcome("updated", existing.number, existing.html_url)
    ensure_labels(repo, (REPORT_LABEL,), budget)
    created = write_once(
        budget,
        "creating the CI health issue",
        lambda: repo.create_issue(REPORT_TITLE, body, labels=[REPORT_LABEL]),
        lambda: find_report_issue(repo, marker),
    )
    return Outcome("created", created.number, created.html_url)
