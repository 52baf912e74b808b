"""Russian entity mentions: natasha NER, gazetteer names by lemma, role titles by lemma.

Russian names inflect ("Путина", "Пескову"), so everything is matched on base forms:
NER mentions carry their nominative form (pymorphy: "Дмитрия Пескова" -> "Дмитрий
Песков"), which the transliteration key then links to the gazetteer ("Путин" ->
``person:vladimir-putin``, the same id the English "Vladimir Putin" gets). Role titles
("пресс-секретаря Кремля") are matched as lemma sequences against the gazetteer's
Russian titles, resolved by the article's date like the English ones.
"""

from __future__ import annotations

import functools
import re

from storydesk.analyze.entities import ArticleEntities
from storydesk.analyze.gazetteer import gazetteer
from storydesk.analyze.nlp import RussianNLP
from storydesk.analyze.segment import Block

_CYR_WORD = re.compile(r"[А-ЯЁа-яё][А-ЯЁа-яё-]*")


def add_russian_entities(ents: ArticleEntities, rnlp: RussianNLP, blocks: list[Block], ner: list[tuple[int, int, str]]) -> None:
    """Add the mentions of the Russian blocks of an article to ``ents``.

    Args:
        ents: the article's entity collector (before :meth:`~ArticleEntities.finalize`).
        rnlp: the Russian model wrapper.
        blocks: the Russian blocks.
        ner: natasha's entity spans for the article (article offsets).
    """
    text = ents.text
    g = gazetteer()

    def normalize(s: int, e: int, label: str) -> str:
        words = _CYR_WORD.findall(text[s:e])
        if not words:
            return text[s:e]
        if label in ("PER", "PERSON"):
            # a given name in the nominative puts the whole name in the nominative:
            # "Степан Бандера" stays as written (its surname would re-inflect wrongly)
            if any(rnlp.is_nominative_given_name(w) for w in words[:-1]):
                return " ".join(words)
            return " ".join(rnlp.name_form(w) for w in words)
        if len(words) == 1:
            return rnlp.name_form(words[0])
        return text[s:e]

    # gazetteer names first (exact knowledge), then the model, then role titles
    for b in blocks:
        for m in _CYR_WORD.finditer(text, b.start, b.end):
            w = m.group()
            if not w[0].isupper():
                continue
            base = rnlp.name_form(w)
            known = g.lookup_short(base) or g.lookup_name(base)
            if known is not None:
                ents.add_mention(m.start(), m.end(), known.label, "gazetteer", base)
    ents.add_ner(ner, normalize=normalize)
    titles = _title_regex()
    for b in blocks:
        words = list(_CYR_WORD.finditer(text, b.start, b.end))
        if not words:
            continue
        lemmas = [rnlp.lemma(w.group()) for w in words]
        joined, starts = [], []
        pos = 0
        for lm in lemmas:
            starts.append(pos)
            joined.append(lm)
            pos += len(lm) + 1
        line = " ".join(joined)
        for tm in titles[0].finditer(line):
            i0 = starts.index(tm.start()) if tm.start() in starts else None
            if i0 is None:
                continue
            n = tm.group().count(" ") + 1
            i1 = i0 + n - 1
            if i1 >= len(words):
                continue
            ents.add_role_title(words[i0].start(), words[i1].end(), titles[1][tm.group()])


@functools.cache
def _title_regex() -> tuple[re.Pattern, dict[str, str]]:
    """Regex over lemma strings for the gazetteer's Cyrillic role titles, and lemma -> title."""
    g = gazetteer()
    rnlp = RussianNLP()
    by_lemma: dict[str, str] = {}
    for t in g.cyrillic_titles:
        lem = " ".join(rnlp.lemma(w) for w in _CYR_WORD.findall(t))
        if lem:
            by_lemma.setdefault(lem, t)
    alts = sorted(by_lemma, key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w-])")
    return rx, by_lemma
