"""The streaming reader: line numbers, steps and bounded memory on awkward input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from healer.classifier import scan as scan_module
from healer.classifier.scan import Scanner
from tests.classifier.helpers import TEST_RULES, gha_log


def _scan(data: bytes, engine: str | None = None) -> scan_module.ScanResult:
    return Scanner(TEST_RULES, engine).scan(io.BytesIO(data))


def _hit_lines(result: scan_module.ScanResult) -> list[tuple[int, str]]:
    return [(hit.line, hit.text) for hit in result.hits]


def test_every_engine_finds_the_same_lines(engine: str) -> None:
    data = gha_log(
        "##[group]Run pytest",
        "\x1b[31mFAILED\x1b[0m tests/a.py::test_one - boom",
        "curl: (7) Failed to connect: Connection refused",
        "##[error]Process completed with exit code 1.",
    )
    result = _scan(data, engine)
    assert _hit_lines(result) == [
        (2, "FAILED tests/a.py::test_one - boom"),
        (3, "curl: (7) Failed to connect: Connection refused"),
    ]
    assert result.engine == engine


def test_line_numbers_count_crlf_once_and_bare_cr_as_a_break() -> None:
    data = b"one\r\ntwo\rthree\nFAILED tests/a.py::t - x\r\n"
    result = _scan(data)
    assert _hit_lines(result) == [(4, "FAILED tests/a.py::t - x")]
    assert result.lines == 4


def test_block_size_does_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"line {i} ok\r" if i % 7 else f"line {i}\r\n" for i in range(3000)]
    lines[1234] = "FAILED tests/a.py::test_boundary - x\r\n"
    lines[2999] = "E   AssertionError: end\r\n"
    data = "".join(lines).encode()
    whole = _hit_lines(_scan(data))
    monkeypatch.setattr(scan_module, "BLOCK_BYTES", 97)
    monkeypatch.setattr(scan_module, "MAX_LINE_BYTES", 1000)
    assert _hit_lines(_scan(data)) == whole
    assert len(whole) == 2


def test_nul_bytes_and_invalid_utf8_do_not_break_matching() -> None:
    data = b"\x00\x00\xff\xfe garbage\nFAILED tests/\xe9.py::t - \xff\n\x00\n"
    result = _scan(data)
    assert _hit_lines(result) == [(2, "FAILED tests/\ufffd.py::t - \ufffd")]


_PEAK_SCRIPT = """
import sys
from healer.classifier.scan import Scanner
from tests.classifier.helpers import TEST_RULES
scanner = Scanner(TEST_RULES)
if sys.argv[1] != "-":
    with open(sys.argv[1], "rb") as stream:
        result = scanner.scan(stream)
    print([(h.line, h.text) for h in result.hits])
# VmHWM is this process's own peak; ru_maxrss would carry the parent's over exec.
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


def _peak_mib(path: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT, path], capture_output=True, text=True, check=True
    )
    *hits, peak = done.stdout.splitlines()
    return int(peak), "".join(hits)


def test_a_huge_line_is_scanned_in_bounded_memory(tmp_path: Path) -> None:
    log = tmp_path / "huge-line.log"
    with log.open("wb") as out:
        for _ in range(64):
            out.write(b"x" * (1 << 20))
        out.write(b"\nFAILED tests/a.py::after_the_huge_line - x\n")
    baseline, _ = _peak_mib("-")
    peak, hits = _peak_mib(str(log))
    assert hits == "[(2, 'FAILED tests/a.py::after_the_huge_line - x')]"
    # A 64 MiB line costs a few blocks of memory, not its own size.
    assert peak - baseline < 16


def test_steps_and_the_failing_exit_line_are_found() -> None:
    data = gha_log(
        "Current runner version: '2.329.0'",
        "##[group]Run actions/checkout@v4",
        "##[endgroup]",
        "##[group]Run pytest -q",
        "FAILED tests/a.py::t - x",
        "##[error]Process completed with exit code 1.",
        "Post job cleanup.",
    )
    result = _scan(data)
    assert [(s.name, s.line) for s in result.steps] == [
        ("Run actions/checkout@v4", 2),
        ("Run pytest -q", 4),
        ("Post job cleanup.", 7),
    ]
    assert [e.line for e in result.exits] == [6]
    assert [e.line for e in result.errors] == [6]


def test_hits_kept_per_rule_are_bounded() -> None:
    data = b"".join(b"FAILED tests/a.py::t%d - x\n" % i for i in range(10_000))
    result = _scan(data)
    assert result.hit_counts == {0: 10_000}
    kept = [hit.line for hit in result.hits]
    assert len(kept) == scan_module.FIRST_HITS_KEPT + scan_module.LAST_HITS_KEPT
    assert kept[0] == 1
    assert kept[-1] == 10_000


def test_empty_log() -> None:
    result = _scan(b"")
    assert result.lines == 0
    assert result.hits == []
