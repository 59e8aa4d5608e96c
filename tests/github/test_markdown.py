"""Log text in Markdown is shown, never obeyed: it pings nobody and renders no HTML."""

from __future__ import annotations

import re

from healer.github.markdown import code, fenced, inline


def test_hostile_log_lines_stay_inside_the_fence() -> None:
    hostile = ["```", "@octocat #1 <img src=x onerror=alert(1)>", "````` end"]
    text = fenced(hostile)
    fence = text.splitlines()[0].removesuffix("text")
    assert len(fence) == 6
    assert all(not line.startswith(fence) for line in hostile)


def test_inline_text_pings_nobody_and_renders_no_html() -> None:
    text = inline("Run @octocat fix #12 <script>x</script> [a](b)\nnext")
    assert "@octocat" not in text
    assert "#12" not in text
    assert "<script>" not in text
    assert "\n" not in text
    assert not re.search(r"(?<!\\)\[", text)


def test_a_code_span_holds_any_text_on_one_line() -> None:
    assert code("npm test") == "` npm test `"
    assert code("echo `date`\nrm -rf x") == "`` echo `date` rm -rf x ``"
    assert code("a ``` b") == "```` a ``` b ````"
