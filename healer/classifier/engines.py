"""Fast line pre-selection: which lines of a block may match which rules.

An engine never decides anything: it returns candidate lines, a superset of the
lines the rules match, and `re` confirms each candidate on its cleaned text. So
every engine gives the same verdicts; they differ only in speed.

Each pattern is rewritten into a superset that is safe to run over a whole block
(`prefilter_source`) and reported once per line (`[^\n]*$`).

- hyperscan (x86-64 Linux wheels): one database of all patterns, cached on disk
  because compiling hundreds of patterns takes seconds; it releases the GIL, so
  the scanner runs two blocks at once.
- RE2 (google-re2): one alternation over the block.
- Python `re`: the same alternation; slow, always available.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from healer.classifier.cache import cache_key, read_cached, write_cached


@dataclass(frozen=True)
class Pattern:
    """One regex to pre-select lines with; `tag` says which rule (or marker) it serves.

    A rule's pattern is rewritten for raw lines (`prefilter_source`); a marker may
    instead be written for raw lines already (`raw=True`), anchors included: `^`
    is the start of a line of the block, before any runner timestamp."""

    source: str
    tag: int
    ignore_case: bool = False
    raw: bool = False

    def selector(self) -> str:
        """The regex an engine runs over whole blocks."""
        return self.source if self.raw else prefilter_source(self.source)


class Engine(Protocol):
    name: str

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        """Map the offset of each candidate line's start to the tags that fired there.

        `None` means "some pattern fired, check every rule".
        """
        ...


# Escapes that would match a line break, narrowed so that no match spans lines.
_OUTSIDE_CLASS = {"\\s": "[ \\t\\f\\v\\r]", "\\W": "[^\\w\\n]", "\\D": "[^\\d\\n]"}
_IN_CLASS = {"\\s": " \\t\\f\\v\\r"}


def prefilter_source(pattern: str) -> str:
    r"""Rewrite a rule pattern so that it selects raw lines, as a superset.

    Anchors are dropped: in a raw line the text may sit behind the runner's
    timestamp or an annotation prefix, and hyperscan refuses embedded end
    anchors; `re` checks them on the cleaned line. Nothing may match across a
    line break: `\s`, `\W`, `\D` and negated classes are narrowed.
    """
    out: list[str] = []
    i = 0
    in_class = False
    class_body_start = 0  # index in `pattern` where the current class's members begin
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            atom = pattern[i : i + 2]
            i += 2
            out.append((_IN_CLASS if in_class else _OUTSIDE_CLASS).get(atom, atom))
            continue
        if in_class:
            # A `]` right after `[` or `[^` is a member, not the end of the class;
            # escaped, since `[^` is rewritten to `[^\\n`.
            if ch == "]" and i == class_body_start:
                out.append("\\]")
            else:
                in_class = in_class and ch != "]"
                out.append(ch)
        elif ch == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^\\n")
                i += 2
                class_body_start = i
                continue
            out.append("[")
            class_body_start = i + 1
        elif ch in "^$":
            pass
        else:
            out.append(ch)
        i += 1
    return _drop_weak_lead("".join(out))


_CLASS_ATOM = re.compile(r"(?:\\[sSdDwW]|\[(?:\\.|[^\]\\])+\]|\.)(?:[*+?]|\{\d*,?\d*\})?\??")


def _drop_weak_lead(source: str) -> str:
    """Drop leading atoms that only match character classes or may match nothing.

    A concatenation without its first atoms matches wherever it matched before, so
    this keeps the superset; and a pattern that starts with a literal lets hyperscan
    skip ahead to it instead of tracking every `\\S+` or `[ \\t]*` it sees (the
    pack scans about 1.5 times faster for it).
    """
    atoms = _top_level_atoms(source)
    if atoms is None:
        return source
    first = 0
    while first < len(atoms) - 1 and _is_weak(atoms[first]):
        first += 1
    return "".join(atoms[first:])


def _is_weak(atom: str) -> bool:
    if atom == "\\b" or _CLASS_ATOM.fullmatch(atom):
        return True
    # An optional group: `(?:...)?` or `(?:...)*`.
    return atom.startswith("(") and atom.endswith(("?", "*")) and not atom.endswith("\\?")


def _top_level_atoms(source: str) -> list[str] | None:
    """Split a regex into its top-level atoms, each with its quantifier; None when
    it has a top-level alternation (no single concatenation to shorten)."""
    atoms: list[str] = []
    i, n = 0, len(source)
    while i < n:
        start = i
        ch = source[i]
        if ch == "|":
            return None
        if ch == "\\":
            i += 2
        elif ch == "[":
            i = _class_end(source, i)
        elif ch == "(":
            depth = 0
            while i < n:
                if source[i] == "\\":
                    i += 2
                    continue
                if source[i] == "[":
                    i = _class_end(source, i)
                    continue
                depth += {"(": 1, ")": -1}.get(source[i], 0)
                i += 1
                if depth == 0:
                    break
        else:
            i += 1
        if i < n and source[i] in "*+?":
            i += 1
        elif i < n and source[i] == "{" and (close := source.find("}", i)) != -1:
            i = close + 1
        if i < n and source[i] in "?+" and i > start + 1:
            i += 1  # lazy or possessive
        atoms.append(source[start:i])
    return atoms


def _class_end(source: str, i: int) -> int:
    """Index just past the character class that starts at `i`."""
    i += 1
    if i < len(source) and source[i] == "^":
        i += 1
    if i < len(source) and source[i] == "]":
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _line_start(block: bytes, offset: int) -> int:
    return block.rfind(b"\n", 0, offset) + 1


class HyperscanEngine:
    name = "hyperscan"
    releases_gil = True

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        import hyperscan

        self._hyperscan = hyperscan
        # Hyperscan ids are unsigned: use positions, and map them back to tags.
        self._tags = [p.tag for p in patterns]
        self._db = self._load_or_compile(patterns)
        self._local = threading.local()  # one scratch space per scanning thread

    def _load_or_compile(self, patterns: Sequence[Pattern]) -> Any:
        """Compiling hundreds of patterns takes seconds, and even rewriting them
        tens of milliseconds; a cached database loads in a few."""
        hyperscan = self._hyperscan
        key = cache_key(
            hyperscan.__version__,
            _REWRITE_VERSION,
            [(p.source, p.ignore_case, p.raw) for p in patterns],
        )
        name = f"hyperscan-{key}.db"
        cached = read_cached(name)
        if cached is not None:
            try:
                db = hyperscan.loadb(cached, hyperscan.HS_MODE_BLOCK)
                # A database compiled on another CPU (the image's build machine) may use
                # instructions this one lacks: hyperscan refuses it on loading; making
                # scratch space and scanning one byte proves it usable before a log.
                db.scan(b"\n", match_event_handler=None, scratch=hyperscan.Scratch(db))
                return db
            except Exception:  # another CPU, another build of hyperscan, or damaged
                pass
        expressions = [f"(?:{p.selector()})[^\\n]*$".encode() for p in patterns]
        # PREFILTER lets hyperscan widen costly constructs; it still reports every
        # line the pattern matches, and `re` confirms each one anyway.
        base = hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_PREFILTER
        flags = [base | (hyperscan.HS_FLAG_CASELESS if p.ignore_case else 0) for p in patterns]
        db = hyperscan.Database()
        db.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
        write_cached(name, hyperscan.dumpb(db))
        return db

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hyperscan.Scratch(self._db)
        ends: list[tuple[int, int]] = []
        tags = self._tags

        def on_match(position: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
            ends.append((end, tags[position]))

        self._db.scan(block, match_event_handler=on_match, scratch=scratch)
        found: dict[int, set[int] | None] = {}
        for end, tag in ends:
            start = _line_start(block, end)
            line_tags = found.get(start)
            if line_tags is None:
                found[start] = {tag}
            else:
                line_tags.add(tag)
        return found


def _alternation(patterns: Sequence[Pattern]) -> str:
    parts = []
    for p in patterns:
        source = p.selector()
        parts.append(f"(?i:{source})" if p.ignore_case else f"(?:{source})")
    return "(?m)(?:" + "|".join(parts) + ")[^\\n]*"


class RE2Engine:
    """One RE2 alternation finds the candidate lines; an RE2 set then says which
    patterns fired on each, so only those rules are confirmed."""

    name = "re2"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        import re2

        options = re2.Options()
        options.max_mem = 64 << 20
        options.encoding = re2.Options.Encoding.LATIN1
        self._regex = re2.compile(_alternation(patterns).encode("utf-8"), options)
        self._set = re2.Set.SearchSet(options)
        for p in patterns:
            source = p.selector()
            self._set.Add((f"(?i:{source})" if p.ignore_case else source).encode("utf-8"))
        self._set.Compile()
        self._tags = [p.tag for p in patterns]

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        found: dict[int, set[int] | None] = {}
        for m in self._regex.finditer(block):
            # The line where the match ends: a pattern that begins with `\\s` may
            # start on the line break before the candidate line.
            start = _line_start(block, m.end())
            if start in found:
                continue
            end = block.find(b"\n", start)
            line = block[start : end if end != -1 else len(block)]
            found[start] = {self._tags[i] for i in self._set.Match(line)} or None
        return found


class PythonEngine:
    name = "re"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self._regex = re.compile(_alternation(patterns).encode("utf-8"), re.ASCII)

    def candidates(self, block: bytes) -> dict[int, set[int] | None]:
        # Take the line where the match ends: a pattern that begins with `\s` may
        # start on the line break before the candidate line.
        return {_line_start(block, m.end()): None for m in self._regex.finditer(block)}


# Part of the hyperscan cache key: a change to the rewrite in this file must not
# load a database compiled from the old one.
_REWRITE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

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
    """The fastest engine that loads here and accepts every pattern.

    `name` (or `HEALER_ENGINE`) asks for one engine and fails if it cannot serve.
    Otherwise a missing wheel, or a user's pattern one engine cannot compile,
    falls through to the next engine: slower, never wrong.
    """
    wanted = name or os.environ.get("HEALER_ENGINE") or ""
    if wanted and wanted not in ENGINES:
        raise ValueError(f"unknown engine {wanted!r}; choose one of {', '.join(ENGINES)}")
    order = [wanted] if wanted else list(ENGINES)
    problems = []
    for candidate in order:
        try:
            return ENGINES[candidate](patterns)
        except Exception as exc:  # ImportError, or the engine's own compile error
            problems.append(f"{candidate}: {exc}")
    raise RuntimeError("no pattern engine could be built: " + "; ".join(problems))
