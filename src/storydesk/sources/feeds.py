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

from storydesk.records import RawDocument, Rejection
from storydesk.sources.decode import Decoded, decode
from storydesk.sources.http import Fetched, FetchError

log = logging.getLogger(__name__)

# Entries whose content has fewer characters of text than this are teasers: fetch the page.
# 600 chars ≈ 100 words, below the shortest news briefs we want as articles.
MIN_ENTRY_TEXT = 600
# A teaser kept when its page is unreachable must at least be a couple of sentences.
MIN_TEASER_TEXT = 200

_TAG = re.compile(r"<[^>]+>")

Fetcher = Callable[[str], Fetched]


def looks_like_feed(head: str) -> bool:
    """True when the start of a document is an RSS, RDF or Atom feed."""
    head = head[:2048].lstrip("\ufeff \t\n").lower()
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip() if "?>" in head else head
    return head.startswith(("<rss", "<feed", "<rdf:rdf")) or "<rss " in head[:512] or "<feed " in head[:512]


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

    parsed = feedparser.parse(data)
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
            yield RawDocument(ref, best, "html", meta, encoding="utf-8")
            continue
        try:
            page = fetcher(entry["link"])
        except FetchError as exc:
            if _text_len(best) >= MIN_TEASER_TEXT:
                meta["teaser_only"] = f"article page unreachable ({exc}); kept the feed's teaser"
                yield RawDocument(ref, best, "html", meta, encoding="utf-8")
            else:
                yield Rejection(ref, "read", exc.code, f"feed entry's page could not be fetched: {exc}")
            continue
        decoded = decode(page.data, declared=page.charset)
        if not isinstance(decoded, Decoded):
            yield Rejection(ref, "read", decoded.code, f"feed entry's page: {decoded.detail}")
            continue
        meta["url"] = page.url
        yield RawDocument(ref, decoded.text, "html", meta, encoding=decoded.encoding)
