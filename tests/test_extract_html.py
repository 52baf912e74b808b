"""HTML pages (paragraphs, title, date) and the repeated-paragraph rules, on shapes taken from
the readability test pages and news-please dumps, plus the wording of "not an article"."""

from __future__ import annotations

from datetime import date

import pytest

from storydesk.extract import extract_document
from storydesk.extract.boilerplate import classify
from storydesk.extract.paragraphs import dedupe_paragraphs
from storydesk.records import Article, RawDocument, Rejection

LEAD = ("Russia remains ready for contacts with US President-elect Donald Trump, but there are currently "
        "no details on this issue, Kremlin spokesman Dmitry Peskov said on Friday.")
SECOND = ("On Thursday, during a speech at the Valdai Discussion Club, Russian President Vladimir Putin "
          "congratulated Trump on winning the US presidential election.")
THIRD = ("There are no specific plans for holding a meeting between Russian President Vladimir Putin and "
         "Hungarian Prime Minister Viktor Orban, Peskov said.")


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def _html(page: str, **meta) -> Article | Rejection:
    return extract_document(RawDocument("p.html", page, "html", meta), languages=False)


def _wrapped(text: str, width: int = 60) -> str:
    """The text with the hard line breaks and indentation of a hand-written HTML source."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) > width:
            lines.append(line)
            line = ""
        line = f"{line} {w}".strip()
    return "\n        ".join(lines + [line])


def test_source_line_wrapping_inside_a_paragraph_is_not_a_paragraph_break():
    a = _html(_page(f"<p>{_wrapped(LEAD)}</p>\n<p>{_wrapped(SECOND)}</p>\n<p>{_wrapped(THIRD)}</p>"))
    assert isinstance(a, Article)
    assert a.text.split("\n\n") == [LEAD, SECOND, THIRD]


def test_line_breaks_and_headings_stay_separate():
    a = _html(_page(f"<h1>No details yet</h1><h2>Background</h2><p>{LEAD}<br>{SECOND}</p><ul><li>{THIRD}</li></ul>",
                    "<title>No details yet</title>"))
    assert isinstance(a, Article)
    paragraphs = a.text.split("\n\n")
    assert paragraphs[0] == "Background" and LEAD in paragraphs and SECOND in paragraphs
    assert any(p.endswith(THIRD) for p in paragraphs)


def test_title_element_beats_a_section_heading():
    # webmd: the only <h1> is the section's name, the <title> is the article's.
    head = "<title>Babies Who Eat Peanuts Early May Avoid Allergy</title>"
    a = _html(_page(f"<h1>Allergies Health Center</h1><p>{LEAD}</p><p>{SECOND}</p>", head))
    assert a.title == "Babies Who Eat Peanuts Early May Avoid Allergy"
    assert "title" in a.provenance and "<title>" in a.provenance["title"]


def test_heading_without_site_decoration_is_kept():
    head = "<title>On Recent Controversial Events - Bradley M. Kuhn ( Brad ) ( bkuhn )</title>"
    a = _html(_page(f"<h1>On Recent Controversial Events</h1><p>{LEAD}</p><p>{SECOND}</p>", head))
    assert a.title == "On Recent Controversial Events"


def test_og_title_is_the_publishers_choice():
    head = ('<title>Apple Vision Pro hands-on - The Verge</title>'
            '<meta property="og:title" content="Apple Vision Pro is the Retina display moment">')
    a = _html(_page(f"<h1>Apple Vision Pro is the Retina display moment</h1><p>{LEAD}</p><p>{SECOND}</p>", head))
    assert a.title == "Apple Vision Pro is the Retina display moment"


def test_declared_publication_date_beats_modified():
    head = ('<meta property="article:modified_time" content="2025-01-07T09:08:22+00:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-07-10T14:15:42+00:00",'
            ' "dateModified": "2025-01-07T09:08:22+00:00"}</script>')
    a = _html(_page(f'<div datetime="2025-01-07T09:08:22+00:00"></div><p>{LEAD}</p><p>{SECOND}</p>', head))
    assert a.published == date(2020, 7, 10)


@pytest.mark.parametrize("where", [
    # webmd-1: a date in a JavaScript comment
    '<script>/* :: 2015.02.04 rewrite :: */ var x = 1;</script>',
    # wapo/simplyfound: only an image URL carries a date
    '<img src="https://img.example.com/rw/2015/03/18/Images/photo.jpg">',
])
def test_a_date_the_page_does_not_state_is_not_invented(where):
    a = _html(_page(f"{where}<p>{LEAD}</p><p>{SECOND}</p>"))
    assert isinstance(a, Article)
    assert a.published is None


def test_a_shown_date_stamp_is_kept():
    a = _html(_page(f'<p class="meta">Published <time datetime="2019-11-21">21 November 2019</time></p>'
                    f"<p>{LEAD}</p><p>{SECOND}</p>"))
    assert a.published == date(2019, 11, 21)


# --------------------------------------------------------------------------- repeats


def test_short_repeated_lines_are_kept():
    # Code, table rows and list entries repeat legitimately (toc-missing, mercurial pages).
    paragraphs = [LEAD, "SELECT avg(n)", "FROM unnest(array[2, 3, 5, 2, 3, 12, 5, 3, 4]) AS n;", SECOND,
                  "SELECT stddev(n)", "FROM unnest(array[2, 3, 5, 2, 3, 12, 5, 3, 4]) AS n;"]
    kept, removed = dedupe_paragraphs(paragraphs)
    assert kept == paragraphs and not removed


def test_a_repeated_news_paragraph_is_kept_once():
    kept, removed = dedupe_paragraphs([LEAD, SECOND, THIRD, LEAD])
    assert kept == [LEAD, SECOND, THIRD] and removed[0][1] == "repeated paragraph"


def test_paragraphs_with_different_numbers_are_not_near_duplicates():
    a = ("Regarding item# 11111, under sufficiently extreme conditions, quarks may become deconfined "
         "and exist as free particles.")
    b = a.replace("11111", "22222")
    kept, _ = dedupe_paragraphs([a, b])
    assert kept == [a, b]


def test_parallel_entries_are_not_near_duplicates():
    # videos-1: one line per film, same template, different names.
    a = "Ingrid Goes West is currently streaming on Hulu and available to digitally rent on YouTube and Google Play."
    b = "Princess Cyd is currently streaming on Netflix and available to digitally rent on Google Play and YouTube."
    kept, _ = dedupe_paragraphs([a, LEAD, b])
    assert kept == [a, LEAD, b]


def test_a_light_edit_is_a_near_duplicate():
    # giveme5w1h (Daily Mail): the summary bullet and the body sentence.
    a = ("Kim Jong-un is reopening a hotline with South Korea after nearly two years as he forges ahead "
         "with peace overtures ahead of the Winter Olympics.")
    b = ("Kim Jong-un is to reopen a hotline with South Korea after nearly two years as he forges ahead "
         "with peace overtures ahead of the Winter Olympics")
    kept, removed = dedupe_paragraphs([a, LEAD, b])
    assert kept == [a, LEAD] and removed[0][1].startswith("near-duplicate")


# --------------------------------------------------------------------------- furniture and "not an article"


@pytest.mark.parametrize("paragraph", [
    "Advertisement Continue reading the main story",
    "Chat with us in Facebook Messenger. Find out what's happening in the world as it unfolds.",
    "Registration Number: 130349 Registration Number: 130349",
])
def test_more_furniture(paragraph):
    assert classify(paragraph) is not None


@pytest.mark.parametrize("paragraph", [
    "Picture-in-Picture",
    "Registration for the marathon opens on 12 May 2024 with 30000 places.",
])
def test_not_furniture(paragraph):
    assert classify(paragraph) is None


def test_wire_bulletin_is_an_article():
    # An AP alert from the giveme5w1h set: one dated sentence and the agency's copyright line.
    body = ("LAKE FOREST, Ill. — Chicago Bears fire coach John Fox after 5-11 season.\n"
            "Copyright 2018 The Associated Press. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed.")
    a = extract_document(RawDocument("ap.json", body, "text", {"title": "Chicago Bears fire coach John Fox after 5-11 season"}),
                         languages=False)
    assert isinstance(a, Article)
    assert a.text == "LAKE FOREST, Ill. — Chicago Bears fire coach John Fox after 5-11 season."
    assert a.provenance["text"].startswith("wire bulletin")


def test_furniture_only_text_is_rejected_saying_so():
    # CNN video pages in news-please dumps: the "text" is a site promo.
    body = "Chat with us in Facebook Messenger. Find out what's happening in the world as it unfolds."
    r = extract_document(RawDocument("cnn.json", body, "text", {"title": "The first shots fired in Las Vegas"}),
                         languages=False)
    assert isinstance(r, Rejection) and r.code == "no-text"
    assert "page furniture" in r.detail and "site notice" in r.detail


def test_short_text_rejection_quotes_what_remains():
    r = extract_document(RawDocument("x.txt", "Share\n\nComments\n\nHello there.", "text", {"title": "Hi"}),
                         languages=False)
    assert isinstance(r, Rejection) and "'Hello there.'" in r.detail and "widget label x2" in r.detail
