"""What the CI health issue remembers between reports, so that each report reads only
the runs since the last one.

Runs that failed or were re-run are kept as compact records with their jobs and the
verdicts of their classified logs; the other runs only as a count per day and workflow.
The block is compressed JSON in a hidden comment, versioned. It sits in an issue anyone
with write access can edit, so it is read with limits (size before and after
decompression) and validated; a damaged or foreign one is ignored and the report starts
again from the repository itself.

Days are whole: the next report drops what the state holds from `through` (a midnight,
UTC) on and reads those days again, so a day is never counted half from the state and
half from the API.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from healer.github.records import JobRecord, RunRecord
from healer.trends.aggregate import midnight

VERSION = 1
BLOCK_LIMIT = 40_000  # characters of the encoded block in the body, at most
INFLATED_LIMIT = 4_000_000  # bytes after decompression, at most
_BLOCK = re.compile(r"<!-- self-healing:ci-health-state v(\d+) ([A-Za-z0-9+/=]*) -->")
_CONCLUSIONS = [
    "success",
    "failure",
    "timed_out",
    "startup_failure",
    "cancelled",
    "skipped",
    "neutral",
    "action_required",
    "stale",
]
_KINDS = ["", "transient", "persistent", "unknown"]


class State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    v: int = VERSION
    repository: str = ""
    through: str = ""  # ISO midnight, UTC: days from here on are read again
    names: list[str] = Field(default_factory=list)  # workflows, jobs and categories
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)  # day -> name index -> runs
    runs: list[list[int]] = Field(default_factory=list)
    jobs: list[list[int]] = Field(default_factory=list)


class _Names:
    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names = list(names)
        self.index = {name: i for i, name in enumerate(self.names)}

    def of(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]

    def at(self, index: int) -> str:
        return self.names[index] if 0 <= index < len(self.names) else ""


def _minutes(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def worth_a_record(run: RunRecord) -> bool:
    """Runs the figures need one by one; the others count per day and workflow."""
    return run.failed or run.attempt > 1


def build(
    repository: str,
    runs: Sequence[RunRecord],
    jobs: Sequence[JobRecord],
    through: datetime,
    oldest: datetime,
) -> State:
    names = _Names()
    counts: dict[str, dict[str, int]] = {}
    records: list[list[int]] = []
    kept: set[int] = set()
    for run in runs:
        if run.created < oldest or run.created >= through:
            continue
        if worth_a_record(run):
            kept.add(run.id)
            records.append(
                [
                    run.id,
                    run.number,
                    names.of(run.workflow),
                    run.attempt,
                    _CONCLUSIONS.index(run.conclusion) if run.conclusion in _CONCLUSIONS else -1,
                    _minutes(run.created),
                ]
            )
        else:
            day = counts.setdefault(_day(run.created), {})
            key = str(names.of(run.workflow))
            day[key] = day.get(key, 0) + 1
    job_rows = [
        [
            job.id,
            job.run_id,
            names.of(job.name),
            job.attempt,
            _CONCLUSIONS.index(job.conclusion) if job.conclusion in _CONCLUSIONS else -1,
            _KINDS.index(job.kind or ""),
            names.of(job.category) if job.category else -1,
        ]
        for job in jobs
        if job.run_id in kept
    ]
    return State(
        repository=repository,
        through=through.strftime("%Y-%m-%dT%H:%M:%SZ"),
        names=names.names,
        counts=counts,
        runs=records,
        jobs=job_rows,
    )


def records(state: State, server_url: str) -> tuple[list[RunRecord], list[JobRecord]]:
    """The runs and jobs the state holds; the counted runs as records of their own
    (successful, first attempt, at noon of their day), which is all the figures ask."""
    names = _Names(state.names)
    base = f"{server_url}/{state.repository}/actions/runs"
    runs: list[RunRecord] = []
    for run_id, number, workflow, attempt, conclusion, minutes in (r[:6] for r in state.runs):
        runs.append(
            RunRecord(
                id=run_id,
                number=number,
                workflow=names.at(workflow),
                branch="",
                sha="",
                attempt=attempt,
                conclusion=_CONCLUSIONS[conclusion]
                if 0 <= conclusion < len(_CONCLUSIONS)
                else None,
                created=datetime.fromtimestamp(minutes * 60, UTC),
                url=f"{base}/{run_id}",
            )
        )
    synthetic = -1
    for day, per_workflow in sorted(state.counts.items()):
        noon = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC) + timedelta(hours=12)
        for index, count in per_workflow.items():
            for _ in range(count):
                runs.append(
                    RunRecord(synthetic, 0, names.at(int(index)), "", "", 1, "success", noon, base)
                )
                synthetic -= 1
    jobs = [
        JobRecord(
            id=job_id,
            run_id=run_id,
            name=names.at(name),
            attempt=attempt,
            conclusion=_CONCLUSIONS[conclusion] if 0 <= conclusion < len(_CONCLUSIONS) else None,
            url=f"{base}/{run_id}/job/{job_id}",
            kind=_KINDS[kind] or None if 0 <= kind < len(_KINDS) else None,
            category=names.at(category) or None if category >= 0 else None,
        )
        for job_id, run_id, name, attempt, conclusion, kind, category in (j[:7] for j in state.jobs)
    ]
    return runs, jobs


def encode(state: State) -> str:
    packed = zlib.compress(state.model_dump_json().encode(), 9)
    return f"<!-- self-healing:ci-health-state v{VERSION} {base64.b64encode(packed).decode()} -->"


def decode(body: str | None, repository: str) -> tuple[State | None, str | None]:
    """The state a body carries, or None with why it was not used (None when there is
    no block at all)."""
    match = _BLOCK.search(body or "")
    if match is None:
        return None, None
    if int(match.group(1)) != VERSION:
        return None, f"its state block is of version {match.group(1)}, not {VERSION}"
    text = match.group(2)
    if len(text) > BLOCK_LIMIT:
        return None, "its state block is too big"
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(base64.b64decode(text, validate=True), INFLATED_LIMIT)
        if inflater.unconsumed_tail:
            return None, "its state block inflates too much"
        state = State.model_validate_json(raw)
    except (binascii.Error, zlib.error, ValidationError, ValueError):
        return None, "its state block is damaged"
    if state.repository != repository or state.v != VERSION:
        return None, "its state block is another repository's"
    if any(len(job) < 7 for job in state.jobs) or any(len(run) < 6 for run in state.runs):
        return None, "its state block is damaged"
    return state, None


def resume_from(state: State | None, oldest: datetime) -> datetime:
    """Where reading starts: the state's `through`, if the state reaches back to `oldest`;
    else `oldest` (a first report, or a state that was dropped)."""
    if state is None or not state.through:
        return oldest
    through = datetime.strptime(state.through, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return max(through, oldest)


def next_through(
    read_from: datetime,
    runs_read: Sequence[RunRecord],
    incomplete: datetime | None,
    partial: bool,
) -> datetime:
    """The midnight from which the next report reads again: the day of the oldest run
    still in progress, else the day of the newest run read (it may get more runs); where
    this read was cut short, where it started."""
    if partial:
        return read_from
    if incomplete is not None:
        return max(read_from, midnight(incomplete))
    newest = max((run.created for run in runs_read), default=None)
    return max(read_from, midnight(newest)) if newest is not None else read_from


def merged(
    state: State | None,
    server_url: str,
    read_from: datetime,
    oldest: datetime,
    runs: Sequence[RunRecord],
    jobs: Sequence[JobRecord],
) -> tuple[list[RunRecord], list[JobRecord]]:
    """The state's runs and jobs from `oldest` up to `read_from`, then what was read."""
    if state is None:
        return list(runs), list(jobs)
    kept_runs, kept_jobs = records(state, server_url)
    kept_runs = [r for r in kept_runs if oldest <= r.created < read_from]
    ids = {r.id for r in kept_runs}
    return kept_runs + list(runs), [j for j in kept_jobs if j.run_id in ids] + list(jobs)
