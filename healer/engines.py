"""Fast line pre-selection: which lines of a block may match which rules.

An engine never decides anything: it returns candidate lines, a superset of the
lines the rules match, and `re` confirms each candidate on its cleaned text. So
every engine gives the same verdicts; they differ only in speed.

- hyperscan (x86-64 Linux wheels): one database of all patterns, ~1.3 GiB/s.
- RE2 (google-re2): one alternation over the block, ~600 MiB/s.
- Python `re`: the same alternation, slow, always available.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from healer.logtext import LINE_PREFIX_SOURCE


@dataclass(frozen=True)
class Pattern:
    """One regex to pre-select lines with; `tag` says which rule (or marker) it serves."""

    source: str
    tag: int
    ignore_case: bool = False


class Engine(Protocol):
    name: str

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        """Map the offset of each candidate line's start to the tags that fired there.

        `None` means "some pattern fired, check every rule".
        """
        ...


def prefilter_source(pattern: str) -> str:
    """Rewrite a rule pattern so that it selects raw lines.

    `^` may be followed by the runner's timestamp, `$` may follow trailing blanks,
    and a negated class never crosses a line break.
    """
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            out.append(ch)
        elif ch == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^\\n")
                i += 2
                continue
            out.append("[")
        elif ch == "^":
            out.append("(?:^" + LINE_PREFIX_SOURCE + ")")
        elif ch == "$":
            out.append("(?:[ \\t]*$)")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _line_start(block: bytes, offset: int) -> int:
    return block.rfind(b"\n", 0, offset) + 1


class HyperscanEngine:
    name = "hyperscan"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        import hyperscan

        self._hs = hyperscan
        expressions = [f"(?:{prefilter_source(p.source)})[^\\n]*$".encode() for p in patterns]
        flags = [
            hyperscan.HS_FLAG_MULTILINE | (hyperscan.HS_FLAG_CASELESS if p.ignore_case else 0)
            for p in patterns
        ]
        self._db = hyperscan.Database()
        # Hyperscan ids are unsigned: use positions, and map them back to tags.
        self._tags = [p.tag for p in patterns]
        self._db.compile(expressions=expressions, ids=list(range(len(patterns))), flags=flags)
        self._scratch = hyperscan.Scratch(self._db)

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        ends: list[tuple[int, int]] = []

        tags = self._tags

        def on_match(position: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
            ends.append((end, tags[position]))

        self._db.scan(block, match_event_handler=on_match, scratch=self._scratch)
        found: dict[int, set[int] | None] = {}
        for end, tag in ends:
            start = _line_start(block, end)
            fired = found.get(start)
            if fired is None:
                found[start] = {tag}
            else:
                fired.add(tag)
        return found


def _alternation(patterns: Sequence[Pattern]) -> str:
    parts = []
    for p in patterns:
        src = prefilter_source(p.source)
        parts.append(f"(?i:{src})" if p.ignore_case else f"(?:{src})")
    return "(?m)(?:" + "|".join(parts) + ")[^\\n]*"


class RE2Engine:
    name = "re2"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        import re2

        options = re2.Options()
        options.max_mem = 256 << 20
        options.encoding = re2.Options.Encoding.LATIN1
        self._regex = re2.compile(_alternation(patterns).encode("latin-1"), options)

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        return {_line_start(block, m.start()): None for m in self._regex.finditer(block)}


class PythonEngine:
    name = "re"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self._regex = re.compile(_alternation(patterns).encode("latin-1"), re.ASCII)

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        return {_line_start(block, m.start()): None for m in self._regex.finditer(block)}


ENGINES: dict[str, type[HyperscanEngine] | type[RE2Engine] | type[PythonEngine]] = {
    "hyperscan": HyperscanEngine,
    "re2": RE2Engine,
    "re": PythonEngine,
}


def available_engines() -> list[str]:
    names = []
    for name, module in (("hyperscan", "hyperscan"), ("re2", "re2")):
        try:
            __import__(module)
        except ImportError:
            continue
        names.append(name)
    names.append("re")
    return names


def make_engine(patterns: Sequence[Pattern], name: str | None = None) -> Engine:
    """The fastest engine that loads here, or the one named (or `HEALER_ENGINE`)."""
    wanted = name or os.environ.get("HEALER_ENGINE") or ""
    order = [wanted] if wanted else ["hyperscan", "re2", "re"]
    last_error: Exception | None = None
    for candidate in order:
        factory = ENGINES.get(candidate)
        if factory is None:
            raise ValueError(f"unknown engine {candidate!r}; choose one of {', '.join(ENGINES)}")
        try:
            return factory(patterns)
        except ImportError as exc:
            last_error = exc
            continue
    raise RuntimeError(f"engine {wanted!r} is not available here: {last_error}")
