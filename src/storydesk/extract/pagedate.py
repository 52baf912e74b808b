"""Which publication date an HTML page states, so that none is invented.

trafilatura finds a page's date through htmldate, which, when a page declares none, still
guesses: from any timestamp in the serialised HTML (a date in a JavaScript comment, an
image's upload date in a JSON blob), from image URLs (``.../2015/03/18/Images/...``), from
loose text, and it reads ``3/09/15`` day first on a US site. It may also prefer a
"modified" date. storydesk keeps a page date only when the page states it as the
publication date:

- **declared** in metadata: a ``<meta>`` publication-date tag (``article:published_time``,
  ``DC.date.issued``, ``pdate``, ...) or a ``datePublished``-style key in the page's
  JSON(-LD); a "modified"/"updated" date is not a publication date;
- **shown** on the page as its date: a ``<time>`` element, an element marked
  ``itemprop="datePublished"`` or ``class="published"``, a short element whose class or id
  names a date/time/publication stamp ("post-time", "date-header", "pubtime"), or the date
  in the page's own (canonical) URL path.

When the page declares publication dates in metadata, htmldate's date must be one of
them, or the first declared one is used; otherwise htmldate's date must be one the page
shows; otherwise the page gets no date. On the readability test pages this drops the dates
htmldate took from a JavaScript comment, image URLs and a script's upload time, and
replaces a "modified" date by the declared ``datePublished``.
"""

from __future__ import annotations

import json
import re
from datetime import date

from storydesk.extract.pubdate import date_from_url, find_dates_in_line, parse_date_value

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
# <meta> names/properties that state a publication (or creation/issue) date.
_META_PUBLISHED = re.compile(
    r"publish|pubdate|^pdate$|date\.issued|dcterms\.issued|^dc\.date$|^date$|datecreated|date_created|"
    r"firstpublished|sailthru\.date|parsely-pub-date|release_?date|^created$|^issued$|displaydate|article_date",
    re.I,
)
_NOT_PUBLISHED = re.compile(r"modif|updat|expir|revis|lastmod|edited|valid", re.I)
# JSON keys (JSON-LD and inline page data) that state the publication date.
_JSON_PUBLISHED = re.compile(
    r'"(?:datePublished|dateCreated|date_published|pub_?date|publish(?:ed)?_?(?:date|at|time|Date|At|Time)|'
    r'firstPublished|article_?[dD]ate)"\s*:\s*"([^"]{6,40})"'
)
# Classes/ids of elements that show the page's own date stamp.
_STAMP_CLASS_XPATH = (
    "//*[@class or @id][contains(translate(concat(@class, ' ', @id), '{u}', '{l}'), 'date') "
    "or contains(translate(concat(@class, ' ', @id), '{u}', '{l}'), 'time') "
    "or contains(translate(concat(@class, ' ', @id), '{u}', '{l}'), 'publish') "
    "or contains(translate(concat(@class, ' ', @id), '{u}', '{l}'), 'posted')]"
).format(u=_UPPER, l=_LOWER)
# A date stamp is short; longer elements with such a class are containers (a "timeline").
MAX_STAMP_CHARS = 150
_COMPACT = re.compile(r"^((?:19|20)\d\d)(\d\d)(\d\d)(?:\d{4,6})?$")


def page_date(found: str | None, tree: object, *, url: str | None = None) -> tuple[str | None, str | None]:
    """Keep htmldate's date only when the page states it; prefer a declared publication date.

    Args:
        found: the date trafilatura/htmldate returned (``YYYY-MM-DD``), or None.
        tree: the parsed page (an lxml HTML element); read, not modified.
        url: the page's URL when known.

    Returns:
        ``(value, how)``: the ISO date to use (or None) and where the page states it; ``how``
        also says why htmldate's date was dropped or replaced (None when there is nothing to say).
    """
    day = _day(found)
    declared = declared_dates(tree)
    if declared:
        if day in declared:
            return found, "HTML metadata"
        chosen = declared[0].isoformat()
        if day is None:
            return chosen, "HTML metadata (declared publication date)"
        return chosen, f"HTML metadata (declared publication date; htmldate's {found} is not one)"
    if day is None:
        return None, None
    # Only now, since it is the costly part (~5 ms on a large page): the dates the page shows.
    if day in shown_dates(tree, url=url):
        return found, "HTML page (date stamp)"
    return None, f"htmldate's {found} dropped: the page does not state it as its date"


def declared_dates(tree: object) -> list[date]:
    """Publication dates declared in ``<meta>`` tags and the page's JSON, in document order."""
    found: list[date] = []
    for meta in tree.iter("meta"):  # type: ignore[attr-defined]
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or ""
        if key and _META_PUBLISHED.search(key) and not _NOT_PUBLISHED.search(key):
            _add(found, meta.get("content"))
    for script in tree.iter("script"):  # type: ignore[attr-defined]
        text = script.text or ""
        if "ublish" in text or "reated" in text or "ub_date" in text or "ubdate" in text or "rticle" in text:
            for m in _JSON_PUBLISHED.finditer(text):
                _add(found, _unescape_json(m.group(1)))
    return found


def shown_dates(tree: object, *, url: str | None = None) -> list[date]:
    """Dates the page shows as its own: date stamps, ``<time>`` elements, its URL's date."""
    found: list[date] = []
    for el in tree.iter("time"):  # type: ignore[attr-defined]
        _add(found, el.get("datetime")) or _add(found, _short_text(el))
    for el in tree.xpath("//*[@itemprop='datePublished' or @itemprop='dateCreated']"):  # type: ignore[attr-defined]
        for attr in ("content", "datetime", "title"):
            _add(found, el.get(attr))
        _add(found, _short_text(el))
    for el in tree.xpath(_STAMP_CLASS_XPATH):  # type: ignore[attr-defined]
        if _NOT_PUBLISHED.search(f"{el.get('class', '')} {el.get('id', '')}"):
            continue
        for attr in ("datetime", "title", "content"):
            _add(found, el.get(attr))
        _add(found, _short_text(el))
    urls = [url] + [link.get("href") for link in tree.xpath("//link[@rel='canonical']")]  # type: ignore[attr-defined]
    urls += tree.xpath("//meta[@property='og:url']/@content")  # type: ignore[attr-defined]
    for u in urls:
        if u and (d := date_from_url(u)):
            found.append(d)
    return found


def _day(value: str | None) -> date | None:
    if not value:
        return None
    day, _ = parse_date_value(value)
    return day


def _add(into: list[date], value: str | None) -> bool:
    if not value or not value.strip() or len(value) > MAX_STAMP_CHARS:
        return False
    value = value.strip()
    m = _COMPACT.match(value)
    if m:
        try:
            into.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            return True
        except ValueError:
            return False
    day, _ = parse_date_value(value)
    if day is None:
        dates = find_dates_in_line(value)
        day = dates[0].day if dates else None
    if day is not None:
        into.append(day)
        return True
    return False


def _short_text(el: object) -> str | None:
    text = " ".join(el.text_content().split())  # type: ignore[attr-defined]
    return text if 0 < len(text) <= MAX_STAMP_CHARS else None


def _unescape_json(value: str) -> str:
    try:
        return json.loads(f'"{value}"')
    except ValueError:
        return value
