"""A trends report as one self-contained HTML page: no script, no external style, font
or image; the charts are inline SVG. Every text from the repository is escaped; a
content security policy forbids anything the page does not carry itself."""

from __future__ import annotations

import math
from html import escape

from healer.trends.aggregate import TOP_JOBS, Headline, Trends
from healer.trends.render import change, percent

WIDTH, HEIGHT, PAD = 720, 240, 40
COLOURS = ["#d73a4a", "#0366d6", "#28a745", "#6f42c1", "#e36209", "#005cc5", "#b08800", "#22863a"]
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#24292f}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
th{background:#f6f8fa}.partial{background:#fff8c5;padding:.5rem;border:1px solid #d4a72c}
svg{display:block;margin:.5rem 0 1.5rem}.legend span{margin-right:1rem}
"""


def _a(url: str, text: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'


def _headline(now: Headline, before: Headline) -> str:
    def row(name: str, value: str, change: str) -> str:
        return f"<tr><td>{name}</td><td>{value}</td><td>{change}</td></tr>"

    hours = f"{now.median_hours_to_close:g} h" if now.median_hours_to_close is not None else "–"
    return (
        "<table><tr><th>figure</th><th>this window</th><th>change</th></tr>"
        + row("runs", str(now.runs), change(now.runs, before.runs))
        + row(
            "failure rate",
            f"{percent(now.failure_rate)} ({now.failed_runs} runs)",
            change(now.failure_rate, before.failure_rate, True),
        )
        + row(
            "transient share of failed jobs",
            f"{percent(now.transient_share)} ({now.transient_jobs} of {now.classified_jobs})",
            change(now.transient_share, before.transient_share, True),
        )
        + row(
            "runs rescued by a re-run",
            str(now.rescued_runs),
            change(now.rescued_runs, before.rescued_runs),
        )
        + row("flaky jobs", str(now.flaky_jobs), change(now.flaky_jobs, before.flaky_jobs))
        + row("median time to close a failure issue", hours, "")
        + "</table>"
    )


def _bars(report: Trends) -> str:
    """Failed runs per week, one stacked bar a week, a colour a workflow."""
    weeks = len(report.weeks) or 1
    totals = [sum(series[i] for series in report.failures_by_week.values()) for i in range(weeks)]
    top = max([1, *totals])
    slot = (WIDTH - 2 * PAD) / weeks
    parts = [
        f'<svg width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="Failed runs per week">'
    ]
    for i, week in enumerate(report.weeks):
        base = float(HEIGHT - PAD)
        x = PAD + i * slot + slot * 0.15
        for n, (workflow, series) in enumerate(report.failures_by_week.items()):
            h = (HEIGHT - 2 * PAD) * series[i] / top
            if h:
                parts.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                    f'fill="{COLOURS[n % len(COLOURS)]}"><title>{escape(workflow)}: {series[i]} '
                    f"(week of {escape(week)})</title></rect>"
                )
            base -= h
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" font-size="10">{escape(week[5:])}</text>'
        )
    parts.append(f'<text x="4" y="{PAD - 8}" font-size="11">failed runs (max {top})</text></svg>')
    legend = "".join(
        f'<span style="color:{COLOURS[n % len(COLOURS)]}">■</span> {escape(w)} '
        for n, w in enumerate(report.failures_by_week)
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _line(report: Trends) -> str:
    rates = report.failure_rate_by_week or [0.0]
    step = (WIDTH - 2 * PAD) / max(1, len(rates) - 1)
    points = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (HEIGHT - 2 * PAD) * r:.1f}"
        for i, r in enumerate(rates)
    )
    return (
        f'<svg width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="Failure rate per week">'
        f'<polyline points="{points}" fill="none" stroke="#d73a4a" stroke-width="2"/>'
        f'<text x="4" y="{PAD - 8}" font-size="11">failure rate per week (0 to 100 %)</text></svg>'
    )


def _pie(categories: dict[str, int]) -> str:
    total = sum(categories.values())
    if not total:
        return ""
    cx, cy, r = 120, 120, 100
    parts = ['<svg width="480" height="240" role="img" aria-label="Failed jobs by category">']
    angle = -math.pi / 2
    for n, (name, count) in enumerate(categories.items()):
        share = count / total
        colour = COLOURS[n % len(COLOURS)]
        if share >= 1:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>')
        else:
            end = angle + 2 * math.pi * share
            large = 1 if share > 0.5 else 0
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            parts.append(
                f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
                f'fill="{colour}"><title>{escape(name)}: {count}</title></path>'
            )
            angle = end
        parts.append(
            f'<text x="260" y="{30 + 20 * n}" font-size="12" fill="{colour}">■ '
            f"{escape(name)}: {count}</text>"
        )
    return "".join(parts) + "</svg>"


def page(report: Trends) -> str:
    title = f"CI health: {report.repository}, the last {report.days} days"
    rows = "".join(
        f"<tr><td>{escape(r.workflow)}</td><td>{escape(r.job)}</td>"
        f"<td>{_a(r.last_failure_url, str(r.failures))}</td><td>{percent(r.rate)} of {r.runs}</td>"
        f"<td>{percent(r.transient_share)}</td>"
        f"<td>{_a(r.open_issue_url, f'#{r.open_issue}') if r.open_issue and r.open_issue_url else '–'}</td></tr>"
        for r in report.jobs[:TOP_JOBS]
    )
    flaky = "".join(
        f"<tr><td>{escape(r.workflow)}</td><td>{escape(r.job)}</td>"
        f"<td>{_a(r.last_run_url, str(r.flaky_passes))}</td></tr>"
        for r in report.flaky
    )
    oldest = "".join(
        f"<tr><td>{_a(i.url, f'#{i.number}')}</td><td>{escape(i.workflow)}</td>"
        f"<td>{escape(i.job)}</td><td>{i.created:%Y-%m-%d}</td></tr>"
        for i in report.oldest_open
    )
    partial = (
        f'<p class="partial"><strong>Partial report:</strong> the request budget ended before '
        f"{escape('; '.join(report.skipped))} could be read.</p>"
        if report.partial
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{escape(title)}</title><style>{STYLE}</style></head><body>
<h1>{escape(title)}</h1>
<p>From {report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}, compared with the {report.days} days before.</p>
{partial}
{_headline(report.current, report.previous)}
<h2>Failed runs per week</h2>{_bars(report)}
<h2>Failure rate per week</h2>{_line(report)}
<h2>Failed jobs by category</h2>{_pie(report.categories)}
<h2>Jobs that fail most</h2>
<table><tr><th>workflow</th><th>job</th><th>failures</th><th>rate</th><th>transient</th><th>open issue</th></tr>{rows}</table>
<h2>Flaky jobs</h2>
<table><tr><th>workflow</th><th>job</th><th>flaky passes</th></tr>{flaky}</table>
<h2>Oldest open failure issues</h2>
<table><tr><th>issue</th><th>workflow</th><th>job</th><th>open since</th></tr>{oldest}</table>
</body></html>
"""
