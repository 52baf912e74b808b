"""JSON and JSONL article dumps: map the common field names onto one record shape.

Covers news-please (``maintext``/``text``, ``date_publish``, ``source_domain``), NewsAPI
(``content``, ``publishedAt``, ``source: {name}``), GDELT/Common-Crawl style exports and
hand-made dumps. A JSON file may hold one article, a list of them, or an object with the
list under ``articles``/``items``/``data``/``results``/``records``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from storydesk.records import RawDocument, Rejection

# Field aliases in priority order. A value counts only when it is a non-empty string
# (or, for authors, a list of them) and not a stringified null ("None", "null").
TEXT_FIELDS = ("maintext", "text", "body", "content", "article", "article_text", "full_text", "fulltext", "description")
HTML_FIELDS = ("html", "raw_html", "content_html", "body_html", "rawHtml")
TITLE_FIELDS = ("title", "headline", "title_page", "title_rss", "name")
DATE_FIELDS = (
    "date_publish", "published", "published_at", "publishedAt", "pubDate", "datePublished", "publish_date",
    "publication_date", "date", "created_at", "timestamp", "seendate",
)
OUTLET_FIELDS = ("outlet", "source_name", "publisher", "site_name", "sitename", "source", "source_domain", "domain", "site")
URL_FIELDS = ("url", "link", "canonical_url", "source_url", "uri")
LANGUAGE_FIELDS = ("language", "lang", "language_code")
AUTHOR_FIELDS = ("authors", "author", "byline", "creator")
LIST_KEYS = ("articles", "items", "data", "results", "records", "docs", "documents")

# json.loads recurses per nesting level and raises RecursionError (not JSONDecodeError) on
# input like "[" * 100000: such a file or line is malformed data, not a crash.
_TOO_DEEP = "not valid JSON: nested too deeply to read (thousands of levels of [ or {)"
_MAX_NAME_NESTING = 4
_NULLS = {"", "none", "null", "nan", "n/a", "undefined"}
# A lone UTF-16 surrogate ("\ud800" escaped in the JSON) decodes to a str that cannot be
# encoded as UTF-8 again, so hashing or storing it would crash; it carries no text.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(value: Any, depth: int = 0) -> str | None:
    if isinstance(value, dict):
        # NewsAPI: "source": {"id": "bbc-news", "name": "BBC News"}; publisher objects likewise.
        # Real dumps nest one or two levels; the bound keeps a hostile {"name": {"name": ...}}
        # chain (which json.loads accepts up to ~1000 deep) from exhausting the stack here.
        if depth >= _MAX_NAME_NESTING:
            return None
        for key in ("name", "title", "url", "id"):
            if key in value:
                return _string(value[key], depth + 1)
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    stripped = _LONE_SURROGATE.sub("\ufffd", value.strip())
    return None if stripped.lower() in _NULLS else stripped


def _first(record: dict[str, Any], fields: Iterable[str]) -> str | None:
    for name in fields:
        if name in record:
            value = _string(record[name])
            if value:
                return value
    return None


def _authors(record: dict[str, Any]) -> list[str]:
    for name in AUTHOR_FIELDS:
        value = record.get(name)
        if isinstance(value, list):
            names = [s for s in (_string(v) for v in value) if s]
            if names:
                return names
        elif (s := _string(value)) is not None:
            return [s]
    return []


def record_to_document(record: Any, source: str) -> RawDocument | Rejection:
    """Map one JSON object to a :class:`RawDocument`, or reject it.

    Args:
        record: the decoded JSON value (must be an object).
        source: the stable reference for this record (``dump.jsonl#line=3``).

    Returns:
        A document, or a rejection (``not-an-article`` / ``no-text``).
    """
    if not isinstance(record, dict):
        return Rejection(source, "read", "not-an-article", f"expected a JSON object, found {type(record).__name__}")
    html = _first(record, HTML_FIELDS)
    text = _first(record, TEXT_FIELDS)
    # "description" is a last resort: only when nothing else carries text.
    if html and (not text or len(html) > len(text)):
        body, fmt = html, "html"
    elif text:
        body, fmt = text, "text"
    else:
        keys = ", ".join(sorted(record)[:12])
        return Rejection(
            source, "read", "no-text",
            f"no article text in this record (looked for {', '.join(TEXT_FIELDS[:5])}, ...; found keys: {keys})",
        )
    meta: dict[str, Any] = {}
    for key, fields in (("title", TITLE_FIELDS), ("published", DATE_FIELDS), ("url", URL_FIELDS),
                        ("language", LANGUAGE_FIELDS), ("outlet", OUTLET_FIELDS)):
        value = _first(record, fields)
        if value:
            meta[key] = value
    if "source_domain" in record and _string(record["source_domain"]):
        meta["domain"] = _string(record["source_domain"])
    if desc := _string(record.get("description")):
        meta["description"] = desc
    if authors := _authors(record):
        meta["authors"] = authors
    return RawDocument(source=source, body=body, format=fmt, meta=meta, encoding="utf-8")


def read_json_text(text: str, source: str) -> Iterator[RawDocument | Rejection]:
    """Read a JSON document holding one article, a list, or a wrapper object with a list.

    Args:
        text: the decoded file content.
        source: the file's reference; records get ``#item=N`` (1-based) when there are several.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        # A .json file that is really JSON Lines is common; try that before giving up.
        if "\n" in text.strip() and exc.msg.startswith("Extra data"):
            yield from read_jsonl_lines(text.splitlines(), source)
            return
        yield Rejection(source, "read", "malformed-json", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
        return
    except RecursionError:
        yield Rejection(source, "read", "malformed-json", _TOO_DEEP)
        return
    if isinstance(value, dict):
        for key in LIST_KEYS:
            if isinstance(value.get(key), list) and not _first(value, TEXT_FIELDS + HTML_FIELDS):
                value = value[key]
                break
    if isinstance(value, list):
        if not value:
            yield Rejection(source, "read", "empty", "the JSON file holds an empty list")
            return
        for i, item in enumerate(value, 1):
            yield record_to_document(item, f"{source}#item={i}")
        return
    yield record_to_document(value, source)


def read_jsonl_lines(lines: Iterable[str | bytes], source: str) -> Iterator[RawDocument | Rejection]:
    """Read JSON Lines: one article per line; a broken line is rejected with its line number.

    Args:
        lines: the file's lines, decoded or as bytes (bytes are decoded as UTF-8 per line, so one
            badly encoded line is rejected alone instead of failing the file).
        source: the file's reference; records get ``#line=N`` (1-based line numbers).
    """
    seen_any = False
    for lineno, line in enumerate(lines, 1):
        ref = f"{source}#line={lineno}"
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                seen_any = True
                yield Rejection(ref, "read", "encoding", f"line {lineno} is not UTF-8 (JSON Lines must be): {exc.reason}")
                continue
        if not line.strip():
            continue
        seen_any = True
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(ref, "read", "malformed-json", f"line {lineno} is not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield Rejection(ref, "read", "malformed-json", f"line {lineno}: {_TOO_DEEP}")
            continue
        yield record_to_document(value, ref)
    if not seen_any:
        yield Rejection(source, "read", "empty", "the JSON Lines file has no records")
