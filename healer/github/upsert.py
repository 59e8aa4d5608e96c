"""Upsert: the one issue that tracks a failing job, found by its marker, commented
on, or created; with the race between copies settled and Copilot assigned."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from healer.classifier.classify import Result
from healer.github.duplicates import fold_into, recount
from healer.github.history import read_history, with_failure
from healer.github.issues import (
    TRANSIENT_LABEL,
    close_as_duplicate,
    ensure_labels,
    find_tracking_issue,
    last_closed_issue,
    occurrence_comment,
    tracking_issues,
)
from healer.github.model import FailedJob, Outcome, aware
from healer.github.render import (
    Marker,
    RunContext,
    comment_body,
    counted_jobs,
    day_of,
    issue_body,
    occurrence,
    recorded_occurrences,
    records_job,
    title,
    with_history,
    with_new_occurrence,
)
from healer.github.retries import RetryBudget, describe, write_once

if TYPE_CHECKING:
    from github import Github

log = logging.getLogger("healer.github.upsert")


@dataclass(frozen=True)
class IssuePolicy:
    """What the user asked of the issues: their labels, who is mentioned in a new
    one, whether anything may be written, and the client that hands new issues to
    Copilot (made with the copilot-token), if any."""

    labels: tuple[str, ...]
    mention: str
    dry_run: bool = False
    copilot: Github | None = None
    # Issues for jobs that stayed transient on every attempt: labelled `transient`
    # too, and kept apart from the job's issue for a persistent failure.
    transient: bool = False
    # A failure within this many days of its issue's close reopens that issue.
    reopen_window: int = 14
    # New issues handed to Copilot per repository and day (UTC), at most.
    copilot_max_per_day: int = 3

    @property
    def issue_labels(self) -> tuple[str, ...]:
        return (*self.labels, TRANSIENT_LABEL) if self.transient else self.labels


def upsert(
    repo: Any,
    policy: IssuePolicy,
    context: RunContext,
    job: FailedJob,
    result: Result,
    now: str,
    budget: RetryBudget,
    may_create: bool = True,
) -> Outcome:
    """Comment on the open issue that tracks this job's failure, or create it (when
    `may_create`: the run's cap on new issues is not reached; else `capped`)."""
    marker = Marker(context.workflow, job.base_name, result.fingerprint)
    labels = policy.issue_labels
    existing = find_tracking_issue(repo, labels, marker, policy.transient)
    if policy.dry_run:
        return Outcome(
            "dry-run",
            existing.number if existing else None,
            existing.html_url if existing else None,
        )
    if existing is None:
        closed = last_closed_issue(repo, labels, marker, policy.transient)
        if closed is not None and _closed_within(closed, policy.reopen_window):
            _reopen(closed, context, now)
            _record_occurrence(closed, context, result, now, budget)
            return Outcome("reopened", closed.number, closed.html_url)
        if not may_create:
            return Outcome("capped")
        ensure_labels(repo, labels, budget)
        earlier = (closed.number, _closed_on(closed)) if closed is not None else None
        body = issue_body(context, result, marker, policy.mention, now, earlier=earlier)
        # A create whose answer was lost may have made the issue: look before making another.
        created = write_once(
            budget,
            "creating the issue",
            lambda: repo.create_issue(
                title(context, job.base_name, result), body, labels=list(labels)
            ),
            lambda: find_tracking_issue(repo, labels, marker, policy.transient),
        )
        if records_job(created.body, context.job_url):
            return _settle_race(repo, policy, context, marker, created, result, now, budget)
        existing = created  # another copy's, made in the meantime
    _record_occurrence(existing, context, result, now, budget)
    return Outcome("commented", existing.number, existing.html_url)


def _closed_on(issue: Any) -> str:
    closed = issue.closed_at
    return closed.strftime("%Y-%m-%d") if closed is not None else "earlier"


def _closed_within(issue: Any, days: int) -> bool:
    closed = issue.closed_at
    if closed is None:
        return False
    return datetime.now(UTC) - aware(closed) <= timedelta(days=days)


def _reopen(issue: Any, context: RunContext, now: str) -> None:
    """Open a recently closed issue again, its history counting the reopen; the
    occurrence is then recorded as on any open issue."""
    history, _ = read_history(issue.body)
    history = history.model_copy(update={"reopens": history.reopens + 1, "greens": 0})
    issue.edit(
        state="open",
        state_reason="reopened",
        body=with_history(issue.body or "", context, history, now),
    )


def _settle_race(
    repo: Any,
    policy: IssuePolicy,
    context: RunContext,
    marker: Marker,
    created: Any,
    result: Result,
    now: str,
    budget: RetryBudget,
) -> Outcome:
    """Other copies of the action (matrix legs, other workflows) may have created an
    issue at the same moment: the oldest open one stays, the others are folded into it
    (see `healer.github.duplicates`)."""

    oldest, *newer = tracking_issues(repo, policy.issue_labels, marker, policy.transient) or [
        created
    ]
    if oldest.number == created.number:
        for duplicate in newer:  # in case their copies died; each moves its own report
            close_as_duplicate(duplicate, oldest)
        if policy.copilot is not None:
            _hand_to_copilot(policy, policy.copilot, context, created.number, result)
        return Outcome("created", created.number, created.html_url)
    # Ours is a duplicate (or was already closed as one): move its report, then count.
    fold_into(created, oldest, budget)
    recount(oldest, now)
    return Outcome("commented", oldest.number, oldest.html_url)


def _record_occurrence(
    issue: Any, context: RunContext, result: Result, now: str, budget: RetryBudget
) -> None:
    """The body keeps the count and the last-seen time; the comment tells the run.

    Each job counts once: re-running the analysis (after an error, say) for a job the
    issue counted recently posts only the comment that may be missing."""
    body = issue.body or ""
    if records_job(body, context.job_url):
        return  # the issue was opened for this very job
    counted = context.job_url in counted_jobs(body)
    if not counted:
        body = with_new_occurrence(body, now, context.job_url)
        history, sound = read_history(body)
        if not sound:
            log.warning("the history block of issue #%s was damaged; it starts again", issue.number)
        history = with_failure(history, occurrence(context, result, now), day_of(now))
        body = with_history(body, context, history, now)
        issue.edit(body=body)  # the same body again if retried: counted once
    text = comment_body(context, result, recorded_occurrences(body), now)

    def posted() -> Any:
        return occurrence_comment(issue, context.job_url)

    if counted and posted() is not None:
        return
    write_once(
        budget, f"commenting on issue #{issue.number}", lambda: issue.create_comment(text), posted
    )


COPILOT_LOGIN = "copilot-swe-agent[bot]"
# What the coding agent can fix by changing code; never a blip, a runner, a dependency
# that went missing upstream or the CI's own configuration.
CODE_CATEGORIES = frozenset(
    {"test", "assertion", "type_error", "syntax_error", "import_error", "compile", "lint", "format"}
)


def _hand_to_copilot(
    policy: IssuePolicy, copilot: Github, context: RunContext, number: int, result: Result
) -> None:
    """Assign the new issue to the Copilot coding agent, with instructions, when its
    category is one code can fix and the day's cap is not reached. Only a user token may
    do this (GITHUB_TOKEN is refused), hence a client of its own."""
    import requests
    from github import GithubException

    if policy.transient or result.category not in CODE_CATEGORIES:
        log.info("not handed to Copilot: category %s is not a code change", result.category)
        return
    try:
        repo = copilot.get_repo(context.repository, lazy=True)
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        handed = [
            issue
            for issue in repo.get_issues(
                state="all", labels=list(policy.labels), assignee=COPILOT_LOGIN, since=today
            ).get_page(0)
            if issue.created_at is not None and aware(issue.created_at) >= today
        ]
        if len(handed) >= policy.copilot_max_per_day:
            log.warning(
                "not handed to Copilot: %d issues were today already (copilot-max-per-day)",
                len(handed),
            )
            return
        copilot.requester.requestJsonAndCheck(
            "POST",
            f"{repo.url}/issues/{number}/assignees",
            input={
                "assignees": [COPILOT_LOGIN],
                "agent_assignment": {
                    "target_repo": context.repository,
                    "base_branch": context.head_branch or None,
                    "custom_instructions": copilot_instructions(context, result),
                },
            },
        )
    except GithubException as exc:
        log.warning(
            "could not assign the issue to Copilot (%s): the copilot-token must be a user "
            "token with issues: write, and the Copilot coding agent enabled for the repository",
            exc.status,
        )
    except requests.RequestException as exc:
        log.warning("could not assign the issue to Copilot (%s); assign it by hand", describe(exc))


def copilot_instructions(context: RunContext, result: Result) -> str:
    """What the coding agent is told, besides the issue: where it failed, how to run it
    again, and what not to do. The command comes from a log: one line, cut short."""
    command = " ".join((result.command or "").split())[:300]
    step = " ".join((context.failed_step or result.step or "").split())[:200]
    lines = [
        f"Fix the CI failure tracked by this issue (fingerprint {result.fingerprint}): the job "
        f"'{context.job_name}' of the workflow '{context.workflow}' fails with a "
        f"{result.category.replace('_', ' ')} failure.",
    ]
    if step:
        lines.append(f"It fails in the step '{step}'.")
    if command:
        lines.append(f"Reproduce it by running the failing command: {command}")
    lines.append(
        "Read the log excerpt in the issue. Change the code or configuration so that the job "
        "passes; do not skip, weaken or delete tests or checks."
    )
    return "\n".join(lines)


def list_capped(repo: Any, newest: Outcome, text: str) -> None:
    """The failures held back by the cap on new issues, in one comment on the newest."""
    if newest.number is not None:
        repo.get_issue(newest.number).create_comment(text)
