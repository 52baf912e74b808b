"""The record the quote grammars produce before speakers are resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Attribution:
    """A quote found in the text, before its speaker phrase is resolved to an entity.

    Attributes:
        parts: content spans (article offsets), in order; direct quotes exclude the marks.
        kind: ``direct``, ``indirect`` or ``mixed``.
        cue: the cue span, if any.
        speaker: the speaker phrase span ("the Kremlin spokesperson"), if any.
        head: the span inside ``speaker`` that names the speaker (the last name or the
            role noun), which resolution starts from.
        inherit: index of an earlier attribution whose speaker this one shares (split,
            floating and coordinated quotes), else None.
        pattern: the rule that produced it, for explanation and error analysis.
    """

    parts: list[tuple[int, int]]
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    inherit: int | None = None
    pattern: str = ""
    block: int = 0
    said_span: tuple[int, int] | None = None  # the attribution clause, where said_on dates are looked for
    antecedent: tuple[int, int] | None = None  # what a relative-pronoun speaker ("who said") refers to

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink ``[a, b)`` to exclude surrounding whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# Punctuation ending a part that belongs to the sentence around the quote, not to the
# remark: the comma before "he said" (inside or outside the closing mark), a colon, a
# dash, a semicolon. A final . ? ! … ends the remark's own sentence and is kept.
_TRAILING_RE = re.compile(r"[\s,;:—–-]+$")
_COMMA_IN_CLOSE_RE = re.compile(r"[,;:]+(?=[\"”’»']+$)")
SPLIT_JOINER = " … "


def content_of(text: str, parts: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """The quoted words of ``parts``: each part without sentence punctuation, joined by " … ".

    Args:
        text: the article text.
        parts: the content spans of one quote, in order.

    Returns:
        The display text of the quote (``Quote.content``).
    """
    out = []
    for a, b in parts:
        piece = _TRAILING_RE.sub("", text[a:b].strip())
        piece = _COMMA_IN_CLOSE_RE.sub("", piece)  # 'a "change agent,"' -> 'a "change agent"'
        piece = re.sub(r"\s+", " ", piece)
        if piece:
            out.append(piece)
    return SPLIT_JOINER.join(out)
