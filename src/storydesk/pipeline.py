"""The local pipeline: read → extract → analyze → stories, written to the store batch by batch.

Each batch of documents is extracted, analysed and clustered in memory, then written in one
store transaction together with its rejections. A run killed mid-batch therefore leaves the
database at the end of the previous batch; running the same command again skips what is
stored (articles are keyed by content hash, facts and story memberships by article id) and
completes the rest without duplicates.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storydesk.records import Article, ArticleFacts, RawDocument, Rejection
from storydesk.sources import Fetcher, discover, is_url, read_path, read_url
from storydesk.sources.http import fetch

log = logging.getLogger(__name__)

# Documents per store transaction. Large enough to batch the models (spaCy's nlp.pipe,
# embeddings) well; small enough that a crash loses at most a few seconds of work.
BATCH_SIZE = 64

# An exception message quoted in a rejection is cut here: some quote the whole bad input.
_MAX_ERROR_CHARS = 300

Progress = Callable[[str, int, int | None], None]
"""``progress(event, done, total)``: ``event`` is ``"inputs"`` (files/URLs read so far of
``total``) or ``"articles"`` (articles processed so far; total unknown)."""


@dataclass
class IngestSummary:
    """What an ingest run did."""

    inputs: int = 0
    documents: int = 0
    added: int = 0
    unchanged: int = 0
    duplicates: int = 0
    analysed: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    duplicate_of: list[tuple[str, str]] = field(default_factory=list)  # (source, article_id)
    stories_created: int = 0
    stories_joined: int = 0
    stories_mode: str | None = None  # the story index's mode, when articles were clustered
    notes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        """Documents turned into stored articles (or duplicates) per second of wall time."""
        done = self.added + self.unchanged + self.duplicates
        return done / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Settings of an ingest run.

    Attributes:
        workers: processes for extraction and analysis; 0 = automatic (all available CPUs,
            at most 4, started only when the input spans several batches); 1 = in-process.
    """

    analyze: bool = True
    cluster: bool = True
    fetch_pages: bool = True
    batch_size: int = BATCH_SIZE
    languages: bool = True
    workers: int = 0
    # ``fast`` or ``accurate`` (storydesk.stories.settings.STORY_MODES); None keeps the
    # mode the story index was built in (fast for a new one).
    stories_mode: str | None = None


def ingest(
    inputs: Sequence[str | Path],
    store: Any,
    *,
    registry: Any | None = None,
    options: IngestOptions = IngestOptions(),
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest files, folders, feeds and URLs into the store.

    Args:
        inputs: paths (files or folders, read recursively) and http(s) URLs.
        store: an open store (:class:`storydesk.store.SQLiteStore`).
        registry: the outlet registry (default: the packaged one).
        options: what to run (analysis and clustering can be skipped and run later).
        fetcher: replaces HTTP fetching (tests, rate limiting).
        progress: callback for progress reporting (the CLI draws a bar with it).

    Returns:
        A summary of what was added, duplicated and rejected (with reasons).
    """
    from storydesk.backends.local import ArticleWorkers, default_workers, process_documents

    started = time.perf_counter()
    if registry is None:
        registry = _default_registry()
    if options.cluster:
        from storydesk.stories.index import check_mode

        # Before anything is read: a mode the index was not built in is refused up front.
        check_mode(store.story_state(), options.stories_mode)
        # Stories an earlier run left stale (it ran without clustering) are rebuilt even when
        # this run reads nothing new; each batch below rebuilds the ones it makes stale.
        with store.transaction():
            rebuild_stale_stories(store, mode=options.stories_mode)
    summary = IngestSummary()
    db_path = getattr(store, "path", None)
    items = list(discover(inputs, exclude=[Path(db_path)] if db_path else []))
    raw_hashes: dict[str, str] = {}
    batches = _document_batches(items, store, options, fetcher or fetch, summary, progress, raw_hashes)
    workers = options.workers or default_workers()

    first = next(batches, None)
    if first is None:
        summary.seconds = time.perf_counter() - started
        return summary
    second = next(batches, None) if workers > 1 else None
    if second is None:
        # One batch (or one worker): in-process, no pool start-up cost.
        pending = [first] if workers > 1 else itertools.chain([first], batches)
        for batch in pending:
            results = process_documents(batch, analyze=options.analyze, languages=options.languages,
                                        registry=registry, features=options.cluster)
            _store_batch(results, store, options, summary, progress, raw_hashes)
    else:
        with ArticleWorkers(workers, analyze=options.analyze, languages=options.languages,
                            features=options.cluster) as pool:
            for results in pool.imap(itertools.chain([first, second], batches)):
                _store_batch(results, store, options, summary, progress, raw_hashes)
    summary.seconds = time.perf_counter() - started
    return summary


def _document_batches(
    items: list[str | Path], store: Any, options: IngestOptions, get: Fetcher, summary: IngestSummary,
    progress: Progress | None, raw_hashes: dict[str, str],
) -> Iterator[list[RawDocument | Rejection]]:
    """Read the inputs into batches of documents, leaving out sources stored unchanged.

    A source whose raw content hash matches what is stored is counted ``unchanged`` here
    and never re-extracted, re-analysed or re-clustered: re-running an ingest (after a crash,
    or on a folder that grew) costs little more than reading the files. The hash of each
    document passed on is left in ``raw_hashes`` (by source) for the store to record.
    """
    batch: list[RawDocument | Rejection] = []
    # Batches are cut at fixed positions of the input stream: every document read takes a
    # slot, the ones skipped as unchanged too. Each batch is clustered in canonical order,
    # so its boundaries shape the stories; cut this way, a re-run after a crash (which
    # stored whole batches only) cuts the rest exactly as the uninterrupted run did and
    # builds the same stories. Counting only the documents passed on shifted every later
    # boundary by the rejections stored before the crash (stories agreed 0.92 on PolNeAR).
    slots = 0
    for n, item in enumerate(items, 1):
        for doc in _read_item(item, get, options.fetch_pages):
            summary.documents += 1
            slots += 1
            unchanged = False
            if isinstance(doc, RawDocument):
                fingerprint = raw_hash(doc)
                unchanged = store.source_unchanged(doc.source, fingerprint)
                if unchanged:
                    summary.unchanged += 1
                else:
                    raw_hashes[doc.source] = fingerprint
            if not unchanged:
                batch.append(doc)
            if slots >= options.batch_size:
                if batch:
                    yield batch
                batch, slots = [], 0
        summary.inputs = n
        if progress:
            progress("inputs", n, len(items))
    if batch:
        yield batch


def _read_item(item: str | Path, get: Fetcher, fetch_pages: bool) -> Iterator[RawDocument | Rejection]:
    """Read one input; an unexpected exception becomes a rejection of that input, not the end of the run.

    The readers turn every known kind of bad input into a rejection themselves; what escapes
    them is a bug (in storydesk or a parser library) met on one odd file. Like extraction in
    :func:`storydesk.backends.local.process_documents`, it must not cost the other inputs of the
    run, yet must stay visible: the rejection names the exception and asks for a report, and
    the traceback is logged. Documents the input yielded before the failure are kept (each is
    its own unit, e.g. a JSONL line); the rejection stands for the rest of it.
    """
    if isinstance(item, str) and is_url(item):
        source, docs = item, read_url(item, fetcher=get, fetch_pages=fetch_pages)
    else:
        path = Path(item)
        source = _source_of(path)
        docs = read_path(path, fetcher=get if fetch_pages else None)
    done = 0
    yielded: set[str] = set()
    while True:
        try:
            doc = next(docs)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - see the docstring: one input's bug must not end the run
            log.exception("reading %s failed", source)
            message = str(exc) if len(str(exc)) <= _MAX_ERROR_CHARS else str(exc)[:_MAX_ERROR_CHARS] + "..."
            after = f" (after {done} document(s) of this input)" if done else ""
            detail = f"{type(exc).__name__}: {message}{after} (please report)"
            # The rejection stands for the rest of the input: when a document already carries
            # the input's own source (a single-document file), it must not withdraw it.
            if source in yielded:
                source = f"{source}#rest"
            # An exception message can quote the bad input, lone surrogates included, which
            # the store could not encode: escape them rather than fail on the rejection.
            yield Rejection(source, "read", "internal-error", detail.encode("utf-8", "backslashreplace").decode("utf-8"))
            return
        done += 1
        if isinstance(doc, RawDocument):
            yielded.add(doc.source)
        yield doc


def _source_of(path: Path) -> str:
    """The source reference :func:`storydesk.sources.read_path` gives a file (never raises)."""
    try:
        return path.resolve().as_posix() if path.exists() else str(path)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, an unresolvable path
        return str(path)


def raw_hash(doc: RawDocument) -> str:
    """Fingerprint of a document as read (body, format and container metadata)."""
    h = hashlib.sha256()
    h.update(doc.format.encode())
    h.update(json.dumps(doc.meta, sort_keys=True, default=str, ensure_ascii=False).encode())
    h.update(doc.body.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


def _default_registry() -> Any | None:
    try:
        from storydesk.outlets import OutletRegistry

        return OutletRegistry.default()
    except Exception as exc:  # pragma: no cover - the registry ships with the package
        log.warning("outlet registry unavailable (%s); outlet names are kept as found", exc)
        return None


def _store_batch(
    results: list[tuple[Article | Rejection, ArticleFacts | None, Any | None]], store: Any, options: IngestOptions,
    summary: IngestSummary, progress: Progress | None, raw_hashes: dict[str, str],
) -> None:
    """Write one batch — articles, sources, rejections, facts, story updates — in one transaction."""
    articles = [r for r, _, _ in results if isinstance(r, Article)]
    rejections = [r for r, _, _ in results if isinstance(r, Rejection)]
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    already = store.analysed_ids(unique)
    facts: dict[str, ArticleFacts] = {}
    features: dict[str, Any] = {}
    for r, f, feats in results:
        if f is not None and r.id not in already:
            facts.setdefault(r.id, f)
        if feats is not None and r.id not in already:
            # Features computed from fresh facts; an article analysed earlier is clustered
            # from its stored facts instead (below), so both paths see the same facts.
            features.setdefault(r.id, feats)
    for f in facts.values():
        if f.note:
            summary.notes[f.note] += 1
    hashes = {a.source: raw_hashes.pop(a.source) for a in articles if a.source in raw_hashes}
    for r in rejections:
        raw_hashes.pop(r.source, None)
    with store.transaction():
        outcomes = store.save_articles(articles, raw_hashes=hashes)
        store.save_rejections(rejections)
        if facts:
            store.save_facts(facts.values())
        if options.cluster:
            # Before the batch is clustered: its articles must meet the stories as they are
            # now, not with the share of an article this batch (or an earlier run) removed.
            rebuild_stale_stories(store, mode=options.stories_mode)
            if unique:
                _cluster(list(unique.values()), list(facts.values()), store, summary, features,
                         options.stories_mode)
    for a, outcome in zip(articles, outcomes):
        if outcome == "added":
            summary.added += 1
        elif outcome == "unchanged":
            summary.unchanged += 1
        else:
            summary.duplicates += 1
            summary.duplicate_of.append((a.source, a.id))
    summary.analysed += len(facts)
    summary.rejected.extend(rejections)
    if progress:
        progress("articles", summary.added + summary.unchanged + summary.duplicates, None)


def _cluster(articles: list[Article], facts: list[ArticleFacts], store: Any, summary: IngestSummary,
             features: dict[str, Any] | None = None, mode: str | None = None) -> None:
    """Add the batch's unclustered articles to the story index, in canonical order.

    ``features`` (by article id) were computed in the workers; those missing are computed here.
    """
    from storydesk.stories import StoryIndex

    todo_ids = set(a.id for a in articles) - store.clustered_ids(a.id for a in articles)
    if not todo_ids:
        return
    features = features or {}
    by_id = {f.article_id: f for f in facts}
    ordered = sorted((a for a in articles if a.id in todo_ids), key=_canonical_order)
    index = StoryIndex.open(store.story_state(), mode=mode)
    summary.stories_mode = index.settings.mode
    missing = [(a, by_id.get(a.id) or store.facts(a.id)) for a in ordered if a.id not in features]
    computed = {f.article_id: f for f in index.features(missing)} if missing else {}
    updates = [index.add_features(features.get(a.id) or computed[a.id]) for a in ordered]
    _save_updates(updates, store, summary)


def rebuild_stale_stories(store: Any, *, mode: str | None = None) -> int:
    """Rebuild the index profiles and records of stories that lost a member.

    The store marks a story stale when an article leaves it (its last source went away,
    :meth:`~storydesk.store.sqlite.SQLiteStore.save_rejections`); the profile is refolded
    from the remaining members, so later articles are scored against what the story now
    holds and its title, span, entities and outlets no longer show the removed article.
    Call inside the store's transaction: a crash leaves the marks, and the next run redoes it.

    Returns:
        How many stories were rebuilt.
    """
    state = store.story_state()
    stale = state.stale_stories()
    if not stale:
        return 0
    from storydesk.stories import StoryIndex

    index = StoryIndex.open(state, mode=mode)
    rebuilt = []
    for sid in stale:
        live = state.resolve([sid])[sid]
        items = [(store.article(aid), store.facts(aid)) for aid in state.members(live)]
        story = index.rebuild(sid, items)
        if story is not None:
            rebuilt.append(story)
    store.save_stories(rebuilt)
    log.info("rebuilt %d story profile(s) after articles were removed", len(rebuilt))
    return len(rebuilt)


def _save_updates(updates: list[Any], store: Any, summary: IngestSummary) -> None:
    store.save_story_updates(updates)
    for u in updates:
        if u.membership.reason == "new-story":
            summary.stories_created += 1
        else:
            summary.stories_joined += 1


def _canonical_order(a: Article) -> tuple[bool, str, str]:
    """Publication date (undated last), then id: the order clustering sees within a batch."""
    return (a.published is None, a.published.isoformat() if a.published else "", a.id)


def analyze_missing(store: Any, *, batch_size: int = BATCH_SIZE, progress: Progress | None = None) -> int:
    """Analyse stored articles that have no facts yet (after ``ingest --no-analyze``).

    Returns:
        How many articles were analysed.
    """
    from storydesk.backends.local import analyze_safely

    done = 0
    articles = list(store.iter_articles())
    done_ids = store.analysed_ids(a.id for a in articles)
    pending = [a for a in articles if a.id not in done_ids]
    for i in range(0, len(pending), batch_size):
        chunk = pending[i:i + batch_size]
        facts = analyze_safely(chunk)
        with store.transaction():
            store.save_facts(facts)
        done += len(chunk)
        if progress:
            progress("articles", done, len(pending))
    return done


def refresh_quote_groups(store: Any, story_ids: Iterable[str] | None = None, *,
                         progress: Progress | None = None) -> int:
    """Group the quotes of stories whose membership changed since they were last grouped.

    Grouping runs on read (``quotes``, ``story``), not at ingest, so an ingest stays fast and
    each story is regrouped once however many batches touched it.

    Args:
        store: an open store.
        story_ids: limit to these stories (default: every story that needs it).
        progress: callback ``("stories", done, total)`` (a fresh large corpus takes minutes).

    Returns:
        How many stories were regrouped.
    """
    from storydesk.compare import group_quotes, quote_group_ids

    pending = store.ungrouped_story_ids()
    if story_ids is not None:
        wanted = set(story_ids)
        pending = [s for s in pending if s in wanted]
    for n, sid in enumerate(pending, 1):
        story = store.story(sid)
        items = [(store.article(a), store.facts(a)) for a in story.article_ids]
        groups = group_quotes(items)
        store.set_quote_groups(sid, quote_group_ids(groups))
        if progress:
            progress("stories", n, len(pending))
    return len(pending)


def recluster(store: Any, *, mode: str | None = None, progress: Progress | None = None) -> IngestSummary:
    """Rebuild all stories from scratch with the current settings, in canonical order.

    Canonical order (publication date, then id) makes the result independent of the order
    in which articles were ingested. ``mode`` (``fast`` or ``accurate``) switches the
    index's mode; None keeps the one it was built in.
    """
    from storydesk.stories import StoryIndex
    from storydesk.stories.index import stored_mode

    started = time.perf_counter()
    summary = IngestSummary()
    articles = sorted(store.iter_articles(), key=_canonical_order)
    with store.transaction():
        mode = mode or stored_mode(store.story_state())
        store.clear_stories()
        index = StoryIndex.open(store.story_state(), mode=mode)
        summary.stories_mode = index.settings.mode
        for i in range(0, len(articles), BATCH_SIZE):
            chunk = articles[i:i + BATCH_SIZE]
            _save_updates(index.add_batch([(a, store.facts(a.id)) for a in chunk]), store, summary)
            if progress:
                progress("articles", i + len(chunk), len(articles))
    summary.seconds = time.perf_counter() - started
    return summary


def rejection_counts(rejections: Iterable[Rejection]) -> Counter[str]:
    """Rejections per code, for summaries."""
    return Counter(r.code for r in rejections)
