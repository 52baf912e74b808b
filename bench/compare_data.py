"""Load and validate the labelled claim pairs and quote pairs used by the compare benchmark.

Usage::

    .venv/bin/python bench/compare_data.py [--data ../shared/data] [--json FILE]

The labelled data lives in ``bench/data/compare/`` (see ``GUIDE.md`` there for the labelling
rules and ``README.md`` for the format). The repository keeps only references to the
articles, never the texts: each span names a dataset file by path, a field, character
offsets into that field and the SHA-1 of the span text. This script resolves every span
against the files under ``--data``; spans in ``examples/`` are resolved against the
repository itself. It checks the offsets and hashes and prints counts per label, dataset
and story.

How a span's text is read (the offsets depend on this):

* giveme5w1h JSON (``field`` = ``text`` or ``title``): ``json.load`` of the file in UTF-8,
  then ``obj[field]``; offsets are Python ``str`` indices.
* PolNeAR ``text/*.txt`` and ``examples/**.txt`` (``field`` = ``file``): the raw bytes decoded
  as UTF-8 with no newline translation (``path.read_bytes().decode("utf-8")``).

Without ``../shared`` the script checks the format and the repository-local spans, says
which spans it could not check, and exits 0. It exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "bench" / "data" / "compare"
CLAIM_FILE = DATA_DIR / "claim_pairs.jsonl"
QUOTE_FILE = DATA_DIR / "quote_pairs.jsonl"
DEFAULT_DATA = REPO.parent / "shared" / "data"

# Contradiction kinds first: these are the positives of contradiction detection (the
# `contradictions[].kind` values of `storydesk story --json`); the rest are negatives.
CONTRADICTION_KINDS = ("denial", "conflict", "superseded")
CLAIM_LABELS = CONTRADICTION_KINDS + ("agree", "compatible-different-detail", "unrelated")
QUOTE_LABELS = ("same", "different")
SAMPLING = ("targeted", "random")

# dataset -> (path prefix, fields a span may point into)
DATASETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "giveme5w1h": ("clustering/giveme5w1h/data/", ("text", "title", "description")),
    "polnear": ("quotes/polnear/", ("file",)),
    "kremlin-trump-2024": ("examples/kremlin-trump-2024/", ("file",)),
}
REPO_LOCAL_PREFIX = "examples/"

PairKind = Literal["claim", "quote"]
_ID_RE = re.compile(r"^[cq]-[a-z0-9][a-z0-9-]*-\d{2,}$")
_STORY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA1_RE = re.compile(r"^[0-9a-f]{40}$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ANCHOR_MAX = 60


class DataFormatError(ValueError):
    """A labelled-data file is not valid JSON Lines or misses a required field."""


class SpanError(ValueError):
    """A span reference cannot be resolved against its source file."""


@dataclass(frozen=True, slots=True)
class SpanRef:
    """One labelled span, stored as a reference into a dataset file.

    Attributes:
        dataset: ``giveme5w1h``, ``polnear`` or ``kremlin-trump-2024``.
        path: file path relative to the data root, or to the repository root for ``examples/``.
        field: JSON field (giveme5w1h) or ``file`` for a plain-text file.
        start, end: Python ``str`` offsets into that field's string.
        sha1: SHA-1 (hex) of the UTF-8 span text.
        anchor: the first characters of the span (at most 60), for people reading the file.
        who: ``attributed_to`` of a claim (None = the outlet's own voice) or ``speaker`` of a quote.
        date_said: when the claim or remark was made, ``YYYY[-MM[-DD]]``, if known.
        published: the article's publication date, if the source gives one.
        outlet: the outlet (domain or publisher code), if known.
    """

    dataset: str
    path: str
    field: str
    start: int
    end: int
    sha1: str
    anchor: str
    who: str | None
    date_said: str | None = None
    published: str | None = None
    outlet: str | None = None

    @property
    def repo_local(self) -> bool:
        """True when the span points into the repository (the bundled sample articles)."""
        return self.path.startswith(REPO_LOCAL_PREFIX)


@dataclass(frozen=True, slots=True)
class Pair:
    """A labelled pair of spans from two different articles of one story.

    Attributes:
        kind: ``claim`` or ``quote``.
        id: unique id (``c-<story>-NN`` or ``q-<story>-NN``).
        story: short story key; pairs with the same key are about the same event.
        label: one of ``CLAIM_LABELS`` or ``QUOTE_LABELS``.
        a, b: the two spans. For ``denial`` ``b`` is the denying statement; for
            ``superseded`` ``b`` is the later statement.
        notes: one line on why the label holds.
        sampling: ``targeted`` (picked by a person) or ``random`` (seeded sample, see GUIDE.md).
    """

    kind: PairKind
    id: str
    story: str
    label: str
    a: SpanRef
    b: SpanRef
    notes: str
    sampling: str

    @property
    def is_contradiction(self) -> bool:
        """True for the claim labels a contradiction detector should flag."""
        return self.kind == "claim" and self.label in CONTRADICTION_KINDS


# ----------------------------------------------------------------------------- loading


def _span_from_json(obj: Any, *, kind: PairKind, where: str) -> SpanRef:
    if not isinstance(obj, dict):
        raise DataFormatError(f"{where}: span must be an object, got {type(obj).__name__}")
    who_key = "attributed_to" if kind == "claim" else "speaker"
    required = ("dataset", "path", "field", "start", "end", "sha1", "anchor", who_key)
    missing = [k for k in required if k not in obj]
    if missing:
        raise DataFormatError(f"{where}: span lacks {', '.join(missing)}")
    return SpanRef(
        dataset=obj["dataset"],
        path=obj["path"],
        field=obj["field"],
        start=obj["start"],
        end=obj["end"],
        sha1=obj["sha1"],
        anchor=obj["anchor"],
        who=obj[who_key],
        date_said=obj.get("date_said"),
        published=obj.get("published"),
        outlet=obj.get("outlet"),
    )


def load_pairs(path: Path, *, kind: PairKind) -> list[Pair]:
    """Read a JSON Lines file of labelled pairs.

    Args:
        path: the ``.jsonl`` file.
        kind: ``claim`` or ``quote`` (selects ``attributed_to`` or ``speaker`` on spans).

    Returns:
        The pairs in file order.

    Raises:
        DataFormatError: a line is not JSON or lacks a required field.
        FileNotFoundError: the file does not exist.
    """
    pairs = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"{where}: not JSON ({exc.msg})") from exc
            missing = [k for k in ("id", "story", "label", "a", "b", "notes") if k not in obj]
            if missing:
                raise DataFormatError(f"{where}: pair lacks {', '.join(missing)}")
            pairs.append(
                Pair(
                    kind=kind,
                    id=obj["id"],
                    story=obj["story"],
                    label=obj["label"],
                    a=_span_from_json(obj["a"], kind=kind, where=f"{where} a"),
                    b=_span_from_json(obj["b"], kind=kind, where=f"{where} b"),
                    notes=obj["notes"],
                    sampling=obj.get("sampling", "targeted"),
                )
            )
    return pairs


def load_claim_pairs(path: Path = CLAIM_FILE) -> list[Pair]:
    """Read the labelled claim pairs (see :func:`load_pairs`)."""
    return load_pairs(path, kind="claim")


def load_quote_pairs(path: Path = QUOTE_FILE) -> list[Pair]:
    """Read the labelled quote pairs (see :func:`load_pairs`)."""
    return load_pairs(path, kind="quote")


# ----------------------------------------------------------------------------- format checks


def _span_format_problems(span: SpanRef, *, where: str, kind: PairKind) -> list[str]:
    out = []
    if span.dataset not in DATASETS:
        return [f"{where}: unknown dataset {span.dataset!r}"]
    prefix, fields = DATASETS[span.dataset]
    p = span.path
    if p.startswith("/") or "\\" in p or ".." in Path(p).parts:
        out.append(f"{where}: path must be relative without '..': {p!r}")
    if not p.startswith(prefix):
        out.append(f"{where}: {span.dataset} path must start with {prefix!r}: {p!r}")
    if span.field not in fields:
        out.append(f"{where}: field {span.field!r} not allowed for {span.dataset} (use {fields})")
    if not (isinstance(span.start, int) and isinstance(span.end, int) and 0 <= span.start < span.end):
        out.append(f"{where}: need integers 0 <= start < end, got {span.start!r}..{span.end!r}")
    if not (isinstance(span.sha1, str) and _SHA1_RE.match(span.sha1)):
        out.append(f"{where}: sha1 must be 40 lowercase hex digits")
    if not (isinstance(span.anchor, str) and 0 < len(span.anchor) <= ANCHOR_MAX):
        out.append(f"{where}: anchor must be 1-{ANCHOR_MAX} characters")
    if kind == "quote" and not (isinstance(span.who, str) and span.who.strip()):
        out.append(f"{where}: a quote span needs a speaker")
    if span.who is not None and not isinstance(span.who, str):
        out.append(f"{where}: attributed_to/speaker must be a string or null")
    for name, value in (("date_said", span.date_said), ("published", span.published)):
        if value is not None and not (isinstance(value, str) and _DATE_RE.match(value)):
            out.append(f"{where}: {name} must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return out


def format_problems(pairs: Iterable[Pair]) -> list[str]:
    """Check ids, labels, story keys and span fields without opening any dataset file.

    Args:
        pairs: claim pairs and/or quote pairs.

    Returns:
        One message per problem; empty when the data is well formed.
    """
    out: list[str] = []
    seen_ids: set[str] = set()
    seen_pairs: dict[tuple, str] = {}
    for p in pairs:
        where = p.id
        if not isinstance(p.id, str) or not _ID_RE.match(p.id):
            out.append(f"{where!r}: id must look like c-<story>-NN or q-<story>-NN")
        elif p.id[0] != p.kind[0]:
            out.append(f"{where}: a {p.kind} pair id must start with {p.kind[0]}-")
        if p.id in seen_ids:
            out.append(f"{where}: duplicate id")
        seen_ids.add(p.id)
        if not (isinstance(p.story, str) and _STORY_RE.match(p.story)):
            out.append(f"{where}: story key must be lowercase letters, digits and '-'")
        allowed = CLAIM_LABELS if p.kind == "claim" else QUOTE_LABELS
        if p.label not in allowed:
            out.append(f"{where}: label {p.label!r} not in {allowed}")
        if p.sampling not in SAMPLING:
            out.append(f"{where}: sampling {p.sampling!r} not in {SAMPLING}")
        if not (isinstance(p.notes, str) and p.notes.strip()):
            out.append(f"{where}: notes must say why the label holds")
        out += _span_format_problems(p.a, where=f"{where} a", kind=p.kind)
        out += _span_format_problems(p.b, where=f"{where} b", kind=p.kind)
        if p.a.path == p.b.path:
            out.append(f"{where}: a and b must come from two different articles")
        key = frozenset({(p.a.path, p.a.start, p.a.end), (p.b.path, p.b.start, p.b.end)})
        if (p.kind, key) in seen_pairs:
            out.append(f"{where}: same span pair as {seen_pairs[(p.kind, key)]}")
        seen_pairs[(p.kind, key)] = p.id
    return out


# ----------------------------------------------------------------------------- span checks


class SourceTexts:
    """Reads the field strings that spans point into, caching each file once.

    Args:
        data_root: the folder holding ``clustering/`` and ``quotes/`` (``../shared/data``).
        repo_root: the repository root, for ``examples/`` paths.
    """

    def __init__(self, data_root: Path, repo_root: Path = REPO):
        self.data_root = Path(data_root)
        self.repo_root = Path(repo_root)
        self._cache: dict[tuple[str, str], str] = {}

    def file_for(self, span: SpanRef) -> Path:
        """The absolute path a span refers to."""
        root = self.repo_root if span.repo_local else self.data_root
        return root / span.path

    def available(self, span: SpanRef) -> bool:
        """True when the root the span lives under exists on this machine."""
        return (self.repo_root if span.repo_local else self.data_root).is_dir()

    def text(self, span: SpanRef) -> str:
        """The whole field string the span's offsets index into.

        Raises:
            SpanError: the file is missing, unreadable, or lacks the field.
        """
        key = (span.path, span.field)
        if key not in self._cache:
            path = self.file_for(span)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise SpanError(f"cannot read {path}: {exc.strerror or exc}") from exc
            if span.field == "file":
                # No newline translation: offsets are into the decoded bytes as stored.
                self._cache[key] = raw.decode("utf-8")
            else:
                obj = json.loads(raw.decode("utf-8"))
                value = obj.get(span.field) if isinstance(obj, dict) else None
                if not isinstance(value, str):
                    raise SpanError(f"{path} has no string field {span.field!r}")
                self._cache[key] = value
        return self._cache[key]

    def span_text(self, span: SpanRef) -> str:
        """The span's text, after checking its offsets, hash and anchor.

        Raises:
            SpanError: the offsets fall outside the field, or the hash or anchor differ.
        """
        full = self.text(span)
        if span.end > len(full):
            raise SpanError(f"{span.path}: end {span.end} beyond field length {len(full)}")
        piece = full[span.start : span.end]
        digest = hashlib.sha1(piece.encode("utf-8")).hexdigest()
        if digest != span.sha1:
            where = f"{span.path}[{span.start}:{span.end}]"
            raise SpanError(f"{where}: sha1 {digest} != {span.sha1} ({piece[:40]!r})")
        if not piece.startswith(span.anchor):
            where = f"{span.path}[{span.start}:{span.end}]"
            raise SpanError(f"{where}: text does not start with anchor {span.anchor!r}")
        return piece


def span_for_text(
    sources: SourceTexts,
    *,
    dataset: str,
    path: str,
    text: str,
    field: str | None = None,
    occurrence: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    """Build the JSON span reference for a passage, found by its exact text (for adding pairs).

    Args:
        sources: where to read the file.
        dataset: a key of ``DATASETS``.
        path: the file path as stored (relative to the data root or the repository).
        text: the exact passage as it appears in the field.
        field: defaults to ``text`` for giveme5w1h and ``file`` otherwise.
        occurrence: which occurrence to take when the passage repeats (0 = first).
        **extra: further span fields (``attributed_to`` or ``speaker``, ``date_said``, ...).

    Returns:
        A dict ready to be stored as ``a`` or ``b`` of a pair.

    Raises:
        SpanError: the passage does not occur ``occurrence + 1`` times in the field.
    """
    field = field or ("text" if dataset == "giveme5w1h" else "file")
    probe = SpanRef(dataset, path, field, 0, 1, "", "", None)
    full = sources.text(probe)
    start = -1
    for _ in range(occurrence + 1):
        start = full.find(text, start + 1)
        if start < 0:
            raise SpanError(f"{path}: passage occurs fewer than {occurrence + 1} times: {text[:60]!r}")
    end = start + len(text)
    return {
        "dataset": dataset,
        "path": path,
        "field": field,
        "start": start,
        "end": end,
        "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
        "anchor": text[:ANCHOR_MAX],
        **extra,
    }


@dataclass(frozen=True, slots=True)
class SpanReport:
    """Outcome of resolving spans: how many were checked, skipped, and what failed."""

    checked: int
    skipped: int
    problems: tuple[str, ...]


def span_problems(pairs: Iterable[Pair], sources: SourceTexts) -> SpanReport:
    """Resolve every span of ``pairs`` against its source file.

    Spans whose root folder is absent (``../shared`` on a machine without it) are counted
    as skipped, not failed.

    Args:
        pairs: the pairs to check.
        sources: where to read the texts.

    Returns:
        A :class:`SpanReport`.
    """
    checked = skipped = 0
    problems: list[str] = []
    for p in pairs:
        for side, span in (("a", p.a), ("b", p.b)):
            if not sources.available(span):
                skipped += 1
                continue
            checked += 1
            try:
                sources.span_text(span)
            except SpanError as exc:
                problems.append(f"{p.id} {side}: {exc}")
    return SpanReport(checked, skipped, tuple(problems))


# ----------------------------------------------------------------------------- counts


def counts(pairs: Sequence[Pair]) -> dict[str, Any]:
    """Counts per label, per dataset, per story and per sampling method.

    A pair's dataset is that of its ``a`` span (both spans of a pair come from one story,
    hence one dataset).
    """
    return {
        "pairs": len(pairs),
        "label": dict(Counter(p.label for p in pairs).most_common()),
        "dataset": dict(Counter(p.a.dataset for p in pairs).most_common()),
        "story": dict(sorted(Counter(p.story for p in pairs).items())),
        "sampling": dict(Counter(p.sampling for p in pairs).most_common()),
        "stories": len({p.story for p in pairs}),
        "articles": len({s.path for p in pairs for s in (p.a, p.b)}),
    }


def _summary_line(kind: str, c: dict[str, Any]) -> str:
    return f"{kind} pairs: {c['pairs']} from {c['stories']} stories, {c['articles']} articles"


def _table(title: str, rows: dict[str, int]) -> str:
    width = max([len(k) for k in rows] + [len(title)])
    lines = [f"{title:<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{k:<{width}}  {v:5d}" for k, v in rows.items()]
    return "\n".join(lines)


def _label_by_story(pairs: Sequence[Pair], labels: Sequence[str]) -> str:
    stories = sorted({p.story for p in pairs})
    width = max(len(s) for s in stories)
    short = [lab[:10] for lab in labels]
    head = f"{'story':<{width}}  " + "  ".join(f"{s:>10}" for s in short) + "  total"
    lines = [head, "-" * len(head)]
    for s in stories:
        c = Counter(p.label for p in pairs if p.story == s)
        cells = "  ".join(f"{c[lab]:>10}" for lab in labels)
        lines.append(f"{s:<{width}}  {cells}  {sum(c.values()):5d}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Validate both files, print counts; return the process exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the ../shared/data folder")
    ap.add_argument("--claims", type=Path, default=CLAIM_FILE)
    ap.add_argument("--quotes", type=Path, default=QUOTE_FILE)
    ap.add_argument("--json", type=Path, help="also write counts and problems to this JSON file")
    args = ap.parse_args(argv)

    try:
        claims = load_claim_pairs(args.claims)
        quotes = load_quote_pairs(args.quotes)
    except (DataFormatError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    fmt = format_problems(claims) + format_problems(quotes)
    sources = SourceTexts(args.data)
    shared_present = args.data.is_dir()
    if not shared_present:
        print(f"note: {args.data} not found; checking the format and the repository-local spans only")
    rep_c = span_problems(claims, sources)
    rep_q = span_problems(quotes, sources)

    c_counts, q_counts = counts(claims), counts(quotes)
    print(_summary_line("claim", c_counts))
    print(_table("claim label", c_counts["label"]))
    print()
    print(_table("claim dataset", c_counts["dataset"]))
    print()
    print(_label_by_story(claims, CLAIM_LABELS))
    print()
    print(_summary_line("quote", q_counts))
    print(_table("quote label", q_counts["label"]))
    print()
    print(_table("quote dataset", q_counts["dataset"]))
    print()
    print(_label_by_story(quotes, QUOTE_LABELS))
    print()
    checked = rep_c.checked + rep_q.checked
    skipped = rep_c.skipped + rep_q.skipped
    problems = fmt + list(rep_c.problems) + list(rep_q.problems)
    print(f"spans verified: {checked}, skipped (source absent): {skipped}, problems: {len(problems)}")
    for msg in problems[:50]:
        print(f"  {msg}")
    if len(problems) > 50:
        print(f"  ... and {len(problems) - 50} more")

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "claims": c_counts,
                    "quotes": q_counts,
                    "spans_verified": checked,
                    "spans_skipped": skipped,
                    "shared_present": shared_present,
                    "problems": problems,
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
