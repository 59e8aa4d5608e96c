"""One line that tells the user what went wrong with GitHub and what to do about it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from healer.github.retries import RetryBudget

_AGAIN = "re-run the analysis (re-run this job) later"


def api_error(exc: Any) -> str:
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


def rate_limit(exc: Any, budget: RetryBudget) -> str:
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


def network(exc: Exception, api_url: str) -> str:
    from healer.github.client import request_timeout
    from healer.github.retries import network_problem

    problem = network_problem(exc)
    if problem == "no answer in time":
        problem = f"no answer within {request_timeout():.0f} s"
    return f"could not talk to GitHub at {api_url}: {problem}, after retries; {_AGAIN}"
