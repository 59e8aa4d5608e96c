"""A small on-disk cache for work that costs more than reading its result.

Compiling the rule pack for hyperscan takes seconds, and validating it a few
hundred milliseconds; both depend only on the rules' text. Entries are keyed by
a hash of their inputs, written atomically, and any failure to read or write
one only costs the work again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """`HEALER_CACHE_DIR`, else `$XDG_CACHE_HOME/self-healing`, else `~/.cache/self-healing`."""
    configured = os.environ.get("HEALER_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "self-healing"


def cache_key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def read_cached(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write_cached(name: str, data: bytes) -> None:
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        pass  # a read-only home only costs the work next time
