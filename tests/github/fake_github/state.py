"""What the fake GitHub knows: repositories, workflow runs, jobs, logs, issues, labels.

Tests arrange it through ``add_*`` methods and inspect the same objects afterwards.
``*_json`` functions render objects the way GitHub's REST API does (the fields PyGithub
reads, URLs pointing at the fake so that PyGithub's follow-up requests reach it).
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

WEB = "https://github.com"
Json = dict[str, Any]

_ids = itertools.count(1_000_001)  # ids are unique across every kind of object


def next_id() -> int:
    return next(_ids)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Step:
    name: str
    number: int
    conclusion: str | None = "success"
    status: str = "completed"


@dataclass
class Job:
    id: int
    run_id: int
    name: str
    run_attempt: int = 1
    status: str = "completed"
    conclusion: str | None = "failure"
    steps: list[Step] = field(default_factory=list)
    log: bytes | None = None  # None: no log stored, answers 404
    logs_expired: bool = False  # answers 410 like GitHub after the retention period
    created_at: datetime = field(default_factory=now)


@dataclass
class Run:
    id: int
    name: str
    head_sha: str
    head_branch: str = "main"
    event: str = "push"
    status: str = "completed"
    conclusion: str | None = "failure"
    run_attempt: int = 1
    run_number: int = 1
    head_repository: str | None = None  # owner/name of the head repository; None: this one
    workflow_id: int = field(default_factory=next_id)
    path: str = ".github/workflows/ci.yml"
    jobs: list[Job] = field(default_factory=list)
    rerun_requests: int = 0  # POST rerun-failed-jobs or jobs/{id}/rerun received
    rerun_jobs: list[str] = field(default_factory=list)  # names of the jobs re-run
    pull_requests: list[int] = field(default_factory=list)  # numbers of the run's pull requests
    created_at: datetime = field(default_factory=now)

    def add_job(
        self,
        name: str,
        *,
        conclusion: str | None = "failure",
        status: str = "completed",
        run_attempt: int | None = None,
        steps: Sequence[Step | tuple[str, str | None]] = (),
        log: bytes | str | None = None,
        logs_expired: bool = False,
        id: int | None = None,
    ) -> Job:
        """Add a job to this run (attempt defaults to the run's current attempt).

        ``steps`` may be ``Step`` objects or ``(name, conclusion)`` pairs, numbered from 1.
        """
        made = [
            s if isinstance(s, Step) else Step(name=s[0], number=i, conclusion=s[1])
            for i, s in enumerate(steps, start=1)
        ]
        job = Job(
            id=id or next_id(),
            run_id=self.id,
            name=name,
            run_attempt=run_attempt or self.run_attempt,
            status=status,
            conclusion=conclusion,
            steps=made,
            log=log.encode() if isinstance(log, str) else log,
            logs_expired=logs_expired,
        )
        self.jobs.append(job)
        return job

    def jobs_of(self, filter: str = "latest", attempt: int | None = None) -> list[Job]:
        """Jobs as GitHub lists them: one attempt, all attempts, or the latest of each job."""
        if attempt is not None:
            return [j for j in self.jobs if j.run_attempt == attempt]
        if filter == "all":
            return list(self.jobs)
        latest: dict[str, Job] = {}
        for job in self.jobs:
            if job.name not in latest or job.run_attempt >= latest[job.name].run_attempt:
                latest[job.name] = job
        return sorted(latest.values(), key=lambda j: j.id)


@dataclass
class Label:
    name: str
    color: str = "ededed"
    description: str | None = None
    id: int = field(default_factory=next_id)


@dataclass
class Comment:
    body: str
    user: str
    id: int = field(default_factory=next_id)
    created_at: datetime = field(default_factory=now)


@dataclass
class Issue:
    number: int
    title: str
    body: str | None = None
    labels: list[str] = field(default_factory=list)
    state: str = "open"
    state_reason: str | None = None
    user: str = "github-actions[bot]"
    assignees: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    pull_request: bool = False  # GitHub lists pull requests among issues
    id: int = field(default_factory=next_id)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    closed_at: datetime | None = None


@dataclass
class Repo:
    owner: str
    name: str
    default_branch: str = "main"
    id: int = field(default_factory=next_id)
    private: bool = False
    runs: dict[int, Run] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)  # key: lower-cased name
    issues: dict[int, Issue] = field(default_factory=dict)
    assignable: set[str] = field(default_factory=set)
    # Runs created after this moment are not listed yet (a test's way to let time pass).
    runs_listed_until: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def add_run(self, name: str = "CI", *, head_sha: str = "a" * 40, **fields: Any) -> Run:
        run = Run(id=fields.pop("id", None) or next_id(), name=name, head_sha=head_sha, **fields)
        self.runs[run.id] = run
        return run

    def add_label(self, name: str, color: str = "ededed", description: str | None = None) -> Label:
        label = Label(name=name, color=color, description=description)
        self.labels[name.lower()] = label
        return label

    def label(self, name: str) -> Label | None:
        return self.labels.get(name.lower())

    def add_issue(self, title: str, **fields: Any) -> Issue:
        """Add an issue (or, with ``pull_request=True``, a pull request) to the repository."""
        issue = Issue(number=len(self.issues) + 1, title=title, **fields)
        for name in issue.labels:
            if self.label(name) is None:
                self.add_label(name)
        self.issues[issue.number] = issue
        return issue

    def add_assignee(self, *logins: str) -> None:
        self.assignable.update(logins)

    def find_job(self, job_id: int) -> Job | None:
        return next((j for r in self.runs.values() for j in r.jobs if j.id == job_id), None)


# ---------------------------------------------------------------- rendering as JSON


def user_json(login: str, api: str) -> Json:
    bot = login.endswith("[bot]")
    return {
        "login": login,
        "id": zlib.crc32(login.encode()) % 10_000_000,
        "node_id": f"U_{login}",
        "avatar_url": f"https://avatars.githubusercontent.com/{quote(login)}",
        "url": f"{api}/users/{quote(login)}",
        "html_url": f"{WEB}/{'apps/' + login[:-5] if bot else login}",
        "type": "Bot" if bot else "User",
        "site_admin": False,
    }


def repo_json(repo: Repo, api: str, full: bool = True) -> Json:
    base = f"{api}/repos/{repo.full_name}"
    data: Json = {
        "id": repo.id,
        "node_id": f"R_{repo.id}",
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.private,
        "owner": user_json(repo.owner, api),
        "html_url": f"{WEB}/{repo.full_name}",
        "description": None,
        "fork": False,
        "url": base,
        "issues_url": f"{base}/issues{{/number}}",
        "labels_url": f"{base}/labels{{/name}}",
    }
    if full:
        open_issues = sum(1 for i in repo.issues.values() if i.state == "open")
        data |= {
            "default_branch": repo.default_branch,
            "visibility": "private" if repo.private else "public",
            "archived": False,
            "disabled": False,
            "has_issues": True,
            "open_issues_count": open_issues,
            "open_issues": open_issues,
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": "2020-01-01T00:00:00Z",
            "pushed_at": "2020-01-01T00:00:00Z",
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }
    return data


def other_repo_json(full_name: str, api: str) -> Json:
    """A repository outside the fake's state (a fork, say), in the short form."""
    owner, name = full_name.split("/", 1)
    return repo_json(Repo(owner=owner, name=name, id=zlib.crc32(full_name.encode())), api, False)


def run_json(repo: Repo, run: Run, api: str, repos: dict[str, Repo]) -> Json:
    base = f"{api}/repos/{repo.full_name}/actions/runs/{run.id}"
    head_name = run.head_repository or repo.full_name
    head = (
        repo_json(repos[head_name], api, full=False)
        if head_name in repos
        else other_repo_json(head_name, api)
    )
    return {
        "id": run.id,
        "name": run.name,
        "node_id": f"WFR_{run.id}",
        "check_suite_id": run.id + 1,
        "head_branch": run.head_branch,
        "head_sha": run.head_sha,
        "path": run.path,
        "display_title": run.name,
        "run_number": run.run_number,
        "run_attempt": run.run_attempt,
        "event": run.event,
        "status": run.status,
        "conclusion": run.conclusion,
        "workflow_id": run.workflow_id,
        "url": base,
        "html_url": f"{WEB}/{repo.full_name}/actions/runs/{run.id}",
        "pull_requests": [
            {
                "id": number,
                "number": number,
                "url": f"{api}/repos/{repo.full_name}/pulls/{number}",
                "head": {"ref": run.head_branch, "sha": run.head_sha, "repo": _repo_ref(repo, api)},
                "base": {"ref": repo.default_branch, "sha": "0" * 40, "repo": _repo_ref(repo, api)},
            }
            for number in run.pull_requests
        ],
        "created_at": iso(run.created_at),
        "updated_at": iso(run.created_at),
        "run_started_at": iso(run.created_at),
        "actor": user_json(repo.owner, api),
        "triggering_actor": user_json(repo.owner, api),
        "jobs_url": f"{base}/jobs",
        "logs_url": f"{base}/logs",
        "check_suite_url": f"{api}/repos/{repo.full_name}/check-suites/{run.id + 1}",
        "artifacts_url": f"{base}/artifacts",
        "cancel_url": f"{base}/cancel",
        "rerun_url": f"{base}/rerun",
        "previous_attempt_url": (
            f"{base}/attempts/{run.run_attempt - 1}" if run.run_attempt > 1 else None
        ),
        "workflow_url": f"{api}/repos/{repo.full_name}/actions/workflows/{run.workflow_id}",
        "head_commit": {"id": run.head_sha, "tree_id": run.head_sha, "message": "commit"},
        "repository": repo_json(repo, api, full=False),
        "head_repository": head,
        "repository_id": repo.id,
        "head_repository_id": head["id"],
    }


def _repo_ref(repo: Repo, api: str) -> Json:
    return {"id": repo.id, "url": f"{api}/repos/{repo.full_name}", "name": repo.name}


def job_json(repo: Repo, run: Run, job: Job, api: str) -> Json:
    started = iso(job.created_at)
    done = job.status == "completed"
    return {
        "id": job.id,
        "run_id": run.id,
        "workflow_name": run.name,
        "head_branch": run.head_branch,
        "run_url": f"{api}/repos/{repo.full_name}/actions/runs/{run.id}",
        "run_attempt": job.run_attempt,
        "node_id": f"CR_{job.id}",
        "head_sha": run.head_sha,
        "url": f"{api}/repos/{repo.full_name}/actions/jobs/{job.id}",
        "html_url": f"{WEB}/{repo.full_name}/actions/runs/{run.id}/job/{job.id}",
        "status": job.status,
        "conclusion": job.conclusion,
        "created_at": started,
        "started_at": started,
        "completed_at": started if done else None,
        "name": job.name,
        "steps": [
            {
                "name": s.name,
                "status": s.status,
                "conclusion": s.conclusion,
                "number": s.number,
                "started_at": started,
                "completed_at": started if s.status == "completed" else None,
            }
            for s in job.steps
        ],
        "check_run_url": f"{api}/repos/{repo.full_name}/check-runs/{job.id}",
        "labels": ["ubuntu-latest"],
        "runner_id": 1,
        "runner_name": "GitHub Actions 1",
        "runner_group_id": 2,
        "runner_group_name": "GitHub Actions",
    }


def label_json(repo: Repo, label: Label, api: str) -> Json:
    return {
        "id": label.id,
        "node_id": f"LA_{label.id}",
        "url": f"{api}/repos/{repo.full_name}/labels/{quote(label.name, safe='')}",
        "name": label.name,
        "color": label.color,
        "default": False,
        "description": label.description,
    }


def issue_json(repo: Repo, issue: Issue, api: str) -> Json:
    base = f"{api}/repos/{repo.full_name}/issues/{issue.number}"
    kind = "pull" if issue.pull_request else "issues"
    labels = [repo.label(n) or Label(name=n) for n in issue.labels]
    data: Json = {
        "id": issue.id,
        "node_id": f"I_{issue.id}",
        "url": base,
        "repository_url": f"{api}/repos/{repo.full_name}",
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "html_url": f"{WEB}/{repo.full_name}/{kind}/{issue.number}",
        "number": issue.number,
        "state": issue.state,
        "state_reason": issue.state_reason,
        "title": issue.title,
        "body": issue.body,
        "user": user_json(issue.user, api),
        "labels": [label_json(repo, label, api) for label in labels],
        "assignee": user_json(issue.assignees[0], api) if issue.assignees else None,
        "assignees": [user_json(a, api) for a in issue.assignees],
        "milestone": None,
        "locked": False,
        "comments": len(issue.comments),
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "closed_at": iso(issue.closed_at),
        "author_association": "NONE",
    }
    if issue.pull_request:
        pr = f"{api}/repos/{repo.full_name}/pulls/{issue.number}"
        web = f"{WEB}/{repo.full_name}/pull/{issue.number}"
        data["pull_request"] = {
            "url": pr,
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
        }
    return data


def comment_json(repo: Repo, issue: Issue, comment: Comment, api: str) -> Json:
    return {
        "id": comment.id,
        "node_id": f"IC_{comment.id}",
        "url": f"{api}/repos/{repo.full_name}/issues/comments/{comment.id}",
        "html_url": f"{WEB}/{repo.full_name}/issues/{issue.number}#issuecomment-{comment.id}",
        "issue_url": f"{api}/repos/{repo.full_name}/issues/{issue.number}",
        "body": comment.body,
        "user": user_json(comment.user, api),
        "created_at": iso(comment.created_at),
        "updated_at": iso(comment.created_at),
        "author_association": "NONE",
    }
