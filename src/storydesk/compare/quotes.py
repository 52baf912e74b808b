"""Quote groups: the same remark as reported by several outlets, side by side.

Two quotes are one remark when they have the **same speaker** (or one speaker is unknown),
were **said the same day** (or one day is unknown), and **mean the same**: one contains
the other (a partial quote), they are near-identical strings (transcription variants), or
their multilingual embeddings are close (translations such as "There's a possibility" /
"It's not ruled out"). Wording alone never decides: identical words by different speakers
or on different days stay apart (GUIDE.md §2).

Groups are built by linking the strongest pairs first and refusing a link that would put
two speakers or two explicit dates into one group, or two different passages of one
article. A group's id derives from its earliest member quote (by date, then id), so
re-running over the same articles gives the same ids.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz import fuzz

from storydesk.compare import textutil
from storydesk.compare.embed import SentenceEncoder
from storydesk.records import Article, ArticleFacts, Quote, QuoteGroup, Span

log = logging.getLogger(__name__)

__all__ = ["QuoteSettings", "group_quotes", "quote_group_ids"]


@dataclass(frozen=True, slots=True)
class QuoteSettings:
    """Thresholds of quote grouping.

    Tuned on the samples and the tuning stories of ``bench/data/compare/quote_pairs.jsonl``
    (``bench/compare.py``); the held-out stories were not used.

    Attributes:
        meaning: cosine (on USE's scale; e5 is mapped onto it) above which two quotes by one
            speaker on one day are the same remark.
        meaning_unknown_speaker: the same when one speaker is unknown (stricter: nothing
            else vouches for the link).
        meaning_indirect: the same when both quotes are indirect speech.
        fuzzy: rapidfuzz partial ratio (0-100) above which two strings are transcriptions
            of one remark.
        containment: share of the shorter quote's words found, in order, in the longer.
        min_words: quotes shorter than this link only by containment in a longer quote of
            the same speaker ("may well increase").
    """

    # USE cosine on the tuning quote pairs: 20 of 23 "same" pairs >= 0.70, 1 of 16
    # "different" pairs (bench/compare.py, tuning stories only).
    meaning: float = 0.70
    # A paraphrase (indirect or mixed speech) keeps less of the wording: two paraphrases of
    # different remarks by one speaker on one topic score like a direct quote and its
    # translation. Set on the samples ("potential conversations ... could take place" /
    # "his openness to contacts", 0.71) and the tuning pairs (direct vs reported: same
    # remark 0.78-0.81).
    meaning_paraphrase: float = 0.75
    meaning_unknown_speaker: float = 0.85
    # Two reported-speech paraphrases of one speaker in one story are alike whether or not
    # they report the same remark ("Putin is open to talks" / "Putin remains open to
    # contact", said two days apart): they need more. Set on the samples.
    meaning_indirect: float = 0.85
    fuzzy: float = 88.0
    containment: float = 0.8
    min_words: int = 2
    # Verbatim passages: two quotes that share this many consecutive words (or one's quoted
    # fragment of at least `fragment_words` words appears whole in the other) report one
    # utterance: an outlet quoting a longer or another stretch of the same statement.
    shared_run: int = 5
    fragment_words: int = 3


E5_FLOOR = 0.72  # see storydesk.compare.align.E5_FLOOR


@dataclass
class _Q:
    quote: Quote
    article: Article
    speaker: str | None
    day: date | None
    day_explicit: bool
    norm: str
    words: list[str]
    index: int
    said: str
    verbatim: list[list[str]] = field(default_factory=list)  # quoted word runs (none for indirect speech)
    grams: frozenset = frozenset()


def quote_words(q: Quote, text: str) -> str:
    """The quoted words only: a quote split by its attribution loses the "he said" between parts."""
    if q.parts:
        return " ".join(text[a:b].strip(" \"“”‘’«»,") for a, b in q.parts)
    return q.text


_FRAGMENT_RE = re.compile(r"[\"\u201c\u201e\u00ab]([^\"\u201c\u201d\u201e\u00ab\u00bb]{2,400}?)[\"\u201d\u00bb]|''(.{2,400}?)''")
_GRAM = 4


def verbatim_runs(q: Quote, text: str) -> list[list[str]]:
    """The words a quote reports verbatim: a direct quote's parts; a mixed quote's fragments
    in quotation marks ("took the hard corner to Sandilands at 40mph"); nothing for indirect
    speech, whose words are the reporter's."""
    if q.kind == "indirect":
        return []
    if q.kind == "direct":
        pieces = [text[a:b] for a, b in q.parts] if q.parts else [q.text]
    else:
        pieces = [m.group(1) or m.group(2) for m in _FRAGMENT_RE.finditer(q.text)]
    return [w for w in (textutil.words(p) for p in pieces) if w]


def _grams(runs: list[list[str]]) -> frozenset:
    return frozenset(tuple(r[i:i + _GRAM]) for r in runs for i in range(len(r) - _GRAM + 1))


def _run_in(run: list[str], runs: list[list[str]]) -> bool:
    """Is the word sequence ``run`` found whole inside one of ``runs``?"""
    n = len(run)
    for other in runs:
        for i in range(len(other) - n + 1):
            if other[i:i + n] == run:
                return True
    return False


def _verbatim(a: "_Q", b: "_Q", s: "QuoteSettings") -> bool:
    """Do two quotes share a verbatim passage (one utterance quoted in two stretches)?"""
    if not a.verbatim or not b.verbatim:
        return False
    # Five shared consecutive words are two shared 4-grams in a row.
    need = s.shared_run - _GRAM + 1
    if len(a.grams & b.grams) >= need:
        return True
    for x, y in ((a, b), (b, a)):
        for run in x.verbatim:
            if len(run) >= s.fragment_words and _run_in(run, y.verbatim):
                return True
    return False


def _speaker_key(q: Quote) -> str | None:
    if q.speaker_id:
        return q.speaker_id
    if not q.speaker:
        return None
    s = textutil.normalise(q.speaker)
    # Pronouns and bare roles are not identities.
    if s in ("he", "she", "they", "it", "we", "i", "reporters", "officials", "sources", "the source"):
        return None
    return s


@functools.lru_cache(maxsize=4096)
def _name_tokens(speaker: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The speaker's name words and their stems (cached: every pair of a story's quotes asks)."""
    s = speaker.lower().replace("’s", "").replace("'s", "")
    toks = tuple(t for t in re.split(r"[\s:\-_.,]+", s) if t and t not in ("person", "org", "the", "mr", "mrs", "ms", "dr"))
    return toks, frozenset(_tok_stem(t) for t in toks)


def _same_speaker(a: _Q, b: _Q) -> bool | None:
    """True when the speakers match, False when both are resolved to different people,
    None when it cannot be told (one unknown, or an unresolved description such as
    "Bruce Steinberg's sister")."""
    if a.speaker is None or b.speaker is None:
        return None
    if a.speaker == b.speaker:
        return True
    # Ids and display names both: "person:thane-mainard" and "place:maynard" are one
    # "Thane Maynard" / "Maynard" whose ids went astray.
    for x, y in ((a.speaker, b.speaker), (a.quote.speaker or "", b.quote.speaker or "")):
        (ta, sa), (tb, sb) = _name_tokens(x), _name_tokens(y)
        # "person:richard-f-smith" vs "person:richard-smith": the same surname.
        if ta and tb and ta[-1] == tb[-1]:
            return True
        if sa & sb - _ROLE_WORDS:
            return True
    resolved = a.quote.speaker_id is not None and b.quote.speaker_id is not None
    return False if resolved else None


def _tok_stem(t: str) -> str:
    return textutil.stem(t[:-1] if t.endswith("s") and len(t) > 4 else t)


_ROLE_WORDS = frozenset(_tok_stem(w) for w in (
    "said", "spokesman", "spokeswoman", "spokesperson", "official", "officials", "source", "sources",
    "statement", "person", "org", "place", "group", "a", "an", "of", "for"))


def _compatible_days(a: _Q, b: _Q) -> bool:
    if a.day is None or b.day is None:
        return True
    if a.day == b.day:
        return True
    # A day taken from the publication date may be a day late (the remark was the day
    # before); explicit dates that differ are different occasions.
    if not (a.day_explicit and b.day_explicit) and abs((a.day - b.day).days) <= 1:
        return True
    return False


def _contained(a: _Q, b: _Q, ratio: float) -> bool:
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if len(short.words) < 2:
        return False
    if short.norm and short.norm in long_.norm:
        return True
    if len(short.words) < 4:
        return False  # "throughout his campaign": too short to match out of order
    pos = 0
    hits = 0
    for w in short.words:
        try:
            pos = long_.words.index(w, pos) + 1
            hits += 1
        except ValueError:
            continue
    return hits / len(short.words) >= ratio


def group_quotes(items: Sequence[tuple[Article, ArticleFacts | None]], *,
                 encoder: SentenceEncoder | None = None,
                 settings: QuoteSettings = QuoteSettings()) -> tuple[QuoteGroup, ...]:
    """Group the quotes of a story's articles into remarks.

    Args:
        items: ``(article, facts)`` per article (articles without facts have no quotes).
        encoder: sentence encoder (default: a new one; ``SentenceEncoder("none")`` compares
            by words only).
        settings: thresholds.

    Returns:
        One :class:`QuoteGroup` per remark, every quote in exactly one group (singletons
        included), ordered by group id.
    """
    qs: list[_Q] = []
    for article, facts in items:
        if facts is None:
            continue
        for q in facts.quotes:
            if q.end <= q.start or not q.text.strip():
                continue
            words_of = quote_words(q, article.text)
            runs = verbatim_runs(q, article.text)
            qs.append(_Q(q, article, _speaker_key(q), q.said_on, q.said_on_basis == "explicit",
                         textutil.normalise(words_of).strip(" ,.\"'"), textutil.words(words_of), len(qs),
                         words_of, runs, _grams(runs)))
    if not qs:
        return ()
    # Wording decides most pairs (different speakers or days, one article, a contained or
    # shared passage, near-identical strings); only the rest needs the meaning, so only
    # their quotes are embedded (about half of PolNeAR's; none in a single-article story).
    links: list[tuple[float, int, int]] = []
    undecided: list[tuple[int, int]] = []
    n = len(qs)
    for i in range(n):
        a = qs[i]
        for j in range(i + 1, n):
            score = _link(a, qs[j], settings)
            if score is None:
                undecided.append((i, j))
            elif score > 0:
                links.append((score, i, j))
    encoder = encoder if encoder is not None else SentenceEncoder()
    cos = _cosines(qs, {k for pair in undecided for k in pair}, encoder)
    if cos is not None:
        for i, j in undecided:
            score = _meaning_link(qs[i], qs[j], float(cos[i, j]), settings)
            if score > 0:
                links.append((score, i, j))
    links.sort(key=lambda t: (-t[0], t[1], t[2]))

    parent = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    strength = {(i, j): score for score, i, j in links}
    for _, i, j in links:
        ri, rj = find(i), find(j)
        if ri == rj or not _mergeable(members[ri], members[rj], qs, settings, strength):
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))

    # A group's score is its members' mean cosine (_record reads no other): embed the members
    # not embedded yet (the encoder's cache gives the others their vectors again).
    grouped = {i for idx in members.values() if len(idx) > 1 for i in idx}
    if grouped and (cos is None or any(np.isnan(cos[i, i]) for i in grouped)):
        cos = _cosines(qs, grouped, encoder)
    groups = []
    for root, idx in members.items():
        group = [qs[i] for i in idx]
        groups.append(_record(group, cos))
    groups.sort(key=lambda g: g.id)
    return tuple(groups)


def _cosines(qs: list[_Q], idx: set[int], encoder: SentenceEncoder) -> np.ndarray | None:
    """Cosines between the quotes ``idx`` (an n x n matrix, NaN elsewhere), or None without a model."""
    n = len(qs)
    out = np.full((n, n), np.nan, dtype=np.float64)
    if not idx:
        return out
    # The model is chosen for the story's languages, not the subset's: every cosine of a
    # story must come from one model, whichever quotes happen to need one.
    model = encoder.choose([q.quote.language or q.article.language for q in qs])
    order = sorted(idx)
    enc = encoder.encode([qs[i].said for i in order], [qs[i].quote.language or qs[i].article.language for i in order],
                         model=model)
    sub = enc.cosine()
    if sub is None:
        return None
    if enc.model == "e5":
        sub = np.clip((sub - E5_FLOOR) / (1 - E5_FLOOR), 0, 1)
    out[np.ix_(order, order)] = sub
    return out


def _link(a: _Q, b: _Q, s: QuoteSettings) -> float | None:
    """How strongly the wording makes two quotes one remark (0 = not linked), or None when
    only their meaning can tell (:func:`_meaning_link`).

    Scores: 1.0/0.9 one quote contains the other (same / unknown speaker), 0.98/0.88 they
    share a verbatim passage, 0.95 near-identical strings.
    """
    same = _same_speaker(a, b)
    if same is False or not _compatible_days(a, b):
        return 0.0
    if a.article.id == b.article.id:
        # Within one article only a repeat of the same words is the same remark.
        return 1.0 if _contained(a, b, 1.0) else 0.0
    # Reported speech is in the reporter's words: only a whole, exact repeat links it by
    # wording ("to quickly end the war in Ukraine" is not "to end the war in Ukraine
    # before taking the oath").
    reported = a.quote.kind == "indirect" or b.quote.kind == "indirect"
    if _contained(a, b, 1.0 if reported else s.containment) and (not reported or min(len(a.words), len(b.words)) >= 6):
        return 1.0 if same else 0.9
    if _verbatim(a, b, s):
        return 0.98 if same else 0.88
    if min(len(a.words), len(b.words)) < max(s.min_words, 4):
        return 0.0
    fz = fuzz.partial_ratio(a.norm, b.norm) if min(len(a.norm), len(b.norm)) >= 15 else 0.0
    if fz >= s.fuzzy and same is not None:
        return 0.95
    return None


def _meaning_link(a: _Q, b: _Q, cos: float, s: QuoteSettings) -> float:
    """The link of a pair the wording left undecided: the embedding cosine when it clears
    the threshold for the pair's speakers and kinds of speech, else 0."""
    need = s.meaning if _same_speaker(a, b) else s.meaning_unknown_speaker
    if a.quote.kind != "direct" or b.quote.kind != "direct":
        need = max(need, s.meaning_paraphrase)
    if a.quote.kind != "direct" and b.quote.kind != "direct":
        need = max(need, s.meaning_indirect)
    return cos if cos >= need else 0.0


# Links at or above this are verbatim (containment, a shared passage, near-identical
# strings): they may join two passages of one article that another outlet quotes as one.
VERBATIM_LINK = 0.88


def _mergeable(x: list[int], y: list[int], qs: list[_Q], s: QuoteSettings,
               verbatim: dict[tuple[int, int], float] | None = None) -> bool:
    """May two groups join? No two speakers, no two explicit dates, and no two passages of
    one article, unless one quote of another article carries both verbatim (an outlet
    quoting the whole statement another quotes in two pieces)."""
    verbatim = verbatim or {}
    union = x + y
    for i in x:
        for j in y:
            a, b = qs[i], qs[j]
            if _same_speaker(a, b) is False or not _compatible_days(a, b):
                return False
            if a.article.id == b.article.id and not _contained(a, b, 1.0):
                bridge = any(qs[k].article.id != a.article.id
                             and verbatim.get((min(k, i), max(k, i)), 0.0) >= VERBATIM_LINK
                             and verbatim.get((min(k, j), max(k, j)), 0.0) >= VERBATIM_LINK
                             for k in union)
                if not bridge:
                    return False
    return True


def _record(group: list[_Q], cos) -> QuoteGroup:
    def when(q: _Q) -> tuple:
        d = q.day or q.article.published or date.max
        return (d, q.quote.id)

    group.sort(key=when)
    first = group[0]
    speakers = Counter(q.quote.speaker for q in group if q.quote.speaker)
    days = Counter(q.day for q in group if q.day)
    score = 1.0
    if cos is not None and len(group) > 1:
        idx = [q.index for q in group]
        sub = cos[np.ix_(idx, idx)]
        score = float(sub[np.triu_indices(len(idx), 1)].mean())
    return QuoteGroup(
        id=f"qg:{first.quote.id}",
        speaker=speakers.most_common(1)[0][0] if speakers else None,
        said_on=days.most_common(1)[0][0] if days else None,
        quote_ids=tuple(q.quote.id for q in group),
        members=tuple(
            Span(q.article.id, q.quote.start, q.quote.end, q.quote.text, q.article.outlet,
                 q.quote.speaker, q.day)
            for q in group
        ),
        score=round(score, 3),
    )


def quote_group_ids(groups: Sequence[QuoteGroup]) -> dict[str, str]:
    """Map each quote id to its group id (what the store keeps per quote).

    Args:
        groups: the output of :func:`group_quotes`.

    Returns:
        ``{quote_id: group_id}``.
    """
    return {qid: g.id for g in groups for qid in g.quote_ids}
