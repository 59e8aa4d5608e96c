"""Scan a large log file in two processes, one per half, and merge the results.

Within one process, Python glue around the engine keeps the second core only
partly busy; a forked child scanning the second half of the file uses it fully.
The file is split just after a line break, the child's line numbers are shifted
by the number of lines in the first half, and the kept hits and markers are
merged with the same "first few, last few" rule the streaming scan applies, so
the result is that of one scan of the whole file (only a hit just after the split
keeps less raw context, as after any block boundary).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

from healer.classifier.command import Command
from healer.classifier.scan import (
    COMMANDS_KEPT,
    FIRST_HITS_KEPT,
    LAST_HITS_KEPT,
    MARKERS_KEPT,
    MAX_LINE_BYTES,
    STEPS_KEPT,
    FirstLast,
    Hit,
    Scanner,
    ScanResult,
    Step,
)

# Below this a second process costs more than it saves.
PARALLEL_MIN_BYTES = 64 << 20


Progress = Callable[[int], None]


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def scan_file(scanner: Scanner, path: Path, progress: Progress | None = None) -> ScanResult:
    """Scan a log file; files of PARALLEL_MIN_BYTES or more in two processes.
    `progress`, if given, is told how many bytes are scanned so far (in two
    processes, this one's share times two: both halves go at about the same pace)."""
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        split = _split_point(stream, size) if size >= PARALLEL_MIN_BYTES else None
        if split is None or not hasattr(os, "fork"):
            stream.seek(0)
            return scanner.scan(Counting(stream, progress, 1.0) if progress else stream)  # type: ignore[arg-type]
        return _scan_in_two(scanner, path, stream, split, size, progress)


class Counting:
    """A stream that reports how far it has been read (times `scale`)."""

    def __init__(self, stream: _Readable, progress: Progress, scale: float = 1.0) -> None:
        self._stream = stream
        self._progress = progress
        self._scale = scale
        self._done = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._done += len(data)
        self._progress(int(self._done * self._scale))
        return data


def _split_point(stream: IO[bytes], size: int) -> int | None:
    """Offset just past the first line break after the middle, or None."""
    stream.seek(size // 2)
    window = stream.read(MAX_LINE_BYTES)
    newline = window.find(b"\n")
    return None if newline == -1 else size // 2 + newline + 1


class _Range:
    """A read-only view of bytes [start, end) of a file, as a stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start

    def read(self, size: int = -1) -> bytes:
        size = self._left if size < 0 else min(size, self._left)
        data = self._file.read(size)
        self._left -= len(data)
        return data


def _scan_in_two(
    scanner: Scanner,
    path: Path,
    stream: IO[bytes],
    split: int,
    size: int,
    progress: Progress | None = None,
) -> ScanResult:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: scan the second half, send the result, leave at once
        code = 0
        try:
            os.close(read_end)
            result = scanner.scan(_Range(path, split, size), threads=False)  # type: ignore[arg-type]
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        stream.seek(0)
        first_half = _Range(path, 0, split)
        own = first_half if progress is None else Counting(first_half, progress, size / split)
        first = scanner.scan(own, threads=False)  # type: ignore[arg-type]
        with os.fdopen(read_end, "rb") as incoming:
            # Read as it is unpickled: the child's hits are not held twice.
            second = _receive(incoming)
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or second is None:
        # The child failed (out of memory, killed): scan the second half here.
        second = scanner.scan(_Range(path, split, size))  # type: ignore[arg-type]
    return merge(first, second)


def _receive(incoming: IO[bytes]) -> ScanResult | None:
    """The child's result, or None when it sent nothing whole."""
    try:
        result = pickle.load(incoming)
    except (EOFError, pickle.UnpicklingError):
        return None
    return result if isinstance(result, ScanResult) else None


def merge(first: ScanResult, second: ScanResult) -> ScanResult:
    """One result for two consecutive parts of a log; `first` ends on a line break."""
    offset = first.lines
    shifted = [
        dataclasses.replace(
            h, line=h.line + offset, context_first_line=h.context_first_line + offset
        )
        for h in second.hits
    ]
    # Feeding both parts' kept items, in order, to the scan's own keeper keeps what
    # one scan would have: a part keeps all its items when it has few.
    hits: list[Hit] = []
    for rule in sorted({h.rule for h in [*first.hits, *shifted]}):
        same_rule = (h for h in [*first.hits, *shifted] if h.rule == rule)
        hits.extend(FirstLast[Hit](FIRST_HITS_KEPT, LAST_HITS_KEPT).extend(same_rule).items())
    counts = dict(first.hit_counts)
    for rule, count in second.hit_counts.items():
        counts[rule] = counts.get(rule, 0) + count
    return ScanResult(
        lines=first.lines + second.lines,
        hits=sorted(hits, key=lambda h: (h.line, h.rule)),
        hit_counts=counts,
        steps=FirstLast[Step](STEPS_KEPT, STEPS_KEPT)
        .extend(
            [*first.steps, *(dataclasses.replace(s, line=s.line + offset) for s in second.steps)]
        )
        .items(),
        errors=_merge_markers(first.errors, second.errors, offset),
        exits=_merge_markers(first.exits, second.exits, offset),
        commands=FirstLast[Command](COMMANDS_KEPT, COMMANDS_KEPT)
        .extend(
            [
                *first.commands,
                *(dataclasses.replace(c, line=c.line + offset) for c in second.commands),
            ]
        )
        .items(),
        engine=first.engine,
    )


def _merge_markers(first: list[Hit], second: list[Hit], offset: int) -> list[Hit]:
    shifted = (
        dataclasses.replace(
            h, line=h.line + offset, context_first_line=h.context_first_line + offset
        )
        for h in second
    )
    return FirstLast[Hit](MARKERS_KEPT, MARKERS_KEPT).extend([*first, *shifted]).items()
