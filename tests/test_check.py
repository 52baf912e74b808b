"""`storydesk check`: each article's stance on a typed claim, on the five real samples."""

from __future__ import annotations

from datetime import date

import pytest

CLAIM = "Putin and Trump spoke by phone on November 7"


@pytest.fixture(scope="module")
def analysed(sample_articles):
    from storydesk.analyze import analyze_articles

    names = sorted(sample_articles)
    arts = [sample_articles[n] for n in names]
    return {n[:3]: (a, f) for n, a, f in zip(names, arts, analyze_articles(arts))}


@pytest.fixture(scope="module")
def stances(analysed):
    from storydesk.compare import check_claim

    items = [analysed[k] for k in sorted(analysed)]
    res = check_claim(CLAIM, items, today=date(2024, 11, 12))
    return dict(zip(sorted(analysed), res))


@pytest.mark.slow
def test_gazzeta_reports_both_sides_so_discusses(stances, analysed):
    r = stances["003"]
    assert r.stance == "discusses", (r.stance, r.reasons)
    assert r.score >= 0.6
    text = analysed["003"][0].text
    ev = [e.text for e in r.evidence]
    assert any("Washington Post" in t for t in ev)
    assert any(("no conversation" in t) or ("fiction" in t) or ("fabrication" in t) or ("denies" in t) for t in ev)
    for e in r.evidence:
        assert text[e.start:e.end] == e.text


@pytest.mark.slow
def test_other_outlets_do_not_mention_the_call(stances):
    for k in ("000", "001", "002", "004"):
        r = stances[k]
        assert r.stance in ("unrelated", "discusses"), (k, r.stance, r.reasons)
        assert r.stance != "supports"
        if r.stance == "discusses":
            assert r.score < stances["003"].score


@pytest.mark.slow
def test_supports_and_contradicts(analysed):
    from storydesk.compare import check_claim

    a, f = analysed["001"]
    [r] = check_claim("Putin congratulated Trump on winning the US presidential election", [(a, f)])
    assert r.stance == "supports", r.reasons
    a3, f3 = analysed["003"]
    [r3] = check_claim("Putin and Trump have had contact after the US election", [(a3, f3)])
    assert r3.stance in ("contradicts", "discusses"), r3.reasons


@pytest.mark.slow
def test_stance_json_shape(stances):
    from storydesk.compare import stance_to_dict

    d = stance_to_dict(stances["003"], with_article_id=False)
    assert set(d) >= {"stance", "score", "evidence"} and "article_id" not in d
    assert all({"text", "start", "end"} <= set(e) for e in d["evidence"])
    d2 = stance_to_dict(stances["000"])
    assert d2["article_id"] == stances["000"].article_id


def test_empty_claim_is_an_error():
    from storydesk.compare import check_claim

    with pytest.raises(ValueError):
        check_claim("   ", [])


@pytest.mark.slow
def test_sputnik_trump_not_yet_spoken_bears_on_the_call(stances):
    # "Trump told NBC News that he had not yet spoken with Putin": relevant to the claim
    # (at least discusses it); "on November 7" dates the talk, it names no topic.
    r = stances["001"]
    assert r.stance in ("discusses", "contradicts"), (r.stance, r.reasons)
    assert any("not yet spoken" in e.text for e in r.evidence)
