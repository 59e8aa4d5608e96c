"""What the CI health report costs on a busy repository: API requests and seconds.

    python bench/report_requests.py [--per-day 50] [--days 30]

Serves a seeded history from the test suite's fake GitHub on loopback (`--per-day` runs
a day for twice `--days` days, one in five failed; `tests/trends/seeded.py`) and prints
the API requests, log downloads and wall time of:

- `healer report` (reads everything, every time);
- the action in `mode: report` a week ago (its first report) and now (it reads only the
  week since, from the state its issue keeps).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=50)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()

    from tests.github.fake_github import FakeGitHub
    from tests.github.fake_github.openapi import GitHubContract
    from tests.trends.seeded import seed_busy

    until = datetime.now(UTC).replace(microsecond=0)
    with FakeGitHub(GitHubContract.load()) as fake:
        repo = fake.add_repo("octo-org/octo-repo")
        recent, failed = seed_busy(repo, until, days=2 * args.days, per_day=args.per_day)
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "healer",
                "report",
                "--repo",
                repo.full_name,
                "--format",
                "json",
                "--days",
                str(args.days),
            ],
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "GITHUB_API_URL": fake.url,
                "GITHUB_TOKEN": fake.token,
            },
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        api = sum(1 for r in fake.requests if r.api)
        logs = len(fake.blob_requests)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return 1
    data = json.loads(done.stdout)
    first, second = _action_twice(args.per_day, args.days)
    print(
        f"history: {recent} runs and {failed} failed jobs in the last {args.days} days "
        f"(twice as many days read)"
    )
    print(f"first run: {api} API requests, {logs} log downloads, {seconds:.1f} s")
    print(
        f"classified in the window: {data['current']['classified_jobs']}; "
        f"partial: {data['partial']} {data['skipped']}"
    )
    print(f"action, first report (a week ago): {first}")
    print(f"action, a week later (incremental): {second}")
    return 0


def _action_twice(per_day: int, days: int) -> tuple[str, str]:
    import tempfile
    from datetime import timedelta

    from tests.github.fake_github import FakeGitHub
    from tests.github.fake_github.openapi import GitHubContract
    from tests.runner.action_run import run_action
    from tests.trends.seeded import seed_busy

    now = datetime.now(UTC).replace(microsecond=0)
    found = []
    with FakeGitHub(GitHubContract.load()) as fake, tempfile.TemporaryDirectory() as work:
        repo = fake.add_repo("octo-org/octo-repo")
        seed_busy(repo, now, days=2 * days, per_day=per_day)
        scheduled = repo.add_run("CI health", status="in_progress", conclusion=None)
        repo.runs_listed_until = now - timedelta(days=7)
        for _ in range(2):
            before, logs = sum(1 for r in fake.requests if r.api), len(fake.blob_requests)
            started = time.perf_counter()
            done = run_action(
                fake,
                Path(work),
                scheduled,
                event_name="schedule",
                mode="report",
                **{"report-days": str(days)},
            )
            seconds = time.perf_counter() - started
            api = sum(1 for r in fake.requests if r.api) - before
            found.append(
                f"{api} API requests, {len(fake.blob_requests) - logs} log downloads, "
                f"{seconds:.1f} s (exit {done.code})"
            )
            repo.runs_listed_until = None
    return found[0], found[1]


if __name__ == "__main__":
    sys.exit(main())
