"""Quote extraction: the grammar on short real sentences, and the sample articles end to end."""

from __future__ import annotations

from datetime import date

import pytest

from storydesk.analyze import analyze_articles
from storydesk.analyze.quotes import extract_quotes_en
from storydesk.analyze.segment import Block

from analyze_samples import all_samples


def _quotes(text: str):
    return [a for a in extract_quotes_en(text, [Block(0, len(text), "en")]) if a.parts]


def _content(text, a):
    return " || ".join(text[s:e] for s, e in a.parts)


def _speaker(text, a):
    return text[a.speaker[0] : a.speaker[1]] if a.speaker else None


# --------------------------------------------------------------------------- grammar (no models)


@pytest.mark.parametrize("text, content, speaker", [
    ("“No. Why should we engage in contact?” Peskov responded.", "No. Why should we engage in contact?", "Peskov"),
    ('"It is not true," said Russian President spokesman Dmitry Peskov at a briefing on November 11.',
     "It is not true", "Russian President spokesman Dmitry Peskov"),
    ("Peskov said: „Wir haben nichts zu sagen.“", "Wir haben nichts zu sagen.", "Peskov"),
    ("He added: ‘There will be no talks before the inauguration.’", "There will be no talks before the inauguration.", "He"),
    ("«This is pure fiction, just false information,» the spokesman added.", "This is pure fiction, just false information", "the spokesman"),
])
def test_direct_quote_styles(text, content, speaker):
    qs = _quotes(text)
    assert [(_content(text, q), _speaker(text, q), q.kind) for q in qs] == [(content, speaker, "direct")]


@pytest.mark.parametrize("text, content, speaker", [
    ("Peskov said that Putin has no plans to talk to Biden.", "Putin has no plans to talk to Biden", "Peskov"),
    ("Later, Trump told NBC News that he had not yet spoken with Putin.", "he had not yet spoken with Putin", "Trump"),
    ("There are no details of any planned conversation as of yet, Peskov clarified.",
     "There are no details of any planned conversation as of yet", "Peskov"),
    ("According to him, the Kremlin chief does not plan to congratulate Trump yet.",
     "the Kremlin chief does not plan to congratulate Trump yet", "him"),
    ("Peskov denies that the politicians had any contact after November 5.", "the politicians had any contact after November 5", "Peskov"),
    ("Kurt Volker, Trump's envoy for the Russia-Ukraine conflict between 2017 and 2019, said he expects Trump to call.",
     "he expects Trump to call", "Kurt Volker"),
])
def test_indirect_speech(text, content, speaker):
    qs = _quotes(text)
    assert [(_content(text, q), _speaker(text, q)) for q in qs] == [(content, speaker)]
    assert qs[0].kind == "indirect"


def test_split_quote_is_one_quote_with_parts():
    text = ('"It\'s not ruled out," Peskov told reporters when asked about possible contact. '
            '"[Trump] has said he\'d call Putin before the inauguration. These are his words."')
    qs = _quotes(text)
    assert len(qs) == 1
    assert [text[s:e] for s, e in qs[0].parts] == [
        "It's not ruled out", "[Trump] has said he'd call Putin before the inauguration. These are his words."]


def test_names_and_scare_quotes_are_not_quotes():
    text = ('He labeled the information as a fabrication, as quoted by the Russian news agency "Interfax". '
            'Putin sees Trump as an opportunity for a "reset" in relations. Trump enters the "Oval Office".')
    contents = [_content(text, q) for q in _quotes(text)]
    assert not any(c in ("Interfax", "reset", "Oval Office") for c in contents)


def test_partial_quote_in_reported_speech_is_mixed():
    text = 'On Wednesday, Peskov said Putin remains "open" to contact with Trump.'
    (q,) = _quotes(text)
    assert _content(text, q) == 'Putin remains "open" to contact with Trump'
    assert q.kind == "mixed"


def test_describing_fragment_is_a_direct_partial_quote():
    text = 'Zelensky has already had a conversation with Trump, describing it as "good and productive."'
    (q,) = _quotes(text)
    assert _content(text, q) == "good and productive"
    assert q.kind == "direct"


def test_floating_quote_inherits_the_previous_speaker():
    text = '"We welcome this," Peskov said.\n\n"No conditions are required for this."'
    blocks = [Block(0, 31, "en"), Block(33, len(text), "en")]
    found = extract_quotes_en(text, blocks)
    assert len(found) == 2 and found[1].inherit == 0


# --------------------------------------------------------------------------- sample articles (models)


@pytest.fixture(scope="module")
def samples():
    arts = all_samples()
    return {a.id[-3:]: (a, f) for a, f in zip(arts, analyze_articles(arts))}


def _find(facts, needle):
    return [q for q in facts.quotes if needle in q.text]


@pytest.mark.slow
def test_000_peskov_direct_quotes(samples):
    art, f = samples["000"]
    (q,) = _find(f, "There’s a possibility.")
    assert q.text == ("There’s a possibility. Trump himself mentioned he would call Putin before the inauguration. "
                      "Those are his words")
    assert (q.kind, q.speaker, q.speaker_id) == ("direct", "Dmitry Peskov", "person:dmitry-peskov")
    assert q.said_on == date(2024, 11, 7)
    (q,) = _find(f, "The information is unreliable")
    assert q.speaker == "Dmitry Peskov"
    assert art.text[q.speaker_start : q.speaker_end] == "the Kremlin spokesperson"
    assert q.cue == "confirmed"


@pytest.mark.slow
def test_000_partial_and_scare_quotes(samples):
    _, f = samples["000"]
    (q,) = [q for q in f.quotes if q.text == "good and productive"]
    assert q.speaker == "Volodymyr Zelensky" and q.kind == "direct"
    # "through personal contacts" is a phrase from media reports Peskov dismissed, not his words
    assert not any("through personal contacts" in q.text and q.speaker == "Dmitry Peskov" for q in f.quotes)
    assert not any(q.text == "through personal contacts" for q in f.quotes)


@pytest.mark.slow
def test_000_pronoun_speaker(samples):
    art, f = samples["000"]
    (q,) = _find(f, "no discussion between Putin and Biden is planned")
    assert q.kind == "indirect" and q.speaker == "Dmitry Peskov"
    assert art.text[q.speaker_start : q.speaker_end] == "He"


@pytest.mark.slow
def test_004_split_quote_and_volker(samples):
    art, f = samples["004"]
    (q,) = _find(f, "It's not ruled out")
    assert len(q.parts) == 2 and q.speaker == "Dmitry Peskov"
    assert art.text[q.parts[1][0] : q.parts[1][1]].startswith("[Trump] has said he'd call Putin")
    assert q.said_on == date(2024, 11, 7) and q.said_on_basis == "explicit"
    (v,) = _find(f, "I think he's going to make a phone call")
    assert v.speaker == "Kurt Volker" and v.kind == "direct"
    (w,) = _find(f, 'Putin remains "open"')
    assert w.speaker == "Dmitry Peskov" and w.said_on == date(2024, 11, 6)


@pytest.mark.slow
def test_003_dated_quote_interfax_and_russian(samples):
    _, f = samples["003"]
    (q,) = _find(f, "There was no conversation.")
    assert q.speaker == "Dmitry Peskov" and q.said_on == date(2024, 11, 11) and q.said_on_basis == "explicit"
    assert not any(q.text == "Interfax" for q in f.quotes)
    (r,) = _find(f, "Чистая выдумка")
    assert r.language == "ru" and r.cue == "заявили" and r.speaker_id == "org:kremlin"
    (h,) = _find(f, "cannot be done overnight")
    assert h.speaker == "Dmitry Peskov" and h.kind == "mixed"


@pytest.mark.slow
def test_001_official_and_spokesman_resolve_to_peskov(samples):
    art, f = samples["001"]
    qs = _find(f, "any phone conversation can be quickly agreed upon")
    assert qs and all(q.speaker == "Dmitry Peskov" for q in qs)
    assert art.text[qs[0].speaker_start : qs[0].speaker_end] == "the official"


@pytest.mark.slow
def test_quote_offsets_and_ids(samples):
    for art, f in samples.values():
        for q in f.quotes:
            assert art.text[q.start : q.end] == q.text
            assert q.id == f"{art.id}:q:{q.start}-{q.end}"
            for s, e in q.parts:
                assert q.start <= s < e <= q.end
            if q.cue is not None:
                assert art.text[q.cue_start : q.cue_end] == q.cue
            if q.speaker_start is not None:
                assert 0 <= q.speaker_start < q.speaker_end <= len(art.text)


@pytest.mark.slow
def test_russian_guillemet_quote_with_zayavil():
    from storydesk.records import Article, Paragraph

    text = "«Никакого разговора не было. Это чистой воды выдумка», — заявил журналистам пресс-секретарь президента России Дмитрий Песков."
    art = Article(id="ru1", source="t", text=text, language="ru", published=date(2024, 11, 11),
                  paragraphs=(Paragraph(0, len(text), "ru"),))
    (f,) = analyze_articles([art])
    (q,) = f.quotes
    assert q.text == "Никакого разговора не было. Это чистой воды выдумка"
    assert (q.kind, q.cue, q.speaker, q.speaker_id) == ("direct", "заявил", "Dmitry Peskov", "person:dmitry-peskov")
    text2 = "Песков заявил, что Путин и Трамп не общались после выборов в США."
    art2 = Article(id="ru2", source="t", text=text2, language="ru", paragraphs=(Paragraph(0, len(text2), "ru"),))
    (f2,) = analyze_articles([art2])
    (q2,) = f2.quotes
    assert q2.kind == "indirect" and q2.text == "Путин и Трамп не общались после выборов в США" and q2.speaker == "Dmitry Peskov"
