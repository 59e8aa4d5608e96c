"""Notifications: one message per issue opened, reopened or closed, never per comment,
to every service the user named with an Apprise URL (Slack, Teams, Discord, Matrix,
ntfy, webhooks, e-mail and the rest Apprise supports).

The URLs hold credentials: they are masked in the log and never printed, and Apprise's
own logging, which may quote them, is kept quiet. A service that refuses a message is a
warning that names it by its position in the input, never a failed action. Log text in
a message is made inert: nobody is pinged by a line a test printed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from healer.github.model import Recovered
from healer.runner.report import JobReport

EVENTS = ("opened", "reopened", "closed")
EXCERPT_LINES = 10
_ACTION_EVENT = {"created": "opened", "reopened": "reopened"}


@dataclass(frozen=True)
class Message:
    event: str  # opened | reopened | closed
    title: str
    body: str


def _inert(text: str) -> str:
    """Log text that pings nobody and links nothing in chat services."""
    return text.replace("@", "@\u2060").replace("<!", "<\u2060!").replace("<@", "<\u2060@")


def messages(
    reports: Sequence[JobReport], recovered: Sequence[Recovered], workflow: str
) -> list[Message]:
    """What to send for this run's events: new and reopened issues, closed ones."""
    found = []
    for item in reports:
        event = _ACTION_EVENT.get(item.outcome.action)
        if event is None or item.outcome.url is None:
            continue
        result = item.result
        lines = [
            f"Job: {_inert(item.job.name)} ({item.job.html_url})",
            f"Verdict: {result.kind.value}, category {result.category}, "
            f"confidence {result.confidence:.2f}",
            *([f"Failing command: {_inert(result.command)}"] if result.command else []),
            "",
            *(_inert(line) for line in result.excerpt[:EXCERPT_LINES]),
            "",
            f"Issue: {item.outcome.url}",
        ]
        found.append(
            Message(
                event,
                f"CI failure {event}: {_inert(workflow)} / {_inert(item.job.base_name)} "
                f"({result.category}) #{item.outcome.number}",
                "\n".join(lines),
            )
        )
    for done in recovered:
        if done.action == "closed":
            found.append(
                Message(
                    "closed",
                    f"CI recovered: {_inert(workflow)} / {_inert(done.job)} #{done.number}",
                    f"The job passes again; its issue is closed.\n\nIssue: {done.url}",
                )
            )
    return found


def send(urls: Sequence[str], wanted: Sequence[str], found: Sequence[Message]) -> list[str]:
    """Send each message of a wanted event to every URL; what went wrong, in words that
    name a URL by its position only."""
    chosen = [m for m in found if m.event in wanted]
    if not urls or not chosen:
        return []
    import apprise

    quiet = logging.getLogger("apprise")
    quiet.setLevel(logging.CRITICAL + 1)
    quiet.propagate = False
    problems = []
    services = []
    for position, url in enumerate(urls, start=1):
        service = apprise.Apprise()
        if not service.add(url):
            problems.append(f"notify URL {position} is not one Apprise understands; check it")
            continue
        services.append((position, service))
    for position, service in services:
        failed = 0
        for message in chosen:
            try:
                if not service.notify(title=message.title, body=message.body):
                    failed += 1
            except Exception:  # a plugin's bug must not fail the action
                failed += 1
        if failed:
            problems.append(
                f"notify URL {position} did not take {failed} of {len(chosen)} message(s); "
                "check the service and its credentials"
            )
    return problems
