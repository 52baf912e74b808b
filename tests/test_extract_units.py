"""The pieces of extraction on real lines from the samples and news pages, plus invariants."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storydesk.extract import clean_text, content_id, extract_document
from storydesk.extract.boilerplate import classify
from storydesk.extract.header import headline_like, parse_header
from storydesk.extract.html import clean_title
from storydesk.extract.normalize import normalize_text
from storydesk.extract.outlet import dateline_agency, repair_url
from storydesk.extract.paragraphs import dedupe_paragraphs, split_blocks, split_paragraphs
from storydesk.extract.pubdate import date_from_url, find_dates_in_line, is_date_line, parse_date_value, split_trailing_timestamp
from storydesk.records import RawDocument, Rejection


@pytest.mark.parametrize("line, expected", [
    ("Thursday, November 7, 2024 2:21:13 PM", date(2024, 11, 7)),
    ("10:31 GMT 08.11.2024 (Updated: 10:32 GMT 08.11.2024)", date(2024, 11, 8)),
    ("November 07, 2024", date(2024, 11, 7)),
    ("Friday06 December 2024", date(2024, 12, 6)),
    ("8 ноября 2024, 14:20", date(2024, 11, 8)),
    ("20 січня 2025 р.", date(2025, 1, 20)),
    ("Updated: 2017-09-15 17:52", date(2017, 9, 15)),
    ("Nov. 7th, 2024", date(2024, 11, 7)),
    ("07.11.2024", date(2024, 11, 7)),
])
def test_date_lines(line, expected):
    assert is_date_line(line)
    assert find_dates_in_line(line)[0].day == expected


def test_time_with_zone_gives_an_instant():
    found = find_dates_in_line("10:31 GMT 08.11.2024 (Updated: 10:32 GMT 08.11.2024)")[0]
    assert found.instant == datetime(2024, 11, 8, 10, 31, tzinfo=timezone.utc)
    msk = find_dates_in_line("08.11.2024 13:31 MSK")[0]
    assert msk.instant == datetime(2024, 11, 8, 13, 31, tzinfo=timezone(timedelta(hours=3)))


@pytest.mark.parametrize("line", [
    "A presidential election took place in the United States on November 5.",
    "Trump, who served as the US president from 2017-2021, was declared the winner.",
    "The Electoral College will vote on December 17, 2024 in every state capital.",
    "Russia Remains Ready for Contacts With Trump, But No Details Yet - Kremlin",
])
def test_prose_is_not_a_date_line(line):
    assert not is_date_line(line)


def test_title_glued_to_timestamp():
    title, found = split_trailing_timestamp(
        "Kremlin: Putin open to talks with Trump, no plans to engage with outgoing President Biden Thursday, November 7, 2024 2:21:13 PM")
    assert title == "Kremlin: Putin open to talks with Trump, no plans to engage with outgoing President Biden"
    assert found.day == date(2024, 11, 7)


def test_headline_vs_lead_sentence():
    lead = ("Russian President Vladimir Putin is open to direct talks with US President-elect Donald Trump, "
            "but no specific details have yet been finalized, Kremlin spokesman Dmitry Peskov has said.")
    assert not headline_like(lead, alone=True)
    assert headline_like("Pure fiction: The Kremlin claims that Putin and Trump have not spoken since the US elections.", alone=True)
    assert not headline_like("Pure fiction: The Kremlin claims that Putin and Trump have not spoken since the US elections.", alone=False)
    assert headline_like("Russia Remains Ready for Contacts With Trump, But No Details Yet - Kremlin", alone=False)


def test_header_without_headline_keeps_the_lead():
    text = ("Russian President Vladimir Putin is open to direct talks, Kremlin spokesman Dmitry Peskov has said.\n"
            "Previously, Trump announced that a meeting with Putin is being set up.")
    header, body = parse_header(split_blocks(normalize_text(text)))
    assert header.title is None and len(body) == 2


@pytest.mark.parametrize("paragraph, reason", [
    ("Share", "widget label"),
    ("Comments", "widget label"),
    ("Please enable JavaScript to view the comments powered by Disqus.", "site notice"),
    ("Related article: 3 Ways Trump's Victory Will Impact the Russian Economy", "related-article link"),
    ("Kremlin spokesman Dmitry Peskov. Arthur Novosiltsev / Moskva News Agency", "image caption with credit"),
    ("Credit: RT News", "credit line"),
    ("Original url:", "original url line"),
    ("https://www.themoscowtimes.com/2024/11/07/kremlin-hints-at-possible-put in-trump-call-before-january-inauguration-a86938", "bare url"),
    ("© 2024 Reuters. All rights reserved.", "copyright notice"),
])
def test_furniture(paragraph, reason):
    verdict = classify(paragraph)
    assert verdict is not None and verdict.reason == reason


@pytest.mark.parametrize("paragraph", [
    '"The information is unreliable," the Kremlin spokesperson briefly confirmed.',
    "He further stated that no discussion between Putin and Biden is planned as Biden transitions out of office.",
    "According to reporting by the Wall Street Journal, advisers in Trump's transition team have put forward several proposals.",
    "Commenting on the possibility of phone talks between Putin and Orban, the official said that any phone conversation can be quickly agreed upon if necessary.",
    "Share prices fell 3% on Monday after the announcement.",
])
def test_article_text_is_not_furniture(paragraph):
    assert classify(paragraph) is None


def test_broken_line_rejoined():
    paras = split_paragraphs("Republican candidate Donald Trump\n, who served as the US president from 2017-2021, was declared the winner.")
    assert paras == ["Republican candidate Donald Trump, who served as the US president from 2017-2021, was declared the winner."]


def test_site_line_not_glued_to_date_line():
    blocks = split_blocks("Friday06 December 2024\ngazzeta.in.ua\n\nPure fiction: headline.")
    assert blocks[0] == ["Friday06 December 2024", "gazzeta.in.ua"]


def test_inline_tags_and_odd_spaces():
    assert normalize_text("Peskov <u>said</u>\u00a0Thursday.\u200b") == "Peskov said Thursday."
    assert normalize_text("on January 20.There are no") == "on January 20. There are no"
    assert normalize_text("the U.S.President") == "the U.S.President"


def test_teaser_paragraph_removed_body_kept():
    body = [
        "Peskov said on Friday that Russia is ready for contacts with Trump, and there are no details.",
        "On Thursday, Putin congratulated Trump on winning the US presidential election at the Valdai club.",
        "A presidential election took place in the United States on November 5 and Trump won it.",
    ]
    teaser = " ".join(body)
    kept, removed = dedupe_paragraphs([teaser] + body)
    assert kept == body and removed[0][1].startswith("teaser")


def test_title_site_suffix():
    assert clean_title("Kremlin Hints at Possible Putin-Trump Call - The Moscow Times", sitename="The Moscow Times") == \
        "Kremlin Hints at Possible Putin-Trump Call"
    assert clean_title("BBC News - Ukraine war: what we know", hostname="www.bbc.com") == "Ukraine war: what we know"
    assert clean_title("Russia - Ukraine talks: a timeline", sitename="Reuters") == "Russia - Ukraine talks: a timeline"


def test_dateline_and_url_helpers():
    assert dateline_agency("MOSCOW (Sputnik) - Russia remains ready") == "Sputnik"
    assert dateline_agency("KYIV, Ukraine (AP) — Russia launched") == "AP"
    assert dateline_agency("Moscow is ready (in principle) - he said") is None
    assert repair_url(" https://www.themoscowtimes.com/2024/11/07/possible-put in-trump ") == \
        "https://www.themoscowtimes.com/2024/11/07/possible-putin-trump"
    assert date_from_url("https://www.themoscowtimes.com/2024/11/07/kremlin") == date(2024, 11, 7)


def test_metadata_date_values():
    assert parse_date_value("2017-09-15T00:00:00") == (date(2017, 9, 15), None)
    d, inst = parse_date_value("Thu, 07 Nov 2024 14:21:13 +0000")
    assert d == date(2024, 11, 7) and inst.tzinfo is not None
    assert parse_date_value("None") == (None, None)
    assert parse_date_value("not a date at all") == (None, None)


def test_short_text_is_rejected():
    r = extract_document(RawDocument("x.txt", "Share\n\nComments\n\nHello.", "text"), languages=False)
    assert isinstance(r, Rejection) and r.code == "no-text"


# --------------------------------------------------------------------------- properties

_pieces = st.sampled_from(
    list("abcXYZ .,;:!?\"'“”«»-–\n\t<>/u0123456789") + ["\n\n", "\u00a0", "\u200b", "П", "ж", "<u>", "</u>", "Share",
                                                           "Peskov said. ", "January 20.There ", "\n, who ", "http://x.y/z "]
)
_text = st.lists(_pieces, max_size=120).map("".join)


@given(_text)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_cleaning_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


@given(_text)
@settings(max_examples=200)
def test_normalize_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_cleaning_is_idempotent_on_samples(samples_dir):
    for f in sorted(samples_dir.iterdir()):
        once = clean_text(f.read_text(encoding="utf-8"))
        assert clean_text(once) == once


@given(st.binary(max_size=600), st.sampled_from(["txt", "html", "json", "jsonl", "xml", "csv", "bin"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_input_is_one_article_or_rejections(tmp_path_factory, data, ext):
    """A single-article file gives exactly one result; a container gives one per record. Never raises."""
    from storydesk.sources import read_inputs

    p = tmp_path_factory.mktemp("prop") / f"input.{ext}"
    p.write_bytes(data)
    results = []
    for item in read_inputs([p], fetch_pages=False):
        results.append(item if isinstance(item, Rejection) else extract_document(item, languages=False))
    assert results, "every input must produce a result"
    if ext in ("txt", "html", "bin"):
        assert len(results) == 1
    for r in results:
        assert isinstance(r, Rejection) or r.id == content_id(r.text)
