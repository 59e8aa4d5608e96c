"""Find regexes that can backtrack for hours on one long line.

Python's `re` confirms every candidate line, so a rule like `(a+)+$` or `(\\w+\\s?)*$`
could keep the action busy for hours on a single line of a few thousand characters
(exponential backtracking). The classic shape is a repeat nested in a repeat where
one of them is unbounded. It is harmless when each outer iteration must consume a
literal character that none of the inner repeats can match, as in `(?:,[\\w-]+)*`
or `(?::[\\w-]+)*`: then the iterations cannot be split in more than one way.

The check reads the pattern's parse tree (the standard library's own parser), so it
sees groups, alternations and classes as `re` does. It errs on the side of flagging.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}
_UNBOUNDED = C.MAXREPEAT
_CATEGORIES = {
    C.CATEGORY_DIGIT: re.compile(r"\d"),
    C.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    C.CATEGORY_SPACE: re.compile(r"\s"),
    C.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    C.CATEGORY_WORD: re.compile(r"\w"),
    C.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_ONE_CHARACTER = {C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN}

Item = tuple[Any, Any]  # (opcode, argument) as the parser gives it
Repeat = tuple[int, int, list[Item]]  # (min, max, body)


def may_backtrack_catastrophically(pattern: str, flags: int = 0) -> bool:
    """Whether `pattern` nests an ambiguous repeat inside a repeat (`(a+)+`, `(.*a){20}`)."""
    for _low, high, body in _repeats(list(_parser.parse(pattern, flags))):
        if high <= 1:
            continue
        while len(body) == 1 and body[0][0] is C.SUBPATTERN:
            body = list(body[0][1][-1])
        inner = [repeat for repeat in _repeats(body) if repeat[1] > 1]
        if not inner:
            continue
        if high != _UNBOUNDED and all(repeat[1] != _UNBOUNDED for repeat in inner):
            continue  # bounded both ways: polynomial at worst, and small
        if not _delimited(body, inner, ignore_case=bool(flags & re.IGNORECASE)):
            return True
    return False


def _repeats(items: list[Item]) -> Iterator[Repeat]:
    """Every repeat in `items`, outer ones before the ones nested in them."""
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            yield low, high, list(body)
            yield from _repeats(list(body))
        elif op is C.SUBPATTERN:
            yield from _repeats(list(arg[-1]))
        elif op is C.BRANCH:
            for branch in arg[1]:
                yield from _repeats(list(branch))
        elif op is C.ATOMIC_GROUP:
            yield from _repeats(list(arg))


def _delimited(body: list[Item], inner: list[Repeat], ignore_case: bool) -> bool:
    """Each iteration of `body` consumes a literal character no inner repeat can match."""
    for op, arg in body:
        if op is not C.LITERAL:
            continue
        char = chr(arg)
        chars = {char, char.lower(), char.upper()} if ignore_case else {char}
        if all(
            all(item[0] in _ONE_CHARACTER for item in repeat_body)
            and not any(_can_match(item, c) for item in repeat_body for c in chars)
            for _low, _high, repeat_body in inner
        ):
            return True
    return False


def _can_match(item: Item, char: str) -> bool:
    op, arg = item
    if op is C.LITERAL:
        return chr(arg) == char
    if op is C.NOT_LITERAL:
        return chr(arg) != char
    if op is C.ANY:
        return char != "\n"
    if op is C.IN:
        negate, hit = False, False
        for set_op, set_arg in arg:
            if set_op is C.NEGATE:
                negate = True
            elif set_op is C.LITERAL:
                hit = hit or chr(set_arg) == char
            elif set_op is C.RANGE:
                hit = hit or set_arg[0] <= ord(char) <= set_arg[1]
            elif set_op is C.CATEGORY and set_arg in _CATEGORIES:
                hit = hit or _CATEGORIES[set_arg].fullmatch(char) is not None
            else:
                return True
        return hit != negate
    return True
