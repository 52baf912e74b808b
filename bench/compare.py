"""Benchmark the compare stage: contradiction detection and quote grouping on labelled real pairs.

Usage::

    .venv/bin/python bench/compare.py [--data ../shared/data] [--json FILE] [--split all|tune|report]
        [--show-misses] [--dump FILE]

Data: ``bench/data/compare/claim_pairs.jsonl`` (248 claim pairs) and ``quote_pairs.jsonl``
(128 quote pairs), labelled on real articles from ``../shared/data`` (giveme5w1h, PolNeAR
train) and the bundled samples (README.md and GUIDE.md there). The labels never reach the
system under test: the script reads the articles each story's pairs refer to, runs the
real pipeline on them (``storydesk.extract.extract_document`` → ``analyze_articles`` →
``compare_story`` for claim stories, ``group_quotes`` for quote stories), and only then
looks at the labels to score the output.

**How a labelled pair is matched to a system decision.** Each labelled span is located in
the article's *clean* text (extraction changes offsets) by normalised text (case, quote
marks, dashes, whitespace): an exact search first, then the span's first and last 40
characters, then a fuzzy alignment (rapidfuzz, score >= 85). A span is *mapped* to every
system claim (or quote) whose character range overlaps the located span by at least half
of the shorter of the two. A claim pair is **flagged** when the system reports a
contradiction (``denial``, ``conflict`` or ``superseded``) whose two sides are a claim
mapped from ``a`` and a claim mapped from ``b`` (either order; a side is the cited
sentence or one of the other sentences it stands for, ``a_also``/``b_also``: one
contradiction is reported per claim group and party); its **kind** is that
contradiction's kind (the highest-scored one if several). A quote pair is predicted
``same`` when a quote mapped from ``a`` and one mapped from ``b`` share a group. A span
that maps to nothing (not located, or no claim/quote there: e.g. headline spans, which are
not part of the clean text) makes its pair unflagged / not-same: a recall loss, never a
skipped pair.

**Split.** Stories are split into a *tuning* half (the bundled samples' story and every
other story in sorted order) and a *report* half (the rest). Thresholds in
``CompareSettings``/``QuoteSettings`` were chosen looking at the tuning half only; the
report half is held out. ``--split`` prints one half; the default prints both and all.

The label mix over-represents contradictions (GUIDE.md §4): precision here is an upper
bound on precision in use; read it with the false-positive rates on unrelated and random
pairs printed next to it.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from compare_data import (  # noqa: E402
    CONTRADICTION_KINDS,
    DEFAULT_DATA,
    Pair,
    SourceTexts,
    load_claim_pairs,
    load_quote_pairs,
)

from storydesk.records import Article, RawDocument  # noqa: E402

SAMPLE_STORY = "kremlin-trump-2024"


# ----------------------------------------------------------------------------- loading


def _polnear_meta(data: Path) -> dict[str, dict[str, str]]:
    meta = {}
    path = data / "quotes" / "polnear" / "metadata.tsv"
    if not path.is_file():
        return meta
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        meta[row.get("filename", "")] = row
    return meta


def load_articles(paths: Sequence[str], data: Path, registry) -> tuple[dict[str, Article], list[str]]:
    """Extract the referenced files with the real extraction path; returns path -> Article."""
    from storydesk.extract import extract_document
    from storydesk.sources import read_inputs

    pn_meta = _polnear_meta(data)
    out: dict[str, Article] = {}
    problems = []
    for p in sorted(set(paths)):
        if p.startswith("examples/"):
            docs = [d for d in read_inputs([REPO / p]) if isinstance(d, RawDocument)]
            raw = docs[0] if docs else None
        elif p.endswith(".json"):
            d = json.loads((data / p).read_text(encoding="utf-8"))
            meta = {"title": d.get("title"), "published": d.get("date_publish"), "url": d.get("url"),
                    "domain": d.get("source_domain")}
            raw = RawDocument(source=str(data / p), body=d.get("text") or "", format="text", meta=meta)
        else:
            name = Path(p).stem
            m = pn_meta.get(name, {})
            meta = {"title": m.get("title"), "published": m.get("publication_date"), "outlet": m.get("publisher")}
            body = (data / p).read_bytes().decode("utf-8")
            raw = RawDocument(source=str(data / p), body=body, format="text",
                              meta={k: v for k, v in meta.items() if v and v != "None"})
        if raw is None:
            problems.append(f"{p}: not readable")
            continue
        art = extract_document(raw, registry=registry)
        if not isinstance(art, Article):
            problems.append(f"{p}: rejected by extraction ({getattr(art, 'code', '?')})")
            continue
        out[p] = art
    return out, problems


# ----------------------------------------------------------------------------- span location


def _norm_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index in ``text``."""
    from storydesk.compare.textutil import _QUOTES  # the same normalisation the stage uses

    out, idx = [], []
    space = False
    for i, ch in enumerate(text):
        c = ch.translate(_QUOTES).lower()
        if c.isspace():
            if space or not out:
                continue
            out.append(" ")
            idx.append(i)
            space = True
            continue
        space = False
        for cc in c:
            out.append(cc)
            idx.append(i)
    return "".join(out), idx


@dataclass
class Located:
    start: int
    end: int
    how: str


def locate(span_text: str, article: Article) -> Located | None:
    """Where a labelled span sits in the article's clean text (None when not found)."""
    from rapidfuzz import fuzz

    hay, idx = _norm_map(article.text)
    needle, _ = _norm_map(span_text)
    needle = needle.strip()
    if not needle:
        return None
    k = hay.find(needle)
    if k >= 0:
        return Located(idx[k], idx[k + len(needle) - 1] + 1, "exact")
    head, tail = needle[:40], needle[-40:]
    a, b = hay.find(head), hay.find(tail)
    if a >= 0 and b >= a:
        return Located(idx[a], idx[b + len(tail) - 1] + 1, "ends")
    al = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=85)
    if al is not None and al.dest_end > al.dest_start:
        return Located(idx[al.dest_start], idx[al.dest_end - 1] + 1, "fuzzy")
    return None


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    inter = min(a1, b1) - max(a0, b0)
    return inter > 0 and inter >= 0.5 * min(a1 - a0, b1 - b0)


# ----------------------------------------------------------------------------- scoring


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def split_of(story: str, stories: Sequence[str]) -> str:
    """``tune`` or ``report``: the samples' story and every other story in sorted order tune."""
    if story == SAMPLE_STORY:
        return "tune"
    others = sorted(s for s in stories if s != SAMPLE_STORY)
    return "tune" if others.index(story) % 2 == 1 else "report"


@dataclass
class ClaimOutcome:
    pair: Pair
    mapped_a: int
    mapped_b: int
    flagged: bool
    kind: str | None
    evidence: tuple[str, ...] = ()
    sys_a: str = ""
    sys_b: str = ""


def claim_metrics(outcomes: Sequence[ClaimOutcome]) -> dict[str, Any]:
    """Binary flag P/R/F1, per-kind recall, kind confusion, false-positive rates."""
    pos = [o for o in outcomes if o.pair.label in CONTRADICTION_KINDS]
    neg = [o for o in outcomes if o.pair.label not in CONTRADICTION_KINDS]
    tp = sum(o.flagged for o in pos)
    fp = sum(o.flagged for o in neg)
    fn = len(pos) - tp
    p, r, f = _prf(tp, fp, fn)
    # Kind-exact: a flag counts only with the right kind.
    tpk = sum(o.flagged and o.kind == o.pair.label for o in pos)
    pk, rk, fk = _prf(tpk, fp + (tp - tpk), len(pos) - tpk)
    per_kind = {}
    for k in CONTRADICTION_KINDS:
        lab = [o for o in outcomes if o.pair.label == k]
        predicted = [o for o in outcomes if o.flagged and o.kind == k]
        correct = sum(o.pair.label == k for o in predicted)
        per_kind[k] = {
            "labelled": len(lab),
            "flagged": sum(o.flagged for o in lab),
            "kind_correct": sum(o.flagged and o.kind == k for o in lab),
            "predicted": len(predicted),
            "precision": correct / len(predicted) if predicted else 0.0,
            "recall": (sum(o.flagged and o.kind == k for o in lab) / len(lab)) if lab else 0.0,
            "flag_recall": (sum(o.flagged for o in lab) / len(lab)) if lab else 0.0,
        }
    confusion: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        confusion[o.pair.label][o.kind if o.flagged else "none"] += 1

    def fpr(sel):
        sel = list(sel)
        return (sum(o.flagged for o in sel) / len(sel) if sel else 0.0), len(sel)

    return {
        "pairs": len(outcomes),
        "both_mapped": sum(o.mapped_a > 0 and o.mapped_b > 0 for o in outcomes),
        "flag": {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn},
        "kind_exact": {"precision": pk, "recall": rk, "f1": fk},
        "per_kind": per_kind,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "fp_rate": {
            "compatible-different-detail": fpr(o for o in outcomes if o.pair.label == "compatible-different-detail"),
            "unrelated": fpr(o for o in outcomes if o.pair.label == "unrelated"),
            "agree": fpr(o for o in outcomes if o.pair.label == "agree"),
            "random": fpr(o for o in outcomes if o.pair.sampling == "random"),
            "all negatives": fpr(neg),
        },
    }


@dataclass
class QuoteOutcome:
    pair: Pair
    mapped_a: int
    mapped_b: int
    same: bool
    speaker_ok: tuple[bool | None, bool | None]


def quote_metrics(outcomes: Sequence[QuoteOutcome]) -> dict[str, Any]:
    tp = sum(o.same and o.pair.label == "same" for o in outcomes)
    fp = sum(o.same and o.pair.label != "same" for o in outcomes)
    fn = sum((not o.same) and o.pair.label == "same" for o in outcomes)
    p, r, f = _prf(tp, fp, fn)
    sp = [v for o in outcomes for v in o.speaker_ok]
    known = [v for v in sp if v is not None]
    return {
        "pairs": len(outcomes),
        "both_mapped": sum(o.mapped_a > 0 and o.mapped_b > 0 for o in outcomes),
        "precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn,
        "speaker_accuracy": (sum(known) / len(sp)) if sp else 0.0,
        "spans_mapped": len(known), "spans": len(sp),
    }


def _speaker_matches(gold: str, system: str | None) -> bool:
    if not system:
        return False
    g = {w for w in gold.lower().replace("'s", "").split() if len(w) > 2}
    s = {w for w in system.lower().replace("'s", "").split() if len(w) > 2}
    return bool(g & s)


# ----------------------------------------------------------------------------- running


def prepare(args):
    """Read the pairs and run extraction and analysis on every referenced article."""
    from storydesk.analyze import analyze_articles
    from storydesk.outlets import OutletRegistry

    claims = load_claim_pairs()
    quotes = load_quote_pairs()
    registry = OutletRegistry.default()
    paths = [s.path for p in claims + quotes for s in (p.a, p.b)]
    # The cache is keyed on the code that produced it (extract, analyze, sources, records):
    # an edit there makes a new cache file instead of silently scoring stale analysis.
    cache = Path(args.cache) / f"compare-bench-articles-{_upstream_fingerprint()}.pickle" if args.cache else None
    if cache is not None and cache.is_file():
        # Upstream output only (extracted articles and their analysis), never labels.
        arts, problems, facts, t_extract, t_analyze = pickle.loads(cache.read_bytes())
    else:
        t0 = time.perf_counter()
        arts, problems = load_articles(paths, args.data, registry)
        t_extract = time.perf_counter() - t0
        t0 = time.perf_counter()
        ordered = sorted(arts)
        facts_list = analyze_articles([arts[p] for p in ordered])
        facts = dict(zip(ordered, facts_list))
        t_analyze = time.perf_counter() - t0
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps((arts, problems, facts, t_extract, t_analyze)))
    return claims, quotes, registry, arts, problems, facts, t_extract, t_analyze


def _upstream_fingerprint() -> str:
    """Hash of the source files whose output the cache holds."""
    import hashlib

    src = REPO / "src" / "storydesk"
    h = hashlib.sha1()
    for path in sorted([*src.glob("extract/**/*"), *src.glob("analyze/**/*"), *src.glob("sources/**/*"),
                        *src.glob("outlets/**/*"), src / "records.py", src / "models.py"]):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(src)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def run(args) -> dict[str, Any]:
    from storydesk.compare import compare_story, group_quotes
    from storydesk.compare.embed import SentenceEncoder

    claims, quotes, registry, arts, problems, facts, t_extract, t_analyze = prepare(args)
    sources = SourceTexts(args.data)
    encoder = SentenceEncoder()

    # --- claims: one comparison per story, over the articles its pairs refer to
    by_story: dict[str, list[Pair]] = defaultdict(list)
    for p in claims:
        by_story[p.story].append(p)
    stories = sorted(by_story)
    outcomes: list[ClaimOutcome] = []
    t_compare = 0.0
    n_claims = 0
    flagged_all: list = []
    dump = []
    for story in stories:
        pairs = by_story[story]
        spaths = sorted({s.path for p in pairs for s in (p.a, p.b)} & set(arts))
        items = [(arts[p], facts[p]) for p in spaths]
        t0 = time.perf_counter()
        comp = compare_story(items, encoder=encoder, registry=registry)
        t_compare += time.perf_counter() - t0
        internals = _internals(comp, items, encoder) if args.dump else None
        n_claims += sum(len(v) for v in comp.claims.values())
        for c in comp.contradictions:
            flagged_all.append((story, c))
        claims_by_article = comp.claims
        contra = defaultdict(list)
        # A contradiction stands for one claim group against one party: the sentences it
        # cites besides a and b (a_also/b_also) are pairs it reports too.
        claim_at = {(cl.article_id, cl.start, cl.end): cl.id for v in comp.claims.values() for cl in v}
        for c in comp.contradictions:
            side_a = [c.a_claim_id] + [claim_at.get((x.article_id, x.start, x.end)) for x in c.a_also]
            side_b = [c.b_claim_id] + [claim_at.get((x.article_id, x.start, x.end)) for x in c.b_also]
            for ida in side_a:
                for idb in side_b:
                    contra[(ida, idb)].append(c)
                    contra[(idb, ida)].append(c)
        for p in pairs:
            mapped = []
            for span in (p.a, p.b):
                art = arts.get(span.path)
                loc = locate(sources.span_text(span), art) if art is not None and span.field != "title" else None
                ids = []
                if loc is not None:
                    ids = [c.id for c in claims_by_article.get(art.id, ())
                           if _overlaps(loc.start, loc.end, c.start, c.end)]
                mapped.append(ids)
            found = [c for a in mapped[0] for b in mapped[1] for c in contra.get((a, b), [])]
            best = max(found, key=lambda c: c.score) if found else None
            outcomes.append(ClaimOutcome(p, len(mapped[0]), len(mapped[1]), best is not None,
                                         best.kind if best else None, best.evidence if best else (),
                                         best.a.text if best else "", best.b.text if best else ""))
            if args.dump:
                dump.append(_pair_features(p, mapped, internals))

    # --- quotes: one grouping per quote story
    q_story: dict[str, list[Pair]] = defaultdict(list)
    for p in quotes:
        q_story[p.story].append(p)
    q_out: list[QuoteOutcome] = []
    t_quotes = 0.0
    for story in sorted(q_story):
        pairs = q_story[story]
        spaths = sorted({s.path for p in pairs for s in (p.a, p.b)} & set(arts))
        items = [(arts[p], facts[p]) for p in spaths]
        t0 = time.perf_counter()
        groups = group_quotes(items, encoder=encoder)
        t_quotes += time.perf_counter() - t0
        group_of = {qid: g.id for g in groups for qid in g.quote_ids}
        for p in pairs:
            mapped, sp_ok = [], []
            for span in (p.a, p.b):
                art = arts.get(span.path)
                loc = locate(sources.span_text(span), art) if art is not None else None
                qs = []
                if loc is not None:
                    qs = [q for q in facts[span.path].quotes if _overlaps(loc.start, loc.end, q.start, q.end)]
                mapped.append(qs)
                sp_ok.append(_speaker_matches(span.who or "", qs[0].speaker) if qs else None)
            same = any(group_of.get(a.id) == group_of.get(b.id) for a in mapped[0] for b in mapped[1])
            q_out.append(QuoteOutcome(p, len(mapped[0]), len(mapped[1]), same, tuple(sp_ok)))

    result: dict[str, Any] = {
        "articles": len(arts), "extraction_problems": problems,
        "seconds": {"extract": round(t_extract, 1), "analyze": round(t_analyze, 1),
                    "compare": round(t_compare, 1), "quote_grouping": round(t_quotes, 1)},
        "claims_extracted": n_claims,
        "embedding_model": encoder.choose(["en"]),
        "notes": encoder.notes,
    }
    for name in ("tune", "report", "all"):
        sel = [o for o in outcomes if name == "all" or split_of(o.pair.story, stories) == name]
        qsel = [o for o in q_out if name == "all" or split_of(o.pair.story, sorted(q_story)) == name]
        result[name] = {"claims": claim_metrics(sel), "quotes": quote_metrics(qsel),
                        "stories": sorted({o.pair.story for o in sel} | {o.pair.story for o in qsel})}
    # Everything the system reports, labelled or not: how much a user would have to read.
    result["reported_contradictions"] = {
        "total": len(flagged_all),
        "per_kind": dict(Counter(c.kind for _, c in flagged_all)),
        "cross_article": sum(c.a.article_id != c.b.article_id for _, c in flagged_all),
        "per_100_claims": round(100 * len(flagged_all) / max(1, n_claims), 2),
    }
    result["_flagged"] = flagged_all
    result["_outcomes"] = outcomes
    result["_quote_outcomes"] = q_out
    if args.dump:
        Path(args.dump).write_text("\n".join(json.dumps(d) for d in dump), encoding="utf-8")
    return result


def _internals(comp, items, encoder):
    """Statements and alignment of a story, recomputed from the stage's parts (for --dump)."""
    from storydesk.compare.relate import alignment
    from storydesk.compare.statements import build_statements

    stmts, _ = build_statements([(a, f, comp.claims[a.id]) for a, f in items])
    return stmts, alignment(stmts, encoder)


def _pair_features(p: Pair, mapped, internals) -> dict[str, Any]:
    """Alignment features of a labelled pair's best-aligned system claims (for calibration)."""
    stmts, al = internals
    index = {s.id: s.index for s in stmts}
    best = None
    for a in mapped[0]:
        for b in mapped[1]:
            i, j = index.get(a), index.get(b)
            if i is None or j is None:
                continue
            if best is None or al.score[i, j] > best[0]:
                best = (float(al.score[i, j]), i, j)
    out = {"id": p.id, "story": p.story, "label": p.label, "sampling": p.sampling, "mapped": best is not None}
    if best is not None:
        _, i, j = best
        x, y = stmts[i], stmts[j]
        out.update(align=best[0], cos=float(al.cos[i, j]), lex=float(al.lex[i, j]), ent=float(al.ent[i, j]),
                   pol=(x.polarity, y.polarity), denies=(x.denies, y.denies), target=(x.target, y.target),
                   a=x.content[:120], b=y.content[:120])
    return out


# ----------------------------------------------------------------------------- calibration


def calibrate(args) -> int:
    """Fit the alignment weights (logistic regression) on the tuning stories only.

    Positives: labelled pairs that state one proposition (agree, compatible-different-detail,
    conflict, superseded). Negatives: labelled ``unrelated`` pairs, plus random pairs of
    statements from two different articles of the same tuning story (GUIDE.md §4: about 9 in
    10 such pairs stand in no relation). Denial pairs are left out: a denial is aligned
    through the report it answers, not by its own words.
    """
    import random

    import numpy as np

    from storydesk.compare.claims import extract_claims
    from storydesk.compare.embed import SentenceEncoder
    from storydesk.compare.relate import FEATURES, CompareSettings, pair_features
    from storydesk.compare.statements import build_statements

    claims, _, _, arts, _, facts, _, _ = prepare(args)
    sources = SourceTexts(args.data)
    encoder = SentenceEncoder()
    by_story: dict[str, list[Pair]] = defaultdict(list)
    for p in claims:
        by_story[p.story].append(p)
    stories = sorted(by_story)
    X, y, w, kinds = [], [], [], []
    rng = random.Random(7)
    for story in stories:
        if split_of(story, stories) != "tune":
            continue
        pairs = by_story[story]
        spaths = sorted({s.path for p in pairs for s in (p.a, p.b)} & set(arts))
        items = [(arts[p], facts[p], extract_claims(arts[p], facts[p])) for p in spaths]
        stmts, _ = build_statements(items)
        feats, _, _ = pair_features(stmts, encoder)
        F = np.stack([feats[k] for k in FEATURES], axis=-1)
        by_article = defaultdict(list)
        for st in stmts:
            by_article[st.article_id].append(st.index)
        for p in pairs:
            if p.label == "denial":
                continue
            idx = []
            for span in (p.a, p.b):
                art = arts.get(span.path)
                loc = locate(sources.span_text(span), art) if art is not None and span.field != "title" else None
                idx.append([st.index for st in stmts if loc is not None and st.article_id == art.id
                            and _overlaps(loc.start, loc.end, st.claim.start, st.claim.end)])
            cand = [(i, j) for i in idx[0] for j in idx[1]]
            if not cand:
                continue
            i, j = max(cand, key=lambda t: F[t[0], t[1], 1])
            X.append(F[i, j])
            y.append(0 if p.label == "unrelated" else 1)
            w.append(1.0)
            kinds.append(p.label)
        aids = sorted(by_article)
        for _ in range(25 * len(aids)):
            a1, a2 = rng.sample(aids, 2) if len(aids) > 1 else (None, None)
            if a1 is None:
                break
            i, j = rng.choice(by_article[a1]), rng.choice(by_article[a2])
            X.append(F[i, j])
            y.append(0)
            w.append(0.2)  # noisy negatives (about 1 in 10 is related): weigh them down
            kinds.append("random")
    X, y, w = np.array(X, np.float64), np.array(y, np.float64), np.array(w, np.float64)
    coef, bias = _logistic(X, y, w)
    print("fitted on", int(sum(1 for k in kinds if k != "random")), "labelled and",
          int(sum(1 for k in kinds if k == "random")), "random tuning pairs")
    print(f"bias = {bias:.2f}")
    print("weights = (" + ", ".join(f"{c:.2f}" for c in coef) + ")   # " + ", ".join(FEATURES))
    prob = 1 / (1 + np.exp(-(X @ coef + bias)))
    for t in (0.3, 0.4, 0.5, 0.6, 0.7):
        pos = [p >= t for p, k in zip(prob, kinds) if k not in ("unrelated", "random")]
        unr = [p >= t for p, k in zip(prob, kinds) if k == "unrelated"]
        rnd = [p >= t for p, k in zip(prob, kinds) if k == "random"]
        print(f"  threshold {t:.1f}: same-proposition recall {np.mean(pos):.2f}, "
              f"unrelated passing {np.mean(unr):.2f}, random passing {np.mean(rnd):.3f}")
    cur = CompareSettings()
    prob0 = 1 / (1 + np.exp(-(X @ np.array(cur.weights) + cur.bias)))
    t = cur.same
    pos = [p >= t for p, k in zip(prob0, kinds) if k not in ("unrelated", "random")]
    rnd = [p >= t for p, k in zip(prob0, kinds) if k == "random"]
    print(f"current settings at same={t}: recall {np.mean(pos):.2f}, random passing {np.mean(rnd):.3f}")
    return 0


def _logistic(X, y, w, l2: float = 0.01, steps: int = 4000, lr: float = 0.5):
    """Weighted L2-regularised logistic regression by gradient descent (numpy only)."""
    import numpy as np

    coef = np.zeros(X.shape[1])
    bias = 0.0
    wn = w / w.sum()
    for _ in range(steps):
        z = X @ coef + bias
        p = 1 / (1 + np.exp(-z))
        g = (p - y) * wn
        coef -= lr * (X.T @ g + l2 * coef)
        bias -= lr * g.sum()
    return coef, bias


# ----------------------------------------------------------------------------- printing


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def print_report(res: dict[str, Any], splits: Sequence[str]) -> None:
    print(f"articles: {res['articles']} (extraction problems: {len(res['extraction_problems'])}); "
          f"claims extracted: {res['claims_extracted']}; embeddings: {res['embedding_model']}")
    s = res["seconds"]
    print(f"seconds: extract {s['extract']}, analyze {s['analyze']}, compare {s['compare']}, "
          f"quote grouping {s['quote_grouping']}")
    for note in res["notes"]:
        print(f"note: {note}")
    rc = res["reported_contradictions"]
    print(f"contradictions reported over all stories (labelled or not): {rc['total']} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(rc['per_kind'].items()))}; "
          f"{rc['cross_article']} across articles; {rc['per_100_claims']} per 100 claims)")
    for name in splits:
        part = res[name]
        c, q = part["claims"], part["quotes"]
        print()
        print(f"== {name} ({len(part['stories'])} stories) ==")
        print(f"claim pairs: {c['pairs']} (both spans mapped to system claims: {c['both_mapped']})")
        fl, ke = c["flag"], c["kind_exact"]
        print("contradiction detection         P      R     F1")
        print(f"  flag (any kind)             {_pct(fl['precision'])}  {_pct(fl['recall'])}  {_pct(fl['f1'])}"
              f"   (tp {fl['tp']}, fp {fl['fp']}, fn {fl['fn']})")
        print(f"  kind exact                  {_pct(ke['precision'])}  {_pct(ke['recall'])}  {_pct(ke['f1'])}")
        for k, v in c["per_kind"].items():
            print(f"  {k:<12} P {_pct(v['precision'])}  R {_pct(v['recall'])}  flag-R {_pct(v['flag_recall'])}"
                  f"   (labelled {v['labelled']}, predicted {v['predicted']})")
        print("  false-positive rate (flagged share):")
        for k, (rate, n) in c["fp_rate"].items():
            print(f"    {k:<28} {_pct(rate)} %  of {n}")
        print("  confusion (label -> system kind):")
        for lab, row in sorted(c["confusion"].items()):
            print(f"    {lab:<28} " + ", ".join(f"{k}: {v}" for k, v in sorted(row.items())))
        print(f"quote pairs: {q['pairs']} (both mapped to system quotes: {q['both_mapped']})")
        print(f"  same-remark grouping        P {_pct(q['precision'])}  R {_pct(q['recall'])}  F1 {_pct(q['f1'])}"
              f"   (tp {q['tp']}, fp {q['fp']}, fn {q['fn']})")
        print(f"  speaker accuracy of labelled quote spans: {_pct(q['speaker_accuracy'])} % "
              f"({q['spans_mapped']} of {q['spans']} spans mapped to a quote)")
    print()
    print("note: the label mix over-represents contradictions (GUIDE.md §4); precision here is an upper bound.")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the ../shared/data folder")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--split", choices=("all", "tune", "report", "both"), default="both")
    ap.add_argument("--show-misses", action="store_true", help="print every pair the system got wrong")
    ap.add_argument("--dump", help="write per-pair alignment features (JSON lines) for calibration")
    ap.add_argument("--sample-flags", type=int, default=0,
                    help="print N random reported contradictions (labelled or not) for reading")
    ap.add_argument("--cache", help="folder to cache extracted+analysed articles between runs (upstream output only)")
    ap.add_argument("--calibrate", action="store_true",
                    help="fit the alignment weights on the tuning stories and print them (no report)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not args.data.is_dir():
        print(f"no data at {args.data}: the labelled pairs point into ../shared/data; nothing to do")
        return 0
    if args.calibrate:
        return calibrate(args)
    res = run(args)
    splits = ("tune", "report", "all") if args.split == "both" else (args.split,)
    print_report(res, splits)
    if args.show_misses:
        _show_misses(res, args)
    if args.sample_flags:
        import random

        rnd = random.Random(11)
        flagged = res["_flagged"]
        print(f"\n== {min(args.sample_flags, len(flagged))} random reported contradictions (seed 11), to read ==")
        for story, c in rnd.sample(flagged, min(args.sample_flags, len(flagged))):
            print(f"[{c.kind}] {story} score {c.score}")
            print(f"   a: {c.a.attributed_to}: {c.a.text[:160]!r}")
            print(f"   b: {c.b.attributed_to}: {c.b.text[:160]!r}")
            print(f"   evidence: {'; '.join(c.evidence)[:240]}")
    if args.json:
        out = {k: v for k, v in res.items() if not k.startswith("_")}
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


def _show_misses(res, args) -> None:
    sources = SourceTexts(args.data)
    stories = sorted({o.pair.story for o in res["_outcomes"]})
    print("\n== claim pairs the system got wrong ==")
    for o in res["_outcomes"]:
        if args.split in ("tune", "report") and split_of(o.pair.story, stories) != args.split:
            continue
        positive = o.pair.label in CONTRADICTION_KINDS
        right = (o.flagged and o.kind == o.pair.label) if positive else not o.flagged
        if right:
            continue
        print(f"{o.pair.id} [{o.pair.label}] -> {o.kind if o.flagged else 'none'} (mapped {o.mapped_a}/{o.mapped_b})")
        print(f"   a: {sources.span_text(o.pair.a)[:150]!r}")
        print(f"   b: {sources.span_text(o.pair.b)[:150]!r}")
        if o.flagged:
            print(f"   system: {o.sys_a[:100]!r} <-> {o.sys_b[:100]!r}")
            print(f"   evidence: {o.evidence}")
    qstories = sorted({o.pair.story for o in res["_quote_outcomes"]})
    print("\n== quote pairs the system got wrong ==")
    for o in res["_quote_outcomes"]:
        if args.split in ("tune", "report") and split_of(o.pair.story, qstories) != args.split:
            continue
        if o.same == (o.pair.label == "same"):
            continue
        print(f"{o.pair.id} [{o.pair.label}] -> {'same' if o.same else 'different'} (mapped {o.mapped_a}/{o.mapped_b})")
        print(f"   a: {o.pair.a.who}: {sources.span_text(o.pair.a)[:120]!r}")
        print(f"   b: {o.pair.b.who}: {sources.span_text(o.pair.b)[:120]!r}")


if __name__ == "__main__":
    sys.exit(main())
