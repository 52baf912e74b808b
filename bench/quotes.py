"""Quote extraction quality on PolNeAR (real US political news, brat attribution annotations).

Usage:
    .venv/bin/python bench/quotes.py [--data ../shared/data/quotes/polnear] [--split dev|train]
        [--mode fast|full] [--limit N] [--errors N] [--json FILE]

What is measured (printed with the figures):

* Gold: every PolNeAR attribution with a Content span (Source, Cue, Content by character
  offset). Articles annotated by several annotators use the first annotation file in
  name order. Iterate on ``--split train``; report ``--split dev``.
* Content overlap (GenderGapTracker-style): word tokens (``\\w+``; punctuation ignored) of
  the gold content covered by the prediction divided by the gold content's tokens;
  a gold attribution is found when its best still-unmatched prediction reaches the
  threshold (0.3 and 0.8). Each prediction matches at most one gold item. The stricter
  Jaccard (intersection / union) is printed too.
* Speaker accuracy on matched quotes (@0.3), over gold items that have a Source span:
  correct when the predicted speaker mention overlaps the gold Source span, or the
  predicted canonical speaker's surname occurs in the gold Source text (floating quotes
  point at the speaker's earlier mention).
* Subsets: ``direct`` = gold content enclosed in quotation marks (two apostrophes, as in
  the NYT texts, count as one mark); ``indirect`` = the rest;
  ``speech`` = attributions whose cue contains a verb of saying/telling/writing from the
  fixed list below, or "according to", or whose content is quoted. PolNeAR also
  annotates beliefs, intentions, evaluations and polls ("think", "praised", "polls
  show"), which a who-said-what extractor deliberately does not produce: the ``all``
  row counts them as misses. Subset precision counts unmatched predictions of the
  corresponding kind (all quotes for ``speech``; ``direct`` quotes for ``direct``;
  indirect/mixed for ``indirect``) and leaves out predictions matched to gold items of
  another subset.
* ``ind-speech`` = indirect speech: ``indirect`` attributions in the ``speech`` subset
  (cue a verb of saying or "according to"). With ``direct`` (always speech) it splits
  the ``speech`` row into the two halves the published figures are comparable to.
  Its precision counts unmatched indirect/mixed predictions.

Published references (other corpora, same style of metric): GenderGapTracker quote F1
83.7 at 0.3 overlap with speaker accuracy 86.5 %; BBC Citron 83.2 overlap F1 on PARC 3.0.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.analyze import analyze_articles  # noqa: E402
from storydesk.records import Article, Paragraph  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "quotes" / "polnear"
# Word tokens only: punctuation (quote marks, the comma before "he said") carries no
# content, and PolNeAR's content spans include quote marks our spec excludes.
TOKEN_RE = re.compile(r"\w+")
QUOTE_CHARS = "\"“”«»„‘’"

# Verbs of saying/telling/writing that report a proposition (the "speech" subset).
SPEECH_VERBS = frozenset(
    """say tell add note explain state announce claim insist argue warn stress emphasize emphasise
    confirm deny suggest write tweet post report reply respond answer recall acknowledge admit concede
    declare assert maintain contend comment remark observe mention reveal disclose indicate predict
    allege complain counter retort conclude testify clarify reiterate repeat underline underscore
    highlight signal hint joke quip boast caution charge affirm inform remind assure ask inquire
    wonder demand propose recommend vow pledge promise threaten urge continue according""".split()
)
_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write"}


def _lemma(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in SPEECH_VERBS:
        return w
    for suf, rep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("d", "")):
        if w.endswith(suf) and w[: -len(suf)] + rep in SPEECH_VERBS:
            return w[: -len(suf)] + rep
    return w


def load_split(data: Path, split: str) -> list[tuple[Article, list[dict]]]:
    """Read PolNeAR articles and gold attributions of a split."""
    meta = {}
    with open(data / "metadata.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    anns: dict[str, Path] = {}
    for p in sorted((data / split / "attributions").glob("*.ann")):
        base = p.stem.rsplit("_", 1)[0]
        anns.setdefault(base, p)
    out = []
    for base, ann in sorted(anns.items()):
        tp = data / split / "text" / f"{base}.txt"
        if not tp.exists():
            continue
        text = tp.read_text(encoding="utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        rels = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or not re.match(r"^[TE]\d+$", parts[0]):
                continue
            if parts[0][0] == "T":
                typ, _, rest = parts[1].partition(" ")
                try:
                    sp = [tuple(map(int, x.split())) for x in rest.split(";")]
                except ValueError:
                    continue
                spans[parts[0]] = (typ, sp)
            else:
                rels.append(dict(r.split(":", 1) for r in parts[1].split() if ":" in r))
        gold = []
        for r in rels:
            c = spans.get(r.get("Content", ""))
            if c is None:
                continue
            src = spans.get(r.get("Source", ""), (None, []))[1]
            cue = spans.get(r.get("Cue", ""), (None, []))[1]
            gold.append({"content": c[1], "source": src, "cue": cue})
        m = meta.get(base, {})
        try:
            published = date.fromisoformat(m.get("publication_date", ""))
        except ValueError:
            published = None
        paras, pos = [], 0
        for pm in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
            paras.append(Paragraph(pm.start(), pm.end(), "en"))
            pos = pm.end()
        art = Article(id=base, source=str(tp), text=text, title=m.get("title") or None, published=published,
                      language="en", paragraphs=tuple(paras))
        out.append((art, gold))
    return out


def _toks(text: str, spans) -> set[int]:
    s: set[int] = set()
    for a, b in spans:
        for m in TOKEN_RE.finditer(text, a, b):
            s.add(m.start())
    return s


def _categories(text: str, g: dict) -> list[str]:
    c = g["content"]
    a, b = c[0][0], c[-1][1]
    # NYT archive texts write quotation marks as two apostrophes ('' ... ''): one mark
    inner = text[a:b].strip().replace("''", '"')
    before = text[max(0, a - 3) : a].replace("''", '"').strip()[-1:]
    after = text[b : b + 3].replace("''", '"').strip()[:1]
    direct = bool(inner) and (inner[0] in QUOTE_CHARS or before in QUOTE_CHARS) and (inner[-1] in QUOTE_CHARS or after in QUOTE_CHARS or inner.rstrip(".,")[-1:] in QUOTE_CHARS)
    cue = " ".join(text[x:y] for x, y in g["cue"])
    speech = direct or any(_lemma(w) in SPEECH_VERBS for w in re.findall(r"[A-Za-z]+", cue))
    cats = ["all", "direct" if direct else "indirect"]
    if speech:
        cats.append("speech")
        if not direct:
            cats.append("ind-speech")
    return cats


def _speaker_ok(text: str, q, g: dict) -> bool:
    src = g["source"]
    if q.speaker_start is not None and any(q.speaker_start < b and a < q.speaker_end for a, b in src):
        return True
    if q.speaker:
        src_text = " ".join(text[a:b] for a, b in src)
        words = [w for w in re.findall(r"[A-Z][\w’'-]+", q.speaker)]
        if words and re.search(r"\b" + re.escape(words[-1]) + r"\b", src_text):
            return True
    return False


def evaluate(pairs, facts, thresholds=(0.3, 0.8), errors: list | None = None):
    """Score predictions against gold; returns nested dict of counts and figures."""
    cats = ("all", "speech", "direct", "indirect", "ind-speech")
    c = {k: {"gold": 0, "spk_n": 0, "spk_ok": 0, **{f"tp{t}": 0 for t in thresholds}, **{f"fp{t}": 0 for t in thresholds},
             **{f"jtp{t}": 0 for t in thresholds}} for k in cats}
    for (art, gold), f in zip(pairs, facts):
        text = art.text
        preds = [(q, _toks(text, q.parts or [(q.start, q.end)])) for q in f.quotes]
        gcats = [(g, _toks(text, g["content"]), _categories(text, g)) for g in gold]
        for g, gt, gc in gcats:
            for k in gc:
                c[k]["gold"] += 1
        for t in thresholds:
            for jacc in (False, True):
                used: dict[int, list[str]] = {}
                for g, gt, gc in gcats:
                    if not gt:
                        continue
                    best, bs = None, 0.0
                    for pi, (q, pt) in enumerate(preds):
                        if pi in used:
                            continue
                        inter = len(gt & pt)
                        ov = inter / len(gt | pt) if jacc else inter / len(gt)
                        if ov >= t and ov > bs:
                            best, bs = pi, ov
                    if best is None:
                        if errors is not None and t == thresholds[0] and not jacc:
                            errors.append(("MISS", art.id, "/".join(gc[1:]), _snip(text, g["content"]), _snip(text, g["source"]), _snip(text, g["cue"])))
                        continue
                    used[best] = gc
                    for k in gc:
                        c[k][("jtp" if jacc else "tp") + str(t)] += 1
                    if t == thresholds[0] and not jacc:
                        q = preds[best][0]
                        if g["source"]:
                            ok = _speaker_ok(text, q, g)
                            for k in gc:
                                c[k]["spk_n"] += 1
                                c[k]["spk_ok"] += ok
                            if errors is not None and not ok:
                                errors.append(("SPEAKER", art.id, q.kind, q.text[:120], f"pred={q.speaker!r} mention={_snip(text, [(q.speaker_start, q.speaker_end)]) if q.speaker_start is not None else None}", f"gold={_snip(text, g['source'])}"))
                if jacc:
                    continue
                for pi, (q, _) in enumerate(preds):
                    if pi in used:
                        continue
                    c["all"]["fp" + str(t)] += 1
                    c["speech"]["fp" + str(t)] += 1
                    c["direct" if q.kind == "direct" else "indirect"]["fp" + str(t)] += 1
                    if q.kind != "direct":
                        c["ind-speech"]["fp" + str(t)] += 1
                    if errors is not None and t == thresholds[0]:
                        errors.append(("EXTRA", art.id, q.kind, q.text[:160], f"speaker={q.speaker!r}", f"cue={q.cue!r}"))
    return c


def _snip(text: str, spans) -> str:
    return " | ".join(text[a:b] for a, b in spans if a is not None)[:160]


def figures(c: dict, thresholds=(0.3, 0.8)) -> dict:
    out = {}
    for k, v in c.items():
        row = {"gold": v["gold"]}
        for t in thresholds:
            tp, fp, g = v[f"tp{t}"], v[f"fp{t}"], v["gold"]
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / g if g else 0.0
            row[f"P@{t}"] = p
            row[f"R@{t}"] = r
            row[f"F1@{t}"] = 2 * p * r / (p + r) if p + r else 0.0
            jtp = v[f"jtp{t}"]
            jp = jtp / (jtp + fp + (tp - jtp)) if jtp + fp + (tp - jtp) else 0.0
            jr = jtp / g if g else 0.0
            row[f"F1j@{t}"] = 2 * jp * jr / (jp + jr) if jp + jr else 0.0
        row["speaker_acc"] = v["spk_ok"] / v["spk_n"] if v["spk_n"] else 0.0
        row["speaker_n"] = v["spk_n"]
        out[k] = row
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--mode", default="fast", choices=["fast", "full"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0, help="print N sampled errors (use on train)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data / args.split / "attributions").is_dir():
        print(f"PolNeAR data not found at {args.data} (expected {args.split}/attributions); nothing to measure.")
        return 0
    pairs = load_split(args.data, args.split)
    if args.limit:
        pairs = pairs[: args.limit]
    t0 = time.perf_counter()
    facts = analyze_articles([a for a, _ in pairs], mode=args.mode)
    dt = time.perf_counter() - t0
    errors: list | None = [] if args.errors else None
    fig = figures(evaluate(pairs, facts, errors=errors))
    print(f"PolNeAR {args.split}: {len(pairs)} articles, {sum(len(g) for _, g in pairs)} gold attributions, "
          f"{sum(len(f.quotes) for f in facts)} predicted quotes; mode={args.mode}; {dt:.1f}s")
    print("overlap = |gold word tokens covered| / |gold word tokens| (GGT-style); F1j = same with Jaccard overlap")
    print(f"{'subset':10} {'gold':>5} {'P@0.3':>6} {'R@0.3':>6} {'F1@0.3':>7} {'P@0.8':>6} {'R@0.8':>6} {'F1@0.8':>7} {'F1j@0.3':>8} {'F1j@0.8':>8} {'speaker':>8}")
    for k in ("all", "speech", "direct", "indirect", "ind-speech"):
        r = fig[k]
        print(f"{k:10} {r['gold']:5d} {100*r['P@0.3']:6.1f} {100*r['R@0.3']:6.1f} {100*r['F1@0.3']:7.1f} {100*r['P@0.8']:6.1f} "
              f"{100*r['R@0.8']:6.1f} {100*r['F1@0.8']:7.1f} {100*r['F1j@0.3']:8.1f} {100*r['F1j@0.8']:8.1f} {100*r['speaker_acc']:7.1f}%")
    print("references: GenderGapTracker F1@0.3 83.7, speaker 86.5% (own corpus); Citron 83.2 overlap F1 (PARC 3.0)")
    if errors:
        rnd = random.Random(0)
        rnd.shuffle(errors)
        print(f"\n{args.errors} sampled errors of {len(errors)}:")
        for e in errors[: args.errors]:
            print("  " + " :: ".join(str(x) for x in e))
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "mode": args.mode, "articles": len(pairs), "figures": fig}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
