"""Russian quote extraction: « » / „ “ quotes, dash-split quotes and indirect speech.

Russian news attributes speech with a small set of verbs (заявил, сказал, отметил,
подчеркнул, добавил, сообщил ...) in a few fixed frames:

* ``«Цитата», — заявил Песков.`` / ``«Цитата», — сказал пресс-секретарь президента Дмитрий Песков.``
* ``Песков заявил: «Цитата».``
* ``«Первая часть, — сказал Песков. — Вторая часть»`` (the attribution splits the quote)
* ``Песков заявил, что ...`` (indirect) / ``..., — заявил Песков.`` / ``..., заявил Песков.``
* ``По словам Пескова, ...`` / ``по его словам, ...`` / ``Как заявил Песков, ...``

Verb forms come from pymorphy's lexemes of the cue verbs (so every tense and gender
matches), computed once per process. Output is the same :class:`Attribution` the
English grammar produces, resolved by :mod:`storydesk.analyze.speakers`.
"""

from __future__ import annotations

import functools
import re

from storydesk.analyze.attribution import Attribution
from storydesk.analyze.segment import Block

# Cue verbs (both aspects where both are used in news).
_CUE_VERBS = """заявить заявлять сказать говорить сообщить сообщать отметить отмечать подчеркнуть
подчёркивать подчеркивать добавить добавлять пояснить пояснять уточнить уточнять рассказать
рассказывать признать признавать напомнить напоминать заметить замечать указать указывать написать
писать ответить отвечать утверждать предупредить предупреждать заверить заверять опровергнуть
опровергать отрицать констатировать объяснить объяснять передать заявить считать""".split()
# "считать" is a belief verb; kept out of the cue set below but lemmatised for completeness.
_BELIEF = {"считать"}


@functools.cache
def _cue_forms() -> frozenset[str]:
    """All finite, past and gerund forms of the cue verbs (lowercase)."""
    from storydesk.models import natasha_russian

    vocab = natasha_russian().morph_vocab
    forms: set[str] = set()
    for v in _CUE_VERBS:
        if v in _BELIEF:
            continue
        for p in vocab.parse(v)[:1]:
            for f in p.lexeme:
                tag = str(f.tag)
                if tag.startswith(("VERB", "GRND")):
                    forms.add(f.word.replace("ё", "е"))
    return frozenset(forms)


_WORD = r"[А-Яа-яЁёA-Za-z0-9-]+"
_NP = rf"(?:(?:{_WORD})(?:\s+|(?=[,.]))){{1,8}}?"  # a short phrase (the speaker)
_DASH = r"[—–-]"


def _is_cue(word: str) -> bool:
    return word.lower().replace("ё", "е") in _cue_forms()


class RussianExtractor:
    """Extract attributions from Russian blocks of one article."""

    # «...» and „...“ (outer quotes only; nested „“ inside «» stay in the content)
    _QUOTE_RE = re.compile(r"«((?:[^«»]|«[^«»]*»)+)»|„([^„“”]+)[“”]")
    # after a quote: [,] — CUE NP
    _TAIL_RE = re.compile(rf"\s*,?\s*{_DASH}\s*({_WORD})\s+([^.!?—–«»]+?)\s*(?:[.!?]|,\s*{_DASH}|$)")
    # before a quote: NP CUE: / NP CUE, что
    _HEAD_COLON_RE = re.compile(rf"([^.!?«»:]{{2,160}}?)\s+({_WORD})\s*:\s*$")
    # inside a quote: "часть, — сказал Песков, — часть" / "часть, — сказал Песков. — Часть"
    _SPLIT_RE = re.compile(rf",?\s*{_DASH}\s*({_WORD})\s+([^—–«».!?]+?)\s*[,.]\s*{_DASH}\s*")
    _ACCORDING_RE = re.compile(r"(?:^|(?<=[\s,(]))(?:[Пп]о\s+словам|[Пп]о\s+(?:его|ее|её|их)\s+словам|[Пп]о\s+мнению|[Пп]о\s+данным|[Сс]огласно)\s*([^,]{0,120}?),\s*", re.S)
    _AS_SAID_RE = re.compile(rf"[Кк]ак\s+({_WORD})\s+([^,]{{2,120}}?),\s*")
    _THAT_RE = re.compile(rf"(?:^|(?<=[\s,]))({_WORD})\s*,\s+что\s+")

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Attribution] = []

    def run(self, blocks: list[Block]) -> list[Attribution]:
        """Extract attributions from Russian ``blocks``; ``inherit`` indexes into the result."""
        for bi, b in enumerate(blocks):
            self._block(bi, b)
        return self.found

    def _block(self, bi: int, b: Block) -> None:
        text = self.text
        taken: list[tuple[int, int]] = []
        for m in self._QUOTE_RE.finditer(text, b.start, b.end):
            gi = 1 if m.group(1) is not None else 2
            cs, ce = m.start(gi), m.end(gi)
            content = text[cs:ce]
            if len(content.split()) < 3 and not re.search(r"[.!?,]$", content.strip()):
                continue  # names and scare quotes: «Интерфакс», «перезагрузка»
            parts = [(cs, ce)]
            speaker = cue = None
            # attribution inside the quote splitting it
            sm = self._SPLIT_RE.search(text, cs, ce)
            if sm and _is_cue(sm.group(1)):
                parts = [(cs, sm.start()), (sm.end(), ce)]
                cue = (sm.start(1), sm.end(1))
                speaker = (sm.start(2), sm.end(2))
            if speaker is None:
                tm = self._TAIL_RE.match(text, m.end(), b.end)
                if tm and _is_cue(tm.group(1)):
                    cue = (tm.start(1), tm.end(1))
                    speaker = _trim_np(text, tm.start(2), tm.end(2))
            if speaker is None:
                head = text[max(b.start, m.start() - 200) : m.start()]
                hm = self._HEAD_COLON_RE.search(head)
                if hm and _is_cue(hm.group(2)):
                    off = max(b.start, m.start() - 200)
                    cue = (off + hm.start(2), off + hm.end(2))
                    speaker = _subject_before(text, off + hm.start(1), off + hm.end(1))
            parts = [p for p in (_strip(text, a, e) for a, e in parts) if p[1] > p[0]]
            if not parts:
                continue
            if speaker is None and cue is None:
                # an unattributed quote opening its paragraph continues the last speaker
                lead = text[b.start : m.start()].strip(" —–-")
                if lead or not self.found or self.found[-1].block < bi - 1:
                    continue
                self.found.append(Attribution(parts=parts, kind="direct", inherit=len(self.found) - 1, pattern="ru-floating", block=bi, said_span=(b.start, b.end)))
            else:
                self.found.append(Attribution(parts=parts, kind="direct", cue=cue, speaker=speaker, pattern="ru-direct", block=bi, said_span=(b.start, b.end)))
            taken.append((m.start(), m.end()))
        self._dash_dialogue(bi, b, taken)
        self._indirect(bi, b, taken)

    def _dash_dialogue(self, bi: int, b: Block, taken) -> None:
        """A paragraph of direct speech opened by a dash: "— Цитата, — сказал он."."""
        text = self.text
        m = re.match(rf"\s*{_DASH}\s+", text[b.start : b.end])
        if not m:
            return
        cs = b.start + m.end()
        tm = re.search(rf"[,.!?]\s*{_DASH}\s*({_WORD})\s+([^.!?—–]+?)\s*(?:[.!?]|,\s*{_DASH}|$)", text[cs : b.end])
        if not tm or not _is_cue(tm.group(1)):
            return
        ce = cs + tm.start() + (1 if text[cs + tm.start()] in "!?" else 0)
        cue = (cs + tm.start(1), cs + tm.end(1))
        speaker = _trim_np(text, cs + tm.start(2), cs + tm.end(2))
        parts = [_strip(text, cs, ce)]
        rest = cs + tm.end()
        if rest < b.end and re.match(rf"\s*{_DASH}?\s*\S", text[rest : b.end]):
            r0 = rest + re.match(rf"\s*{_DASH}?\s*", text[rest : b.end]).end()
            parts.append(_strip(text, r0, b.end))
        parts = [p for p in parts if p[1] > p[0]]
        if parts:
            self.found.append(Attribution(parts=parts, kind="direct", cue=cue, speaker=speaker, pattern="ru-dash", block=bi, said_span=(b.start, b.end)))
            taken.append((b.start, b.end))

    def _indirect(self, bi: int, b: Block, taken) -> None:
        text = self.text

        def free(s: int, e: int) -> bool:
            return not any(s < y and x < e for x, y in taken)

        from storydesk.analyze.segment import split_sentences_ru

        for ss, se in split_sentences_ru(text, b.start, b.end):
            sent = text[ss:se]
            # По словам X, CONTENT
            am = self._ACCORDING_RE.search(sent)
            if am and free(ss + am.start(), ss + am.end()):
                cs, ce = ss + am.end(), se
                sp = (ss + am.start(1), ss + am.end(1)) if am.group(1).strip() else None
                if sp is None or am.group(1).strip().lower() in ("его", "ее", "её", "их"):
                    pron = re.search(r"(его|ее|её|их)", am.group(0))
                    sp = (ss + am.start() + pron.start(), ss + am.start() + pron.end()) if pron else None
                self._emit(bi, cs, ce, (ss + am.start(), ss + am.start(1) if am.group(1).strip() else ss + am.end()), sp, "ru-according", (ss, se), taken)
                continue
            # Как заявил X, CONTENT
            km = self._AS_SAID_RE.match(sent)
            if km and _is_cue(km.group(1)):
                self._emit(bi, ss + km.end(), se, (ss + km.start(1), ss + km.end(1)), (ss + km.start(2), ss + km.end(2)), "ru-as-said", (ss, se), taken)
                continue
            # X заявил, что CONTENT
            done = False
            for tm in self._THAT_RE.finditer(sent):
                if not _is_cue(tm.group(1)):
                    continue
                cue = (ss + tm.start(1), ss + tm.end(1))
                sp = _subject_before(text, ss, cue[0])
                if sp is None:
                    continue
                self._emit(bi, ss + tm.end(), se, cue, sp, "ru-that", (ss, se), taken)
                done = True
                break
            if done:
                continue
            # CONTENT, — заявил X.  /  CONTENT, заявил X.
            fm = re.search(rf",\s*(?:{_DASH}\s*)?({_WORD})\s+([^,.!?]{{2,120}}?)\s*[.!?]?\s*$", sent)
            if fm and _is_cue(fm.group(1)) and fm.start() > 10:
                cs = ss
                ce = ss + fm.start()
                self._emit(bi, cs, ce, (ss + fm.start(1), ss + fm.end(1)), _trim_np(text, ss + fm.start(2), ss + fm.end(2)), "ru-final", (ss, se), taken)

    def _emit(self, bi, cs, ce, cue, sp, pattern, said_span, taken) -> None:
        cs, ce = _strip(self.text, cs, ce)
        while ce > cs and self.text[ce - 1] in ".!?;,":
            ce -= 1
        if ce - cs < 8 or any(cs < y and x < ce for x, y in taken):
            return
        kind = "mixed" if re.search(r"[«„]", self.text[cs:ce]) else "indirect"
        self.found.append(Attribution(parts=[(cs, ce)], kind=kind, cue=cue, speaker=sp, pattern=pattern, block=bi, said_span=said_span))
        taken.append((cs, ce))


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "—–"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "—–,"):
        b -= 1
    return a, b


# Words that end a Russian speaker phrase scanned after a cue: prepositions and
# conjunctions ("заявил Песков в интервью", "сказал он на брифинге").
_RU_BREAK = frozenset("в во на по при для после до о об с со и а но что как когда журналистам репортерам корреспонденту изданию агентству".split())


def _trim_np(text: str, s: int, e: int) -> tuple[int, int] | None:
    words = list(re.finditer(_WORD, text[s:e]))
    keep = []
    for w in words:
        if w.group().lower() in _RU_BREAK:
            if keep:
                break
            continue  # "заявил журналистам Песков": skip the addressee
        keep.append(w)
        if len(keep) >= 8:
            break
    if not keep:
        return None
    return s + keep[0].start(), s + keep[-1].end()


def _subject_before(text: str, lo: int, cue_start: int) -> tuple[int, int] | None:
    """The phrase right before a cue ("Пресс-секретарь Кремля Дмитрий Песков заявил")."""
    chunk = text[lo:cue_start]
    m = re.search(rf"((?:{_WORD}\s+){{0,5}}{_WORD})\s*$", chunk)
    if not m:
        return None
    words = list(re.finditer(_WORD, m.group(1)))
    # drop leading words up to the last clause boundary word
    start_i = 0
    for i, w in enumerate(words):
        if w.group().lower() in _RU_BREAK or w.group().lower() in ("также", "ранее", "уже", "в", "этом", "тоже"):
            start_i = i + 1
    words = words[start_i:]
    if not words:
        return None
    base = lo + m.start(1)
    return base + words[0].start(), base + words[-1].end()


def extract_quotes_ru(text: str, blocks: list[Block]) -> list[Attribution]:
    """Extract Russian attributions from the given blocks.

    Args:
        text: the article text.
        blocks: the Russian blocks, in order.

    Returns:
        Attributions in the order found; ``inherit`` indexes into this list.
    """
    return RussianExtractor(text).run(blocks)
