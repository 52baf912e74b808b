"""Read inputs — files, folders, JSON/JSONL/CSV dumps, RSS/Atom feeds, WARC archives, URLs — into documents.

Entry point: :func:`read_inputs`, which yields exactly one :class:`RawDocument` or one
:class:`Rejection` per input unit (a file, a JSON record, a JSONL line, a feed entry, a
WARC response). Nothing is dropped silently: an unreadable file, an empty page or a broken
line comes back as a rejection with a reason a user can act on.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import logging
import lzma
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storydesk.config import MAX_CONTAINER_BYTES, MAX_INPUT_BYTES
from storydesk.records import RawDocument, Rejection
from storydesk.sources.decode import Decoded, decode
from storydesk.sources.feeds import looks_like_feed, read_feed
from storydesk.sources.http import Fetched, FetchError, fetch
from storydesk.sources.jsonrecords import read_json_text, read_jsonl_lines, record_to_document
from storydesk.sources.warc import read_warc

log = logging.getLogger(__name__)

__all__ = ["read_inputs", "discover", "read_path", "read_url", "is_url", "SUFFIX_KINDS"]

# File kinds by suffix. Unknown suffixes are sniffed from the content.
SUFFIX_KINDS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
    ".xml": "xml", ".rss": "feed", ".atom": "feed",
    ".warc": "warc", ".arc": "warc",
}
_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
_STREAMED = {"jsonl", "warc", "csv", "tsv"}

Fetcher = Callable[[str], Fetched]


def is_url(value: str) -> bool:
    """True for http(s) URLs."""
    return value.lower().startswith(("http://", "https://"))


def _kind_of(path: Path) -> tuple[str | None, Callable[..., io.IOBase] | None]:
    suffixes = [s.lower() for s in path.suffixes]
    opener = None
    if suffixes and suffixes[-1] in _COMPRESSED:
        opener = _COMPRESSED[suffixes[-1]]
        suffixes = suffixes[:-1]
    kind = SUFFIX_KINDS.get(suffixes[-1]) if suffixes else None
    if kind == "warc" and opener is gzip.open:
        return "warc", None  # warcio reads per-record gzip itself
    return kind, opener


def discover(inputs: Iterable[str | Path], *, exclude: Iterable[Path] = ()) -> Iterator[str | Path]:
    """Expand folders recursively (sorted, hidden entries skipped); keep files and URLs as given.

    Args:
        inputs: paths and URLs as the user gave them.
        exclude: files never to read (the database being written, for instance).
    """
    skip = {p.resolve() for p in exclude}
    for item in inputs:
        if isinstance(item, str) and is_url(item):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or not child.is_file():
                    continue
                if child.resolve() in skip or child.name.endswith(("-journal", "-wal", "-shm")):
                    continue
                yield child
        else:
            yield path


def read_inputs(
    inputs: Iterable[str | Path], *, fetch_pages: bool = True, fetcher: Fetcher | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[RawDocument | Rejection]:
    """Read every input into documents or rejections.

    Args:
        inputs: file paths, folder paths (read recursively) and http(s) URLs.
        fetch_pages: fetch an article's page when a feed entry carries only a teaser.
        fetcher: replaces :func:`storydesk.sources.http.fetch` (tests, rate-limited clients).
        exclude: files to skip when expanding folders.
    """
    get = fetcher or fetch
    for item in discover(inputs, exclude=exclude):
        if isinstance(item, str):
            yield from read_url(item, fetcher=get, fetch_pages=fetch_pages)
        else:
            yield from read_path(item, fetcher=get if fetch_pages else None)


def read_url(url: str, *, fetcher: Fetcher = fetch, fetch_pages: bool = True) -> Iterator[RawDocument | Rejection]:
    """Fetch a URL: a feed yields its entries, an HTML page one document."""
    try:
        page = fetcher(url)
    except FetchError as exc:
        yield Rejection(url, "read", exc.code, str(exc))
        return
    decoded = decode(page.data, declared=page.charset)
    if not isinstance(decoded, Decoded):
        yield Rejection(url, "read", decoded.code, decoded.detail)
        return
    ctype = page.content_type
    if "rss" in ctype or "atom" in ctype or looks_like_feed(decoded.text):
        yield from read_feed(page.data, url, fetcher=fetcher if fetch_pages else None)
    elif "html" in ctype or decoded.text.lstrip()[:1] == "<":
        yield RawDocument(url, decoded.text, "html", {"url": page.url}, encoding=decoded.encoding)
    elif ctype.startswith("text/"):
        yield RawDocument(url, decoded.text, "text", {"url": page.url}, encoding=decoded.encoding)
    else:
        yield Rejection(url, "read", "unsupported", f"the URL serves {ctype or 'an unknown type'}, not an article or a feed")


def read_path(path: Path, *, fetcher: Fetcher | None = None) -> Iterator[RawDocument | Rejection]:
    """Read one file into documents or rejections.

    Args:
        path: the file.
        fetcher: used for feed entries that carry only a teaser (None: keep the teaser).
    """
    source = path.resolve().as_posix() if path.exists() else str(path)
    if not path.exists():
        yield Rejection(source, "read", "not-found", "no such file or folder")
        return
    if not path.is_file():
        yield Rejection(source, "read", "unsupported", "not a regular file")
        return
    kind, opener = _kind_of(path)
    try:
        size = path.stat().st_size
        limit = MAX_CONTAINER_BYTES if kind in _STREAMED else MAX_INPUT_BYTES
        if opener is None and size > limit:
            yield Rejection(source, "read", "too-large",
                            f"{size / 1048576:.0f} MB is above the {limit // 1048576} MB limit for a single {kind or 'file'}")
            return
        if kind == "warc":
            with path.open("rb") as fh:
                yield from read_warc(fh, source)
            return
        if kind in ("jsonl", "csv", "tsv"):
            yield from _read_streamed(path, source, kind, opener)
            return
        data = _read_bytes(path, opener, MAX_INPUT_BYTES)
    except PermissionError:
        yield Rejection(source, "read", "unreadable", "permission denied")
        return
    except _DECOMPRESSION_ERRORS as exc:
        if opener is None:  # a plain OSError (EIO, a vanished file) on an uncompressed file
            yield Rejection(source, "read", "unreadable", f"cannot read the file: {exc}")
        else:
            yield _corrupt(source, path, exc)
        return
    if data is None:
        yield Rejection(source, "read", "too-large", f"decompressed content is above the {MAX_INPUT_BYTES // 1048576} MB limit")
        return
    yield from _read_data(data, source, kind, fetcher)


# What a damaged compressed file raises: gzip a zlib.error (bad deflate data) or EOFError
# (truncated), bz2/gzip an OSError (bad header, "Invalid data stream"), xz an LZMAError.
# OSError also covers plain read failures (EIO), told apart by whether an opener was used.
_DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


def _corrupt(source: str, path: Path, exc: BaseException, done: str = "") -> Rejection:
    """The rejection for a compressed file that is corrupt or truncated (``done``: what was read before)."""
    kind = path.suffix.lower().lstrip(".")
    reason = "it ends before its end-of-stream marker (truncated)" if isinstance(exc, EOFError) else str(exc)
    return Rejection(source, "read", "unreadable",
                     f"the {kind} file is corrupt or truncated{done}: {reason or type(exc).__name__}")


def _read_bytes(path: Path, opener: Callable[..., io.IOBase] | None, limit: int) -> bytes | None:
    if opener is None:
        return path.read_bytes()
    with opener(path, "rb") as fh:
        data = fh.read(limit + 1)
    return None if len(data) > limit else data


def _read_data(data: bytes, source: str, kind: str | None, fetcher: Fetcher | None) -> Iterator[RawDocument | Rejection]:
    decoded = decode(data)
    if not isinstance(decoded, Decoded):
        yield Rejection(source, "read", decoded.code, decoded.detail)
        return
    text = decoded.text
    head = text.lstrip("\ufeff \t\n")[:1024].lower()
    if kind == "feed" or (kind in (None, "xml", "text", "html") and looks_like_feed(head)):
        yield from read_feed(data, source, fetcher=fetcher)
        return
    if kind == "xml":
        yield Rejection(source, "read", "unsupported", "an XML file that is not an RSS/Atom feed")
        return
    if kind == "json" or (kind is None and head[:1] in "{["):
        yield from read_json_text(text, source)
        return
    if kind in ("html", "text", None):
        is_html = kind == "html" or head.startswith(("<!doctype html", "<html", "<?xml")) or (
            kind is None and "<body" in text[:20000].lower()
        )
        if kind == "text" and not head.startswith(("<!doctype html", "<html")):
            is_html = False
        yield RawDocument(source, text, "html" if is_html else "text", {}, encoding=decoded.encoding)
        return
    yield Rejection(source, "read", "unsupported", f"unsupported file type {kind!r}")  # pragma: no cover


def _read_streamed(path: Path, source: str, kind: str, opener: Callable[..., io.IOBase] | None) -> Iterator[RawDocument | Rejection]:
    """Stream JSONL/CSV line by line, so a multi-gigabyte dump never sits in memory.

    Records read before a compressed dump turns out corrupt or truncated are kept (each is
    its own unit); the unreadable rest becomes one rejection of the file saying where it broke.
    """
    records = 0
    try:
        with (opener(path, "rb") if opener else path.open("rb")) as raw:
            if kind == "jsonl":
                items = read_jsonl_lines(raw, source)
            else:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
                items = _read_csv(text, source, "\t" if kind == "tsv" else ",")
            for item in items:
                records += 1
                yield item
    except _DECOMPRESSION_ERRORS as exc:
        if opener is None or isinstance(exc, PermissionError):
            raise  # not a decompression problem: read_path reports it
        yield _corrupt(source, path, exc, f" after {records} records" if records else "")


def _read_csv(text: io.TextIOWrapper, source: str, delimiter: str) -> Iterator[RawDocument | Rejection]:
    csv.field_size_limit(MAX_INPUT_BYTES)
    rows = 0
    try:
        reader = csv.DictReader(text, delimiter=delimiter)
        for rowno, row in enumerate(reader, 2):  # row 1 is the header
            rows += 1
            yield record_to_document({k: v for k, v in row.items() if k}, f"{source}#row={rowno}")
    except csv.Error as exc:
        yield Rejection(source, "read", "malformed-csv", f"the CSV file is unreadable after {rows} rows: {exc}")
        return
    if rows == 0:
        yield Rejection(source, "read", "empty", "the CSV file has no data rows")
