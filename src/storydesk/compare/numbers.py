"""Numbers in comparison: which statements count the same quantity, and do the counts clash?

A toll is restated in few shared words ("At least 50 dead" / "59 people were killed"), so
statements that count the same kind of quantity (killed, injured, taken to hospital,
floor) in the same unit are compared at a lower alignment than other statements
(:func:`quantity_pairs`). :func:`number_clash` then reads the two counts: incompatible
intervals, or different but compatible figures; counts of another year or place, parts
of a total ("20 of those injured") and counts qualified by severity ("eight seriously
injured") are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydesk.compare.statements import Statement

__all__ = ["increases", "number_clash", "off_story", "places_differ", "quantity_pairs"]


def quantity_pairs(stmts: Sequence[Statement], score, floor: float) -> set[tuple[int, int]]:
    """Pairs of statements in different articles that count the same kind of quantity in
    the same unit, aligned at least ``floor``."""
    by_key: dict[tuple[str, str], list[int]] = {}
    for s in stmts:
        for k in {(q.kind, q.number.unit) for q in s.quantities if q.kind is not None}:
            by_key.setdefault(k, []).append(s.index)
    out = set()
    for idx in by_key.values():
        if len(idx) > 300:
            continue
        for k, i in enumerate(idx):
            for j in idx[k + 1:]:
                if i != j and stmts[i].article_id != stmts[j].article_id and score[i, j] >= floor:
                    out.add((min(i, j), max(i, j)))
    return out


_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")


def off_story(s: Statement) -> bool:
    """A statement about another time than the story's: it names another year ("between
    March 2015 and March 2016" in a 2016 article, "since the 1950s") or dates its event
    weeks before the article ("in Orlando on June 12 last year")."""
    pub = s.article.published
    if pub is None:
        return False
    if any(int(m.group(1)) != pub.year for m in _YEAR_RE.finditer(s.claim.text)):
        return True
    ev = s.claim.event_date
    return ev is not None and (pub - ev).days > 14


def places_differ(x: Statement, y: Statement) -> bool:
    """Each names a place the other's sentence does not ("Orlando" / "Las Vegas")."""
    px = {en.entity_id for en in x.sentence_mentions if en.label == "PLACE"}
    py = {en.entity_id for en in y.sentence_mentions if en.label == "PLACE"}
    return bool(px - py) and bool(py - px) and not (px & py)


def number_clash(x: Statement, y: Statement) -> tuple[str, str, object, object] | None:
    """``("incompatible", why, qx, qy)`` for two numbers of one quantity that cannot both
    hold, ``("different", why, qx, qy)`` for different but compatible ones ("at least 50" /
    "59"), else None."""
    if off_story(x) or off_story(y) or places_differ(x, y):
        return None  # another year's figures, another place's
    found = None
    for qx in x.quantities:
        if qx.kind is None or _part_of(x, qx):
            continue
        for qy in y.quantities:
            if qy.kind != qx.kind or qx.number.unit != qy.number.unit or _part_of(y, qy):
                continue
            if qx.noun and qy.noun and qx.noun != qy.noun:
                continue  # "10 children" and "84 people" count different things
            if _increment(x, qx) or _increment(y, qy):
                continue  # "an additional 328 emails" is not the total
            if _severity(x, qx) != _severity(y, qy):
                continue  # "eight seriously injured" is not all the injured
            what = f"'{qx.kind}': {qx.number.text} vs {qy.number.text}"
            if not qx.number.compatible(qy.number):
                return "incompatible", f"different numbers for {what}", qx, qy
            if qx.number.value != qy.number.value and found is None:
                found = ("different", f"different figures for {what}", qx, qy)
    return found


_PART_RE = re.compile(r"^\s*(?:of\s+(?:whom|them|those|these|the)|of\s+those|were\s+among)\b", re.I)
_SEVERITY_RE = re.compile(
    r"\b(?:serious(?:ly)?|critical(?:ly)?|life-threatening|grave(?:ly)?|severe(?:ly)?|minor|slight(?:ly)?|"
    r"walking wounded|light(?:ly)?|moderate(?:ly)?)\b", re.I)


def _part_of(s: Statement, q) -> bool:
    """"20 of those injured", "four of whom": a part of another count, not a total."""
    return bool(_PART_RE.match(s.article.text[q.number.end:q.number.end + 20]))


def _severity(s: Statement, q) -> str | None:
    """The severity a count is qualified with ("eight seriously injured"), if any."""
    window = s.article.text[max(s.claim.start, q.number.start - 20):min(s.claim.end, q.number.end + 40)]
    m = _SEVERITY_RE.search(window)
    return m.group(0).lower().rstrip("ly")[:6] if m else None


def increases(early, late) -> bool:
    """The later count replaces the earlier: it lies above it ("at least 50" -> "59"),
    not merely around it ("51" -> "more than 50")."""
    return late.number.low >= early.number.value and late.number.value > early.number.value


def _increment(s: Statement, q) -> bool:
    before = s.article.text[max(0, q.number.start - 16):q.number.start].lower()
    return bool(re.search(r"\b(?:additional|another|more|extra|further|new)\s*$", before))
