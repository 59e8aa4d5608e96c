"""`healer eval` on a small labelled set made from the bundled examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from healer.classifier.evaluate import coverage
from healer.classifier.logtext import CUT_MARK, clean_line
from healer.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "logs"


def _labelled_set(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("github-pytest-failure.log", "github-npm-network-error.log"):
        shutil.copy(EXAMPLES / name, logs / name)
    (logs / "mystery.log").write_text("step one\nstep two\nexit status 3\n")
    labels = [
        {
            "path": "logs/github-pytest-failure.log",
            "kind": "persistent",
            "category": "test",
            "confidence": "high",
            "ecosystem": "python",
            "chunk": "FAILED tests/test_cart.py::test_total_applies_discount - assert 1350 == 1215",
        },
        {
            "path": "logs/github-npm-network-error.log",
            "kind": "transient",
            "category": "network",
            "confidence": "high",
            "ecosystem": "javascript",
            "chunk": "npm error code ECONNRESET\nnpm error network aborted\nunrelated line",
        },
        # Labelled persistent/lint on purpose: the rules say otherwise, so it is a miss.
        {
            "path": "logs/mystery.log",
            "kind": "persistent",
            "category": "lint",
            "confidence": "high",
            "ecosystem": "python",
        },
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(label) + "\n" for label in labels))
    return path


def test_eval_reports_precision_recall_accuracy_and_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--json", str(_labelled_set(tmp_path))]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["logs"] == 3
    assert figures["kinds"]["transient"] == {
        "precision": 1.0,
        "recall": 1.0,
        "predicted": 1,
        "labelled": 1,
    }
    assert figures["kinds"]["persistent"]["recall"] == 0.5
    assert figures["category_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert figures["category_scored"] == 3
    assert figures["excerpt_coverage"] == 1.0
    assert figures["excerpt_scored"] == 2
    assert figures["confusion"]["persistent->unknown"] == 1


def test_eval_breaks_the_figures_down_by_category_group_and_confidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--json", str(_labelled_set(tmp_path))]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["categories"]["lint"] == {"scored": 1, "accuracy": 0.0, "wrong": {"unknown": 1}}
    assert figures["categories"]["test"]["accuracy"] == 1.0
    assert figures["groups"] == {
        "ecosystem": {
            "javascript": {
                "logs": 1,
                "kind_right": 1.0,
                "category_scored": 1,
                "category_accuracy": 1.0,
            },
            "python": {
                "logs": 2,
                "kind_right": 0.5,
                "category_scored": 2,
                "category_accuracy": 0.5,
            },
        }
    }
    bins = {row["bin"]: row for row in figures["calibration"]}
    # The unknown verdict has confidence 0 and is wrong; the two confident ones are right.
    assert bins["0.0-0.3"] == {"bin": "0.0-0.3", "verdicts": 1, "right": 0.0}
    assert sum(row["verdicts"] for row in figures["calibration"]) == 3
    confident = [row for row in figures["calibration"] if row["bin"] != "0.0-0.3"]
    assert sum(row["verdicts"] for row in confident if row["right"] == 1.0) == 2


def test_eval_text_report_shows_the_breakdowns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["eval", str(_labelled_set(tmp_path))])
    out = capsys.readouterr().out
    assert "  lint                  0.000       1  unknown 1" in out
    assert "by ecosystem" in out
    assert "  python                   2       0.500     0.500" in out
    assert "  0.0-0.3: 0.000 of 1" in out


def test_eval_misses_lists_the_wrong_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["eval", "--misses", str(_labelled_set(tmp_path))])
    out = capsys.readouterr().out
    assert "transient" in out
    assert "precision" in out
    assert (
        "[kind,category] logs/mystery.log: labelled persistent/lint, got unknown/unknown (None, 0.00)"
        in out
    )


def test_eval_rejects_a_broken_labels_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"path": "a.log", "kind": "persistent"}\n')
    assert main(["eval", str(labels)]) == 2
    assert "labels.jsonl:1: missing category" in capsys.readouterr().err


def test_coverage_counts_chunk_lines_found_in_the_excerpt() -> None:
    excerpt = ["error: one", "error: two"]
    assert coverage("error: one\r\nerror: three\n\n", excerpt) == 0.5
    assert coverage("\x1b[31merror: one\x1b[0m", excerpt) == 1.0
    assert coverage("", excerpt) is None


def test_a_line_cut_for_length_still_shows_the_labelled_line() -> None:
    """The classifier keeps 2,000 characters of a line; the chunk may start the same
    line further in (its indent stripped), so the two are cut at different places."""
    long_line = "    - The requested package exists as " + ", ".join(f"v{i}" for i in range(900))
    excerpt = [clean_line(long_line.encode())]
    assert excerpt[0].endswith(CUT_MARK)
    assert coverage(long_line.strip(), excerpt) == 1.0
    assert coverage("- The requested package was never there", excerpt) == 0.0
