"""Small builders shared by the tests."""

from __future__ import annotations

import io
from typing import Any

from healer.classifier.classify import Classifier, Result
from healer.classifier.rule import Kind, Rule
from healer.classifier.ruleschema import validate_rule

STAMP = "2026-04-25T05:18:16.2685185Z "


def rule(rule_id: str, kind: str, category: str, pattern: str, **extra: Any) -> Rule:
    data: dict[str, Any] = {
        "id": rule_id,
        "kind": kind,
        "category": category,
        "patterns": [pattern],
        "explanation": f"{rule_id} explanation",
        "samples": {"match": ["x"], "no_match": ["y"]},
    }
    data.update(extra)
    return validate_rule(data)


TEST_RULES = [
    rule("t-pytest", "persistent", "test", r"^FAILED \S+::\S+", weight=3),
    rule("t-assert", "persistent", "assertion", r"^E\s+(?:AssertionError|assert )", weight=2.5),
    rule("t-refused", "transient", "network", r"Connection refused|ECONNREFUSED", weight=2),
    rule("t-timeout", "transient", "timeout", r"timed out after \d+ minutes", weight=2),
    rule(
        "t-runner-lost",
        "transient",
        "infrastructure",
        r"lost communication with the server",
        weight=6,
    ),
]


def gha_log(*lines: str) -> bytes:
    """A GitHub Actions job log: every line behind a runner timestamp."""
    return "".join(f"{STAMP}{line}\n" for line in lines).encode("utf-8")


def classify_bytes(data: bytes, rules: list[Rule] | None = None, **kwargs: Any) -> Result:
    classifier = Classifier(rules if rules is not None else TEST_RULES, **kwargs)
    return classifier.classify_stream(io.BytesIO(data), "log")


def a_result(**fields: Any) -> Result:
    """A persistent test failure as the classifier would report it; `fields` override."""
    values: dict[str, Any] = {
        "path": "job.log",
        "kind": Kind.PERSISTENT,
        "category": "test",
        "confidence": 0.99,
        "rule": "pytest-failed",
        "explanation": "pytest listed a failing test.",
        "excerpt": ["FAILED tests/test_cart.py::test_total - assert 1 == 2"],
        "excerpt_lines": [10],
        "fingerprint": "abc123",
        "step": "Run pytest",
    }
    return Result(**(values | fields))
