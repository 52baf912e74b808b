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
