"""The one place a PyGithub client is made: base URL, bounded retries, page size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from healer import __version__

if TYPE_CHECKING:
    from github import Github

    from healer.settings import Settings

USER_AGENT = f"self-healing/{__version__} (+https://github.com/marketplace/actions/self-healing)"
# Never sleep an hour on a rate limit: give up with a clear error instead.
MAX_RATE_LIMIT_WAIT = 180.0
REQUEST_TIMEOUT = 30


def make_client(settings: Settings, token: str | None = None) -> Github:
    from github import Auth, Github, GithubRetry

    secret = token if token is not None else settings.github_token.get_secret_value()
    retry = GithubRetry(
        total=5,
        backoff_factor=1.0,
        secondary_rate_wait=60,
        max_rate_limit_wait=MAX_RATE_LIMIT_WAIT,
    )
    return Github(
        auth=Auth.Token(secret),
        base_url=settings.api_url,
        timeout=REQUEST_TIMEOUT,
        user_agent=USER_AGENT,
        per_page=100,
        retry=retry,
        seconds_between_requests=0.0,
        seconds_between_writes=0.5,
    )
