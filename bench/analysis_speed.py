"""Speed of the analyze stage (articles/s, words/s), where the time goes, and what the
fast NER selection costs in entity quality against running NER on every sentence.

Usage:
    .venv/bin/python bench/analysis_speed.py [--data ../shared/data/quotes/polnear]
        [--articles 300] [--json FILE]

English: real articles — PolNeAR train/dev texts (US political news, ~575 words each)
plus the five sample articles. Russian: there is no Russian news corpus in shared/;
the figure is measured on the real Russian news paragraphs shipped in the installed
natasha and slovnet packages' descriptions (Lenta.ru-style excerpts, ~200 words each,
read through importlib.metadata) plus the Russian headline of sample 003, repeated to
make a batch — stated in the output. Timings are single-process CPU time (other jobs on this
2-core machine make wall time measure the queue); wall time is printed too, and a
same-process baseline (spaCy's full en_core_web_sm pipeline on the same texts) as a ratio.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk import analyze as A  # noqa: E402
from storydesk.records import Article, Paragraph  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "quotes" / "polnear"


def english_articles(data: Path, n: int) -> list[Article]:
    """PolNeAR texts (train then dev) and the sample articles, as Article records."""
    arts: list[Article] = []
    for split in ("train", "dev"):
        d = data / split / "text"
        if not d.is_dir():
            continue
        for p in sorted(d.glob("*.txt")):
            arts.append(_article(p.stem, p.read_text(encoding="utf-8"), "en"))
    arts = arts[:n]
    for p in sorted((ROOT / "examples" / "kremlin-trump-2024").glob("*.txt")):
        text = re.sub(r"</?u>", "", p.read_text(encoding="utf-8"))
        text = "\n\n".join(x.strip() for x in re.split(r"\n+", text) if x.strip())
        arts.append(_article(p.stem, text, "en"))
    return arts


def russian_articles() -> tuple[list[Article], str]:
    """Real Russian news text available offline, and a description of it."""
    texts = []
    for pkg in ("natasha", "slovnet"):
        try:
            desc = md.metadata(pkg).get_payload() or ""
        except md.PackageNotFoundError:
            continue
        texts += re.findall(r">>> text = '([^']{200,})'", desc)
    sample = ROOT / "examples" / "kremlin-trump-2024" / "003_e3eea6efc90623fd.txt"
    if sample.exists():
        texts += [line for line in sample.read_text(encoding="utf-8").splitlines() if re.search("[а-я]{4}", line)]
    note = f"{len(texts)} real Russian news texts (natasha/slovnet package descriptions + sample 003 headline), repeated"
    return [_article(f"ru{i}", t, "ru") for i, t in enumerate(texts)], note


def _article(aid: str, text: str, lang: str) -> Article:
    paras = [Paragraph(m.start(), m.end(), lang) for m in re.finditer(r"[^\n]+", text)]
    return Article(id=aid, source=aid, text=text, language=lang, paragraphs=tuple(paras))


def words(arts) -> int:
    return sum(len(a.text.split()) for a in arts)


def timed(fn, *args, **kw):
    """Run ``fn``; return its result and the CPU seconds this process spent in it.

    CPU time, not wall time: other jobs share this 2-core machine, and while they run
    wall time measures the queue, not the code. (Wall time is printed alongside.)
    """
    t = time.process_time()
    out = fn(*args, **kw)
    return out, time.process_time() - t


def timed_wall(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def phases(arts) -> dict[str, float]:
    """Time each phase of analyze_articles separately (same code path, split open)."""
    t = {}
    preps, t["prepare (segment, gazetteer, candidates)"] = timed(lambda: [A._prepare(a, "fast") for a in arts])
    _, t["spaCy NER on selected spans"] = timed(A._run_english_ner, preps)
    _, t["natasha (ru)"] = timed(A._run_russian_ner, preps)
    from storydesk.analyze.dates import find_dates

    _, t["dates (find_dates)"] = timed(lambda: [find_dates(p.article.text, article_id=p.article.id, published=p.article.published,
                                                          language=p.article.language, sentences=[(s, e) for s, e, _ in p.sentences]) for p in preps])
    _, fin = timed(lambda: [A._finish(p) for p in preps])
    t["finish: entities + quotes + speakers (excl. dates)"] = max(0.0, fin - t["dates (find_dates)"])
    return t


def entity_agreement(fast, full) -> dict:
    """Mentions (span + label) and entity ids of fast mode against NER-on-every-sentence."""
    out = {}
    for label in ("PERSON", "ORG", "PLACE", "all"):
        tp = nf = nu = 0
        ids_f = ids_u = ids_both = 0
        for a, b in zip(fast, full):
            fs = {(e.start, e.end) for e in a.entities if label in ("all", e.label)}
            us = {(e.start, e.end) for e in b.entities if label in ("all", e.label)}
            tp += len(fs & us)
            nf += len(fs)
            nu += len(us)
            fi = {e.entity_id for e in a.entities if label in ("all", e.label)}
            ui = {e.entity_id for e in b.entities if label in ("all", e.label)}
            ids_both += len(fi & ui)
            ids_f += len(fi)
            ids_u += len(ui)
        out[label] = {
            "mention_recall": tp / nu if nu else 1.0, "mention_precision": tp / nf if nf else 1.0,
            "entity_recall": ids_both / ids_u if ids_u else 1.0, "full_mentions": nu,
        }
    qa = sum(len(x.quotes) for x in fast)
    qb = sum(len(x.quotes) for x in full)
    same = sum(len({(q.start, q.end, q.speaker_id) for q in x.quotes} & {(q.start, q.end, q.speaker_id) for q in y.quotes}) for x, y in zip(fast, full))
    out["quotes"] = {"fast": qa, "full": qb, "same_span_and_speaker": same}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--articles", type=int, default=300, help="PolNeAR articles to use (plus the 5 samples)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    en = english_articles(args.data, args.articles)
    if len(en) <= 5:
        print(f"note: PolNeAR not found at {args.data}; English figures use the 5 sample articles only")
    report: dict = {}
    # warm-up: load models and caches outside the timings
    A.analyze_articles(en[:3])
    A.analyze_articles(en[:3], mode="full")
    (fast, dt), wall = timed_wall(timed, A.analyze_articles, en)
    w = words(en)
    report["en_fast"] = {"articles": len(en), "words": w, "cpu_seconds": dt, "wall_seconds": wall,
                         "articles_per_s": len(en) / dt, "words_per_s": w / dt,
                         "wall_articles_per_s": len(en) / wall, "articles_per_s_at_600_words": (w / dt) / 600}
    sub = en[: min(len(en), 80)]
    from storydesk.models import spacy_english

    nlp = spacy_english()
    _, base_dt = timed(lambda: list(nlp.pipe([a.text for a in sub], batch_size=32)))
    _, sub_fast_dt = timed(A.analyze_articles, sub)
    full_sub, full_dt = timed(A.analyze_articles, sub, mode="full")
    report["baseline_spacy_full_pipeline"] = {"articles": len(sub), "words_per_s": words(sub) / base_dt,
                                              "articles_per_s": len(sub) / base_dt}
    report["en_full_mode"] = {"articles": len(sub), "articles_per_s": len(sub) / full_dt, "words_per_s": words(sub) / full_dt}
    report["speedup_vs_spacy_full"] = base_dt / sub_fast_dt
    report["phases_en"] = phases(en)
    report["entity_quality_fast_vs_full"] = entity_agreement(fast[: len(sub)], full_sub)
    ru, ru_note = russian_articles()
    if ru:
        batch = (ru * (60 // len(ru) + 1))[:60]
        A.analyze_articles(batch[:2])
        _, rdt = timed(A.analyze_articles, batch)  # CPU seconds
        report["ru_fast"] = {"articles": len(batch), "words": words(batch), "seconds": rdt,
                             "articles_per_s": len(batch) / rdt, "words_per_s": words(batch) / rdt, "measured_on": ru_note}
    # ---- print
    e = report["en_fast"]
    print(f"English ({e['articles']} real articles, {e['words'] / e['articles']:.0f} words avg): "
          f"{e['articles_per_s']:.1f} articles/s, {e['words_per_s']:.0f} words/s per CPU-second "
          f"(= {e['articles_per_s_at_600_words']:.1f} articles/s of 600 words; fast mode, one process); "
          f"wall clock on this shared machine: {e['wall_articles_per_s']:.1f} articles/s")
    b = report["baseline_spacy_full_pipeline"]
    print(f"  baseline spaCy en_core_web_sm full pipeline, same process: {b['words_per_s']:.0f} words/s "
          f"({b['articles_per_s']:.1f} articles/s); analyze fast mode is {report['speedup_vs_spacy_full']:.1f}x faster")
    f = report["en_full_mode"]
    print(f"  analyze with NER on every sentence (mode=full): {f['articles_per_s']:.1f} articles/s, {f['words_per_s']:.0f} words/s")
    total = sum(report["phases_en"].values())
    print("  where the time goes (fast mode):")
    for k, v in report["phases_en"].items():
        print(f"    {k:52} {1000 * v / len(en):6.1f} ms/article  {100 * v / total:5.1f} %")
    q = report["entity_quality_fast_vs_full"]
    print(f"  entity quality of fast mode against NER on every sentence ({len(sub)} articles):")
    for k in ("PERSON", "ORG", "PLACE", "all"):
        r = q[k]
        print(f"    {k:7} mention recall {100 * r['mention_recall']:5.1f} %  precision {100 * r['mention_precision']:5.1f} %  "
              f"entity recall {100 * r['entity_recall']:5.1f} %  ({r['full_mentions']} mentions in full mode)")
    qq = q["quotes"]
    print(f"    quotes: fast {qq['fast']}, full {qq['full']}, same span and speaker id {qq['same_span_and_speaker']}")
    if "ru_fast" in report:
        r = report["ru_fast"]
        print(f"Russian: {r['articles_per_s']:.1f} articles/s, {r['words_per_s']:.0f} words/s — measured on {r['measured_on']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
