"""Unit tests of the compare stage's pieces on real sentences (no models needed)."""

from __future__ import annotations

from datetime import date

import pytest

from storydesk.compare import SentenceEncoder, candidate_query, extract_claims, group_quotes
from storydesk.compare import textutil
from storydesk.records import Article, ArticleFacts, Quote, Sentence


# --------------------------------------------------------------------------- cues and numbers


@pytest.mark.parametrize("text,cue", [
    ("This is pure fiction, just false information", "pure fiction"),
    ("The information is unreliable", "is unreliable"),
    ("Peskov dismissed media reports claiming that Putin congratulated Trump", "dismissed"),
    ("media accounts “did not accord with the facts.”", "did not accord with the facts"),
    ("However, her claims about being physically assaulted are untrue.", "untrue"),
])
def test_denial_cues_found(text, cue):
    found = [c.text.lower() for c in textutil.denial_cues(text)]
    assert cue in found


@pytest.mark.parametrize("text", [
    # GUIDE.md: "does not deny" confirms; a refusal is not a denial; a film title is not a cue.
    "The Washington Post emphasized that the Ukrainian authorities were informed and did not deny it.",
    "Zelensky rejected the peace proposal the very next day.",
    "Tarantino's “Pulp Fiction” was produced by Weinstein.",
])
def test_not_denials(text):
    assert textutil.denial_cues(text) == []


def test_numbers_with_bounds():
    ns = textutil.numbers("At least 59 are dead and more than 500 were injured, up to 44million Brits")
    assert [(n.value, n.low, n.high) for n in ns][:2] == [(59, 59, float("inf")), (500, 500, float("inf"))]
    assert ns[2].value == 44e6 and ns[2].low == 0
    a, b = textutil.numbers("25 people were injured")[0], textutil.numbers("27 people are injured")[0]
    assert not a.compatible(b)
    lo40, lo50 = textutil.numbers("at least 40 people")[0], textutil.numbers("more than 50 people")[0]
    assert lo40.compatible(lo50)  # two lower bounds (GUIDE.md: compatible-different-detail)


def test_numbers_skip_dates_and_years():
    text = "A presidential election took place on November 5 in 2024, and 12 people voted."
    start = text.index("November 5")
    ns = textutil.numbers(text, skip=[(start, start + len("November 5"))])
    assert [n.value for n in ns] == [12]


def test_early_and_late_markers():
    assert [c.text for c in textutil.early_markers("the Kremlin chief does not plan to congratulate Trump yet")] == ["yet"]
    assert textutil.late_markers("bringing the total to 145.5 million")
    assert not textutil.late_markers("have not spoken since the elections")


def test_negation_idioms_are_not_negations():
    assert textutil.negations("not only the driver but also the passengers")[:1] == []
    assert textutil.negations("There was no conversation.")


# --------------------------------------------------------------------------- claims


def _article(text: str, **kw) -> Article:
    return Article(id="t1", source="test", text=text, language="en", **kw)


def test_claims_without_facts_split_sentences_and_slice():
    text = ("The Kremlin has stated that Putin and Trump have not spoken since the elections. "
            "This was commented on by Peskov in response to a report claiming that they had a phone "
            "conversation on November 7.\n\nShare")
    a = _article(text)
    claims = extract_claims(a)
    assert claims
    for c in claims:
        assert text[c.start:c.end] == c.text
    assert not any(c.text == "Share" for c in claims)
    embedded = [c for c in claims if c.text.startswith("they had a phone")]
    assert embedded and embedded[0].polarity == "positive"
    assert claims[0].polarity == "negative"


def test_claims_attribution_from_quotes_and_denial_target():
    text = ('Peskov dismissed media reports claiming that Putin congratulated Trump "through personal '
            'contacts" on his election victory. "The information is unreliable," the Kremlin spokesperson '
            'briefly confirmed.')
    a = _article(text)
    qs = text.index("The information")
    q = Quote(id="t1:q", article_id="t1", start=qs, end=qs + len("The information is unreliable"),
              text="The information is unreliable", speaker="Dmitry Peskov", cue="confirmed",
              cue_start=text.index("confirmed"), cue_end=text.index("confirmed") + 9, kind="direct")
    s1 = text.index('"The information')
    facts = ArticleFacts(article_id="t1", language="en",
                         sentences=(Sentence("t1", 0, s1 - 1), Sentence("t1", s1, len(text))),
                         quotes=(q,))
    claims = extract_claims(a, facts)
    report = next(c for c in claims if c.text.startswith("Putin congratulated"))
    assert report.attributed_to == "media reports" and not report.denies
    denial = next(c for c in claims if "unreliable" in c.text)
    assert denial.denies and denial.attributed_to == "Dmitry Peskov"
    assert denial.target_id == report.id
    dismissal = next(c for c in claims if c.text.startswith("Peskov dismissed"))
    assert dismissal.denies and dismissal.target_id == report.id


def test_extract_claims_type_error():
    with pytest.raises(TypeError):
        extract_claims("not an article")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- quotes (lexical only)


def _quote_item(aid: str, text: str, quote: str, speaker: str | None, said: date | None, **kw):
    s = text.index(quote)
    q = Quote(id=f"{aid}:q:{s}-{s + len(quote)}", article_id=aid, start=s, end=s + len(quote), text=quote,
              speaker=speaker, speaker_id=kw.get("speaker_id"), said_on=said,
              said_on_basis="explicit" if said else "none", kind=kw.get("kind", "direct"))
    a = Article(id=aid, source=aid, text=text, language="en", published=kw.get("published"))
    return a, ArticleFacts(article_id=aid, language="en", quotes=(q,))


def test_partial_quote_joins_its_whole_without_models():
    # GUIDE.md q-costa-rica-plane-crash-2017-04: one quote contains the other.
    a = _quote_item("a", '"This tragedy hits our community very hard," Blake said.',
                    "This tragedy hits our community very hard", "Rabbi Jonathan Blake", date(2017, 12, 31),
                    speaker_id="person:jonathan-blake")
    b = _quote_item("b", '"This tragedy hits our community very hard. Bruce and Irene were devoted members." he said',
                    "This tragedy hits our community very hard. Bruce and Irene were devoted members.",
                    "Jonathan Blake", date(2017, 12, 31), speaker_id="person:jonathan-blake")
    groups = group_quotes([a, b], encoder=SentenceEncoder("none"))
    assert len(groups) == 1 and len(groups[0].members) == 2


def test_same_words_other_day_or_speaker_stay_apart():
    # GUIDE.md: same speaker, near-identical words, different day -> different remarks.
    words = "We have come a long way in the last nine months"
    a = _quote_item("a", f'"{words}," Sanders said.', words, "Bernie Sanders", date(2016, 2, 3),
                    speaker_id="person:bernie-sanders")
    b = _quote_item("b", f'"{words}," Sanders said.', words, "Bernie Sanders", date(2016, 2, 8),
                    speaker_id="person:bernie-sanders")
    c = _quote_item("c", f'"{words}," Clinton said.', words, "Hillary Clinton", date(2016, 2, 3),
                    speaker_id="person:hillary-clinton")
    groups = group_quotes([a, b, c], encoder=SentenceEncoder("none"))
    assert all(len(g.members) == 1 for g in groups)
    assert len(groups) == 3


# --------------------------------------------------------------------------- search query


def test_candidate_query_weights_names_and_numbers():
    q = candidate_query("Putin and Trump spoke by phone on November 7")
    terms = q.split(" OR ")
    assert terms.count('"putin"') == 2 and terms.count('"trump"') == 2 and terms.count('"7"') == 2
    assert '"call"' in terms and '"conversation"' in terms  # event synonyms
    assert '"and"' not in terms and '"by"' not in terms
    assert candidate_query("the and of") == ""


def test_candidate_query_runs_in_sqlite_fts5():
    import sqlite3

    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')")
    con.execute("INSERT INTO t VALUES ('x', 'The Washington Post reported a phone conversation between Trump and Putin')")
    con.execute("INSERT INTO t VALUES ('y', 'The weather in Moscow was cold')")
    rows = con.execute("SELECT title FROM t WHERE t MATCH ? ORDER BY bm25(t)",
                       (candidate_query("Putin and Trump spoke by phone on November 7"),)).fetchall()
    assert rows == [("x",)]


# --------------------------------------------------------------------------- propositions, numbers, updates


@pytest.mark.parametrize("text,prop", [
    ("LONDON - Police say 27 people are injured.", "27 people are injured."),
    ("the shooter had converted to Islam months ago, Reuters reported", "the shooter had converted to Islam months ago"),
    ("Lighthouse Winmore is registered in the Marshall Islands, according to Chosun Ilbo.",
     "Lighthouse Winmore is registered in the Marshall Islands"),
    ("(CNN) Uma Thurman is ready to share her story.", "Uma Thurman is ready to share her story."),
    # Not attribution: kept whole.
    ("The Islamic State (IS) group claimed responsibility for the attack.",
     "The Islamic State (IS) group claimed responsibility for the attack."),
])
def test_proposition_bounds_strip_datelines_and_attribution(text, prop):
    s, e = textutil.proposition_bounds(text)
    assert text[s:e] == prop


def test_numbers_ages_in_apposition_and_slashes():
    assert [n.unit for n in textutil.numbers("Royal Navy veteran Kevin Snow, 57, was one of those injured.")] == ["age"]
    assert [n.value for n in textutil.numbers("More than 27 million passengers used the service in 2015/16.")] == [27e6]


def test_status_update_pending_step():
    from storydesk.compare.updates import _PENDING_RE, _vstem

    m = _PENDING_RE.search("Albers says police have not yet identified any suspects, but added that")
    assert m and _vstem(m.group("verb")) == _vstem("identify")
    m = _PENDING_RE.search('"It is too early for us to confirm numbers," a spokesman said')
    assert m and m.group("verb") == "confirm"


def test_party_keys_join_country_and_nationality():
    from storydesk.compare.targets import party_keys

    assert party_keys("China's Foreign Ministry") & party_keys("Chinese")
    assert not party_keys("Foreign Ministry spokesman")
    assert party_keys("Harvey Weinstein") >= {"wein"}


def test_timeline_date_after_bound_is_not_the_event_date():
    from storydesk.digest.timeline import _BOUND_RE

    assert _BOUND_RE.search("had any contact after ")
    assert not _BOUND_RE.search("spoke by phone on ")
