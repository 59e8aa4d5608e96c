"""`healer report`: a repository's CI health over time, read from GitHub.

PyGithub is imported here only: `healer classify` never loads it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from healer.classifier.classify import Classifier

EXIT_OK = 0
EXIT_USAGE = 2


def run_report(args: argparse.Namespace, classifier: Classifier) -> int:
    """`healer report`: read the repository's history within the request budget,
    classify its failed jobs' logs, and print the trends."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", args.repo):
        print(f"healer: error: --repo {args.repo!r} is not OWNER/NAME", file=sys.stderr)
        return EXIT_USAGE
    token = os.environ.get(args.token_env, "").strip()
    if not token:
        print(
            f"healer: error: no token in ${args.token_env}; set it (e.g. "
            f"{args.token_env}=$(gh auth token)) or name another variable with --token-env",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        import requests
        from github import GithubException
    except ImportError:
        print(
            "healer: error: healer report reads GitHub: install it with "
            "pip install 'self-healing[github]'",
            file=sys.stderr,
        )
        return EXIT_USAGE

    from healer.github import explain
    from healer.github.client import make_client
    from healer.github.retries import RetryBudget
    from healer.github.runs import read_repository
    from healer.trends.aggregate import trends, window_start
    from healer.trends.html import page
    from healer.trends.render import as_csv, as_json, markdown

    api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    budget = RetryBudget(180)
    until = datetime.now(UTC).replace(microsecond=0)
    labels = tuple(label.strip() for label in args.labels.split(",") if label.strip())

    def verdict(path: Path) -> tuple[str, str]:
        result = classifier.classify_path(path)
        return result.kind.value, result.category

    try:
        repo = make_client(token, api_url, budget).get_repo(args.repo, lazy=True)
        history = read_repository(
            repo,
            window_start(until, 2 * args.days),
            labels,
            verdict,
            budget,
            args.max_requests,
            first_since=window_start(until, args.days),
        )
    except GithubException as exc:
        print(f"healer: error: {args.repo}: {explain.api_error(exc)}", file=sys.stderr)
        return 1
    except requests.RequestException as exc:
        print(f"healer: error: {explain.network(exc, api_url)}", file=sys.stderr)
        return 1
    report = trends(
        args.repo, history.runs, history.jobs, history.issues, until, args.days, history.skipped
    )
    # GitHub Enterprise Server serves its API under /api/v3 of the web address.
    server = (
        "https://github.com" if "api.github.com" in api_url else api_url.removesuffix("/api/v3")
    )
    if args.format == "markdown":
        text = markdown(report, server, labels[0] if labels else "ci-failure")
    else:
        text = {"json": as_json, "csv": as_csv, "html": page}[args.format](report)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(
        f"healer: {history.requests} API requests"
        + (f"; partial, left out: {'; '.join(history.skipped)}" if history.skipped else ""),
        file=sys.stderr,
    )
    return EXIT_OK
