"""A stable identity for "the same failure", from the deciding error's signature.

Variable parts of a message (numbers, hex ids, UUIDs, durations, timestamps,
temporary and workspace paths, addresses) are masked before hashing, in the
spirit of Chromium's LUCI Analysis failure association, so two runs of the same
broken test agree while two different failures do not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^##\[(?:error|warning)\]"), ""),
    (
        re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
        "<uuid>",
    ),
    (
        re.compile(
            r"\b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
        ),
        "<time>",
    ),
    (re.compile(r"\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"), "<time>"),
    (
        re.compile(
            r"(?:/tmp|/var/folders|/private/var/folders|/var/tmp|/home/runner/work/_temp)"
            r"/[^\s:'\"),\]]*"
            r"|[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\[^\s:'\"]*"
        ),
        "<tmp>",
    ),
    (
        re.compile(
            r"/home/runner/work/[^/\s]+/[^/\s]+/|/Users/runner/work/[^/\s]+/[^/\s]+/"
            r"|[A-Za-z]:\\a\\[^\\\s]+\\[^\\\s]+\\|/home/travis/build/[^/\s]+/[^/\s]+/"
            r"|/__w/[^/\s]+/[^/\s]+/|/github/workspace/"
        ),
        "<ws>/",
    ),
    (re.compile(r"\b0x[0-9a-f]+\b", re.I), "<hex>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b", re.I), "<hex>"),
    (
        re.compile(
            r"\b\d+(?:\.\d+)?\s?(?:ms|msec|µs|us|ns|s|sec|secs|seconds?|m|min|minutes?|h)\b"
        ),
        "<dur>",
    ),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
    (re.compile(r"\s+"), " "),
)
_NUMBERS = len(_MASKS) - 2  # the mask of plain numbers

FINGERPRINT_LENGTH = 16
SIGNATURE_LINES = 20


def normalise(line: str, numbers: bool = True) -> str:
    """The signature form of one clean log line; `numbers=False` keeps plain numbers
    (counts such as `1 failed` mean something when lines are compared, not hashed)."""
    for index, (pattern, replacement) in enumerate(_MASKS):
        if numbers or index != _NUMBERS:
            line = pattern.sub(replacement, line)
    return line.strip()


def fingerprint(rule_id: str, lines: Iterable[str]) -> str:
    """Hash of the deciding rule and the masked, de-duplicated, sorted error lines."""
    signature = sorted({normalise(line) for line in lines})[:SIGNATURE_LINES]
    digest = hashlib.sha256("\n".join([rule_id, *signature]).encode("utf-8"))
    return digest.hexdigest()[:FINGERPRINT_LENGTH]
