"""Rules whose regexes could backtrack for hours on one line are refused."""

from __future__ import annotations

import re

import pytest

from healer.classifier.regexcheck import may_backtrack_catastrophically
from healer.classifier.rulepack import default_rules


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(a*)*b",
        r"(\w+\s?)*$",
        r"(?:x{1,5})+y",
        r"((a|b)+c?)+d",
        r"(.*a){20}",
        r"(?:[\w,]+,)*z",  # the separator is also inside the inner class
        r"^(?:\S+\s+)+FAILED$",
        r"error: (?:(?:\w+)+)+\.$",
    ],
)
def test_nested_ambiguous_repeats_are_flagged(pattern: str) -> None:
    assert may_backtrack_catastrophically(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(ab)+",
        r"a+b+",
        r"(?:,[\w-]+)*x",  # every repetition starts with a comma the inner part cannot match
        r"Execution failed for task '(?::[\w-]+)*:lint'",
        r"^=+ (?:\d+ \w+, )*\d+ failed",
        r"(?:x{1,3}){1,4}",  # bounded both ways
        r"ECONNRESET|ETIMEDOUT",
    ],
)
def test_safe_repeats_are_not_flagged(pattern: str) -> None:
    assert not may_backtrack_catastrophically(pattern)


def test_a_separator_that_differs_only_in_case_is_no_separator_under_ignore_case() -> None:
    assert not may_backtrack_catastrophically(r"(?:X[a-z]+)+!")
    assert may_backtrack_catastrophically(r"(?:X[a-z]+)+!", re.IGNORECASE)


def test_no_shipped_pattern_is_flagged() -> None:
    for rule in default_rules():
        flags = re.IGNORECASE if rule.ignore_case else 0
        for pattern in (*rule.patterns, *rule.exclude):
            assert not may_backtrack_catastrophically(pattern, flags), (rule.id, pattern)
