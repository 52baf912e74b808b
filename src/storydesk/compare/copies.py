"""Paragraph-level copy detection between the articles of a story.

"Outlet B's paragraph is outlet A's, lightly edited": two paragraphs share most of their
word 5-grams. Containment (shared shingles over the smaller paragraph's) rather than
Jaccard, so a paragraph copied and extended still counts. The earlier-published article is
the original; on the same day (or without dates) the direction is not claimed
(``basis="same-day"``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from storydesk.compare.textutil import words
from storydesk.records import Article, Span

__all__ = ["PassageCopy", "find_copies"]

# Word n-gram size and the containment above which a paragraph is a copy. 5-grams are
# the usual choice for near-duplicate text (datasketch's examples, news copy detection);
# 0.5 keeps "lightly edited" copies and drops paragraphs that merely share a quote.
SHINGLE = 5
CONTAINMENT = 0.5
MIN_WORDS = 12


@dataclass(frozen=True, slots=True)
class PassageCopy:
    """A passage of ``copy.article_id`` that repeats one of ``original.article_id``.

    Attributes:
        copy, original: the two paragraphs (spans slice their articles' texts).
        similarity: shared 5-grams over the smaller paragraph's.
        basis: ``published-earlier`` when the original was published first, ``same-day``
            when the dates do not order them (the direction is then arbitrary).
    """

    copy: Span
    original: Span
    similarity: float
    basis: str


def _paragraphs(a: Article) -> list[tuple[int, int]]:
    if a.paragraphs:
        return [(p.start, p.end) for p in a.paragraphs]
    out, start = [], 0
    for part in a.text.split("\n\n"):
        out.append((start, start + len(part)))
        start += len(part) + 2
    return out


def _shingles(text: str) -> set[int]:
    w = words(text)
    if len(w) < SHINGLE:
        return set()
    return {int.from_bytes(hashlib.blake2b(" ".join(w[i:i + SHINGLE]).encode(), digest_size=8).digest(), "big")
            for i in range(len(w) - SHINGLE + 1)}


def find_copies(articles: Sequence[Article], *, containment: float = CONTAINMENT) -> list[PassageCopy]:
    """Paragraphs of one article that repeat a paragraph of another.

    Args:
        articles: the story's articles.
        containment: shared-shingle share above which a paragraph is a copy.

    Returns:
        Copies, one per (copy paragraph, original paragraph), strongest first.
    """
    paras = []  # (article index, start, end, shingles)
    index: dict[int, list[int]] = defaultdict(list)
    for ai, a in enumerate(articles):
        for s, e in _paragraphs(a):
            text = a.text[s:e]
            if len(words(text)) < MIN_WORDS:
                continue
            sh = _shingles(text)
            if not sh:
                continue
            pi = len(paras)
            paras.append((ai, s, e, sh))
            for h in sh:
                index[h].append(pi)
    out = []
    seen = set()
    for pi, (ai, s, e, sh) in enumerate(paras):
        counts: dict[int, int] = defaultdict(int)
        for h in sh:
            for pj in index[h]:
                if paras[pj][0] != ai:
                    counts[pj] += 1
        for pj, shared in counts.items():
            if (min(pi, pj), max(pi, pj)) in seen:
                continue
            aj, s2, e2, sh2 = paras[pj]
            sim = shared / min(len(sh), len(sh2))
            if sim < containment:
                continue
            seen.add((min(pi, pj), max(pi, pj)))
            a, b = articles[ai], articles[aj]
            if a.published and b.published and a.published != b.published:
                basis = "published-earlier"
                if a.published < b.published:
                    orig, copy = (a, s, e), (b, s2, e2)
                else:
                    orig, copy = (b, s2, e2), (a, s, e)
            else:
                basis = "same-day"
                orig, copy = sorted([(a, s, e), (b, s2, e2)], key=lambda t: t[0].id)
            out.append(PassageCopy(
                copy=Span(copy[0].id, copy[1], copy[2], copy[0].text[copy[1]:copy[2]], copy[0].outlet),
                original=Span(orig[0].id, orig[1], orig[2], orig[0].text[orig[1]:orig[2]], orig[0].outlet),
                similarity=round(sim, 3),
                basis=basis,
            ))
    out.sort(key=lambda c: (-c.similarity, c.copy.article_id, c.copy.start))
    return out
