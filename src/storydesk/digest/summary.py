"""The cited summary: a few sentences from the story's articles, each citing its support.

Extractive on purpose: every sentence is printed as one article printed it, so the
citation is checkable. Sentences are chosen from the claim groups with the broadest
support (a proposition three outlets carry before one only one carries); a contested
group is followed by the statement that contests it, and both are marked ``contested``.
The article leads fill the remaining places, skipping anything already said.
"""

from __future__ import annotations

import re
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
        if not _self_contained(c, articles):
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
        # A report embedded in a sentence ("Peskov dismissed media reports claiming that
        # X") is printed as that sentence: it says who claims X, and who denies it.
        whole = _enclosing(rep, comparison.claims.get(rep.article_id, ()))
        answered = whole is not None and whole.denies
        spans = [m for m in g.members if m.article_id in carriers]
        denials = [claims[cid] for cid in g.claim_ids if cid in claims and claims[cid].denies]
        if g.contested and denials and not answered and len(chosen) + 2 > max_sentences:
            continue  # a contested point goes in with its denial or not at all
        if not add(whole or rep, carriers, contested=g.contested, by=against if g.contested else (), spans=spans):
            continue
        if answered:
            continue
        readable = [d for d in denials if len(content_stems(d.text)) >= 3 and len(d.text) <= MAX_CHARS
                    and _self_contained(d, articles)]
        if g.contested and readable:
            d = min(readable, key=lambda d: (not _names_speaker(d), _representative_key(d, articles)))
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


def _enclosing(c: Claim, claims: Sequence[Claim]) -> Claim | None:
    """The sentence claim a clause claim sits in, when it is only part of one."""
    best = None
    for o in claims:
        if o.id != c.id and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start):
            if best is None or (o.end - o.start) > (best.end - best.start):
                best = o
    return best


def _representative_key(c: Claim, articles: dict[str, Article]) -> tuple:
    a = articles.get(c.article_id)
    return (c.attributed_to is not None, c.hedged, len(c.text) > 240,
            (a.published if a and a.published else date.max), len(c.text))


def _representative(claims: list[Claim], articles: dict[str, Article]) -> Claim:
    """The plainest version: an outlet's own sentence, early, short enough to read."""
    return min(claims, key=lambda c: _representative_key(c, articles))


# Openings that lean on the sentence before ("This is pure fiction", "He added ...").
_ANAPHORIC_OPENING = re.compile(r"^[\"“”'‘’«»\s]*(?:this|that|these|those|it|it's|he|she|they|his|her|their|such)\b", re.I)


def _self_contained(c: Claim, articles: dict[str, Article]) -> bool:
    """Can the sentence be read alone? Not when it opens on an anaphor, continues a quote
    begun in an earlier sentence, or is a denial that names nothing it denies ("The
    information is unreliable," the spokesperson confirmed)."""
    if _ANAPHORIC_OPENING.match(c.text):
        return False
    a = articles.get(c.article_id)
    if a is not None:
        from storydesk.compare.claims import _has_proposition

        if c.denies and not _has_proposition(c, a.text):
            return False
        if c.quote_id and _continues_quote(a.text, c.start):
            return False
    return True


def _continues_quote(text: str, start: int) -> bool:
    """The sentence at ``start`` is the second or later sentence of a quotation."""
    before = text[max(0, start - 400):start]
    opened = sum(before.count(q) for q in "“«") - sum(before.count(q) for q in "”»")
    straight = before[before.rfind("\n") + 1:].count('"')
    return opened > 0 or straight % 2 == 1 and not text[start - 1:start] == '"'


def _names_speaker(c: Claim) -> bool:
    """The sentence says who speaks ("Peskov dismissed ...", "..., Peskov said")."""
    if not c.attributed_to:
        return False
    last = c.attributed_to.split()[-1]
    return last.lower() in c.text.lower()


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
