"""Story profiles (what the index remembers about a story) and the score that compares them.

An article is scored against a story by turning it into a one-article profile, so the same
function compares article to story (join), story to story (merge) and article to article
(:func:`storydesk.stories.story_similarity`): one score, one calibration.

The score is a small log-linear (logistic) model over four component similarities:

* ``embedding``: mean cosine between the two sides' members (title + lead plus the headline
  alone, multilingual);
* ``title``: idf-weighted cosine of stemmed title/lead terms;
* ``entities``: idf-weighted cosine of name keys (cross-script: consonant skeletons);
* ``time``: ``1 / (1 + ln(1 + gap))`` for the gap in days between the two spans.

The log-odds are ``bias + sum_i w_i * ln(c_i + floor) - time_gap * ln(1 + gap)``: the
odds of "same story" *multiply* with each component, so the evidence has to agree (a
shared place name with an unrelated text does not add up to a join, as it did when the
components were summed), and the time cost is paid in log-odds, so strong content
evidence overrides age and weak evidence does not survive it. Stories age through that
term: a same-day article needs a clear match, a month-later one a much stronger one.

The weights are chosen by which evidence is comparable: ``same-language``,
``cross-language`` (terms overlap only through names, numbers and shared words) or
``no-embedding`` (model unavailable).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, replace
from typing import Callable, Mapping

import numpy as np

from storydesk.stories.features import ArticleFeatures
from storydesk.stories.settings import ClusterSettings, ScoreWeights

Idf = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class StoryProfile:
    """The index's summary of a story (or of one article, when comparing an article).

    Attributes:
        id: story id.
        seed_key: the time key of the earliest member (survivor choice on merges).
        n: number of articles.
        first_day, last_day: span of dated members (date ordinals), or None.
        days: the distinct publication days of dated members, sorted (the most recent
            ``ClusterSettings.profile_days`` of them); the time gap is measured to the
            nearest of them.
        vec_sum: sum of member unit vectors (the centroid, unnormalised), or None.
        vec_n: members that contributed a vector.
        vec_model: model of the vectors (``none`` when there are none).
        terms, names: summed term / name-key weights (capped to the most specific).
        display: readable names with counts (the story's key entities).
        outlets, languages: member counts per outlet / language.
        title: display title; ``title_score`` how central it was when chosen.
        title_language: language of the display title.
        probe_text: the embedded title+lead of the article whose title is the display title:
            what the second-opinion model embeds for the story when it is first consulted.
        e5_sum, e5_n: sum and count of second-opinion (e5) unit vectors of the story (its
            probe and the members that were embedded with it), or None / 0.
    """

    id: str
    seed_key: tuple[float, str]
    n: int
    first_day: int | None
    last_day: int | None
    vec_sum: np.ndarray | None
    vec_n: int
    vec_model: str
    terms: dict[str, float]
    names: dict[str, float]
    display: dict[str, float]
    outlets: dict[str, int]
    languages: dict[str, int]
    title: str
    title_score: float
    title_language: str | None
    days: tuple[int, ...] = ()
    probe_text: str = ""
    e5_sum: np.ndarray | None = None
    e5_n: int = 0

    @property
    def centroid(self) -> np.ndarray | None:
        """The unit centroid of member vectors, or None."""
        if self.vec_sum is None:
            return None
        norm = float(np.linalg.norm(self.vec_sum))
        return self.vec_sum / norm if norm > 0 else None

    @property
    def language(self) -> str | None:
        """The majority language (ties: alphabetical), or None."""
        if not self.languages:
            return None
        return min(self.languages.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def profile_of(features: ArticleFeatures, story_id: str) -> StoryProfile:
    """A one-article profile.

    Args:
        features: the article's features (vector attached or not).
        story_id: the id to give the profile.

    Returns:
        The profile.
    """
    vec = features.vector
    return StoryProfile(
        id=story_id,
        seed_key=features.time_key,
        n=1,
        first_day=features.day,
        last_day=features.day,
        vec_sum=None if vec is None else vec.astype(np.float32, copy=True),
        vec_n=0 if vec is None else 1,
        vec_model=features.vector_model if vec is not None else "none",
        terms=dict(features.terms),
        names=dict(features.names),
        display=dict(features.display),
        outlets={features.outlet: 1} if features.outlet else {},
        languages={features.language: 1} if features.language else {},
        title=features.title,
        title_score=1.0,
        title_language=features.language,
        days=() if features.day is None else (features.day,),
        probe_text=features.embed_text,
    )


@dataclass(frozen=True, slots=True)
class Similarity:
    """A comparison of two profiles: the join probability and its components.

    Attributes:
        total: the logistic score in [0, 1] the clusterer thresholds.
        embedding: mean member-to-member cosine, or None when a side has no vector.
        title: term cosine.
        entities: name-key cosine.
        time: ``1 / (1 + ln(1 + gap))`` (1 on the same day), or None when a side is undated.
        gap_days: the gap, or None.
        mode: which weights applied (``same-language``, ``cross-language``, ``no-embedding``).
        second: the second-opinion (e5) average-link cosine when it was consulted, else None;
            ``total`` then comes from the second-opinion weights of the mode.
    """

    total: float
    embedding: float | None
    title: float
    entities: float
    time: float | None
    gap_days: int | None
    mode: str
    second: float | None = None

    def scores(self) -> dict[str, float]:
        """The components as ``Membership.scores`` (absent components are left out)."""
        out = {"total": round(self.total, 4), "title": round(self.title, 4),
               "entities": round(self.entities, 4)}
        if self.embedding is not None:
            out["embedding"] = round(self.embedding, 4)
        if self.time is not None:
            out["time"] = round(self.time, 4)
            out["gap_days"] = float(self.gap_days or 0)
        if self.second is not None:
            out["e5"] = round(self.second, 4)
        return out


class Weigher:
    """tf-idf weighting of bags, memoised for one scoring round (one article's add).

    Every candidate story is compared with the same article, so weighting the article's
    bags once (and each story's once) instead of per comparison halves the work; the memo
    holds the bags themselves, so ids cannot be reused while it lives.
    """

    __slots__ = ("idf", "_memo")

    def __init__(self, idf: Idf):
        self.idf = idf
        self._memo: dict[int, tuple[Mapping[str, float], dict[str, float], float]] = {}

    def __call__(self, bag: Mapping[str, float]) -> tuple[dict[str, float], float]:
        hit = self._memo.get(id(bag))
        if hit is not None and hit[0] is bag:
            return hit[1], hit[2]
        idf, log = self.idf, math.log
        # Sub-linear tf: the tenth "Trump" in a story adds less than the first.
        weights = {k: (1.0 + log(v) if v >= 1.0 else v) * idf(k) for k, v in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        self._memo[id(bag)] = (bag, weights, norm)
        return weights, norm


def _weighted_cosine(a: Mapping[str, float], b: Mapping[str, float], weigh: Weigher) -> float:
    if not a or not b:
        return 0.0
    wa, na = weigh(a)
    wb, nb = weigh(b)
    if not na or not nb:
        return 0.0
    if len(wa) > len(wb):
        wa, wb = wb, wa
    dot = 0.0
    get = wb.get
    for key, x in wa.items():
        y = get(key)
        if y:
            dot += x * y
    return dot / (na * nb)


def _has_headline(bag: Mapping[str, float]) -> bool:
    return any(k.startswith("tt:") for k in bag)


def _without_headline(bag: Mapping[str, float], has_headline: bool) -> Mapping[str, float]:
    if not has_headline:
        return bag  # the same object: the Weigher's memo still applies
    return {k: v for k, v in bag.items() if not k.startswith("tt:")}


def _tf(count: float) -> float:
    return 1.0 + math.log(count) if count >= 1.0 else count


def _days(p: StoryProfile) -> tuple[int, ...]:
    if p.days:
        return p.days
    return tuple(sorted({d for d in (p.first_day, p.last_day) if d is not None}))


def _gap(a: StoryProfile, b: StoryProfile) -> int | None:
    """Days between the nearest dated members of the two sides, or None when a side is undated.

    Nearest members, not span edges: an article dated inside a story's span but weeks from
    any of its members is weeks away. With span edges, the same article scored gap 0 when
    the story's later members happened to arrive first, so joins depended on arrival order.
    """
    da, db = _days(a), _days(b)
    if not da or not db:
        return None
    if len(da) > len(db):
        da, db = db, da
    best = None
    for d in da:
        i = bisect.bisect_left(db, d)
        for j in (i - 1, i):
            if 0 <= j < len(db):
                g = abs(db[j] - d)
                if best is None or g < best:
                    best = g
        if best == 0:
            break
    return best


def _same_language(a: StoryProfile, b: StoryProfile) -> bool:
    la, lb = a.language, b.language
    if la is None or lb is None or la == lb:
        return True
    # A mixed story: terms are comparable when half the smaller side shares a language.
    small, big = (a, b) if a.n <= b.n else (b, a)
    shared = sum(n for lang, n in small.languages.items() if lang in big.languages)
    return shared * 2 >= small.n


def similarity(a: StoryProfile, b: StoryProfile, idf: Idf | Weigher, *,
               settings: ClusterSettings, second: float | None = None) -> Similarity:
    """Compare two profiles (article or story) with the calibrated score.

    Args:
        a, b: the profiles.
        idf: inverse document frequency of a term or name key, or a :class:`Weigher`
            (memoised weighting, when one profile is compared with many).
        settings: weights.
        second: the second-opinion (e5) cosine of the two sides (:func:`second_cosine`),
            when the caller consulted it; the score then uses the second-opinion weights,
            with the rescaled e5 cosine in place of the fast embedding.

    Returns:
        The similarity with its components.
    """
    weigh = idf if isinstance(idf, Weigher) else Weigher(idf)
    emb = None
    if a.vec_sum is not None and b.vec_sum is not None and a.vec_model == b.vec_model:
        # Average link, not centroid cosine: (sum_a . sum_b) / (n_a n_b) is the mean cosine
        # over member pairs. The cosine to a normalised centroid inflates for diffuse
        # stories (a story of loosely related articles has a centroid close to everything
        # "newsy"), which made stories snowball on G-cal; the average link does not.
        emb = float(a.vec_sum @ b.vec_sum) / (a.vec_n * b.vec_n)
    ent = _weighted_cosine(a.names, b.names, weigh)
    gap = _gap(a, b)
    tsim = None if gap is None else 1.0 / (1.0 + math.log1p(gap))
    if emb is None:
        mode, w = "no-embedding", settings.no_embedding
    elif _same_language(a, b):
        mode, w = "same-language", settings.same_language
    else:
        mode, w = "cross-language", settings.cross_language
    heads_a, heads_b = _has_headline(a.terms), _has_headline(b.terms)
    if mode == "cross-language" or not (heads_a and heads_b):
        # The headline-only keys (``tt:``) are compared only between two headlines in one
        # language: a side without them (an untitled article) would see its cosine diluted by
        # the other side's, and headlines in two languages share only their names and
        # numbers, which the ``t:`` keys already carry.
        lex = _weighted_cosine(_without_headline(a.terms, heads_a), _without_headline(b.terms, heads_b), weigh)
    else:
        lex = _weighted_cosine(a.terms, b.terms, weigh)
    # An undated side is neither near nor far: it is scored as if it were
    # ``undated_gap_days`` away, so an undated article joins only on clear evidence (a
    # story of undated articles otherwise attracted anything sharing its people, and the
    # outcome depended on arrival order).
    penalty_gap = settings.undated_gap_days if gap is None else float(gap)
    if second is not None and mode != "no-embedding":
        w2 = settings.second_same_language if mode == "same-language" else settings.second_cross_language
        total = _logistic(w2, rescale_second(second, settings), lex, ent, penalty_gap, settings.evidence_floor)
    else:
        second = None
        total = _logistic(w, emb or 0.0, lex, ent, penalty_gap, settings.evidence_floor)
    return Similarity(total=total, embedding=emb, title=lex, entities=ent, time=tsim, gap_days=gap, mode=mode,
                      second=second)


def second_cosine(a: StoryProfile, b: StoryProfile) -> float | None:
    """Average-link cosine of the two sides' second-opinion (e5) vectors, or None when a side has none."""
    if a.e5_sum is None or b.e5_sum is None or not a.e5_n or not b.e5_n:
        return None
    return float(a.e5_sum @ b.e5_sum) / (a.e5_n * b.e5_n)


def rescale_second(cosine: float, settings: ClusterSettings) -> float:
    """Map an e5 cosine to [0, 1] above the model's floor for unrelated text (``e5_unrelated_cosine``)."""
    c0 = settings.e5_unrelated_cosine
    return min(1.0, max(0.0, (cosine - c0) / (1.0 - c0)))


def log_odds(w: ScoreWeights, emb: float, lex: float, ent: float, gap_days: float, floor: float) -> float:
    """The score's log-odds (see the module docstring); the bench fits ``w`` on these terms.

    Args:
        w: the weights of the mode.
        emb, lex, ent: component similarities (cosines; a negative cosine counts as 0).
        gap_days: days between the two sides.
        floor: added to each component before the log, so one missing component costs a
            bounded amount (``settings.evidence_floor``).

    Returns:
        The log-odds of "same story".
    """
    log = math.log
    return (w.bias + w.embedding * log(max(emb, 0.0) + floor) + w.title * log(max(lex, 0.0) + floor)
            + w.entities * log(max(ent, 0.0) + floor) - w.time_gap * math.log1p(gap_days))


def _logistic(w: ScoreWeights, emb: float, lex: float, ent: float, gap_days: float, floor: float) -> float:
    z = log_odds(w, emb, lex, ent, gap_days, floor)
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def absorb(into: StoryProfile, other: StoryProfile, idf: Idf, *, settings: ClusterSettings) -> StoryProfile:
    """Merge ``other`` (an article's or a story's profile) into ``into``.

    Args:
        into: the surviving profile (keeps its id).
        other: the profile absorbed.
        idf: for capping term/name bags to their most specific entries.
        settings: caps and title preferences.

    Returns:
        The merged profile.
    """
    vec_sum, vec_model, vec_n = into.vec_sum, into.vec_model, into.vec_n
    if other.vec_sum is not None and (vec_sum is None or other.vec_model == vec_model):
        vec_sum = other.vec_sum.copy() if vec_sum is None else vec_sum + other.vec_sum
        vec_model, vec_n = other.vec_model, vec_n + other.vec_n
    e5_sum, e5_n = into.e5_sum, into.e5_n
    if other.e5_sum is not None:
        e5_sum = other.e5_sum.copy() if e5_sum is None else e5_sum + other.e5_sum
        e5_n += other.e5_n
    days = [d for d in (into.first_day, into.last_day, other.first_day, other.last_day) if d is not None]
    merged = replace(
        into,
        seed_key=min(into.seed_key, other.seed_key),
        n=into.n + other.n,
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        days=tuple(sorted(set(_days(into)) | set(_days(other))))[-settings.profile_days:],
        e5_sum=e5_sum,
        e5_n=e5_n,
        vec_sum=vec_sum,
        vec_n=vec_n,
        vec_model=vec_model,
        terms=_cap(_add(into.terms, other.terms), settings.profile_terms, idf),
        names=_cap(_add(into.names, other.names), settings.profile_names, idf),
        display=_cap(_add(into.display, other.display), settings.profile_names, lambda _: 1.0),
        outlets=_add(into.outlets, other.outlets),
        languages=_add(into.languages, other.languages),
    )
    return _choose_title(merged, into, other, settings)


def _add(a: Mapping, b: Mapping) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _cap(bag: dict[str, float], limit: int, idf: Idf) -> dict[str, float]:
    if len(bag) <= limit:
        return bag
    ranked = sorted(bag.items(), key=lambda kv: (-_tf(kv[1]) * idf(kv[0]), kv[0]))
    return dict(ranked[:limit])


def _choose_title(merged: StoryProfile, into: StoryProfile, other: StoryProfile,
                  settings: ClusterSettings) -> StoryProfile:
    """Keep the title most central to the merged story, preferring the configured languages."""
    centre = merged.centroid

    def centrality(p: StoryProfile) -> float:
        c = p.centroid
        comparable = c is not None and centre is not None and p.vec_model == merged.vec_model
        base = float(c @ centre) if comparable else 0.5
        if p.title_language in settings.title_languages:
            base += 0.2
        elif p.title_language == merged.language:
            base += 0.1
        return base

    best = min((into, other), key=lambda p: (-centrality(p), p.seed_key))
    return replace(merged, title=best.title, title_score=centrality(best), title_language=best.title_language,
                   probe_text=best.probe_text or merged.probe_text)
