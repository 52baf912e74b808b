"""Read inputs — files, folders, JSON/JSONL/CSV dumps, RSS/Atom feeds, WARC archives, URLs — into documents.

Entry point: :func:`read_inputs`, which yields exactly one :class:`RawDocument` or one
:class:`Rejection` per input unit (a file, a JSON record, a JSONL line, a feed entry, a
WARC response). Nothing is dropped silently: an unreadable file, an empty page or a broken
line comes back as a rejection with a reason a user can act on.

A folder is walked for files of article formats only (:data:`SUFFIX_KINDS`); the other files
in it (annotations, READMEs, metadata tables) are not articles and each comes back as one
``skipped-type`` rejection saying so (``binary`` for a PDF or an image, which no naming makes
readable). A file named explicitly is always read, whatever its suffix: an unknown one is
sniffed from the content (plain text at worst).
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
from storydesk.sources.decode import Decoded, decode, sniff_binary
from storydesk.sources.feeds import looks_like_feed, read_feed
from storydesk.sources.http import Fetched, FetchError, fetch
from storydesk.sources.jsonrecords import HTML_FIELDS, TEXT_FIELDS, read_json_text, read_jsonl_lines, record_to_document
from storydesk.sources.warc import read_warc

log = logging.getLogger(__name__)

__all__ = ["read_inputs", "discover", "read_path", "read_url", "is_url", "SUFFIX_KINDS"]

# File kinds by suffix: the article formats. A file named explicitly with another suffix is
# sniffed from its content; in a folder walk it is skipped (see _why_skipped).
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

# A folder walk leaves out files named like a corpus' own documentation (README.md,
# LICENSE.txt, CHANGELOG): the PolNeAR folder's README.md was read as an article.
_DOC_STEMS = frozenset({"readme", "license", "licence", "copying", "changelog", "notice", "authors", "contributing"})
# What an unknown-suffix file in a folder must start with to be read anyway: a web page or a
# feed saved under a server's name (index.php, story.aspx, a wget mirror's "article?id=3").
_PAGE_STARTS = ("<!doctype html", "<html", "<?xml")  # feeds: feeds.looks_like_feed
_SQLITE_MAGIC = b"SQLite format 3\x00"


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

    A folder yields the files of article formats in it and then, when the walk left other
    files out, the folder itself: :func:`read_path` on a folder reports each file left out
    as one rejection (``skipped-type``, or ``binary``), so the summary of an ingest counts them.

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
            skipped = False
            for child, why in _walk(path, skip):
                if why is None:
                    yield child
                else:
                    skipped = True
            if skipped:
                yield path
        else:
            yield path


def _walk(folder: Path, skip: set[Path] = frozenset()) -> Iterator[tuple[Path, tuple[str, str] | None]]:
    """The files under a folder (sorted, hidden entries left out), each with why it is not read (None: read it).

    Stores are not listed at all: the excluded paths, SQLite journals, and any SQLite database
    (``read_path`` on a folder walks it again without the exclude list, and a database in a
    news folder is a store being written, not an input to report).
    """
    for child in sorted(folder.rglob("*")):
        rel = child.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not child.is_file():
            continue
        if child.resolve() in skip or child.name.endswith(("-journal", "-wal", "-shm")):
            continue
        why = _why_skipped(child)
        if why is not None and why[0] == "sqlite":
            continue
        yield child, why


def _why_skipped(path: Path) -> tuple[str, str] | None:
    """Why a folder walk does not read a file as articles: ``(code, detail)``, or None to read it.

    The code is ``skipped-type``, or ``binary`` for a file storydesk could not read even if
    named (a PDF, an image: the detail says which), or ``sqlite`` for a database (not reported).
    """
    kind, opener = _kind_of(path)
    if kind is None:
        suffix = "".join(path.suffixes[-2:] if opener else path.suffixes[-1:]) or "no extension"
        if opener is None:
            head = _head(path)
            if head.startswith(_SQLITE_MAGIC):
                return "sqlite", ""
            if magic := sniff_binary(head):
                return "binary", f"the input is {magic}, not a text or HTML article ({suffix})"
            if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs
                return "binary", f"the file contains NUL bytes: it is a binary file, not text ({suffix})"
            text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
            if text.startswith(_PAGE_STARTS) or looks_like_feed(text):
                return None
        return "skipped-type", f"not an article format ({suffix}); name the file to read it as plain text"
    if path.name.split(".")[0].lower() in _DOC_STEMS:
        return "skipped-type", "a documentation file in the folder, not an article; name the file to read it"
    if kind in ("csv", "tsv"):
        columns = _table_columns(path, kind, opener)
        if columns is not None and not set(columns) & set(TEXT_FIELDS + HTML_FIELDS):
            # PolNeAR's metadata.tsv (publisher, date, title per article file) gave 983 "no-text" rejections.
            shown = ", ".join(c for c in columns[:8] if c) + (", ..." if len(columns) > 8 else "")
            return "skipped-type", (f"a table without an article text column (columns: {shown}); "
                                    "name the file to read its rows as articles")
    return None


def _head(path: Path, size: int = 1024) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""  # read_path reports the file as unreadable if it is named


def _table_columns(path: Path, kind: str, opener: Callable[..., io.IOBase] | None) -> list[str] | None:
    """The header row of a CSV/TSV file (None when it cannot be read: the reader reports that)."""
    try:
        with (opener(path, "rb") if opener else path.open("rb")) as raw:
            line = raw.readline(65536).decode("utf-8-sig", errors="replace")
    except (*_DECOMPRESSION_ERRORS, ValueError):
        return None
    try:
        return next(csv.reader([line], delimiter="\t" if kind == "tsv" else ","), None)
    except csv.Error:
        return None


def _skipped(folder: Path) -> Iterator[Rejection]:
    """One rejection (``skipped-type``, or ``binary``) for each file a walk of the folder leaves out."""
    for child, why in _walk(folder):
        if why is not None:
            yield Rejection(child.resolve().as_posix(), "read", *why)


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
    if path.is_dir():
        # discover() yields a folder's article files, then the folder when its walk left files
        # out: reading the folder reports those (one rejection each, nothing left unaccounted).
        yield from _skipped(path)
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
