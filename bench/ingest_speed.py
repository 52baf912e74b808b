"""Whole-ingest throughput (articles/s) and where the time goes, stage by stage.

Usage::

    .venv/bin/python bench/ingest_speed.py [--data ../shared/data/quotes/polnear] [--articles 900]
        [--workers 0] [--skip-end-to-end] [--json FILE]

Input: real news texts — PolNeAR train then dev (US political news, ~575 words each), written
as ``.txt`` files into a temporary folder, so the end-to-end run reads files exactly as a
user's ``storydesk ingest FOLDER`` does. When PolNeAR is absent, the five bundled samples are
used (repeated, and said so).

Two figures:

* **stage costs**: each stage of the real code path run on its own over the same articles,
  in this process, as CPU seconds per article (CPU time, not wall time: other jobs share this
  2-core machine). Stages: read, extract, analyze, claims, story features (incl. the title+lead
  and headline embeddings), story index add (SQLite state, as at ingest), store writes; and
  the story index add again in the accurate stories mode (its whole extra cost).
* **end to end**: ``storydesk.pipeline.ingest`` on the folder into a fresh SQLite file, with
  the given worker count (0 = automatic), as wall-clock articles/s; and, as a same-process
  baseline, reading + extracting only (``analyze=False, cluster=False``, one process), so the
  ratio stays meaningful on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.pipeline import IngestOptions, ingest  # noqa: E402
from storydesk.records import Article  # noqa: E402
from storydesk.store import open_store  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "quotes" / "polnear"


def corpus(data: Path, n: int, folder: Path) -> tuple[list[Path], str]:
    """Write ``n`` real articles as .txt files into ``folder``; return their paths and a description."""
    texts: list[tuple[str, str]] = []
    for split in ("train", "dev"):
        d = data / split / "text"
        if d.is_dir():
            texts += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(d.glob("*.txt"))]
    note = f"{min(n, len(texts))} PolNeAR articles"
    if not texts:
        samples = sorted((ROOT / "examples" / "kremlin-trump-2024").glob("*.txt"))
        base = [(p.stem, p.read_text(encoding="utf-8")) for p in samples]
        # Distinct texts (a trailing marker line) so the store does not dedupe them away.
        texts = [(f"{stem}-{i}", f"{t}\n\n(copy {i})") for i in range(n // len(base) + 1) for stem, t in base]
        note = f"PolNeAR not found at {data}: the 5 bundled samples, repeated with a marker line"
    paths = []
    for stem, text in texts[:n]:
        p = folder / f"{stem}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths, note


def cpu(fn, *args, **kw):
    t = time.process_time()
    out = fn(*args, **kw)
    return out, time.process_time() - t


def stage_costs(paths: list[Path], tmp: Path) -> tuple[dict[str, float], float]:
    """CPU seconds per article of each stage, run one after the other in this process, and of the accurate-mode index add."""
    from storydesk.analyze import analyze_articles
    from storydesk.compare import extract_claims
    from storydesk.extract import extract_document
    from storydesk.outlets import OutletRegistry
    from storydesk.sources import read_path
    from storydesk.stories import StoryIndex
    from storydesk.stories import article_features

    registry = OutletRegistry.default()
    # Warm-up outside the timings: model loading is a one-off cost per process.
    warm = [d for p in paths[:3] for d in read_path(p)]
    warm_arts = [extract_document(d, registry=registry) for d in warm]
    warm_facts = analyze_articles(warm_arts)
    article_features(list(zip(warm_arts, warm_facts)))
    n = len(paths)
    t: dict[str, float] = {}
    docs, t["read files"] = cpu(lambda: [d for p in paths for d in read_path(p)])
    arts, t["extract (clean, metadata, languages)"] = cpu(lambda: [extract_document(d, registry=registry) for d in docs])
    arts = [a for a in arts if isinstance(a, Article)]
    facts, t["analyze (sentences, entities, dates, quotes)"] = cpu(analyze_articles, arts)
    claims, t["claims"] = cpu(lambda: [extract_claims(a, f) for a, f in zip(arts, facts)])
    feats, t["story features + title/lead and headline embedding"] = cpu(article_features, list(zip(arts, facts)))
    with open_store(tmp / "stages.db") as store:
        with store.transaction():
            _, t["store writes (articles, facts)"] = cpu(lambda: (store.save_articles(arts), store.save_facts(facts)))
            index = StoryIndex(store.story_state())
            updates, t["story index add (SQLite state)"] = cpu(lambda: [index.add_features(f) for f in feats])
            _, t["store writes (stories)"] = cpu(store.save_story_updates, updates)
    return {k: v / n for k, v in t.items()}, accurate_index_cost(feats, tmp) / n


def accurate_index_cost(feats: list, tmp: Path) -> float:
    """CPU seconds of the story index adds in the accurate mode (``--stories-mode accurate``).

    The same features added to a fresh SQLite index whose e5 second opinion is also asked
    on close same-language calls; e5 embeds the article and the story's probe text there,
    so this is the mode's whole extra cost. The model is loaded before the timing.
    """
    from storydesk import models
    from storydesk.stories import StoryIndex

    models.e5()
    with open_store(tmp / "accurate.db") as store:
        with store.transaction():
            index = StoryIndex.open(store.story_state(), mode="accurate")
            _, seconds = cpu(lambda: [index.add_features(f) for f in feats])
    return seconds


@dataclass
class Run:
    """One ``ingest`` run: articles stored, wall seconds, when the first batch was stored, CPU seconds."""

    articles: int
    wall: float
    first_batch_at: float | None
    first_batch_articles: int
    cpu: float

    @property
    def per_second(self) -> float:
        return self.articles / self.wall

    @property
    def steady_per_second(self) -> float | None:
        """Articles/s after the first batch was stored: throughput without the start-up (model loading)."""
        if self.first_batch_at is None or self.articles <= self.first_batch_articles:
            return None
        return (self.articles - self.first_batch_articles) / (self.wall - self.first_batch_at)


def _cpu_seconds() -> float:
    """CPU seconds used by this process and its reaped children (the worker pool is joined at the end)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def end_to_end(folder: Path, db: Path, *, workers: int, analyze: bool = True, cluster: bool = True) -> Run:
    """One ``ingest`` run into a fresh database, timed."""
    if db.exists():
        db.unlink()
    first: list[tuple[float, int]] = []

    def progress(event: str, done: int, total: int | None) -> None:
        if event == "articles" and not first:
            first.append((time.perf_counter(), done))

    with open_store(db) as store:
        cpu0 = _cpu_seconds()
        started = time.perf_counter()
        summary = ingest([folder], store, options=IngestOptions(analyze=analyze, cluster=cluster, workers=workers),
                         progress=progress)
        wall = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu0
    at, n_first = (first[0][0] - started, first[0][1]) if first else (None, 0)
    return Run(summary.added + summary.duplicates, wall, at, n_first, cpu)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--articles", type=int, default=900)
    ap.add_argument("--workers", type=int, default=0, help="worker processes for the end-to-end run (0 = automatic)")
    ap.add_argument("--skip-end-to-end", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="storydesk-ingest-bench-"))
    try:
        folder = tmp / "articles"
        folder.mkdir()
        paths, note = corpus(args.data, args.articles, folder)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths) / len(paths)
        print(f"input: {note}, {words:.0f} words on average")
        report: dict = {"input": note, "articles": len(paths), "words_avg": words}

        costs, accurate_add = stage_costs(paths, tmp)
        total = sum(costs.values())
        report["stage_cpu_ms_per_article"] = {k: 1000 * v for k, v in costs.items()}
        print("stage costs, one process (CPU ms per article):")
        for k, v in costs.items():
            print(f"  {k:48} {1000 * v:7.1f} ms  {100 * v / total:5.1f} %")
        print(f"  {'total':48} {1000 * total:7.1f} ms  = {1 / total:.1f} articles/s per CPU core")
        index_add = costs["story index add (SQLite state)"]
        accurate_total = total - index_add + accurate_add
        report["accurate_mode"] = {"story_index_add_cpu_ms": 1000 * accurate_add,
                                   "total_cpu_ms": 1000 * accurate_total, "total_ratio": accurate_total / total}
        print(f"  accurate stories mode: story index add {1000 * accurate_add:.1f} ms instead of "
              f"{1000 * index_add:.1f}; total {1000 * accurate_total:.1f} ms = {accurate_total / total:.2f}x")

        if not args.skip_end_to_end:
            base = end_to_end(folder, tmp / "base.db", workers=1, analyze=False, cluster=False)
            run = end_to_end(folder, tmp / "all.db", workers=args.workers)
            report["end_to_end"] = {"articles": run.articles, "wall_seconds": run.wall, "articles_per_s": run.per_second,
                                    "steady_articles_per_s": run.steady_per_second,
                                    "first_batch_stored_after_s": run.first_batch_at,
                                    "cpu_ms_per_article": 1000 * run.cpu / run.articles,
                                    "workers": args.workers or "auto"}
            report["baseline_read_extract_only"] = {"articles": base.articles, "wall_seconds": base.wall,
                                                    "articles_per_s": base.per_second}
            cores = len(os.sched_getaffinity(0))
            print(f"end to end: `ingest` of {run.articles} files (extract, analyze, claims, stories, store; workers="
                  f"{args.workers or 'auto'}, {cores} cores):")
            print(f"  {run.per_second:.1f} articles/s wall clock, including start-up (the first batch of "
                  f"{run.first_batch_articles} was stored after {run.first_batch_at or 0:.1f} s: model loading)")
            if run.steady_per_second:
                print(f"  {run.steady_per_second:.1f} articles/s after the first batch (steady state)")
            print(f"  {1000 * run.cpu / run.articles:.1f} CPU ms per article over all processes, start-up included "
                  f"(= {cores / (run.cpu / run.articles):.1f} articles/s if {cores} cores were free for it)")
            print(f"  baseline, same process: read + extract only, one process: {base.per_second:.1f} articles/s; "
                  f"whole ingest runs at {run.per_second / base.per_second:.2f}x of it")
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, default=str))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
