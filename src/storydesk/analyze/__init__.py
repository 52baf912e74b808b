"""The analyze stage: sentences, entities (canonicalised), dates and quotes with speakers.

Entry point: :func:`analyze_articles`. It reads top-down like this docstring:

1. **Prepare** each article (no models): split it into blocks by paragraph language,
   sentences (rule-based for English, razdel for Russian), gazetteer and role matches,
   capitalised-name candidates; choose the few spans that need the NER model.
2. **Run the models once for the whole batch**: one spaCy ``nlp.pipe`` over the chosen
   English spans of every article (NER only), natasha NER over the chosen Russian
   spans. Parsing only what needs parsing is what makes the stage fast: spaCy's full
   pipeline runs ~3-4k words/s here, the stage as a whole far more (``bench/analysis_speed.py``).
3. **Finish** each article: propagate recognised names over the whole text, cluster and
   canonicalise entities, extract quotes with the rule grammars (English
   :mod:`~storydesk.analyze.quotes`, Russian :mod:`~storydesk.analyze.quotes_ru`),
   resolve speakers, find dates (:mod:`~storydesk.analyze.dates`) and date the remarks.

A paragraph in a language other than the article's is analysed by that language's
analyser (a Russian line in an English article goes to natasha, not spaCy), or left out
of entity/quote analysis when no analyser serves it. Articles in unserved languages get
``analysed=False``, an honest ``note``, sentences and dates.

``mode="full"`` runs NER over every sentence instead of the selection: slower, used by
the benchmarks to measure what the selection costs in quality.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from storydesk import models
from storydesk.analyze import segment
from storydesk.analyze.attribution import Attribution, content_of
from storydesk.analyze.entities import ArticleEntities
from storydesk.analyze.quotes import extract_quotes_en
from storydesk.analyze.speakers import date_remarks, resolve_speakers
from storydesk.records import Article, ArticleFacts, DateMention, Entity, Quote, Sentence

log = logging.getLogger(__name__)

__all__ = ["analyze_articles", "analyze_article", "select_ner_spans", "NER_BUDGET_WORDS"]

# Words of English text per article the NER model may read in windows around names no
# rule could type. Tuned on PolNeAR train (bench/analysis_speed.py prints both sides):
# at 60 words, mention recall against NER on every sentence is ~90 % (persons ~93 %)
# and NER costs ~6 ms of the stage's ~15 ms CPU per 600-word article; at 120 words
# recall gained ~3 points for ~2x the NER time.
NER_BUDGET_WORDS = 60
# Sentences at the start of the text read by the model when they hold an untyped name.
LEAD_SENTENCES = 2

# Articles prepared and sent to the models together (memory bound; spaCy batches 64).
CHUNK_ARTICLES = 256

_RUSSIAN = {"ru"}


@dataclass(slots=True)
class _Prep:
    """One article between the preparation and the finishing pass."""

    article: Article
    analysed: bool
    note: str | None
    sentences: list[tuple[int, int, str | None]]
    en_blocks: list[segment.Block] = field(default_factory=list)
    ru_blocks: list[segment.Block] = field(default_factory=list)
    ents: ArticleEntities | None = None
    typed: list[tuple[int, int, str, str]] = field(default_factory=list)
    en_spans: list[tuple[int, int]] = field(default_factory=list)
    ru_spans: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tokens: dict[int, list[segment.Token]] = field(default_factory=dict)  # block start -> tokens


def analyze_articles(
    articles: Sequence[Article],
    *,
    progress: Callable[[int], None] | None = None,
    mode: Literal["fast", "full"] = "fast",
) -> list[ArticleFacts]:
    """Analyse articles: sentences, canonical entities, dates and quotes with speakers.

    Args:
        articles: clean articles (``text`` with paragraphs separated by blank lines,
            ``paragraphs`` with per-paragraph languages, ``published``, ``language``).
        progress: called with the number of articles just finished (an increment), after
            each article.
        mode: ``fast`` (default) runs the NER model only on the spans that need it;
            ``full`` runs it over every sentence.

    Returns:
        One :class:`ArticleFacts` per article, in input order.

    Raises:
        TypeError: an item is not an :class:`Article`.
        ValueError: ``mode`` is not ``fast`` or ``full``.
    """
    if mode not in ("fast", "full"):
        raise ValueError(f"mode must be 'fast' or 'full', got {mode!r}")
    for a in articles:
        if not isinstance(a, Article):
            raise TypeError(f"analyze_articles needs Article records, got {type(a).__name__}")
    out: list[ArticleFacts] = []
    # Chunks bound memory (tokens and model inputs are held between the passes) while
    # keeping model batches large enough to amortise their per-call cost.
    for c0 in range(0, len(articles), CHUNK_ARTICLES):
        preps = [_prepare(articles[i], mode) for i in range(c0, min(len(articles), c0 + CHUNK_ARTICLES))]
        _run_english_ner(preps)
        _run_russian_ner(preps)
        for p in preps:
            out.append(_finish(p))
            if progress is not None:
                progress(1)
    return out


def analyze_article(article: Article, *, mode: Literal["fast", "full"] = "fast") -> ArticleFacts:
    """Analyse one article (convenience wrapper around :func:`analyze_articles`).

    Args:
        article: the clean article.
        mode: see :func:`analyze_articles`.

    Returns:
        Its :class:`ArticleFacts`.
    """
    return analyze_articles([article], mode=mode)[0]


# --------------------------------------------------------------------------- 1. prepare


def _prepare(article: Article, mode: str) -> _Prep:
    text = article.text
    blocks = segment.blocks(article)
    name, note = models.analyser_for(article.language)
    sentences = list(segment.iter_sentences(text, blocks))
    p = _Prep(article=article, analysed=name is not None, note=note, sentences=sentences)
    for b in blocks:
        lang = b.language or article.language
        if lang == "en":
            p.en_blocks.append(b)
        elif lang in _RUSSIAN:
            p.ru_blocks.append(b)
    if not p.analysed and not p.en_blocks and not p.ru_blocks:
        return p
    if p.ru_blocks and p.en_blocks and article.language == "en":
        p.notes.append("Russian paragraphs analysed with the Russian analyser")
    ents = ArticleEntities(text, article.id, article.published, title=article.title)
    p.ents = ents
    if p.en_blocks:
        en_sents = [(s, e) for s, e, lang in sentences if (lang or article.language) == "en"]
        starts = {s for s, _ in en_sents}
        untyped: list[tuple[int, int]] = []
        for b in p.en_blocks:
            ents.add_gazetteer(b.start, b.end)
            ents.add_roles(b.start, b.end)
        for b in p.en_blocks:
            toks = p.tokens[b.start] = segment.tokenize(text, b.start, b.end)
            typed, un = ents.candidates(toks, starts)
            p.typed.extend(typed)
            untyped.extend(un)
        p.en_spans = en_sents if mode == "full" else select_ner_spans(text, en_sents, untyped)
    if p.ru_blocks:
        ru_sents = [(s, e) for s, e, lang in sentences if (lang or article.language) in _RUSSIAN]
        p.ru_spans = ru_sents if mode == "full" else _select_ru_spans(text, ru_sents)
    return p


def select_ner_spans(text: str, sentences: list[tuple[int, int]], untyped: list[tuple[int, int]],
                     budget_words: int = NER_BUDGET_WORDS) -> list[tuple[int, int]]:
    """Choose the English text the NER model reads.

    The lead sentences always; then, in text order, a window of a few words around the
    first sighting of each capitalised name that neither the gazetteer nor the rules
    could type ("... said Kurt Volker, Trump's envoy ..."), until ``budget_words`` words
    are spent. Later sightings of a name the model typed are found by string matching,
    so one window per name suffices, and a window types a name nearly as well as its
    whole sentence at a third of the cost.

    Args:
        text: the article text.
        sentences: English sentence spans.
        untyped: spans of capitalised sequences with no type yet.
        budget_words: words the model may read beyond the lead.

    Returns:
        Non-overlapping spans, in text order.
    """
    # lead sentences only when they hold a name nothing else could type
    # A name worth the model: several words, or seen more than once. A one-off single
    # word ("Pinocchios") is not worth a model call; one that recurs is.
    counts: dict[str, int] = {}
    for s, e in untyped:
        counts[text[s:e]] = counts.get(text[s:e], 0) + 1
    untyped = [(s, e) for s, e in untyped if counts[text[s:e]] > 1 or " " in text[s:e]]
    chosen: list[tuple[int, int]] = [(a, b) for a, b in sentences[:LEAD_SENTENCES] if any(a <= s < b for s, _ in untyped)]
    lead_end = sentences[min(LEAD_SENTENCES, len(sentences)) - 1][1] if sentences else 0
    seen = {text[s:e] for s, e in untyped if s < lead_end and any(a <= s < b for a, b in chosen)}
    spent = 0
    si = 0
    for s, e in untyped:
        name = text[s:e]
        if name in seen or any(a <= s < b for a, b in chosen):
            continue
        seen.add(name)
        while si < len(sentences) and sentences[si][1] <= s:
            si += 1
        if si >= len(sentences):
            break
        a, b = sentences[si]
        ws = _word_back(text, s, a, NER_WINDOW_BEFORE)
        we = _word_forward(text, e, b, NER_WINDOW_AFTER)
        words = text.count(" ", ws, we) + 1
        if spent + words > budget_words:
            break
        spent += words
        if chosen and ws <= chosen[-1][1] and chosen[-1][0] >= lead_end:
            chosen[-1] = (chosen[-1][0], max(we, chosen[-1][1]))
        else:
            chosen.append((ws, we))
    return chosen


# Words of context either side of a name in its NER window (tuned on the samples and
# PolNeAR train: 4/3 keeps person recall within 1 point of whole sentences).
NER_WINDOW_BEFORE = 4
NER_WINDOW_AFTER = 3


def _word_back(text: str, pos: int, lo: int, n: int) -> int:
    for _ in range(n):
        k = text.rfind(" ", lo, pos - 1)
        if k < lo:
            return lo
        pos = k + 1
    return pos


def _word_forward(text: str, pos: int, hi: int, n: int) -> int:
    for _ in range(n):
        k = text.find(" ", pos + 1, hi)
        if k < 0:
            return hi
        pos = k
    return pos


def _select_ru_spans(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Russian sentences for NER: the lead and those with a capitalised word inside."""
    out = list(sentences[:LEAD_SENTENCES])
    spent = 0
    for s, e in sentences[LEAD_SENTENCES:]:
        body = text[s:e].split()[1:]
        if any(w[:1].isupper() for w in body):
            words = len(body) + 1
            if spent + words > NER_BUDGET_WORDS * 2:
                break
            spent += words
            out.append((s, e))
    return out


# --------------------------------------------------------------------------- 2. models


def _run_english_ner(preps: list[_Prep]) -> None:
    jobs = [(p.article.text, p.en_spans) for p in preps if p.en_spans]
    if not jobs:
        return
    try:
        from storydesk.analyze.nlp import EnglishNER

        ner = EnglishNER()
    except models.ModelUnavailable as exc:
        log.warning("English NER unavailable: %s", exc)
        for p in preps:
            if p.en_spans:
                p.notes.append(f"English NER model unavailable ({exc}); entities from gazetteer and rules only")
        return
    results = iter(ner.batch(jobs))
    for p in preps:
        if p.en_spans and p.ents is not None:
            p.ents.add_ner(next(results))


def _run_russian_ner(preps: list[_Prep]) -> None:
    if not any(p.ru_blocks for p in preps):
        return
    try:
        from storydesk.analyze.nlp import RussianNLP

        rnlp = RussianNLP()
    except models.ModelUnavailable as exc:
        log.warning("Russian analysis unavailable: %s", exc)
        for p in preps:
            if p.ru_blocks:
                p.notes.append(f"Russian paragraphs not analysed: {exc}")
                p.ru_blocks = []
        return
    from storydesk.analyze.russian import add_russian_entities

    todo = [p for p in preps if p.ru_blocks and p.ents is not None]
    spans = rnlp.ner_batch([(p.article.text, p.ru_spans) for p in todo])
    for p, ner in zip(todo, spans):
        add_russian_entities(p.ents, rnlp, p.ru_blocks, ner)


# --------------------------------------------------------------------------- 3. finish


def _finish(p: _Prep) -> ArticleFacts:
    a = p.article
    text = a.text
    sentences = tuple(Sentence(a.id, s, e, lang) for s, e, lang in p.sentences)
    dates = _dates(a, p)
    note = "; ".join([n for n in [p.note, *p.notes] if n]) or None
    if p.ents is None:
        return ArticleFacts(a.id, a.language, sentences=sentences, dates=dates, analysed=False if not p.analysed else True, note=note)
    ents = p.ents
    ents.add_typed(p.typed)
    ents.propagate([(b.start, b.end) for b in p.en_blocks], p.tokens)
    ents.finalize()
    quotes: list[Quote] = []
    extra: list[Entity] = []
    groups: list[tuple[list[Attribution], str]] = []
    if p.en_blocks:
        groups.append((extract_quotes_en(text, p.en_blocks, tokens=p.tokens), "en"))
    if p.ru_blocks:
        from storydesk.analyze.quotes_ru import extract_quotes_ru

        groups.append((extract_quotes_ru(text, p.ru_blocks), "ru"))
    for found, lang in groups:
        speakers, more = resolve_speakers(text, found, ents)
        extra.extend(more)
        said = date_remarks(text, found, speakers, dates, a.published)
        for att, sp, (day, basis) in zip(found, speakers, said):
            if not att.parts:
                continue
            start, end = att.start, att.end
            quotes.append(Quote(
                id=f"{a.id}:q:{start}-{end}", article_id=a.id, start=start, end=end, text=text[start:end],
                speaker=sp.name, speaker_id=sp.entity_id, speaker_start=sp.start, speaker_end=sp.end,
                cue=text[att.cue[0] : att.cue[1]] if att.cue else None,
                cue_start=att.cue[0] if att.cue else None, cue_end=att.cue[1] if att.cue else None,
                kind=att.kind, said_on=day, said_on_basis=basis,
                parts=tuple(att.parts) if len(att.parts) > 1 else (), language=lang,
                content=content_of(text, att.parts),
            ))
    quotes = _dedupe_quotes(quotes)
    entities = _merge_entities(ents.entities(), extra)
    return ArticleFacts(a.id, a.language, sentences=sentences, entities=entities, dates=dates,
                        quotes=tuple(quotes), analysed=p.analysed or bool(p.en_blocks or p.ru_blocks), note=note)


def _dates(a: Article, p: _Prep) -> tuple[DateMention, ...]:
    try:
        from storydesk.analyze.dates import find_dates
    except ImportError:  # pragma: no cover - dates ships with the package
        return ()
    try:
        return find_dates(a.text, article_id=a.id, published=a.published, language=a.language,
                          sentences=[(s, e) for s, e, _ in p.sentences])
    except Exception:  # a date bug must not lose the article's quotes and entities
        log.exception("date finding failed for article %s", a.id)
        p.notes.append("date finding failed (see log)")
        return ()


def _dedupe_quotes(quotes: list[Quote]) -> list[Quote]:
    seen: dict[tuple[int, int], Quote] = {}
    for q in quotes:
        if (q.start, q.end) not in seen:
            seen[(q.start, q.end)] = q
    return sorted(seen.values(), key=lambda q: (q.start, q.end))


def _merge_entities(base: tuple[Entity, ...], extra: list[Entity]) -> tuple[Entity, ...]:
    seen = {(e.start, e.end) for e in base}
    out = list(base)
    for e in extra:
        if (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            out.append(e)
    out.sort(key=lambda e: (e.start, e.end))
    return tuple(out)
