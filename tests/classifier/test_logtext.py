from __future__ import annotations

from healer.classifier.logtext import (
    clean_line,
    message_text,
    split_lines,
    strip_ansi,
    to_universal_newlines,
)


def test_clean_line_drops_timestamp_colour_and_control_bytes() -> None:
    raw = b"2026-04-25T05:18:16.2685185Z \x1b[31;1mFAILED\x1b[0m tests/a.py::t\x00 \x07  "
    assert clean_line(raw) == "FAILED tests/a.py::t"


def test_clean_line_survives_invalid_utf8() -> None:
    assert clean_line(b"caf\xe9 \xff\xfe error") == "caf\ufffd \ufffd\ufffd error"


def test_clean_line_cuts_long_lines_and_says_so() -> None:
    text = clean_line(b"x" * 100_000)
    assert text.endswith("…[cut]")
    assert len(text) < 2100


def test_osc_hyperlinks_and_charset_escapes_are_removed() -> None:
    raw = b"\x1b]8;;https://example.test\x07link\x1b]8;;\x07 \x1b(Bplain"
    assert clean_line(raw) == "link plain"


def test_universal_newlines_treat_crlf_as_one_break_and_bare_cr_as_one() -> None:
    assert to_universal_newlines(b"a\r\nb\rc\n") == b"a\nb\nc\n"
    block = b"no carriage return\n"
    assert to_universal_newlines(block) is block


def test_strip_ansi_keeps_line_breaks() -> None:
    assert strip_ansi(b"\x1b[32ma\x1b[0m\nb\n").count(b"\n") == 2


def test_message_text_drops_annotation_prefix_only() -> None:
    assert message_text("##[error]src/a.ts(3,1): error TS2304") == "src/a.ts(3,1): error TS2304"
    assert message_text("plain ##[error] inside") == "plain ##[error] inside"


def test_split_lines() -> None:
    assert split_lines(b"a\nb\n") == [b"a", b"b"]
    assert split_lines(b"a\nb") == [b"a", b"b"]
