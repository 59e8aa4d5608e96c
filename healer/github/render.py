"""What people read on GitHub: issue titles, bodies and comments.

Pure functions. Log text is untrusted and shown with `markdown.fenced` and
`markdown.inline`. A hidden marker identifies the issue that tracks a job; the
body keeps its occurrence count and the jobs it counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import quote, unquote

from healer.classifier.classify import Result
from healer.classifier.rule import Kind
from healer.github.history import History, Occurrence, render_section, with_failure, with_section
from healer.github.markdown import code, fenced, inline
from healer.github.model import FailedJob

_SHA = re.compile(r"[0-9a-f]{7,40}")
_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
BODY_LIMIT = 60_000  # GitHub refuses bodies over 65,536 characters; keep a margin
# Room kept for the history to grow to its full table (30 rows) with usual branch names;
# longer ones make the oldest rows give way (see `with_history`).
HISTORY_ROOM = 12_000
MARKER_PREFIX = "<!-- self-healing:v1 "
_MARKER = re.compile(r"<!-- self-healing:v1 workflow=(\S*) job=(\S*) fingerprint=(\S*) -->")


@dataclass(frozen=True)
class Marker:
    workflow: str
    job: str
    fingerprint: str

    def render(self) -> str:
        return (
            f"{MARKER_PREFIX}workflow={quote(self.workflow, safe='')} "
            f"job={quote(self.job, safe='')} fingerprint={quote(self.fingerprint, safe='')} -->"
        )

    def tracks_same_job(self, other: Marker) -> bool:
        return (self.workflow, self.job) == (other.workflow, other.job)


def find_marker(body: str | None) -> Marker | None:
    match = _MARKER.search(body or "")
    if match is None:
        return None
    return Marker(*(unquote(part) for part in match.groups()))


@dataclass(frozen=True)
class RunContext:
    """Where a failure happened, for links."""

    repository: str
    server_url: str
    workflow: str
    run_id: int
    run_attempt: int
    job_name: str
    job_url: str
    failed_step: str | None
    # The last green run whose log was the baseline, if one was.
    baseline_url: str | None = None
    run_number: int = 0
    head_sha: str = ""
    head_branch: str = ""
    failed_step_number: int | None = None

    @property
    def run_url(self) -> str:
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    def for_job(self, job: FailedJob, baseline_url: str | None) -> RunContext:
        """The run's context with one failed job's part (its last green log's run, if
        one was the baseline)."""
        return replace(
            self,
            job_name=job.name,
            job_url=job.html_url,
            failed_step=job.failed_step,
            baseline_url=baseline_url,
            failed_step_number=job.failed_step_number,
        )


def title(context: RunContext, base_job: str, result: Result) -> str:
    category = result.category.replace("_", " ")
    return f"CI failure: {context.workflow} / {base_job} ({category})"[:256]


def _facts(context: RunContext | None, result: Result) -> list[str]:
    """The verdict's facts; with a run's `context`, also where it happened."""
    step = (context.failed_step if context else None) or result.step
    rule = f"`{result.rule}`: {inline(result.explanation or '')}" if result.rule else "none matched"
    lines = [
        f"- **Verdict:** {result.kind.value}, category `{result.category}`, "
        f"confidence {result.confidence:.2f}",
        f"- **Deciding rule:** {rule}",
    ]
    if context is not None:
        lines += [
            f"- **Run:** [{context.run_id} (attempt {context.run_attempt})]({context.run_url})",
            f"- **Job:** [{inline(context.job_name)}]({context.job_url})",
        ]
    if step:
        lines.append(f"- **Failing step:** {inline(step)}")
    if context is not None and _SHA.fullmatch(context.head_sha):
        base = f"{context.server_url}/{context.repository}"
        where = f" on {inline(context.head_branch)}" if context.head_branch else ""
        lines.append(
            f"- **Commit:** [`{context.head_sha[:7]}`]({base}/commit/{context.head_sha}){where}"
        )
    if result.command:
        lines.append(f"- **Failing command:** {code(result.command)}")
    if context is not None and context.baseline_url:
        lines.append(
            f"- **Compared with:** [the last green run]({context.baseline_url}); "
            "lines it printed too are left out"
        )
    lines.append(f"- **Fingerprint:** `{result.fingerprint}`")
    return lines


def log_link(context: RunContext, result: Result) -> str | None:
    """The URL that opens the job log at the excerpt's first line (GitHub's viewer
    anchor `#step:N:LINE`, LINE counted from the step's first line), when the log's
    failing step is the one the jobs API names."""
    number, start = context.failed_step_number, result.step_line
    if number is None or start is None or not result.excerpt_lines or not context.job_url:
        return None
    if context.failed_step and result.step and context.failed_step != result.step:
        return None
    line = result.excerpt_lines[0] - start + 1
    return f"{context.job_url}#step:{number}:{line}" if line >= 1 else None


def _excerpt_intro(context: RunContext, result: Result) -> list[str]:
    link = log_link(context, result)
    return [f"[Open the job log at this excerpt]({link})", ""] if link else []


def _excerpt(result: Result, budget: int) -> str:
    lines = list(result.excerpt) or ["(no lines explain this failure; see the job log)"]
    kept = len(lines)
    text = fenced(lines)
    while len(text) > budget and kept > 1:
        kept //= 2
        text = fenced([*lines[:kept], "… (cut to fit GitHub's size limit)"])
    if len(text) > budget:
        text = fenced([lines[0][: max(0, budget - 40)]])
    return text


def _opening(context: RunContext, result: Result) -> str:
    job = f"The job **{inline(context.job_name)}** of workflow **{inline(context.workflow)}**"
    if result.kind is Kind.TRANSIENT:
        return (
            f"{job} failed on a transient-looking error in every one of its "
            f"{context.run_attempt} attempts, so re-running did not help: a service it "
            "depends on, the network or the runner keeps failing it."
        )
    return f"{job} failed, and the failure looks persistent: the code or configuration must change."


def occurrence(context: RunContext, result: Result, now: str) -> Occurrence:
    """This failure as a row of the issue's history."""
    category = re.sub(r"[^a-z0-9_-]", "", result.category.lower())[:40] or "unknown"
    return Occurrence(
        run_id=context.run_id,
        number=context.run_number,
        attempt=context.run_attempt,
        sha=context.head_sha if _SHA.fullmatch(context.head_sha) else "",
        branch=context.head_branch[:255],
        verdict=f"{result.kind.value} ({category})",
        when=now if _STAMP.fullmatch(now) else "",
    )


def with_history(body: str, context: RunContext, history: History, now: str) -> str:
    """`body` with its history section rendered from `history` (and the body's count);
    the oldest rows give way while the body would pass GitHub's size limit."""
    while True:
        section = render_section(
            history, recorded_occurrences(body), context.server_url, context.repository, day_of(now)
        )
        updated = with_section(body, section, EXCERPT_HEADING)
        if len(updated) <= BODY_LIMIT or not history.rows:
            return updated
        history = history.model_copy(update={"rows": history.rows[: len(history.rows) // 2]})


def day_of(now: str) -> date:
    """The date of a `now` stamp (`YYYY-MM-DD HH:MM UTC`); today if it has none."""
    try:
        return date.fromisoformat(now[:10])
    except ValueError:
        return datetime.now(UTC).date()


EXCERPT_HEADING = "### Log excerpt"


def issue_body(
    context: RunContext,
    result: Result,
    marker: Marker,
    mention: str,
    now: str,
    earlier: tuple[int, str] | None = None,
) -> str:
    """A new issue's body; `earlier` is (number, close date) of the issue that tracked
    the job before, closed too long ago to be reopened."""
    history = with_failure(History(), occurrence(context, result, now), day_of(now))
    previous = (
        [f"- **Earlier issue:** #{earlier[0]}, closed {inline(earlier[1])}; the job fails again"]
        if earlier
        else []
    )
    head = "\n".join(
        [
            marker.render(),
            _opening(context, result),
            "",
            *_facts(context, result),
            *previous,
            f"- **First seen:** {now} · **Last seen:** {now} · **Occurrences:** 1",
            "",
            render_section(history, 1, context.server_url, context.repository, day_of(now)),
            "",
            EXCERPT_HEADING,
            "",
            *_excerpt_intro(context, result),
        ]
    )
    tail = "\n".join(
        [
            "",
            "",
            "### What to do next",
            "",
            "1. Read the excerpt and the job log linked above; reproduce the failure locally.",
            "2. Fix the code or configuration; when the job passes again, close this issue.",
            "3. If this was not a real failure, add a rule to `.github/self-healing.yml` "
            "(see the action's README) so it is classified right next time.",
            *(["", f"{mention} please take a look."] if mention else []),
        ]
    )
    return head + _excerpt(result, BODY_LIMIT - HISTORY_ROOM - len(head) - len(tail)) + tail


OCCURRENCE_MARKER = "<!-- self-healing:occurrence -->"
_SEEN = re.compile(r"\*\*Last seen:\*\* ([^·\n]*?) · \*\*Occurrences:\*\* (\d+)")


def recorded_occurrences(body: str | None) -> int:
    """The occurrence count an issue body carries (1 when it carries none)."""
    match = _SEEN.search(body or "")
    return int(match.group(2)) if match else 1


_COUNTED = re.compile(r"<!-- self-healing:counted ([^>]*?) ?-->")
COUNTED_KEPT = 25  # the jobs most recently counted, remembered in the body


def counted_jobs(body: str | None) -> tuple[str, ...]:
    """The jobs whose occurrences the body counted last (a re-run must not count one
    again), oldest first; at most `COUNTED_KEPT` of them."""
    match = _COUNTED.search(body or "")
    return tuple(match.group(1).split()) if match else ()


def with_new_occurrence(body: str, now: str, job_url: str | None = None) -> str:
    """The body with its last-seen time and occurrence count moved on by one, and
    `job_url` remembered among the jobs counted."""
    body = with_occurrences(body, recorded_occurrences(body) + 1, now)
    if job_url is None:
        return body
    kept = [*counted_jobs(body), job_url][-COUNTED_KEPT:]
    note = f"<!-- self-healing:counted {' '.join(kept)} -->"
    if _COUNTED.search(body):
        return _COUNTED.sub(lambda _: note, body, count=1)
    first, newline, rest = body.partition("\n")
    return f"{first}\n{note}{newline}{rest}"


def with_occurrences(body: str, count: int, now: str) -> str:
    """The body with its last-seen time and occurrence count set."""
    return _SEEN.sub(f"**Last seen:** {now} · **Occurrences:** {count}", body, count=1)


_JOB_LINK = re.compile(r"^- \*\*Job:\*\* \[.*\]\((\S+)\)$", re.MULTILINE)
_NEXT_STEPS = "\n\n### What to do next"


def job_url_in(body: str | None) -> str | None:
    """The URL of the job an issue body or occurrence comment was written for."""
    match = _JOB_LINK.search(body or "")
    return match.group(1) if match else None


def records_job(text: str | None, job_url: str) -> bool:
    """Whether an issue body or comment was written for the job at `job_url`."""
    return f"]({job_url})" in (text or "")


def moved_body(number: int, body: str) -> str:
    """An occurrence comment carrying a duplicate issue's report (its facts and
    excerpt, without its marker or closing advice)."""
    head = (
        f"{OCCURRENCE_MARKER}\nMoved from #{number}, opened for this job at the same moment "
        "by another copy of the action and closed as its duplicate:\n\n"
    )
    kept = _MARKER.sub("", body.split(_NEXT_STEPS, 1)[0]).lstrip("\n")
    if len(head) + len(kept) > BODY_LIMIT:  # cannot happen to a body of ours; be safe
        kept = "\n".join(line for line in kept.splitlines() if line.startswith("- **"))
    return head + kept


def comment_body(context: RunContext, result: Result, occurrence: int, now: str) -> str:
    head = "\n".join(
        [
            OCCURRENCE_MARKER,
            f"Failed again in run [{context.run_id}]({context.run_url}) "
            f"(attempt {context.run_attempt}), occurrence {occurrence}, {now}.",
            "",
            *_facts(context, result),
            "",
            *_excerpt_intro(context, result),
        ]
    )
    return head + _excerpt(result, BODY_LIMIT - len(head))


def log_body(result: Result) -> str:
    """What `healer classify --format markdown` prints for a log from a file: the
    issue body's verdict, facts and excerpt, without the run's links and history
    (a file does not say which run it came from)."""
    name = inline(result.path)
    if result.kind is Kind.TRANSIENT:
        opening = (
            f"The log **{name}** failed on a transient-looking error: a service it depends "
            "on, the network or the runner; a re-run is likely to pass."
        )
    elif result.kind is Kind.PERSISTENT:
        opening = (
            f"The log **{name}** shows a failure that looks persistent: the code or "
            "configuration must change."
        )
    else:
        opening = f"No rule explains the failure in the log **{name}**."
    head = "\n".join([opening, "", *_facts(None, result), "", EXCERPT_HEADING, "", ""])
    return head + _excerpt(result, BODY_LIMIT - len(head)) + "\n"
