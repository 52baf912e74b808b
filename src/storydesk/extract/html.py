"""HTML pages: main text and metadata through trafilatura, then storydesk's own cleaning.

trafilatura finds the main content and the page metadata (title, date via htmldate,
site name, canonical URL, author). Two things are done differently from its plain-text
output:

- Paragraphs are taken from its XML tree with the page source's own line wrapping
  collapsed: trafilatura's text keeps the newlines of the HTML source inside a ``<p>``,
  which would otherwise turn every wrapped source line into a "paragraph" of its own
  (and make the repeated-paragraph check fire on sentence fragments).
- The date: kept only when the page states it as its publication date (:mod:`.pagedate`).
- The title: trafilatura takes a page's only ``<h1>`` before the ``<title>`` element when
  no ``og:title``-style metadata exists. On many pages that ``<h1>`` is a section or site
  heading ("Allergies Health Center", "About This Site"), so when the ``<title>`` (site name
  removed) neither contains the heading nor is contained in it, the ``<title>`` wins.

The title is stripped of the site name ``<title>`` elements carry ("Kremlin hints at ...
- The Moscow Times"). Repeated paragraphs and furniture are removed by the caller, as for
any scraped text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from storydesk.extract.pagedate import page_date

log = logging.getLogger(__name__)

_HTML_LANG = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ")
_MAX_SITE_SUFFIX_WORDS = 5
_SPACE_RUN = re.compile(r"\s+")
# Page-declared titles that outrank a guessed heading (trafilatura reads the same ones first).
_META_TITLE_XPATH = (
    "//meta[@property='og:title' or @name='og:title' or @name='twitter:title' or @property='twitter:title' "
    "or @name='dc.title' or @name='DC.title' or @property='dc:title' or @name='dcterm:title' "
    "or @name='headline' or @itemprop='headline']/@content"
)
# A <title> must have at least this many words to replace trafilatura's heading: one-word
# <title>s are site names or placeholders ("DeepMind", "Home").
MIN_TITLE_ELEMENT_WORDS = 2


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
    """Extract the main text and metadata of an HTML page or fragment.

    A whole page goes through trafilatura only: when it finds no main text, the page is
    navigation, empty or broken. A fragment (an article body without ``<html>``/``<body>``:
    readability's expected output, a CMS export, a JSON record's ``html`` field) often
    defeats trafilatura's page heuristics, so it is retried wrapped in a document, and
    failing that its text is taken block by block (:func:`_fragment_text`).

    Args:
        html: the page source.
        url: the page URL when known (helps trafilatura and the date finder).

    Returns:
        The content (``text`` has one paragraph per line), or None when the page has no
        main text (navigation pages, empty or broken documents).
    """
    from storydesk.sources.feeds import is_whole_page  # the same page-or-fragment test as feed entries

    page = _extract_page(html, url=url)
    if page is not None or is_whole_page(html):
        return page
    # 100 of the 130 readability expected.html bodies got nothing from trafilatura as they are.
    page = _extract_page(f"<html><body>{html}</body></html>", url=url)
    if page is not None:
        page.notes["text"] = "HTML fragment, extracted as a page"
        return page
    return _fragment_text(html)


def _fragment_text(html: str) -> HtmlContent | None:
    """A fragment's text with one paragraph per block element (scripts, styles, comments dropped).

    The same conversion a feed entry's content gets (:func:`storydesk.sources.feeds.entry_body`):
    a fragment has no page furniture for trafilatura to remove, so its text is the article.
    None when no letter is left.
    """
    from storydesk.extract.normalize import letter_count, unescape_entities
    from storydesk.sources.feeds import entry_body

    body, _ = entry_body(html)  # "text": extract_html comes here only for a fragment
    # One block a line, as trafilatura's text has it (entry_body separates blocks by a blank
    # line). entry_body leaves entities for the text path to decode; fragment text goes the
    # HTML path, which expects them decoded (as trafilatura returns them).
    text = "\n".join(line for line in unescape_entities(body).split("\n") if line.strip())
    if not letter_count(text):
        return None
    return HtmlContent(text=text, notes={"text": "HTML fragment, text taken block by block (trafilatura found none)"})


def _extract_page(html: str, *, url: str | None) -> HtmlContent | None:
    """trafilatura's main text and metadata of a page (None when it finds no main text)."""
    import trafilatura
    from trafilatura.utils import load_html

    lang = _HTML_LANG.search(html[:5000])
    notes: dict[str, str] = {}
    try:
        tree = load_html(html)
        cues = _title_cues(tree) if tree is not None else None
        doc = trafilatura.bare_extraction(
            tree if tree is not None else html,
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
        doc, cues, tree = None, None, None
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        return None
    text = _body_text(doc)
    if not text.strip():
        return None
    authors: tuple[str, ...] = ()
    if doc.author:
        authors = tuple(a.strip() for a in re.split(r";|\band\b|,", doc.author) if a.strip())
    published = doc.date
    if tree is not None:
        try:
            published, how = page_date(doc.date, tree, url=url or doc.url)
        except Exception as exc:  # a malformed page must cost its date, not the article
            log.info("page date check failed on %s: %s", url, exc)
            published, how = None, f"htmldate's {doc.date} dropped: the page's dates could not be read"
        if how:
            notes["published"] = how
    title = _choose_title(doc.title, cues, notes)
    if title:
        title = clean_title(title, sitename=doc.sitename, hostname=doc.hostname)
    return HtmlContent(
        text=text,
        title=title,
        date=published,
        sitename=doc.sitename,
        url=doc.url,
        hostname=doc.hostname,
        authors=authors,
        language=lang.group(1) if lang else None,
        description=doc.description,
        notes=notes,
    )


def _body_text(doc: object) -> str:
    """trafilatura's main text with source line wrapping collapsed: one block element a line."""
    body = getattr(doc, "body", None)
    if body is None:
        return doc.text or ""  # type: ignore[attr-defined]
    try:
        from trafilatura.xml import xmltotxt
    except ImportError:  # pragma: no cover - trafilatura moved its serialiser
        return doc.text or ""  # type: ignore[attr-defined]
    for el in body.iter():
        if el.tag == "code" or any(a.tag == "code" for a in el.iterancestors()):
            continue  # preformatted: its line breaks are content
        if el.text:
            el.text = _SPACE_RUN.sub(" ", el.text)
        if el.tail:
            el.tail = _SPACE_RUN.sub(" ", el.tail)
    return xmltotxt(body, include_formatting=False)


@dataclass(frozen=True, slots=True)
class _TitleCues:
    title_element: str | None
    meta_titles: frozenset[str]
    h1s: tuple[str, ...]


def _title_cues(tree: object) -> _TitleCues:
    title_el = tree.find(".//head//title")  # type: ignore[attr-defined]
    title_text = " ".join(title_el.text_content().split()) if title_el is not None else ""
    metas = frozenset(" ".join(v.split()) for v in tree.xpath(_META_TITLE_XPATH) if v and v.strip())  # type: ignore[attr-defined]
    h1s = tuple(" ".join(h.text_content().split()) for h in tree.iter("h1"))  # type: ignore[attr-defined]
    return _TitleCues(title_text or None, metas, h1s)


def _choose_title(found: str | None, cues: _TitleCues | None, notes: dict[str, str]) -> str | None:
    """trafilatura's title, unless it is a guessed heading the page's ``<title>`` disagrees with."""
    if cues is None or not cues.title_element:
        return found
    if not found:
        notes["title"] = "<title> element"
        return cues.title_element
    found = " ".join(found.split())
    if found in cues.meta_titles or found not in cues.h1s:
        return found  # declared by the page's metadata, or not a heading guess
    element = cues.title_element
    if len(element.split()) < MIN_TITLE_ELEMENT_WORDS:
        return found
    a, b = _fold(found), _fold(element)
    if not a or not b or a in b or b in a:
        return found  # the heading is the <title> without its site decoration (or vice versa)
    notes["title"] = "<title> element (the page's only <h1> differs from it)"
    return element


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
