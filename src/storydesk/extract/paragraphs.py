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
from collections import Counter

from rapidfuzz import fuzz, process

# A line that starts like this continues the previous line (a scraper broke the sentence).
_CONTINUATION_START = re.compile(r"^[,;:)\]»”’%]|^[a-z\u0430-\u044f\u0456\u0457\u0454]")
_TERMINAL = re.compile(r"[.!?…:;\"”»’)\]]$")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”»’)]*|$)")
_WORD = re.compile(r"\w+", re.UNICODE)
_URLISH = re.compile(r"^(?:https?://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$", re.I)
# Lines shorter than this are never treated as a sentence that continues on the next line.
MIN_CONTINUED_CHARS = 30

# Exact repeats are removed only from paragraphs at least this long. Shorter repeats are
# lines a page legitimately repeats: code, table rows, list items, sub-headings, credits
# ("1 files updated, 0 files merged, ...", "HTTP/1.1 200 OK"). On the readability test pages
# every repeated line under 80 characters was one of those; the scraper faults this rule is
# for repeat whole paragraphs (the repeats in the giveme5w1h news-please dumps are 97+
# characters). Short repeated furniture ("Advertisement") is the classifier's job.
EXACT_DUP_MIN_CHARS = 80
# Near-duplicate paragraphs: rapidfuzz token_sort_ratio (0-100) at or above this, for
# paragraphs of at least NEAR_DUP_MIN_CHARS. Tuned on sample 003, whose lead appears twice in
# two English translations (ratio 92), against distinct paragraphs of the five samples that
# share names and phrasing (max ratio 61). Two paragraphs that differ in their numbers are
# never near-duplicates ("item 22222" vs "item 33333", "5 killed" vs "7 killed" say different
# things); translations and light edits keep the numbers.
NEAR_DUP_RATIO = 85
NEAR_DUP_MIN_CHARS = 80
# Parallel entries are not near-duplicates: "Ingrid Goes West is currently streaming on Hulu
# and ..." / "Princess Cyd is currently streaming on Netflix and ...", or two references of a
# bibliography, share a template and differ in the names. A pair is taken for parallel
# entries when each side has names (words capitalised other than at a sentence start) the
# other lacks and such names are at least this share of the words that differ. Tuned on the
# readability pages (listicle lines and Wikipedia references) against the 53 light edits and
# translations of the samples, PolNeAR and giveme5w1h: 3 of those (a caption crediting EPA vs
# DPA, a quote attributed to a spokesman vs to "Freed", a lead rewritten with "Mr.") are then
# kept twice, the cautious side: a kept repeat costs less than a lost paragraph.
PARALLEL_NAME_SHARE = 0.5
# A ratio of R% needs the shorter of two strings to be at least R/(200-R) of the longer one's
# length (Indel similarity = 2*matches/(len_a+len_b)), so pairs outside this are skipped
# without computing it. Coupled to NEAR_DUP_RATIO.
_NEAR_DUP_MIN_LENGTH_RATIO = NEAR_DUP_RATIO / (200 - NEAR_DUP_RATIO)
_NUMBER = re.compile(r"\d+")
# Nothing but opening punctuation between the previous sentence end (or the start) and here.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s)[\s\"“‘'(\[«-]*$")
_LIST_ITEM = re.compile(r"^(?:[-*•·▪◦–]|\d{1,3}[.)])\s")
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
        if len(p) >= EXACT_DUP_MIN_CHARS:
            k = _key(p)
            if k and k in seen:
                removed.append((p, "repeated paragraph"))
                continue
            seen.add(k)
        unique.append(p)

    teasers = _teasers(unique)
    for i in sorted(teasers):
        removed.append((unique[i], "teaser repeating sentences of the body"))
    body = [p for i, p in enumerate(unique) if i not in teasers]

    kept: list[_Candidate] = []
    for p in body:
        cand = _Candidate.of(p)
        if cand.sorted_tokens is not None:
            j = _first_near_duplicate(cand, kept)
            if j is not None:
                earlier = kept[j].text
                if len(_key(p)) > len(_key(earlier)) and _key(earlier) in _key(p):
                    # The later copy is the earlier one plus a dateline or tail
                    # ("MOSCOW (Sputnik) - ..."): keep the fuller text, where it stands.
                    del kept[j]
                    removed.append((earlier, "contained in a later, fuller paragraph"))
                else:
                    removed.append((p, "near-duplicate of an earlier paragraph"))
                    continue
        kept.append(cand)
    return [c.text for c in kept], removed


def _first_near_duplicate(cand: _Candidate, kept: list[_Candidate]) -> int | None:
    """Index of the first kept paragraph ``cand`` nearly duplicates, or None.

    The cheap conditions (same numbers, not two list items, lengths compatible) filter in
    Python; the similarity of the survivors is computed in one rapidfuzz call.
    """
    a = cand.sorted_tokens
    assert a is not None
    low, high = _NEAR_DUP_MIN_LENGTH_RATIO * len(a), len(a) / _NEAR_DUP_MIN_LENGTH_RATIO
    pool = [j for j, q in enumerate(kept)
            if q.sorted_tokens is not None and q.numbers == cand.numbers and not (cand.item and q.item)
            and low <= len(q.sorted_tokens) <= high]
    if not pool:
        return None
    scores = process.cdist([a], [kept[j].sorted_tokens for j in pool], scorer=fuzz.ratio,
                           score_cutoff=NEAR_DUP_RATIO)[0]
    for j, score in zip(pool, scores):
        if score and not _parallel_entries(cand.text, kept[j].text):  # below the cutoff scores 0
            return j
    return None


def _teasers(unique: list[str]) -> set[int]:
    """Indexes of top paragraphs whose every sentence recurs in at least two other paragraphs."""
    teasers: set[int] = set()
    if len(unique) < 3:
        return teasers
    head = [_long_sentence_keys(p) for p in unique[:TEASER_MAX_POSITION]]
    if all(len(keys) < TEASER_MIN_SENTENCES for keys in head):
        return teasers  # the usual case: no candidate at the top, so no need to index the body
    sentence_keys = head + [_long_sentence_keys(p) for p in unique[TEASER_MAX_POSITION:]]
    where: dict[str, set[int]] = {}
    for i, keys in enumerate(sentence_keys):
        for k in keys:
            where.setdefault(k, set()).add(i)
    for i, long_keys in enumerate(sentence_keys[:TEASER_MAX_POSITION]):
        if len(long_keys) < TEASER_MIN_SENTENCES:
            continue
        homes: set[int] = set()
        for k in long_keys:
            others = where[k] - {i} - teasers
            if not others:
                break
            homes |= others
        else:
            if len(homes) >= 2:
                teasers.add(i)
    return teasers


def _long_sentence_keys(paragraph: str) -> list[str]:
    return [k for k in (_key(s) for s in sentences_of(paragraph)) if len(k) > 20]


class _Candidate:
    """A paragraph with what the near-duplicate test needs, computed once."""

    __slots__ = ("text", "sorted_tokens", "numbers", "item")

    def __init__(self, text: str, sorted_tokens: str | None, numbers: tuple[str, ...], item: bool):
        self.text = text
        self.sorted_tokens = sorted_tokens
        self.numbers = numbers
        self.item = item

    @classmethod
    def of(cls, text: str) -> _Candidate:
        if len(text) < NEAR_DUP_MIN_CHARS:
            return cls(text, None, (), False)
        # Exactly what fuzz.token_sort_ratio compares: whitespace tokens, sorted.
        return cls(text, " ".join(sorted(text.split())), tuple(sorted(_NUMBER.findall(text))),
                   _LIST_ITEM.match(text) is not None)


def _parallel_entries(a: str, b: str) -> bool:
    """True when two similar paragraphs differ mainly by names substituted on both sides."""
    words_a, names_a = _words_and_names(a)
    words_b, names_b = _words_and_names(b)
    only_a, only_b = words_a - words_b, words_b - words_a
    caps_a = sum(n for w, n in only_a.items() if w in names_a)
    caps_b = sum(n for w, n in only_b.items() if w in names_b)
    differing = sum(only_a.values()) + sum(only_b.values())
    return caps_a > 0 and caps_b > 0 and caps_a + caps_b >= PARALLEL_NAME_SHARE * differing


def _words_and_names(text: str) -> tuple[Counter[str], set[str]]:
    """Case-folded word counts, and the words capitalised other than at a sentence start."""
    words: Counter[str] = Counter()
    names: set[str] = set()
    for m in _WORD.finditer(text):
        w = m.group()
        folded = w.casefold()
        words[folded] += 1
        if w[0].isupper() and w != "I" and not _SENTENCE_START.search(text, max(0, m.start() - 8), m.start()):
            names.add(folded)
    return words, names
