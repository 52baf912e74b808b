"""The held-out measure of bench/clustering.py: B-cubed of the whole clustering, averaged over
the held-out articles only, so a held-out article mixed with a training-half event pays for it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import clustering as bench  # noqa: E402
from storydesk.stories.evaluate import bcubed  # noqa: E402


def test_held_out_articles_pay_for_training_articles_in_their_story():
    gold = {"a1": 1, "a2": 1, "b1": 2, "b2": 2}
    pred = {"a1": "s", "a2": "s", "b1": "s", "b2": "t"}  # b1 (training event 2) mixed into story s
    p, r, f1 = bench._bcubed_over(pred, gold, ["a1", "a2"])
    # Each of a1, a2 sits in a story of 3 with 2 of its event: precision 2/3; its event is whole: recall 1.
    assert p == pytest.approx(2 / 3) and r == 1.0 and f1 == pytest.approx(0.8)
    # Restricting the clustering to the held-out articles (the odd/even way) would not see the mix.
    assert bcubed({i: pred[i] for i in ("a1", "a2")}, {i: gold[i] for i in ("a1", "a2")}).precision == 1.0
    # Over every article it is plain B-cubed.
    whole = bcubed(pred, gold)
    assert bench._bcubed_over(pred, gold, list(gold)) == pytest.approx((whole.precision, whole.recall, whole.f1))
