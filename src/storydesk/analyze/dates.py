"""Find date and time expressions and normalise them on the calendar.

The stage reads top-down like this:

1. recognise candidate expressions with the language's compiled rules
   (:mod:`storydesk.analyze.date_patterns`) plus the language-independent numeric forms,
   and keep the longest non-overlapping ones;
2. walk them in text order and resolve each against the publication date: absolute
   dates as written; relative ones ("on Thursday", "January 20", "last week") by the
   calendar, choosing past or future by the tense of the sentence they stand in;
   anaphoric ones ("a year earlier", "the next day") against the previous date the text
   mentioned;
3. give times of day the date of the nearest date in their sentence.

Conventions a reader of the output relies on:

- ``value`` is the first day of the period at ``precision`` (``2024-11-01`` for
  "November 2024", the ISO Monday for a week, the first day of a quarter, of a season
  — spring 03-01, summer 06-01, fall 09-01, winter 12-01 of the year it starts — and of
  a decade or century); :func:`storydesk.records.iso_value` formats it as ISO 8601 (None
  for a season, quarter, decade or century) and :func:`storydesk.records.timex_value` as
  TimeML ("2024-WI", "2024-Q1", "199", "18").
- A relative expression in an article without a publication date keeps ``value=None``
  but its nominal ``precision`` ("day" for "on Friday") and ``relative=True``; a month
  and day without a year are never given an invented year.
- Vague references ("now", "recently", "the future") are ``kind="date"``,
  ``value=None``, ``precision=None``, ``relative=True`` and ``direction`` says which
  (TimeML's PRESENT_REF / PAST_REF / FUTURE_REF).
- Durations ("six months", "within 24 hours" → "24 hours", "a 100-day timeline" →
  "100-day") are ``kind="duration"`` and sets ("every Friday", "daily") ``kind="set"``,
  both always with ``value=None`` and ``precision=None``.
- ``direction`` of a resolved relative expression says where its period lies from the
  publication date (``past`` / ``present`` when it contains it / ``future``); of an
  unresolved one, what the tense said.

How the calendar is chosen:

- Tense comes from the nearest tense marker in the sentence ("will", "was", "said",
  "-ed" verbs, Russian/Ukrainian past "-л/-ла/-ли" and future "будет/буде"), or from
  the governing verb of a spaCy parse when ``doc`` is given.
- A month and day without a year ("January 20"): past → the latest one on or before
  publication, future → the earliest on or after, unknown → the nearest. A date used
  attributively ("the Jan. 20 inauguration") takes no tense. When the tense marker is
  not right next to the date (more than ``STRONG_TENSE_CHARS``) and the tense-consistent
  reading lies more than ``TENSE_WINDOW_DAYS`` from publication, the nearer reading wins:
  the nearest verb is often not the date's own ("declared a dividend payable Dec. 15").
- A weekday: past or unknown → the most recent such day, publication day included
  (wire copy says "Peskov said on Friday" in a Friday article); future → the next such
  day, publication day included; "last Friday" / "next Friday" exclude it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

from storydesk.analyze import date_patterns as P
from storydesk.records import DateMention

log = logging.getLogger(__name__)

Tense = str | None  # "past" | "future" | None (unknown)

_FINENESS = {"century": -1, "decade": 0, "year": 1, "season": 2, "quarter": 2, "month": 3, "week": 4,
             "day": 5, "time": 6}
_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12, "decade": 120}
_RELATIVE_SPECS = frozenset({"md", "m", "wd", "rel", "q", "qref", "s", "ana", "dec2",
                             "pod", "vague", "clock"})

# A fast sentence splitter for tense decisions: ends at . ! ? … followed by space and
# a capital or quote, and at every line break. Abbreviations like "Nov. 7" never split
# because a digit follows; "U.S. President" does, which costs nothing for tense.
# How far from publication a tense-consistent month/day reading may be before a nearer
# reading of the other direction wins. Tuned on TimeBank/AQUAINT (value F1 by window:
# see bench/dates.py); coupled to the ±1 year candidates in _Context._pick_year.
TENSE_WINDOW_DAYS = 240
# Tense evidence this close to the expression (in characters: "took place on March 3")
# is trusted whatever the distance in days. Tuned with TENSE_WINDOW_DAYS on TimeBank.
STRONG_TENSE_CHARS = 12
# A tense marker after the expression counts this many times farther away: verbs
# usually precede their adverbials ("will take place on January 20").
RIGHT_MARKER_WEIGHT = 2.5
# "the Jan. 20 inauguration": a date used attributively takes no tense from the clause.
_ATTRIBUTIVE = re.compile(r"\s+[a-z][a-z-]+\b")
_THE_BEFORE = re.compile(r"\b(?:the|a|an|this|its|his|her|their)\s+\Z", re.I)
_THE_WILL = re.compile(r"\b(?:the|a|his|her|their|political|free|own|good)\s+\Z")  # "the will of the voters"
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"“«'(\[A-ZА-ЯЁІЇЄҐ])|\n+")


# =========================================================================== public API


def find_dates(text: str, *, article_id: str, published: dt.date | None, language: str | None,
               sentences: Sequence[tuple[int, int]] | None = None, doc: Any = None,
               ) -> tuple[DateMention, ...]:
    """Find the date, time, duration and set expressions of a text and resolve them.

    Args:
        text: the article's clean text.
        article_id: id recorded on every mention.
        published: the publication date that relative expressions are resolved against;
            None leaves relative expressions unresolved (absolute ones still resolve).
        language: ISO 639-1 code; English, Russian and Ukrainian are fully handled,
            German/French/Spanish for dates with month names; any other value (or None)
            gets the language-independent numeric forms (``2024-11-08``, ``08.11.2024``).
        sentences: optional ``(start, end)`` sentence offsets; tense is decided within
            the sentence. Split with a fast rule when None.
        doc: optional spaCy ``Doc`` over the same text (English); when given, the tense
            of the verb governing an expression is read from its morphology.

    Returns:
        Mentions sorted by start, non-overlapping, each with
        ``text[m.start:m.end] == m.text``.

    Raises:
        TypeError: when ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_dates needs the article text as str, got {type(text).__name__}")
    if isinstance(published, dt.datetime):
        published = published.date()
    lang = _language(language)
    hits = _recognise(text, lang)
    if not hits:
        return ()
    ctx = _Context(text, lang, published, sentences, doc)
    out: list[DateMention] = []
    for start, end, kind, spec in hits:
        value, precision, relative, direction = ctx.resolve(start, end, kind, spec)
        out.append(DateMention(article_id=article_id, start=start, end=end, text=text[start:end],
                               value=value, precision=precision, kind=kind,  # type: ignore[arg-type]
                               relative=relative, direction=direction))  # type: ignore[arg-type]
    return tuple(_date_times(out, ctx))


# =========================================================================== recognition


def _language(language: str | None) -> str | None:
    if not language:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code if code in P.RULES_BY_LANGUAGE else None


def _top_level_alternatives(pattern: str) -> list[str]:
    out, depth, cur, i = [], 0, "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur += pattern[i:i + 2]
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    out.append(cur)
    return out


def _trie_regex(words: Sequence[str]) -> str:
    """One regex for a set of literal words, with shared prefixes factored out: ``re``
    tries alternatives one by one, so a trie scans ~2x faster than a flat alternation."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _trigger(rules: Sequence[P.Rule]) -> re.Pattern[str]:
    """A regex finding every token at which some rule can start: literal first words (as
    a trie), the rules' few non-literal first patterns, digit runs, and an apostrophe
    before a digit ("'90s")."""
    literal: set[str] = set()
    other: set[str] = set()
    for rule in rules:
        for alt in _top_level_alternatives(rule.first):
            if alt in ("0", "'", ""):
                continue
            if re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)*", alt):
                literal.update({alt, alt.replace("'", "’"), alt.replace("'", "ʼ")})
            else:
                other.add(alt)
    alternatives = [_trie_regex(sorted(literal))] if literal else []
    alternatives += sorted(other, key=len, reverse=True)
    # digits may follow a letter ("Friday06 December 2024" in scraped datelines)
    numeric = r"(?<!\d)\d+|['’](?=\d)"
    if not alternatives:
        return re.compile(numeric)
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives)})(?![^\W\d_])|{numeric}")


_TRIGGERS = {lang: _trigger(rules) for lang, rules in P.RULES_BY_LANGUAGE.items()}


@functools.lru_cache(maxsize=100_000)
def _rules_for_token(lang: str | None, token: str) -> tuple[int, ...]:
    """Indexes of the language's rules that can start at a token (a pure memo: news
    vocabulary repeats, and testing ~40 patterns per distinct token is the costly part)."""
    rules = P.RULES_BY_LANGUAGE[lang]
    forms = {token, token.replace("’", "'").replace("ʼ", "'")}
    if "'" in token or "’" in token:
        forms.add(re.split(r"['’ʼ]", token)[0])
    return tuple(i for i, r in enumerate(rules) if any(_FIRST[lang][i].fullmatch(f) for f in forms))


_FIRST = {lang: [re.compile(r.first) for r in rules] for lang, rules in P.RULES_BY_LANGUAGE.items()}


def _recognise(text: str, lang: str | None) -> list[P.Hit]:
    """All rule matches of the language, longest first, without overlaps, in text order.

    Each rule is tried only at the tokens that can start it (one tokenizer pass instead
    of one regex scan per rule: ~5x faster on TimeBank).
    """
    rules = P.RULES_BY_LANGUAGE[lang]
    low = _lower(text)
    cands: list[tuple[int, int, int, str, P.Spec]] = []  # (start, end, priority, kind, spec)
    seen: dict[str, tuple[int, ...]] = {}
    for tm in _TRIGGERS[lang].finditer(low):
        tok = tm.group()
        if not tok:
            continue
        key = "0" if tok[0].isdigit() else tok
        idxs = seen.get(key)
        if idxs is None:
            idxs = seen[key] = _rules_for_token(lang, key)
        if not idxs:
            continue
        pos = tm.start()
        for i in idxs:
            rule = rules[i]
            m = rule.regex.match(low if rule.lower else text, pos)
            if m is None:
                continue
            for start, end, kind, spec in rule.build(m):
                if end > start:
                    cands.append((start, end, rule.priority, kind, spec))
    cands.sort(key=lambda c: (c[0] - c[1], -c[2], c[0]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[P.Hit] = []
    for start, end, _prio, kind, spec in cands:
        i = bisect.bisect_right(starts, start)
        if i > 0 and ends[i - 1] > start:
            continue
        if i < len(starts) and starts[i] < end:
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.insert(i, (start, end, kind, spec))
    return kept


def _lower(text: str) -> str:
    """Lower-case without changing offsets (a few characters, like "İ", lower to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# =========================================================================== resolution


class _Context:
    """Everything resolution needs for one text: publication date, tense, references."""

    def __init__(self, text: str, lang: str | None, published: dt.date | None,
                 sentences: Sequence[tuple[int, int]] | None, doc: Any) -> None:
        self.text = text
        self.lang = lang
        self.pub = published
        self.doc = doc
        if sentences is None:
            sentences = _split_sentences(text)
        self.sents = sorted((int(s), int(e)) for s, e in sentences)
        self.sent_starts = [s for s, _ in self.sents]
        self._markers: dict[int, list[tuple[int, int, str]]] = {}
        self.ref: tuple[dt.date, str] | None = None  # last resolved date and its precision
        self.last_quarter: dt.date | None = None

    # ------------------------------------------------------------------ sentences and tense

    def sentence_of(self, pos: int) -> tuple[int, int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0 or pos >= self.sents[i][1]:
            # outside every given sentence: take the line it is on
            s = self.text.rfind("\n", 0, pos) + 1
            e = self.text.find("\n", pos)
            return -1 - s, s, len(self.text) if e < 0 else e
        return i, self.sents[i][0], self.sents[i][1]

    def tense(self, start: int, end: int) -> Tense:
        """Past, future or None (unknown) for the expression at ``start:end``."""
        return self.tense_and_distance(start, end)[0]

    def tense_and_distance(self, start: int, end: int) -> tuple[Tense, float]:
        """The tense and how far (in characters) its evidence is from the expression; a
        parse (``doc``) counts as adjacent evidence."""
        if self.doc is not None and self.lang == "en":
            t = _tense_from_doc(self.doc, start, end)
            if t != "unknown":
                return t, 0.0
        idx, s, e = self.sentence_of(start)
        markers = self._markers.get(idx)
        if markers is None:
            markers = _tense_markers(self.text, s, e, self.lang)
            self._markers[idx] = markers
        best: tuple[float, str] | None = None
        for ms, me, label in markers:
            if ms < end and me > start:
                continue  # inside the expression itself ("last", "ago")
            dist = (start - me) if me <= start else (ms - end) * RIGHT_MARKER_WEIGHT
            if best is None or dist < best[0]:
                best = (dist, label)
        if best is None or best[1] == "present":
            return None, float("inf")
        return best[1], best[0]

    # ------------------------------------------------------------------ one mention

    def resolve(self, start: int, end: int, kind: str, spec: P.Spec
                ) -> tuple[dt.date | None, str | None, bool, str | None]:
        """Return ``(value, precision, relative, direction)`` for one recognised expression."""
        tag = spec[0]
        if tag == "none":
            return None, None, False, None
        if tag == "vague":
            return None, None, True, spec[1]
        relative = tag in _RELATIVE_SPECS or (tag == "hol" and spec[2] is None)
        try:
            got = self._calendar(start, end, spec)
        except (ValueError, OverflowError):  # a day past the calendar's end, year 0, ...
            got = None
        if got is None or got[0] is None:
            nominal = got[1] if got else _nominal_precision(spec)
            direction = self._mode_direction(spec) or (self.tense(start, end) if relative else None)
            return None, nominal, relative, direction
        value, precision = got
        if kind == "time" and tag == "ymd":
            precision = "time"  # "2024-11-08T10:00Z"
        # Anaphoric results do not become the reference: two "a year earlier" in a row
        # both count from the period the text is about, not from each other.
        if kind == "date" and precision is not None and tag != "ana":
            self.ref = (value, precision)
            if precision == "quarter":
                self.last_quarter = value
        direction = None
        if relative and self.pub is not None:
            direction = _direction(value, precision, self.pub)
        return value, precision, relative, direction

    @staticmethod
    def _mode_direction(spec: P.Spec) -> str | None:
        mode = spec[-1] if spec[0] in ("m", "wd", "q", "s") else None
        if spec[0] == "rel":
            return "past" if spec[2] < 0 else "future" if spec[2] > 0 else "present"
        return {"last": "past", "next": "future", "this": "present"}.get(mode) if isinstance(mode, str) else None

    def _calendar(self, start: int, end: int, spec: P.Spec) -> tuple[dt.date | None, str | None] | None:
        tag = spec[0]
        pub = self.pub
        if tag == "ymd":
            return dt.date(spec[1], spec[2], spec[3]), "day"
        if tag == "ym":
            return dt.date(spec[1], spec[2], 1), "month"
        if tag == "y":
            return dt.date(spec[1], 1, 1), "year"
        if tag == "yq":
            return dt.date(spec[1], 3 * spec[2] - 2, 1), "quarter"
        if tag == "ys":
            return _season_start(spec[1], spec[2]), "season"
        if tag == "dec":
            return dt.date(spec[1] * 10, 1, 1), "decade"
        if tag == "cent":
            return dt.date(spec[1] * 100, 1, 1), "century"
        if tag == "ambig":
            return self._ambiguous(spec)
        if tag == "ana":
            return self._anaphoric(spec[1], spec[2])
        if tag == "clock":
            return None, "time"  # dated later from its sentence (see _date_times)
        if pub is None:
            return None, _nominal_precision(spec)
        if tag == "md":
            return self._month_day(start, end, spec[1], spec[2], spec[3]), "day"
        if tag == "hol":
            if spec[2] is not None:
                return _holiday(spec[1], spec[2]), "day"
            return self._pick_year(start, end, lambda y: _holiday(spec[1], y)), "day"
        if tag == "m":
            return self._month(start, end, spec[1], spec[2]), "month"
        if tag == "wd":
            return self._weekday(start, end, spec[1], spec[2]), "day"
        if tag == "rel":
            return _shift_from(pub, spec[1], spec[2])
        if tag == "pod":
            return pub + dt.timedelta(days=spec[1]), "day"
        if tag == "q":
            return self._quarter(start, end, spec[1], spec[2]), "quarter"
        if tag == "qref":
            return self._quarter_ref(spec[1]), "quarter"
        if tag == "s":
            return self._season(start, end, spec[1], spec[2]), "season"
        if tag == "dec2":
            options = [c * 10 + spec[1] for c in (190, 200) if (c * 10 + spec[1]) * 10 <= pub.year]
            return (dt.date(max(options) * 10, 1, 1), "decade") if options else (None, "decade")
        log.debug("unknown date spec %r", spec)
        return None

    # ------------------------------------------------------------------ calendar helpers

    def _pick(self, start: int, end: int, periods: list[tuple[dt.date, dt.date]],
              tense: Tense | str = "auto") -> dt.date | None:
        """Choose among candidate periods by the tense: past → the latest that began on or
        before publication; future → the earliest that has not ended; unknown → nearest."""
        pub = self.pub
        assert pub is not None
        distance = float("inf")
        if tense == "auto":
            if _ATTRIBUTIVE.match(self.text, end) and _THE_BEFORE.search(self.text, max(0, start - 6), start):
                tense = None
            else:
                tense, distance = self.tense_and_distance(start, end)
        periods = sorted(periods)
        nearest = min(periods, key=lambda p: (_gap(p, pub), p[0] > pub))
        chosen = None
        if tense == "past":
            past = [p for p in periods if p[0] <= pub]
            chosen = past[-1] if past else None
        elif tense == "future":
            fut = [p for p in periods if p[1] >= pub]
            chosen = fut[0] if fut else None
        # The tense is read from the nearest verb, which is not always the one the date
        # belongs to ("declared a dividend payable Dec. 15"); a tense-consistent reading
        # far from publication loses to a near one of the other direction.
        weak = distance > STRONG_TENSE_CHARS
        if chosen is None or (weak and _gap(chosen, pub) > TENSE_WINDOW_DAYS and _gap(nearest, pub) < _gap(chosen, pub)):
            return nearest[0]
        return chosen[0]

    def _pick_year(self, start: int, end: int, make: Any) -> dt.date | None:
        assert self.pub is not None
        periods = []
        for y in (self.pub.year - 1, self.pub.year, self.pub.year + 1):
            try:
                d = make(y)
            except ValueError:  # February 29 in a common year
                continue
            periods.append((d, d))
        return self._pick(start, end, periods) if periods else None

    def _month_day(self, start: int, end: int, month: int, day: int, weekday: int | None) -> dt.date | None:
        assert self.pub is not None
        if weekday is not None:
            # "Thursday, November 7": the year whose November 7 is a Thursday, nearest first
            for off in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
                try:
                    d = dt.date(self.pub.year + off, month, day)
                except ValueError:
                    continue
                if d.weekday() == weekday:
                    return d
        return self._pick_year(start, end, lambda y: dt.date(y, month, day))

    def _month(self, start: int, end: int, month: int, mode: str | None) -> dt.date | None:
        pub = self.pub
        assert pub is not None
        periods = [(dt.date(y, month, 1), _month_end(y, month)) for y in (pub.year - 1, pub.year, pub.year + 1)]
        this_month = dt.date(pub.year, pub.month, 1)
        if mode == "this":
            return dt.date(pub.year, month, 1)
        if mode == "last":
            return max(p[0] for p in periods if p[0] < this_month)
        if mode == "next":
            return min(p[0] for p in periods if p[0] > this_month)
        return self._pick(start, end, periods)

    def _weekday(self, start: int, end: int, weekday: int, mode: str | None) -> dt.date:
        pub = self.pub
        assert pub is not None
        back = (pub.weekday() - weekday) % 7
        ahead = (weekday - pub.weekday()) % 7
        if mode == "last":
            return pub - dt.timedelta(days=back or 7)
        if mode == "next":
            return pub + dt.timedelta(days=ahead or 7)
        tense = self.tense(start, end)
        if mode == "this" and tense is None:
            tense = "future"
        # News reports what happened: a weekday with no future marker is the most recent
        # one, today included ("Peskov said on Friday" in a Friday article).
        if tense == "future":
            return pub + dt.timedelta(days=ahead)
        return pub - dt.timedelta(days=back)

    def _quarter(self, start: int, end: int, q: int, mode: str | None) -> dt.date | None:
        pub = self.pub
        assert pub is not None
        if mode == "this":
            return dt.date(pub.year, 3 * q - 2, 1)
        periods = [(dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)) for y in (pub.year - 1, pub.year, pub.year + 1)]
        current = _quarter_start(pub)
        if mode == "last":
            return max(p[0] for p in periods if p[0] < current)
        if mode == "next":
            return min(p[0] for p in periods if p[0] > current)
        tense = self.tense(start, end)
        return self._pick(start, end, periods, tense if tense == "future" else "past")

    def _quarter_ref(self, mode: str) -> dt.date:
        pub = self.pub
        assert pub is not None
        current = _quarter_start(pub)
        if mode == "this":
            return current
        if mode == "next":
            return _add_months(current, 3)
        if mode == "latest" and self.last_quarter is not None:
            return self.last_quarter
        # "the quarter" in a report: the last one completed before publication
        return _add_months(current, -3)

    def _season(self, start: int, end: int, season: str, mode: str | None) -> dt.date | None:
        pub = self.pub
        assert pub is not None
        periods = []
        for y in (pub.year - 2, pub.year - 1, pub.year, pub.year + 1):
            s = _season_start(y, season)
            periods.append((s, _add_months(s, 3) - dt.timedelta(days=1)))
        if mode == "last":
            done = [p for p in periods if p[1] < pub]
            return done[-1][0] if done else None
        if mode == "next":
            return next((p[0] for p in periods if p[0] > pub), None)
        if mode == "this":
            return min(periods, key=lambda p: _gap(p, pub))[0]
        return self._pick(start, end, periods)

    def _anaphoric(self, unit: str, n: int) -> tuple[dt.date | None, str | None]:
        # "the following weekend" counts in weeks; a fortnight is two of them.
        if unit == "weekend":
            unit = "week"
        elif unit == "fortnight":
            unit, n = "week", 2 * n
        if self.ref is None:
            if self.pub is None:
                return None, unit if unit in _FINENESS else None
            return _shift_from(self.pub, unit, n)
        value, precision = self.ref
        if precision == "time":
            precision = "day"
        if _FINENESS.get(unit, 5) > _FINENESS[precision]:
            return None, precision  # "a week later" after "in 2019": no such date
        if unit in ("day", "week"):
            days = n * (7 if unit == "week" else 1)
            if precision == "week":
                return value + dt.timedelta(days=days), "week"
            return value + dt.timedelta(days=days), precision
        if unit not in _UNIT_MONTHS:
            return None, precision  # centuries, millennia: too coarse to shift a date by
        months = n * _UNIT_MONTHS[unit]
        shifted = _add_months(value, months)
        if precision == "week":
            shifted -= dt.timedelta(days=shifted.weekday())
        return shifted, precision

    def _ambiguous(self, spec: P.Spec) -> tuple[dt.date | None, str]:
        y, (m1, d1), (m2, d2) = spec[1], spec[2], spec[3]
        month_first = dt.date(y, m1, d1)
        day_first = dt.date(y, m2, d2)
        if self.lang == "en":
            return month_first, "day"
        if self.lang is not None:
            return day_first, "day"
        if self.pub is None:
            return None, "day"
        return min((month_first, day_first), key=lambda d: abs((d - self.pub).days)), "day"


# =========================================================================== tense


def _split_sentences(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _tense_markers(text: str, s: int, e: int, lang: str | None) -> list[tuple[int, int, str]]:
    chunk = _lower(text[s:e])
    out: list[tuple[int, int, str]] = []
    if lang == "en":
        for m in P.EN_FUTURE.finditer(chunk):
            if m[0] == "will" and _THE_WILL.search(chunk, max(0, m.start() - 12), m.start()):
                continue  # "the will of the voters"
            out.append((s + m.start(), s + m.end(), "future"))
        for m in P.EN_PAST.finditer(chunk):
            if m[0] in P.EN_NOT_PAST:
                continue
            out.append((s + m.start(), s + m.end(), "past"))
        for m in P.EN_PRESENT.finditer(chunk):
            out.append((s + m.start(), s + m.end(), "present"))
    elif lang in ("ru", "uk"):
        for m in P.RU_FUTURE.finditer(chunk):
            out.append((s + m.start(), s + m.end(), "future"))
        for m in P.RU_PAST.finditer(chunk):
            if m[0] not in P.RU_NOT_PAST:
                out.append((s + m.start(), s + m.end(), "past"))
    return out


def _tense_from_doc(doc: Any, start: int, end: int) -> Tense | str:
    """Tense of the verb governing the expression in a spaCy parse, or ``"unknown"``."""
    try:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return "unknown"
        tok = span.root
        for _ in range(5):
            if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
                break
            tok = tok.head
        if tok.pos_ not in ("VERB", "AUX"):
            return "unknown"
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in ("will", "shall", "'ll", "wo", "’ll") for a in auxes):
            return "future"
        if any(a.lower_ == "going" for a in auxes) or any(c.lower_ in ("to",) and c.dep_ == "aux" for c in auxes):
            return "future"
        if "Past" in tok.morph.get("Tense") or any("Past" in a.morph.get("Tense") for a in auxes):
            return "past"
        if tok.tag_ in ("VBZ", "VBP") and not auxes:
            return None
        return "unknown"
    except Exception:  # a doc over another text, a blank pipeline: fall back to rules
        log.debug("tense from doc failed", exc_info=True)
        return "unknown"


# =========================================================================== times of day


def _date_times(mentions: list[DateMention], ctx: _Context) -> list[DateMention]:
    """Give clock times the date of the nearest day-precision date in their sentence."""
    out = list(mentions)
    for i, m in enumerate(out):
        if m.kind != "time" or m.value is not None or m.precision != "time":
            continue
        idx, s, e = ctx.sentence_of(m.start)
        best: tuple[int, DateMention] | None = None
        for other in out:
            if other is m or other.value is None or other.precision not in ("day", "time"):
                continue
            if other.start < s or other.end > e:
                continue
            gap = (m.start - other.end) if other.end <= m.start else (other.start - m.end)
            if best is None or gap < best[0]:
                best = (gap, other)
        if best is not None:
            src = best[1]
            out[i] = DateMention(article_id=m.article_id, start=m.start, end=m.end, text=m.text,
                                 value=src.value, precision="time", kind="time",
                                 relative=src.relative, direction=src.direction)
    return out


# =========================================================================== calendar arithmetic


def _nominal_precision(spec: P.Spec) -> str | None:
    tag = spec[0]
    return {"md": "day", "wd": "day", "pod": "day", "hol": "day", "m": "month", "q": "quarter",
            "qref": "quarter", "s": "season", "dec2": "decade", "clock": "time",
            "ambig": "day"}.get(tag) or (spec[1] if tag in ("rel", "ana") and spec[1] in _FINENESS else
                                         "week" if tag == "rel" and spec[1] == "weekend" else None)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    last = _month_end(y, m + 1).day
    return dt.date(y, m + 1, min(d.day, last))


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _quarter_start(d: dt.date) -> dt.date:
    return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _season_start(year: int, season: str) -> dt.date:
    return dt.date(year, {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season], 1)


def _shift_from(pub: dt.date, unit: str, n: int) -> tuple[dt.date | None, str | None]:
    """The period ``n`` units away from the publication date, at that unit's precision."""
    if unit == "day":
        return pub + dt.timedelta(days=n), "day"
    if unit in ("week", "weekend"):
        monday = pub - dt.timedelta(days=pub.weekday())
        return monday + dt.timedelta(weeks=n), "week"
    if unit == "month":
        return _add_months(dt.date(pub.year, pub.month, 1), n), "month"
    if unit == "quarter":
        return _add_months(_quarter_start(pub), 3 * n), "quarter"
    if unit == "year":
        return dt.date(pub.year + n, 1, 1), "year"
    if unit == "decade":
        return dt.date((pub.year // 10 + n) * 10, 1, 1), "decade"
    return None, None


def _period_end(value: dt.date, precision: str) -> dt.date:
    if precision in ("day", "time"):
        return value
    if precision == "week":
        return value + dt.timedelta(days=6)
    months = {"month": 1, "quarter": 3, "season": 3, "year": 12, "decade": 120, "century": 1200}[precision]
    return _add_months(value, months) - dt.timedelta(days=1)


def _direction(value: dt.date, precision: str, pub: dt.date) -> str:
    if _period_end(value, precision) < pub:
        return "past"
    if value > pub:
        return "future"
    return "present"


def _gap(period: tuple[dt.date, dt.date], pub: dt.date) -> int:
    if period[0] <= pub <= period[1]:
        return 0
    return min(abs((period[0] - pub).days), abs((period[1] - pub).days))


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month (n = -1 for the last one)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = _month_end(year, month)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _holiday(name: str, year: int) -> dt.date:
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year s day": (1, 1), "new year s eve": (12, 31), "independence day": (7, 4),
             "halloween": (10, 31), "valentine s day": (2, 14), "veterans day": (11, 11),
             "inauguration day": (1, 20)}
    if name in fixed:
        return dt.date(year, *fixed[name])
    if name.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if name.startswith("easter"):
        return _easter(year)
    if name == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    if name == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if name == "election day":  # the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    raise ValueError(f"unknown holiday {name!r}")
