"""The action: inputs → failed jobs and their logs → verdicts → one issue per failure → outputs.

Every error a user can cause ends in one `::error::` line that says what to
fix and a non-zero exit code; nothing from a log reaches stdout unescaped.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError
from pydantic_settings.exceptions import SettingsError

from healer.classify import Classifier, Result
from healer.commands import ActionsLogFormatter, Commands, append_summary, write_outputs
from healer.event import read_event, trigger
from healer.fetch import FailedJob, FetchError
from healer.issues import Outcome
from healer.redact import redact_lines
from healer.render import Marker, RunContext, fenced, inline
from healer.retries import RetryBudget
from healer.rules import Kind, RulesError, load_rules
from healer.settings import Settings, input_problems

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SEVERITY = {Kind.PERSISTENT: 2, Kind.TRANSIENT: 1, Kind.UNKNOWN: 0}

log = logging.getLogger("healer")


@dataclass(frozen=True)
class JobReport:
    job: FailedJob
    result: Result
    outcome: Outcome

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job.name,
            "job_url": self.job.html_url,
            "kind": self.result.kind.value,
            "category": self.result.category,
            "confidence": self.result.confidence,
            "rule": self.result.rule,
            "fingerprint": self.result.fingerprint,
            "step": self.job.failed_step or self.result.step,
            "action": self.outcome.action,
            "issue_number": self.outcome.number,
            "issue_url": self.outcome.url,
        }


def _rules_path(settings: Settings) -> Path | None:
    path = Path(settings.rules_file)
    if not path.is_absolute():
        path = settings.workspace / path
    return path if path.is_file() else None


def _upsert(
    repo: Any,
    settings: Settings,
    context: RunContext,
    job: FailedJob,
    result: Result,
    now: str,
    budget: RetryBudget,
) -> Outcome:
    from healer.issues import ensure_labels, find_tracking_issue
    from healer.render import issue_body, title
    from healer.retries import write_once

    marker = Marker(context.workflow, job.base_name, result.fingerprint)
    existing = find_tracking_issue(repo, settings.labels, marker)
    if settings.dry_run:
        return Outcome(
            "dry-run",
            existing.number if existing else None,
            existing.html_url if existing else None,
        )
    if existing is None:
        ensure_labels(repo, settings.labels, budget)
        body = issue_body(context, result, marker, settings.mention, now)
        # A create whose answer was lost may have made the issue: look before making another.
        created = write_once(
            budget,
            "creating the issue",
            lambda: repo.create_issue(
                title(context, job.base_name, result), body, labels=list(settings.labels)
            ),
            lambda: find_tracking_issue(repo, settings.labels, marker),
        )
        if _records(created, context):
            return _settle_race(repo, settings, marker, created, now, budget)
        existing = created  # another copy's, made in the meantime
    _record_occurrence(existing, context, result, now, budget)
    return Outcome("commented", existing.number, existing.html_url)


def _records(issue: Any, context: RunContext) -> bool:
    """The issue (or one of its comments) was written for this very job."""
    return f"]({context.job_url})" in (issue.body or "")


def _settle_race(
    repo: Any,
    settings: Settings,
    marker: Marker,
    created: Any,
    now: str,
    budget: RetryBudget,
) -> Outcome:
    """Other copies of the action (matrix legs, other workflows) may have created an
    issue at the same moment: the oldest open one stays, the others are folded into it
    (see `healer.duplicates`)."""
    from healer.duplicates import fold_into, recount
    from healer.issues import close_as_duplicate, tracking_issues

    oldest, *newer = tracking_issues(repo, settings.labels, marker) or [created]
    if oldest.number == created.number:
        for duplicate in newer:  # in case their copies died; each moves its own report
            close_as_duplicate(duplicate, oldest)
        if settings.copilot_token is not None:
            _assign_copilot(settings, created.number, budget)
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
    issue already counted posts only the comment that may be missing."""
    from healer.render import (
        OCCURRENCE_MARKER,
        comment_body,
        last_counted_job,
        recorded_occurrences,
        with_new_occurrence,
    )
    from healer.retries import write_once

    body = issue.body or ""
    if _records(issue, context):
        return  # the issue was opened for this very job
    counted = last_counted_job(body) == context.job_url
    if not counted:
        body = with_new_occurrence(body, now, context.job_url)
        issue.edit(body=body)  # the same body again if retried: counted once
    text = comment_body(context, result, recorded_occurrences(body), now)

    def posted() -> Any:
        for comment in issue.get_comments():
            if OCCURRENCE_MARKER in (comment.body or "") and _records(comment, context):
                return comment
        return None

    if counted and posted() is not None:
        return
    write_once(
        budget, f"commenting on issue #{issue.number}", lambda: issue.create_comment(text), posted
    )


COPILOT_LOGIN = "copilot-swe-agent[bot]"


def _assign_copilot(settings: Settings, number: int, budget: RetryBudget) -> None:
    """Hand the new issue to the Copilot coding agent. Only a user token may do
    this (GITHUB_TOKEN is refused), hence the separate copilot-token input."""
    import requests
    from github import GithubException

    from healer.github_client import make_client
    from healer.retries import describe

    assert settings.copilot_token is not None
    client = make_client(settings, token=settings.copilot_token.get_secret_value(), budget=budget)
    try:
        issue = client.get_repo(settings.repository, lazy=True).get_issue(number)
        issue.add_to_assignees(COPILOT_LOGIN)
    except GithubException as exc:
        log.warning(
            "could not assign the issue to Copilot (%s): the copilot-token must be a user "
            "token with issues: write, and the Copilot coding agent enabled for the repository",
            exc.status,
        )
    except requests.RequestException as exc:
        log.warning("could not assign the issue to Copilot (%s); assign it by hand", describe(exc))


def _redacted(result: Result, settings: Settings) -> Result:
    """The result with credentials removed from every line that will be shown."""
    secrets = [settings.github_token.get_secret_value()]
    if settings.copilot_token is not None:
        secrets.append(settings.copilot_token.get_secret_value())
    return dataclasses.replace(
        result,
        excerpt=redact_lines(result.excerpt, secrets),
        evidence=[
            dataclasses.replace(e, text=redact_lines([e.text], secrets)[0]) for e in result.evidence
        ],
    )


def _show_excerpt(commands: Commands, job: FailedJob, result: Result) -> None:
    """The excerpt in a collapsed group of the action's log; log text never runs
    as a workflow command."""
    with (
        commands.group(f"{job.name}: {result.kind.value} ({result.category})"),
        commands.verbatim(),
    ):
        for line in result.excerpt:
            commands.out.write(line + "\n")


def _summary(reports: list[JobReport]) -> str:
    lines = [
        "## self-healing",
        "",
        "| job | verdict | category | confidence | issue |",
        "|---|---|---|---|---|",
    ]
    for report in reports:
        issue = (
            f"[#{report.outcome.number}]({report.outcome.url})"
            if report.outcome.url
            else report.outcome.action
        )
        lines.append(
            f"| [{inline(report.job.name)}]({report.job.html_url}) | {report.result.kind.value} | "
            f"{report.result.category} | {report.result.confidence:.2f} | {issue} |"
        )
    for report in reports:
        if report.result.excerpt:
            lines += [
                "",
                f"<details><summary>Excerpt: {inline(report.job.name)}</summary>",
                "",
                fenced(report.result.excerpt),
                "",
                "</details>",
            ]
    return "\n".join(lines) + "\n"


def _outputs(reports: list[JobReport]) -> dict[str, str]:
    if not reports:
        return {
            "classification": "unknown",
            "category": "unknown",
            "confidence": "0",
            "fingerprint": "",
            "issue-number": "",
            "issue-url": "",
            "action": "skipped",
            "report": "[]",
        }
    worst = max(reports, key=lambda r: (SEVERITY[r.result.kind], r.result.confidence))
    return {
        "classification": worst.result.kind.value,
        "category": worst.result.category,
        "confidence": f"{worst.result.confidence:.2f}",
        "fingerprint": worst.result.fingerprint,
        "issue-number": str(worst.outcome.number or ""),
        "issue-url": worst.outcome.url or "",
        "action": worst.outcome.action,
        "report": json.dumps([r.to_json() for r in reports]),
    }


def run(settings: Settings, commands: Commands) -> int:
    import requests
    from github import GithubException

    from healer.fetch import download_log, failed_jobs, get_run
    from healer.github_client import make_client, rate_limited

    event = trigger(settings.event_name, read_event(settings.event_path), settings.repository)
    if event.skip_reason is not None:
        commands.notice(event.skip_reason, title="Skipped")
        _finish(settings, [], skipped=True)
        return EXIT_OK
    # An explicit run-id wins; a workflow_run job analyses the run that triggered it.
    run_id = settings.run_id or event.run_id or settings.target_run_id
    try:
        rules = load_rules(_rules_path(settings))
    except RulesError as exc:
        commands.error(str(exc), title="Invalid rules file")
        return EXIT_USAGE
    classifier = Classifier(rules, max_excerpt_lines=settings.max_excerpt_lines)
    budget = RetryBudget(settings.max_retry_wait)
    client = make_client(settings, budget=budget)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    reports: list[JobReport] = []
    try:
        repo = client.get_repo(settings.repository, lazy=True)
        workflow_run = get_run(repo, run_id)
        jobs = failed_jobs(workflow_run, settings.job_name)
        if not jobs:
            commands.notice(f"No failed job in run {run_id}; nothing to do.")
        # The name in titles and markers: the input, else the watched run's, else this
        # run's (GITHUB_WORKFLOW names the running workflow, not another run's).
        workflow = (
            settings.workflow_name
            or event.workflow
            or (settings.workflow if run_id == settings.current_run_id else "")
            or str(workflow_run.name or "")
        )
        with tempfile.TemporaryDirectory(prefix="self-healing-") as folder:
            for job in jobs:
                path = download_log(job, Path(folder), budget)
                result = _redacted(classifier.classify_path(path), settings)
                _show_excerpt(commands, job, result)
                context = RunContext(
                    repository=settings.repository,
                    server_url=settings.server_url,
                    workflow=workflow,
                    run_id=run_id,
                    run_attempt=int(workflow_run.run_attempt or settings.run_attempt),
                    job_name=job.name,
                    job_url=job.html_url,
                    failed_step=job.failed_step,
                )
                if result.kind is Kind.PERSISTENT:
                    outcome = _upsert(repo, settings, context, job, result, now, budget)
                else:
                    outcome = Outcome("dry-run" if settings.dry_run else "skipped")
                commands.notice(
                    f"{job.name}: {result.kind.value} ({result.category}, confidence "
                    f"{result.confidence:.2f}) → {outcome.action}"
                    + (f" {outcome.url}" if outcome.url else "")
                )
                reports.append(JobReport(job, result, outcome))
    except FetchError as exc:
        commands.error(str(exc), title="Cannot read the run")
        return EXIT_FAILED
    except GithubException as exc:
        if exc.status in (403, 429) and rate_limited(exc):
            commands.error(_explain_rate_limit(exc, budget), title="GitHub rate limit")
        else:
            commands.error(_explain(exc), title="GitHub API error")
        return EXIT_FAILED
    except requests.RequestException as exc:
        commands.error(_explain_network(exc, settings), title="GitHub unreachable")
        return EXIT_FAILED
    _finish(settings, reports)
    return EXIT_OK


_AGAIN = "re-run the analysis (re-run this job) later"


def _explain(exc: Any) -> str:
    status = getattr(exc, "status", None)
    if status == 401:
        return "GitHub refused the token (401): check the github-token input"
    if status == 403:
        return (
            "the token lacks a permission (403): the job needs 'permissions: actions: read, "
            "issues: write'"
        )
    if status == 404:
        return "not found (404): check the repository, run-id and the token's access"
    if isinstance(status, int) and status >= 500:
        wait = _header(exc, "retry-after")
        asked = f" and asked to wait {wait} s, longer than max-retry-wait allows" if wait else ""
        return (
            f"GitHub answered {status} after retries{asked}; it may be having an outage "
            f"(https://www.githubstatus.com): {_AGAIN}"
        )
    message = ""
    if isinstance(getattr(exc, "data", None), dict):
        message = str(exc.data.get("message", ""))
    return f"GitHub answered {status}: {message}".strip()


def _header(exc: Any, name: str) -> str | None:
    headers = getattr(exc, "headers", None) or {}
    return next((str(v) for k, v in headers.items() if str(k).lower() == name), None)


def _explain_rate_limit(exc: Any, budget: RetryBudget) -> str:
    """Which limit, when it resets, and why the action did not wait for it."""
    from github.GithubException import RateLimitExceededExceedsMaxWait

    reset = _header(exc, "x-ratelimit-reset") or ""
    retry_after = _header(exc, "retry-after")
    if _header(exc, "x-ratelimit-remaining") == "0" and reset.isdigit():
        moment = datetime.fromtimestamp(int(reset), UTC)
        minutes = max(0, round((moment - datetime.now(UTC)).total_seconds() / 60))
        what = (
            f"GitHub's API rate limit for this token is used up until "
            f"{moment:%Y-%m-%d %H:%M:%S} UTC (in about {minutes} min)"
        )
    elif retry_after:
        what = f"GitHub's secondary rate limit asks to wait {retry_after} s"
    else:
        what = "GitHub's secondary rate limit asks to wait at least a minute"
    if isinstance(exc, RateLimitExceededExceedsMaxWait):
        return (
            f"{what}; that is more than max-retry-wait allows ({budget.limit:.0f} s in all, "
            f"{budget.left:.0f} s left): re-run the analysis (re-run this job) after that, "
            "or raise max-retry-wait"
        )
    return f"{what}, still after retries: re-run the analysis (re-run this job) after that"


def _explain_network(exc: Exception, settings: Settings) -> str:
    from healer.github_client import request_timeout
    from healer.retries import network_problem

    problem = network_problem(exc)
    if problem == "no answer in time":
        problem = f"no answer within {request_timeout():.0f} s"
    return f"could not talk to GitHub at {settings.api_url}: {problem}, after retries; {_AGAIN}"


def _finish(settings: Settings, reports: list[JobReport], skipped: bool = False) -> None:
    outputs = _outputs(reports)
    if skipped:
        outputs["action"] = "skipped"
    if settings.output_path is not None:
        write_outputs(settings.output_path, outputs)
    if settings.summary_path is not None and reports:
        append_summary(settings.summary_path, _summary(reports))


def main(out: TextIO | None = None) -> int:
    commands = Commands(out if out is not None else sys.stdout)
    handler = logging.StreamHandler(commands.out)
    handler.setFormatter(ActionsLogFormatter("%(message)s"))
    log.addHandler(handler)
    level = log.level
    log.setLevel(logging.INFO)  # retries are told as plain lines in the step's log
    try:
        settings = Settings()
    except (ValidationError, SettingsError) as exc:
        problems = (
            input_problems(exc) if isinstance(exc, ValidationError) else [("inputs", str(exc))]
        )
        for name, message in problems:
            commands.error(f"{name}: {message}", title="Invalid input")
        return EXIT_USAGE
    commands.mask(settings.github_token.get_secret_value())
    if settings.copilot_token is not None:
        commands.mask(settings.copilot_token.get_secret_value())
    try:
        return run(settings, commands)
    except Exception as exc:  # a bug of ours: one clear line, no traceback
        log.debug("unexpected error", exc_info=True)
        commands.error(f"unexpected {type(exc).__name__}: {exc}", title="self-healing failed")
        return EXIT_FAILED
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
