"""Clustering quality measures: B-cubed and pairwise precision/recall/F1, order agreement."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Hashable, Mapping


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def _prf(p: float, r: float) -> PRF:
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> PRF:
    """B-cubed precision/recall/F1 (Bagga & Baldwin 1998) over the items of ``gold``.

    Args:
        predicted: item -> predicted cluster.
        gold: item -> gold cluster.

    Returns:
        Averages over items of |pred ∩ gold| / |pred| (precision) and / |gold| (recall).

    Raises:
        ValueError: an item of ``gold`` has no predicted cluster.
    """
    missing = set(gold) - set(predicted)
    if missing:
        raise ValueError(f"{len(missing)} items have no predicted cluster, e.g. {sorted(missing)[:3]}")
    joint = Counter((predicted[i], gold[i]) for i in gold)
    psize = Counter(predicted[i] for i in gold)
    gsize = Counter(gold.values())
    p = sum(joint[(predicted[i], gold[i])] / psize[predicted[i]] for i in gold) / len(gold)
    r = sum(joint[(predicted[i], gold[i])] / gsize[gold[i]] for i in gold) / len(gold)
    return _prf(p, r)


def pairwise(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> PRF:
    """Pairwise precision/recall/F1: over item pairs, is "same cluster" predicted right.

    Args:
        predicted: item -> predicted cluster.
        gold: item -> gold cluster.

    Returns:
        The scores (1.0 precision when no pair is predicted together).
    """
    joint = Counter((predicted[i], gold[i]) for i in gold)
    psize = Counter(predicted[i] for i in gold)
    gsize = Counter(gold.values())

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in joint.values())
    pp = sum(pairs(n) for n in psize.values())
    gp = sum(pairs(n) for n in gsize.values())
    return _prf(tp / pp if pp else 1.0, tp / gp if gp else 1.0)


def clusters_of(assignment: Mapping[str, Hashable]) -> list[set[str]]:
    """Invert item -> cluster into a list of item sets."""
    groups: dict[Hashable, set[str]] = defaultdict(set)
    for item, cluster in assignment.items():
        groups[cluster].add(item)
    return list(groups.values())
