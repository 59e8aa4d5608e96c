"""The action's inputs and the runner's variables, validated in one place.

A Docker action gets each input as `INPUT_<NAME>`, upper-cased with hyphens
kept (`INPUT_GITHUB-TOKEN`), and an input left unset as an empty string, which
here means "the default". Runner variables (`GITHUB_*`) fill the defaults that
depend on the run. Tokens are `SecretStr` and are never printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_LABELS = ("ci-failure", "automated")
MAX_LABEL_LENGTH = 50  # GitHub rejects longer label names
_LABEL_FORBIDDEN = re.compile(r"[,\x00-\x1f\x7f]")


def _input(name: str, default: Any = None, **kwargs: Any) -> Any:
    """A field read from `INPUT_<NAME>` (the runner's spelling)."""
    return Field(default, validation_alias=AliasChoices(f"INPUT_{name.upper()}"), **kwargs)


def _runner(name: str, default: Any = None) -> Any:
    return Field(default, validation_alias=AliasChoices(name))


class Settings(BaseSettings):
    """Everything the action reads from its environment."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", frozen=True)

    # Inputs (kebab-case in action.yml).
    github_token: SecretStr = _input("github-token", ...)
    workflow_name: str | None = _input("workflow-name")
    job_name: str = _input("job-name", "")
    run_id: int | None = _input("run-id", gt=0)
    labels: Annotated[tuple[str, ...], NoDecode] = _input("labels", DEFAULT_LABELS)
    mention: str = _input("mention", "@github")
    copilot_token: SecretStr | None = _input("copilot-token")
    copilot_max_per_day: int = _input("copilot-max-per-day", 3, ge=0, le=100)
    rules_file: str = _input("rules-file", ".github/self-healing.yml")
    dry_run: bool = _input("dry-run", False)
    max_excerpt_lines: int = _input("max-excerpt-lines", 40, ge=1, le=500)
    # Seconds the action may spend, in all, waiting to retry GitHub's API; a rate
    # limit that resets later ends the action with an error instead of a long sleep.
    max_retry_wait: int = _input("max-retry-wait", 180, ge=0, le=3600)
    # The same job in the last green run as the baseline of each failed job's log.
    compare_last_green: bool = _input("compare-last-green", True)
    # The loop: re-run transient failures of a finished run, up to `max_attempts`
    # attempts in all, never for workflows or jobs named in `never_retry` (globs).
    retry_transient: bool = _input("retry-transient", True)
    max_attempts: int = _input("max-attempts", 2, ge=1, le=50)  # GitHub allows 50 re-runs
    never_retry: Annotated[tuple[str, ...], NoDecode] = _input("never-retry", ())
    # Close a job's issue after this many green runs in a row on the default branch;
    # a failure within `reopen_window` days of the close reopens it.
    close_after: int = _input("close-after", 1, ge=1, le=20)
    # New issues one run may open; the rest are listed, never dropped silently.
    max_issues_per_run: int = _input("max-issues-per-run", 5, ge=1, le=100)
    # A pull request's failures: one sticky comment on it (`comment`), the job summary
    # only (`summary`), or issues like the default branch's (`issue`).
    pull_requests: Literal["comment", "summary", "issue"] = _input("pull-requests", "comment")
    # `report`: the CI health report of the last `report_days` days, not one run's jobs.
    mode: Literal["analyze", "report"] = _input("mode", "analyze")
    report_days: int = _input("report-days", 30, ge=1, le=90)
    # Apprise URLs, one per line (they hold credentials), and the events that send.
    notify: Annotated[tuple[SecretStr, ...], NoDecode] = _input("notify", ())
    notify_on: Annotated[tuple[str, ...], NoDecode] = _input(
        "notify-on", ("opened", "reopened", "closed")
    )
    reopen_window: int = _input("reopen-window", 14, ge=0, le=365)

    # The runner's variables.
    api_url: str = _runner("GITHUB_API_URL", "https://api.github.com")
    server_url: str = _runner("GITHUB_SERVER_URL", "https://github.com")
    repository: str = _runner("GITHUB_REPOSITORY", ...)
    current_run_id: int | None = _runner("GITHUB_RUN_ID")
    run_attempt: int = _runner("GITHUB_RUN_ATTEMPT", 1)
    workflow: str = _runner("GITHUB_WORKFLOW", "")
    event_name: str = _runner("GITHUB_EVENT_NAME", "")
    event_path: Path | None = _runner("GITHUB_EVENT_PATH")
    output_path: Path | None = _runner("GITHUB_OUTPUT")
    summary_path: Path | None = _runner("GITHUB_STEP_SUMMARY")
    workspace: Path = _runner("GITHUB_WORKSPACE", Path("."))

    @field_validator("github_token")
    @classmethod
    def _token_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("is empty; pass ${{ github.token }} or a token with issues: write")
        return value

    @field_validator("labels", mode="before")
    @classmethod
    def _split_labels(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("never_retry", mode="before")
    @classmethod
    def _split_names(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = (part.strip() for line in value.splitlines() for part in line.split(","))
            return tuple(part for part in parts if part)
        return value

    @field_validator("notify", mode="before")
    @classmethod
    def _split_urls(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(line.strip() for line in value.splitlines() if line.strip())
        return value

    @field_validator("notify_on", mode="before")
    @classmethod
    def _split_events(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = (p.strip().lower() for line in value.splitlines() for p in line.split(","))
            return tuple(part for part in parts if part)
        return value

    @field_validator("notify_on")
    @classmethod
    def _known_events(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [event for event in value if event not in ("opened", "reopened", "closed")]
        if unknown:
            raise ValueError(
                f"{', '.join(repr(e[:20]) for e in unknown)}: events are opened, reopened, closed"
            )
        return value

    @field_validator("labels")
    @classmethod
    def _valid_labels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("needs at least one label, e.g. ci-failure,automated")
        for label in value:
            if len(label) > MAX_LABEL_LENGTH:
                raise ValueError(
                    f"label {label[:20]!r}… is longer than {MAX_LABEL_LENGTH} characters"
                )
            if _LABEL_FORBIDDEN.search(label):
                raise ValueError(f"label {label!r} contains a control character")
        return value

    @field_validator("repository")
    @classmethod
    def _owner_and_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", value):
            raise ValueError(f"{value!r} is not owner/name")
        return value

    @field_validator("api_url", "server_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _run_known(self) -> Settings:
        if self.run_id is None and self.current_run_id is None:
            raise ValueError(
                "run-id: no run to analyse; set run-id or run on a runner (GITHUB_RUN_ID)"
            )
        return self

    @property
    def target_run_id(self) -> int:
        run = self.run_id if self.run_id is not None else self.current_run_id
        assert run is not None  # checked by _run_known
        return run


_INPUT_NAMES = {
    "github_token": "github-token",
    "workflow_name": "workflow-name",
    "job_name": "job-name",
    "run_id": "run-id",
    "labels": "labels",
    "mention": "mention",
    "copilot_token": "copilot-token",
    "copilot_max_per_day": "copilot-max-per-day",
    "rules_file": "rules-file",
    "dry_run": "dry-run",
    "max_excerpt_lines": "max-excerpt-lines",
    "max_retry_wait": "max-retry-wait",
    "compare_last_green": "compare-last-green",
    "retry_transient": "retry-transient",
    "max_attempts": "max-attempts",
    "never_retry": "never-retry",
    "close_after": "close-after",
    "max_issues_per_run": "max-issues-per-run",
    "pull_requests": "pull-requests",
    "notify": "notify",
    "notify_on": "notify-on",
    "mode": "mode",
    "report_days": "report-days",
    "reopen_window": "reopen-window",
}


def input_problems(error: ValidationError) -> list[tuple[str, str]]:
    """(input or variable name, what to fix) for each problem; never the value."""
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        where = str(item["loc"][0]) if item["loc"] else ""
        if where.startswith("INPUT_"):
            name = where.removeprefix("INPUT_").lower()
        else:
            name = _INPUT_NAMES.get(where, where or "inputs")
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        problems.append((name, message))
    return problems
