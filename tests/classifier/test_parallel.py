"""A large file scanned in two processes gives the result of one scan.

Only the raw context kept around a hit may be shorter right after the split,
as it may be after any block boundary within one scan."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from healer.classifier import parallel
from healer.classifier import scan as scan_module
from healer.classifier.classify import Classifier
from healer.classifier.scan import Hit, Scanner, ScanResult
from tests.classifier.helpers import TEST_RULES, gha_log


def _essence(result: ScanResult) -> tuple[object, ...]:
    """Everything a scan found, without the raw context windows."""

    def lines(hits: list[Hit]) -> list[tuple[int, int, str]]:
        return [(h.rule, h.line, h.text) for h in hits]

    return (
        result.lines,
        result.hit_counts,
        lines(result.hits),
        result.steps,
        lines(result.errors),
        lines(result.exits),
        result.engine,
    )


def _busy_log() -> bytes:
    lines = []
    for step in range(40):
        lines.append(f"##[group]Run step {step}")
        for i in range(60):
            if i % 7 == 0:
                lines.append(f"FAILED tests/test_{step}.py::test_{i} - assert {i} == 0")
            elif i % 11 == 0:
                lines.append(f"curl: (7) Failed to connect: Connection refused ({step}.{i})")
            else:
                lines.append(f"\x1b[32mok\x1b[0m line {i} of step {step}\r")
        lines.append("##[error]Process completed with exit code 1.")
    return gha_log(*lines)


@pytest.fixture
def busy_log(tmp_path: Path) -> Path:
    path = tmp_path / "busy.log"
    path.write_bytes(_busy_log())
    return path


def test_two_processes_give_the_result_of_one_scan(
    busy_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanner = Scanner(TEST_RULES)
    whole = scanner.scan(io.BytesIO(busy_log.read_bytes()))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    forked: list[int] = []
    real_fork = parallel.os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(parallel.os, "fork", counting_fork)
    split = parallel.scan_file(scanner, busy_log)
    assert forked, "the file was not split"
    assert _essence(split) == _essence(whole)
    # Both rules hit more often than they keep: the merge had first and last hits to pick.
    assert len(whole.hits) == 2 * (scan_module.FIRST_HITS_KEPT + scan_module.LAST_HITS_KEPT)


def test_a_failed_child_is_made_up_for_in_the_parent(
    busy_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanner = Scanner(TEST_RULES)
    whole = scanner.scan(io.BytesIO(busy_log.read_bytes()))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    real_fork = parallel.os.fork

    def failing_child_fork() -> int:
        pid = real_fork()
        if pid == 0:
            parallel.os._exit(3)
        return pid

    monkeypatch.setattr(parallel.os, "fork", failing_child_fork)
    assert _essence(parallel.scan_file(scanner, busy_log)) == _essence(whole)


def test_a_child_that_sends_half_its_result_is_made_up_for_in_the_parent(
    busy_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanner = Scanner(TEST_RULES)
    whole = scanner.scan(io.BytesIO(busy_log.read_bytes()))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    real_dumps = parallel.pickle.dumps

    def half_dump(obj: object, out: io.BufferedWriter, protocol: int | None = None) -> None:
        data = real_dumps(obj, protocol=protocol)
        out.write(data[: len(data) // 2])

    monkeypatch.setattr(parallel.pickle, "dump", half_dump)
    assert _essence(parallel.scan_file(scanner, busy_log)) == _essence(whole)


def test_the_classifier_verdict_is_the_same_split_or_not(
    busy_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier = Classifier(TEST_RULES)
    whole = classifier.classify_path(busy_log).to_json()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    assert classifier.classify_path(busy_log).to_json() == whole
    assert whole["kind"] == "persistent"


@pytest.mark.parametrize("split", [False, True])
def test_progress_counts_up_to_the_file_size(
    busy_log: Path, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    """One process reports what it read; with two, its half scaled to the whole."""
    if split:
        monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(scan_module, "BLOCK_BYTES", 4096)  # many reads, many reports
    seen: list[int] = []
    parallel.scan_file(Scanner(TEST_RULES), busy_log, seen.append)
    size = busy_log.stat().st_size
    assert len(seen) > 3
    assert seen == sorted(seen)
    assert size - 2 <= seen[-1] <= size + 2  # the scaled half rounds
