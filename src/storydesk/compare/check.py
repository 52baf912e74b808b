"""Checking a claim a user types against articles: the fact-checker's entry point.

:func:`check_claim` reads the typed claim with the same machinery as the story comparison
(analysis for its entities and dates, a statement, alignment and verdicts against every
statement of each article) and gives each article a stance:

* ``supports``: the article carries the claim (in its own voice, or reporting a source
  without distancing itself) and nothing against it;
* ``contradicts``: the article carries only statements against it (a denial, the
  opposite, a conflicting number or date);
* ``discusses``: the article reports both sides (in the samples, gazzeta.in.ua reports the
  Washington Post's claim of a Putin-Trump call *and* Peskov's denial: it takes no side
  in its own voice, so it discusses the claim rather than contradicting it), or carries
  the claim only as a hedged report ("allegedly"), or only an update of it;
* ``unrelated``: nothing in it states the claim or its negation.

Each result has a score and the sentences that decided it (spans that slice the article's
text). :func:`candidate_query` builds the SQLite FTS5 query that finds candidate articles.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from storydesk.compare import textutil
from storydesk.compare.claims import extract_claims
from storydesk.compare.embed import SentenceEncoder
from storydesk.compare.relate import CompareSettings, Relation, alignment, relate
from storydesk.compare.statements import Statement, build_statements
from storydesk.records import Article, ArticleFacts, Claim, Span, StanceResult

log = logging.getLogger(__name__)

__all__ = ["candidate_query", "check_claim", "stance_to_dict"]

# Best alignment under which an article with no verdict is "unrelated" rather than
# "discusses" (it shares the topic but states neither the claim nor its negation). On the
# samples the articles that never mention the Nov 7 call score 0.2-0.45 against it.
DISCUSS_ALIGN = 0.5
CLAIM_ID = "claim"

# Words that stand for the same kind of event in a search ("spoke by phone" finds "call").
_QUERY_SYNONYMS = {
    "phone": ("call", "conversation", "spoke", "talk", "talked"),
    "call": ("phone", "conversation", "spoke", "talk"),
    "spoke": ("call", "phone", "conversation", "talk", "talked"),
    "speak": ("call", "phone", "conversation", "talk"),
    "talk": ("call", "phone", "conversation", "spoke"),
    "killed": ("dead", "died", "death", "toll"),
    "dead": ("killed", "died", "death", "toll"),
    "died": ("killed", "dead", "death", "toll"),
    "injured": ("wounded", "hurt", "injuries"),
    "wounded": ("injured", "hurt", "injuries"),
    "met": ("meeting", "meet", "summit"),
    "meeting": ("met", "meet", "summit"),
    "congratulated": ("congratulate", "congratulations"),
    "denied": ("deny", "denial", "denies"),
    "arrested": ("arrest", "detained"),
}


def candidate_query(claim_text: str, *, max_terms: int = 16) -> str:
    """An FTS5 query (``store.search``) that finds articles likely to discuss a claim.

    An OR of the claim's salient terms: names and numbers are listed twice (FTS5's bm25
    sums over the query's phrases, so they weigh double), content words once with a prefix
    form for long words (the store's ``unicode61`` tokenizer does not stem), plus a few
    synonyms for common news events ("spoke by phone" also finds "call").

    Args:
        claim_text: the claim as typed.
        max_terms: cap on distinct terms.

    Returns:
        The query string ("" when the claim has no searchable word).
    """
    tokens = re.findall(r"[^\W_]+(?:['’][^\W_]+)?", claim_text)
    names, numbers, words = [], [], []
    for i, tok in enumerate(tokens):
        low = tok.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if tok.isdigit():
            numbers.append(low)
        elif tok[:1].isupper() and (i > 0 or low not in textutil.lexicon.STOPWORDS) and low not in textutil.lexicon.STOPWORDS:
            names.append(low)
        elif low not in textutil.lexicon.STOPWORDS and len(low) > 2:
            words.append(low)
    terms: list[str] = []

    def add(term: str) -> None:
        if term and term not in terms and len(terms) < max_terms:
            terms.append(term)

    for n in dict.fromkeys(names):
        add(f'"{n}"')
    for n in dict.fromkeys(numbers):
        add(f'"{n}"')
    for w in dict.fromkeys(words):
        add(f'"{w}"')
        if len(w) >= 7:
            # Quoted: a bare prefix with an apostrophe (d'ale*) is not valid FTS5 syntax.
            add(f'"{w[:5]}"*')
        for syn in _QUERY_SYNONYMS.get(w, ()):
            add(f'"{syn}"')
    # Names and numbers again: double weight in bm25.
    heavy = [f'"{n}"' for n in dict.fromkeys(names + numbers)]
    parts = terms + [h for h in heavy if h in terms]
    return " OR ".join(parts)


def _claim_article(claim_text: str, today: date | None) -> tuple[Article, ArticleFacts | None, list[str]]:
    """The typed claim as a one-sentence article, analysed like any other."""
    from storydesk import models

    notes: list[str] = []
    language = "en"
    try:
        detector = models.language_detector()
        lang = detector.detect_language_of(claim_text)
        if lang is not None:
            language = lang.iso_code_639_1.name.lower()
    except models.ModelUnavailable as exc:
        notes.append(f"language detection unavailable ({exc}): the claim is read as English")
    text = claim_text.strip()
    article = Article(id=CLAIM_ID, source="claim", text=text, published=today, language=language)
    facts = None
    try:
        from storydesk.analyze import analyze_articles

        facts = analyze_articles([article])[0]
    except Exception as exc:  # pragma: no cover - analysis is a sibling stage; degrade honestly
        notes.append(f"the claim could not be analysed ({exc}): compared by words only")
    return article, facts, notes


def _claim_record(article: Article, facts: ArticleFacts | None) -> Claim:
    """One claim spanning the whole typed text (users type one proposition)."""
    found = extract_claims(article, facts)
    text = article.text
    ents = tuple(dict.fromkeys(e.entity_id for e in (facts.entities if facts else ())))
    event = next((d.value for d in (facts.dates if facts else ())
                  if d.value is not None and d.precision in ("day", "time")), None)
    neg = bool(textutil.negations(text))
    base = found[0] if found else None
    return Claim(
        id=f"{CLAIM_ID}:c:0-{len(text)}",
        attributed_to="the claim checked",
        article_id=CLAIM_ID,
        start=0,
        end=len(text),
        text=text,
        polarity="negative" if neg else "positive",
        hedged=bool(textutil.hedge_cues(text)),
        event_date=event if event else (base.event_date if base else None),
        entity_ids=ents,
        numbers=tuple(n.text for n in textutil.numbers(text)),
        denies=bool(textutil.denial_cues(text)),
    )


def check_claim(
    claim_text: str,
    items: Sequence[tuple[Article, ArticleFacts | None]],
    *,
    today: date | None = None,
    encoder: SentenceEncoder | None = None,
    settings: CompareSettings = CompareSettings(),
) -> list[StanceResult]:
    """Each article's stance on a claim a user typed.

    Args:
        claim_text: the claim ("Putin and Trump spoke by phone on November 7").
        items: candidate ``(article, facts)`` pairs (facts may be None).
        today: the date relative expressions in the claim resolve against ("yesterday").
        encoder: sentence encoder (default: a new one).
        settings: thresholds (the story comparison's).

    Returns:
        One :class:`~storydesk.records.StanceResult` per article, in input order.

    Raises:
        ValueError: the claim is empty.
    """
    if not claim_text or not claim_text.strip():
        raise ValueError("check_claim needs a non-empty claim")
    encoder = encoder if encoder is not None else SentenceEncoder()
    c_article, c_facts, notes = _claim_article(claim_text, today)
    user = _claim_record(c_article, c_facts)
    per_article = [(c_article, c_facts, (user,))]
    for a, f in items:
        claims = f.claims if (f is not None and f.claims) else extract_claims(a, f)
        per_article.append((a, f, claims))
    stmts, parse_notes = build_statements(per_article)
    notes.extend(parse_notes)
    al = alignment(stmts, encoder, settings)
    notes.extend(encoder.notes)
    u = stmts[0]
    by_article: dict[str, list[Statement]] = {}
    for s in stmts[1:]:
        by_article.setdefault(s.article_id, []).append(s)
    out = []
    for a, _ in items:
        out.append(_stance(u, by_article.get(a.id, []), a, al, settings, notes))
    return out


def _stance(u: Statement, stmts: list[Statement], article: Article, al, settings: CompareSettings,
            notes: list[str]) -> StanceResult:
    rels: list[tuple[Relation, Statement]] = []
    for s in stmts:
        r = relate(u, s, al, settings)
        if r is not None:
            rels.append((r, s))
    best_align = max((float(al.score[u.index, s.index]) for s in stmts), default=0.0)
    pro = [(r, s) for r, s in rels if r.kind == "agree"]
    con = [(r, s) for r, s in rels if r.kind in ("denial", "conflict")]
    upd = [(r, s) for r, s in rels if r.kind == "superseded"]
    reasons: list[str] = []
    if pro and con:
        stance = "discusses"
        score = (max(r.score for r, _ in pro) + max(r.score for r, _ in con)) / 2
        reasons.append("reports the claim and statements against it")
        chosen = _top(pro, 2) + _top(con, 2)
    elif con:
        stance, score, chosen = "contradicts", max(r.score for r, _ in con), _top(con, 3)
    elif pro:
        distanced = all(s.hedged for _, s in pro)
        stance = "discusses" if distanced else "supports"
        score = max(r.score for r, _ in pro)
        if distanced:
            reasons.append("carries the claim only as a hedged report")
        chosen = _top(pro, 3)
    elif upd:
        stance, score, chosen = "discusses", max(r.score for r, _ in upd), _top(upd, 2)
        reasons.append("carries an earlier or later version of the claim")
    else:
        stance = "unrelated"
        score = best_align
        chosen = []
        if best_align >= DISCUSS_ALIGN:
            stance = "discusses"
            near = max(stmts, key=lambda s: al.score[u.index, s.index])
            chosen = [(Relation("agree", u.index, near.index, best_align, best_align, ()), near)]
            reasons.append(f"closest statement aligns {best_align:.2f} but states neither the claim nor its negation")
    for r, s in chosen:
        for ev in r.evidence:
            reasons.append(f"{_label(r, s)}: {ev}")
    reasons.extend(notes)
    evidence = tuple(
        Span(s.article_id, s.claim.start, s.claim.end, s.claim.text, article.outlet, s.claim.attributed_to,
             s.claim.said_on)
        for _, s in chosen
    )
    return StanceResult(article.id, stance, round(float(score), 3), evidence, tuple(dict.fromkeys(reasons)))


def _top(rels: list[tuple[Relation, Statement]], k: int) -> list[tuple[Relation, Statement]]:
    return sorted(rels, key=lambda t: -t[0].score)[:k]


def _label(r: Relation, s: Statement) -> str:
    who = s.claim.attributed_to or (s.outlet or "the article")
    return f"{r.kind} ({who})"


def stance_to_dict(r: StanceResult, *, with_article_id: bool = True) -> dict[str, Any]:
    """The JSON of ``storydesk check``: ``{article_id?, stance, score, evidence: [{text, start, end}], reasons}``.

    Args:
        r: a stance result.
        with_article_id: False for ``check --article FILE`` (one article not in the store).
    """
    out: dict[str, Any] = {}
    if with_article_id:
        out["article_id"] = r.article_id
    out["stance"] = r.stance
    out["score"] = r.score
    out["evidence"] = [
        {"text": e.text, "start": e.start, "end": e.end, "attributed_to": e.attributed_to} for e in r.evidence
    ]
    out["reasons"] = list(r.reasons)
    return out
