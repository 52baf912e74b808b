"""HTML pages: main text and metadata through trafilatura, then storydesk's own cleaning.

trafilatura finds the main content and the page metadata (title, date via htmldate,
site name, canonical URL, author). Its output is then cleaned like any scraped text
(furniture, repeated paragraphs) by the caller, and its title is stripped of the site name
that ``<title>`` elements carry ("Kremlin hints at ... - The Moscow Times").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_HTML_LANG = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ")
_MAX_SITE_SUFFIX_WORDS = 5


@dataclass(frozen=True, slots=True)
class HtmlContent:
    """What trafilatura found in a page."""

    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    hostname: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    description: str | None = None
    notes: dict[str, str] = field(default_factory=dict)


def extract_html(html: str, *, url: str | None = None) -> HtmlContent | None:
    """Extract the main text and metadata of an HTML page.

    Args:
        html: the page source.
        url: the page URL when known (helps trafilatura and the date finder).

    Returns:
        The content, or None when the page has no main text (navigation pages, empty or
        broken documents).
    """
    import trafilatura

    lang = _HTML_LANG.search(html[:5000])
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            include_links=False,
            deduplicate=False,
            # original_date: prefer the publication date over "last modified"; no
            # extensive search: htmldate's free-text guessing picks copyright years and
            # "related article" dates, and we would rather return no date than a wrong one.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise on some malformed documents
        log.info("trafilatura failed on %s: %s", url, exc)
        doc = None
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        return None
    authors: tuple[str, ...] = ()
    if doc.author:
        authors = tuple(a.strip() for a in re.split(r";|\band\b|,", doc.author) if a.strip())
    title = clean_title(doc.title, sitename=doc.sitename, hostname=doc.hostname) if doc.title else None
    return HtmlContent(
        text=doc.text,
        title=title,
        date=doc.date,
        sitename=doc.sitename,
        url=doc.url,
        hostname=doc.hostname,
        authors=authors,
        language=lang.group(1) if lang else None,
        description=doc.description,
    )


def clean_title(title: str, *, sitename: str | None = None, hostname: str | None = None) -> str:
    """Strip the site name a ``<title>`` carries ("Headline | Site", "Site - Headline").

    Args:
        title: the raw title.
        sitename: the site's name from metadata, when known.
        hostname: the site's host name, when known.

    Returns:
        The headline alone.
    """
    title = " ".join(title.split())
    names = set()
    if sitename:
        names.add(_fold(sitename))
    if hostname:
        host = hostname.lower().removeprefix("www.")
        names.add(_fold(host))
        names.add(_fold(host.split(".")[0]))
    for sep in _TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        if _is_site(tail, names) and len(head) >= 10:
            return head.strip()
        first, _, rest = title.partition(sep)
        if _is_site(first, names) and len(rest) >= 10:
            return rest.strip()
    return title


def _fold(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def _is_site(part: str, names: set[str]) -> bool:
    folded = _fold(part)
    if not folded:
        return False
    if folded in names or any(n and (folded.startswith(n) or n.startswith(folded)) for n in names if len(n) >= 3):
        return True
    return False
