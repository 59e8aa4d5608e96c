"""The last green run as a baseline: lines it printed too are neither evidence nor excerpt."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from healer.classifier.baseline import Baseline
from healer.classifier.classify import Classifier
from healer.classifier.rule import Kind
from healer.classifier.rulepack import default_pack
from healer.cli import main
from tests.classifier.helpers import TEST_RULES, gha_log, rule

STEP = ["##[group]Run ./ci/build-all.sh", "./ci/build-all.sh", "##[endgroup]"]
# A test that logs a refused connection on purpose, every run: noise, not a failure.
NOISE = "Error: connect ECONNREFUSED 10.0.0.5:5432 (expected: the fixture retries)"
GREEN = gha_log(*STEP, "checking 12 modules in 1.52s", NOISE, "all checks passed")


def _baseline(data: bytes = GREEN) -> Baseline:
    return Baseline.from_stream(io.BytesIO(data))


def test_a_line_is_seen_whatever_its_numbers_times_and_paths() -> None:
    baseline = _baseline(gha_log("took 1.52s at 2026-11-27 10:00:01 in /tmp/pytest-of-runner/x1"))
    assert baseline.seen("took 0.98s at 2026-11-29 09:13:44 in /tmp/pytest-of-runner/y7")
    assert not baseline.seen("took 0.98s, then failed")
    assert not Baseline().seen("anything")


def test_counts_are_news_where_durations_are_not() -> None:
    baseline = _baseline(gha_log("100% tests passed, 0 tests failed out of 1 in 0.52s"))
    assert baseline.seen("100% tests passed, 0 tests failed out of 1 in 1.07s")
    assert not baseline.seen("0% tests passed, 1 tests failed out of 1 in 0.52s")


def test_what_the_green_run_printed_too_is_not_evidence() -> None:
    rules = [*TEST_RULES, rule("t-econn", "transient", "network", r"ECONNREFUSED", weight=3)]
    red = gha_log(
        *STEP,
        "checking 12 modules in 2.02s",
        NOISE,
        "module cart: 3 problems",
        "##[error]Process completed with exit code 1.",
    )
    without = Classifier(rules).classify_stream(io.BytesIO(red), "log")
    result = Classifier(rules).classify_stream(io.BytesIO(red), "log", _baseline())
    assert (without.kind, without.rule) == (Kind.TRANSIENT, "t-econn")
    assert result.kind is Kind.UNKNOWN  # these test rules know nothing else
    assert NOISE not in result.excerpt
    assert "module cart: 3 problems" in result.excerpt


def test_when_no_rule_decides_the_excerpt_is_the_novel_lines() -> None:
    pack = default_pack()
    common = [f"[build] step {i} ok" for i in range(25)]
    green = gha_log(*STEP, *common, "done")
    red = gha_log(
        *STEP,
        *common[:10],
        "cart.mod: the discount table has 3 rows, expected 4",
        *common[10:],
        "##[error]Process completed with exit code 1.",
    )
    classifier = Classifier(pack.rules, commands=pack.commands)
    plain = classifier.classify_stream(io.BytesIO(red), "log")
    novel = classifier.classify_stream(io.BytesIO(red), "log", _baseline(green))
    assert plain.rule == novel.rule == "generic-command-failed"
    assert any(line.startswith("[build] step") for line in plain.excerpt)
    assert novel.excerpt == ["cart.mod: the discount table has 3 rows, expected 4"]


def test_the_command_line_takes_a_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    green = tmp_path / "green.log"
    green.write_bytes(gha_log(*STEP, "[build] step 1 ok", "done"))
    red = tmp_path / "red.log"
    red.write_bytes(
        gha_log(
            *STEP,
            "[build] step 1 ok",
            "cart.mod: broken table",
            "##[error]Process completed with exit code 1.",
        )
    )
    assert main(["classify", "--format", "json", "--baseline", str(green), str(red)]) == 0
    out = capsys.readouterr().out
    assert '"excerpt": ["cart.mod: broken table"]' in out
    assert main(["classify", "--baseline", str(tmp_path / "absent.log"), str(red)]) == 2
    assert "cannot read the baseline log" in capsys.readouterr().err
