"""The C block preparer and its pure-Python twin give the same bytes and counts,
whatever the input; the scanner relies on them being interchangeable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healer.classifier import _fastprep as fast
from healer.classifier import logtext

# Bytes that matter to the parser, mixed with anything else.
_INTERESTING = st.sampled_from(
    [b"\x1b", b"[", b"]", b"(", b"0", b";", b"m", b"K", b"\x07", b"\\", b"\r", b"\n", b"\r\n", b" "]
)
_CHUNKS = st.lists(st.one_of(_INTERESTING, st.binary(max_size=8)), max_size=200).map(b"".join)


@settings(max_examples=3000, deadline=None)
@given(_CHUNKS)
def test_c_and_python_prepare_blocks_alike(raw: bytes) -> None:
    assert fast.prepare_block(raw) == logtext.prepare_block_python(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a\r\nb\rc\n", (b"a\nb\nc\n", 3)),
        (b"\x1b[31;1mFAILED\x1b[0m tests/a.py\n", (b"FAILED tests/a.py\n", 1)),
        (b"\x1b]8;;https://x.test\x07link\x1b]8;;\x07\n", (b"link\n", 1)),
        (b"\x1b[12;\n", (b"\x1b[12;\n", 1)),  # no final byte: not a sequence
        (b"", (b"", 0)),
    ],
)
def test_prepare_block_examples(raw: bytes, expected: tuple[bytes, int]) -> None:
    assert fast.prepare_block(raw) == expected
    assert logtext.prepare_block_python(raw) == expected


def test_the_scanner_uses_the_c_helper() -> None:
    assert logtext.prepare_block is fast.prepare_block


def test_prepare_block_accepts_any_buffer() -> None:
    assert fast.prepare_block(memoryview(b"x\r\n")) == (b"x\n", 1)
    with pytest.raises(TypeError):
        fast.prepare_block("not bytes")  # type: ignore[arg-type]
