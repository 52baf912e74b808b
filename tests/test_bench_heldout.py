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


def test_ageing_ceiling_cuts_events_at_long_silences_and_rejoins_near_copies():
    from datetime import date

    from storydesk.records import Article
    from storydesk.stories import ClusterSettings

    samples = ROOT / "examples" / "kremlin-trump-2024"
    texts = [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]
    days = [date(2024, 11, 7), date(2024, 11, 8), None, date(2024, 12, 6), date(2024, 11, 7)]
    arts = [Article(id=f"s{i}", source=f"s{i}", text=t, published=d) for i, (t, d) in enumerate(zip(texts, days))]
    # A misdated copy of the 11-08 article half a year later, and a short follow-up (the
    # opening of another sample, far from a near-copy of it) months later.
    arts.append(Article(id="copy", source="copy", text=texts[1], published=date(2025, 6, 1)))
    arts.append(Article(id="later", source="later", text=texts[0][:400], published=date(2025, 9, 1)))
    gold = {a.id: 1 for a in arts}
    ceiling = bench.ageing_ceiling(arts, gold, ClusterSettings(), (7, 60, 365))
    # 60 days: the 12-06 article stays (28 days after 11-08), the copy rejoins its original,
    # the September article is its own piece. 7 days: 12-06 splits off too. 365 days: whole.
    assert ceiling[365]["bcubed_f1"] == 1.0
    assert all(c["bcubed_p"] == 1.0 for c in ceiling.values())
    assert ceiling[7]["bcubed_r"] < ceiling[60]["bcubed_r"] < 1.0
    # Piece sizes at 60 days: 6 (five samples and the copy) and 1: recall (6*6/7 + 1/7) / 7.
    assert ceiling[60]["bcubed_r"] == pytest.approx((6 * 6 / 7 + 1 / 7) / 7)
