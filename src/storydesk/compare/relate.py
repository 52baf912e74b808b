"""Relate statements: are two statements about the same thing, and do they disagree?

Two steps, both explainable:

1. **Alignment** (:func:`alignment`): how likely two statements state the same
   proposition, from sentence embeddings of their contents, idf-weighted shared words and
   shared canonical entities. One matrix per story, computed with numpy.
2. **Verdict** (:func:`relate`): for aligned pairs, what the disagreement is, read from
   polarity, denial cues, numbers, dates and time:

   * ``denial``: one side rejects the other's claim (a denial cue or verb, or a reported
     negative statement answering a reported positive one);
   * ``superseded``: incompatible, but one states a provisional state ("not yet", "so
     far") or is dated earlier (said/published dates differ), and the later replaces it;
   * ``conflict``: incompatible facts at the same time (opposite polarity, different
     numbers for one quantity, different dates for one event);
   * ``agree``: same proposition, compatible.

Every verdict carries the evidence strings that decided it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydesk.compare.embed import SentenceEncoder
from storydesk.compare.numbers import increases, number_clash, off_story, places_differ, quantity_pairs
from storydesk.compare.statements import Statement
from storydesk.compare.textutil import content_stems, denial_cues, stem

__all__ = ["CompareSettings", "Relation", "alignment", "relate", "relate_all"]


@dataclass(frozen=True, slots=True)
class CompareSettings:
    """Thresholds of the comparison.

    Tuned on the five sample articles and the *tuning* stories of ``bench/data/compare``
    (``bench/compare.py --split tune``); the figures it prints for the *report* stories
    were not looked at while choosing them. The alignment scale is the one USE gives; with
    e5 the cosine is first mapped onto it (:data:`E5_FLOOR`).

    Attributes:
        bias, weights: the logistic combination of :data:`FEATURES` that gives alignment
            (the probability that two statements state one proposition).
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


# e5 scores unrelated text ~0.75 and translations ~0.9; USE ~0.1-0.3 and ~0.8. Mapping
# e5 onto USE's scale keeps one set of thresholds: (cos - floor) / (1 - floor).
E5_FLOOR = 0.72


@dataclass(frozen=True, slots=True)
class Relation:
    """A verdict on two statements (indexes into the statement list).

    ``a`` is the claim and ``b`` the statement against it: for ``denial`` ``b`` denies, for
    ``superseded`` ``b`` is the later statement; for ``conflict``/``agree`` the order is the
    statements' order.
    """

    kind: str
    a: int
    b: int
    score: float
    align: float
    evidence: tuple[str, ...]


# --------------------------------------------------------------------------- alignment


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


# --------------------------------------------------------------------------- verdicts


def relate_all(stmts: Sequence[Statement], al: Alignment,
               settings: CompareSettings = CompareSettings()) -> list[Relation]:
    """Verdicts for every aligned pair of statements of a story.

    A denial is kept only against the best-aligned claim of each other article (and any
    claim within :data:`DENIAL_TIE` of it): a denial answers one report, not every
    sentence that shares its topic.

    Args:
        stmts: the statements.
        al: their alignment.
        settings: thresholds.

    Returns:
        Relations (agree, denial, conflict, superseded), strongest first.
    """
    n = len(stmts)
    if n < 2:
        return []
    floor = min(settings.same, settings.denial, settings.numbers)
    iu, ju = np.triu_indices(n, k=1)
    vals = al.score[iu, ju]
    keep = vals >= floor
    pairs = set(zip(iu[keep].tolist(), ju[keep].tolist()))
    # A denial is aligned through what it may answer (its target, the report before it).
    for s in stmts:
        for t in s.denied:
            if t == s.index:
                continue
            for j in np.nonzero(al.score[t] >= settings.denial)[0].tolist():
                if j != s.index:
                    pairs.add((min(s.index, j), max(s.index, j)))
            pairs.add((min(s.index, t), max(s.index, t)))
    # Statements naming the same event are candidates whatever their wording.
    by_frame: dict[str, list[int]] = {}
    for s in stmts:
        key = _predicate_class(s)
        if key is not None:
            by_frame.setdefault(key, []).append(s.index)
    for idx in by_frame.values():
        if len(idx) > 200:
            continue  # a predicate that common is not an event signature
        for k, i in enumerate(idx):
            for j in idx[k + 1:]:
                if stmts[i].article_id != stmts[j].article_id:
                    pairs.add((i, j))
    # Statements counting the same kind of quantity, whatever their wording.
    qpairs = quantity_pairs(stmts, al.score, settings.quantity)
    pairs |= qpairs
    ordered = sorted(pairs, key=lambda p: -al.score[p[0], p[1]])[: settings.max_pairs]
    out = []
    for i, j in ordered:
        r = relate(stmts[i], stmts[j], al, settings, quantity_pair=(i, j) in qpairs)
        if r is not None:
            out.append(r)
    out.extend(_party_denials(stmts, al, {(r.a, r.b) for r in out}))
    out.extend(_status_updates(stmts, al, {(r.a, r.b) for r in out}))
    out = _best_denials(out, stmts)
    out.sort(key=lambda r: -r.score)
    return out


def _status_updates(stmts: Sequence[Statement], al: Alignment, judged: set[tuple[int, int]]) -> list[Relation]:
    """A pending step ("not yet identified") completed by a later statement
    (:mod:`~storydesk.compare.updates`): superseded, not a contradiction of fact."""
    from storydesk.compare.updates import status_updates

    out = []
    for x, y, why in status_updates(stmts, exclude=judged):
        a = float(al.score[x, y])
        out.append(Relation("superseded", x, y, 0.5 + 0.4 * max(a, 0.3), a, why))
    return out


def _party_denials(stmts: Sequence[Statement], al: Alignment, judged: set[tuple[int, int]]) -> list[Relation]:
    """Denials answering an accusation against the denier in another article
    (:mod:`~storydesk.compare.targets`), for pairs alignment alone did not relate."""
    from storydesk.compare.targets import denial_targets

    out = []
    for t, d, a, why in denial_targets(stmts, al.score, exclude=judged, is_modal=_modal, is_thin=_thin,
                                      detail_missing=_quoted_detail_missing):
        claim, denial = stmts[t], stmts[d]
        ev = [f"denial cue '{denial.denial[0].text}' in {_who(denial)}'s statement", *why,
              _align_evidence(claim, denial, a, al)]
        tm = _time_evidence(claim, denial)
        if tm:
            ev.append(tm)
        out.append(Relation("denial", t, d, 0.5 + 0.5 * a, a, tuple(ev)))
    return out


# A denial's best-aligned claim in an article, and those within this much of it, are kept;
# so is any claim aligned above DENIAL_KEEP (the same report repeated in one article).
DENIAL_TIE = 0.05
DENIAL_KEEP = 0.75


def _best_denials(rels: list[Relation], stmts: Sequence[Statement]) -> list[Relation]:
    best: dict[tuple[int, str], float] = {}
    for r in rels:
        if r.kind == "denial":
            key = (r.b, stmts[r.a].article_id)
            best[key] = max(best.get(key, 0.0), r.align)
    out = []
    for r in rels:
        if (r.kind == "denial" and r.align < best[(r.b, stmts[r.a].article_id)] - DENIAL_TIE
                and r.align < DENIAL_KEEP):
            continue
        out.append(r)
    return out


def _same_source(x: Statement, y: Statement) -> bool:
    if x.article_id != y.article_id:
        return False
    if x.claim.quote_id and x.claim.quote_id == y.claim.quote_id:
        return True
    # One sentence and the report embedded in it.
    return x.claim.start <= y.claim.start < x.claim.end or y.claim.start <= x.claim.start < y.claim.end


def _shared_words(x: Statement, y: Statement, al: Alignment, k: int = 4) -> list[str]:
    shared = sorted(x.stems & y.stems, key=lambda w: -al.idf.get(w, 0))
    # Show words as written in x, not stems.
    shown = []
    for w in shared[:k]:
        for tok in x.content.split():
            t = tok.strip(".,;:\"'“”‘’()[]").lower()
            if t and stem(t) == w:
                shown.append(t)
                break
        else:
            shown.append(w)
    return shown


def _who(s: Statement) -> str:
    return s.speaker or (s.outlet or "the outlet") + " (own voice)"


def _align_evidence(x: Statement, y: Statement, a: float, al: Alignment) -> str:
    frame = _same_frame(x, y)
    if frame is not None:
        return f"{frame} (alignment {a:.2f})"
    words = ", ".join(_shared_words(x, y, al))
    parts = [f"same proposition (alignment {a:.2f}"]
    if words:
        parts.append(f"; shared: {words}")
    if x.claim.event_date and x.claim.event_date == y.claim.event_date:
        parts.append(f"; same date {x.claim.event_date.isoformat()}")
    return "".join(parts) + ")"


def _time_evidence(x: Statement, y: Statement) -> str | None:
    if x.time and y.time and x.time != y.time:
        return f"said {x.time.isoformat()} vs {y.time.isoformat()}"
    return None


def _later(x: Statement, y: Statement) -> tuple[Statement, Statement, str] | None:
    """(earlier, later, why) when the texts or dates order the two statements."""
    if x.early and not y.early:
        return x, y, f"'{x.early[0].text}' marks a provisional state"
    if y.early and not x.early:
        return y, x, f"'{y.early[0].text}' marks a provisional state"
    if y.late and not x.late:
        return x, y, f"'{y.late[0].text}' marks an update"
    if x.late and not y.late:
        return y, x, f"'{x.late[0].text}' marks an update"
    if x.time and y.time and x.time != y.time:
        # A publication date is a weak clock: only say "later" on a full day's difference.
        if x.time < y.time:
            return x, y, f"said {x.time.isoformat()} vs {y.time.isoformat()}"
        return y, x, f"said {y.time.isoformat()} vs {x.time.isoformat()}"
    return None


def relate(x: Statement, y: Statement, al: Alignment,
           settings: CompareSettings = CompareSettings(), *, quantity_pair: bool = False) -> Relation | None:
    """The verdict on two statements, or None when they are not about the same thing.

    Args:
        x, y: two statements of one story.
        al: the story's alignment.
        settings: thresholds.
        quantity_pair: the two count the same kind of quantity (numbers are compared
            from ``settings.quantity`` on).

    Returns:
        A :class:`Relation` (agree, denial, conflict, superseded) or None.
    """
    if x.index == y.index or _same_source(x, y):
        return None
    a = float(al.score[x.index, y.index])
    margin = settings.same_article_margin if x.article_id == y.article_id else 0.0
    frame = _same_frame(x, y)
    if frame is not None and a < FRAME_ALIGN:
        a = FRAME_ALIGN

    # --- denials: one side rejects what the other reports
    if x.denies != y.denies:
        claim, denial = (y, x) if x.denies else (x, y)
        return _denial(claim, denial, a, al, settings, margin)
    if x.denies and y.denies:
        if a >= settings.same + margin:
            return Relation("agree", x.index, y.index, a, a, (_align_evidence(x, y, a, al), "both deny"))
        return None

    if _persons_differ(x, y):
        return None  # about different people
    # --- numbers for one quantity
    need_num = settings.numbers + margin
    if quantity_pair and a < need_num and not (off_story(x) or off_story(y) or places_differ(x, y)):
        need_num = settings.quantity
    num = number_clash(x, y) if a >= need_num else None
    if num is not None:
        clash, why, qx, qy = num
        if clash == "incompatible":
            return _incompatible(x, y, a, al, why, kind_hint="number")
        order = _later(x, y)
        if order is not None and increases(*((qx, qy) if order[0] is x else (qy, qx))):
            # Compatible bounds ("at least 50" / "at least 59") at different times: the
            # later count replaces the earlier (GUIDE.md §1, bounds rule).
            early, late, reason = order
            return Relation("superseded", early.index, late.index, 0.5 + 0.4 * a, a,
                            (_align_evidence(x, y, a, al), why, reason))
    need = settings.same
    if x.polarity != y.polarity and _same_core(x, y) and not (x.denies or y.denies):
        need = settings.polarity
    if a < need + margin:
        return None
    if _thin(x) or _thin(y):
        # Too little said to clash on polarity ("Those are his words"): at most agreement.
        if x.polarity == y.polarity:
            return Relation("agree", x.index, y.index, a, a, (_align_evidence(x, y, a, al),))
        return None
    if x.polarity != y.polarity:
        if not _same_predicate(x, y):
            return None  # "open to talks" vs "have not spoken": not one event
        if _modal(x) != _modal(y) and not (x if _modal(x) else y).early:
            # "Putin may speak with Trump before the inauguration" and "they have not spoken
            # since the election": a possibility or plan does not clash with what has (not)
            # happened. A provisional plan ("does not plan to congratulate ... yet") is still
            # compared with what followed.
            return None
        neg, pos = (x, y) if x.polarity == "negative" else (y, x)
        cue = neg.negation[0].text if neg.negation else "negation"
        return _incompatible(pos, neg, a, al, f"opposite polarity ('{cue}' in {_who(neg)})", kind_hint="polarity")
    date_clash = _date_clash(x, y)
    if date_clash is not None and a >= settings.same + 0.1 + margin:
        return _incompatible(x, y, a, al, date_clash, kind_hint="date")
    if _quoted_detail_missing(x, y) or _quoted_detail_missing(y, x):
        # The quoted words are what a report is about ("through personal contacts"): a
        # statement without them may be about something else.
        a -= QUOTED_DETAIL_PENALTY
        if a < settings.same + margin:
            return None
    return Relation("agree", x.index, y.index, a, a, (_align_evidence(x, y, a, al),))


def _denial(claim: Statement, denial: Statement, a: float, al: Alignment,
            settings: CompareSettings, margin: float) -> Relation | None:
    stmts = al.stmts
    direct = claim.index == denial.target or (
        # "X dismissed reports claiming that Y": the embedded report Y.
        claim.article_id == denial.article_id and denial.claim.start <= claim.claim.start < denial.claim.end)
    if not direct and (_quoted_detail_missing(claim, denial) or _quoted_detail_missing(denial, claim)):
        a -= QUOTED_DETAIL_PENALTY
    best_via, via = a, denial.index
    if not direct and claim.index in denial.denied:
        # Said just before an anaphoric denial ("China denied the reports") in its article:
        # the report it most likely answers, when someone else reports it.
        if claim.speaker != denial.speaker and (claim.speaker or claim.hedged):
            best_via = max(best_via, settings.denial + 0.02)
    for t in denial.denied:
        if t in (denial.index, claim.index):
            continue
        v = float(al.score[claim.index, t])
        # What a denial rejects is specific: a report's quoted words ("through personal
        # contacts") that the other statement lacks mean it denies something else.
        if _quoted_detail_missing(claim, stmts[t]) or _quoted_detail_missing(stmts[t], claim):
            v -= QUOTED_DETAIL_PENALTY
        if _persons_differ(claim, stmts[t]):
            continue
        if v > best_via:
            best_via, via = v, t
    align = 1.0 if direct else best_via
    if claim.polarity == "negative" and not direct:
        # Both sides negative: "they have not spoken" vs "there was no conversation" agree.
        if a >= settings.same + margin:
            return Relation("agree", claim.index, denial.index, a, a, (_align_evidence(claim, denial, a, al), "both negative"))
        return None
    if claim.speaker and denial.speaker and claim.speaker == denial.speaker and not direct:
        return None  # one speaker does not deny their own words
    need = settings.denial + (0.0 if direct else margin)
    if align < need:
        return None
    if not direct and align < DENIAL_CONFIDENT:
        # A weakly aligned denial must answer a report: something someone else is said to
        # have claimed (attributed or hedged), about what happened, not a forecast, and
        # about the same kind of event as what the denial answers.
        reported = (claim.speaker is not None and claim.speaker != denial.speaker) or claim.hedged
        if not reported or _modal(claim):
            return None
        # (A denial's own predicate is its verdict, "do not accord"; compare events only
        # through the report it answers.)
        event = via if via != denial.index else denial.target
        if event is not None and claim.index not in denial.denied:
            pc, pv = _predicate_class(claim), _predicate_class(stmts[event])
            # Only two known kinds of event are told apart (a congratulation is not a phone
            # call); free verbs ("funnelled" / "shuffled") may be synonyms.
            if pc and pv and pc.startswith("class:") and pv.startswith("class:") and pc != pv:
                return None
    ev = []
    quote_cues = [c for t in stmts if t.claim.quote_id and t.claim.quote_id == denial.claim.quote_id
                  and t.article_id == denial.article_id for c in t.denial]
    if denial.denial:
        ev.append(f"denial cue '{denial.denial[0].text}' in {_who(denial)}'s statement")
    elif quote_cues:
        ev.append(f"denial cue '{quote_cues[0].text}' in {_who(denial)}'s quote")
    else:
        ev.append(f"{_who(denial)} states the negative")
    if direct:
        ev.append("the denial answers this report in its own article")
    elif via != denial.index:
        ev.append(_align_evidence(claim, stmts[via], best_via, al).replace(
            "same proposition", "same proposition as the report it answers"))
    else:
        ev.append(_align_evidence(claim, denial, a, al))
    t = _time_evidence(claim, denial)
    if t:
        ev.append(t)
    score = min(1.0, 0.5 + 0.5 * align)
    return Relation("denial", claim.index, denial.index, score, align, tuple(ev))


# Above this alignment a denial needs no further support; below it (down to
# `settings.denial`) it must answer a reported, non-modal claim. Set on the samples and the
# tuning stories: denials reword what they deny, so their alignment runs low.
DENIAL_CONFIDENT = 0.5
_MODAL_RE = re.compile(
    r"\b(?:will|would|could|may|might|going to|gonna|expects? to|expected to|plans? to|intends? to|"
    r"hopes? to|wants? to|i think|likely to|set to|about to)\b",
    re.I,
)


def _modal(s: Statement) -> bool:
    """A forecast, plan or possibility ("he's going to make a phone call"), not a reported fact.

    From the parse of the main clause when there is one, else from modal words anywhere."""
    if s.modal is not None:
        return s.modal
    return bool(_MODAL_RE.search(s.content))


# Alignment taken off a denial whose target quotes words the other statement lacks.
# Set on the samples: the denied "congratulated Trump 'through personal contacts'" must
# not deny Putin's public congratulation at Valdai (GUIDE.md, c-kremlin-trump-2024-02).
QUOTED_DETAIL_PENALTY = 0.15


def _quoted_detail_missing(claim: Statement, target: Statement) -> bool:
    """True when the denied report quotes a detail ("through personal contacts") ``claim`` lacks."""
    for phrase in target.quoted:
        if denial_cues(phrase):
            continue  # "do not accord with facts" is the verdict, not a detail of the report
        stems = set(content_stems(phrase))
        if len(stems) >= 2 and len(stems - claim.sentence_stems) >= len(stems) / 2:
            return True
    return False


def _persons_differ(x: Statement, y: Statement) -> bool:
    """Each names a person the other's sentence does not: "talks with Trump" / "with Biden"."""
    px = {en.entity_id for en in x.mentions if en.label == "PERSON"}
    py = {en.entity_id for en in y.mentions if en.label == "PERSON"}
    return bool(px - y.sentence_people) and bool(py - x.sentence_people)


# Predicates that name one kind of event (a small closed list of frequent news events;
# everything else must match by stem).
_EVENT_CLASSES = [
    {"speak", "talk", "call", "phone", "conversation", "contact", "communicate", "converse", "chat",
     "discuss", "conversat", "talks"},
    {"kill", "die", "dead", "death", "perish", "fatal"},
    {"injure", "wound", "hurt", "injury", "injured"},
    {"release", "free", "exchange", "swap", "hand", "freed"},
    {"arrest", "detain", "detention", "custody"},
    {"meet", "meeting", "summit"},
    {"congratulate", "congratulation", "congratulations"},
    {"claim", "responsibility"},
    {"identify", "name", "identity"},
    {"close", "shut", "closed", "reopen", "open"},
]


_EVENT_CLASS_STEMS = [frozenset(c) | frozenset(stem(w) for w in c) for c in _EVENT_CLASSES]


def _event_class(predicate: str) -> int | None:
    st = stem(predicate)
    for i, c in enumerate(_EVENT_CLASS_STEMS):
        if predicate in c or st in c:
            return i
    return None


def _same_predicate(x: Statement, y: Statement) -> bool:
    """Do two parsed statements name the same kind of event? (True when either is unparsed.)"""
    if not (x.parsed and y.parsed and x.predicate and y.predicate):
        return True
    px, py = x.predicate, y.predicate
    if not (px == py or stem(px) == stem(py)):
        cx = _event_class(px)
        if cx is None or cx != _event_class(py):
            return False
    sx, sy = _sense(x), _sense(y)
    # "had not spoken with Putin" / "Putin speaks about ending the war": speaking with
    # someone and speaking about something are two events.
    return sx is None or sy is None or sx == sy


_WITH_PREPS = frozenset({"with", "to"})
_ABOUT_PREPS = frozenset({"about", "of", "on", "regarding"})
_TALK_CLASS = 0  # index of the speak/talk/call class in _EVENT_CLASSES


def _sense(s: Statement) -> str | None:
    """For a verb of talking, whether it names an exchange ("with"/"to" someone) or a topic
    ("about" something); None when the verb is not one or the frame is not marked."""
    if s.predicate is None or _event_class(s.predicate) != _TALK_CLASS:
        return None
    if s.preps & _WITH_PREPS:
        return "with"
    if s.preps & _ABOUT_PREPS:
        return "about"
    return None


def _same_core(x: Statement, y: Statement) -> bool:
    """Both parsed, one non-generic predicate (same stem or event class), and something
    else in common: a participant or a content word besides the predicate."""
    if not (x.parsed and y.parsed and x.predicate and y.predicate):
        return False
    if x.predicate in _GENERIC_PREDICATES or y.predicate in _GENERIC_PREDICATES:
        return False
    if not _same_predicate(x, y):
        return False
    pstems = {stem(x.predicate), stem(y.predicate)}
    shared = (x.stems & y.stems) - pstems
    if shared or set(_participants(x)) & set(_participants(y)):
        return True
    # "No one was injured": the predicate is all a short statement says about its event.
    return any(len(s.stems - pstems) == 0 and _event_class(s.predicate) is not None for s in (x, y))


# Predicates too generic to name an event on their own.
_GENERIC_PREDICATES = frozenset(
    """say tell be have do make get go come take give see know think want need include add use find
    believe expect report state note show become remain seem continue like work help call ask hope
    try keep leave put mean let begin start look feel provide hold bring write""".split()
)
# Alignment given to two statements that name the same event with the same participants
# ("does not plan to congratulate Trump yet" / "Putin congratulated Trump"), whatever
# their wording: the structured match the embeddings miss. Set just above `same`.
FRAME_ALIGN = 0.6


def _predicate_class(s: Statement) -> str | None:
    if not (s.parsed and s.predicate) or s.predicate in _GENERIC_PREDICATES:
        return None
    cls = _event_class(s.predicate)
    return f"class:{cls}" if cls is not None else stem(s.predicate)


def _same_frame(x: Statement, y: Statement) -> str | None:
    """"same event: congratulate Vladimir Putin–Donald Trump" when both name one event with
    the same participants; None otherwise."""
    px, py = _predicate_class(x), _predicate_class(y)
    if px is None or px != py or _persons_differ(x, y):
        return None
    if _modal(x) != _modal(y) and not (x if _modal(x) else y).early:
        # "Putin may speak with Trump" is a possibility, "Putin and Trump spoke" a fact; a
        # provisional plan ("does not plan to ... yet") is compared with what followed.
        return None
    ex, ey = _participants(x), _participants(y)
    shared = set(ex) & set(ey)
    if len(shared) < 2:
        return None  # one shared name is a topic, not an event's participants
    names = "–".join(sorted({ex[e] for e in shared}))
    when = ""
    if x.claim.event_date and x.claim.event_date == y.claim.event_date:
        when = f" on {x.claim.event_date.isoformat()}"
    return f"same event: {x.predicate} {names}{when}"


_PRONOUN_RE = re.compile(r"\b(?:he|she|i|we|they|him|her|me|us|them)\b", re.I)


def _participants(s: Statement) -> dict[str, str]:
    """People and organisations a statement is about: the names in its proposition, plus
    its speaker when the proposition refers to them by pronoun ("Trump told NBC News that
    he had not yet spoken with Putin": Trump and Putin)."""
    out = {en.entity_id: en.canonical for en in s.mentions if en.label in ("PERSON", "ORG")}
    if s.speaker and _PRONOUN_RE.search(s.content):
        for en in s.sentence_mentions:
            if en.canonical == s.speaker and en.label in ("PERSON", "ORG"):
                out.setdefault(en.entity_id, en.canonical)
                break
    return out


def _thin(s: Statement) -> bool:
    """Too little said to contradict anything ("Those are his words"); a short statement
    with an event predicate of its own ("no one was injured") is not thin."""
    if s.parsed and s.predicate and s.predicate not in _GENERIC_PREDICATES and _event_class(s.predicate) is not None:
        return False
    return len(s.stems) < MIN_STEMS


# Statements with fewer content words than this take part only as denials or their targets.
MIN_STEMS = 3


def _incompatible(x: Statement, y: Statement, a: float, al: Alignment, why: str, *, kind_hint: str) -> Relation:
    """Superseded, denial or conflict for two incompatible statements about one thing.

    Order of the tests: a provisional state ("not yet", "so far") or an update marker
    makes the pair ``superseded``; a reported negative answering a reported positive is a
    ``denial``; then different dates make it ``superseded``; otherwise ``conflict``.
    """
    ev = [_align_evidence(x, y, a, al), why]
    order = _later(x, y)
    marked = order is not None and not order[2].startswith("said ")
    if order is not None and marked:
        early, late, reason = order
        # A later statement replaces an earlier one; it is not a contradiction of fact.
        return Relation("superseded", early.index, late.index, 0.5 + 0.4 * a, a, tuple(ev + [reason]))
    if kind_hint == "polarity":
        pos, neg = x, y
        if neg.speaker and (pos.speaker or pos.hedged) and neg.speaker != pos.speaker:
            ev.append(f"{neg.speaker} answers what {pos.speaker or 'reports'} said")
            return Relation("denial", pos.index, neg.index, 0.5 + 0.4 * a, a, tuple(ev))
    if order is not None:
        early, late, reason = order
        return Relation("superseded", early.index, late.index, 0.5 + 0.4 * a, a, tuple(ev + [reason]))
    return Relation("conflict", x.index, y.index, 0.5 + 0.4 * a, a, tuple(ev))


def _date_clash(x: Statement, y: Statement) -> str | None:
    dx, dy = x.claim.event_date, y.claim.event_date
    if dx and dy and dx != dy and x.predicate and x.predicate == y.predicate:
        return f"different dates for '{x.predicate}': {dx.isoformat()} vs {dy.isoformat()}"
    return None
