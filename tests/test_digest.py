"""The digest: timeline (dated events merged across outlets) and the cited summary, on the samples."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def story(sample_articles):
    from storydesk.analyze import analyze_articles
    from storydesk.compare import compare_story

    names = sorted(sample_articles)
    arts = [sample_articles[n] for n in names]
    items = list(zip(arts, analyze_articles(arts)))
    return items, compare_story(items), {n[:3]: a.id for n, a in zip(names, arts)}


def test_timeline_resolves_relative_dates_and_merges_outlets(story):
    from storydesk.digest import build_timeline, timeline_to_dicts

    items, comp, ids = story
    events = build_timeline(items, comp)
    assert events == sorted(events, key=lambda e: e.date)
    # "On Thursday" in Sputnik's Friday 8 Nov article is 7 Nov.
    valdai = [e for e in events if "Valdai" in e.text]
    assert valdai and valdai[0].date == date(2024, 11, 7)
    # Peskov's remark of 7 Nov quoted by 000 and 004 is one event with both articles.
    remark = [e for e in events if e.date == date(2024, 11, 7) and {ids["000"], ids["004"]} <= set(e.article_ids)]
    assert remark
    texts = {a.id: a.text for a, _ in items}
    for e in events:
        for s in e.spans:
            assert texts[s.article_id][s.start:s.end] == s.text
    d = timeline_to_dicts(events)
    assert all({"date", "text", "article_ids"} <= set(x) for x in d)
    assert "2024-11-07" in {x["date"] for x in d}


def test_summary_cites_and_marks_contested(story):
    from storydesk.digest import build_summary, summary_to_dicts

    items, comp, ids = story
    summary = build_summary(items, comp)
    assert 3 <= len(summary) <= 6
    texts = {a.id: a.text for a, _ in items}
    for s in summary:
        assert s.article_ids
        assert any(s.text in texts[a] for a in s.article_ids), s  # extractive, cited
    # The broadest-supported statement comes first and cites two outlets.
    assert len(summary[0].article_ids) >= 2
    contested = [s for s in summary if s.contested]
    assert any("Washington Post" in s.text for s in contested)
    assert any(ids["003"] in s.article_ids and ("denies" in s.text or "conversation" in s.text) for s in contested)
    d = summary_to_dicts(summary)
    assert all({"text", "article_ids"} <= set(x) for x in d)
