"""RSS and Atom feeds: each entry becomes one document (its full content, or its page).

Many feeds carry only a teaser per entry. When an entry's own content is shorter than
:data:`MIN_ENTRY_TEXT` and a fetcher is allowed, the linked page is fetched and extracted
instead; when the page cannot be fetched, the teaser is kept if it is long enough to be
useful and the article's provenance says so, otherwise the entry is rejected as
``unreachable`` (never silently dropped).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from storydesk.records import InputFormat, RawDocument, Rejection
from storydesk.sources.decode import Decoded, decode
from storydesk.sources.http import Fetched, FetchError

log = logging.getLogger(__name__)

# Entries whose content has fewer characters of text than this are teasers: fetch the page.
# 600 chars ≈ 100 words, below the shortest news briefs we want as articles.
MIN_ENTRY_TEXT = 600
# A teaser kept when its page is unreachable must at least be a couple of sentences.
MIN_TEASER_TEXT = 200

_TAG = re.compile(r"<[^>]+>")
# Feed fragments to text (:func:`entry_body`). Block elements end a paragraph; content of
# script/style-like elements is not text; a whole page is left to the HTML extractor.
_PAGE = re.compile(r"<(?:html|body|!doctype)\b", re.I)
_SPACE = re.compile(r"\s+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INVISIBLE = re.compile(r"<(script|style|noscript|template|svg|iframe|object|head)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_BREAK = re.compile(r"<br\b[^>]*>", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|section|article|header|footer|aside|main|nav|figure|"
    r"figcaption|table|thead|tbody|tr|td|th|caption|pre|hr|address|details|summary)\b[^>]*>", re.I)
_BLANK_RUN = re.compile(r"\n{3,}")
# A numeric character reference to a UTF-16 surrogate (&#xD800; or &#55296;) is not a
# character: feedparser's loose parser crashes on it (UnicodeEncodeError) and the whole feed
# would be lost for one bad title. It is replaced with U+FFFD before parsing, as the JSON
# reader does with escaped lone surrogates.
_SURROGATE_REF = re.compile(rb"&#([xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*5[5-7]\d{3});")

Fetcher = Callable[[str], Fetched]


def looks_like_feed(head: str) -> bool:
    """True when the start of a document is an RSS, RDF or Atom feed."""
    head = head[:2048].lstrip("\ufeff \t\n").lower()
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip() if "?>" in head else head
    return head.startswith(("<rss", "<feed", "<rdf:rdf")) or "<rss " in head[:512] or "<feed " in head[:512]


def is_whole_page(content: str) -> bool:
    """True for a whole HTML document (``<html>``, ``<body>`` or a doctype near the top), not a fragment."""
    return _PAGE.search(content[:4096]) is not None


def entry_body(content: str) -> tuple[str, InputFormat]:
    """An entry's content as a document body: ``(body, format)``.

    A feed entry carries a fragment (plain text, or a few ``<p>``s), not a page. Handed to
    the HTML extractor as a page, trafilatura finds no main content in a tagless or
    one-paragraph fragment and the entry is lost as ``no-text``; it also has no boilerplate
    to remove. So a fragment becomes plain text with one paragraph per block element, and
    only a whole page (``<html>``/``<body>``, some feeds embed one) stays HTML. Entities are
    left as found: the text path of extraction decodes them once (decoding here too would
    turn a literal "&amp;lt;" into "<").
    """
    if is_whole_page(content):
        return content, "html"
    if not _TAG.search(content):
        return content, "text"
    text = _SPACE.sub(" ", content)  # source line wrapping inside a paragraph is not a break
    text = _COMMENT.sub(" ", text)
    text = _INVISIBLE.sub(" ", text)
    text = _BREAK.sub("\n", text)
    text = _BLOCK.sub("\n\n", text)
    text = _TAG.sub("", text)
    lines = (line.strip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip(), "text"


def _replace_surrogate_ref(m: re.Match[bytes]) -> bytes:
    value = int(m.group(1)[1:], 16) if m.group(1)[:1] in (b"x", b"X") else int(m.group(1))
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else m.group(0)


def _text_len(html: str) -> int:
    return len(_TAG.sub(" ", html).split()) * 6  # rough chars: words × average word length with space


def _entry_meta(entry: Any, feed_title: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if entry.get("title"):
        meta["title"] = entry["title"]
    if entry.get("link"):
        meta["url"] = entry["link"]
    for key in ("published", "updated", "created"):
        if entry.get(key):
            meta["published"] = entry[key]
            break
    if feed_title:
        meta["feed_title"] = feed_title
    authors = [a.get("name") for a in entry.get("authors", []) if isinstance(a, dict) and a.get("name")]
    if authors:
        meta["authors"] = authors
    if entry.get("language"):
        meta["language"] = entry["language"]
    return meta


def read_feed(data: bytes, source: str, *, fetcher: Fetcher | None = None) -> Iterator[RawDocument | Rejection]:
    """Read a feed's entries.

    Args:
        data: the feed bytes.
        source: the feed's path or URL (entries are referenced by their link, or ``source#entry=N``).
        fetcher: fetches an entry's page when the feed carries only a teaser; None disables fetching.
    """
    import feedparser

    try:
        parsed = feedparser.parse(_SURROGATE_REF.sub(_replace_surrogate_ref, data))
    except Exception as exc:  # noqa: BLE001 - feedparser's loose parser raises assorted errors on broken feeds
        log.debug("feedparser failed on %s", source, exc_info=True)
        yield Rejection(source, "read", "malformed-feed", f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})")
        return
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f"not a readable RSS/Atom feed ({reason})" if reason else "the feed has no entries"
        yield Rejection(source, "read", "malformed-feed" if reason else "empty", detail)
        return
    feed_info = parsed.get("feed", {})
    feed_title = feed_info.get("title")
    feed_lang = feed_info.get("language")
    for i, entry in enumerate(entries, 1):
        ref = entry.get("link") or f"{source}#entry={i}"
        meta = _entry_meta(entry, feed_title)
        if feed_lang and "language" not in meta:
            meta["language"] = feed_lang
        content = ""
        for c in entry.get("content", []) or []:
            if len(c.get("value", "")) > len(content):
                content = c["value"]
        summary = entry.get("summary", "") or ""
        best = content if len(content) >= len(summary) else summary
        if _text_len(best) >= MIN_ENTRY_TEXT or not entry.get("link") or fetcher is None:
            if not best.strip():
                yield Rejection(ref, "read", "no-text", "the feed entry has no content and its page was not fetched")
                continue
            if _text_len(best) < MIN_ENTRY_TEXT:
                meta["teaser_only"] = "feed entry carries only a teaser; page not fetched"
            yield RawDocument(ref, *entry_body(best), meta, encoding="utf-8")
            continue
        try:
            page = fetcher(entry["link"])
        except FetchError as exc:
            if _text_len(best) >= MIN_TEASER_TEXT:
                meta["teaser_only"] = f"article page unreachable ({exc}); kept the feed's teaser"
                yield RawDocument(ref, *entry_body(best), meta, encoding="utf-8")
            else:
                yield Rejection(ref, "read", exc.code, f"feed entry's page could not be fetched: {exc}")
            continue
        decoded = decode(page.data, declared=page.charset)
        if not isinstance(decoded, Decoded):
            yield Rejection(ref, "read", decoded.code, f"feed entry's page: {decoded.detail}")
            continue
        meta["url"] = page.url
        yield RawDocument(ref, decoded.text, "html", meta, encoding=decoded.encoding)
