"""The head of a scraped plain-text article: headline, date lines, site line.

Plain-text scrapes put metadata as loose lines before (and sometimes inside) the body:

    Friday06 December 2024            <- date line
    gazzeta.in.ua                     <- site line
                                      
    Pure fiction: The Kremlin ...     <- headline (ends with a period, yet stands alone)

or glue it together (``Kremlin: Putin open to talks ... Biden Thursday, November 7, 2024
2:21:13 PM``), or start straight with the lead paragraph and have no headline at all
(sample 002, whose first line is a 180-character sentence ending "..., Peskov has said.").
A headline is taken only when the first content line looks like one; otherwise the title is
None, never the lead sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storydesk.extract.boilerplate import classify
from storydesk.extract.pubdate import FoundDate, find_dates_in_line, is_date_line, split_trailing_timestamp

# How many leading paragraphs may hold metadata before the body starts.
MAX_HEADER_PARAGRAPHS = 8
# Headline lengths seen in news: 20–150 characters; 250 allows long wire headlines.
MAX_HEADLINE_CHARS = 250
# A headline ending with a period is accepted only when it stands alone in its block and is
# no longer than this (lead sentences are longer; "Pure fiction: ..." in sample 003 is 93).
MAX_PERIOD_HEADLINE_CHARS = 150

_BARE_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+/?$", re.I)
_ATTRIBUTION_TAIL = re.compile(
    r",\s+[^,]{2,80}\s(?:said|says|has said|told|reported|reports|announced|stated|added|confirmed|noted|"
    r"заявил|сообщил|сказал|заявив|повідомив)\b[^,]*\.$",
    re.I,
)
_CREDIT_STAMP = re.compile(r"^(?P<name>[^|]{2,40}?)\s*\|\s*(?P<rest>.+)$")
# A wire dateline opening a paragraph: "LAKE FOREST, Ill. — ", "MOSCOW (Sputnik) - ",
# "WASHINGTON, Nov 7 (Reuters) - ": a place in capitals, an optional state/date and agency, a dash.
_WIRE_DATELINE = re.compile(
    r"^[A-ZÀ-ÞА-ЯЁІЇЄ][A-ZÀ-ÞА-ЯЁІЇЄ .'\-]{1,40}(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,3})?"
    r"(?:\s*\([^)]{1,30}\))?\s*(?:—|–|--|-)\s*\S"
)


@dataclass
class TextHeader:
    """Metadata found at the head of a plain-text article."""

    title: str | None = None
    title_how: str | None = None
    dates: list[tuple[FoundDate, str]] = field(default_factory=list)
    site: str | None = None
    credits: list[str] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)


def headline_like(p: str, *, alone: bool) -> bool:
    """True when a paragraph reads as a headline rather than a sentence of the body.

    Args:
        p: the candidate (timestamp already split off).
        alone: whether it stands alone in its blank-line separated block.
    """
    n = len(p)
    if n < 8 or n > MAX_HEADLINE_CHARS or len(p.split()) < 2:
        return False
    if p[0].islower() or p.endswith((":", ",", ";")):
        return False
    if p.endswith("."):
        return alone and n <= MAX_PERIOD_HEADLINE_CHARS and not _ATTRIBUTION_TAIL.search(p)
    if p.endswith(("?", "!", "…", '"', "”", "»")):
        return n <= 200
    return n <= 200


def parse_header(blocks: list[list[str]], *, find_title: bool = True) -> tuple[TextHeader, list[str]]:
    """Find headline, date lines and site line at the head of a plain-text article.

    Date-only lines further down (``10:31 GMT 08.11.2024 (Updated: ...)`` in sample 001) are
    also metadata: they are collected and removed wherever they are.

    Args:
        blocks: output of :func:`storydesk.extract.paragraphs.split_blocks`.
        find_title: look for a headline in the text (off when the source gave the title,
            e.g. HTML metadata or a JSON field: then the first line is only dropped if it
            repeats that title).

    Returns:
        The header, and the remaining paragraphs in order.
    """
    flat: list[tuple[str, bool]] = [(p, len(block) == 1) for block in blocks for p in block]
    header = TextHeader()
    seen_content = False
    for i, (p, alone) in enumerate(flat):
        stamp = _date_stamp(p)
        if stamp is not None:
            found, credit = stamp
            header.dates.append((found, "date line"))
            if credit:
                header.credits.append(credit)
            header.consumed.add(i)
            continue
        if seen_content or i >= MAX_HEADER_PARAGRAPHS:
            continue
        if _BARE_DOMAIN.match(p) and header.site is None and header.title is None:
            header.site = p.strip("/")
            header.consumed.add(i)
            continue
        if header.title is None and find_title:
            title, found = split_trailing_timestamp(p)
            if found is not None and headline_like(title, alone=True):
                header.title, header.title_how = title, "first line (timestamp split off)"
                header.dates.append((found, "timestamp after headline"))
                header.consumed.add(i)
                continue
            if headline_like(p, alone=alone or _next_is_stamp(flat, i)):
                header.title, header.title_how = p, "first line"
                header.consumed.add(i)
                continue
        if classify(p) is not None:
            continue  # furniture before the body (captions, widgets): cleaned later
        seen_content = True
    body = [p for i, (p, _) in enumerate(flat) if i not in header.consumed]
    return header, body


def _date_stamp(p: str) -> tuple[FoundDate, str | None] | None:
    if is_date_line(p):
        found = find_dates_in_line(p)
        return (found[0], None) if found else None
    m = _CREDIT_STAMP.match(p)
    if m and is_date_line(m.group("rest")):
        found = find_dates_in_line(m.group("rest"))
        if found:
            return found[0], m.group("name").strip()
    return None


def _next_is_stamp(flat: list[tuple[str, bool]], i: int) -> bool:
    return i + 1 < len(flat) and _date_stamp(flat[i + 1][0]) is not None


def opens_with_dateline(paragraph: str) -> bool:
    """True when a paragraph starts with a wire dateline ("LAKE FOREST, Ill. — ...")."""
    return _WIRE_DATELINE.match(paragraph) is not None
