"""Notifications end to end: the action sends to a real HTTP receiver (`json://`) and a
real SMTP server (`mailto://`) on loopback, once per issue opened, reopened or closed."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from healer.runner.notify import messages
from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo
from tests.runner.action_run import PYTEST_LOG, REPO, finished, green, numbered, watch


@dataclass
class Received:
    posts: list[dict[str, Any]] = field(default_factory=list)
    mails: list[bytes] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def receivers() -> Iterator[tuple[Received, list[str]]]:
    got = Received()

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            got.posts.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    class Mailbox:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            got.mails.append(envelope.content)
            return "250 OK"

    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    port = _free_port()
    smtp = Controller(Mailbox(), hostname="127.0.0.1", port=port)
    smtp.start()
    urls = [
        f"json://127.0.0.1:{web.server_address[1]}/hooks/s3cr3t-hook-token",
        f"mailto://127.0.0.1:{port}?from=ci@example.test&to=team@example.test&mode=insecure",
    ]
    try:
        yield got, urls
    finally:
        smtp.stop()
        web.shutdown()


def test_one_message_per_opened_and_closed_issue_none_per_comment(
    fake_github: FakeGitHub,
    repo: Repo,
    tmp_path: Path,
    receivers: tuple[Received, list[str]],
) -> None:
    got, urls = receivers
    inputs = {"notify": "\n".join(urls)}
    opened = watch(
        fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1), **inputs
    )
    assert opened.outputs["action"] == "created"
    assert len(got.posts) == 1
    assert len(got.mails) == 1
    (issue,) = repo.issues.values()
    post = got.posts[0]
    assert "opened" in post["title"]
    assert f"#{issue.number}" in post["title"]
    assert "test_total_applies_discount" in post["message"]
    assert "persistent, category test" in post["message"]
    assert b"Subject: CI failure opened" in got.mails[0]
    # A comment on the issue sends nothing.
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 2), **inputs)
    assert len(got.posts) == 1
    # The close sends one message to each.
    watch(fake_github, tmp_path, repo, green(repo, number=3), **inputs)
    assert len(got.posts) == 2
    assert len(got.mails) == 2
    assert "recovered" in got.posts[1]["title"]
    # It fails again soon after: reopened, one more message each.
    reopened = watch(
        fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 4), **inputs
    )
    assert reopened.outputs["action"] == "reopened"
    assert len(got.posts) == 3
    assert len(got.mails) == 3
    assert "reopened" in got.posts[2]["title"]
    # The URLs' secrets appear in no line the runner shows, only in masks.
    shown = [line for line in opened.stdout.splitlines() if not line.startswith("::add-mask::")]
    assert "s3cr3t-hook-token" not in "\n".join(shown) + opened.stderr
    assert any("s3cr3t-hook-token" in line for line in opened.stdout.splitlines())


def test_notify_on_narrows_the_events(
    fake_github: FakeGitHub,
    repo: Repo,
    tmp_path: Path,
    receivers: tuple[Received, list[str]],
) -> None:
    got, urls = receivers
    inputs = {"notify": urls[0], "notify-on": "closed"}
    watch(fake_github, tmp_path, repo, numbered(finished(repo, ("test", PYTEST_LOG)), 1), **inputs)
    assert got.posts == []
    watch(fake_github, tmp_path, repo, green(repo, number=2), **inputs)
    assert len(got.posts) == 1


def test_a_service_that_is_down_or_a_bad_url_is_a_warning_that_names_no_url(
    fake_github: FakeGitHub, repo: Repo, tmp_path: Path
) -> None:
    down = f"json://127.0.0.1:{_free_port()}/hooks/t0ps3cret"
    result = watch(
        fake_github,
        tmp_path,
        repo,
        finished(repo, ("test", PYTEST_LOG)),
        notify=f"{down}\nnot-a-scheme://t0ps3cret-too",
    )
    assert result.code == 0
    assert result.outputs["action"] == "created"
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert any("notify URL 1 did not take" in w for w in warnings)
    assert any("notify URL 2 is not one Apprise understands" in w for w in warnings)
    shown = [line for line in result.stdout.splitlines() if not line.startswith("::add-mask::")]
    assert "t0ps3cret" not in "\n".join(shown) + result.stderr


def test_log_text_in_a_message_pings_nobody() -> None:
    from healer.github.model import FailedJob, Outcome
    from healer.runner.report import JobReport
    from tests.classifier.helpers import a_result

    result = a_result(excerpt=["@channel <!here> <@U123> failed"])
    job = FailedJob(1, "test", "test", f"https://github.com/{REPO}/actions/runs/1/job/1", None)
    (message,) = messages([JobReport(job, result, Outcome("created", 3, "https://x/3"))], [], "CI")
    assert "@channel" not in message.body
    assert "<!here>" not in message.body
    assert "<@U123>" not in message.body
