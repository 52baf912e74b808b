"""Word lists and compiled recognition rules for date and time expressions.

English rules and the numeric and year rules every language shares are here, with the
rule table per language (:data:`RULES_BY_LANGUAGE`) and the tense markers; the other
languages' rules are in :mod:`storydesk.analyze.date_patterns_intl`, the rule record and
shared helpers in :mod:`storydesk.analyze.date_rule`.

Each :class:`~storydesk.analyze.date_rule.Rule` pairs a compiled regex with a ``build``
function that turns a match into zero or more :data:`~storydesk.analyze.date_rule.Hit`
tuples ``(start, end, kind, spec)``. A *spec* is a small
tuple saying what the expression means on the calendar, independent of any publication
date (``("md", 11, 7, None)`` is "November 7, year unknown"); :mod:`storydesk.analyze.dates`
resolves specs against the publication date, the tense and earlier mentions.

Spec vocabulary (first element names it):

- ``ymd y m d`` / ``ym y m`` / ``y y`` / ``yq y q`` / ``ys y s`` / ``dec d3`` / ``cent c2``: absolute
  day, month, year, quarter, season ("SP", "SU", "FA", "WI"), decade (``199`` = 1990s)
  and century (``cent 18`` = the 1800s);
  ``dec2 d`` is a decade without century ("the '90s"); ``ambig y (m, d) (m, d)`` a
  slash date readable both ways.
- ``md m d wd``: month and day without year (``wd`` = weekday named with it, or None).
- ``m m mode`` / ``wd wd mode`` / ``q q mode`` / ``s s mode``: a month, weekday, quarter
  or season without year; mode is None (decided by tense), ``last``, ``this`` or ``next``.
- ``rel unit n``: ``n`` units from the publication date ("yesterday" = ``rel day -1``).
- ``ana unit n``: ``n`` units from the previously mentioned date ("a year earlier").
- ``qref mode``: "the quarter" / "the latest quarter" / "the current quarter".
- ``hol name year``: a named holiday, year possibly None.
- ``vague dir``: "now", "recently", "the future": no calendar value (TimeML's
  PRESENT_REF / PAST_REF / FUTURE_REF).
- ``clock h mi``: a time of day; ``pod n``: a part of day ``n`` days from publication
  ("this morning", "last night").
- ``none``: durations and sets, which never get a calendar value.

Speed: the stage must run at hundreds of articles a second in pure Python, and ``re``
only scans fast for a pattern that starts with a literal or a character class. So every
rule starts at its most specific word (a month, a unit, "ago", a digit) and reads the
words before it with a small end-anchored regex
(:func:`~storydesk.analyze.date_rule.match_left`); rules whose words are case-insensitive
run over a lower-cased copy of the text (``Rule.lower``), because ``re.IGNORECASE``
defeats the fast scan (measured 3–5x slower on TimeBank). Month and weekday names are
matched case-sensitively (capitalised or upper case), which is also what keeps "may",
"march" and "sun" as ordinary words from starting a date.
"""

from __future__ import annotations

import re

from storydesk.analyze.date_patterns_intl import DE_RULES, ES_RULES, FR_RULES, RU_RULES, UK_RULES
from storydesk.analyze.date_rule import (
    Hit,
    Rule,
    Spec,  # noqa: F401 (re-exported: dates.py reads P.Spec, P.Rule, P.Hit)
    alt_words,
    build_duration,
    build_set,
    match_left,
    one_hit,
    valid_day,
)

# =========================================================================== lexicons

EN_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
EN_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
# Short weekday names only inside full dates ("Thu, 7 Nov 2024"): alone "Sun", "Sat",
# "Wed" and "Mon" are a newspaper, an exam, a verb and a name far more often.
EN_WEEKDAYS_SHORT: dict[str, int] = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}
EN_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "one hundred": 100, "a dozen": 12, "a couple of": 2, "a couple": 2,
    "couple of": 2, "half a": 0, "half an": 0,
}
EN_VAGUE_COUNT = ("a few", "few", "several", "many", "some", "dozens of", "hundreds of",
                  "a number of", "a matter of")
EN_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
    "4th": 4,
}
EN_SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI",
}
# Units of durations and their TimeML-ish calendar unit.
EN_UNITS: dict[str, str] = {
    "second": "second", "minute": "minute", "hour": "hour", "day": "day", "night": "day",
    "week": "week", "fortnight": "fortnight", "month": "month", "quarter": "quarter",
    "year": "year", "decade": "decade", "century": "century", "centurie": "century",
    "millennium": "millennium", "millennia": "millennium",
}

# Nouns after which a 4-digit number is a count, not a year ("1941 people").
COUNT_NOUNS = frozenset("""
people persons troops soldiers men women children civilians residents workers employees
votes voters cases deaths dead casualties victims refugees migrants prisoners passengers
units shares barrels tons tonnes miles kilometers kilometres km meters metres feet
dollars euros rubles roubles pounds yen yuan hryvnias points jobs homes houses vehicles
cars tanks drones missiles rockets shells aircraft planes flights beds pages words
members students protesters fighters officers police delegates seats signatures
patients doctors users copies items acres hectares calories kg mg ml gb mb
""".split())

# Words that make the following 4-digit number a quantity ("some 1500 troops").
QUANTITY_WORDS = frozenset("""
about nearly almost over under some around roughly approximately than least most only
just total estimated exactly additional another extra
""".split())

# Words after which a number is an identifier, never a year.
ID_WORDS = frozenset("""
no no. number page pages p. pp. room flight route highway article section chapter
paragraph resolution bill model version rule code box suite unit apartment building
gate platform track bus tram line lot item exhibit figure table order decree law
""".split())


# =========================================================================== helpers

def _norm(s: str) -> str:
    return re.sub(r"[\s-]+", " ", s.lower()).strip()


def _num(word: str) -> int | None:
    """Read an English cardinal ("24", "twenty four", "a", "several" → None)."""
    w = word.lower().replace("-", " ").replace(",", "").strip()
    w = re.sub(r"\s+", " ", w)
    if w.isdigit():
        return int(w)
    if w in EN_NUMBERS:
        return EN_NUMBERS[w]
    parts = w.split(" ")
    if len(parts) == 2 and parts[0] in EN_NUMBERS and parts[1] in EN_NUMBERS:
        a, b = EN_NUMBERS[parts[0]], EN_NUMBERS[parts[1]]
        if a >= 20 and a % 10 == 0 and 0 < b < 10:
            return a + b
        if b == 100 and 0 < a < 10:
            return a * 100
    return None


def _year_ok(y: int) -> bool:
    return 1000 <= y <= 2199


def _month_en(word: str) -> int:
    return EN_MONTHS[word.lower().rstrip(".")]


# =========================================================================== English

_MONTH_WORDS = [m.capitalize() for m in EN_MONTHS] + [m.upper() for m in EN_MONTHS]
# Alone, only full names are months: abbreviations need a day or a year ("Jan. 20").
_MONTH_FULL = [m.capitalize() for m in EN_MONTHS if len(m) > 3 or m == "may"]
MON = rf"(?P<mon>(?:{alt_words(_MONTH_WORDS)})\.?)"
MON_FULL = rf"(?P<mon>{alt_words(_MONTH_FULL + [m.upper() for m in _MONTH_FULL])})"
_WD_CASED = [w.capitalize() for w in EN_WEEKDAYS] + [w.upper() for w in EN_WEEKDAYS]
_WD_SHORT_CASED = [w.capitalize() for w in EN_WEEKDAYS_SHORT] + [w.upper() for w in EN_WEEKDAYS_SHORT]
WD = rf"(?P<wd>(?:{alt_words(_WD_CASED)})|(?:{alt_words(_WD_SHORT_CASED)})\.?)"
WD_FULL = rf"(?P<wd>{alt_words(_WD_CASED)})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR4 = r"(?P<year>(?:1[5-9]|2[01])\d\d)"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
NUM = (rf"(?P<num>\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?|(?:{_TENS})(?:[\s-](?:{_ONES}))?|"
       rf"{alt_words(list(EN_NUMBERS) + list(EN_VAGUE_COUNT))})")
PART_OF_DAY = r"(?P<pod>morning|afternoon|evening|night|overnight)"
_MODS = (r"early|earlier|late|later|mid|the end of|the beginning of|the start of|the middle of"
         r"|the first half of|the second half of|end of|beginning of|start of|middle of")

_LEFT_MONTH = re.compile(
    r"(?i:(?:\b(?P<cue>in|since|until|till|by|during|from|through|before|after|between|and|of|to"
    r"|since early|since late)[\s-]+)?(?:\b(?P<mode>this past|last|next|this)\s+)?"
    rf"(?:\b(?P<mod>{_MODS})[\s-]+)?)\Z")
# Cues that make "May" / "March" alone a month ("in May", "since March", "early May").
_STRONG_MONTH_CUES = frozenset({"in", "since", "until", "till", "by", "during", "from", "through",
                                "before", "after", "since early", "since late"})


_LEFT_WD = re.compile(rf"\b{WD},?\s+\Z")
_LEFT_WD_THE = re.compile(rf"(?:\b{WD},?\s+)?(?:\bthe\s+)?\Z")


def _month_day(m: re.Match[str], left: re.Match[str] | None) -> list[Hit]:
    mon = _month_en(m["mon"])
    day = int(m["day"])
    if not valid_day(mon, day):
        return []
    wd = left["wd"] if left else None
    wdn = None if wd is None else EN_WEEKDAYS.get(wd.lower(), EN_WEEKDAYS_SHORT.get(wd.lower().rstrip(".")))
    start = left.start() if left else m.start()
    if m["year"]:
        return one_hit(start, m.end(), "date", ("ymd", int(m["year"]), mon, day))
    return one_hit(start, m.end(), "date", ("md", mon, day, wdn))


def _b_month_day(m: re.Match[str]) -> list[Hit]:
    """"Nov. 7", "Thursday, November 7, 2024"."""
    return _month_day(m, match_left(m, _LEFT_WD, 16))


def _b_day_month(m: re.Match[str]) -> list[Hit]:
    """"7 November 2024", "Thursday, 7 Nov. 2024", "the 7th of November"."""
    return _month_day(m, match_left(m, _LEFT_WD_THE, 20))


def _b_month_year(m: re.Match[str]) -> list[Hit]:
    return one_hit(m.start(), m.end(), "date", ("ym", int(m["year"]), _month_en(m["mon"])))


def _b_month_alone(m: re.Match[str]) -> list[Hit]:
    left = match_left(m, _LEFT_MONTH)
    cue = _norm(left["cue"]) if left and left["cue"] else ""
    mode = left["mode"].lower() if left and left["mode"] else None
    mod = left["mod"] if left else None
    if m["mon"].lower() in ("may", "march") and cue not in _STRONG_MONTH_CUES and not mode and not mod:
        return []  # "Theresa May", "Johnson and May", "the March for Life"
    if not (cue or mode or mod) and re.match(r"\s+[A-Z][a-z]", m.string[m.end():m.end() + 3]):
        return []  # "April Ryan", "June Carter": a first name
    start = left.start("mode") if mode else left.start("mod") if mod else m.start()
    return one_hit(start, m.end(), "date", ("m", _month_en(m["mon"]), "last" if mode == "this past" else mode))


_LEFT_WEEKDAY = re.compile(r"(?i:\b(?P<mode>this past|this coming|last|next|this|past|coming)\s+)\Z")


def _b_weekday(m: re.Match[str]) -> list[Hit]:
    wd = EN_WEEKDAYS[m["wd"].lower()]
    left = match_left(m, _LEFT_WEEKDAY, 16)
    if left is None:
        return one_hit(m.start(), m.end(), "date", ("wd", wd, None))
    mode = {"this past": "last", "past": "last", "this coming": "next", "coming": "next"}.get(
        left["mode"].lower(), left["mode"].lower())
    return one_hit(left.start(), m.end(), "date", ("wd", wd, mode))


_LEFT_EARLY = re.compile(r"\b(?:early|late|earlier|later)\s+\Z")


_LEFT_DAY_AROUND = re.compile(r"\bthe\s+day\s+(?:before|after)\s+\Z")


def _b_deictic(m: re.Match[str]) -> list[Hit]:
    word = m["w"]
    shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    around = match_left(m, _LEFT_DAY_AROUND, 24)
    if around is not None and word in ("yesterday", "tomorrow"):  # "the day before yesterday"
        return one_hit(around.start(), m.end(), "date", ("rel", "day", 2 * shift))
    left = match_left(m, _LEFT_EARLY, 12)
    start = left.start() if left else m.start()
    if m["pod"] or word == "tonight":
        return one_hit(start, m.end(), "time", ("pod", shift))
    return one_hit(start, m.end(), "date", ("rel", "day", shift))


def _b_this_pod(m: re.Match[str]) -> list[Hit]:
    left = match_left(m, _LEFT_EARLY, 12)
    return one_hit(left.start() if left else m.start(), m.end(), "time", ("pod", -1 if m["w"] == "last" else 0))


_SHIFT_WORDS = {"this": 0, "current": 0, "the current": 0, "last": -1, "past": -1, "the past": -1,
                "previous": -1, "the previous": -1, "next": 1, "the next": 1, "coming": 1,
                "the coming": 1, "this past": -1, "this coming": 1, "the last": -1,
                "following": 1, "the following": 1}
_LEFT_UNIT = re.compile(
    rf"(?:\b(?P<mod>{_MODS})[\s-]+)?\b(?P<which>this past|this coming|the current|the past|the last"
    r"|the previous|the following|the next|the coming|this|last|next|current|past|previous|coming"
    r"|following)\s+\Z")


def _b_unit(m: re.Match[str]) -> list[Hit]:
    """"last week", "earlier this month", "early next year", "this weekend"."""
    left = match_left(m, _LEFT_UNIT)
    if left is None:
        return []
    which = _norm(left["which"])
    unit = m["u"]
    if which in ("the following", "following", "the previous", "previous"):
        # "the following week" counts from the narrative's own reference time
        return one_hit(left.start(), m.end(), "date", ("ana", unit, 1 if "following" in which else -1))
    return one_hit(left.start(), m.end(), "date", ("rel", unit, _SHIFT_WORDS[which]))


_LEFT_NUM = re.compile(
    r"(?:\b(?P<pre>the\s+(?:(?:past|last|next|first|final|previous|coming|following|remaining)\s+)?))?"
    r"(?:\b(?P<q>past|last|next|first|final|another|more\s+than|over|nearly|almost|about|some|roughly"
    r"|at\s+least|up\s+to|only|just)\s+)?"
    rf"(?<![\w.,])\b{NUM}(?:\s+(?:more|full|straight|consecutive|long))?[\s-]+\Z")
_RIGHT_NUM_UNIT = re.compile(
    r"\s+(?P<ago>ago)\b|\s+(?P<dir>earlier|later)\b(?!\s+than)"
    r"|\s+(?P<dir2>before|after)\b(?=\s*(?:[,.;:)!?]|\Z|and\b|but\b|when\b|while\b))|[\s-]+(?:long|old)\b")
_CAL_UNITS = ("day", "week", "month", "year", "decade", "quarter")


def _b_num_unit(m: re.Match[str]) -> list[Hit]:
    """A number and a unit: a duration ("six months", "the first nine months", "100-day"),
    a date back from publication ("two days ago") or from the last date ("a year earlier")."""
    left = match_left(m, _LEFT_NUM, 60)
    if left is None:
        return []
    n = _num(left["num"])
    word = m["unit"].lower()
    unit = EN_UNITS.get(word) or ("century" if word.startswith("centur") else word)
    right = _RIGHT_NUM_UNIT.match(m.string, m.end())
    if right is not None and right["ago"]:
        start = left.start("q") if left["q"] in ("nearly", "almost", "about", "some", "roughly", "just", "only") else left.start("num")
        if n is None or n == 0 or unit not in _CAL_UNITS:
            return one_hit(start, right.end(), "date", ("vague", "past"))
        return one_hit(start, right.end(), "date", ("rel", unit, -n))
    if right is not None and (right["dir"] or right["dir2"]) and n and unit in _CAL_UNITS:
        sign = -1 if (right["dir"] or right["dir2"]) in ("earlier", "before") else 1
        return one_hit(left.start("num"), right.end(), "date", ("ana", unit, sign * n))
    end = right.end() if right is not None and not (right["dir"] or right["dir2"]) else m.end()
    return one_hit(left.start(), end, "duration", ("none",))


_ANA_FIXED = {
    "the next day": ("day", 1), "the following day": ("day", 1), "the previous day": ("day", -1),
    "the day before": ("day", -1), "the day after": ("day", 1), "that day": ("day", 0),
    "the same day": ("day", 0), "that year": ("year", 0), "the same year": ("year", 0),
    "that month": ("month", 0), "the same month": ("month", 0), "that week": ("week", 0),
    "the same week": ("week", 0),
}


def _b_ana_fixed(m: re.Match[str]) -> list[Hit]:
    w = _norm(m["w"])
    if w.startswith(("the year", "year", "the same year ")) and ("earlier" in w or "ago" in w):
        return one_hit(m.start(), m.end(), "date", ("ana", "year", -1))
    unit, n = _ANA_FIXED[w]
    return one_hit(m.start(), m.end(), "date", ("ana", unit, n))


_LEFT_QUARTER = re.compile(
    r"(?:\b(?P<the>the)\s+)?(?:\b(?P<which>this|current|last|next|previous|coming|latest|most\s+recent"
    r"|recent|same)\s+)?(?:\b(?P<year>(?:19|20)\d\d)(?:['’]s)?\s+)?(?:\b(?P<fiscal>fiscal)[\s-]+)?"
    r"(?:\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?)?\Z")
_RIGHT_QUARTER = re.compile(r"\s+(?:of\s+)?(?:fiscal\s+)?(?P<year>(?:19|20)\d\d)\b")
_QUARTER_MODE = {"this": "this", "current": "this", "last": "last", "previous": "last", "next": "next",
                 "coming": "next"}


def _b_quarter(m: re.Match[str]) -> list[Hit]:
    """"the third quarter", "fourth-quarter", "1989's second quarter", "the latest quarter"."""
    left = match_left(m, _LEFT_QUARTER, 56)
    if left is None or left.start() == left.end():
        return []
    which = _norm(left["which"]) if left["which"] else None
    if m["u"] == "period":
        if which not in ("latest", "most recent"):
            return []
        return one_hit(left.start(), m.end(), "date", ("qref", "latest"))
    if left["ord"]:
        q = EN_ORDINALS[left["ord"]]
        right = _RIGHT_QUARTER.match(m.string, m.end())
        year = left["year"] or (right["year"] if right else None)
        end = right.end() if right and not left["year"] else m.end()
        if year:
            return one_hit(left.start(), end, "date", ("yq", int(year), q))
        return one_hit(left.start(), end, "date", ("q", q, _QUARTER_MODE.get(which or "")))
    if which in _QUARTER_MODE:
        return one_hit(left.start(), m.end(), "date", ("qref", _QUARTER_MODE[which]))
    if left["the"] or which in ("latest", "most recent", "recent") or left["fiscal"]:
        if left["year"]:
            return []
        return one_hit(left.start(), m.end(), "date", ("qref", "latest"))
    return []


_LEFT_SEASON = re.compile(
    r"(?:\b(?P<cue>in|into|during|by|since|until|through|over|from|throughout|for)\s+)?"
    rf"(?:\b(?P<mod>{_MODS})[\s-]+)?(?:\b(?P<which>this past|this coming|this|last|next|the|past|coming)\s+)?\Z")
_RIGHT_SEASON = re.compile(r"\s+(?:of\s+)?(?P<year>(?:1[5-9]|20)\d\d)\b")


def _b_season(m: re.Match[str]) -> list[Hit]:
    left = match_left(m, _LEFT_SEASON, 40)
    right = _RIGHT_SEASON.match(m.string, m.end())
    which = _norm(left["which"]) if left and left["which"] else None
    mod = left["mod"] if left else None
    s = EN_SEASONS[m["season"]]
    start = left.start("mod") if mod else left.start("which") if which else m.start()
    if right is not None:
        return one_hit(start, right.end(), "date", ("ys", int(right["year"]), s))
    if which in ("this past", "last", "past"):
        return one_hit(start, m.end(), "date", ("s", s, "last"))
    if which in ("this coming", "next", "coming"):
        return one_hit(start, m.end(), "date", ("s", s, "next"))
    if which == "this":
        return one_hit(start, m.end(), "date", ("s", s, "this"))
    cue = left["cue"] if left else None
    if mod or (cue and (which == "the" or m["season"] != "fall")):
        return one_hit(start, m.end(), "date", ("s", s, None))
    return []  # "prices fall", "the fall of the Berlin Wall"


_LEFT_DECADE = re.compile(r"(?:\bthe\s+)?(?:\b(?:early|late|mid)[\s-]+)?\Z")


def _b_decade(m: re.Match[str]) -> list[Hit]:
    left = match_left(m, _LEFT_DECADE, 16)
    start = left.start() if left else m.start()
    if m["c"]:
        if m["c"].endswith("00") and m["c"] < "2000":
            # "the (late) 1800s" is the 19th century (TimeML "18"), not 1800-1809; "the
            # 2000s" is the decade
            return one_hit(start, m.end(), "date", ("cent", int(m["c"][:2])))
        return one_hit(start, m.end(), "date", ("dec", int(m["c"][:3])))
    return one_hit(start, m.end(), "date", ("dec2", int(m["d"])))


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}
_LEFT_DECADE_WORD = re.compile(r"\bthe\s+(?:(?:early|late|mid)[\s-]+)?(?P<cent>nineteen[\s-]+)?\Z")


def _b_decade_word(m: re.Match[str]) -> list[Hit]:
    left = match_left(m, _LEFT_DECADE_WORD, 30)
    if left is None:
        return []
    d = _DECADE_WORDS[m["w"]]
    return one_hit(left.start(), m.end(), "date", ("dec", 190 + d) if left["cent"] else ("dec2", d))


_LEFT_THE_YEAR = re.compile(r"\bthe\s+year\s+\Z")


def _b_spelled_year(m: re.Match[str]) -> list[Hit]:
    left = match_left(m, _LEFT_THE_YEAR, 12)
    if m["tens"]:
        y = 1900 + EN_NUMBERS[m["tens"]] + (EN_NUMBERS[m["ones"]] if m["ones"] else 0)
    elif left is not None:
        y = 2000 + (EN_NUMBERS[m["small"]] if m["small"] else 0)
    else:
        return []  # "two thousand troops"
    return one_hit(left.start() if left else m.start(), m.end(), "date", ("y", y))


# TimeML's vague references. "previously", "formerly" and a bare adjective "future" are
# left out: TimeBank/AQUAINT annotate them as dates less than 3 times in 10.
_VAGUE = {
    "now": "present", "right now": "present", "just now": "present", "currently": "present",
    "current": "present", "nowadays": "present", "these days": "present", "at present": "present",
    "at the moment": "present", "presently": "present",
    "recently": "past", "lately": "past", "in the past": "past", "the past": "past", "previously": "past",
    "formerly": "past", "recent": "past",
    "the future": "future", "the near future": "future", "in the future": "future",
    "in the near future": "future", "future": "future", "soon": "future", "the near term": "future",
    "coming": "future", "the coming": "future",
}


def _b_vague(m: re.Match[str]) -> list[Hit]:
    w = _norm(m["w"])
    s = m.start("w") + (3 if w.startswith("in the ") else 0)
    if w == "soon" and (m.string.startswith(" as", m.end()) or m.string.endswith("as ", 0, m.start())):
        return []  # "as soon as"
    return one_hit(s, m.end(), "date", ("vague", _VAGUE[w]))


def _b_vague_np(m: re.Match[str]) -> list[Hit]:
    """"recent years", "coming months", "future quarters": the noun carries the reference."""
    return one_hit(m.start(), m.end(), "date", ("vague", _VAGUE[m["adj"] or m["adj2"]]))


_LEFT_THE_YEAR_NP = re.compile(
    r"(?:\b(?P<mod>(?:the\s+)?(?:end|beginning|start|middle)\s+of|earlier\s+in|later\s+in)\s+"
    r"|\b(?:for|of|during|in|by|until|through)\s+)(?P<np>the\s+(?:full\s+|current\s+|fiscal\s+)?)\Z")
_RIGHT_YEAR_END = re.compile(r"(?:['’]s)?[\s-]end\b")


def _b_the_year(m: re.Match[str]) -> list[Hit]:
    """"for the year", "the end of the year", "year-end": the current (reporting) year."""
    right = _RIGHT_YEAR_END.match(m.string, m.end())
    if right is not None:
        return one_hit(m.start(), right.end(), "date", ("rel", "year", 0))
    left = match_left(m, _LEFT_THE_YEAR_NP, 40)
    if left is None:
        return []
    return one_hit(left.start("mod") if left["mod"] else left.start("np"), m.end(), "date", ("rel", "year", 0))


def _b_clock(m: re.Match[str]) -> list[Hit]:
    h = int(m["h"])
    mi = int(m["mi"] or 0)
    ap = m["ap"].replace(".", "").replace(" ", "")
    if ap.startswith("p") and h < 12:
        h += 12
    elif ap.startswith("a") and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return []
    return one_hit(m.start(), m.end(), "time", ("clock", h, mi))


def _b_noon(m: re.Match[str]) -> list[Hit]:
    return one_hit(m.start(), m.end(), "time", ("clock", 12 if m[0] in ("noon", "midday") else 24, 0))


def _b_holiday(m: re.Match[str]) -> list[Hit]:
    name = re.sub(r"[\s'’]+", " ", m["h"].lower()).strip()
    return one_hit(m.start(), m.end(), "date", ("hol", name, int(m["year"]) if m["year"] else None))


def _b_q(m: re.Match[str]) -> list[Hit]:
    if m["year"]:
        return one_hit(m.start(), m.end(), "date", ("yq", int(m["year"]), int(m["qn"])))
    return one_hit(m.start(), m.end(), "date", ("q", int(m["qn"]), None))


_HOLIDAYS = (r"Christmas(?:\s+Day|\s+Eve)?|New\s+Year['’]s\s+(?:Day|Eve)|Thanksgiving(?:\s+Day)?"
             r"|Independence\s+Day|Halloween|Valentine['’]s\s+Day|Easter(?:\s+Sunday)?"
             r"|Labor\s+Day|Memorial\s+Day|Election\s+Day|Inauguration\s+Day|Veterans\s+Day")
_UNIT_WORDS = alt_words([u for u in EN_UNITS] + ["centuries"])
_FIRST_MONTH = alt_words(EN_MONTHS)

EN_RULES: list[Rule] = [
    # ---- on the original text (month and weekday names are case-sensitive)
    # "Thursday, November 7, 2024", "Nov. 7", "November 7th", "Jan. 20"
    Rule("en-month-day", re.compile(
        rf"(?<![\w.]){MON}\s+{DAY}\b(?:,?\s+{YEAR4}\b)?(?![-–]\d|:\d|\.\d|,\d{{3}})"), _b_month_day, 5, False, _FIRST_MONTH),
    # "7 November 2024", "Thursday, 7 Nov. 2024", "the 7th of November"
    Rule("en-day-month", re.compile(rf"(?<![\d.,]){DAY}(?:\s+of)?\s+{MON}(?![a-z])(?:,?\s+{YEAR4}\b)?"),
         _b_day_month, 5, False, "0"),
    Rule("en-month-year", re.compile(rf"(?<![\w.]){MON}(?:,|\s+of)?\s+{YEAR4}\b"), _b_month_year, 4, False, _FIRST_MONTH),
    Rule("en-month", re.compile(rf"(?<![\w.]){MON_FULL}\b(?!\s+\d)(?!['’]s\s+[A-Z])"), _b_month_alone, 2, False,
         _FIRST_MONTH),
    Rule("en-weekday", re.compile(rf"(?<![\w.]){WD_FULL}\b(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?"),
         _b_weekday, 3, False, alt_words(EN_WEEKDAYS)),
    Rule("en-holiday", re.compile(rf"\b(?P<h>{_HOLIDAYS})\b(?:\s+{YEAR4}\b)?"), _b_holiday, 3, False,
         "christmas|new|thanksgiving|independence|halloween|valentine|easter|labor|memorial|election|inauguration"
         "|veterans"),
    Rule("en-q", re.compile(r"\bQ(?P<qn>[1-4])\b(?:\s+(?P<year>(?:19|20)\d\d)\b)?"), _b_q, 4, False, "q"),
    # ---- on the lower-cased text
    Rule("en-deictic", re.compile(rf"\b(?P<w>today|tonight|yesterday|tomorrow)\b(?:\s+{PART_OF_DAY}\b)?"),
         _b_deictic, 3, True, "today|tonight|yesterday|tomorrow"),
    Rule("en-this-pod", re.compile(r"\b(?P<w>this|last)\s+(?:morning|afternoon|evening|night)\b"),
         _b_this_pod, 3, True, "this|last"),
    Rule("en-unit", re.compile(r"\b(?P<u>week|month|year|weekend|decade)\b"), _b_unit, 3, True,
         "week|month|year|weekend|decade"),
    Rule("en-num-unit", re.compile(rf"\b(?P<unit>{_UNIT_WORDS})(?P<pl>s)?\b"), _b_num_unit, 4, True,
         alt_words([*EN_UNITS, *(u + "s" for u in EN_UNITS), "centuries"])),
    Rule("en-ana-fixed", re.compile(
        r"\b(?P<w>the\s+(?:next|following|previous|same)\s+day|the\s+day\s+(?:before|after)"
        r"(?!\s+(?:the|a|his|her|its|their|yesterday|tomorrow|[\w'’]+['’]s)\b)|that\s+(?:day|year|month|week)"
        r"|the\s+same\s+(?:year|month|week)(?![\s-](?:earlier|ago))"
        r"|(?:the\s+)?(?:same\s+)?year[\s-](?:earlier|ago)(?:\s+(?:quarter|period|months?|weeks?)\b)?)\b"),
        _b_ana_fixed, 3, True, "the|that|year"),
    Rule("en-quarter", re.compile(r"\b(?P<u>quarter|period)\b"), _b_quarter, 5, True, "quarter|period"),
    Rule("en-season", re.compile(r"\b(?P<season>spring|summer|fall|autumn|winter)\b"), _b_season, 2, True,
         "spring|summer|fall|autumn|winter"),
    Rule("en-decade", re.compile(r"(?<![\w.,])(?:(?P<c>(?:1[5-9]|20)\d0)['’]?s|['’](?P<d>\d)0s)\b"),
         _b_decade, 4, True, "0|'"),
    Rule("en-decade-word", re.compile(
        r"\b(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b"),
        _b_decade_word, 3, True, "twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"),
    Rule("en-spelled-year", re.compile(
        rf"\b(?:nineteen[\s-]+(?P<tens>{_TENS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
        rf"|seventeen|eighteen|nineteen)(?:[\s-]+(?P<ones>{_ONES}))?|two\s+thousand(?:\s+(?:and\s+)?"
        rf"(?P<small>{_ONES}|ten|eleven|twelve))?)\b"), _b_spelled_year, 3, True, "nineteen|two"),
    Rule("en-vague", re.compile(
        r"\b(?P<w>right\s+now|just\s+now|now|currently|nowadays|these\s+days|at\s+present"
        r"|at\s+the\s+moment|presently|recently|lately|soon|the\s+near\s+term"
        r"|(?:in\s+)?the\s+past(?!\s+(?:[\w-]+\s+)?(?:days?|weeks?|months?|years?|decades?|quarters?|centur"
        r"|summer|winter|spring|fall|autumn|weekend|[\d.]))|(?:in\s+)?the\s+(?:near\s+)?future)\b(?!['’]s)"),
        _b_vague, 1, True, "right|just|now|currently|nowadays|these|at|presently|recently|lately|soon|the|in"),
    Rule("en-vague-np", re.compile(
        r"\b(?:(?P<adj>current)\b(?=\s+[a-z])(?:\s+(?:days|weeks|months|years|quarters)\b)?"
        r"|(?P<adj2>recent|coming|future)\s+(?:days|weeks|months|years|quarters)\b)"), _b_vague_np, 0, True,
        "current|future|recent|coming"),
    Rule("en-the-year", re.compile(
        r"\byear\b(?!\s+(?:before|after|earlier|ago|since|to|in\s+which|that|when|of|[\d]))"), _b_the_year, 3, True,
        "year"),
    Rule("en-duration-bare", re.compile(r"(?<=\bfor\s)(?:years|months|weeks|decades|days|hours)\b"),
         build_duration, 0, True, "years|months|weeks|decades|days|hours"),
    # sets: "every Friday", "each week", "daily", "twice a week"
    Rule("en-set", re.compile(
        rf"\b(?:(?:every|each)\s+(?:other\s+)?(?:day|week|month|year|morning|evening|night"
        rf"|weekend|quarter|{alt_words(EN_WEEKDAYS)}|{alt_words([m for m in EN_MONTHS if len(m) > 3])})\b"
        r"|(?:once|twice|three\s+times|four\s+times|several\s+times|\d+\s+times)\s+(?:a|per|every)\s+"
        r"(?:day|week|month|year)\b|(?:daily|weekly|monthly|annually|yearly|nightly|hourly)\b"
        r"(?!\s+(?:basis|newspaper|paper|mail|telegraph|beast|show|news|star|express|wire|sabah|caller|kos)\b))"),
        build_set, 2, True, "every|each|once|twice|three|four|several|0|daily|weekly|monthly|annually|yearly"
        "|nightly|hourly"),
    Rule("en-clock", re.compile(
        r"(?<![\d.:,])(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d)(?::[0-5]\d)?)?\s*"
        r"(?P<ap>[ap]\.\s?m\b\.?|[ap]m\b)(?:\s+(?:[a-z]{1,2}[sd]?t|gmt|utc|local\s+time)\b)?"), _b_clock, 4, True, "0"),
    Rule("en-noon", re.compile(r"\b(?:noon|midday|midnight)\b"), _b_noon, 2, True, "noon|midday|midnight"),
]

# =========================================================================== numeric dates and years (all languages)


def _b_numeric_ymd(m: re.Match[str]) -> list[Hit]:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (_year_ok(y) and valid_day(mo, d)):
        return []
    return one_hit(m.start(), m.end(), "time" if m["h"] else "date", ("ymd", y, mo, d))


def _b_numeric_dmy(m: re.Match[str]) -> list[Hit]:
    y, a, b = int(m["y"]), int(m["a"]), int(m["b"])
    if not _year_ok(y):
        return []
    if m["sep"] == "/":
        # Slash dates are month-first in the US, day-first elsewhere: when both readings
        # are valid the resolver decides by language (see dates._Context._ambiguous).
        opts = [(mo, d) for mo, d in ((a, b), (b, a)) if valid_day(mo, d)]
        if not opts:
            return []
        if len(opts) == 2 and a != b:
            return one_hit(m.start(), m.end(), "date", ("ambig", y, opts[0], opts[1]))
        mo, d = opts[0]
    else:
        d, mo = a, b
        if not valid_day(mo, d):
            return []
    return one_hit(m.start(), m.end(), "date", ("ymd", y, mo, d))


# A 24-hour clock needs a cue word before it or a time zone after it: a bare "3:1" is a
# score, "10.30" a decimal and "10:30" alone too often a ratio or a verse.
_CLOCK_CUES = frozenset("at around about until till by from before after в во о об до с со з із "
                        "к um ab bis gegen à vers dès a las desde hasta".split())
_RIGHT_TZ = re.compile(
    r"(?:\s*(?:gmt|utc|[ecmp][sd]?t|msk|мск|cet|cest|eet|eest|kyiv\s+time|local\s+time|uhr|h\b"
    r"|по\s+московскому\s+времени|по\s+москве|за\s+київським\s+часом|часов|годин[аи]?))\b")


def _b_clock24(m: re.Match[str]) -> list[Hit]:
    h, mi = int(m["h"]), int(m["mi"])
    if h > 24 or mi > 59:
        return []
    tz = _RIGHT_TZ.match(m.string, m.end())
    before = re.search(r"([^\W\d]+)\s+\Z", m.string[max(0, m.start() - 12):m.start()])
    cue = before is not None and before.group(1) in _CLOCK_CUES
    if not (cue or tz or (m["sec"] and m["sep"] == ":")):
        return []
    return one_hit(m.start(), tz.end() if tz else m.end(), "time", ("clock", h, mi))


NUMERIC_RULES: list[Rule] = [
    Rule("iso-date", re.compile(
        r"(?<![\d.\-/])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[Tt ](?P<h>[0-2]\d):[0-5]\d"
        r"(?::[0-5]\d(?:\.\d+)?)?(?:[Zz]|[+-]\d\d:?\d\d)?)?(?![\d\-])"), _b_numeric_ymd, 7, True, "0"),
    Rule("ymd-slash", re.compile(r"(?<![\d./])(?P<y>\d{4})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])(?P<h>)"),
         _b_numeric_ymd, 7, True, "0"),
    Rule("dmy", re.compile(
        r"(?=\d)(?<![\d.,/])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[01]?\d)(?P=sep)(?P<y>\d{4})(?![\d/]|\.\d)"),
        _b_numeric_dmy, 7, True, "0"),
    Rule("clock24", re.compile(
        r"(?=\d)(?<![\d.:,])(?P<h>[01]?\d|2[0-4])(?P<sep>[:.])(?P<mi>[0-5]\d)(?P<sec>:[0-5]\d)?(?![\d]|[.:,]\d|\s*[ap]\.?m\b)"),
        _b_clock24, 3, True, "0"),
]

# Year ranges and bare years: accepted unless the context says the number is a count or
# an identifier ("2,000 troops", "1941 people", "Flight 2024", "page 1990").
# Cue words that make a number in 1000–1899 (or an unusual context) a year.
YEAR_CUES = frozenset("""
in since until till by from to through during before after between and of early late
mid circa c the year years fiscal summer spring fall autumn winter end beginning start
middle century born died в с до по к году года г році року у з від im seit bis vor ab
en depuis avant après desde hasta antes después de
""".split())
_WORD_BEFORE = re.compile(r"([\w.'’]+)[^\w]{0,3}\Z")
_WORD_AFTER = re.compile(r"[^\w\s]{0,2}\s*([\w'’]+)")


def _year_rejected(text: str, start: int, end: int, year: int, *, cue_ok: bool) -> bool:
    wb = _WORD_BEFORE.search(text, max(0, start - 24), start)
    before = wb.group(1).rstrip(".") if wb else ""
    wa = _WORD_AFTER.match(text, end)
    after = wa.group(1) if wa and wa.start(1) - end < 4 else ""
    if before in ID_WORDS or text.endswith(("no. ", "no.", "#"), max(0, start - 4), start):
        return True
    if after in COUNT_NOUNS or after in ("gmt", "utc", "hours", "hrs", "local", "percent", "per"):
        return True
    if before in QUANTITY_WORDS and after.isalpha():
        return True  # "some 1500 troops", "more than 2000 homes"
    return not cue_ok and not (1900 <= year <= 2099) and before not in YEAR_CUES


def _b_year_range(m: re.Match[str]) -> list[Hit]:
    """"2017-2021", "1998–99": two year mentions."""
    y1 = int(m["y1"])
    raw2 = m["y2"]
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if not (y1 < y2 <= y1 + 100) or _year_rejected(m.string, m.start(), m.end(), y1, cue_ok=True):
        return []
    return [(m.start("y1"), m.end("y1"), "date", ("y", y1)), (m.start("y2"), m.end("y2"), "date", ("y", y2))]


def _b_year(m: re.Match[str]) -> list[Hit]:
    y = int(m["y"])
    if _year_rejected(m.string, m.start(), m.end(), y, cue_ok=False):
        return []
    return one_hit(m.start("y"), m.end("y"), "date", ("y", y))


def _b_fiscal_year(m: re.Match[str]) -> list[Hit]:
    return one_hit(m.start(), m.end(), "date", ("y", int(m["y"])))


YEAR_RULES: list[Rule] = [
    Rule("year-range", re.compile(
        r"(?<![\d.,$€£#/\-])(?P<y1>(?:1[6-9]|20)\d\d)\s*[-–—]\s*(?P<y2>(?:1[6-9]|20)\d\d|\d\d)(?![\d%,.]\d|\s*%|-)"),
        _b_year_range, 5, True, "0"),
    Rule("year", re.compile(
        r"(?<![\d.,$€£#/\-:\w])(?<![^\W\d_]-)(?P<y>(?:1[0-9]|20|21)\d\d)(?:['’]s)?"
        r"(?![\d%:s]|[.,]\d|\s*%|-?(?:th|st|nd|rd)\b|-[^\W\d_])"), _b_year, 1, True, "0"),
    Rule("year-mod", re.compile(r"\b(?:mid|early|late)-(?P<y>(?:1[5-9]|20)\d\d)\b"), _b_fiscal_year, 4, True,
         "mid|early|late"),
    Rule("fiscal-year", re.compile(r"\b(?:fiscal(?:\s+year)?|fy)\s*(?P<y>(?:19|20)\d\d)\b"), _b_fiscal_year, 4, True,
         "fiscal|fy|fy\\d\\d\\d\\d"),
]


# =========================================================================== rules per language

RULES_BY_LANGUAGE: dict[str | None, list[Rule]] = {
    "en": EN_RULES + NUMERIC_RULES + YEAR_RULES,
    "ru": RU_RULES + NUMERIC_RULES,
    "uk": UK_RULES + NUMERIC_RULES,
    "de": DE_RULES + NUMERIC_RULES + YEAR_RULES,
    "fr": FR_RULES + NUMERIC_RULES + YEAR_RULES,
    "es": ES_RULES + NUMERIC_RULES + YEAR_RULES,
    None: NUMERIC_RULES,
}

# =========================================================================== tense markers (lower-cased text)

EN_FUTURE = re.compile(
    r"\b(?:will|shall|won['’]t|wo\s+n['’]t|going\s+to|gonna|plans?\s+to|planning\s+to|planned\s+to|intends?\s+to"
    r"|(?:is|are|'s|’s|'re|’re|be)\s+(?:scheduled|slated|set|expected|due|planned|supposed|poised|about)\b"
    r"|is\s+to|are\s+to|to\s+be\s+held|upcoming|next|coming|later\s+this|from\s+now|scheduled|slated"
    r"|(?:is|are)\s+(?:\w+ing)\b)|['’]ll\b")
EN_PAST = re.compile(
    r"\b(?:was|were|had|did|didn['’]t|wasn['’]t|weren['’]t|hadn['’]t|ago|has\s+been|have\s+been"
    r"|said|told|came|went|took|gave|made|met|spoke|saw|became|began|held|sent|won|lost|left|ran|got"
    r"|brought|thought|felt|fell|rose|paid|sold|bought|wrote|struck|kept|led|found|knew|stood|shot"
    r"|spent|built|drove|flew|broke|chose|swore|threw|wore|ate|forgot|overtook|undertook|withdrew"
    r"|[a-z]{2,}(?<!ne)(?<!ee)(?<!ssu)ed)\b")
EN_PRESENT = re.compile(r"\b(?:is|are|am|says|say|does|do|has|have|remains?|seems?)\b")
# "-ed" words that are not past tense in news prose (adjectives, nouns, futures).
EN_NOT_PAST = frozenset("""
scheduled expected planned slated proposed indeed hundred united elected alleged
so-called detailed advanced armed concerned involved limited related based supposed
interested experienced qualified skilled talented red bed shed wed
""".split())

RU_FUTURE = re.compile(
    r"(?<![а-яёіїєґ])(?:будет|будут|буду|будем|станет|состоится|состоятся|пройд[её]т|планирует|планируется"
    r"|намерен\w*|собирается|предстоит|ожидается|намечен\w*|запланирован\w*|буде|будуть|будемо|відбудеться"
    r"|відбудуться|планує|планується|має\s+відбутися|збирається|очікується|\w+тиме|\w+тимуть)(?![а-яёіїєґ])")
RU_PAST = re.compile(
    r"(?<![а-яёіїєґ])[а-яёіїєґ']{2,}(?:ал|ял|ил|ел|ыл|ул|ла|ло|ли|лся|лась|лось|лись|ав|ив|яв|вся|лася|лися|лося)"
    r"(?![а-яёіїєґ])")
RU_NOT_PAST = frozenset("""
если или ли либо мысли числе число дело дела села стол пол мол цели роли земли воли
боли недели модели сколько около мало много тепло зло масла начало правила правило
силы сила мила весело смело нули
""".split())
