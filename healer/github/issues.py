"""One issue per failing job: find it by its hidden marker, comment, or create it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from healer.github.render import OCCURRENCE_MARKER, Marker, find_marker, records_job

if TYPE_CHECKING:
    from github.Issue import Issue
    from github.IssueComment import IssueComment
    from github.Repository import Repository

    from healer.github.retries import RetryBudget

TRANSIENT_LABEL = "transient"
FLAKY_LABEL = "flaky"
LABEL_COLOURS = {
    "ci-failure": "d73a4a",
    "automated": "ededed",
    TRANSIENT_LABEL: "fbca04",
    FLAKY_LABEL: "f9d0c4",
    "ci-health": "0e8a16",
}
LABEL_DESCRIPTIONS = {
    "ci-failure": "A CI job fails and the code must change",
    "automated": "Opened by a bot",
    TRANSIENT_LABEL: "A CI job keeps failing on transient errors, even after re-runs",
    FLAKY_LABEL: "A CI job failed, then passed on a re-run of the same commit",
    "ci-health": "The repository's CI health report, kept up to date by a bot",
}


def tracking_issues_of(
    repo: Repository, labels: tuple[str, ...], state: str = "open"
) -> list[Issue]:
    """Issues (not pull requests) with all of `labels` that carry a marker, newest first."""
    found = []
    for issue in repo.get_issues(state=state, labels=list(labels)):
        # GitHub lists pull requests among issues. `html_url` tells them apart
        # without the extra request that reading `pull_request` would cost.
        if "/pull/" not in issue.html_url and find_marker(issue.body) is not None:
            found.append(issue)
    return found


def tracking_issues(
    repo: Repository, labels: tuple[str, ...], marker: Marker, transient: bool = False
) -> list[Issue]:
    """Open issues whose marker names the same workflow and job, oldest first; those
    labelled `transient` (a job that stayed transient on every attempt) when
    `transient`, the others when not."""
    matches = [
        issue
        for issue in tracking_issues_of(repo, labels)
        if _labelled_transient(issue) is transient
        and (found := find_marker(issue.body)) is not None
        and found.tracks_same_job(marker)
    ]
    return sorted(matches, key=lambda issue: issue.number)


def _labelled_transient(issue: Issue) -> bool:
    # The listing carries the labels: reading them costs no request.
    return any(label.name.casefold() == TRANSIENT_LABEL for label in issue.labels)


def find_tracking_issue(
    repo: Repository, labels: tuple[str, ...], marker: Marker, transient: bool = False
) -> Issue | None:
    """The oldest open issue that tracks the job, if any."""
    matches = tracking_issues(repo, labels, marker, transient)
    return matches[0] if matches else None


CLOSED_LOOKED_AT = 100  # the most recently updated closed issues looked at


def last_closed_issue(
    repo: Repository, labels: tuple[str, ...], marker: Marker, transient: bool = False
) -> Issue | None:
    """The most recently closed issue that tracked the job and was closed as done (not
    as a duplicate or "not planned"), among the latest closed ones; one request."""
    closed = repo.get_issues(state="closed", labels=list(labels), sort="updated", direction="desc")
    candidates = [
        issue
        for issue in closed.get_page(0)[:CLOSED_LOOKED_AT]
        if "/pull/" not in issue.html_url
        and issue.state_reason != "not_planned"
        and _labelled_transient(issue) is transient
        and (found := find_marker(issue.body)) is not None
        and found.tracks_same_job(marker)
    ]
    return max(candidates, key=lambda issue: issue.closed_at or issue.updated_at, default=None)


def occurrence_comment(issue: Issue, job_url: str) -> IssueComment | None:
    """The occurrence comment on `issue` written for the job at `job_url`, if any."""
    for comment in issue.get_comments():
        if OCCURRENCE_MARKER in (comment.body or "") and records_job(comment.body, job_url):
            return comment
    return None


def close_as_duplicate(issue: Issue, original: Issue) -> None:
    issue.create_comment(f"Duplicate of #{original.number}, which tracks this job.")
    issue.edit(state="closed", state_reason="not_planned")


def ensure_labels(
    repo: Repository, labels: tuple[str, ...], budget: RetryBudget | None = None
) -> None:
    from healer.github.retries import RetryBudget, write_once

    budget = budget if budget is not None else RetryBudget(0)
    for name in labels:
        if _label_exists(repo, name):
            continue

        def create(name: str = name) -> bool:
            from github import GithubException

            try:
                repo.create_label(
                    name,
                    LABEL_COLOURS.get(name, "c5def5"),
                    LABEL_DESCRIPTIONS.get(name, "Managed by the self-healing action"),
                )
            except GithubException as race:
                # Another copy of the action (or this one's lost try) created it.
                if race.status != 422:
                    raise
            return True

        def created(name: str = name) -> bool | None:
            return True if _label_exists(repo, name) else None

        write_once(budget, f"creating label {name!r}", create, created)


def _label_exists(repo: Repository, name: str) -> bool:
    from github import GithubException

    try:
        # From a lazy repository the label is fetched when a field is read.
        repo.get_label(name).color  # noqa: B018
    except GithubException as exc:
        if exc.status != 404:
            raise
        return False
    return True
