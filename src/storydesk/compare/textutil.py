"""Text helpers for comparing statements: normalised words, stems, cues and numbers.

Everything here is deterministic and model-free, so it runs at ingest (claim extraction)
as well as in the per-story comparison.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from storydesk.compare import lexicon

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ",
    "\u2026": "...",
})
WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, NFKC, straight quotes and dashes, single spaces (for matching, not display)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE_RE.sub(" ", text).strip().lower()


def words(text: str) -> list[str]:
    """The words of ``text``, normalised (``n't`` kept as its own token for negation)."""
    norm = normalise(text).replace("n't", " n't").replace("cannot", "can not")
    out = []
    for m in WORD_RE.finditer(norm):
        w = m.group(0)
        out.append(w)
    if "n't" in norm:
        out.extend(["n't"] * norm.count(" n't"))
    return out


# Irregular forms that matter for news propositions (a stemmer cannot join them).
_IRREGULAR = {
    "spoke": "speak", "spoken": "speak", "said": "say", "told": "tell", "met": "meet",
    "died": "die", "dead": "die", "death": "die", "deaths": "die", "killed": "kill",
    "fatalities": "die", "fatality": "die", "lives": "life", "went": "go", "gone": "go",
    "took": "take", "taken": "take", "gave": "give", "given": "give", "held": "hold",
    "left": "leave", "brought": "bring", "sent": "send", "won": "win", "lost": "lose",
    "begun": "begin", "began": "begin", "found": "find", "made": "make", "seen": "see",
    "saw": "see", "struck": "strike", "shot": "shoot", "caught": "catch", "hurt": "injur",
    "wounded": "injur", "wounding": "injur", "wound": "injur", "injuries": "injur",
    "injured": "injur", "injuring": "injur", "injury": "injur", "phoned": "phone",
    "called": "call", "calls": "call", "conversation": "convers", "conversations": "convers",
    "talked": "talk", "talks": "talk", "children": "child", "men": "man", "women": "woman",
    "people": "people", "persons": "people", "americans": "american", "us": "us",
}


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stem (suffix stripping); other scripts are cut to 6 letters.

    Good enough to join "congratulated"/"congratulate"/"congratulations" and
    "conversation"/"conversations" for overlap scores; never shown to users.
    """
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if not w.isascii():
        return w[:6]
    for suf in ("ational", "ations", "ation", "ments", "ment", "ings", "ing", "edly", "ed",
                "ies", "ied", "es", "s", "ly", "er", "ers"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            base = w[: -len(suf)]
            if suf in ("ies", "ied"):
                base += "y"
            if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]
            return base.rstrip("e")[:10] if len(base) > 4 else base[:10]
    return w.rstrip("e")[:10] if len(w) > 4 else w


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` (no stopwords, no one-letter words)."""
    return [stem(w) for w in words(text) if w not in lexicon.STOPWORDS and len(w) > 1 and not w.isdigit()]


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a text: the phrase, its offsets, and what kind of cue it is."""

    kind: str
    text: str
    start: int
    end: int


def _phrase_re(phrases: Iterable[str]) -> re.Pattern[str]:
    alts = sorted({p for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in alts) + r")(?![\w])", re.I)


_DENIAL_RE = _phrase_re(lexicon.DENIAL_PHRASES)
_DENIAL_VERB_RE = _phrase_re(lexicon.DENIAL_VERB_FORMS)
_HEDGE_RE = _phrase_re(lexicon.HEDGES)
_EARLY_RE = _phrase_re(lexicon.UPDATE_MARKERS_EARLY)
_LATE_RE = _phrase_re(lexicon.UPDATE_MARKERS_LATE)
_NEG_RE = re.compile(
    r"(?<![\w])(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|no one|no-one|"
    r"не|нет|ни|никогда|ничего|никто)(?![\w])|n't\b|n’t\b",
    re.I,
)


def _straight(text: str) -> str:
    # Offsets must survive: the translation maps one character to one character except the
    # ellipsis, which we keep as a single character here.
    return text.replace("\u2019", "'").replace("\u2018", "'")


def find_cues(text: str, pattern: re.Pattern[str], kind: str, base: int = 0) -> list[Cue]:
    """All matches of a cue pattern in ``text``, with offsets shifted by ``base``."""
    return [Cue(kind, text[m.start():m.end()], base + m.start(), base + m.end())
            for m in pattern.finditer(_straight(text))]


# "This is not a swap", "it was not an attack": a demonstrative rejecting a label.
_NOT_A_RE = re.compile(
    r"(?<![\w])(?:this|that|it)\s+(?:is|was|'s)\s+(?:not|n't)\s+(?:a|an)\s+"
    r"(?!(?:problem|question|secret|surprise|coincidence|concern|priority|issue|option|easy|good|bad|big)\b)[a-z]+",
    re.I)


def denial_cues(text: str, base: int = 0) -> list[Cue]:
    """Denial phrases and (un-negated) denial verbs in ``text``."""
    out = find_cues(text, _DENIAL_RE, "denial", base) + find_cues(text, _NOT_A_RE, "denial", base)
    negated = {m.start() for m in lexicon.NEGATED_DENIAL_RE.finditer(text)}
    for c in find_cues(text, _DENIAL_VERB_RE, "denial-verb", base):
        lemma = lexicon.DENIAL_VERB_FORMS.get(c.text.lower())
        if lemma in lexicon.WEAK_DENIAL_VERBS and not negations(text):
            continue
        # "does not deny" / "did not dispute" confirm rather than deny.
        if any(s <= c.start - base <= s + 30 for s in negated):
            continue
        # "rejected the peace proposal" is a refusal, not a denial.
        after = words(text[c.end - base:c.end - base + 40])[:4]
        if any(w in lexicon.REFUSAL_OBJECTS for w in after):
            continue
        out.append(c)
    # "fiction" inside "pure fiction" is one cue.
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Cue] = []
    for c in out:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept


def hedge_cues(text: str, base: int = 0) -> list[Cue]:
    """Hedges ("allegedly", "reportedly") in ``text``."""
    return find_cues(text, _HEDGE_RE, "hedge", base)


def early_markers(text: str, base: int = 0) -> list[Cue]:
    """Markers of a provisional state ("not yet", "so far", "initially")."""
    return find_cues(text, _EARLY_RE, "early", base)


def late_markers(text: str, base: int = 0) -> list[Cue]:
    """Markers of an update ("rose to", "now", "revised")."""
    return find_cues(text, _LATE_RE, "late", base)


def negations(text: str, base: int = 0) -> list[Cue]:
    """Negation words in ``text`` that negate it (idioms like "not only" excluded)."""
    idioms = [(m.start(), m.end()) for m in lexicon.NEGATION_IDIOMS.finditer(text)]
    out = []
    for c in find_cues(text, _NEG_RE, "negation", base):
        rel = c.start - base
        if any(s <= rel < e for s, e in idioms):
            continue
        out.append(c)
    return out


# --------------------------------------------------------------------------- numbers

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24, "scores": 40, "hundreds": 200,
    "thousands": 2000,
}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
          "bn": 1e9, "trillion": 1e12}
_NUMBER_RE = re.compile(
    r"(?P<pre>\$|£|€)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn)\b|(?P<kscale>[km])\b)?"
    r"(?P<unit>\s?(?:%|per ?cent|percent|mph|km/h|kg|km|miles?|pounds?|tons?|tonnes?|"
    r"[ap]\.?m\.?|hours?|minutes?|days?|weeks?|months?|years?(?:-old)?|-year-old|-day))?",
    re.I,
)
_WORDNUM_RE = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) +
    r")(?:[- ](?P<word2>one|two|three|four|five|six|seven|eight|nine))?"
    r"(?P<unit>-year-old|\s(?:years?|hours?|minutes?|days?|weeks?|months?)\b)?(?![\w])",
    re.I,
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number stated in a claim, as an interval (bounds and approximations widen it).

    Attributes:
        text, start, end: the number as written (offsets into the article).
        value: the stated value.
        low, high: the interval the statement allows ("at least 59" -> [59, inf)).
        unit: ``count``, ``%``, ``money``, ``time``, ``age``, ``ordinal``, ``duration`` or a
            measure unit ("mph", "km").
        exact: False when bounded or approximate.
    """

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    unit: str
    exact: bool

    def compatible(self, other: NumberMention) -> bool:
        """True when both statements can be true of one quantity (intervals intersect)."""
        return self.low <= other.high and other.low <= self.high


def _unit_of(unit: str | None, pre: str | None, ordinal: bool) -> str:
    if pre:
        return "money"
    if ordinal:
        return "ordinal"
    if not unit:
        return "count"
    u = unit.strip().lower().replace(".", "")
    if "old" in u:
        return "age"
    if u in ("am", "pm"):
        return "time"
    if u in ("%", "per cent", "percent", "percent"):
        return "%"
    if u.rstrip("s") in ("hour", "minute", "day", "week", "month", "year") or u == "-day":
        return "duration"
    return u.rstrip("s")


def _bounds(text: str, start: int, value: float, unit: str) -> tuple[float, float, bool]:
    before = normalise(text[max(0, start - 24):start])
    for b in lexicon.LOWER_BOUNDS:
        if before.endswith(b) or before.endswith(b + " "):
            if b in ("some",):
                return value * 0.85, value * 1.15, False
            return value, float("inf"), False
    for b in lexicon.UPPER_BOUNDS:
        if before.endswith(b) or before.endswith(b + " "):
            if b in ("nearly", "almost", "just under"):
                return value * 0.9, value, False
            return 0.0, value, False
    for b in lexicon.APPROXIMATE:
        if before.endswith(b) or before.endswith(b + " "):
            # "about 10 minutes" and "more than 10 minutes" are compatible (GUIDE.md §1).
            return value * 0.85, value * 1.15, False
    if unit == "time":
        return value - 0.05, value + 0.05, True
    return value, value, True


def numbers(text: str, base: int = 0, *, skip: Iterable[tuple[int, int]] = ()) -> list[NumberMention]:
    """The numbers ``text`` states, with bounds; offsets are ``base``-shifted.

    Args:
        text: the statement.
        base: offset of ``text`` in the article.
        skip: article offsets to ignore (date expressions: "November 7" is not a count).

    Returns:
        Number mentions in text order.
    """
    skip = list(skip)
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []

    def skipped(s: int, e: int) -> bool:
        return any(a < e + base and s + base < b for a, b in skip)

    for m in _NUMBER_RE.finditer(text):
        s, e = m.start(), m.end()
        if skipped(s, e) or (s > 0 and text[s - 1] in "/-") or text[e:e + 1] == "/":
            continue  # "2015/16", "24/7", "Boeing 737-800": not counts
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        # Clock times written "6.04am": keep the value as hours.minutes.
        scale = m.group("scale") or m.group("kscale")
        if scale:
            value *= _SCALE[scale.lower()]
        unit = _unit_of(m.group("unit"), m.group("pre"), bool(m.group("ord")))
        if unit == "count" and _AGE_APPOSITION_RE.search(text[:s]) and re.match(r"\s*[,)]", text[e:]):
            unit = "age"  # "Kevin Snow, 57, was ..."
        if unit == "count" and 1900 <= value <= 2100 and "." not in raw and "," not in raw:
            continue  # a bare year; dates are compared through DateMentions
        low, high, exact = _bounds(text, s, value, unit)
        out.append(NumberMention(text[s:e].strip(), base + s, base + s + len(text[s:e].strip()),
                                 value, low, high, unit, exact))
        taken.append((s, e))
    for m in _WORDNUM_RE.finditer(text):
        s, e = m.start(), m.end()
        if skipped(s, e) or any(a < e and s < b for a, b in taken):
            continue
        word = m.group("word").lower()
        if word == "one" and not m.group("unit"):
            continue  # "one of them": a pronoun far more often than a count
        value = float(_WORD_NUMBERS[word])
        if m.group("word2"):
            value += _WORD_NUMBERS[m.group("word2").lower()]
        unit = _unit_of(m.group("unit"), None, False)
        low, high, exact = _bounds(text, s, value, unit)
        if word in ("dozens", "scores", "hundreds", "thousands"):
            low, high, exact = value / 2, value * 5, False
        out.append(NumberMention(text[s:e], base + s, base + e, value, low, high, unit, exact))
    out.sort(key=lambda n: n.start)
    return out


# A capitalised name then a comma right before a number: an age in apposition.
_AGE_APPOSITION_RE = re.compile(r"[A-Z][\w'\u2019-]+,\s*$")

_QUOTED_PHRASE_RE = re.compile(r"[\"\u201c\u201e\u00ab]([^\"\u201c\u201d\u201e\u00ab\u00bb]{3,80})[\"\u201d\u00bb]")


def quoted_phrases(text: str) -> list[str]:
    """Short phrases in quotation marks inside a statement ("through personal contacts")."""
    return [m.group(1) for m in _QUOTED_PHRASE_RE.finditer(text) if len(m.group(1).split()) <= 8]


# --------------------------------------------------------------------------- attribution

# Datelines and bylines that open a story's first sentence: "LONDON - ", "PARIS –",
# "West Palm Beach, Florida (CNN) ", "(CNN) ", "MOSCOW, November 7 (Sputnik) - ", and
# transcript speaker labels ("WALT: ").
_DATELINE_RE = re.compile(
    r"^\s*(?:"
    r"[A-Z][A-Z .,'\u2019-]{1,40}(?:\([^()\n]{1,30}\))?\s*[-\u2013\u2014:]\s+"
    r"|(?:[A-Z][\w.'\u2019-]*(?:,?\s+[A-Z0-9][\w.'\u2019-]*){0,5}\s*)?\((?:[A-Z]{2,}|[A-Z][a-z]+)\)\s*[-\u2013\u2014]?\s*(?=[A-Z\"\u201c])"
    r")"
)
_SAY = (r"(?:said|says|say|told(?:\s+[\w.'\u2019-]+){0,3}?|reported|reports|stated|added|explained|noted|"
        r"wrote|tweeted|declared)")
_SAY_THAT = r"(?:announced|confirmed|insisted|claimed|claims|believes|believed)\s+that"
_WHEN = r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|earlier|later|late\s+\w+))?"
_CONTEXT = r"(?:\s+(?:in\s+a\s+statement|in\s+an\s+interview|on\s+\w+|to\s+[\w ]{2,30}?))?"
# "Police say ...", "The FBI says that ...", "He told reporters on Friday ...": a short
# subject (no comma) and a verb of saying at the start of the sentence.
_LEAD_SAY_RE = re.compile(
    r"^(?:[A-Z][^,;:\"\u201c]{0,60}?)\s+(?:" + _SAY + _WHEN + _CONTEXT + r",?(?:\s+that)?|" + _SAY_THAT + r")\s+(?=\S)")
_LEAD_ACCORDING_RE = re.compile(r"^(?:According to|As reported by|Citing)\s+[^,;]{2,80},\s+", re.I)
# "..., Peter McKenna, the deputy director of ..., said in a statement.", "..., said
# Peskov." and "... according to Chosun Ilbo."
_TRAIL_SAY_RE = re.compile(
    r",\s*(?:[^;\"\u201c\u201d]{2,140}?\s+" + _SAY + r"|" + _SAY + r"\s+[^,;\"\u201c\u201d]{2,90}?)"
    + _WHEN + _CONTEXT + r"[.!]?[\"\u201d\u2019']?\s*$")
_TRAIL_ACCORDING_RE = re.compile(r",?\s+(?:according to|citing|as reported by)\s+[^,;]{2,80}[.!]?[\"\u201d\u2019']?\s*$", re.I)


def proposition_bounds(text: str) -> tuple[int, int]:
    """Offsets of what ``text`` states, without its dateline and its attribution.

    "LONDON - Police say 27 people are injured." -> "27 people are injured."; "..., Reuters
    reported." and "..., according to Chosun Ilbo." lose their tails. Used for alignment
    only (embeddings and shared words): who said it and where the wire was filed mislead
    both. A strip that would leave fewer than three words is not made.

    Args:
        text: a claim's proposition or sentence.

    Returns:
        ``(start, end)`` into ``text``.
    """
    s, e = 0, len(text)
    for pat in (_DATELINE_RE, _LEAD_ACCORDING_RE, _LEAD_SAY_RE):
        m = pat.match(text[s:e])
        if m and len(WORD_RE.findall(text[s + m.end():e])) >= 3:
            s += m.end()
    for pat in (_TRAIL_ACCORDING_RE, _TRAIL_SAY_RE):
        m = pat.search(text[s:e])
        if m and m.start() > 0 and len(WORD_RE.findall(text[s:s + m.start()])) >= 3:
            e = s + m.start()
    while s < e and text[s] in " \"\u201c\u201d'\u2018\u2019,-\u2013\u2014":
        s += 1
    while e > s and text[e - 1] in " ,;:-\u2013\u2014":
        e -= 1
    return (s, e) if e > s else (0, len(text))
