"""Paragraphs: split normalised text, re-join broken lines, keep repeated paragraphs once.

Scraped text comes in two layouts — blank-line separated paragraphs, or one paragraph per
line with no blank lines — and both carry lines broken mid-sentence (``Donald Trump`` /
``, who served ...``). Pages also repeat themselves: a teaser that concatenates sentences of
the body (sample 001), the same lead twice in two translations (sample 003), a paragraph
printed twice by a faulty scraper. Repeats are removed here because every later count
(claims per outlet, quotes, omissions) would otherwise be inflated.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

# A line that starts like this continues the previous line (a scraper broke the sentence).
_CONTINUATION_START = re.compile(r"^[,;:)\]»”’%]|^[a-z\u0430-\u044f\u0456\u0457\u0454]")
_TERMINAL = re.compile(r"[.!?…:;\"”»’)\]]$")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”»’)]*|$)")
_WORD = re.compile(r"\w+", re.UNICODE)
_URLISH = re.compile(r"^(?:https?://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$", re.I)
# Lines shorter than this are never treated as a sentence that continues on the next line.
MIN_CONTINUED_CHARS = 30

# Near-duplicate paragraphs: rapidfuzz token_sort_ratio (0-100) at or above this, for
# paragraphs of at least NEAR_DUP_MIN_CHARS. Tuned on sample 003, whose lead appears twice in
# two English translations (ratio 92), against distinct paragraphs of the five samples that
# share names and phrasing (max ratio 61).
NEAR_DUP_RATIO = 85
NEAR_DUP_MIN_CHARS = 80
# A teaser/summary paragraph repeats sentences of the body: at least this many sentences,
# every one of which also occurs in other paragraphs, spread over at least two of them.
TEASER_MIN_SENTENCES = 3
# Teasers and standfirsts sit at the top of a page; repeated sentences further down are
# left to the exact/near-duplicate rules (a long feature may legitimately recap).
TEASER_MAX_POSITION = 3


def split_blocks(text: str) -> list[list[str]]:
    """Split normalised text into blank-line separated blocks of paragraphs (lines re-joined).

    Args:
        text: output of :func:`storydesk.extract.normalize.normalize_text`.

    Returns:
        One list per block; each paragraph stripped and non-empty. The block structure tells
        a headline standing alone from the first line of a paragraph-per-line text.
    """
    blocks: list[list[str]] = []
    for block in text.split("\n\n"):
        paragraphs: list[str] = []
        current: str | None = None
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            if current is not None and _continues(current, line):
                glue = "" if line[0] in ",;:)]»”’%" else " "
                current = current + glue + line
            else:
                if current is not None:
                    paragraphs.append(current)
                current = line
        if current is not None:
            paragraphs.append(current)
        if paragraphs:
            blocks.append(paragraphs)
    return blocks


def split_paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs, re-joining lines broken mid-sentence."""
    return [p for block in split_blocks(text) for p in block]


def _continues(previous: str, line: str) -> bool:
    if line[0] in ",;:)]»”’%":
        return True
    if not _CONTINUATION_START.match(line) or _URLISH.match(line):
        return False
    # A lowercase start continues a sentence the previous line left open; short previous
    # lines (date stamps, labels, "Share") are not sentences being continued.
    return len(previous) >= MIN_CONTINUED_CHARS and not _TERMINAL.search(previous)


def sentences_of(paragraph: str) -> list[str]:
    """Cheap sentence split for duplicate detection (not for analysis)."""
    return [s.strip() for s in _SENTENCE.findall(paragraph) if len(s.strip()) > 1]


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def dedupe_paragraphs(paragraphs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Keep each paragraph once.

    Removes, in order: exact repeats (after case/punctuation folding; the first is kept),
    teaser paragraphs whose every sentence recurs in at least two other paragraphs (the body
    is kept, since it interleaves quotes and context), and near-duplicates (two translations
    or light edits of the same paragraph; the first is kept). Runs to a fixed point so the
    result is stable under re-cleaning.

    Args:
        paragraphs: paragraphs in reading order.

    Returns:
        The kept paragraphs, and ``(removed_paragraph, reason)`` pairs for the record.
    """
    removed: list[tuple[str, str]] = []
    while True:
        kept, dropped = _dedupe_once(paragraphs)
        removed.extend(dropped)
        if not dropped:
            return kept, removed
        paragraphs = kept


def _dedupe_once(paragraphs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    removed: list[tuple[str, str]] = []
    seen: set[str] = set()
    unique: list[str] = []
    for p in paragraphs:
        k = _key(p)
        if k and k in seen:
            removed.append((p, "repeated paragraph"))
            continue
        seen.add(k)
        unique.append(p)

    # Teasers: index which paragraphs each sentence occurs in.
    sentence_keys = [[_key(s) for s in sentences_of(p)] for p in unique]
    where: dict[str, set[int]] = {}
    for i, keys in enumerate(sentence_keys):
        for k in keys:
            if len(k) > 20:
                where.setdefault(k, set()).add(i)
    teasers: set[int] = set()
    for i, keys in enumerate(sentence_keys):
        if i >= TEASER_MAX_POSITION:
            break
        long_keys = [k for k in keys if len(k) > 20]
        if len(long_keys) < TEASER_MIN_SENTENCES:
            continue
        homes: set[int] = set()
        covered = True
        for k in long_keys:
            others = where.get(k, set()) - {i} - teasers
            if not others:
                covered = False
                break
            homes |= others
        if covered and len(homes) >= 2:
            teasers.add(i)
            removed.append((unique[i], "teaser repeating sentences of the body"))
    body = [p for i, p in enumerate(unique) if i not in teasers]

    kept: list[str] = []
    for p in body:
        if len(p) >= NEAR_DUP_MIN_CHARS:
            j = next((j for j, q in enumerate(kept) if len(q) >= NEAR_DUP_MIN_CHARS
                      and 0.6 < len(p) / len(q) < 1.67
                      and fuzz.token_sort_ratio(p, q) >= NEAR_DUP_RATIO), None)
            if j is not None:
                earlier = kept[j]
                if len(_key(p)) > len(_key(earlier)) and _key(earlier) in _key(p):
                    # The later copy is the earlier one plus a dateline or tail
                    # ("MOSCOW (Sputnik) - ..."): keep the fuller text, where it stands.
                    del kept[j]
                    removed.append((earlier, "contained in a later, fuller paragraph"))
                else:
                    removed.append((p, "near-duplicate of an earlier paragraph"))
                    continue
        kept.append(p)
    return kept, removed
