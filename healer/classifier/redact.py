"""Secrets out of log text before it leaves the action (issues, summaries, the log).

Well-known credential shapes are replaced by `[REDACTED]`, and so is every value
the action was given as a secret input. A private-key block is dropped whole,
from its BEGIN line to its END line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MARK = "[REDACTED]"

_PATTERNS = [
    re.compile(p)
    for p in (
        r"\bgh[pousr]_[A-Za-z0-9]{20,}",  # GitHub tokens
        r"\bgithub_pat_[A-Za-z0-9_]{20,}",  # GitHub fine-grained tokens
        r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key ids
        r"\bxox[abposr]-[A-Za-z0-9-]{10,}",  # Slack tokens
        r"https://hooks\.slack\.com/services/[A-Za-z0-9/_-]+",  # Slack webhooks
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",  # JWTs
    )
]
# `password=…`, `token: …`, `aws_secret_access_key = …`: keep the name, drop the value.
_ASSIGNED = re.compile(
    r"(?i)\b((?:[a-z0-9_]*_)?(?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?key)"
    r"(?:_[a-z0-9_]*)?)\b(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s\"',;]+)"
)
_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_KEY_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")


def redact_line(line: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if len(secret) >= 4:
            line = line.replace(secret, MARK)
    for pattern in _PATTERNS:
        line = pattern.sub(MARK, line)
    return _ASSIGNED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MARK}", line)


def redact_lines(lines: Iterable[str], secrets: Iterable[str] = ()) -> list[str]:
    known = sorted({s for s in secrets if s}, key=len, reverse=True)
    out: list[str] = []
    in_key = False
    for line in lines:
        if in_key or _KEY_BEGIN.search(line):
            in_key = not _KEY_END.search(line)
            if not out or out[-1] != f"{MARK} (private key)":
                out.append(f"{MARK} (private key)")
            continue
        out.append(redact_line(line, known))
    return out
