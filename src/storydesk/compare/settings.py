"""Thresholds of statement comparison: the alignment's weights and the verdicts' thresholds.

One settings record serves both steps of :mod:`storydesk.compare.relate` (alignment in
:mod:`storydesk.compare.align`, verdicts in :mod:`storydesk.compare.relate`), so that
both are tuned and reported together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CompareSettings:
    """Thresholds of the comparison.

    Tuned on the five sample articles and the *tuning* stories of ``bench/data/compare``
    (``bench/compare.py --split tune``); the figures it prints for the *report* stories
    were not looked at while choosing them. The alignment scale is the one USE gives; with
    e5 the cosine is first mapped onto it (:data:`storydesk.compare.align.E5_FLOOR`).

    Attributes:
        bias, weights: the logistic combination of :data:`storydesk.compare.align.FEATURES`
            that gives alignment (the probability that two statements state one proposition).
        same: alignment above which two statements state the same proposition.
        denial: alignment above which a denial is taken to answer a claim (lower: a denial
            repeats little of what it denies).
        numbers: alignment above which two numbers are read as one quantity.
        same_article_margin: extra alignment needed inside one article (sentences of one
            article share vocabulary; only denials with a resolved target skip it).
        max_pairs: cap on pairs examined per story (largest alignments first).
    """

    # Fitted by `bench/compare.py --calibrate` (tuning stories: 102 labelled pairs and
    # 1,575 random same-story pairs, USE embeddings); order as in FEATURES.
    bias: float = -2.61
    weights: tuple[float, ...] = (1.25, 1.53, 0.69, 0.77, 1.19, 0.0, 0.07, -0.14)
    # At 0.5, 28 % of the tuning same-proposition pairs pass and 1.3 % of random pairs.
    same: float = 0.5
    # Opposite polarity on one parsed predicate with a shared participant ("no one was
    # injured" / "two people were injured", "no group has claimed responsibility" / "IS
    # claimed responsibility") is a structured match: less wording need be shared. Set on
    # the tuning stories.
    polarity: float = 0.3
    denial: float = 0.3
    numbers: float = 0.3
    # Two statements counting one kind of quantity ("killed", "injured", "taken to
    # hospital", "floor") with the same unit are compared at this lower alignment: a toll
    # is restated in few shared words ("At least 50 dead" / "59 people were killed").
    # Set on the tuning stories, with the background and place guards of `_off_story`.
    quantity: float = 0.15
    same_article_margin: float = 0.05
    max_pairs: int = 20000
