"""What one command-line argument holds, as logs to classify.

An argument is a log file, `-` (standard input), a folder, a `.gz` or `.zst` log, or
a zip archive (GitHub's run log archive, see `archive`); the shape is told by the
content, not the name. Whatever it is, the text may be the output of `gh run view
--log`, which is split by job (see `ghlog`). Logs are streamed, never read whole:
memory stays bounded whatever their size. A run's URL is `remote`'s business.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from healer.cli import ghlog
from healer.cli.archive import (
    Entry,
    InputError,
    Joined,
    Limits,
    checked_zip,
    folder_entries,
    jobs,
)

HEAD_BYTES = 64 << 10
_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
STDIN = "-"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class Log:
    """One log to classify. A plain file on disk comes as `path` (a large one is
    scanned by two processes); anything else as an open `stream`, valid until the
    next log is asked for."""

    name: str
    path: Path | None = None
    stream: Readable | None = None
    size: int | None = None
    # The failing step, where the input names it (gh's --log-failed, an archive's folder).
    failed_step: str | None = None


def logs(argument: str, folder: Path, limits: Limits) -> Iterator[Log]:
    """The logs in one argument; `folder` is scratch space for the caller's run.
    Raises InputError for an argument that cannot be read at all."""
    path = Path(argument)
    try:
        if argument == STDIN:
            yield from _from_stream(STDIN, _stdin(), folder, limits)
            return
        if path.is_dir():
            yield from _entries(path, folder_entries(path, limits), folder, limits)
            return
        yield from _file(argument, path, folder, limits)
    except OSError as exc:
        raise InputError(f"{argument}: cannot read the log: {exc.strerror or exc}") from None


def _file(name: str, path: Path, folder: Path, limits: Limits) -> Iterator[Log]:
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
        if head.startswith(_ZIP):
            yield from _zip(Path(name), path, folder, limits)
        elif head.startswith((_GZIP, _ZSTD)):
            stream.seek(0)
            yield from _from_stream(name, stream, folder, limits)
        elif ghlog.looks_like_gh_output(head):
            stream.seek(0)
            yield from _gh_jobs(name, stream, folder)
        else:
            yield Log(name, path=path, size=os.fstat(stream.fileno()).st_size)


def _stdin() -> Readable:
    import sys

    return sys.stdin.buffer


def _from_stream(name: str, raw: Readable, folder: Path, limits: Limits) -> Iterator[Log]:
    """A stream of unknown shape: decompressed if it is, split if gh printed it."""
    head = _read_head(raw)
    if head.startswith(_ZIP):
        # A zip is read from its end: keep it on disk first (a file of its own, as a
        # zip inside a piped zip is spooled while the outer one is open).
        handle, name_on_disk = tempfile.mkstemp(prefix="spooled-", suffix=".zip", dir=folder)
        spooled = Path(name_on_disk)
        with os.fdopen(handle, "wb") as out:
            out.write(head)
            while data := raw.read(1 << 20):
                out.write(data)
        yield from _zip(Path(name), spooled, folder, limits)
        return
    stream: Readable = _Prefixed(head, raw)
    if head.startswith((_GZIP, _ZSTD)):
        # Corrupt data surfaces as an InputError from _Bounded's reads.
        opened = (
            gzip.GzipFile(fileobj=cast(BinaryIO, stream))
            if head.startswith(_GZIP)
            else _zstd_reader(name, stream)
        )
        stream = _Bounded(opened, name, limits)
        head = _read_head(stream)
        stream = _Prefixed(head, stream)
    if ghlog.looks_like_gh_output(head):
        yield from _gh_jobs(name, stream, folder)
    else:
        yield Log(name, stream=stream)


def _read_head(stream: Readable) -> bytes:
    head = b""
    while len(head) < HEAD_BYTES:
        data = stream.read(HEAD_BYTES - len(head))
        if not data:
            break
        head += data
    return head


def _zstd_reader(name: str, stream: Readable) -> Readable:
    try:
        import zstandard
    except ImportError:
        raise InputError(
            f"{name}: the log is zstd-compressed; install the zstd extra "
            "(pip install 'self-healing[zstd]') or decompress it first (zstd -d)"
        ) from None
    reader = zstandard.ZstdDecompressor()
    return reader.stream_reader(cast(BinaryIO, stream), read_across_frames=True)


def _zip(name: Path, path: Path, folder: Path, limits: Limits) -> Iterator[Log]:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = checked_zip(name, archive, limits)
            yield from _entries(name, entries, folder, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"{name}: not a readable zip archive ({exc}); download it again") from None


def _entries(name: Path, entries: list[Entry], folder: Path, limits: Limits) -> Iterator[Log]:
    for job in jobs(entries):
        if len(job.parts) == 1 and job.parts[0].path is not None:
            for log in _file(f"{name}:{job.name}", job.parts[0].path, folder, limits):
                log.failed_step = log.failed_step or job.failed_step
                yield log
            continue
        joined = Joined(job.parts)
        try:
            stream = _Bounded(joined, f"{name}:{job.name}", limits)
            for log in _from_stream(f"{name}:{job.name}", stream, folder, limits):
                log.failed_step = log.failed_step or job.failed_step
                log.size = sum(part.size for part in job.parts)
                yield log
        finally:
            joined.close()


def _gh_jobs(name: str, stream: Readable, folder: Path) -> Iterator[Log]:
    """`gh run view --log` output: one log per job, named `JOB` (from a pipe) or
    `FILE:JOB`."""
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        split = ghlog.split_by_job(_lines(stream), Path(scratch))
        for job in split:
            shown = job.name if name == STDIN else f"{name}:{job.name}"
            yield Log(shown, path=job.path, failed_step=job.failed_step)


def _lines(stream: Readable, block: int = 1 << 20) -> Iterator[bytes]:
    carry = b""
    while data := stream.read(block):
        lines = (carry + data).split(b"\n")
        carry = lines.pop()
        yield from (line + b"\n" for line in lines)
    if carry:
        yield carry


class _Prefixed:
    """Bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)


class _Bounded:
    """A decompressing stream that stops with an InputError past the limit."""

    def __init__(self, stream: Readable, name: str, limits: Limits) -> None:
        self._stream = stream
        self._name = name
        self._limit = limits.max_unpacked
        self._total = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(size)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise InputError(f"{self._name}: the compressed data is corrupt ({exc})") from None
        self._total += len(data)
        if self._total > self._limit:
            raise InputError(
                f"{self._name}: expands to more than {self._limit >> 20} MiB (a zip bomb?); "
                "if you trust it, raise the limit with --max-unpacked-mib"
            )
        return data
