"""The HTML trends page: self-contained, and drawn by a real headless Chromium with its
charts (the screenshot is kept with the test's files)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from healer.github.records import IssueRecord, JobRecord, RunRecord
from healer.trends.aggregate import trends
from healer.trends.html import page
from tests.render_check.mermaid import RenderCheckUnavailableError, headless

UNTIL = datetime(2026, 11, 29, tzinfo=UTC)
HOSTILE = '<script>alert(1)</script> @octocat "x'


def _page() -> str:
    runs, jobs = [], []
    for n in range(1, 50):
        workflow = ("CI", "Nightly", HOSTILE)[n % 3]
        failed = n % 2 == 0
        created = UNTIL - timedelta(days=n)
        runs.append(
            RunRecord(
                n,
                n,
                workflow,
                "main",
                f"{n:040x}",
                1,
                "failure" if failed else "success",
                created,
                f"https://github.com/o/r/actions/runs/{n}",
            )
        )
        if failed:
            kind = "transient" if n % 4 == 0 else "persistent"
            jobs.append(
                JobRecord(
                    100 + n,
                    n,
                    "test",
                    1,
                    "failure",
                    f"https://github.com/o/r/actions/runs/{n}/job/{100 + n}",
                    kind,
                    "network" if kind == "transient" else "test",
                )
            )
    issues = [
        IssueRecord(
            3, "https://github.com/o/r/issues/3", "CI", "test", UNTIL - timedelta(days=9), None
        )
    ]
    return page(trends("o/r", runs, jobs, issues, UNTIL, 30))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_page_carries_everything_it_shows_and_runs_nothing() -> None:
    text = _page()
    parser = _Tags()
    parser.feed(text)
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names
    assert not [a for tag, a in parser.tags if tag in ("link", "img", "iframe", "object")]
    assert all("src" not in attrs for _, attrs in parser.tags)
    assert names.count("svg") == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "default-src 'none'" in text


def test_chromium_draws_the_page_with_its_charts(tmp_path: Path) -> None:
    html = tmp_path / "ci-health.html"
    html.write_text(_page(), encoding="utf-8")
    shot = tmp_path / "ci-health.png"
    try:
        dom = headless("--dump-dom", html.as_uri())
        drawn = headless(f"--screenshot={shot}", "--window-size=1280,2200", html.as_uri())
    except (RenderCheckUnavailableError, FileNotFoundError) as exc:
        pytest.fail(f"chromium cannot run: {exc}", pytrace=False)
    assert dom.returncode == 0, dom.stderr[-500:]
    assert len(re.findall(r"<svg\b", dom.stdout)) == 3
    assert len(re.findall(r"<rect\b", dom.stdout)) > 5
    assert "<path" in dom.stdout
    assert "<polyline" in dom.stdout
    assert drawn.returncode == 0, drawn.stderr[-500:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a drawn page, not a blank one
