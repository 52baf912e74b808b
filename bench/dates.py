"""Benchmark date recognition and normalisation on TimeBank and AQUAINT (TimeML).

Usage:
    .venv/bin/python bench/dates.py [--data PATH] [--errors N] [--json FILE]

Data: the TempEval-3 training release (TBAQ-cleaned) under
``../shared/data/temporal/timebank-tbaq/`` — TIMEX3 annotations with normalised values,
and each document's creation time (the TIMEX3 with ``functionInDocument="CREATION_TIME"``)
used as the publication date. The text fed to :func:`find_dates` is the TEXT element with
its tags stripped; gold offsets are kept into that text.

Scoring (TempEval-3 style, per TIMEX3 type):
- extent: a system mention of the matching kind (``date`` ↔ DATE, ``time`` ↔ TIME,
  ``duration`` ↔ DURATION) and a gold mention are paired one-to-one, greedily by
  overlap; *strict* needs identical offsets, *relaxed* any overlap.
- value (DATE only): a system date mention counts when it overlaps a gold DATE mention
  and its TimeML value string equals the gold value; precision is over all system date
  mentions, recall over all gold DATE mentions. Our mentions map to TimeML as
  ``timex_value`` does (``2024-11-07``, ``2024-11``, ``2024``, ``2024-W45``,
  ``2024-SU``, ``2024-Q1``, ``199``, ``18``; a week-precision "weekend" gets ``-WE``); a vague
  reference (value None, precision None) maps to PRESENT_REF / PAST_REF / FUTURE_REF by
  its direction; any other None value never matches.
- gold values that no calendar date can equal (``XXXX-…``, ``1989-WXX``, ``P1D``, times
  of day like ``…TEV``) stay in the recall denominator: they count as misses in the
  headline figure. A second line ("resolvable gold only") drops those gold mentions and
  the system mentions overlapping them.
- gold week values are zero-padded before comparing (the corpus has both ``2000-W6``
  and ``2000-W06``).

The published reference, HeidelTime ≈ 0.78 value F1, is on the TempEval-3 *platinum*
test set; TimeBank and AQUAINT are the training data, so the figures are not directly
comparable. The rules were developed on these files (no per-document special cases).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "temporal" / "timebank-tbaq"
sys.path.insert(0, str(REPO / "src"))

from storydesk.analyze.dates import find_dates  # noqa: E402
from storydesk.records import DateMention, timex_value  # noqa: E402


@dataclass
class Timex:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass
class Doc:
    name: str
    corpus: str
    text: str
    dct: dt.date
    gold: list[Timex] = field(default_factory=list)


def load(root: Path, corpus: str) -> list[Doc]:
    from lxml import etree

    docs = []
    for path in sorted((root / corpus).glob("*.tml")):
        tree = etree.parse(str(path))
        dct_el = [t for t in tree.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"]
        if not dct_el:
            continue
        dct = dt.date.fromisoformat(dct_el[0].get("value")[:10])
        text_el = tree.find(".//TEXT")
        parts: list[str] = []
        gold: list[Timex] = []
        pos = 0

        def walk(el, pos: int) -> int:
            if el.text:
                parts.append(el.text)
                pos += len(el.text)
            for child in el:
                start = pos
                pos = walk(child, pos)
                if child.tag == "TIMEX3":
                    body = "".join(parts)[start:pos]
                    gold.append(Timex(start, pos, child.get("type"), child.get("value") or "", body))
                if child.tail:
                    parts.append(child.tail)
                    pos += len(child.tail)
            return pos

        walk(text_el, pos)
        docs.append(Doc(path.stem, corpus, "".join(parts), dct, gold))
    return docs


def timeml_value(m: DateMention) -> str | None:
    if m.value is not None:
        v = timex_value(m.value, m.precision)
        if m.precision == "week" and "weekend" in m.text.lower():
            v = f"{v}-WE"
        return v
    if m.kind == "date" and m.precision is None and m.direction:
        return {"past": "PAST_REF", "present": "PRESENT_REF", "future": "FUTURE_REF"}[m.direction]
    return None


def norm_gold(v: str) -> str:
    return re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)


def resolvable(v: str) -> bool:
    return "X" not in v and not v.startswith("P") and "T" not in v.replace("PRESENT", "").replace("FUTURE", "")


def pair(gold: list[tuple[int, int]], system: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) of overlapping spans, largest overlap first."""
    cands = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ss, se) in enumerate(system):
            ov = min(ge, se) - max(gs, ss)
            if ov > 0:
                cands.append((-ov, i, j))
    cands.sort()
    used_g, used_s, out = set(), set(), []
    for _, i, j in cands:
        if i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            out.append((i, j))
    return out


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


KIND = {"DATE": "date", "TIME": "time", "DURATION": "duration", "SET": "set"}


def evaluate(docs: list[Doc], errors: list[dict]) -> dict:
    c = {t: {"gold": 0, "sys": 0, "strict": 0, "relaxed": 0} for t in KIND}
    v = {"gold": 0, "sys": 0, "correct": 0, "recognised": 0,
         "r_gold": 0, "r_sys": 0, "r_correct": 0, "r_recognised": 0}
    for doc in docs:
        mentions = find_dates(doc.text, article_id=doc.name, published=doc.dct, language="en")
        for t, kind in KIND.items():
            gold = [g for g in doc.gold if g.type == t]
            system = [m for m in mentions if m.kind == kind]
            pairs = pair([(g.start, g.end) for g in gold], [(m.start, m.end) for m in system])
            c[t]["gold"] += len(gold)
            c[t]["sys"] += len(system)
            c[t]["relaxed"] += len(pairs)
            c[t]["strict"] += sum(1 for i, j in pairs
                                  if (gold[i].start, gold[i].end) == (system[j].start, system[j].end))
            if t != "DATE":
                continue
            paired_sys = {j: i for i, j in pairs}
            paired_gold = {i: j for i, j in pairs}
            v["gold"] += len(gold)
            v["sys"] += len(system)
            v["r_gold"] += sum(1 for g in gold if resolvable(g.value))
            for j, m in enumerate(system):
                i = paired_sys.get(j)
                if i is not None and not resolvable(gold[i].value):
                    continue  # overlaps an unresolvable gold mention: out of the second figure
                v["r_sys"] += 1
            for i, g in enumerate(gold):
                j = paired_gold.get(i)
                ok_r = resolvable(g.value)
                if j is None:
                    if ok_r:
                        errors.append({"type": "missed", "doc": doc.name, "dct": str(doc.dct), "text": g.text,
                                       "gold": g.value, "context": ctx(doc.text, g.start, g.end)})
                    continue
                v["recognised"] += 1
                v["r_recognised"] += ok_r
                got = timeml_value(system[j])
                if got is not None and got == norm_gold(g.value):
                    v["correct"] += 1
                    v["r_correct"] += ok_r
                elif ok_r:
                    errors.append({"type": "value", "doc": doc.name, "dct": str(doc.dct), "text": system[j].text,
                                   "gold": g.value, "got": got, "context": ctx(doc.text, g.start, g.end)})
            for j, m in enumerate(system):
                if j not in paired_sys:
                    errors.append({"type": "spurious", "doc": doc.name, "dct": str(doc.dct), "text": m.text,
                                   "got": timeml_value(m), "context": ctx(doc.text, m.start, m.end)})
    out: dict = {}
    for t, x in c.items():
        if not x["gold"]:
            continue
        ps, rs = x["strict"] / max(x["sys"], 1), x["strict"] / x["gold"]
        pr, rr = x["relaxed"] / max(x["sys"], 1), x["relaxed"] / x["gold"]
        out[t] = {"gold": x["gold"], "system": x["sys"], "strict_p": ps, "strict_r": rs, "strict_f1": f1(ps, rs),
                  "relaxed_p": pr, "relaxed_r": rr, "relaxed_f1": f1(pr, rr)}
    vp, vr = v["correct"] / max(v["sys"], 1), v["correct"] / max(v["gold"], 1)
    rp, rr_ = v["r_correct"] / max(v["r_sys"], 1), v["r_correct"] / max(v["r_gold"], 1)
    out["DATE"].update({
        "value_p": vp, "value_r": vr, "value_f1": f1(vp, vr),
        "value_accuracy_on_recognised": v["correct"] / max(v["recognised"], 1),
        "resolvable_gold": v["r_gold"], "resolvable_value_p": rp, "resolvable_value_r": rr_,
        "resolvable_value_f1": f1(rp, rr_),
        "resolvable_value_accuracy_on_recognised": v["r_correct"] / max(v["r_recognised"], 1),
    })
    return out


def ctx(text: str, start: int, end: int, width: int = 70) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def throughput(docs: list[Doc], min_seconds: float = 3.0) -> dict:
    """Articles and words per second of find_dates, best of interleaved rounds.

    Other jobs share the machine, so a baseline runs interleaved in the same process: one
    ``re.findall(r"\\w+")`` pass over the same texts. The ratio (find_dates time / baseline
    time) is what to compare across machines and runs.
    """
    words = sum(len(d.text.split()) for d in docs)
    word_re = re.compile(r"\w+")
    best_dates = best_base = float("inf")
    t_end = time.perf_counter() + min_seconds
    while time.perf_counter() < t_end:
        t0 = time.perf_counter()
        for d in docs:
            find_dates(d.text, article_id=d.name, published=d.dct, language="en")
        t1 = time.perf_counter()
        for d in docs:
            word_re.findall(d.text)
        t2 = time.perf_counter()
        best_dates = min(best_dates, t1 - t0)
        best_base = min(best_base, t2 - t1)
    wps = words / best_dates
    return {"articles_per_s": len(docs) / best_dates, "words_per_s": wps,
            "mean_words_per_article": words / len(docs), "articles600_per_s": wps / 600,
            "ratio_to_word_regex_pass": best_dates / best_base}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print N sampled errors of each type")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if not (args.data / "TimeBank").is_dir():
        print(f"TimeML data not found at {args.data} (expected TimeBank/ and AQUAINT/): nothing to measure.")
        return 0
    results: dict = {}
    all_errors: list[dict] = []
    for corpus in ("TimeBank", "AQUAINT"):
        docs = load(args.data, corpus)
        errors: list[dict] = []
        results[corpus] = {"documents": len(docs), **evaluate(docs, errors)}
        all_errors += errors
    timebank = load(args.data, "TimeBank")
    results["throughput_timebank"] = throughput(timebank)

    print("Date expressions on TimeBank / AQUAINT (TempEval-3 *training* data; the HeidelTime")
    print("reference ≈ 0.78 value F1 is on the platinum test set, so not directly comparable)\n")
    print(f"{'corpus':9} {'type':9} {'gold':>5} {'sys':>5} {'strict F1':>9} {'relax F1':>9} "
          f"{'relax P':>8} {'relax R':>8} {'value F1':>9} {'val P':>6} {'val R':>6} {'acc|rec':>7}")
    for corpus in ("TimeBank", "AQUAINT"):
        for t in ("DATE", "TIME", "DURATION", "SET"):
            x = results[corpus].get(t)
            if not x:
                continue
            line = (f"{corpus:9} {t:9} {x['gold']:5d} {x['system']:5d} {x['strict_f1']:9.3f} {x['relaxed_f1']:9.3f} "
                    f"{x['relaxed_p']:8.3f} {x['relaxed_r']:8.3f}")
            if t == "DATE":
                line += f" {x['value_f1']:9.3f} {x['value_p']:6.3f} {x['value_r']:6.3f} {x['value_accuracy_on_recognised']:7.3f}"
            print(line)
    print("\nDATE value, resolvable gold only (gold values with X, P…, or a time of day left out):")
    for corpus in ("TimeBank", "AQUAINT"):
        x = results[corpus]["DATE"]
        print(f"  {corpus:9} gold {x['resolvable_gold']:4d}  value F1 {x['resolvable_value_f1']:.3f} "
              f"(P {x['resolvable_value_p']:.3f} R {x['resolvable_value_r']:.3f}), "
              f"accuracy on recognised {x['resolvable_value_accuracy_on_recognised']:.3f}")
    tp = results["throughput_timebank"]
    print(f"\nThroughput (TimeBank, one process, pure function): {tp['articles_per_s']:.0f} articles/s, "
          f"{tp['words_per_s']:.0f} words/s (≈ {tp['articles600_per_s']:.0f} articles/s of 600 words; "
          f"mean {tp['mean_words_per_article']:.0f} words/article); "
          f"{tp['ratio_to_word_regex_pass']:.1f}x the time of one \\w+ regex pass over the same texts")

    if args.errors:
        rnd = random.Random(args.seed)
        for kind in ("value", "missed", "spurious"):
            errs = [e for e in all_errors if e["type"] == kind]
            print(f"\n--- {kind}: {len(errs)} (showing {min(args.errors, len(errs))})")
            for e in rnd.sample(errs, min(args.errors, len(errs))):
                print(f"  {e['dct']} {e['text']!r} gold={e.get('gold')} got={e.get('got')} :: {e['context']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
