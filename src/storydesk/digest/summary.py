"""The cited summary: a few sentences from the story's articles, each citing its support.

Extractive on purpose: every sentence is printed as one article printed it, so the
citation is checkable. Sentences are chosen from the claim groups with the broadest
support (a proposition three outlets carry before one only one carries); a contested
group is followed by the statement that contests it, and both are marked ``contested``.
The article leads fill the remaining places, skipping anything already said.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storydesk.compare.story import StoryComparison
from storydesk.compare.textutil import content_stems
from storydesk.records import Article, ArticleFacts, Claim, ClaimGroup, Span, SummarySentence

__all__ = ["build_summary", "summary_to_dicts"]

# Content-word overlap (Dice) above which a candidate repeats a sentence already chosen.
REDUNDANT = 0.5
# Sentences longer than this are poor summary material (run-on paragraphs from scraped text).
MAX_CHARS = 320


def build_summary(items: Sequence[tuple[Article, ArticleFacts | None]], comparison: StoryComparison,
                  *, max_sentences: int = 6) -> list[SummarySentence]:
    """A short extractive summary in which every sentence cites the articles supporting it.

    Args:
        items: the story's ``(article, facts)`` pairs.
        comparison: the story's comparison.
        max_sentences: at most this many sentences (3-6 reads well).

    Returns:
        :class:`~storydesk.records.SummarySentence` items in reading order.
    """
    articles = {a.id: a for a, _ in items}
    claims = {c.id: c for cs in comparison.claims.values() for c in cs}
    chosen: list[SummarySentence] = []
    said: list[frozenset[str]] = []

    def add(c: Claim, cited: Sequence[str], *, contested: bool = False, by: Sequence[str] = (),
            spans: Sequence[Span] = ()) -> bool:
        stems = frozenset(content_stems(c.text))
        if len(c.text) > MAX_CHARS or len(stems) < 3 or any(_dice(stems, s) >= REDUNDANT for s in said):
            return False
        ids = tuple(dict.fromkeys(cited))
        chosen.append(SummarySentence(
            text=c.text.strip(), article_ids=ids,
            outlets=tuple(articles[i].outlet if i in articles else None for i in ids),
            contested=contested, contested_by=tuple(dict.fromkeys(by)),
            spans=tuple(spans) or (Span(c.article_id, c.start, c.end, c.text, _outlet(articles, c.article_id), c.attributed_to),)))
        said.append(stems)
        return True

    for g in sorted(comparison.claim_groups, key=lambda g: (-_support(g), not g.contested, g.id)):
        if len(chosen) >= max_sentences:
            break
        carriers = [aid for aid, st in g.stances.items() if st in ("supports", "discusses")]
        against = [aid for aid, st in g.stances.items() if st in ("contradicts", "discusses")]
        support = [claims[cid] for cid in g.claim_ids if cid in claims and claims[cid].article_id in carriers
                   and not claims[cid].denies]
        if not support:
            continue
        rep = _representative(support, articles)
        spans = [m for m in g.members if m.article_id in carriers]
        denials = [claims[cid] for cid in g.claim_ids if cid in claims and claims[cid].denies]
        if g.contested and denials and len(chosen) + 2 > max_sentences:
            continue  # a contested point goes in with its denial or not at all
        if not add(rep, carriers, contested=g.contested, by=against if g.contested else (), spans=spans):
            continue
        readable = [d for d in denials if len(content_stems(d.text)) >= 3 and len(d.text) <= MAX_CHARS]
        if g.contested and readable:
            d = _representative(readable, articles)
            add(d, sorted({x.article_id for x in denials}), contested=True, by=carriers)
    # Leads fill the rest: each article's first statement, earliest articles first.
    order = sorted(articles.values(), key=lambda a: (a.published or date.max, a.id))
    for a in order:
        if len(chosen) >= max_sentences:
            break
        for c in comparison.claims.get(a.id, ())[:3]:
            if add(c, [a.id]):
                break
    return chosen


def _support(g: ClaimGroup) -> int:
    return sum(st in ("supports", "discusses") for st in g.stances.values())


def _representative(claims: list[Claim], articles: dict[str, Article]) -> Claim:
    """The plainest version: an outlet's own sentence, early, short enough to read."""
    def key(c: Claim):
        a = articles.get(c.article_id)
        return (c.attributed_to is not None, c.hedged, len(c.text) > 240,
                (a.published if a and a.published else date.max), len(c.text))

    return min(claims, key=key)


def _outlet(articles: dict[str, Article], aid: str) -> str | None:
    a = articles.get(aid)
    return a.outlet if a else None


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def summary_to_dicts(items: Sequence[SummarySentence]) -> list[dict]:
    """The contract shape: ``[{text, article_ids}]`` (plus outlets, contested, spans)."""
    return [
        {
            "text": s.text,
            "article_ids": list(s.article_ids),
            "outlets": list(s.outlets),
            "contested": s.contested,
            "contested_by": list(s.contested_by),
            "spans": [{"article_id": x.article_id, "start": x.start, "end": x.end} for x in s.spans],
        }
        for s in items
    ]
