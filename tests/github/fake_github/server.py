"""A fake GitHub REST API over real HTTP on loopback, checked against GitHub's OpenAPI.

Every request to the API is validated against the official description (see
``openapi.py``); a request GitHub would reject is recorded as a contract violation and
answered with 422. ``FakeGitHub.check()`` (called by the ``fake_github`` fixture at
teardown) fails the test if there were violations or requests the fake does not serve.
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
import secrets
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from tests.github.fake_github.openapi import GitHubContract
from tests.github.fake_github.state import (
    Comment,
    Issue,
    Job,
    Repo,
    Run,
    comment_json,
    iso,
    issue_json,
    job_json,
    label_json,
    now,
    repo_json,
    run_json,
)

DEFAULT_TOKEN = "ghs_fakeGitHubDefaultToken0000000000"
BLOB_PREFIX = "/_blob/"
_LEVELS = {"none": 0, "read": 1, "write": 2}
_DOCS = "https://docs.github.com/rest"


@dataclass
class Token:
    value: str
    login: str = "github-actions[bot]"
    permissions: dict[str, str] = field(default_factory=dict)  # scope -> read | write
    used: int = 0  # requests counted against the rate limit

    def allows(self, scope: str, level: str) -> bool:
        if scope == "metadata":
            return True
        return _LEVELS[self.permissions.get(scope, "none")] >= _LEVELS[level]


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string, still percent-encoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: Any  # parsed JSON, or None
    raw_body: bytes
    api: bool  # False for the unauthenticated blob (log download) URLs
    status: int | None = None  # None: no answer (connection dropped) or still running

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass
class Fault:
    """Answer the next ``times`` requests matching ``method`` and the ``path`` glob.

    By default the request does not take effect: the fault answers instead of GitHub.
    With ``handled=True`` the request is served first (an issue is created, say) and
    the fault then spoils the answer, as when GitHub did the work but the reply was
    lost on the way.
    """

    method: str
    path: str
    times: int = 1
    status: int | None = None  # None: answer normally (after ``delay``)
    body: Any = None  # JSON-able, bytes, or None for GitHub's usual error body
    headers: dict[str, str] = field(default_factory=dict)  # added to (or replacing) the usual
    delay: float = 0.0  # seconds before answering
    drop: bool = False  # close the connection without answering
    reset: bool = False  # abort the connection (TCP RST: "connection reset by peer")
    truncate: int | None = None  # send the full Content-Length but only this many body bytes
    drip: float | None = None  # send the body one byte per this many seconds
    handled: bool = False  # serve the request first, so it takes effect, then fail
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (
            self.hits < self.times
            and self.method in ("*", method)
            and fnmatch.fnmatchcase(path, self.path)
        )


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-able, bytes (sent as is) or None (empty)
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.reply = Reply(
            status, {"message": message, "documentation_url": _DOCS, "status": str(status)} | extra
        )


def _not_found() -> HttpError:
    return HttpError(404, "Not Found")


Handler = Callable[["FakeGitHub", Repo, dict[str, str], RecordedRequest, Token], Reply]
_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_ROUTES: list[tuple[str, re.Pattern[str], tuple[str, str], str]] = [
    (method, re.compile(_REPO + tail), (scope, level), handler)
    for method, tail, scope, level, handler in [
        ("GET", "", "metadata", "read", "_get_repo"),
        ("GET", "/actions/runs", "actions", "read", "_list_runs"),
        ("GET", r"/actions/runs/(?P<run_id>\d+)", "actions", "read", "_get_run"),
        ("GET", r"/actions/runs/(?P<run_id>\d+)/jobs", "actions", "read", "_list_jobs"),
        (
            "GET",
            r"/actions/runs/(?P<run_id>\d+)/attempts/(?P<attempt>\d+)/jobs",
            "actions",
            "read",
            "_list_jobs",
        ),
        (
            "POST",
            r"/actions/runs/(?P<run_id>\d+)/rerun-failed-jobs",
            "actions",
            "write",
            "_rerun_failed_jobs",
        ),
        ("GET", r"/actions/jobs/(?P<job_id>\d+)", "actions", "read", "_get_job"),
        ("POST", r"/actions/jobs/(?P<job_id>\d+)/rerun", "actions", "write", "_rerun_job"),
        ("GET", r"/actions/jobs/(?P<job_id>\d+)/logs", "actions", "read", "_job_logs"),
        ("GET", "/issues", "issues", "read", "_list_issues"),
        ("POST", "/issues", "issues", "write", "_create_issue"),
        ("GET", r"/issues/(?P<number>\d+)", "issues", "read", "_get_issue"),
        ("PATCH", r"/issues/(?P<number>\d+)", "issues", "write", "_edit_issue"),
        ("GET", r"/issues/(?P<number>\d+)/comments", "issues", "read", "_list_comments"),
        ("POST", r"/issues/(?P<number>\d+)/comments", "issues", "write", "_create_comment"),
        ("POST", r"/issues/(?P<number>\d+)/assignees", "issues", "write", "_add_assignees"),
        ("PATCH", r"/issues/comments/(?P<comment_id>\d+)", "issues", "write", "_edit_comment"),
        ("GET", r"/labels/(?P<name>[^/]+)", "issues", "read", "_get_label"),
        ("POST", "/labels", "issues", "write", "_create_label"),
    ]
]


class FakeGitHub:
    """State of a fake GitHub plus the HTTP server answering for it.

    Arrange with ``add_repo`` (then ``repo.add_run``, ``run.add_job``, ``repo.add_issue``,
    ...), ``add_token``, ``inject``; inspect ``requests``, the state objects, and
    ``take_violations()`` / ``take_unexpected()``.
    """

    def __init__(self, contract: GitHubContract) -> None:
        self.contract = contract
        self.repos: dict[str, Repo] = {}  # key: lower-cased owner/name
        self.tokens: dict[str, Token] = {}
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.unexpected: list[str] = []
        self.faults: list[Fault] = []
        self.log_url_ttl = 60.0  # seconds a log download URL stays valid
        self.lock = threading.RLock()
        self._blobs: dict[str, tuple[int, float]] = {}  # signature -> job id, expiry
        self._rate_reset = int(time.time()) + 3600
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add_token(DEFAULT_TOKEN, actions="write", issues="write", contents="read")

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """Base URL of the API, what ``GITHUB_API_URL`` is set to."""
        if self._server is None:
            raise RuntimeError("FakeGitHub is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token(self) -> str:
        return DEFAULT_TOKEN

    def start(self) -> FakeGitHub:
        server = _Server(("127.0.0.1", 0), _RequestHandler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-github"
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ arranging

    def add_repo(self, full_name: str = "octo-org/octo-repo", **fields: Any) -> Repo:
        owner, name = full_name.split("/", 1)
        repo = Repo(owner=owner, name=name, **fields)
        self.repos[full_name.lower()] = repo
        return repo

    def repo(self, full_name: str) -> Repo:
        return self.repos[full_name.lower()]

    def add_token(self, value: str, *, login: str = "github-actions[bot]", **perms: str) -> Token:
        """A token the API accepts, with permissions such as ``actions="read"``."""
        token = Token(value, login, dict(perms))
        self.tokens[value] = token
        return token

    def inject(self, method: str, path: str, **fault: Any) -> Fault:
        """Make the next matching request(s) fail; see ``Fault`` for the options."""
        made = Fault(method.upper(), path, **fault)
        with self.lock:
            self.faults.append(made)
        return made

    def clear_faults(self) -> None:
        """Forget the faults not used up: GitHub behaves again."""
        with self.lock:
            self.faults.clear()

    # ------------------------------------------------------------------ inspecting

    def requests_to(self, method: str = "*", path: str = "*") -> list[RecordedRequest]:
        """Recorded requests whose method and path (a glob) match."""
        with self.lock:
            return [
                r
                for r in self.requests
                if method in ("*", r.method) and fnmatch.fnmatchcase(r.path, path)
            ]

    @property
    def write_requests(self) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if r.is_write]

    @property
    def blob_requests(self) -> list[RecordedRequest]:
        """Log downloads (the URLs a logs request redirects to)."""
        with self.lock:
            return [r for r in self.requests if not r.api]

    def take_violations(self) -> list[str]:
        """Return and forget the contract violations (for tests that cause them on purpose)."""
        with self.lock:
            taken, self.violations = self.violations, []
        return taken

    def take_unexpected(self) -> list[str]:
        with self.lock:
            taken, self.unexpected = self.unexpected, []
        return taken

    def check(self) -> None:
        """Raise if a request broke GitHub's contract or reached an endpoint not faked."""
        problems = [f"contract violation: {v}" for v in self.violations]
        problems += [f"unexpected request (not served by the fake): {u}" for u in self.unexpected]
        if problems:
            raise AssertionError("fake GitHub saw bad requests:\n  " + "\n  ".join(problems))

    # ------------------------------------------------------------------ serving

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        raw = handler.rfile.read(int(headers.get("content-length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        record = RecordedRequest(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
            raw_body=raw,
            api=not split.path.startswith(BLOB_PREFIX),
        )
        with self.lock:
            self.requests.append(record)
            fault = next((f for f in self.faults if f.matches(record.method, record.path)), None)
            if fault is not None:
                fault.hits += 1
        if fault is None:
            reply = self._answer(record, headers.get("content-type", ""))
            record.status = reply.status  # before sending: the client may look right after
            _send(handler, reply)
            return
        served = self._answer(record, headers.get("content-type", "")) if fault.handled else None
        if fault.delay:
            time.sleep(fault.delay)
        if fault.drop or fault.reset:
            handler.close_connection = True
            if fault.reset:
                _abort(handler)
            return
        if fault.status is not None:
            body = fault.body
            if body is None:
                body = HttpError(fault.status, "injected fault").reply.body
            reply = Reply(fault.status, body, self._api_headers(None) | fault.headers)
        else:
            reply = served or self._answer(record, headers.get("content-type", ""))
            reply.headers = reply.headers | fault.headers
        record.status = reply.status
        if fault.truncate is not None:
            _send(handler, reply, cut=fault.truncate)
            handler.close_connection = True
            return
        _send(handler, reply, drip=fault.drip)

    def _answer(self, record: RecordedRequest, content_type: str) -> Reply:
        if not record.api:
            return self._download_blob(record)
        verdict = self.contract.check(
            record.method, record.path, record.query, record.raw_body, content_type
        )
        token = self.tokens.get(_bearer(record.authorization) or "")
        try:
            if not verdict.ok:
                with self.lock:
                    self.violations.append(f"{record.method} {record.path}: {verdict.message}")
            if token is None:
                raise HttpError(401, "Bad credentials")
            with self.lock:
                token.used += 1
            if not verdict.ok and not verdict.known_path:
                raise _not_found()
            if not verdict.ok:
                raise HttpError(422, f"Invalid request.\n\n{verdict.message}")
            reply = self._route(record, token)
        except HttpError as error:
            reply = error.reply
        reply.headers = self._api_headers(token) | reply.headers
        return reply

    def _route(self, record: RecordedRequest, token: Token) -> Reply:
        for method, pattern, (scope, level), name in _ROUTES:
            match = pattern.fullmatch(record.path)
            if method != record.method or match is None:
                continue
            params = {k: unquote(v) for k, v in match.groupdict().items()}
            if not token.allows(scope, level):
                error = HttpError(403, "Resource not accessible by integration")
                error.reply.headers["x-accepted-github-permissions"] = f"{scope}={level}"
                raise error
            handler: Handler = getattr(FakeGitHub, name)
            with self.lock:
                repo = self.repos.get(f"{params['owner']}/{params['repo']}".lower())
                if repo is None:
                    raise _not_found()
                return handler(self, repo, params, record, token)
        with self.lock:
            self.unexpected.append(f"{record.method} {record.path}")
        raise _not_found()

    def _api_headers(self, token: Token | None) -> dict[str, str]:
        used = token.used if token else 0
        return {
            "x-github-api-version-selected": "2022-11-28",
            "x-github-media-type": "github.v3; format=json",
            "x-github-request-id": secrets.token_hex(8).upper(),
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(max(0, 5000 - used)),
            "x-ratelimit-reset": str(self._rate_reset),
            "x-ratelimit-used": str(used),
            "x-ratelimit-resource": "core",
        }

    def _page(self, record: RecordedRequest, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        """One page of ``items`` and the ``Link`` header GitHub would send with it."""
        per_page = min(int(record.param("per_page") or 30), 100)
        page = max(int(record.param("page") or 1), 1)
        last = max(1, math.ceil(len(items) / per_page))

        def link(number: int, rel: str) -> str:
            query = {k: v[-1] for k, v in record.query.items()} | {
                "per_page": str(per_page),
                "page": str(number),
            }
            return f'<{self.url}{record.path}?{urlencode(query)}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(min(page - 1, last), "prev")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first")]
        chunk = items[(page - 1) * per_page : page * per_page]
        return chunk, ({"Link": ", ".join(links)} if links else {})

    # ------------------------------------------------------------------ endpoints

    def _get_repo(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        return Reply(200, repo_json(repo, self.url))

    def _run(self, repo: Repo, p: dict[str, str]) -> Run:
        run = repo.runs.get(int(p["run_id"]))
        if run is None:
            raise _not_found()
        return run

    def _get_run(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        known = {r.full_name: r for r in self.repos.values()}
        return Reply(200, run_json(repo, self._run(repo, p), self.url, known))

    def _list_runs(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        """The repository's runs, newest first, filtered as GitHub does by branch, event
        and status (a status or a conclusion)."""
        runs = sorted(repo.runs.values(), key=lambda run: (run.created_at, run.id), reverse=True)
        branch, event, status = r.param("branch"), r.param("event"), r.param("status")
        runs = [
            run
            for run in runs
            if (not branch or run.head_branch == branch)
            and (not event or run.event == event)
            and (not status or status in (run.status, run.conclusion))
            and (repo.runs_listed_until is None or run.created_at <= repo.runs_listed_until)
        ]
        chunk, headers = self._page(r, runs)
        known = {r.full_name: r for r in self.repos.values()}
        body = {
            "total_count": len(runs),
            "workflow_runs": [run_json(repo, run, self.url, known) for run in chunk],
        }
        return Reply(200, body, headers)

    def _list_jobs(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        run = self._run(repo, p)
        attempt = int(p["attempt"]) if "attempt" in p else None
        if attempt is not None and not 1 <= attempt <= run.run_attempt:
            raise _not_found()
        jobs = run.jobs_of(r.param("filter") or "latest", attempt)
        chunk, headers = self._page(r, jobs)
        body = {"total_count": len(jobs), "jobs": [job_json(repo, run, j, self.url) for j in chunk]}
        return Reply(200, body, headers)

    def _job(self, repo: Repo, p: dict[str, str]) -> tuple[Run, Job]:
        for run in repo.runs.values():
            for job in run.jobs:
                if job.id == int(p["job_id"]):
                    return run, job
        raise _not_found()

    def _get_job(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        run, job = self._job(repo, p)
        return Reply(200, job_json(repo, run, job, self.url))

    def _job_logs(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        _, job = self._job(repo, p)
        if job.logs_expired:
            raise HttpError(410, "Gone")
        if job.log is None:
            raise _not_found()
        signature = secrets.token_urlsafe(24)
        expires = time.time() + self.log_url_ttl
        self._blobs[signature] = (job.id, expires)
        query = urlencode({"sig": signature, "se": str(int(expires))})
        return Reply(302, None, {"Location": f"{self.url}{BLOB_PREFIX}logs/{job.id}?{query}"})

    def _download_blob(self, record: RecordedRequest) -> Reply:
        """The log storage: no authentication, only the signature in the URL counts."""
        with self.lock:
            job_id, expires = self._blobs.get(record.param("sig") or "", (0, 0.0))
            job = next((j for repo in self.repos.values() if (j := repo.find_job(job_id))), None)
        if (
            record.method != "GET"
            or job is None
            or record.path != f"{BLOB_PREFIX}logs/{job_id}"
            or time.time() > expires
            or job.log is None
        ):
            return Reply(403, b"AuthenticationFailed", {"Content-Type": "application/xml"})
        return Reply(200, job.log, {"Content-Type": "text/plain; charset=utf-8"})

    def _rerun_failed_jobs(
        self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token
    ) -> Reply:
        run = self._run(repo, p)
        if run.status != "completed":
            raise HttpError(403, "This workflow is already running")
        failed = [
            j
            for j in run.jobs_of("latest")
            if j.conclusion in ("failure", "cancelled", "timed_out")
        ]
        run.rerun_requests += 1
        run.rerun_jobs.extend(j.name for j in failed)
        run.run_attempt += 1
        run.status, run.conclusion = "queued", None
        for job in failed:
            run.add_job(job.name, status="queued", conclusion=None)
        return Reply(201, {})

    def _rerun_job(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        """One job again, in a new attempt of its run (GitHub re-runs the jobs that
        depend on it too; the fake's runs have none)."""
        run, job = self._job(repo, p)
        if run.status != "completed":
            raise HttpError(403, "The workflow run containing this job is already running")
        run.rerun_requests += 1
        run.rerun_jobs.append(job.name)
        run.run_attempt += 1
        run.status, run.conclusion = "queued", None
        run.add_job(job.name, status="queued", conclusion=None)
        return Reply(201, {})

    def _issue(self, repo: Repo, p: dict[str, str]) -> Issue:
        issue = repo.issues.get(int(p["number"]))
        if issue is None:
            raise _not_found()
        return issue

    def _list_issues(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        state = r.param("state") or "open"
        wanted = {n.strip().lower() for n in (r.param("labels") or "").split(",") if n.strip()}
        assignee, since = r.param("assignee"), r.param("since")
        found = [
            i
            for i in repo.issues.values()
            if state in ("all", i.state)
            and wanted <= {n.lower() for n in i.labels}
            and (not assignee or assignee in i.assignees)
            and (not since or (iso(i.updated_at) or "") >= since)
        ]
        key = "updated_at" if r.param("sort") == "updated" else "created_at"
        found.sort(key=lambda i: (getattr(i, key), i.number), reverse=r.param("direction") != "asc")
        chunk, headers = self._page(r, found)
        return Reply(200, [issue_json(repo, i, self.url) for i in chunk], headers)

    def _label_names(self, repo: Repo, given: Any) -> list[str]:
        """Names of labels given as strings or ``{"name": ...}``; missing ones are created."""
        names = [g if isinstance(g, str) else g["name"] for g in given or []]
        for name in names:
            if repo.label(name) is None:
                repo.add_label(name)
        return [repo.label(n).name for n in names]  # type: ignore[union-attr]

    def _assignees(self, repo: Repo, given: Any) -> list[str]:
        logins = [g if isinstance(g, str) else g["login"] for g in given or []]
        bad = [login for login in logins if login not in repo.assignable]
        if bad:
            raise HttpError(
                422,
                "Validation Failed",
                errors=[
                    {"value": login, "resource": "Issue", "field": "assignees", "code": "invalid"}
                    for login in bad
                ],
            )
        return logins

    def _create_issue(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        body = r.body or {}
        assignees = self._assignees(repo, body.get("assignees"))
        issue = repo.add_issue(
            str(body["title"]),
            body=body.get("body"),
            user=t.login,
            labels=self._label_names(repo, body.get("labels")),
            assignees=assignees,
        )
        location = f"{self.url}/repos/{repo.full_name}/issues/{issue.number}"
        return Reply(201, issue_json(repo, issue, self.url), {"Location": location})

    def _get_issue(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        return Reply(200, issue_json(repo, self._issue(repo, p), self.url))

    def _edit_issue(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        issue, body = self._issue(repo, p), r.body or {}
        if "labels" in body:
            issue.labels = self._label_names(repo, body["labels"])
        if "assignees" in body:
            issue.assignees = self._assignees(repo, body["assignees"])
        for name in ("title", "body"):
            if name in body:
                setattr(issue, name, body[name])
        if "state" in body and body["state"] != issue.state:
            issue.state = body["state"]
            issue.closed_at = now() if issue.state == "closed" else None
            default_reason = "completed" if issue.state == "closed" else "reopened"
            issue.state_reason = body.get("state_reason") or default_reason
        elif "state_reason" in body:
            issue.state_reason = body["state_reason"]
        issue.updated_at = now()
        return Reply(200, issue_json(repo, issue, self.url))

    def _list_comments(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        issue = self._issue(repo, p)
        chunk, headers = self._page(r, issue.comments)
        return Reply(200, [comment_json(repo, issue, c, self.url) for c in chunk], headers)

    def _create_comment(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        issue = self._issue(repo, p)
        comment = Comment(body=str((r.body or {})["body"]), user=t.login)
        issue.comments.append(comment)
        issue.updated_at = now()
        return Reply(201, comment_json(repo, issue, comment, self.url))

    def _edit_comment(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        for issue in repo.issues.values():
            for comment in issue.comments:
                if comment.id == int(p["comment_id"]):
                    comment.body = (r.body or {}).get("body", comment.body)
                    return Reply(200, comment_json(repo, issue, comment, self.url))
        raise _not_found()

    def _add_assignees(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        issue = self._issue(repo, p)
        for given in (r.body or {}).get("assignees") or []:
            login = given if isinstance(given, str) else given["login"]
            # GitHub silently ignores users who cannot be assigned.
            if login in repo.assignable and login not in issue.assignees:
                issue.assignees.append(login)
        return Reply(201, issue_json(repo, issue, self.url))

    def _get_label(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        label = repo.label(p["name"])
        if label is None:
            raise _not_found()
        return Reply(200, label_json(repo, label, self.url))

    def _create_label(self, repo: Repo, p: dict[str, str], r: RecordedRequest, t: Token) -> Reply:
        body = r.body or {}
        name, color = str(body["name"]), str(body.get("color") or "ededed").lstrip("#")
        errors = []
        if repo.label(name) is not None:
            errors.append({"resource": "Label", "code": "already_exists", "field": "name"})
        if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
            errors.append({"resource": "Label", "code": "invalid", "field": "color"})
        if errors:
            raise HttpError(422, "Validation Failed", errors=errors)
        label = repo.add_label(name, color.lower(), body.get("description"))
        return Reply(201, label_json(repo, label, self.url))


def _bearer(authorization: str | None) -> str | None:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() in ("token", "bearer") else None


def _abort(handler: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP reset: the client reads ECONNRESET."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


def _send(
    handler: BaseHTTPRequestHandler,
    reply: Reply,
    cut: int | None = None,
    drip: float | None = None,
) -> None:
    """Send ``reply``; with ``cut``, only that many bytes of its body (Content-Length
    still announces all of them); with ``drip``, the body a byte at a time, that many
    seconds apart (never slow enough for a read timeout, always too slow to finish)."""
    if isinstance(reply.body, bytes):
        payload, content_type = reply.body, "application/octet-stream"
    elif reply.body is None:
        payload, content_type = b"", "application/json; charset=utf-8"
    else:
        payload, content_type = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
    headers: Mapping[str, str] = {"Content-Type": content_type} | reply.headers
    handler.send_response(reply.status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    if handler.command == "HEAD":
        return
    if drip is None:
        handler.wfile.write(payload if cut is None else payload[:cut])
        return
    handler.close_connection = True
    for byte in payload:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(drip)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout, say) before a slow answer was sent is
        # expected here; anything else is a bug of the fake and is shown.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's session expects
    disable_nagle_algorithm = True  # headers and body go out in two writes
    timeout = 30

    def _handle(self) -> None:
        self.server.fake._serve(self)  # type: ignore[attr-defined]

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is FakeGitHub.requests


__all__ = ["DEFAULT_TOKEN", "FakeGitHub", "Fault", "RecordedRequest", "Reply", "Token"]
