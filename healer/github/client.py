"""The one place a PyGithub client is made: base URL, bounded retries, timeouts, page size.

Retries follow GitHub's advice for its REST API: a server error or a broken
connection is retried with exponential backoff; a rate limit waits for
`Retry-After`, else for `x-ratelimit-reset` when the limit is used up, else a
minute. Every wait comes out of one `RetryBudget` (the `max-retry-wait` input);
a wait that does not fit ends the request at once with the error that caused it,
so the action stops with a clear message instead of sleeping for an hour.

POST requests are not repeated after a server error or a broken connection,
since GitHub may have carried them out: `healer.github.retries.write_once` looks for
their result first. A rate-limited POST was refused before it took effect and is
retried like any other request.
"""

from __future__ import annotations

import logging
import os
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from github import GithubRetry
from github.GithubException import RateLimitExceededExceedsMaxWait
from urllib3 import Retry
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError

from healer import __version__
from healer.github.retries import RetryBudget, describe

if TYPE_CHECKING:
    from github import Github
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

log = logging.getLogger("healer.github")

USER_AGENT = f"self-healing/{__version__} (+https://github.com/marketplace/actions/self-healing)"
RETRIES = 5  # at most this many retries per request
BACKOFF_FACTOR = 1.0  # waits of 0, 2, 4, 8, 16 s between consecutive failures
SECONDARY_RATE_WAIT = 60  # GitHub: "wait for at least one minute" without Retry-After
REQUEST_TIMEOUT = 30.0  # seconds without a byte from GitHub before a request fails
# Undocumented, for tests: a smaller request timeout than a slow fake server.
TIMEOUT_VARIABLE = "HEALER_HTTP_TIMEOUT"
_RATE_LIMITED = frozenset({403, 429})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"})


def request_timeout(default: float = REQUEST_TIMEOUT) -> float:
    """The timeout of every HTTP request: `default`, unless HEALER_HTTP_TIMEOUT says less."""
    try:
        value = float(os.environ.get(TIMEOUT_VARIABLE, ""))
    except ValueError:
        return default
    return value if 0 < value < default else default


class BoundedRetry(GithubRetry):
    """PyGithub's retry, with every wait taken from a shared `RetryBudget`."""

    def __init__(self, budget: RetryBudget | None = None, **kwargs: Any) -> None:
        self.budget = budget if budget is not None else RetryBudget(0)
        self.planned_wait = 0.0
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> BoundedRetry:
        kw["budget"] = self.budget
        made: BoundedRetry = super().new(**kw)
        return made

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        # A rate-limited POST never took effect (GithubRetry checks it is a rate limit).
        if method.upper() == "POST" and status_code in _RATE_LIMITED:
            return bool(self.total)
        return bool(super().is_retry(method, status_code, has_retry_after))

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        # GithubRetry refuses a rate-limit wait longer than this, with the reason.
        self.max_rate_limit_wait = self.budget.left
        retry = super().increment(method, url, response, error, _pool, _stacktrace)  # type: ignore[arg-type]
        wait = _planned_wait(retry, response)
        if not self.budget.allows(wait):
            if response is not None and response.status in _RATE_LIMITED:
                raise RateLimitExceededExceedsMaxWait(
                    response.status,
                    {"message": "rate limited"},
                    dict(response.headers.items()),
                    wait=wait,
                )
            # As if the retries were used up: the caller gets the last answer or error.
            reason = error or ResponseError(f"{response.status if response else ''} again")
            raise MaxRetryError(_pool, url or "", reason)  # type: ignore[arg-type]
        self.budget.spend(wait, f"{method} {_path(url)}: {_cause(response, error)}")
        if isinstance(retry, BoundedRetry):
            retry.planned_wait = wait
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        # The wait was planned (and paid for) in increment().
        if self.planned_wait > 0:
            time.sleep(self.planned_wait)


def _planned_wait(retry: Retry, response: BaseHTTPResponse | None) -> float:
    """What urllib3 would sleep before the retry, plus a used-up rate limit's reset."""
    if response is not None and retry.respect_retry_after_header:
        value = response.headers.get("Retry-After")
        if value:
            try:
                return float(retry.parse_retry_after(value))
            except InvalidHeader:
                pass
    wait = float(retry.get_backoff_time())
    if response is not None and response.status in _RATE_LIMITED:
        remaining = response.headers.get("x-ratelimit-remaining")
        reset = response.headers.get("x-ratelimit-reset") or ""
        if remaining == "0" and reset.isdigit():
            wait = max(wait, int(reset) - time.time() + 1)
    return wait


def rate_limited(exc: Any) -> bool:
    """A 403 or 429 that is GitHub's rate limit, not a missing permission."""
    from github import RateLimitExceededException

    if isinstance(exc, RateLimitExceededException) or getattr(exc, "status", None) == 429:
        return True
    headers = {str(k).lower(): v for k, v in (getattr(exc, "headers", None) or {}).items()}
    return "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0"


def _path(url: str | None) -> str:
    """The path of a request, never its query (a log URL's query is its signature)."""
    return urlsplit(url or "").path or "/"


def _cause(response: BaseHTTPResponse | None, error: Exception | None) -> str:
    if response is not None:
        return f"GitHub answered {response.status}"
    return describe(error) if error is not None else "no answer"


def make_client(token: str, api_url: str, budget: RetryBudget) -> Github:
    """A client for the REST API at `api_url` (GitHub's or a GHES instance's), whose
    retries all wait out of `budget`."""
    from github import Auth, Github

    retry = BoundedRetry(
        budget=budget,
        total=RETRIES,
        backoff_factor=BACKOFF_FACTOR,
        secondary_rate_wait=SECONDARY_RATE_WAIT,
        max_rate_limit_wait=budget.left,
        status_forcelist=[*range(500, 600), 429],
        allowed_methods=_IDEMPOTENT,
        # When retries end, PyGithub gets GitHub's last answer and raises on it.
        raise_on_status=False,
    )
    return Github(
        auth=Auth.Token(token),
        base_url=api_url,
        timeout=int(request_timeout()) or 1,
        user_agent=USER_AGENT,
        per_page=100,
        retry=retry,
        seconds_between_requests=0.0,
        seconds_between_writes=0.5,
    )
