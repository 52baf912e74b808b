"""WARC web archives: every archived HTML response is one document, referenced by its URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import BinaryIO

from storydesk.config import MAX_INPUT_BYTES
from storydesk.records import RawDocument, Rejection
from storydesk.sources.decode import Decoded, decode

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, source: str) -> Iterator[RawDocument | Rejection]:
    """Read the HTML responses of a WARC (plain or gzip-compressed per record).

    Non-HTML responses (images, scripts, robots.txt) and request/metadata records are not
    articles and are skipped (logged at debug level); a broken archive is one rejection.

    Args:
        stream: the opened WARC file (binary).
        source: the archive's path, used when a record has no target URI.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - core dependency
        yield Rejection(source, "read", "unsupported", "reading WARC needs warcio: pip install warcio")
        return
    found = 0
    try:
        for i, record in enumerate(ArchiveIterator(stream), 1):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            status = record.http_headers.get_statuscode()
            if not ctype.startswith(_HTML_TYPES):
                log.debug("skipping non-HTML WARC record %s (%s)", i, ctype)
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#record={i}"
            found += 1
            if status and not status.startswith("2"):
                yield Rejection(uri, "read", "unreachable", f"the archived response has HTTP status {status}")
                continue
            data = record.content_stream().read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                yield Rejection(uri, "read", "too-large", "the archived page is larger than the input limit")
                continue
            charset = None
            if "charset=" in ctype:
                charset = ctype.split("charset=", 1)[1].split(";")[0].strip(" \"'")
            decoded = decode(data, declared=charset)
            if not isinstance(decoded, Decoded):
                yield Rejection(uri, "read", decoded.code, decoded.detail)
                continue
            date = record.rec_headers.get_header("WARC-Date")
            meta = {"url": uri, "archived": date} if date else {"url": uri}
            yield RawDocument(uri, decoded.text, "html", meta, encoding=decoded.encoding)
    except Exception as exc:  # warcio raises assorted errors on truncated archives
        yield Rejection(source, "read", "malformed-warc", f"the WARC archive is unreadable after {found} pages: {exc}")
        return
    if found == 0:
        yield Rejection(source, "read", "empty", "the WARC archive has no HTML responses")
