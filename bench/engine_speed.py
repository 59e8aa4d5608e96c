"""What `healer classify` costs with each engine: the figures for the README's
platform table, so a user knows what to expect from the engine their platform gets.

    python bench/engine_speed.py [--runs 3] [--size-mib 16] [--dense FILE]

For each engine importable here (hyperscan, RE2, Python's `re`), the median wall
time of the `healer classify` command, caches filled, on:

- a 1 MB log (what start-up costs: the common case of one job's log);
- the first `--size-mib` MiB (2 MiB for Python's `re`, which would take minutes)
  of the synthetic log of `bench/scan_speed.py`
  (typical output, few candidate lines);
- the first `--size-mib` MiB of a failure-dense log (`--dense`, e.g. the developer
  set's logs joined; by default /var/tmp/devset-512.log when it exists).

Run it with another interpreter (an emulated one, a container's) to measure there.
"""

from __future__ import annotations

import argparse
import compileall
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scan_speed import make_log  # noqa: E402
from healer.classifier.engines import available_engines  # noqa: E402


def _prefix(source: Path, size_mib: int, folder: Path, name: str) -> Path:
    target = folder / name
    with source.open("rb") as stream:
        data = stream.read(size_mib << 20)
    # Whole lines only, and a failure at the end as in any failed job's log.
    target.write_bytes(data[: data.rfind(b"\n") + 1] + b"FAILED tests/a.py::t - assert 1 == 2\n")
    return target


def _seconds(healer: str, engine: str, log: Path, runs: int) -> float:
    argv = [healer, "classify", "--engine", engine, "--format", "json", str(log)]
    subprocess.run(argv, capture_output=True, check=True)  # fills the rule cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size-mib", type=int, default=48)
    parser.add_argument("--dense", type=Path, default=Path("/var/tmp/devset-512.log"))
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "healer"), quiet=1)
    healer = shutil.which("healer", path=str(Path(sys.executable).parent))
    if healer is None:
        raise SystemExit("no healer command next to this Python: pip install -e . first")
    print(f"{platform.machine()} {platform.system()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        typical = _prefix(make_log(200, 0.1), args.size_mib, folder, "typical.log")
        one_mb = _prefix(typical, 1, folder, "one-mb.log")
        logs = [("1 MB log", one_mb, False), (f"typical {args.size_mib} MiB", typical, True)]
        if args.dense.exists():
            dense = _prefix(args.dense, args.size_mib, folder, "dense.log")
            logs.append((f"failure-dense {args.size_mib} MiB", dense, True))
        else:
            print(f"{args.dense}: not found, the failure-dense log is left out")
        print("| engine | " + " | ".join(label for label, _, _ in logs) + " |")
        print("|---" * (len(logs) + 1) + "|")
        for engine in available_engines():
            cells = []
            for label, log, rate in logs:
                if rate and engine == "re":
                    log = _prefix(log, 2, folder, f"re-{label.split()[0]}.log")
                seconds = _seconds(healer, engine, log, args.runs)
                size = log.stat().st_size / 2**20
                cells.append(
                    f"{size / seconds:.{0 if size / seconds >= 10 else 1}f} MiB/s"
                    if rate
                    else f"{seconds:.2f} s"
                )
            print(f"| {engine} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
