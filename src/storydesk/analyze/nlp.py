"""Model wrappers: batched spaCy NER for English, natasha NER and morphology for Russian.

Only named-entity recognition runs through the models, and only on the text spans the
analyzer selects (see :func:`storydesk.analyze.select_ner_spans`); everything else is
rule-based. Model handles come from :mod:`storydesk.models` (loaded once per process);
these wrappers hold no other state.
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections.abc import Sequence

from storydesk import models

log = logging.getLogger(__name__)

# spaCy components that NER does not need; en_core_web_sm's "ner" embeds its own
# tok2vec, so it runs alone (≈ 3x faster than the full pipeline on this machine).
_SPACY_DISABLE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# Batch size for nlp.pipe (one doc per article of selected spans).
SPACY_BATCH = 64
_JOIN = "\n\n"


class EnglishNER:
    """spaCy NER over many short text spans at once (spans from many articles)."""

    def __init__(self, nlp=None) -> None:
        self.nlp = nlp if nlp is not None else models.spacy_english()
        self.disable = [p for p in _SPACY_DISABLE if p in self.nlp.pipe_names]

    def __call__(self, text: str, spans: Sequence[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
        """Run NER over ``text[s:e]`` for each span; return entity spans in article offsets."""
        return self.batch([(text, spans)])[0]

    def batch(self, jobs: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, int, str]]]:
        """Run NER over the spans of several texts in one ``nlp.pipe`` call.

        Args:
            jobs: ``(text, spans)`` per article.

        Returns:
            Per job, the entity spans ``(start, end, label)`` in that text's offsets.
        """
        # One doc per article: its spans joined by a paragraph break, so spaCy's per-doc
        # overhead is paid once per article, not once per span.
        pieces: list[str] = []
        maps: list[list[tuple[int, int]]] = []  # per job: (offset in piece, offset in text)
        for text, spans in jobs:
            buf, m, pos = [], [], 0
            for s, e in spans:
                m.append((pos, s))
                buf.append(text[s:e])
                pos += e - s + len(_JOIN)
            pieces.append(_JOIN.join(buf))
            maps.append(m)
        out: list[list[tuple[int, int, str]]] = [[] for _ in jobs]
        if not any(pieces):
            return out
        for ji, doc in enumerate(self.nlp.pipe(pieces, batch_size=SPACY_BATCH, disable=self.disable)):
            m = maps[ji]
            for ent in doc.ents:
                # the span the entity starts in
                k = bisect.bisect_right(m, (ent.start_char, 10**12)) - 1
                if k < 0:
                    continue
                p0, t0 = m[k]
                span_len = (m[k + 1][0] - len(_JOIN) if k + 1 < len(m) else len(pieces[ji])) - p0
                if ent.end_char - p0 > span_len:
                    continue  # crossed a join: not a real entity
                out[ji].append((t0 + ent.start_char - p0, t0 + ent.end_char - p0, ent.label_))
        return out


class RussianNLP:
    """natasha NER and pymorphy lemmas for Russian text."""

    def __init__(self) -> None:
        self.bundle = models.natasha_russian()

    def ner(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Run natasha's NER over ``text[s:e]`` for each span; entity spans in article offsets."""
        return self.ner_batch([(text, spans)])[0]

    def ner_batch(self, jobs: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, int, str]]]:
        """Run natasha's NER over the spans of several texts, in slovnet batches.

        Each span is one slovnet item. BLAS is held to one thread meanwhile: slovnet's
        small matrix products run ~10x slower when OpenBLAS spreads them over threads
        on a busy 2-core machine (measured: 6 -> 60 articles/s).
        """
        items: list[tuple[int, int]] = []
        texts: list[str] = []
        for ji, (text, spans) in enumerate(jobs):
            for s, e in spans:
                if text[s:e].strip():
                    items.append((ji, s))
                    texts.append(text[s:e])
        out: list[list[tuple[int, int, str]]] = [[] for _ in jobs]
        with _one_blas_thread():
            for (ji, s), markup in zip(items, self.bundle.ner_tagger.map(texts)):
                for sp in markup.spans:
                    out[ji].append((s + sp.start, s + sp.stop, sp.type))
        return out

    def lemma(self, word: str) -> str:
        """Normal form of a word (lowercase), cached."""
        return _lemma(self.bundle.morph_vocab, word.lower())

    def is_nominative_given_name(self, word: str) -> bool:
        """True when ``word`` can be a given name in the nominative ("Степан", not "Степана")."""
        return _nominative_name(self.bundle.morph_vocab, word.lower())

    def name_form(self, word: str) -> str:
        """Nominative form of a (capitalised) name word: "Пескова" -> "Песков"."""
        base = _name_lemma(self.bundle.morph_vocab, word)
        return base[:1].upper() + base[1:] if word[:1].isupper() else base


@functools.lru_cache(maxsize=200_000)
def _lemma(vocab, word: str) -> str:
    parses = vocab.parse(word)
    return parses[0].normal_form if parses else word


@functools.lru_cache(maxsize=100_000)
def _nominative_name(vocab, word: str) -> bool:
    return any("Name" in str(p.tag) and "nomn" in str(p.tag) for p in vocab.parse(word))


@functools.lru_cache(maxsize=100_000)
def _name_lemma(vocab, word: str) -> str:
    low = word.lower()
    parses = vocab.parse(low)
    named = [p for p in parses if any(g in str(p.tag) for g in ("Surn", "Name", "Patr", "Geox", "Orgn"))]
    # A form that can already be nominative stays as written: "Бандера" is a nominative
    # surname, not the genitive of "Бандер"; "Позднякова" is a woman's surname.
    if any("nomn" in str(p.tag) for p in named):
        return low
    if named:
        return named[0].normal_form
    return parses[0].normal_form if parses else low


@functools.cache
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        log.info("threadpoolctl not installed: Russian NER runs with the default BLAS threads (slower)")
        return None
    return ThreadpoolController()


class _one_blas_thread:
    """Context manager limiting BLAS to one thread when threadpoolctl is available."""

    def __enter__(self):
        ctl = _blas_controller()
        self._limit = ctl.limit(limits=1, user_api="blas") if ctl is not None else None
        return self

    def __exit__(self, *exc):
        if self._limit is not None:
            self._limit.restore_original_limits()
        return False
