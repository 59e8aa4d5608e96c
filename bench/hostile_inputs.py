"""Hostile logs: time and memory of the classifier on the worst inputs, and a short fuzz run.

    python bench/hostile_inputs.py [--gib 1] [--fuzz-seconds 60] [--seed 1]

Each input is generated on the fly (never written to disk) and fed to
`Classifier.classify_stream` in one process; the figures are wall time and the peak
resident memory after it (peak RSS only grows, so a jump shows which input cost it):

- `--gib` GiB of bare carriage returns, then a failing pytest line;
- `--gib` GiB of colour escape sequences, then the same line;
- `--gib` GiB with no line break at all;
- one hundred 10 MB lines;
- 256 MiB of random bytes.

Then the fuzz run: for `--fuzz-seconds`, logs from `examples/logs` (and the devset's,
`--devset`, by default `../shared/eval/devset.tar.xz` if present) are mutated at random (bytes flipped, inserted,
deleted, lines duplicated, escape sequences and NULs spliced in) and classified;
any exception, a verdict outside the vocabulary, or control bytes in the excerpt
is printed with its seed and ends the run with exit code 1.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import resource
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from healer.classifier.classify import Classifier  # noqa: E402
from healer.classifier.rulepack import default_rules  # noqa: E402

TAIL = b"\nFAILED tests/a.py::t - assert 1 == 2\n"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SPLICES = [b"\x1b[31m", b"\x1b]8;;x\x07", b"\x00", b"\r", b"\xff", b"\x1b[" + b"1;" * 300 + b"m"]


class Generated(io.RawIOBase):
    """`total` bytes made by repeating `unit`, then `tail`; nothing is kept in memory."""

    def __init__(self, total: int, unit: bytes, tail: bytes = TAIL) -> None:
        self._left = total
        self._chunk = unit * (max(1, (1 << 20) // len(unit)))
        self._offset = 0  # where in the chunk the next read continues
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            count = min(len(buffer), len(self._tail))
            buffer[:count] = self._tail[:count]
            self._tail = self._tail[count:]
            return count
        count = min(len(buffer), self._left, len(self._chunk) - self._offset)
        buffer[:count] = self._chunk[self._offset : self._offset + count]
        self._offset = (self._offset + count) % len(self._chunk)
        self._left -= count
        return count


def _peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _measure(classifier: Classifier, name: str, stream: io.RawIOBase) -> None:
    started = time.perf_counter()
    result = classifier.classify_stream(io.BufferedReader(stream, 1 << 20), name)
    seconds = time.perf_counter() - started
    print(
        f"{name:<34} {seconds:7.1f} s  peak RSS {_peak_mib():4d} MiB  "
        f"-> {result.kind.value}/{result.rule or '-'}"
    )


def _mutations(seed_logs: list[bytes], rng: random.Random) -> Iterator[bytes]:
    while True:
        data = bytearray(rng.choice(seed_logs))
        for _ in range(rng.randint(1, 40)):
            where = rng.randrange(len(data) + 1)
            choice = rng.random()
            if choice < 0.3 and data:
                data[min(where, len(data) - 1)] = rng.randrange(256)
            elif choice < 0.5:
                data[where:where] = rng.choice(SPLICES)
            elif choice < 0.7:
                del data[where : where + rng.randint(1, 200)]
            else:
                start = data.rfind(b"\n", 0, where) + 1
                end = data.find(b"\n", where)
                line = bytes(data[start : end if end >= 0 else len(data)])
                data[start:start] = (line + b"\n") * rng.randint(1, 50)
        yield bytes(data)


DEVSET = ROOT.parent / "shared" / "eval" / "devset.tar.xz"


def _fuzz(classifier: Classifier, seconds: float, seed: int, devset: Path) -> int:
    logs = [path.read_bytes() for path in sorted((ROOT / "examples" / "logs").glob("*.log"))]
    if devset.is_file():
        with tarfile.open(devset) as archive:
            for member in archive.getmembers():
                handle = archive.extractfile(member) if member.name.endswith(".log") else None
                if handle is not None:
                    logs.append(handle.read())
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    count = 0
    for count, data in enumerate(_mutations(logs, rng), start=1):
        try:
            result = classifier.classify_stream(io.BytesIO(data), f"fuzz-{count}.log").to_json()
            problem = ""
            if result["kind"] not in {"transient", "persistent", "unknown"}:
                problem = f"verdict {result['kind']!r}"
            elif any(CONTROL.search(line) for line in result["excerpt"]):
                problem = "control bytes in the excerpt"
        except Exception as exc:  # the point of fuzzing: report anything at all
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            print(f"fuzz case {count} (seed {seed}) failed: {problem}")
            return 1
        if time.perf_counter() > deadline:
            break
    print(f"fuzz: {count} mutated logs from {len(logs)} seeds in {seconds:.0f} s, no failure")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--fuzz-seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--devset", type=Path, default=DEVSET, help="more seed logs (tar.xz)")
    options = parser.parse_args()
    size = int(options.gib * (1 << 30))
    classifier = Classifier(default_rules())

    _measure(classifier, f"{options.gib:g} GiB of \\r", Generated(size, b"\r"))
    _measure(classifier, f"{options.gib:g} GiB of escape sequences", Generated(size, b"\x1b[1;31m"))
    _measure(classifier, f"{options.gib:g} GiB without a line break", Generated(size, b"abc def "))
    _measure(
        classifier, "100 lines of 10 MB", Generated(100 * 10_000_001, b"x" * 10_000_000 + b"\n")
    )
    random_bytes = random.Random(options.seed).randbytes(1 << 20)
    _measure(classifier, "256 MiB of random bytes", Generated(256 << 20, random_bytes))
    return _fuzz(classifier, options.fuzz_seconds, options.seed, options.devset)


if __name__ == "__main__":
    sys.exit(main())
