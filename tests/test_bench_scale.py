"""The scale bench's bulk copy (bench/clustering.py): an in-memory story index copied into SQLite
must equal the same index grown in SQLite one article at a time, or the SQLite figures measure
another database."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from storydesk.records import Article
from storydesk.stories import ClusterSettings, Embeddings, InMemoryStoryState, StoryIndex
from storydesk.store.story_state import SQLiteStoryState, create_tables

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import clustering as bench  # noqa: E402


class _ByLanguage:
    """A stand-in model: one fixed unit vector per language."""

    def __init__(self, model: str, vectors: dict[str, list[float]]):
        self.model = model
        self.vectors = {lang: np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for lang, v in vectors.items()}

    def embed(self, texts, languages):
        vecs = np.stack([self.vectors.get(lang or "en", self.vectors["en"]) for lang in languages])
        return Embeddings(vecs, self.model, tuple(None for _ in texts))


def _articles() -> list[Article]:
    """Five reports of one event, copies (one ahead of its original), a late report, an undated
    bridge between the two stories the retrieval window splits, and a German report."""
    paths = sorted((ROOT / "examples" / "kremlin-trump-2024").glob("*.txt"))
    day = date(2024, 11, 7)
    base = [Article(id=p.stem, source=str(p), text=p.read_text(encoding="utf-8"), title=None,
                    published=day + timedelta(days=i % 2), language="en", outlet=f"o{i}")
            for i, p in enumerate(paths)]
    copy = replace(base[0], id="copy", text=base[0].text + "\n\nRepublished from a partner agency.",
                   published=day + timedelta(days=3), outlet="copycat")
    early_copy = replace(base[1], id="early-copy", text=base[1].text.replace("Kremlin", "The Kremlin", 1),
                         published=day - timedelta(days=5), outlet="copycat")
    late = replace(base[3], id="late", published=day + timedelta(days=30), outlet="late")
    bridge = replace(base[2], id="bridge", published=None, outlet="bridge")
    german = replace(base[4], id="german", language="de", outlet="de")
    return [*base[:3], copy, late, base[3], early_copy, bridge, base[4], german]


def _grow(state, settings) -> None:
    fast = _ByLanguage("usem3", {"en": [1, 0, 0, 0], "de": [0.6, 0.8, 0, 0]})
    e5 = _ByLanguage("e5", {"en": [1, 0, 0], "de": [0.99, 0.14, 0]})
    updates = StoryIndex(state, settings=settings, embedder=fast, second_embedder=e5).add_batch(
        [(a, None) for a in _articles()])
    # Only the store marks a story stale (an article's last source went away): mark one here.
    state.mark_stale(updates[-1].membership.story_id)


def test_bulk_copy_equals_one_by_one_growth(tmp_path):
    settings = replace(ClusterSettings(), window_days=10, second_opinion_band=(0.0, 1.0))
    grown = sqlite3.connect(tmp_path / "grown.db", isolation_level=None)
    create_tables(grown)
    _grow(SQLiteStoryState(grown), settings)
    mem = InMemoryStoryState()
    _grow(mem, settings)
    copied = sqlite3.connect(tmp_path / "copied.db", isolation_level=None)
    create_tables(copied)
    bench.copy_state(mem, copied)

    rows = bench.table_rows(copied)
    assert bench.first_difference(bench.table_rows(grown), rows) is None
    # The scenario reaches every table (merges, copy links, a second-opinion vector), so the
    # equality covers every part of the copy.
    assert all(rows[table] for table in rows), {t: len(r) for t, r in rows.items()}
    assert any('"e5":"' in data for _, data, _ in rows["story_ix_profile"])
