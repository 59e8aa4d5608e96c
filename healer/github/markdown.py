"""Untrusted text in GitHub-flavoured Markdown, shown and never obeyed.

Log text goes inside a fence longer than any run of backticks it holds; text
shown outside a fence (step and job names come from the workflow) is escaped so
that it pings nobody, links no issue and renders no HTML.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def inline(text: str) -> str:
    """Text from a workflow or log, safe outside a code fence."""
    text = text.replace("\r", " ").replace("\n", " ")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A zero-width joiner after @ and # keeps mentions and issue links inert.
    return text.replace("@", "@\u2060").replace("#", "#\u2060")


def code(text: str) -> str:
    """Text from a workflow or log as an inline code span on one line: shown as it is,
    and in a code span nothing pings, links or renders as HTML."""
    text = text.replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def fenced(lines: list[str]) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n" + "\n".join(lines) + f"\n{fence}"
