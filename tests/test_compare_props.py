"""Property tests: every claim, quote group, claim group, contradiction and copy the compare
stage outputs carries an article id and offsets that slice that article's text, on the
samples and on random perturbations of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storydesk.compare import SentenceEncoder, compare_story, extract_claims
from storydesk.records import Article, RawDocument

SAMPLES = Path(__file__).resolve().parents[1] / "examples" / "kremlin-trump-2024"
RAW = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}


def _check_spans(comp, texts: dict[str, str]) -> None:
    for aid, claims in comp.claims.items():
        for c in claims:
            assert c.article_id == aid and texts[aid][c.start:c.end] == c.text
    for g in comp.quote_groups:
        for m in g.members:
            assert texts[m.article_id][m.start:m.end] == m.text
    for g in comp.claim_groups:
        for m in g.members:
            assert texts[m.article_id][m.start:m.end] == m.text
        assert set(g.stances) == set(texts)
    for c in comp.contradictions:
        for s in (c.a, c.b):
            assert texts[s.article_id][s.start:s.end] == s.text
    for p in comp.copies:
        for s in (p.copy, p.original):
            assert texts[s.article_id][s.start:s.end] == s.text
    for o in comp.omissions:
        assert o.article_id in texts


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_extract_claims_slices_any_text(text):
    a = Article(id="x", source="x", text=text, language="en")
    for c in extract_claims(a):
        assert text[c.start:c.end] == c.text
        if c.content_start is not None:
            assert text[c.content_start:c.content_end]


_perturb = st.tuples(
    st.sampled_from(sorted(RAW)),
    st.sampled_from(sorted(RAW)),
    st.lists(st.sampled_from(["drop", "dup", "swap", "noise", "quotes"]), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
)


def _mutate(text: str, ops, rnd) -> str:
    paras = [p for p in text.split("\n\n") if p.strip()]
    for op in ops:
        if not paras:
            break
        i = rnd.randrange(len(paras))
        if op == "drop" and len(paras) > 2:
            paras.pop(i)
        elif op == "dup":
            paras.insert(i, paras[i])
        elif op == "swap":
            j = rnd.randrange(len(paras))
            paras[i], paras[j] = paras[j], paras[i]
        elif op == "noise":
            paras[i] = paras[i].replace(" ", "  ", 3) + " \u00a0Share"
        elif op == "quotes":
            paras[i] = paras[i].replace('"', "\u201c", 1).replace("'", "\u2019")
    return "\n\n".join(paras)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_perturb)
def test_story_outputs_slice_articles_under_perturbation(params):
    from storydesk.analyze import analyze_articles
    from storydesk.extract import extract_document

    n1, n2, ops, rnd = params
    arts = []
    for k, name in enumerate(dict.fromkeys([n1, n2, "003"])):
        body = _mutate(RAW[name], ops, rnd) if k == 0 else RAW[name]
        a = extract_document(RawDocument(source=f"p{k}.txt", body=body, format="text"))
        if isinstance(a, Article):
            arts.append(a)
    if len({a.id for a in arts}) < len(arts):
        return
    facts = analyze_articles(arts)
    comp = compare_story(list(zip(arts, facts)), encoder=SentenceEncoder("none"), parse=False)
    _check_spans(comp, {a.id: a.text for a in arts})


@pytest.mark.slow
def test_story_outputs_slice_articles_on_samples(sample_articles):
    from storydesk.analyze import analyze_articles

    arts = [sample_articles[n] for n in sorted(sample_articles)]
    comp = compare_story(list(zip(arts, analyze_articles(arts))), encoder=SentenceEncoder("none"))
    _check_spans(comp, {a.id: a.text for a in arts})
