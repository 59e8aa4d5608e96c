"""The pipeline: inputs → failed jobs and their logs → verdicts → one issue per failure → outputs.

The one module that composes the classifier, the GitHub side and the runner.

Every error a user can cause ends in one `::error::` line that says what to
fix and a non-zero exit code; nothing from a log reaches stdout unescaped.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import ValidationError
from pydantic_settings.exceptions import SettingsError

from healer.classifier.classify import Classifier, Result
from healer.classifier.redact import redact_lines
from healer.classifier.rule import Kind, RulesError
from healer.classifier.rulepack import load_pack
from healer.github import explain, upsert
from healer.github.fetch import FetchError
from healer.github.model import FailedJob, Outcome, Recovered
from healer.github.render import RunContext
from healer.github.retries import RetryBudget
from healer.runner import notify, report, retry
from healer.runner.commands import ActionsLogFormatter, Commands, append_summary, write_outputs
from healer.runner.event import PULL_REQUEST_EVENTS, read_event, trigger
from healer.runner.settings import Settings, input_problems

if TYPE_CHECKING:
    from github.WorkflowRun import WorkflowRun

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("healer")


def _rules_path(settings: Settings) -> Path | None:
    path = Path(settings.rules_file)
    if not path.is_absolute():
        path = settings.workspace / path
    return path if path.is_file() else None


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


def run(settings: Settings, commands: Commands) -> int:
    import requests
    from github import GithubException

    from healer.github.client import make_client
    from healer.github.fetch import (
        LastGreenRun,
        failed_jobs,
        get_run,
        latest_jobs,
        log_and_baseline,
    )
    from healer.github.fetch import run_context as run_context_of
    from healer.github.pulls import upsert_sticky

    event = trigger(settings.event_name, read_event(settings.event_path), settings.repository)
    if event.skip_reason is not None:
        commands.notice(event.skip_reason, title="Skipped")
        _finish(settings, [], skipped=True)
        return EXIT_OK
    try:
        pack = load_pack(_rules_path(settings))
    except RulesError as exc:
        commands.error(str(exc), title="Invalid rules file")
        return EXIT_USAGE
    classifier = Classifier(
        pack.rules, max_excerpt_lines=settings.max_excerpt_lines, commands=pack.commands
    )
    if settings.mode == "report":
        return report_run(settings, commands, classifier)
    # An explicit run-id wins; a workflow_run job analyses the run that triggered it.
    run_id = settings.run_id or event.run_id or settings.target_run_id
    budget = RetryBudget(settings.max_retry_wait)
    client = make_client(settings.github_token.get_secret_value(), settings.api_url, budget)
    policy = upsert.IssuePolicy(
        labels=settings.labels,
        mention=settings.mention,
        dry_run=settings.dry_run,
        reopen_window=settings.reopen_window,
        copilot_max_per_day=settings.copilot_max_per_day,
        copilot=(
            make_client(settings.copilot_token.get_secret_value(), settings.api_url, budget)
            if settings.copilot_token is not None
            else None
        ),
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    reports: list[report.JobReport] = []
    notes: list[str] = []
    try:
        repo = client.get_repo(settings.repository, lazy=True)
        workflow_run = get_run(repo, run_id)
        listed = latest_jobs(workflow_run)
        jobs = failed_jobs(workflow_run, settings.job_name, listed)
        # The name in titles and markers: the input, else the watched run's, else this
        # run's (GITHUB_WORKFLOW names the running workflow, not another run's).
        workflow = (
            settings.workflow_name
            or event.workflow
            or (settings.workflow if run_id == settings.current_run_id else "")
            or str(workflow_run.name or "")
        )
        # Where it all happened, for links; each failed job adds its own part.
        run_context = dataclasses.replace(
            run_context_of(settings.repository, settings.server_url, workflow, workflow_run),
            run_id=run_id,
            run_attempt=int(workflow_run.run_attempt or settings.run_attempt),
        )
        pull = event.pull_request or _pull_request_of(workflow_run)
        # A pull request's failures stay off the default branch's tracker, unless the
        # user asks for issues.
        on_pull = pull is not None and settings.pull_requests != "issue"
        if not jobs and on_pull:
            assert pull is not None
            if settings.pull_requests == "comment" and not settings.dry_run:
                text = report.pull_request_passed(run_url(settings, workflow_run), now)
                upsert_sticky(repo, pull, text, create=False)
            commands.notice(f"No failed job in run {run_id}; nothing to do.")
            _finish(settings, [])
            return EXIT_OK
        if not jobs:
            recovered = _recover(repo, workflow_run, run_context, settings, now, budget, listed)
            if not recovered:
                commands.notice(f"No failed job in run {run_id}; nothing to do.")
            for item in recovered:
                commands.notice(f"{item.job}: passed → {item.action} {item.url}")
            _finish(settings, [], recovered=recovered, commands=commands, workflow=workflow)
            return EXIT_OK
        # The same job's log in the last green run is the baseline: what it printed
        # too is not evidence.
        green = LastGreenRun(repo, workflow_run)
        analysed: list[tuple[FailedJob, Result, RunContext]] = []
        with tempfile.TemporaryDirectory(prefix="self-healing-") as folder:
            for job in jobs:
                path, baseline = log_and_baseline(
                    job, Path(folder), budget, green if settings.compare_last_green else None
                )
                result = _redacted(classifier.classify_path(path, baseline), settings)
                _show_excerpt(commands, job, result)
                context = run_context.for_job(job, green.url if baseline is not None else None)
                analysed.append((job, result, context))
        plan = retry.plan(
            retry.RetryPolicy(
                settings.retry_transient, settings.max_attempts, settings.never_retry
            ),
            workflow,
            [(job, result.kind) for job, result, _ in analysed],
            run_context.run_attempt,
            finished=workflow_run.status == "completed",
        )
        if plan.note:
            notes.append(plan.note)
        rerun_ids = _rerun(workflow_run, plan, settings, commands)
        if rerun_ids and not settings.dry_run:
            from healer.github.recovery import count_reruns

            retried = [job.base_name for job, _, _ in analysed if job.id in rerun_ids]
            count_reruns(repo, policy.labels, workflow, retried, run_context, now)
        exhausted = {job.id for job in plan.exhausted}
        created = 0
        for job, result, context in analysed:
            may_create = created < settings.max_issues_per_run
            needs_issue = result.kind is Kind.PERSISTENT or job.id in exhausted
            if job.id in rerun_ids:
                outcome = Outcome("dry-run" if settings.dry_run else "retried")
            elif on_pull and needs_issue:
                outcome = Outcome(
                    "dry-run"
                    if settings.dry_run
                    else ("pull-request" if settings.pull_requests == "comment" else "skipped")
                )
            elif result.kind is Kind.PERSISTENT:
                outcome = upsert.upsert(repo, policy, context, job, result, now, budget, may_create)
            elif result.kind is Kind.TRANSIENT and job.id in exhausted:
                transient = dataclasses.replace(policy, transient=True)
                outcome = upsert.upsert(
                    repo, transient, context, job, result, now, budget, may_create
                )
            else:
                outcome = Outcome("dry-run" if settings.dry_run else "skipped")
            created += outcome.action == "created"
            commands.notice(
                f"{job.name}: {result.kind.value} ({result.category}, confidence "
                f"{result.confidence:.2f}) → {outcome.action}"
                + (f" {outcome.url}" if outcome.url else "")
            )
            reports.append(report.JobReport(job, result, outcome))
        if on_pull and settings.pull_requests == "comment" and not settings.dry_run:
            assert pull is not None
            shown = [r for r in reports if r.outcome.action == "pull-request"]
            text = report.pull_request_comment(shown, run_url(settings, workflow_run), now)
            url = upsert_sticky(repo, pull, text)
            reports = [
                dataclasses.replace(r, outcome=Outcome("pull-request", pull, url))
                if r.outcome.action == "pull-request"
                else r
                for r in reports
            ]
        capped = [r for r in reports if r.outcome.action == "capped"]
        if capped:
            notes.append(
                f"{len(capped)} more failure(s) need an issue, beyond max-issues-per-run "
                f"({settings.max_issues_per_run}); they are listed above and on the newest issue."
            )
            newest = max(
                (r.outcome for r in reports if r.outcome.action == "created"),
                key=lambda o: o.number or 0,
            )
            upsert.list_capped(repo, newest, report.capped_comment(capped))
    except FetchError as exc:
        commands.error(str(exc), title="Cannot read the run")
        return EXIT_FAILED
    except (GithubException, requests.RequestException) as exc:
        return _github_failed(exc, commands, budget, settings.api_url)
    _finish(settings, reports, notes=notes, commands=commands, workflow=workflow)
    return EXIT_OK


# Requests the report may spend reading, of the 1,000 an hour a workflow's token has:
# the rest is left for writing the issue and for the other workflows.
REPORT_REQUESTS = 900


def report_run(settings: Settings, commands: Commands, classifier: Classifier) -> int:
    """`mode: report`: the repository's CI health over `report-days`, in the issue
    labelled ci-health (edited in place) and the job summary."""
    import requests
    from github import GithubException

    from healer.github.client import make_client
    from healer.github.report_issue import find_report_issue, upsert_report
    from healer.github.runs import read_repository
    from healer.trends import state
    from healer.trends.aggregate import trends, window_start
    from healer.trends.render import REPORT_MARKER, markdown

    def verdict(path: Path) -> tuple[str, str]:
        result = classifier.classify_path(path)
        return result.kind.value, result.category

    budget = RetryBudget(settings.max_retry_wait)
    client = make_client(settings.github_token.get_secret_value(), settings.api_url, budget)
    until = datetime.now(UTC).replace(microsecond=0)
    oldest = window_start(until, 2 * settings.report_days)
    try:
        repo = client.get_repo(settings.repository, lazy=True)
        issue = find_report_issue(repo, REPORT_MARKER)
        kept, problem = state.decode(issue.body if issue else None, settings.repository)
        if problem is not None:
            commands.warning(
                f"the CI health issue's saved state is not used ({problem}); "
                "this report reads the whole window again",
                title="CI health report",
            )
        read_from = state.resume_from(kept, oldest)
        history = read_repository(
            repo,
            read_from,
            settings.labels,
            verdict,
            budget,
            REPORT_REQUESTS,
            first_since=max(read_from, window_start(until, settings.report_days)),
        )
        runs, jobs = state.merged(
            kept, settings.server_url, read_from, oldest, history.runs, history.jobs
        )
        figures = trends(
            settings.repository,
            runs,
            jobs,
            history.issues,
            until,
            settings.report_days,
            history.skipped,
        )
        # The window read whole is kept even where the budget ended on the window before:
        # what is missing there stays missing, and ages out of the report.
        through = state.next_through(
            read_from, history.runs, history.incomplete, not history.window_complete
        )
        block = state.encode(state.build(settings.repository, runs, jobs, through, oldest))
        text = markdown(figures, settings.server_url, settings.labels[0])
        if len(block) > state.BLOCK_LIMIT:
            commands.warning(
                "the history is too big to keep in the issue; the next report reads the "
                "whole window again",
                title="CI health report",
            )
            block = ""
        outcome = (
            Outcome("dry-run")
            if settings.dry_run
            else upsert_report(repo, f"{text}\n{block}\n", REPORT_MARKER, budget, issue)
        )
    except (GithubException, requests.RequestException) as exc:
        return _github_failed(exc, commands, budget, settings.api_url)
    if history.skipped:
        commands.warning(
            "partial report: the request budget ended before " + "; ".join(history.skipped),
            title="CI health report",
        )
    commands.notice(
        f"CI health report: {history.requests} API requests → {outcome.action}"
        + (f" {outcome.url}" if outcome.url else "")
    )
    outputs = report.outputs([])
    outputs.update(
        {
            "action": outcome.action,
            "issue-number": str(outcome.number or ""),
            "issue-url": outcome.url or "",
        }
    )
    if settings.output_path is not None:
        write_outputs(settings.output_path, outputs)
    if settings.summary_path is not None:
        append_summary(settings.summary_path, text)
    return EXIT_OK


def _github_failed(exc: Exception, commands: Commands, budget: RetryBudget, api_url: str) -> int:
    """One `::error::` line for GitHub's refusal or its silence; the exit code."""
    from github import GithubException

    from healer.github.client import rate_limited

    if isinstance(exc, GithubException):
        if exc.status in (403, 429) and rate_limited(exc):
            commands.error(explain.rate_limit(exc, budget), title="GitHub rate limit")
        else:
            commands.error(explain.api_error(exc), title="GitHub API error")
    else:
        commands.error(explain.network(exc, api_url), title="GitHub unreachable")
    return EXIT_FAILED


def _pull_request_of(workflow_run: WorkflowRun) -> int | None:
    """The pull request a run was for, from the run itself (same-repository ones only:
    GitHub lists no pull request of a fork there)."""
    if workflow_run.event not in PULL_REQUEST_EVENTS:
        return None
    pulls = workflow_run.pull_requests or []
    return int(pulls[0].number) if pulls else None


def run_url(settings: Settings, workflow_run: WorkflowRun) -> str:
    return f"{settings.server_url}/{settings.repository}/actions/runs/{workflow_run.id}"


def _recover(
    repo: Any,
    workflow_run: WorkflowRun,
    context: RunContext,
    settings: Settings,
    now: str,
    budget: RetryBudget,
    listed: list[Any],
) -> list[Recovered]:
    """A run without failed jobs: mark the tracked jobs that passed on a re-run as flaky,
    and close the issues of jobs that passed on the default branch."""
    from healer.github.recovery import RecoveryPolicy, recover

    policy = RecoveryPolicy(
        labels=settings.labels,
        close_after=settings.close_after,
        reopen_window=settings.reopen_window,
        dry_run=settings.dry_run,
    )
    return recover(
        repo, workflow_run, context, policy, now, budget, only=settings.job_name, listed=listed
    )


def _rerun(
    workflow_run: WorkflowRun, plan: retry.RetryPlan, settings: Settings, commands: Commands
) -> frozenset[int]:
    """Re-run what the plan says; the ids of the jobs re-run (or that would be, in a
    dry run). A refusal or an error is a warning: the verdicts are reported anyway."""
    import requests
    from github import GithubException

    from healer.github.rerun import RerunRefused, rerun

    if not plan.rerun:
        return frozenset()
    if not settings.dry_run:
        try:
            rerun(workflow_run, plan.rerun, plan.whole_run)
        except RerunRefused as exc:
            commands.warning(str(exc), title="Transient failures not re-run")
            return frozenset()
        except (GithubException, requests.RequestException) as exc:
            status = getattr(exc, "status", None) or type(exc).__name__
            commands.warning(
                f"GitHub did not re-run the transient failures ({status}); re-run them by hand",
                title="Transient failures not re-run",
            )
            return frozenset()
    return frozenset(job.id for job in plan.rerun)


def _notify(settings: Settings, commands: Commands, messages: list[notify.Message]) -> None:
    """Send the run's notifications; trouble is a warning, never a failed action."""
    urls = [url.get_secret_value() for url in settings.notify]
    try:
        problems = notify.send(urls, settings.notify_on, messages)
    except Exception as exc:  # never fail the action for a notification
        problems = [f"notifications could not be sent ({type(exc).__name__})"]
    secrets = [settings.github_token.get_secret_value(), *urls]
    for problem in redact_lines(problems, secrets):
        commands.warning(problem, title="Notification not sent")


def _finish(
    settings: Settings,
    reports: list[report.JobReport],
    skipped: bool = False,
    notes: list[str] | None = None,
    recovered: Sequence[Recovered] = (),
    commands: Commands | None = None,
    workflow: str = "",
) -> None:
    outputs = report.outputs(reports, recovered)
    if skipped:
        outputs["action"] = "skipped"
    if settings.notify and commands is not None and not settings.dry_run:
        _notify(settings, commands, notify.messages(reports, recovered, workflow))
    if settings.output_path is not None:
        write_outputs(settings.output_path, outputs)
    if settings.summary_path is not None and (reports or recovered):
        append_summary(settings.summary_path, report.summary(reports, notes or [], recovered))


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
    for url in settings.notify:
        commands.mask(url.get_secret_value())
    try:
        return run(settings, commands)
    except Exception as exc:  # a bug of ours: one clear line, no traceback
        log.debug("unexpected error", exc_info=True)
        commands.error(f"unexpected {type(exc).__name__}: {exc}", title="self-healing failed")
        return EXIT_FAILED
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
