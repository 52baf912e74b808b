"""The local backend's worker pool: ordered results, bounded read-ahead."""

from __future__ import annotations

import pytest

from storydesk.backends.local import ArticleWorkers
from storydesk.records import RawDocument

pytestmark = pytest.mark.slow


def test_pool_returns_batches_in_order_and_reads_a_bounded_window_ahead():
    # Pool.imap drained the input from a thread of its own: a whole corpus was read into
    # memory before the first batch was stored. At most 2 x workers batches may be ahead.
    pulled = []

    def batches():
        for i in range(12):
            pulled.append(i)
            text = f"Report number {i}. " + "The council met on Monday to discuss the new bridge. " * 3
            yield [RawDocument(source=f"mem:{i}", body=text, format="text")]

    seen = []
    with ArticleWorkers(2, analyze=False, languages=False) as pool:
        for n, results in enumerate(pool.imap(batches())):
            if n == 0:
                assert len(pulled) <= 2 * 2
            seen.append(results[0][0].source)
    assert seen == [f"mem:{i}" for i in range(12)]


def test_a_resumed_ingest_cuts_the_remaining_batches_where_the_first_run_did(tmp_path, samples_dir):
    # Each batch is clustered in canonical order, so batch boundaries shape the stories. A
    # crash stores whole batches; the re-run skips their articles (unchanged) but re-reads
    # their rejections, which shifted every later boundary when only documents passed on
    # were counted: a resumed PolNeAR ingest built stories agreeing 0.92 with an
    # uninterrupted one.
    from storydesk import pipeline

    texts = [p.read_text(encoding="utf-8") for p in sorted(samples_dir.glob("*.txt"))]
    names = []
    for i, text in enumerate([texts[0], "", texts[1], texts[2], "", texts[3], texts[4]]):
        path = tmp_path / f"{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(path)

    class Stored:
        def __init__(self, sources=()):
            self.sources = set(sources)

        def source_unchanged(self, source, fingerprint):
            return source in self.sources

    def batches(store):
        options = pipeline.IngestOptions(batch_size=2)
        out = pipeline._document_batches(names, store, options, None, pipeline.IngestSummary(), None, {})
        return [[d.source for d in b] for b in out]

    full = batches(Stored())
    assert len(full) == 4
    # The first run stored its first batch (an article and a rejection), then crashed.
    stored_articles = [s for s in full[0] if not s.endswith("01.txt")]
    resumed = batches(Stored(stored_articles))
    assert resumed[1:] == full[1:]
