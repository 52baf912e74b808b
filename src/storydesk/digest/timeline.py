"""The story timeline: dated events, each with the articles that report it.

Events come from the claims whose proposition carries a calendar date (the analyze
stage's date mentions, relative expressions already resolved against each article's
publication date: "On Thursday" in a Friday 8 Nov article is 2024-11-07), and from
remarks that several outlets quote with the day they were said. The same event reported
by several outlets is one entry: same date and the same claim group, or, failing that,
most of their content words in common.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from storydesk.compare.story import StoryComparison
from storydesk.compare.textutil import content_stems
from storydesk.records import Article, ArticleFacts, Claim, DateMention, Span, TimelineEvent

__all__ = ["build_timeline", "timeline_to_dicts"]

# Share of content words two same-day statements need in common to be one event when no
# claim group joins them (Dice over stems). Set on the samples.
MERGE_OVERLAP = 0.45
# Precisions that place an event on the calendar well enough to list it. Years, seasons
# and decades are background ("served from 2017-2021"), not the story's events.
_PRECISIONS = ("day", "time", "week", "month")
_RANK = {p: i for i, p in enumerate(("time", "day", "week", "month", "season", "quarter", "year"))}


@dataclass
class _Candidate:
    when: date
    precision: str
    text: str
    article_id: str
    span: Span
    group: str | None
    stems: frozenset[str]
    published: date | None
    members: list["_Candidate"] = field(default_factory=list)


def build_timeline(items: Sequence[tuple[Article, ArticleFacts | None]], comparison: StoryComparison,
                   *, max_events: int = 40) -> list[TimelineEvent]:
    """Dated events of a story, merged across outlets, in date order.

    Args:
        items: the story's ``(article, facts)`` pairs (facts give the date mentions).
        comparison: the story's comparison (claims, claim groups, quote groups).
        max_events: cap on events (the most widely reported are kept).

    Returns:
        :class:`~storydesk.records.TimelineEvent` items; ``text`` is the event as the
        earliest article stated it, ``article_ids`` every article reporting it, ``spans``
        where.
    """
    group_of = {cid: g.id for g in comparison.claim_groups for cid in g.claim_ids}
    cands: list[_Candidate] = []
    for article, facts in items:
        if facts is None:
            continue
        claims = comparison.claims.get(article.id, ())
        dates = [d for d in facts.dates if d.value is not None and d.kind in ("date", "time")
                 and d.precision in _PRECISIONS]
        for c in claims:
            d = _event_date(c, dates, article.text)
            if d is None:
                continue
            text = _event_text(c, article.text)
            cands.append(_Candidate(d.value, d.precision or "day", text, article.id,
                                    Span(article.id, c.start, c.end, c.text, article.outlet, c.attributed_to, c.said_on),
                                    group_of.get(c.id), frozenset(content_stems(text)), article.published))
    # Remarks quoted by several outlets, on the day they were said.
    for g in comparison.quote_groups:
        arts = {m.article_id for m in g.members}
        if g.said_on is None or len(arts) < 2:
            continue
        first = g.members[0]
        text = f"{g.speaker or 'Someone'}: \u201c{first.text.strip()}\u201d"
        c = _Candidate(g.said_on, "day", text, first.article_id, first, g.id, frozenset(content_stems(first.text)), None)
        c.members = [_Candidate(g.said_on, "day", text, m.article_id, m, g.id, c.stems, None) for m in g.members[1:]]
        cands.append(c)

    events: list[_Candidate] = []
    for c in sorted(cands, key=lambda c: (c.when, _RANK.get(c.precision, 9), c.published or date.max, c.article_id)):
        for e in events:
            if e.when == c.when and e.precision == c.precision and (
                    (c.group is not None and c.group == e.group) or _dice(c.stems, e.stems) >= MERGE_OVERLAP):
                e.members.append(c)
                e.members.extend(c.members)
                break
        else:
            events.append(c)
    out = []
    for e in events:
        everyone = [e] + e.members
        ids = tuple(dict.fromkeys(m.article_id for m in everyone))
        out.append(TimelineEvent(e.when, e.precision, e.text, ids, tuple(m.span for m in everyone)))
    if len(out) > max_events:
        keep = sorted(out, key=lambda t: -len(t.article_ids))[:max_events]
        out = [t for t in out if t in keep]
    return out


# A date after these words bounds an event rather than dating it: "had any contact after
# November 5" did not happen on 5 November.
_BOUND_RE = re.compile(r"\b(?:after|since|before|until|till|by|from|prior to|as of|through|beyond|later than)\s+(?:the\s+)?$", re.I)


def _event_date(c: Claim, dates: list[DateMention], text: str = "") -> DateMention | None:
    """The date a claim's proposition is about (not the day its attribution was said).

    "On Thursday, ... Putin congratulated Trump" -> Thursday. For "X said on Friday that
    Y", the date inside Y if any, else the remark's day is not an event date. A date that
    bounds the event ("after November 5", "until January") is not its date.
    """
    lo = c.content_start if c.content_start is not None else c.start
    hi = c.content_end if c.content_end is not None else c.end
    dates = [d for d in dates if not _BOUND_RE.search(text[max(0, d.start - 16):d.start])]
    inside = [d for d in dates if lo <= d.start and d.end <= hi]
    if not inside and c.content_start is None:
        inside = [d for d in dates if c.start <= d.start and d.end <= c.end]
    if not inside:
        return None
    return min(inside, key=lambda d: (_RANK.get(d.precision or "year", 9), d.start))


def _event_text(c: Claim, text: str) -> str:
    if c.content_start is not None and c.content_end is not None and c.attributed_to and not c.denies:
        body = text[c.content_start:c.content_end].strip()
        return f"{c.attributed_to}: {body}"
    return c.text.strip()


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def timeline_to_dicts(events: Sequence[TimelineEvent]) -> list[dict]:
    """The contract shape: ``[{date, text, article_ids}]`` (plus ``precision`` and ``spans``)."""
    from storydesk.records import timex_value

    return [
        {
            "date": timex_value(e.date, e.precision),
            "text": e.text,
            "article_ids": list(e.article_ids),
            "precision": e.precision,
            "spans": [{"article_id": s.article_id, "start": s.start, "end": s.end, "text": s.text} for s in e.spans],
        }
        for e in events
    ]
