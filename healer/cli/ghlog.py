"""The output of `gh run view --log` and `--log-failed`, split by job.

`gh` prints each line of a run's logs as `JOB<TAB>STEP<TAB>TIMESTAMP LINE`; the part
after the second tab is the job log's own line, as GitHub stores it. Split back into
one log per job, each is classified exactly as the action classifies that job's log.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

# A job log line starts with its timestamp (the first line of a step file with a BOM).
_LINE = re.compile(
    rb"[^\t\n]*\t[^\t\n]*\t(?:\xef\xbb\xbf)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"
)
# What `gh` prints when the archive has no per-step files to name the step by.
UNKNOWN_STEP = "UNKNOWN STEP"
SNIFF_LINES = 5


def looks_like_gh_output(head: bytes) -> bool:
    """Whether a log's first bytes are `gh run view --log` lines (the first few
    non-empty lines all have the shape; a line cut by the end of `head` is ignored)."""
    lines = [line for line in head.split(b"\n")[:-1] if line.strip()][:SNIFF_LINES]
    return bool(lines) and all(_LINE.match(line) for line in lines)


@dataclass
class JobLog:
    """One job's lines, written to a file of its own."""

    name: str
    path: Path
    steps: list[str] = field(default_factory=list)

    @property
    def failed_step(self) -> str | None:
        """With `--log-failed`, `gh` prints only the failed step: the one step seen.
        With `--log` the log itself tells (its last `##[group]Run` before the error)."""
        named = [s for s in self.steps if s and s != UNKNOWN_STEP]
        return named[0] if len(self.steps) == 1 and named else None


def split_by_job(lines: Iterable[bytes], folder: Path) -> list[JobLog]:
    """Write each job's lines (the part after the second tab) to a file in `folder`,
    in the order the jobs first appear. A line without two tabs stays with the job
    before it (a log line `gh` did not prefix); before any job, it is dropped."""
    jobs: dict[bytes, JobLog] = {}
    files: dict[bytes, BinaryIO] = {}
    current: bytes | None = None
    try:
        for line in lines:
            parts = line.split(b"\t", 2)
            if len(parts) == 3 and _LINE.match(line):
                current, step, text = parts
                if current not in jobs:
                    handle, name = tempfile.mkstemp(prefix="gh-job-", suffix=".log", dir=folder)
                    files[current] = os.fdopen(handle, "wb")
                    jobs[current] = JobLog(_name(current), Path(name))
                job = jobs[current]
                if (shown := _name(step)) not in job.steps:
                    job.steps.append(shown)
            elif current is not None:
                text = line
            else:
                continue
            files[current].write(text if text.endswith(b"\n") else text + b"\n")
    finally:
        for out in files.values():
            out.close()
    return list(jobs.values())


def _name(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip()
