"""Publication dates: parse the date lines, timestamps and metadata values news pages carry.

Forms seen in real scraped articles: ``Thursday, November 7, 2024 2:21:13 PM`` glued to the
end of a headline; ``10:31 GMT 08.11.2024 (Updated: 10:32 GMT 08.11.2024)``; ``November 07,
2024``; ``Friday06 December 2024`` (weekday glued to the day); ``Xinhua | Updated: 2017-09-15
17:52``; ``8 ноября 2024, 14:20``; ISO 8601 and RFC 822 values in JSON and feeds. A date is
returned only when the text states one: nothing here guesses a missing year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "january jan janv januar enero ene gennaio genn январь января янв січень січня січ styczeń stycznia sty ocak",
        "february feb fevr février februar febrero febbraio февраль февраля фев лютий лютого лют luty lutego lut şubat",
        "march mar mars märz marz marzo март марта березень березня бер marzec marca",
        "april apr avr avril abril aprile апрель апреля апр квітень квітня квіт kwiecień kwietnia kwi nisan",
        "may mai mayo maggio май мая травень травня трав maj maja mayıs",
        "june jun juin juni junio giugno июнь июня червень червня черв czerwiec czerwca cze haziran",
        "july jul juil juillet juli julio luglio июль июля липень липня лип lipiec lipca temmuz",
        "august aug août aout agosto август августа серпень серпня серп sierpień sierpnia sie ağustos",
        "september sep sept septembre septiembre settembre сентябрь сентября сен вересень вересня вер wrzesień września wrz eylül",
        "october oct okt octobre oktober octubre ottobre октябрь октября окт жовтень жовтня жовт październik października paź ekim",
        "november nov novembre noviembre ноябрь ноября ноя листопад листопада лист listopad listopada lis kasım",
        "december dec déc decembre décembre dezember diciembre dicembre декабрь декабря дек грудень грудня груд grudzień grudnia gru aralık",
    ],
    1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _num)

WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|пн|вт|ср|чт|пт|сб|вс|"
    "понеділок|вівторок|середа|четвер|п'ятниця|пʼятниця|субота|неділя"
)
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WD = rf"(?:(?:{WEEKDAYS})\.?,?\s*)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
_MON = rf"(?P<m>{_MONTH_ALT})\.?"

_DATE_FORMS = [
    # Thursday, November 7, 2024 / November 07, 2024 / Nov. 7th 2024
    re.compile(rf"\b{_WD}{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    # Friday06 December 2024 / 8 ноября 2024 / 7. November 2024 / 6 de diciembre de 2024
    re.compile(rf"(?<![\d.]){_WD}{_DAY}\s*(?:de\s+)?{_MON},?\s+(?:de\s+)?{_YEAR}(?:\s*(?:г\.?|года|року|р\.))?", re.I),
    # 2024-11-08 / 2024/11/08
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/](?P<mn>[01]?\d)[-/](?P<d>[0-3]?\d)(?!\d)"),
    # 08.11.2024 / 08/11/2024 / 8-11-2024 (day first; see _DAY_FIRST)
    re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)"),
]
_TIME = re.compile(
    r"(?<![\d:])(?P<h>[0-2]?\d):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<tz>GMT|UTC|Z|MSK|EET|EEST|CET|CEST|BST|EST|EDT|CST|CDT|PST|PDT|KYIV TIME|МСК|(?:GMT|UTC)?\s*[+-]\d\d:?\d\d))?",
    re.I,
)
_TZ_OFFSETS = {
    "GMT": 0, "UTC": 0, "Z": 0, "MSK": 3, "МСК": 3, "EET": 2, "EEST": 3, "CET": 1, "CEST": 2, "BST": 1,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "PST": -8, "PDT": -7,
}
# Words that may surround a date in a date line without making it prose.
_DATE_LINE_FILLER = re.compile(
    r"\b(?:updated?|published|posted|last|modified|created|on|at|am|pm|a\.m|p\.m|"
    r"обновлено|опубликовано|оновлено|опубліковано|aktualisiert|veröffentlicht|mis à jour|publié|le|actualizado|publicado|"
    r"de|del|г|года|року|р|time|kyiv|moscow|local|gmt|utc|msk|et|est|edt|cet|cest|bst)\b\.?",
    re.I,
)
_US_OUTLET_COUNTRIES = {"US"}


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A publication date found in text or metadata, with how it was found."""

    day: date
    instant: datetime | None  # timezone-aware, only when a time and a timezone were given
    start: int
    end: int


def _month(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates_in_line(line: str, *, month_first: bool = False) -> list[FoundDate]:
    """Find explicit calendar dates (with a year) in a short line, in order.

    Args:
        line: a header line, title tail, or metadata string.
        month_first: read ``08/11/2024`` as August 11 (US convention) instead of 8 November.

    Returns:
        Dates in order of appearance, each paired with the nearest time of day before or
        after it on the line when a timezone makes the instant unambiguous.
    """
    found: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []
    for form in _DATE_FORMS:
        for m in form.finditer(line):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            gd = m.groupdict()
            y = int(gd["y"])
            if gd.get("m"):
                mon = _month(gd["m"])
                d = _valid(y, mon, int(gd["d"])) if mon else None
            elif gd.get("mn"):
                d = _valid(y, int(gd["mn"]), int(gd["d"]))
            else:
                a, b = int(gd["a"]), int(gd["b"])
                if gd["sep"] == "." or a > 12 or not month_first:
                    d = _valid(y, b, a) if b <= 12 else _valid(y, a, b)
                else:
                    d = _valid(y, a, b)
            if d is None:
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), d))
    found.sort()
    times = list(_TIME.finditer(line))
    out: list[FoundDate] = []
    for start, end, d in found:
        instant = None
        near = [t for t in times if not (start <= t.start() < end)]
        if near:
            t = min(near, key=lambda t: min(abs(t.start() - end), abs(start - t.end())))
            if min(abs(t.start() - end), abs(start - t.end())) <= 3 and t.group("tz"):
                instant = _instant(d, t)
        out.append(FoundDate(d, instant, start, end))
    return out


def _instant(d: date, t: re.Match[str]) -> datetime | None:
    hour, minute = int(t.group("h")), int(t.group("mi"))
    second = int(t.group("s") or 0)
    ampm = (t.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return None
    tz = t.group("tz").upper().replace(" ", "")
    if tz in _TZ_OFFSETS:
        offset = timedelta(hours=_TZ_OFFSETS[tz])
    else:
        m = re.search(r"([+-])(\d\d):?(\d\d)", tz)
        if not m:
            return None
        sign = 1 if m.group(1) == "+" else -1
        offset = sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=timezone(offset))


# Every date form above has a four-digit year; most lines have none, and this search is
# ~20x cheaper than trying the forms (is_date_line runs on every paragraph of every article).
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d")


def is_date_line(line: str) -> bool:
    """True when a short line is only a date/time stamp (so it is metadata, not text)."""
    if len(line) > 120 or not _YEAR_ANYWHERE.search(line) or not find_dates_in_line(line):
        return False
    rest = line
    for form in _DATE_FORMS:
        rest = form.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = re.sub(rf"\b(?:{WEEKDAYS})\b\.?", " ", rest, flags=re.I)
    rest = _DATE_LINE_FILLER.sub(" ", rest)
    letters = re.sub(r"[\W\d_]+", "", rest)
    # Other numbers left on the line ("2020-08-01 18:00:00+00 │ 200 │ 4084") mean a table
    # row or log line, not a date stamp.
    other_digits = re.findall(r"\d+", re.sub(r"[+-]\d\d(?::?\d\d)?\b", " ", rest))
    return len(letters) <= 3 and not other_digits


_TRAILING_STAMP = re.compile(
    rf"\s*[|\-–—]?\s*(?:(?:{WEEKDAYS}),?\s+)?(?:{_MONTH_ALT})\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    r"(?:\s+[0-2]?\d:[0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.I,
)


def split_trailing_timestamp(line: str) -> tuple[str, FoundDate | None]:
    """Split a headline glued to its timestamp ("... President Biden Thursday, November 7, 2024 2:21:13 PM").

    Returns:
        The headline without the stamp, and the stamp's date (or the line unchanged and None).
    """
    m = _TRAILING_STAMP.search(line)
    if not m or m.start() < 10:
        return line, None
    dates = find_dates_in_line(line[m.start():])
    if not dates:
        return line, None
    return line[: m.start()].rstrip(" |-–—,"), dates[0]


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([01]?\d)[/-]([0-3]?\d)(?:/|-|$)")


def date_from_url(url: str) -> date | None:
    """The date in a URL path like ``/2024/11/07/slug`` (common in news URLs), or None."""
    m = _URL_DATE.search(url)
    if not m:
        return None
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_date_value(value: object) -> tuple[date | None, datetime | None]:
    """Parse a metadata date value (ISO 8601, RFC 822, epoch seconds, or a human date string).

    A time of exactly midnight without a timezone is treated as "date only" (news-please
    writes ``2017-09-15T00:00:00`` for pages that gave only a day).

    Returns:
        ``(day, instant)``; instant only when a time with a timezone is given; both None if
        the value is not a date.
    """
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.date(), value if value.tzinfo else None
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)) and 0 < value < 4e10:
        dt = datetime.fromtimestamp(float(value), tz=timezone.utc)
        return dt.date(), dt
    if not isinstance(value, str) or not value.strip():
        return None, None
    text = value.strip()
    if re.fullmatch(r"\d{9,10}(?:\.\d+)?", text):
        return parse_date_value(float(text))
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        dt = None
    if dt is None:
        try:
            from email.utils import parsedate_to_datetime

            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is not None:
        if dt.tzinfo is None:
            return dt.date(), None
        return dt.date(), dt
    found = find_dates_in_line(text)
    if found:
        return found[0].day, found[0].instant
    return None, None
