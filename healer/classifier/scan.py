"""Stream a log once, in bounded memory, and collect what the verdict needs.

The log is read as bytes in blocks of 256 KiB, each cut at its last line break.
A block is prepared in one pass (universal newlines, colour codes removed, line
breaks counted: C helper, or Python) and handed to an engine that pre-selects
candidate lines; with hyperscan both steps run without the GIL on worker threads,
so two cores share the work. Only candidate lines are cleaned and decoded.
Memory stays bounded whatever the size of the log or of its lines: at most
`MAX_LINE_BYTES` of a line are carried to the next block, at most `IN_FLIGHT`
blocks are in the air, and a fixed number of hits is kept per rule.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import BinaryIO, Generic, TypeVar

from healer.classifier.command import (
    PROMPT,
    SECTION,
    STEP,
    TRACE,
    TRAVIS_EXIT,
    Command,
    command_in,
    step_script,
)
from healer.classifier.engines import Engine, Pattern, make_engine
from healer.classifier.logtext import (
    clean_line,
    message_text,
    prepare_block,
    split_lines,
)
from healer.classifier.rule import CompiledRule, Rule

BLOCK_BYTES = 256 << 10
MAX_LINE_BYTES = 256 << 10
# Raw bytes kept around each hit for its excerpt window (about 30 and 50 lines
# of typical CI output); they also bound a hit's memory whatever its lines' length.
CONTEXT_BEFORE = 3 * 1024
CONTEXT_AFTER = 4 * 1024
MARKER_BEFORE = 4 * 1024
FIRST_HITS_KEPT = 2
LAST_HITS_KEPT = 8
MARKERS_KEPT = 50
STEPS_KEPT = 500
COMMANDS_KEPT = 500
STEP_SCRIPT_BYTES = 4 * 1024
IN_FLIGHT = 6

# Package scripts and task runners end a failed command so (yarn, pnpm, npm, just,
# Gradle, BuildKit, podman): the end of a pasted excerpt, or of a tool inside a CI step.
_INNER_EXIT_SOURCES = (
    r"^(?:error|ERROR) Command failed with exit code \d+",
    r"\bELIFECYCLE\s+Command failed with exit code \d+",
    r"^npm (?:ERR!|error) code [1-9]\d*$",
    r"^error: Recipe `[^`]+` failed (?:on line \d+ )?with exit code \d+",
    r"^BUILD FAILED in \d",
    r"failed to solve: process \".*\" did not complete successfully: exit code: \d+",
    r"^Error: building at STEP \"[^\"]+\": while running runtime: exit status \d+",
)
# Structural markers, selected by the same engine as the rules (tags below 0).
TAG_GROUP, TAG_ERROR, TAG_EXIT, TAG_COMMAND = -1, -2, -3, -4
MARKER_PATTERNS = (
    Pattern(r"^##\[group\]", TAG_GROUP),
    # Shell prompts and traces at the start of a line (behind a runner timestamp):
    # written for raw lines, since `$ ` and `+ ` anywhere in a line are common.
    Pattern(r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z )?[$+] \S", TAG_COMMAND, raw=True),
    Pattern(r"^##\[section\]Starting: ", TAG_COMMAND),
    Pattern(r"^Post job cleanup\.", TAG_GROUP),
    Pattern(r"^##\[error\]", TAG_ERROR),
    Pattern(r"Process completed with exit code \d+", TAG_EXIT),
    Pattern(r"^The command \".*\" (?:exited with|failed and exited with) \d+", TAG_EXIT),
    Pattern(r"^Done\. Your build exited with \d+", TAG_EXIT),
    Pattern(r"^Finished: (?:FAILURE|ABORTED|UNSTABLE)", TAG_EXIT),
    Pattern(r"script returned exit code \d+", TAG_EXIT),
    # GitLab's runner, CircleCI and Buildkite end a failed job or step so.
    Pattern(r"^ERROR: Job failed: exit code \d+", TAG_EXIT),
    Pattern(r"^Exited with code exit status \d+", TAG_EXIT),
    Pattern(r"^🚨 Error: The command exited with status \d+", TAG_EXIT),
    *(Pattern(source, TAG_EXIT) for source in _INNER_EXIT_SOURCES),
)
# Of those, the exit lines of a tool inside a CI step (not of the step itself).
_INNER_EXIT = re.compile("|".join(f"(?:{source})" for source in _INNER_EXIT_SOURCES))
_ONLY_COMMAND = {TAG_COMMAND}
MAX_PROMPT_BYTES = 1024  # a command is kept to 500 characters anyway
T = TypeVar("T")
_EXIT_CODE = re.compile(r"(?:exit code|exited with|exit status|with status) (\d+)")


def is_inner_exit(text: str) -> bool:
    """An exit line of a package script or task runner, which a CI step may outlive."""
    return bool(_INNER_EXIT.search(text))


def exit_code(text: str) -> int | None:
    """The code an exit-marker line reports, or None when it names none."""
    match = _EXIT_CODE.search(text)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Hit:
    """A line a rule matched, with the raw lines around it for the excerpt."""

    rule: int
    line: int
    text: str
    context: bytes
    context_first_line: int

    def context_lines(self) -> list[tuple[int, str]]:
        return [
            (self.context_first_line + i, clean_line(raw))
            for i, raw in enumerate(split_lines(self.context))
        ]


@dataclass(frozen=True)
class Step:
    name: str
    line: int


@dataclass
class ScanResult:
    lines: int = 0
    hits: list[Hit] = field(default_factory=list)
    hit_counts: dict[int, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    errors: list[Hit] = field(default_factory=list)
    exits: list[Hit] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    engine: str = ""


class FirstLast(Generic[T]):
    """The first few and the last few items of a stream, in bounded memory."""

    def __init__(self, first: int, last: int) -> None:
        self.first: list[T] = []
        self.last: deque[T] = deque(maxlen=last)
        self._first_size = first

    def add(self, item: T) -> None:
        if len(self.first) < self._first_size:
            self.first.append(item)
        else:
            self.last.append(item)

    def extend(self, items: Iterable[T]) -> FirstLast[T]:
        for item in items:
            self.add(item)
        return self

    def items(self) -> list[T]:
        return [*self.first, *self.last]


@dataclass(frozen=True)
class _Prepared:
    text: bytes
    breaks: int
    found: dict[int, set[int] | None]


class Scanner:
    """Compiled once per rule set; `scan` may be called for many logs."""

    def __init__(self, rules: Sequence[Rule], engine: str | None = None) -> None:
        self.rules = list(rules)
        self.compiled: list[CompiledRule] = [r.compiled() for r in self.rules]
        patterns = [
            Pattern(source, index, rule.ignore_case)
            for index, rule in enumerate(self.rules)
            for source in rule.patterns
        ]
        self.engine: Engine = make_engine([*patterns, *MARKER_PATTERNS], engine)

    def scan(self, stream: BinaryIO, threads: bool = True) -> ScanResult:
        """`threads=False` keeps to one core (when another process takes the other)."""
        state = _ScanState(self, stream, threads)
        return state.run()


class _ScanState:
    def __init__(self, scanner: Scanner, stream: BinaryIO, threads: bool = True) -> None:
        self.scanner = scanner
        self.stream = stream
        self.threads = threads
        self.result = ScanResult(engine=scanner.engine.name)
        self.kept: dict[int, FirstLast[Hit]] = {}
        self.errors = FirstLast[Hit](MARKERS_KEPT, MARKERS_KEPT)
        self.exits = FirstLast[Hit](MARKERS_KEPT, MARKERS_KEPT)
        self.steps = FirstLast[Step](STEPS_KEPT, STEPS_KEPT)
        self.commands = FirstLast[Command](COMMANDS_KEPT, COMMANDS_KEPT)
        # Shell prompt and trace lines, raw: a log may print tens of thousands, and
        # only the few kept are worth cleaning.
        self.prompts = FirstLast[tuple[int, bytes]](COMMANDS_KEPT, COMMANDS_KEPT)

    def run(self) -> ScanResult:
        raw_blocks = self._raw_blocks()
        if self.threads and getattr(self.scanner.engine, "releases_gil", False):
            prepared = self._prepare_on_two_cores(raw_blocks)
        else:
            prepared = map(self._prepare, raw_blocks)
        line_no = 1
        unterminated = False
        for block in prepared:
            self._collect(block.text, line_no, block.found)
            line_no += block.breaks
            unterminated = bool(block.text) and not block.text.endswith(b"\n")
        self.result.lines = line_no - (0 if unterminated else 1)
        return self._finish()

    def _raw_blocks(self) -> Iterator[bytes]:
        """Raw blocks of about BLOCK_BYTES that end on a line break (or the end of the
        log, or a line longer than MAX_LINE_BYTES, which goes on in the next block)."""
        carry = b""
        while True:
            chunk = self.stream.read(BLOCK_BYTES)
            at_end = not chunk
            buf = carry + chunk if carry else chunk
            if not buf:
                return
            if not at_end and buf.endswith(b"\r"):
                # A CRLF may be split across reads; decide once the LF is seen.
                buf, carry = buf[:-1], b"\r"
            else:
                carry = b""
            cut = buf.rfind(b"\n")
            if at_end or cut == len(buf) - 1:
                block, rest = buf, b""
            elif cut == -1:
                if len(buf) < MAX_LINE_BYTES:
                    carry = buf + carry
                    continue
                block, rest = buf, b""
            else:
                block, rest = buf[: cut + 1], buf[cut + 1 :]
            carry = rest + carry
            yield block
            if at_end:
                return

    def _prepare(self, raw: bytes) -> _Prepared:
        """Universal newlines, no colour codes (line breaks are kept, so line numbers
        hold), and the engine's candidate lines."""
        text, breaks = prepare_block(raw)
        return _Prepared(text, breaks, self.scanner.engine.candidates(text))

    def _prepare_on_two_cores(self, raw_blocks: Iterator[bytes]) -> Iterator[_Prepared]:
        """The engine runs without the GIL: prepare the next blocks on a second core
        while this thread confirms candidates. Blocks come back in order, and at most
        IN_FLIGHT are held at once."""
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="healer-scan") as pool:
            pending: deque[Future[_Prepared]] = deque()
            for raw in raw_blocks:
                pending.append(pool.submit(self._prepare, raw))
                if len(pending) >= IN_FLIGHT:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def _finish(self) -> ScanResult:
        self.result.hits = sorted(
            (hit for kept in self.kept.values() for hit in kept.items()),
            key=lambda h: (h.line, h.rule),
        )
        self.result.steps = self.steps.items()
        self.result.errors = self.errors.items()
        self.result.exits = self.exits.items()
        prompts = (command_in(clean_line(raw), line) for line, raw in self.prompts.items())
        self.result.commands = sorted(
            [*self.commands.items(), *(c for c in prompts if c is not None)],
            key=lambda c: c.line,
        )
        return self.result

    def _collect(self, block: bytes, first_line: int, found: dict[int, set[int] | None]) -> None:
        """Confirm each candidate line of a block and keep the hits and markers."""
        if not found:
            return
        compiled = self.scanner.compiled
        every_rule = range(len(compiled))
        counted_to, line_no = 0, first_line
        for start in sorted(found):
            line_no += block.count(b"\n", counted_to, start)
            counted_to = start
            end = block.find(b"\n", start)
            if end == -1:
                end = len(block)
            tags = found[start]
            if tags == _ONLY_COMMAND:
                self.prompts.add((line_no, block[start : min(end, start + MAX_PROMPT_BYTES)]))
                continue
            text = clean_line(block[start:end])
            if not text:
                continue
            if tags is None or any(t < 0 for t in tags):
                self._markers(text, line_no, block, start, end)
            candidates = every_rule if tags is None else sorted(t for t in tags if t >= 0)
            message = message_text(text)
            for index in candidates:
                if compiled[index].matches(message):
                    self._keep(index, line_no, text, block, start, end)

    def _markers(self, text: str, line_no: int, block: bytes, start: int, end: int) -> None:
        command = command_in(text, line_no)
        if command is not None:
            self._command(command, text, block, end)
            if command.origin in (PROMPT, TRACE, SECTION):
                return  # a command line, whatever words it holds
        if text.startswith("##[group]Run ") or text.startswith("Post job cleanup."):
            name = text.removeprefix("##[group]").strip()
            self.steps.add(Step(name=name[:200], line=line_no))
        elif text.startswith("##[error]"):
            self.errors.add(
                self._hit(TAG_ERROR, line_no, text, block, start, end, MARKER_BEFORE, 0)
            )
        if exit_code(text) is not None or text.startswith("Finished: "):
            self.exits.add(self._hit(TAG_EXIT, line_no, text, block, start, end, MARKER_BEFORE, 0))

    def _command(self, command: Command, text: str, block: bytes, end: int) -> None:
        """Keep a command line; a step's command is its whole script, read from the
        lines that follow; a Travis exit line names a command only when it failed."""
        if command.origin == TRAVIS_EXIT and exit_code(text) == 0:
            return
        if command.origin == STEP:
            # Only the group's own lines: its script, shell and env, up to ##[endgroup].
            limit = min(len(block), end + 1 + STEP_SCRIPT_BYTES)
            close = block.find(b"##[endgroup]", end + 1, limit)
            following = block[end + 1 : limit if close == -1 else close]
            lines = (clean_line(raw).strip() for raw in split_lines(following))
            script = step_script(command.text, lines)
            command = Command(command.line, script, command.origin)
        self.commands.add(command)

    def _keep(
        self, index: int, line_no: int, text: str, block: bytes, start: int, end: int
    ) -> None:
        counts = self.result.hit_counts
        counts[index] = counts.get(index, 0) + 1
        hit = self._hit(index, line_no, text, block, start, end, CONTEXT_BEFORE, CONTEXT_AFTER)
        kept = self.kept.get(index)
        if kept is None:
            kept = self.kept[index] = FirstLast(FIRST_HITS_KEPT, LAST_HITS_KEPT)
        kept.add(hit)

    @staticmethod
    def _hit(
        tag: int,
        line_no: int,
        text: str,
        block: bytes,
        start: int,
        end: int,
        before: int,
        after: int,
    ) -> Hit:
        """A hit with the whole lines of its block that lie within `before` bytes
        ahead of it and `after` bytes behind it (cheap to take; split only if the
        hit ends up in an excerpt)."""
        low = start - before
        if low <= 0:
            ctx_start = 0
        else:
            newline = block.find(b"\n", low, start)
            ctx_start = start if newline == -1 else newline + 1
        high = end + after
        if high >= len(block):
            ctx_end = len(block)
        else:
            newline = block.rfind(b"\n", end, high)
            ctx_end = end if newline == -1 else newline
        lines_before = block.count(b"\n", ctx_start, start)
        return Hit(tag, line_no, text, block[ctx_start:ctx_end], line_no - lines_before)
