"""Whatever bytes a log holds, classifying it never fails and never lets control
bytes into what a person or a runner will read."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healer.classifier.classify import Classifier
from healer.classifier.rulepack import default_rules

CLASSIFIER = Classifier(default_rules())
_TOKENS = st.sampled_from(
    [
        b"\x1b[31m",
        b"\x1b]8;;x\x07",
        b"\x1b",
        b"\r",
        b"\n",
        b"\r\n",
        b"\x00",
        b"\xff\xfe",
        b"##[group]Run x\n",
        b"##[error]Process completed with exit code 1.\n",
        b"FAILED tests/a.py::t - x\n",
        b"npm ERR! code ECONNRESET\n",
        b"E   AssertionError: x\n",
        b"2026-04-25T05:18:16.2685185Z ",
    ]
)
_LOGS = st.lists(st.one_of(_TOKENS, st.binary(max_size=64)), max_size=120).map(b"".join)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LOGS)
def test_any_bytes_classify_cleanly(raw: bytes) -> None:
    result = CLASSIFIER.classify_stream(io.BytesIO(raw), "fuzz.log")
    data = result.to_json()
    assert data["kind"] in {"transient", "persistent", "unknown"}
    assert 0.0 <= data["confidence"] <= 1.0
    assert len(data["excerpt"]) == len(data["excerpt_lines"]) <= 40
    for line in data["excerpt"]:
        assert not _CONTROL.search(line)


def test_a_carriage_return_flood_is_many_empty_lines_not_one_huge_one() -> None:
    raw = b"\r" * (8 << 20) + b"\nFAILED tests/a.py::t - x\n"
    result = CLASSIFIER.classify_stream(io.BytesIO(raw), "cr.log")
    assert result.lines == (8 << 20) + 1
    assert result.rule == "pytest-failed"


def test_deeply_nested_escape_sequences_do_not_hide_a_failure() -> None:
    sequence = b"\x1b[" + b"1;" * 1000 + b"31m"
    raw = (sequence * 20 + b"\n") * 50 + sequence + b"FAILED\x1b[0m tests/a.py::t - x\n"
    result = CLASSIFIER.classify_stream(io.BytesIO(raw), "ansi.log")
    assert result.rule == "pytest-failed"
    assert result.excerpt[-1] == "FAILED tests/a.py::t - x"
