"""The last green run of the same job as a baseline: what it printed too is noise.

A line that also appears, once its varying parts are masked (`fingerprint.normalise`:
ids, times, durations, temporary and workspace paths; not plain numbers, since
`1 tests failed` must not pass for `0 tests failed`), in the log of a passing run of
the same job says nothing about why this run failed: a deprecation warning, a
retried download, a test that logs 'Error' on purpose. Such lines are never
evidence and never the centre of the excerpt; when no rule decides, the excerpt is
the novel lines nearest the failure. This is how CI systems that know the last
green run generalise to tools no rule knows.

Memory stays bounded: the baseline keeps an 8-byte hash of at most
`MAX_LINES` distinct masked lines.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import BinaryIO

from healer.classifier.fingerprint import normalise
from healer.classifier.logtext import clean_line, message_text, prepare_block, split_lines

MAX_LINES = 1_000_000
BLOCK_BYTES = 1 << 20


@functools.lru_cache(maxsize=4096)  # logs repeat lines, often close together
def _key(text: str) -> int:
    masked = normalise(message_text(text), numbers=False)
    return int.from_bytes(hashlib.blake2b(masked.encode("utf-8"), digest_size=8).digest(), "big")


class Baseline:
    """The masked lines of a passing run's log."""

    def __init__(self, keys: frozenset[int] = frozenset()) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def seen(self, text: str) -> bool:
        """Whether the green log printed this clean line too (its varying parts aside)."""
        return bool(self._keys) and _key(text) in self._keys

    @classmethod
    def from_stream(cls, stream: BinaryIO) -> Baseline:
        keys: set[int] = set()
        carry = b""
        while len(keys) < MAX_LINES:
            chunk = stream.read(BLOCK_BYTES)
            data = carry + chunk
            if not data:
                break
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if cut == 0 and len(data) > BLOCK_BYTES:
                cut = len(data)  # a line longer than a block: take it as it is
            block, carry = data[:cut], data[cut:]
            text, _ = prepare_block(block)
            for raw in split_lines(text):
                line = clean_line(raw)
                if line.strip():
                    keys.add(_key(line))
            if not chunk:
                break
        return cls(frozenset(keys))

    @classmethod
    def from_path(cls, path: Path) -> Baseline:
        with path.open("rb") as stream:
            return cls.from_stream(stream)
