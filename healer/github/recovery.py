"""When tracked jobs pass again: mark flaky ones, close recovered ones.

A job that failed and then passed on a later attempt of the same run (same commit) is
flaky: its issue gets the label `flaky` and a comment linking both attempts, and stays
open, because a pass on the same commit proves flakiness, not a fix. A job that passes on
the default branch in a run newer than its last failure (by run number, then attempt, so
a late old success never closes a newer failure) counts a green run; after `close_after`
of them in a row its issue is closed with a comment linking the green run. A flaky pass
in between starts the count again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from healer.github.fetch import FAILED_CONCLUSIONS, base_name
from healer.github.history import History, newer, read_history
from healer.github.issues import FLAKY_LABEL, ensure_labels, tracking_issues_of
from healer.github.model import Recovered
from healer.github.render import find_marker, with_history

if TYPE_CHECKING:
    from github.Repository import Repository
    from github.WorkflowRun import WorkflowRun

    from healer.github.render import RunContext
    from healer.github.retries import RetryBudget

log = logging.getLogger("healer.github.recovery")


@dataclass(frozen=True)
class RecoveryPolicy:
    labels: tuple[str, ...]
    close_after: int = 1
    reopen_window: int = 14  # days, told in the closing comment
    dry_run: bool = False


def recover(
    repo: Repository,
    run: WorkflowRun,
    context: RunContext,
    policy: RecoveryPolicy,
    now: str,
    budget: RetryBudget,
    only: str = "",
    listed: list[Any] | None = None,
) -> list[Recovered]:
    """Look at the open issues of the jobs that passed in `run` (its latest attempt's
    jobs, `listed` if already read; only `only`, by name or matrix base name, when
    given) and act on each."""
    passed = {
        base_name(job.name)
        for job in (listed if listed is not None else run.jobs("latest"))
        if job.conclusion == "success" and (not only or only in (job.name, base_name(job.name)))
    }
    if not passed:
        return []
    issues = [
        (issue, marker)
        for issue in tracking_issues_of(repo, policy.labels)
        if (marker := find_marker(issue.body)) is not None
        and marker.workflow == context.workflow
        and marker.job in passed
    ]
    if not issues:
        return []
    failed_before = _failed_in_earlier_attempts(run) if (run.run_attempt or 1) > 1 else {}
    default_branch = str(repo.default_branch or "")
    done = []
    for issue, marker in issues:
        history, sound = read_history(issue.body)
        if not sound:
            log.warning("the history block of issue #%s was damaged; it starts again", issue.number)
        earlier = failed_before.get(marker.job)
        if earlier is not None:
            action = "flaky"
            if not policy.dry_run:
                _mark_flaky(repo, issue, history, context, earlier, policy, now, budget)
        elif context.head_branch == default_branch and newer(
            (context.run_number, context.run_attempt), history.last_failure
        ):
            greens = history.greens + 1
            action = "closed" if greens >= policy.close_after else "green"
            if not policy.dry_run:
                _count_green(issue, history, greens, context, policy, now)
        else:
            continue
        done.append(Recovered(marker.job, action, issue.number, issue.html_url))
    return done


def _failed_in_earlier_attempts(run: WorkflowRun) -> dict[str, int]:
    """Base name → the latest earlier attempt of this run in which that job failed."""
    current = run.run_attempt or 1
    failed: dict[str, int] = {}
    for job in run.jobs("all"):
        attempt = int(job.run_attempt or 0)
        if attempt < current and job.conclusion in FAILED_CONCLUSIONS:
            name = base_name(job.name)
            failed[name] = max(failed.get(name, 0), attempt)
    return failed


def _mark_flaky(
    repo: Repository,
    issue: Any,
    history: History,
    context: RunContext,
    earlier: int,
    policy: RecoveryPolicy,
    now: str,
    budget: RetryBudget,
) -> None:
    ensure_labels(repo, (FLAKY_LABEL,), budget)
    labels = [label.name for label in issue.labels]
    if FLAKY_LABEL not in {name.casefold() for name in labels}:
        labels.append(FLAKY_LABEL)
    issue.create_comment(
        f"Flaky: the job failed on [attempt {earlier}]({context.run_url}/attempts/{earlier}) and "
        f"passed on [attempt {context.run_attempt}]({context.run_url}) of run "
        f"[{context.run_id}]({context.run_url}), on the same commit, {now}. A pass on the same "
        "commit proves flakiness, not a fix: the issue stays open."
    )
    updated = history.model_copy(update={"flaky": history.flaky + 1, "greens": 0})
    # The label goes on with the body, in one request.
    issue.edit(body=with_history(issue.body or "", context, updated, now), labels=labels)


def _count_green(
    issue: Any,
    history: History,
    greens: int,
    context: RunContext,
    policy: RecoveryPolicy,
    now: str,
) -> None:
    closing = greens >= policy.close_after
    updated = history.model_copy(
        update={"greens": 0 if closing else greens, "closes": history.closes + int(closing)}
    )
    if closing:
        issue.create_comment(
            f"Passed again in run [{context.run_id}]({context.run_url}) (attempt "
            f"{context.run_attempt}) on the default branch, {now}"
            + (f", {greens} green runs in a row" if greens > 1 else "")
            + f": closing. A failure of this job within {policy.reopen_window} days reopens it."
        )
        issue.edit(
            body=with_history(issue.body or "", context, updated, now),
            state="closed",
            state_reason="completed",
        )
    else:
        issue.edit(body=with_history(issue.body or "", context, updated, now))


def count_reruns(
    repo: Repository,
    labels: tuple[str, ...],
    workflow: str,
    jobs: list[str],
    context: RunContext,
    now: str,
) -> None:
    """Count a re-run in the history of each open issue that tracks a re-run job (a
    flaky job's, say): one listing, then one edit per such issue."""
    names = set(jobs)
    for issue in tracking_issues_of(repo, labels):
        marker = find_marker(issue.body)
        if marker is None or marker.workflow != workflow or marker.job not in names:
            continue
        history, _ = read_history(issue.body)
        updated = history.model_copy(update={"reruns": history.reruns + 1})
        issue.edit(body=with_history(issue.body or "", context, updated, now))
