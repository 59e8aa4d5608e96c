"""How fast, how lean and how quick to start the classifier is.

    python bench/scan_speed.py [--size-mib 500] [--runs 3] [--ansi-share 0.1] [--log FILE]

Prints, for a synthetic GitHub Actions log of the given size (timestamps, colour
codes on a share of the lines, group markers, pip/npm/pytest output, a failing
test at the end):

- `healer classify` throughput (MiB/s) and peak RSS, per engine available here;
- ripgrep with the shipped rules as its pattern file, on the same file in the same
  run (`rg --no-unicode -c -f`), if `rg` is installed;
- Python's `re` with one alternation of the rules over 1 MiB blocks, measured on
  the first 4 MiB (it would take an hour on the whole file);
- start-up: wall time of the `healer classify` command on a 1 MB log.

Each figure is the median of `--runs` runs. The log is cached under
/var/tmp/healer-bench and regenerated when the size or the generator changes.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from healer.classifier.engines import _alternation, available_engines, prefilter_source  # noqa: E402
from healer.classifier.rulepack import default_rules  # noqa: E402
from healer.classifier.scan import MARKER_PATTERNS, Pattern  # noqa: E402

CACHE = Path("/var/tmp/healer-bench")
GENERATOR_VERSION = "3"

_PEAK_WRAPPER = """
import contextlib, io, sys
from healer.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    main(["classify", "--format", "json", "--engine", sys.argv[1], sys.argv[2]])
import resource
status = open("/proc/self/status").read()
own_kib = int(status.split("VmHWM:")[1].split()[0])
# A large log is scanned by this process and a forked child: report the larger.
child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak_kib = max(own_kib, child_kib)
print(peak_kib, out.getvalue().count("\\n"), out.getvalue()[:300].replace("\\n", " "))
"""


def _stamp(i: int) -> str:
    return f"2026-04-25T05:{(i // 60000) % 60:02d}:{(i // 1000) % 60:02d}.{i % 10_000_000:07d}Z "


def _body_lines(rng: random.Random, ansi_share: float) -> list[str]:
    """One varied block of ordinary CI output (no failures)."""
    pkgs = ["requests", "numpy", "pydantic", "urllib3", "idna", "certifi", "pytest", "rich"]
    lines = []
    for n in range(4000):
        pick = rng.random()
        pkg = rng.choice(pkgs)
        if pick < 0.2:
            text = f"Collecting {pkg}>={rng.randint(1, 3)}.{rng.randint(0, 30)}"
        elif pick < 0.3:
            text = f"  Downloading {pkg}-2.{n % 40}.1-py3-none-any.whl ({rng.randint(10, 900)} kB)"
        elif pick < 0.4:
            text = f"npm warn deprecated {pkg}@1.{n % 9}.0: use something newer"
        elif pick < 0.45:
            text = "##[group]Run python -m pip install -e ." if n % 400 == 0 else "##[endgroup]"
        elif pick < 0.8:
            text = f"tests/test_{pkg}_{n % 97}.py::test_case_{n % 13} PASSED{' ' * (n % 5)}[ {n % 100}%]"
        elif pick < 0.81:
            text = (
                f"added {rng.randint(1, 900)} packages, and audited {rng.randint(900, 2000)} in 3s"
            )
        else:
            text = f"  running build_ext for module_{n % 50}: gcc -O2 -fPIC -c src/m{n % 50}.c -o build/m.o"
        if rng.random() < ansi_share:
            word, _, rest = text.partition(" ")
            text = f"\x1b[32;1m{word}\x1b[0m {rest}"
        lines.append(text)
    return lines


def make_log(size_mib: int, ansi_share: float) -> Path:
    key = hashlib.sha256(f"{GENERATOR_VERSION}:{size_mib}:{ansi_share}".encode()).hexdigest()[:12]
    path = CACHE / f"synthetic-{size_mib}mib-{key}.log"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    blocks = [
        "".join(
            _stamp(i) + line + "\n" for i, line in enumerate(_body_lines(rng, ansi_share))
        ).encode()
        for _ in range(8)
    ]
    tail = "".join(
        _stamp(i) + line + "\n"
        for i, line in enumerate(
            [
                "##[group]Run pytest -q",
                "=================================== FAILURES ===================================",
                "E       AssertionError: assert 1350 == 1215",
                "FAILED tests/test_cart.py::test_total_applies_discount - assert 1350 == 1215",
                "========================= 1 failed, 47 passed in 2.31s =========================",
                "##[error]Process completed with exit code 1.",
            ]
        )
    ).encode()
    target = size_mib << 20
    tmp = path.with_suffix(".partial")
    written = 0
    with tmp.open("wb") as out:
        i = 0
        while written + len(tail) < target:
            block = blocks[i % len(blocks)]
            out.write(block)
            written += len(block)
            i += 1
        out.write(tail)
    tmp.rename(path)
    return path


def _median_time(argv: list[str], runs: int, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in ok:
            raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        out = done.stdout
    return statistics.median(times), out


def bench_healer(log: Path, runs: int) -> dict[str, tuple[float, int]]:
    size = log.stat().st_size / 2**20
    results = {}
    env_python = sys.executable
    for engine in available_engines():
        if engine == "re":
            continue  # measured below on a prefix; minutes on the whole file
        # One untimed run fills the rule and engine caches, as on any later run.
        _median_time([env_python, "-c", _PEAK_WRAPPER, engine, str(CACHE / "warm.log")], 1)
        seconds, out = _median_time([env_python, "-c", _PEAK_WRAPPER, engine, str(log)], runs)
        peak_kib, _count, head = out.split(" ", 2)
        results[engine] = (size / seconds, int(peak_kib) // 1024)
        print(
            f"healer classify [{engine:9}] {size / seconds:8.0f} MiB/s  "
            f"peak RSS {int(peak_kib) / 1024:5.1f} MiB  ({seconds:.2f} s; {head[:80]}…)"
        )
    return results


def bench_ripgrep(log: Path, runs: int) -> float | None:
    rg = shutil.which("rg")
    if rg is None:
        print("ripgrep: not installed (apt-get install ripgrep), skipped")
        return None
    # The same line-level superset the engines run; ripgrep's byte mode takes no
    # non-ASCII literals, so those few patterns are left out (in its favour).
    sources = [
        f"(?i:{prefilter_source(p)})" if rule.ignore_case else prefilter_source(p)
        for rule in default_rules()
        for p in rule.patterns
        if p.isascii()
    ]
    size = log.stat().st_size / 2**20
    rate = 0.0
    for label, chosen in (
        ("all rules", sources),
        ("~90 typical", sources[:: max(1, len(sources) // 90)]),
    ):
        with tempfile.NamedTemporaryFile("w", suffix=".rules", delete=False) as handle:
            handle.write("\n".join(chosen) + "\n")
        argv = [rg, "--no-unicode", "-c", "-f", handle.name, str(log)]
        seconds, _ = _median_time(argv, runs, ok=(0, 1))
        os.unlink(handle.name)
        print(f"ripgrep --no-unicode ({label}: {len(chosen)} patterns) {size / seconds:8.0f} MiB/s")
        rate = size / seconds
    return rate


def bench_python_re(log: Path, prefix_mib: int = 2) -> float:
    """Python's `re`, one alternation, 1 MiB blocks: with every pattern of the pack,
    and with ~90 of them (the size of rule set the figures elsewhere are quoted for)."""
    rules = default_rules()
    patterns = [
        Pattern(source, i, rule.ignore_case)
        for i, rule in enumerate(rules)
        for source in rule.patterns
    ]
    rate = 0.0
    for label, chosen in (("all", patterns), ("~90", patterns[:: max(1, len(patterns) // 90)])):
        regex = re.compile(_alternation([*chosen, *MARKER_PATTERNS]).encode(), re.ASCII)
        start = time.perf_counter()
        done = 0
        with log.open("rb") as stream:
            while done < prefix_mib << 20:
                block = stream.read(1 << 20)
                if not block:
                    break
                for _ in regex.finditer(block):
                    pass
                done += len(block)
        rate = done / 2**20 / (time.perf_counter() - start)
        print(
            f"python re, one alternation of {label} {len(chosen)} patterns "
            f"(first {prefix_mib} MiB) {rate:8.2f} MiB/s"
        )
    return rate


def bench_startup(runs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "one-mb.log"
        rng = random.Random(7)
        lines = _body_lines(rng, 0.1)
        text = "".join(_stamp(i) + lines[i % len(lines)] + "\n" for i in range(12_000))
        log.write_text(text[:1_000_000] + "\nFAILED tests/a.py::t - assert 1 == 2\n")
        healer = shutil.which("healer", path=str(Path(sys.executable).parent)) or "healer"
        seconds, _ = _median_time([healer, "classify", str(log)], max(runs, 10))
    print(f"start-up: healer classify on a 1 MB log {seconds * 1000:6.0f} ms wall (median)")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ansi-share", type=float, default=0.1)
    parser.add_argument(
        "--log",
        type=Path,
        help="measure this log instead of the synthetic one (e.g. real logs joined)",
    )
    args = parser.parse_args()
    rules = default_rules()
    print(
        f"rules: {len(rules)} ({sum(len(r.patterns) for r in rules)} patterns); "
        f"engines here: {', '.join(available_engines())}"
    )
    # Byte-code, as an installed package or the action image has it (this machine
    # sets PYTHONDONTWRITEBYTECODE, so an editable install would recompile on each run).
    compileall.compile_dir(str(ROOT / "healer"), quiet=1)
    log = args.log or make_log(args.size_mib, args.ansi_share)
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "warm.log").write_bytes(log.open("rb").read(1 << 20))
    shade = "" if args.log else f", {args.ansi_share:.0%} lines coloured"
    print(f"log: {log} ({log.stat().st_size / 2**20:.0f} MiB{shade})")
    healer = bench_healer(log, args.runs)
    rg = bench_ripgrep(log, args.runs)
    python_re = bench_python_re(log)
    bench_startup(args.runs)
    best = max(rate for rate, _ in healer.values())
    print(f"\nbest healer / python re (~90 patterns): {best / python_re:6.1f}x")
    if rg:
        print(f"best healer / ripgrep (~90 typical rules): {best / rg:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
