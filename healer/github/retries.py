"""Waiting and retrying, bounded: one budget of seconds for a whole run, and writes
that are never made twice.

Every wait before a retry (API calls, log downloads) is taken from one
`RetryBudget`, the `max-retry-wait` input, so a run never sleeps longer than
the user allowed. A write that GitHub may or may not have carried out when the
answer was lost (a 5xx, a dropped connection, a timeout) is looked for before
it is made again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger("healer.github.retries")

T = TypeVar("T")
WRITE_ATTEMPTS = 3  # a write is made at most this many times
WRITE_PAUSE = 1.0  # seconds before looking whether a write whose answer was lost took effect


class RetryBudget:
    """The seconds a run may still spend waiting before retries, shared by all of them."""

    def __init__(self, seconds: float) -> None:
        self.limit = float(seconds)
        self.left = float(seconds)

    def allows(self, seconds: float) -> bool:
        return seconds <= self.left + 1e-6

    def wait(self, seconds: float, why: str, then: str = "retrying") -> bool:
        """Sleep `seconds` and return True if the budget allows it; else return False."""
        if not self.allows(seconds):
            return False
        self.spend(seconds, why, then)
        if seconds > 0:
            time.sleep(seconds)
        return True

    def spend(self, seconds: float, why: str, then: str = "retrying") -> None:
        """Take `seconds` from the budget (the caller sleeps), and say so in the log."""
        self.left = max(0.0, self.left - seconds)
        log.info("%s; %s in %s", why, then, _seconds(seconds))

    def pause(self, seconds: float, why: str, then: str) -> None:
        """Sleep `seconds`, or what is left of the budget if that is less."""
        self.wait(min(seconds, self.left), why, then)


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 1 or value == 0 else f"{value:.1f} s"


def is_transient(error: BaseException) -> bool:
    """An error that says nothing about the request itself: a server error, a
    connection that broke, no answer in time. The request may have taken effect."""
    import requests
    from github import GithubException

    if isinstance(error, GithubException):
        return isinstance(error.status, int) and error.status >= 500
    return isinstance(
        error,
        requests.ConnectionError | requests.Timeout | requests.exceptions.ChunkedEncodingError,
    )


def write_once(
    budget: RetryBudget,
    what: str,
    write: Callable[[], T],
    done: Callable[[], T | None],
) -> T:
    """`write()`, retried after transient errors; before each retry `done()` looks
    for the result of a write whose answer was lost, and returns it if found."""
    attempt = 1
    while True:
        try:
            return write()
        except Exception as error:
            if attempt >= WRITE_ATTEMPTS or not is_transient(error):
                raise
            why = f"{what}: {describe(error)}"
        budget.pause(WRITE_PAUSE * attempt, why, "looking whether it went through")
        found = done()
        if found is not None:
            return found
        attempt += 1


def describe(error: BaseException) -> str:
    """A short, user-facing account of an HTTP error (no URLs, no tokens)."""
    from github import GithubException

    if isinstance(error, GithubException):
        return f"GitHub answered {error.status}"
    return network_problem(error)


def network_problem(error: BaseException) -> str:
    """What went wrong on the wire, read from the chain of wrapped exceptions."""
    import http.client
    import socket

    from urllib3.exceptions import IncompleteRead, ProtocolError, ReadTimeoutError

    seen: set[int] = set()
    pending: list[BaseException] = [error]
    found: list[BaseException] = []
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        pending += [a for a in current.args if isinstance(a, BaseException)]
        for linked in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)
    kinds = tuple(type(e) for e in found)

    def any_of(*types: type[BaseException]) -> bool:
        return any(issubclass(kind, types) for kind in kinds)

    if any_of(ReadTimeoutError, socket.timeout, TimeoutError) or "timed out" in str(error):
        return "no answer in time"
    if any_of(ConnectionResetError):
        return "the connection was reset"
    if any_of(IncompleteRead, http.client.IncompleteRead):
        return "the answer was cut off"
    if any_of(ConnectionRefusedError):
        return "the connection was refused"
    if any_of(http.client.RemoteDisconnected, ProtocolError):
        return "the connection closed without an answer"
    return "the connection failed"
