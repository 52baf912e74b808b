"""The five real sample articles: every title, date, outlet and language exactly right,
no boilerplate left, no paragraph duplicated. Expectations live in fixtures/samples_expected.json."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from storydesk.extract import clean_text
from storydesk.records import Article

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "samples_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_exact(sample_articles, name):
    a = sample_articles[name]
    exp = EXPECTED[name]
    assert isinstance(a, Article), a
    assert a.title == exp["title"]
    assert a.published == (date.fromisoformat(exp["published"]) if exp["published"] else None)
    assert (a.published_at.isoformat() if a.published_at else None) == exp["published_at"]
    assert a.outlet == exp["outlet"]
    assert a.language == exp["language"]
    assert a.url == exp["url"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_clean_text(sample_articles, name):
    a = sample_articles[name]
    exp = EXPECTED[name]
    assert len(a.paragraphs) == exp["paragraphs"]
    first = a.text[a.paragraphs[0].start:a.paragraphs[0].end]
    assert first.startswith(exp["first_paragraph_starts"])
    for s in exp["must_contain"]:
        assert s in a.text, s
    for s in exp["must_not_contain"]:
        assert s not in a.text, s
    for s in exp.get("exactly_once", []):
        assert a.text.count(s) == 1, s


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_paragraph_repeated(sample_articles, name):
    a = sample_articles[name]
    paragraphs = [a.text[p.start:p.end] for p in a.paragraphs]
    keys = [" ".join(re.findall(r"\w+", p.casefold())) for p in paragraphs]
    assert len(set(keys)) == len(keys)
    for i, p in enumerate(paragraphs):
        for q in paragraphs[i + 1:]:
            if min(len(p), len(q)) >= 80:
                assert fuzz.token_sort_ratio(p, q) < 85, (p[:60], q[:60])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_paragraph_offsets_and_languages(sample_articles, name):
    a = sample_articles[name]
    exp = EXPECTED[name]
    joined = "\n\n".join(a.text[p.start:p.end] for p in a.paragraphs)
    assert joined == a.text
    for prefix, lang in exp["paragraph_languages"].items():
        para = next(p for p in a.paragraphs if a.text[p.start:p.end].startswith(prefix))
        assert para.language == lang, prefix


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_clean_text_is_stable_on_article_text(sample_articles, name):
    a = sample_articles[name]
    assert clean_text(a.text) == a.text


def test_provenance_explains_metadata(sample_articles):
    a = sample_articles["004_d7db726c88ae4a2e.txt"]
    assert a.provenance["published"].startswith("date line")
    assert "themoscowtimes.com" in a.provenance["outlet"]
    b = sample_articles["002_551d985400b7ffce.txt"]
    assert "RT News" in b.provenance["outlet"]
    assert "published" not in b.provenance  # no date in the text: none invented


def test_ids_are_content_hashes(sample_articles):
    ids = {a.id for a in sample_articles.values()}
    assert len(ids) == 5
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)
