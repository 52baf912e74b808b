"""The date rule record and the helpers every language's date rules share.

A :class:`Rule` pairs a compiled regex with a ``build`` function that turns a match into
:data:`Hit` tuples; the rules themselves are in :mod:`storydesk.analyze.date_patterns`
(English and language-independent) and :mod:`storydesk.analyze.date_patterns_intl`
(Russian, Ukrainian, German, French, Spanish).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Spec = tuple[Any, ...]
Hit = tuple[int, int, str, Spec]


@dataclass(frozen=True, slots=True)
class Rule:
    """One recognition rule: a compiled regex and the function that reads its matches.

    Attributes:
        name: for debugging and error listings.
        regex: compiled pattern.
        build: turns a match into hits (an empty list rejects the match).
        priority: breaks ties between overlapping hits of equal length (higher wins).
        lower: run over the lower-cased text (offsets are the same).
        first: regex that fully matches every lower-cased token a match can start at
            (``0`` stands for any run of digits); the rule is only tried there.
    """

    name: str
    regex: re.Pattern[str]
    build: Callable[[re.Match[str]], list[Hit]]
    priority: int = 0
    lower: bool = False
    first: str = ""


def alt_words(words: Sequence[str]) -> str:
    """A regex alternation of literal words, longest first so prefixes never win.

    Args:
        words: the words (duplicates are dropped).

    Returns:
        The alternation, each word escaped.
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def match_left(m: re.Match[str], regex: re.Pattern[str], width: int = 48) -> re.Match[str] | None:
    """Match ``regex`` (which ends in ``\\Z``) against the text just before ``m``.

    Args:
        m: the rule's match.
        regex: an end-anchored pattern for the words before it.
        width: how many characters before the match to look at.

    Returns:
        The match of the words before, or None.
    """
    return regex.search(m.string, max(0, m.start() - width), m.start())


def one_hit(start: int, end: int, kind: str, spec: Spec) -> list[Hit]:
    """One hit as a build function returns it.

    Args:
        start, end: the expression's span.
        kind: ``date``, ``time``, ``duration`` or ``set``.
        spec: what it means on the calendar.

    Returns:
        A one-element hit list.
    """
    return [(start, end, kind, spec)]


def valid_day(m: int, d: int) -> bool:
    """True when day ``d`` exists in month ``m`` of some year (February 29 included).

    Args:
        m: month, 1-12.
        d: day of the month.

    Returns:
        Whether the pair is a calendar day.
    """
    return 1 <= m <= 12 and 1 <= d <= (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)


def build_duration(m: re.Match[str]) -> list[Hit]:
    """Build function of duration rules: the whole match, no calendar value.

    Args:
        m: the rule's match.

    Returns:
        One ``duration`` hit.
    """
    return one_hit(m.start(), m.end(), "duration", ("none",))


def build_set(m: re.Match[str]) -> list[Hit]:
    """Build function of set rules ("every Friday"): the whole match, no calendar value.

    Args:
        m: the rule's match.

    Returns:
        One ``set`` hit.
    """
    return one_hit(m.start(), m.end(), "set", ("none",))
