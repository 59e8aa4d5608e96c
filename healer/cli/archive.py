"""Zip archives of logs, GitHub's run log archive in particular, read within limits.

GitHub's "Download log archive" (`GET /repos/{owner}/{repo}/actions/runs/{id}/logs`)
holds one `N_JOB.txt` per job at the top, the job's whole log, and may hold a folder
per job with one `N_STEP.txt` per step. Each job is one log: the top-level file, else
its step files joined in step order. Any other zip is a set of logs, one per file.

Nothing is extracted to disk: members are streamed to the classifier. An archive is
refused, with a message that says why, when it holds more entries or expands to more
bytes than the limits allow (a zip bomb), or names an entry that would escape its
folder when extracted.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

MAX_ENTRIES = 10_000
MAX_UNPACKED_MIB = 2048
_JOB_FILE = re.compile(r"(\d+)_(.+)\.txt")


class InputError(Exception):
    """An input that cannot be classified; the message names it and says what to do."""


@dataclass(frozen=True)
class Limits:
    """How far an archive or a compressed log may expand."""

    max_unpacked: int = MAX_UNPACKED_MIB << 20
    max_entries: int = MAX_ENTRIES


@dataclass(frozen=True)
class Entry:
    """A file in an archive or a folder: its name (with `/`), its size once
    unpacked, and how to open it."""

    name: str
    size: int
    open: Callable[[], BinaryIO]
    # A file of a folder (not a zip member): read as a file, like any path given.
    path: Path | None = None


@dataclass(frozen=True)
class Job:
    """One log to classify: a job of GitHub's archive, or one file."""

    name: str
    parts: tuple[Entry, ...]
    # The step the job's folder names when it holds just one (gh's --log-failed).
    failed_step: str | None = None


def checked_zip(path: Path, archive: zipfile.ZipFile, limits: Limits) -> list[Entry]:
    """The archive's files, once the whole archive is found safe to read."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise InputError(
            f"{path}: the archive holds {len(infos)} entries, more than {limits.max_entries}; "
            "unpack it yourself and pass the folder, if you trust it"
        )
    for info in infos:
        if _escapes(info.filename):
            raise InputError(
                f"{path}: the archive's entry {info.filename!r} would be written outside "
                "its folder; refusing the archive (it was not made by GitHub)"
            )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        raise InputError(
            f"{path}: the archive expands to {unpacked >> 20} MiB, more than the limit of "
            f"{limits.max_unpacked >> 20} MiB (a zip bomb?); if you trust it, raise the limit "
            "with --max-unpacked-mib"
        )
    return [
        Entry(info.filename, info.file_size, _opener(archive, info))
        for info in infos
        if not info.is_dir()
    ]


def _opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    return lambda: archive.open(info)  # type: ignore[return-value]


def _escapes(name: str) -> bool:
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or ".." in posix.parts or bool(re.match(r"[A-Za-z]:", name))


def folder_entries(folder: Path, limits: Limits) -> list[Entry]:
    """Every file under `folder` (hidden ones left out), in name order."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        found.append(Entry(relative.as_posix(), path.stat().st_size, _file_opener(path), path))
        if len(found) > limits.max_entries:
            raise InputError(
                f"{folder}: more than {limits.max_entries} files; pass the logs themselves"
            )
    return found


def _file_opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: path.open("rb")


def jobs(entries: list[Entry]) -> list[Job]:
    """The logs in a set of entries: GitHub's jobs when the entries are laid out as
    its run log archive is, else one log per file."""
    top = [(e, m) for e in entries if "/" not in e.name and (m := _JOB_FILE.fullmatch(e.name))]
    steps: dict[str, list[tuple[int, str, Entry]]] = {}
    for entry in entries:
        folder, _, file = entry.name.partition("/")
        if "/" not in file and (m := _JOB_FILE.fullmatch(file)):
            steps.setdefault(folder, []).append((int(m.group(1)), m.group(2), entry))
    if not top and not steps:
        return [Job(e.name, (e,)) for e in entries]
    found = []
    for entry, match in top:
        name = match.group(2)
        step_files = steps.pop(name, [])
        step = step_files[0][1] if len(step_files) == 1 else None
        found.append(Job(name, (entry,), step))
    for name, step_files in steps.items():  # jobs with step files only
        ordered = sorted(step_files, key=lambda s: s[0])
        step = ordered[0][1] if len(ordered) == 1 else None
        found.append(Job(name, tuple(e for _, _, e in ordered), step))
    return found


class Joined:
    """The parts of a job, read one after the other as one stream; each opened only
    when the one before is used up."""

    def __init__(self, parts: tuple[Entry, ...]) -> None:
        self._parts: Iterator[Entry] = iter(parts)
        self._current: BinaryIO | None = None
        self._ends_line = True

    def read(self, size: int = -1) -> bytes:
        while True:
            if self._current is None:
                part = next(self._parts, None)
                if part is None:
                    return b""
                self._current = part.open()
            data = self._current.read(size)
            if data:
                self._ends_line = data.endswith(b"\n")
                return data
            self._current.close()
            self._current = None
            if not self._ends_line:  # a step file without a final line break
                self._ends_line = True
                return b"\n"

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
