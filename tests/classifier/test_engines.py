"""The engines' rewrite of a rule pattern: a superset that stays on one line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from healer.classifier.engines import ENGINES, Pattern, prefilter_source


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^FAILED \S+::\S+$", r"FAILED \S+::\S+"),  # anchors dropped
        (r"^\S+\.py::\S+ FAILED\b", r"\.py::\S+ FAILED\b"),  # weak lead dropped
        (r"^(?:==\d+==)?ERROR: x", r"ERROR: x"),  # optional lead group dropped
        (r"a\sb", r"a[ \t\f\v\r]b"),  # \s never matches a line break
        (r"a[^:]b", r"a[^\n:]b"),  # nor does a negated class
        (r"a[^]]b", r"a[^\n\]]b"),  # `]` first in a class stays a member
        (r"a|^b", r"a|b"),  # an alternation is kept whole
    ],
)
def test_prefilter_source(pattern: str, expected: str) -> None:
    assert prefilter_source(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        (r"^FAILED \S+::\S+$", "2026-04-25T05:18:16.2685185Z FAILED tests/a.py::t"),
        (r"^\s+\d+:\d+\s+error\s", "##[error]  12:5  error  'x' is unused"),
        (r"a[^]]b", "a-b"),
    ],
)
def test_prefilter_is_a_superset_on_raw_lines(pattern: str, line: str) -> None:
    assert re.search(prefilter_source(pattern), line)


def test_every_engine_reports_the_line_where_a_match_ends(engine: str) -> None:
    # `\s*` may begin on the blank line before; the candidate is still line 3.
    built = ENGINES[engine]([Pattern(r"^\s*boom", 7)])
    found = built.candidates(b"a\n\n   boom\nz\n")
    assert list(found) == [3]
    assert found[3] in ({7}, None)


def test_engines_agree_on_the_shipped_pack_over_the_examples() -> None:
    from pathlib import Path

    from healer.classifier.classify import Classifier
    from healer.classifier.engines import available_engines
    from healer.classifier.rulepack import default_rules

    examples = sorted((Path(__file__).resolve().parents[2] / "examples" / "logs").glob("*.log"))
    assert examples
    rules = default_rules()
    results = {
        name: [Classifier(rules, engine=name).classify_path(path).to_json() for path in examples]
        for name in available_engines()
    }
    first, *others = results.values()
    for other in others:
        assert other == first


def _foreign_platform(database: bytes) -> bytes:
    """The same database, marked as built for a CPU with features this one lacks
    (bytes 12-19 of hyperscan's header are the platform it was compiled for)."""
    return database[:12] + b"\xff" * 8 + database[20:]


@pytest.mark.parametrize(
    "damage",
    [lambda _: b"", lambda _: b"not a database", lambda _: b"\x00" * 4096, _foreign_platform],
    ids=["empty", "text", "zeros", "foreign CPU"],
)
def test_a_damaged_or_foreign_hyperscan_database_is_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes]
) -> None:
    """A cached database from another CPU (the image is built on one machine and run
    on others) or a broken file costs a compile, never a failed scan."""
    monkeypatch.setenv("HEALER_CACHE_DIR", str(tmp_path))
    patterns = [Pattern(r"ECONNRESET", 0), Pattern(r"^FAILED \S+", 1)]
    ENGINES["hyperscan"](patterns)  # writes the cache
    [cached] = tmp_path.glob("hyperscan-*.db")
    damaged = damage(cached.read_bytes())
    cached.write_bytes(damaged)
    engine = ENGINES["hyperscan"](patterns)
    assert engine.candidates(b"ok\nnpm ERR! ECONNRESET\nFAILED t.py\n") == {3: {0}, 23: {1}}
    assert cached.read_bytes() != damaged  # repaired for the next run
