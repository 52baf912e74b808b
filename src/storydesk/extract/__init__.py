"""Turn a raw document into a clean article with exact metadata — or a rejection saying why not.

The sequence, top-down (each step is a small module of its own):

1. HTML pages go through trafilatura for the main text (one block element a paragraph) and
   page metadata (:mod:`.html`; a fragment it cannot read is retried as a page, then read
   block by block), keeping a date only when the page states it
   (:mod:`.pagedate`); plain text has HTML entities decoded.
2. Characters are normalised (:mod:`.normalize`) and plain text is split into paragraphs,
   with lines broken mid-sentence re-joined (:mod:`.paragraphs`).
3. The head is read for headline, date lines and site line (:mod:`.header`).
4. Page furniture is removed, keeping the metadata it carries — original URL, credit line
   (:mod:`.boilerplate`); repeated paragraphs are kept once (:mod:`.paragraphs`). What is
   left must be an article: 80 letters, or a one-sentence wire bulletin; otherwise the
   rejection says what was removed and what remained.
5. Publication date (:mod:`.pubdate`), outlet (:mod:`.outlet`, through the registry) and
   languages per paragraph (:mod:`.language`) are decided, each with its provenance.
6. The article id is the hash of the clean text, so the same text gets the same id wherever
   it comes from.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime

from storydesk.extract.boilerplate import classify
from storydesk.extract.header import opens_with_dateline, parse_header
from storydesk.extract.html import extract_html
from storydesk.extract.language import detect_languages
from storydesk.extract.normalize import letter_count, normalize_text, unescape_entities
from storydesk.extract.outlet import OutletHint, dateline_agency, repair_url, resolve_outlet
from storydesk.extract.paragraphs import dedupe_paragraphs, split_blocks, split_paragraphs
from storydesk.extract.pubdate import date_from_url, parse_date_value
from storydesk.records import Article, Paragraph, RawDocument, Rejection

log = logging.getLogger(__name__)

__all__ = ["extract_document", "clean_text", "content_id"]

# An article needs at least this many letters of clean text. Below it the input is a
# stub (a title-only feed entry, a "page not found", a widget dump). 80 letters is about
# one short sentence.
MIN_TEXT_LETTERS = 80
# ... except a wire bulletin: one dated sentence ("LAKE FOREST, Ill. — Chicago Bears fire
# coach John Fox after 5-11 season.", an AP alert in the giveme5w1h set, 55 letters) is a
# complete news item. 30 letters is about five words.
MIN_BULLETIN_LETTERS = 30
_PARAGRAPH_SEP = "\n\n"


def content_id(text: str) -> str:
    """The article id: 16 hex digits of the SHA-256 of the whitespace-normalised clean text.

    64 bits keep the chance of any collision in a corpus of a million articles below 1e-7.
    """
    canonical = " ".join(text.split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def clean_text(text: str) -> str:
    """Clean a text body: normalise, re-join broken lines, drop furniture and repeats.

    Idempotent: ``clean_text(clean_text(t)) == clean_text(t)``. Header lines (headline,
    date lines) are not touched here; :func:`extract_document` handles them.

    Args:
        text: raw or already clean text.

    Returns:
        Paragraphs separated by one blank line.
    """
    paragraphs = [p for p in split_paragraphs(normalize_text(text)) if classify(p) is None]
    kept, _ = dedupe_paragraphs(paragraphs)
    return _PARAGRAPH_SEP.join(kept)


def extract_document(raw: RawDocument, *, registry: object | None = None, languages: bool = True) -> Article | Rejection:
    """Extract a clean article and its metadata from a raw document.

    Args:
        raw: the document as read by a source.
        registry: the outlet registry (:class:`storydesk.outlets.OutletRegistry`); None keeps
            outlet names as found.
        languages: detect paragraph languages (disable only in tests that don't need it).

    Returns:
        The article, or a rejection (``no-text`` when nothing article-like remains).
    """
    meta = raw.meta or {}
    provenance: dict[str, str] = {}
    hints: list[OutletHint] = []
    title: str | None = _clean_meta_title(meta.get("title"))
    if title:
        provenance["title"] = "source metadata"
    date_candidates: list[tuple[object, str]] = []
    if meta.get("published"):
        date_candidates.append((meta["published"], "source metadata"))
    url = meta.get("url")
    language_hint = meta.get("language")
    authors = tuple(meta.get("authors") or ())

    if raw.format == "html":
        page = extract_html(raw.body, url=url)
        if page is None:
            return Rejection(raw.source, "extract", "no-text",
                             "no main article text found in the HTML page (empty, navigation-only or broken markup)")
        body = page.text
        if not title and page.title:
            title, provenance["title"] = page.title, page.notes.get("title", "HTML metadata")
        if page.date:
            date_candidates.append((page.date, page.notes.get("published", "HTML metadata")))
        elif page.notes.get("published"):
            provenance["published"] = page.notes["published"]  # why htmldate's guess was dropped
        url = url or page.url
        if page.url:
            hints.append(OutletHint("canonical-url", page.url))
        if page.sitename:
            hints.append(OutletHint("sitename", page.sitename))
        language_hint = language_hint or page.language
        authors = authors or page.authors
        if page.notes.get("text"):
            provenance["text"] = page.notes["text"]  # a fragment, read another way than a page
    else:
        body = unescape_entities(raw.body)

    if raw.format == "html":
        # One block element a line, already: re-joining "broken" lines would glue a heading
        # or list item to the paragraph before it.
        blocks = [[line.strip()] for line in normalize_text(body).split("\n") if line.strip()]
    else:
        blocks = split_blocks(normalize_text(body))
    # A headline is looked for in the text only when the source gave none (plain text).
    header, paragraphs = parse_header(blocks, find_title=not title and raw.format == "text")
    if header.title:
        title, provenance["title"] = header.title, header.title_how or "first line"
        if not paragraphs:
            # A one-paragraph text is its own body, not a headline over nothing.
            paragraphs, title = [header.title], None
            provenance.pop("title")
    if title:
        paragraphs = _drop_title_repeat(paragraphs, title)
    for found, how in header.dates:
        date_candidates.append((found, how))
    if header.site:
        hints.append(OutletHint("site-line", header.site))
    hints.extend(OutletHint("credit", c) for c in header.credits)

    paragraphs, furniture_hints, original_url, furniture = _drop_furniture(paragraphs)
    hints.extend(furniture_hints)
    url_from_container = url
    if original_url:
        url = url or original_url
    for p in paragraphs[:3]:
        if agency := dateline_agency(p):
            hints.append(OutletHint("dateline", agency))
            break
    paragraphs, removed = dedupe_paragraphs(paragraphs)
    if removed:
        provenance["removed_repeats"] = str(len(removed))

    text = _PARAGRAPH_SEP.join(paragraphs)
    letters = letter_count(text)
    if letters < MIN_TEXT_LETTERS:
        if letters >= MIN_BULLETIN_LETTERS and _is_bulletin(paragraphs):
            provenance["text"] = "wire bulletin: one dated sentence"
        else:
            return Rejection(raw.source, "extract", "no-text", _no_text_detail(raw.body, text, letters, furniture))

    # Metadata: url, then everything that hangs on it.
    if url:
        url = repair_url(url)
    if url_from_container:
        hints.insert(0, OutletHint("url", url_from_container))
    if meta.get("domain"):
        hints.append(OutletHint("domain", meta["domain"]))
    if meta.get("outlet"):
        hints.append(OutletHint("outlet", meta["outlet"]))
    if meta.get("feed_title"):
        hints.append(OutletHint("feed-title", meta["feed_title"]))
    if url and (d := date_from_url(url)):
        date_candidates.append((d, "date in the URL"))
    published, published_at, how = _choose_date(date_candidates)
    if published:
        provenance["published"] = how
    outlet = resolve_outlet(hints, registry)
    if outlet:
        provenance["outlet"] = outlet.how
    if meta.get("teaser_only"):
        provenance["text"] = meta["teaser_only"]
    if raw.encoding and raw.encoding not in ("utf-8", "utf_8", "ascii"):
        provenance["encoding"] = raw.encoding

    if languages:
        language, paragraph_langs = detect_languages(paragraphs, hint=language_hint)
    else:
        language, paragraph_langs = language_hint, [language_hint] * len(paragraphs)
    spans: list[Paragraph] = []
    offset = 0
    for p, lang in zip(paragraphs, paragraph_langs):
        spans.append(Paragraph(offset, offset + len(p), lang))
        offset += len(p) + len(_PARAGRAPH_SEP)

    return Article(
        id=content_id(text),
        source=raw.source,
        text=text,
        title=title,
        published=published,
        published_at=published_at,
        outlet=outlet.name if outlet else None,
        outlet_domain=outlet.domain if outlet else None,
        url=url,
        language=language,
        paragraphs=tuple(spans),
        authors=authors,
        provenance=provenance,
    )


def _clean_meta_title(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    title = " ".join(normalize_text(unescape_entities(value)).split())
    return title or None


def _is_bulletin(paragraphs: list[str]) -> bool:
    return len(paragraphs) == 1 and opens_with_dateline(paragraphs[0]) and paragraphs[0].rstrip().endswith((".", "!"))


def _no_text_detail(body: str, text: str, letters: int, furniture: list[str]) -> str:
    """Say plainly why a document is not an article: empty, all furniture, or too short."""
    removed = ""
    if furniture:
        counts = {r: furniture.count(r) for r in dict.fromkeys(furniture)}
        removed = "; removed as page furniture: " + ", ".join(f"{r} x{n}" if n > 1 else r for r, n in counts.items())
    if not body.strip():
        return "empty: the source has no text at all"
    if not text:
        return "no article text: everything in the source is page furniture or metadata lines" + removed
    shown = text if len(text) <= 100 else text[:97] + "..."
    return (f"no article text: only {letters} letters remain ({shown!r}), an article needs {MIN_TEXT_LETTERS}"
            + removed)


def _drop_title_repeat(paragraphs: list[str], title: str) -> list[str]:
    """Drop a repeat of the headline among the first body lines, unless it is the whole text.

    Scrapes and extractors often repeat the headline as the first body line. But a record
    whose title *is* its text (726 of 1379 SemEval-2022 records carry the same short text in
    both fields) must keep it: dropping it would reject the record as having no text.
    """
    folded = " ".join(title.casefold().split())
    kept = [p for j, p in enumerate(paragraphs) if not (j < 3 and " ".join(p.casefold().split()) == folded)]
    # What is left must hold some text that is not page furniture, or the repeat is the text.
    if any(classify(p) is None for p in kept):
        return kept
    return paragraphs


def _drop_furniture(paragraphs: list[str]) -> tuple[list[str], list[OutletHint], str | None, list[str]]:
    kept: list[str] = []
    removed: list[str] = []
    hints: list[OutletHint] = []
    original_url: str | None = None
    expecting_url = False
    for p in paragraphs:
        verdict = classify(p)
        if verdict is None:
            kept.append(p)
            expecting_url = False
            continue
        removed.append(verdict.reason)
        if verdict.hint_kind == "original-url":
            if verdict.hint:
                original_url = original_url or repair_url(verdict.hint)
                hints.append(OutletHint("original-url", verdict.hint))
            else:
                expecting_url = True
            continue
        if verdict.hint_kind == "url" and expecting_url:
            original_url = original_url or repair_url(verdict.hint or "")
            hints.append(OutletHint("original-url", verdict.hint or ""))
            expecting_url = False
            continue
        if verdict.hint_kind in ("credit", "source-line") and verdict.hint:
            hints.append(OutletHint(verdict.hint_kind, verdict.hint))
        expecting_url = False
    return kept, hints, original_url, removed


def _choose_date(candidates: list[tuple[object, str]]) -> tuple[date | None, datetime | None, str]:
    """First candidate that parses wins; candidates arrive most trusted first."""
    for value, how in candidates:
        day, instant = (value.day, value.instant) if hasattr(value, "instant") else parse_date_value(value)
        if day is not None:
            shown = value if isinstance(value, str) else day.isoformat()
            return day, instant, f"{how}: {shown}"
    return None, None, ""
