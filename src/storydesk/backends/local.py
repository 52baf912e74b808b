"""The local backend: per-article stages (extract, analyze) in worker processes.

The pipeline reads inputs and writes the store in the main process; what costs CPU per
article — extraction and analysis — is pure, so it can run in a pool. Each worker loads its
own models on first use (``storydesk.models`` caches per process). A pool only pays once
its start-up (~5 s of model loading per worker) is amortised, so the pipeline starts one
only for inputs of several batches.

Lifecycle: ``with ArticleWorkers(n) as workers: workers.imap(batches)``; the pool is closed on exit.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from storydesk.records import Article, ArticleFacts, RawDocument, Rejection

log = logging.getLogger(__name__)

Result = tuple[Article | Rejection, ArticleFacts | None, Any | None]
"""``(article-or-rejection, facts-or-None, story-features-or-None)``."""


def process_documents(docs: Sequence[RawDocument | Rejection], *, analyze: bool, languages: bool = True,
                      registry: Any | None = None, features: bool = False) -> list[Result]:
    """Extract (and analyse) documents; pure, so it runs in-process or in a worker alike.

    Args:
        docs: raw documents (rejections pass through unchanged).
        analyze: also run the analyze stage on the extracted articles.
        languages: detect paragraph languages.
        registry: outlet registry (default: the packaged one).
        features: also compute the story-clustering features (with the title+lead embedding),
            the per-article part of clustering, so only the index update stays in order.

    Returns:
        One ``(article-or-rejection, facts-or-None, features-or-None)`` per input, in order.
    """
    from storydesk.extract import extract_document

    if registry is None:
        from storydesk.outlets import OutletRegistry

        registry = OutletRegistry.default()
    extracted: list[Article | Rejection] = []
    for doc in docs:
        if isinstance(doc, Rejection):
            extracted.append(doc)
            continue
        try:
            extracted.append(extract_document(doc, registry=registry, languages=languages))
        except Exception as exc:  # a bug on one odd page must not lose the batch
            log.exception("extraction failed on %s", doc.source)
            extracted.append(Rejection(doc.source, "extract", "internal-error",
                                       f"extraction failed: {type(exc).__name__}: {exc}"))
    unique: dict[str, Article] = {}
    for a in extracted:
        if isinstance(a, Article):
            unique.setdefault(a.id, a)
    facts: dict[str, ArticleFacts] = {}
    if analyze:
        for f in analyze_safely(list(unique.values())):
            facts[f.article_id] = f
    feats: dict[str, Any] = {}
    if features and unique:
        feats = _story_features(list(unique.values()), facts)
    return [(a, facts.get(a.id), feats.get(a.id)) if isinstance(a, Article) else (a, None, None) for a in extracted]


def _story_features(articles: list[Article], facts: dict[str, ArticleFacts]) -> dict[str, Any]:
    """Clustering features by article id; empty on failure (the index then computes them itself)."""
    from storydesk.stories import article_features

    try:
        return {f.article_id: f for f in article_features([(a, facts.get(a.id)) for a in articles])}
    except Exception:
        log.exception("story features failed on a batch; the index will compute them")
        return {}


def analyze_safely(articles: list[Article]) -> list[ArticleFacts]:
    """Analyse a batch; if the batch fails, article by article, recording failures as notes.

    A pathological text must not sink its batch: the article is still stored (its text is
    good) and its facts say the analysis failed and why.
    """
    from storydesk.analyze import analyze_articles

    if not articles:
        return []
    try:
        facts = analyze_articles(articles)
    except Exception:
        log.exception("batch analysis failed; retrying article by article")
        facts = []
        for a in articles:
            try:
                facts.extend(analyze_articles([a]))
            except Exception as exc:
                log.exception("analysis failed on %s", a.source)
                facts.append(ArticleFacts(a.id, a.language, analysed=False,
                                          note=f"analysis failed: {type(exc).__name__}: {exc}"))
    return [_with_claims(a, f) for a, f in zip(articles, facts)]


def _with_claims(article: Article, facts: ArticleFacts) -> ArticleFacts:
    """Add the article's claims (the compare stage's per-article part, model-free) to its facts."""
    from storydesk.compare import extract_claims

    try:
        return replace(facts, claims=extract_claims(article, facts))
    except Exception as exc:
        log.exception("claim extraction failed on %s", article.source)
        note = f"claims not extracted: {type(exc).__name__}: {exc}"
        return replace(facts, note=f"{facts.note}; {note}" if facts.note else note)


def _work(args: tuple[list[RawDocument | Rejection], bool, bool, bool]) -> list[Result]:
    docs, analyze, languages, features = args
    return process_documents(docs, analyze=analyze, languages=languages, features=features)


_WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "STORYDESK_BLAS_THREADS": "1"}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block (for child processes)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def default_workers() -> int:
    """Worker processes to use: the CPUs this process may run on, at most 4 (memory: ~1 GB each)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


class ArticleWorkers:
    """A pool of processes running :func:`process_documents` on batches, in order.

    Args:
        workers: number of processes.
        analyze: run the analyze stage too.
        languages: detect paragraph languages.
        features: compute story-clustering features too.
    """

    def __init__(self, workers: int, *, analyze: bool, languages: bool = True, features: bool = False):
        self.workers = workers
        self.analyze = analyze
        self.languages = languages
        self.features = features
        # spawn, not fork: the parent may hold model handles and BLAS threads that are not
        # fork-safe; each worker imports and loads what it needs. Spawned workers copy the
        # environment at start: one BLAS thread each, as there is one worker per core.
        with _environment(_WORKER_ENV):
            self._pool = mp.get_context("spawn").Pool(workers)

    def imap(self, batches: Iterable[list[RawDocument | Rejection]]) -> Iterator[Any]:
        """Process batches in parallel; results come back in input order as each is ready.

        The batches are pulled on the calling thread, at most ``2 × workers`` ahead of the
        results handed back. ``Pool.imap`` drains its input from a thread of its own: the
        whole corpus was read into memory before the first batch was stored (a streamed
        JSONL no longer streamed), and the reader's store lookups ran on that thread, on
        the caller's database connection.
        """
        window: deque[Any] = deque()
        for batch in batches:
            window.append(self._pool.apply_async(_work, ((batch, self.analyze, self.languages, self.features),)))
            if len(window) >= 2 * self.workers:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()

    def close(self) -> None:
        """Stop the workers."""
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        """Stop the workers now (on error or interrupt)."""
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> ArticleWorkers:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()
