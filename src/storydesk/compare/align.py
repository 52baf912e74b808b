"""Alignment of statements: how likely two statements state the same proposition.

The first step of relating statements (:mod:`storydesk.compare.relate` gives the
verdicts): sentence embeddings of their contents, idf-weighted shared words and shared
canonical entities, combined by a logistic model (:func:`alignment`). One matrix per
story, computed with numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydesk.compare.embed import SentenceEncoder
from storydesk.compare.settings import CompareSettings
from storydesk.compare.statements import Statement

# e5 scores unrelated text ~0.75 and translations ~0.9; USE ~0.1-0.3 and ~0.8. Mapping
# e5 onto USE's scale keeps one set of thresholds: (cos - floor) / (1 - floor).
E5_FLOOR = 0.72


@dataclass
class Alignment:
    """Alignment matrices of one story's statements."""

    score: np.ndarray
    cos: np.ndarray
    lex: np.ndarray
    ent: np.ndarray
    idf: dict[str, float]
    model: str
    stmts: Sequence[Statement] = ()
    feats: dict[str, np.ndarray] | None = None


FEATURES = ("cos_content", "cos_sentence", "dice_content", "dice_sentence", "overlap_content",
            "entities_content", "entities_sentence", "person_mismatch")


def pair_features(stmts: Sequence[Statement], encoder: SentenceEncoder | None
                  ) -> tuple[dict[str, np.ndarray], dict[str, float], str]:
    """The pairwise features alignment combines, one matrix each, for two views of each
    statement: its proposition and its whole sentence (``*_content``/``*_sentence``).

    * ``cos_*``: sentence-embedding cosine (e5 mapped onto USE's scale; without a model,
      the idf-weighted Dice instead);
    * ``dice_*``/``overlap_content``: idf-weighted Dice and overlap coefficient of content
      word stems (idf over the story's statements, so "Putin" in a Putin story counts little);
    * ``entities_*``: idf-weighted Dice of canonical entity ids;
    * ``person_mismatch``: each side names a person the other's sentence does not
      ("talks with Trump" vs "communicate with Biden").

    A denial has a third view, what it denies ("ever threatening her prospects"); its
    features against the other statements' propositions and sentences come back under
    ``denied:*`` keys (rows: the denial).

    Args:
        stmts: the story's statements.
        encoder: sentence encoder (None: lexical only).

    Returns:
        ``(features, idf, model)``.
    """
    n = len(stmts)
    df = Counter(st for s in stmts for st in (s.stems | s.sentence_stems | s.denied_stems))
    idf = {k: math.log((n + 1) / (v + 0.5)) for k, v in df.items()}
    vocab = {k: i for i, k in enumerate(df)}
    edf = Counter(e for s in stmts for e in (s.entity_ids | s.sentence_entity_ids | s.denied_entity_ids))
    eidf = {k: math.log((n + 1) / (v + 0.5)) for k, v in edf.items()}
    evocab = {k: i for i, k in enumerate(edf)}
    W = {
        "c": _weights(stmts, lambda s: s.stems, vocab, idf),
        "s": _weights(stmts, lambda s: s.sentence_stems, vocab, idf),
        "d": _weights(stmts, lambda s: s.denied_stems, vocab, idf),
    }
    E = {
        "c": _weights(stmts, lambda s: s.entity_ids, evocab, eidf),
        "s": _weights(stmts, lambda s: s.sentence_entity_ids, evocab, eidf),
        "d": _weights(stmts, lambda s: s.denied_entity_ids, evocab, eidf),
    }
    model = "none"
    V = None
    denials = [s.index for s in stmts if s.denied_text]
    if encoder is not None and n:
        texts = [s.prop for s in stmts] + [s.claim.text for s in stmts] + [stmts[i].denied_text for i in denials]
        langs = [s.language for s in stmts] * 2 + [stmts[i].language for i in denials]
        enc = encoder.encode(texts, langs)
        model = enc.model
        if enc.vectors is not None:
            dim = enc.vectors.shape[1]
            vd = np.zeros((n, dim), np.float32)
            vd[denials] = enc.vectors[2 * n:]
            V = {"c": enc.vectors[:n], "s": enc.vectors[n:2 * n], "d": vd}

    def cos(a: str, b: str, dice: np.ndarray) -> np.ndarray:
        if V is None:
            return dice
        m = V[a] @ V[b].T
        if model == "e5":
            m = np.clip((m - E5_FLOOR) / (1 - E5_FLOOR), 0, 1)
        return m.astype(np.float32)

    feats: dict[str, np.ndarray] = {}
    dice_c, oc_c = _overlap(W["c"], W["c"])
    dice_s, _ = _overlap(W["s"], W["s"])
    feats["cos_content"] = cos("c", "c", dice_c)
    feats["cos_sentence"] = cos("s", "s", dice_s)
    feats["dice_content"] = dice_c
    feats["dice_sentence"] = dice_s
    feats["overlap_content"] = oc_c
    feats["entities_content"] = _overlap(E["c"], E["c"])[0]
    feats["entities_sentence"] = _overlap(E["s"], E["s"])[0]
    feats["person_mismatch"] = _person_mismatch(stmts)
    if denials:
        # What a denial denies, against the others' propositions and sentences.
        for view in ("c", "s"):
            d_dice, d_oc = _overlap(W["d"], W[view])
            feats[f"denied:{view}:cos"] = cos("d", view, d_dice)
            feats[f"denied:{view}:dice"] = d_dice
            feats[f"denied:{view}:overlap"] = d_oc
            feats[f"denied:{view}:entities"] = _overlap(E["d"], E[view])[0]
    return feats, idf, model


def alignment(stmts: Sequence[Statement], encoder: SentenceEncoder | None,
              settings: CompareSettings = CompareSettings()) -> Alignment:
    """Pairwise alignment of statements: a logistic combination of :func:`pair_features`.

    The score is the probability that two statements state the same proposition, with the
    weights of ``settings.weights`` (fitted by ``bench/compare.py --calibrate`` on the
    tuning stories). For a denial, the score against a statement is the higher of its own
    and that of what it denies (same weights, the denied clause standing for the
    proposition): "Weinstein denied ever threatening her prospects" aligns with "Weinstein
    had threatened to derail her career" through "ever threatening her prospects".

    Args:
        stmts: the story's statements.
        encoder: sentence encoder (None: lexical only).
        settings: weights.

    Returns:
        The alignment (score matrix, components for evidence, the model used).
    """
    feats, idf, model = pair_features(stmts, encoder)
    n = len(stmts)
    z = np.full((n, n), settings.bias, np.float32)
    for name, w in zip(FEATURES, settings.weights):
        z += w * feats[name]
    if "denied:c:cos" in feats:
        wts = dict(zip(FEATURES, settings.weights))
        zd = np.full((n, n), settings.bias, np.float32)
        # Denied clause vs proposition and vs sentence, the better of the two.
        zc = (wts["cos_content"] * feats["denied:c:cos"] + wts["dice_content"] * feats["denied:c:dice"]
              + wts["overlap_content"] * feats["denied:c:overlap"] + wts["entities_content"] * feats["denied:c:entities"])
        zs = (wts["cos_sentence"] * feats["denied:s:cos"] + wts["dice_sentence"] * feats["denied:s:dice"]
              + wts["entities_sentence"] * feats["denied:s:entities"])
        # One view scores like both views agreeing (the weights were fitted on two views).
        zd = zd + 2 * np.maximum(zc, zs)
        has = np.array([bool(s.denied_text) for s in stmts])
        zd[~has] = -np.inf
        z = np.maximum(z, np.maximum(zd, zd.T))
    score = 1.0 / (1.0 + np.exp(-z))
    np.fill_diagonal(score, 1.0)
    cos = np.maximum(feats["cos_content"], feats["cos_sentence"])
    lex = np.maximum(feats["dice_content"], feats["dice_sentence"])
    ent = np.maximum(feats["entities_content"], feats["entities_sentence"])
    return Alignment(score, cos, lex, ent, idf, model, stmts, feats)


def _person_mismatch(stmts: Sequence[Statement]) -> np.ndarray:
    n = len(stmts)
    people = sorted({en.entity_id for s in stmts for en in s.mentions if en.label == "PERSON"}
                    | {e for s in stmts for e in s.sentence_people})
    if not people or not n:
        return np.zeros((n, n), np.float32)
    col = {p: i for i, p in enumerate(people)}
    P = np.zeros((n, len(people)), np.float32)
    S = np.zeros((n, len(people)), np.float32)
    for i, s in enumerate(stmts):
        for en in s.mentions:
            if en.label == "PERSON":
                P[i, col[en.entity_id]] = 1
        for e in s.sentence_people:
            S[i, col[e]] = 1
    own = P.sum(axis=1)
    # a[i, j]: i names a person j's sentence does not.
    a = (own[:, None] - P @ S.T) > 0
    return (a & a.T).astype(np.float32)


def _weights(stmts, key, vocab, idf) -> np.ndarray:
    w = np.zeros((len(stmts), max(1, len(vocab))), np.float32)
    for i, s in enumerate(stmts):
        for k in key(s):
            w[i, vocab[k]] = idf[k]
    return w


def _overlap(wa: np.ndarray, wb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Dice and overlap coefficient between the rows of two idf-weight matrices."""
    mb = (wb > 0).astype(np.float32)
    ma = (wa > 0).astype(np.float32)
    # idf mass of the keys both share (the same key has the same idf on both sides)
    shared = wa.dot(mb.T)
    shared = np.minimum(shared, ma.dot(wb.T))
    ta, tb = wa.sum(axis=1), wb.sum(axis=1)
    lo = np.minimum.outer(ta, tb)
    sm = np.add.outer(ta, tb)
    with np.errstate(divide="ignore", invalid="ignore"):
        oc = np.where(lo > 0, shared / lo, 0.0)
        dice = np.where(sm > 0, 2 * shared / sm, 0.0)
    return dice.astype(np.float32), oc.astype(np.float32)
