"""Quote extraction: the grammar on short real sentences, and the sample articles end to end."""

from __future__ import annotations

from datetime import date

import pytest

from storydesk.analyze import analyze_articles
from storydesk.analyze.attribution import content_of
from storydesk.analyze.quotes import extract_quotes_en
from storydesk.analyze.segment import Block

from analyze_samples import all_samples, prefix_of


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


# Real sentences from PolNeAR train (US political news) for the frames the grammar
# missed before: subjects far from their verb, addressees, passives, colons, polls.
@pytest.mark.parametrize("text, content, speaker", [
    ("Sanders, who has already sent fundraising pleas on Canova’s behalf, said he also may campaign for him.",
     "he also may campaign for him", "Sanders"),
    ("Paul Porter, a truck driver from Ava, Mo., who is a member of the Teamsters union and a supporter of Mr. Trump, "
     "said he already received time and a half after eight hours of work.",
     "he already received time and a half after eight hours of work", "Paul Porter"),
    ("After the meeting of Nevada Democrats on Saturday ended in mayhem when many potential Sanders delegates were deemed "
     "ineligible, Roberta Lange, the state party chairwoman, said she had received death threats.",
     "she had received death threats", "Roberta Lange"),
    ("Republican Christine Todd Whitman, the former New Jersey governor, told The Star-Ledger of Newark last week she "
     "would rather vote for Hillary Clinton than Trump.", "she would rather vote for Hillary Clinton than Trump",
     "Republican Christine Todd Whitman"),
    ("Cruz, the only Republican candidate to campaign in Wyoming, told delegates here that their votes could help him.",
     "their votes could help him", "Cruz"),
    ("The witness said the driver accelerated as he was mowing people down.",
     "the driver accelerated as he was mowing people down", "The witness"),
    ("About 4 in 10 say they want the next president to have more liberal policies.",
     "they want the next president to have more liberal policies", "4 in 10"),
    ("Rep. Gregory Meeks (D-N.Y.) said Clinton reassured them that everyone would come together.",
     "Clinton reassured them that everyone would come together", "Rep. Gregory Meeks (D-N.Y.)"),
    ("As The Washington Post reported, even if Sanders managed to split delegates with Clinton, he would then need to win "
     "55 percent of the remaining delegates.",
     "even if Sanders managed to split delegates with Clinton, he would then need to win 55 percent of the remaining delegates",
     "The Washington Post"),
    ("Media titan Rupert Murdoch announced his engagement to former supermodel Jerry Hall.",
     "his engagement to former supermodel Jerry Hall", "Media titan Rupert Murdoch"),
])
def test_subjects_far_from_the_cue_and_addressees(text, content, speaker):
    qs = _quotes(text)
    assert [(_content(text, q), _speaker(text, q)) for q in qs] == [(content, speaker)]


def test_relative_pronoun_speaker_keeps_its_antecedent():
    text = ("House Minority Leader Nancy Pelosi is among those sounding that alarm, echoing security experts who say "
            "Russian security services have been known to doctor documents.")
    (q,) = _quotes(text)
    assert _content(text, q) == "Russian security services have been known to doctor documents"
    assert _speaker(text, q) == "who" and text[q.antecedent[0] : q.antecedent[1]] == "security experts"


def test_parenthetical_and_inverted_attributions_keep_both_halves():
    text = "Time, Mr. Pence added, was on their side."
    (q,) = _quotes(text)
    assert [text[s:e] for s, e in q.parts] == ["Time", "was on their side"] and _speaker(text, q) == "Mr. Pence"
    text = ("Any cleareyed interpretation of Mr. Kerry's actions, said Michael Kofman, an expert on Russia at the Woodrow "
            "Wilson Center in Washington, would read this as a public admission.")
    (q,) = _quotes(text)
    assert [text[s:e] for s, e in q.parts] == ["Any cleareyed interpretation of Mr. Kerry's actions",
                                               "would read this as a public admission"]
    assert _speaker(text, q) == "Michael Kofman"
    text = ("Facebook created the tool to help in times of crisis, a spokeswoman, Anna Richardson White, said on Saturday, "
            "and it has activated it five times in the last year.")
    (q,) = _quotes(text)
    assert len(q.parts) == 2 and _speaker(text, q) == "a spokeswoman, Anna Richardson White"


def test_passive_and_impersonal_attributions():
    text = "It's been reported that former congressman Anthony Weiner has been sexting again."
    (q,) = _quotes(text)
    assert _content(text, q) == "former congressman Anthony Weiner has been sexting again" and q.speaker is None
    # the subject of a passive cue is the addressee, never the speaker
    assert _quotes("Peskov was asked whether Putin would call Trump.") == []
    assert _quotes("Trump was declared the winner by all leading race callers and networks.") == []
    # the writer's own aside is nobody's remark
    text = "It should be noted that the Institute for the Study of War suggests that Putin sees Trump as an opportunity."
    (q,) = _quotes(text)
    assert _speaker(text, q) == "the Institute for the Study of War" and q.pattern == "subject-cue"


def test_press_questions_are_not_quotes():
    text = ("Reporters inquired whether any communication had occurred between the Putin administration or the Russian "
            "Foreign Ministry and Trump’s team post-elections. “No. Why should we engage in contact?” Peskov responded.")
    assert [(_content(text, q), _speaker(text, q)) for q in _quotes(text)] == [("No. Why should we engage in contact?", "Peskov")]
    text = '"Will you call Putin before the inauguration?" a reporter asked. "Not yet," Trump said.'
    assert [(_content(text, q), _speaker(text, q)) for q in _quotes(text)] == [("Not yet", "Trump")]


@pytest.mark.parametrize("text, content, speaker", [
    # curly opening mark closed by a straight one (Politico copy), split by a long attribution
    ('“We are going to start winning again and we are going to win so much," Trump said at his victory party in '
     'Manchester, two hours after news outlets declared him the victor. "You are going to be so happy.”',
     "We are going to start winning again and we are going to win so much || You are going to be so happy.", "Trump"),
    # the cue stands far from the colon that introduces the quote
    ("Sanders responded with a phrase that could have come from Trump himself: “Do not moan to me about Hillary "
     "Clinton’s problems.”", "Do not moan to me about Hillary Clinton’s problems.", "Sanders"),
    # "X said in a statement." then the quote as the next sentence
    ("Sam Lau, the communications director for the Iowa Democratic Party said in a statement. “There are no paper "
     "ballots to recount.”", "There are no paper ballots to recount.", "the communications director for the Iowa Democratic Party"),
    # a speaker with a possessive apposition after the quote
    ('"This people-powered campaign is revolutionizing American politics," Jeff Weaver, Sanders\' campaign manager, '
     'said in a statement. "What we are showing is that we can run a strong national campaign."',
     "This people-powered campaign is revolutionizing American politics || What we are showing is that we can run a "
     "strong national campaign.", "Jeff Weaver"),
])
def test_direct_quote_frames(text, content, speaker):
    qs = _quotes(text)
    assert [(_content(text, q), _speaker(text, q), q.kind) for q in qs] == [(content, speaker, "direct")]


def test_participle_after_a_direct_quote_is_its_own_quote_with_the_same_speaker():
    text = ('“I think John Kasich would be the best nominee, but he does not have a chance,” Graham said on MSNBC\'s '
            '"Morning Joe," adding, “John Kasich\'s problem is he is an insider in an outsider year.”')
    qs = _quotes(text)
    assert [_content(text, q) for q in qs] == [
        "I think John Kasich would be the best nominee, but he does not have a chance",
        "John Kasich's problem is he is an insider in an outsider year."]
    assert qs[1].inherit is not None and _speaker(text, qs[0]) == "Graham"


def _blocks(text):
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        s = text.index(chunk, pos)
        out.append(Block(s, s + len(chunk), "en"))
        pos = s + len(chunk)
    return out


def test_multi_paragraph_quote_is_one_remark():
    text = ("“We have nothing to add. We are waiting,” Peskov said. “The ball is in their court. We have said so many times."
            "\n\n“Putin is open to contacts. Nothing has changed.”\n\nThe Kremlin later issued a statement.")
    found = [a for a in extract_quotes_en(text, _blocks(text)) if a.parts]
    assert len(found) == 1
    assert [text[s:e] for s, e in found[0].parts] == [
        "We have nothing to add. We are waiting", "The ball is in their court. We have said so many times.",
        "Putin is open to contacts. Nothing has changed."]


def test_colon_ending_a_paragraph_introduces_the_next():
    text = "Peskov told reporters:\n\n“Putin is open to contacts. Nothing has changed.”"
    found = extract_quotes_en(text, _blocks(text))
    intro, quote = found
    assert intro.parts == [] and text[intro.speaker[0] : intro.speaker[1]] == "Peskov"
    assert quote.inherit == 0 and text[quote.start : quote.end] == "Putin is open to contacts. Nothing has changed."
    # a block quotation without marks after "X writes:"
    text = ("Hewitt writes:\n\nThe movie mentions neither the president nor the then secretary of state by name.\n\n"
            "The film opens Friday.")
    found = extract_quotes_en(text, _blocks(text))
    assert [text[a.start : a.end] for a in found if a.parts] == [
        "The movie mentions neither the president nor the then secretary of state by name."]


def test_content_drops_sentence_punctuation_and_joins_parts():
    text = '"Those are his words," he said. "These are his words, we have nothing else to say here yet."'
    assert content_of(text, [(1, 20)]) == "Those are his words"
    assert content_of(text, [(1, 20), (33, 91)]) == (
        "Those are his words … These are his words, we have nothing else to say here yet.")
    text = 'Yet Trump is also a "change agent," Cole said.'
    assert content_of(text, [(4, 35)]) == 'Trump is also a "change agent"'


# Real sentences (giveme5w1h and PolNeAR articles) behind the speaker and recall fixes.
@pytest.mark.parametrize("text, content, speaker", [
    # a role phrase with the name set off after it: the name speaks
    ('"It\'s a scene of horror," a local member of parliament, Eric Ciotti, told France Info.',
     "It's a scene of horror", "Eric Ciotti"),
    ('"China has always implemented U.N. Security Council resolutions," said the spokeswoman, Hua Chunying.',
     "China has always implemented U.N. Security Council resolutions", "Hua Chunying"),
    ("His special envoy on the Ukraine conflict, retired US Army Lt. Gen. Keith Kellogg, told Fox News that he would "
     "like to set a 100-day timeline.", "he would like to set a 100-day timeline", "US Army Lt. Gen. Keith Kellogg"),
    ("Bernie Sanders remains committed to seeing the primary through, his top aide, Tad Devine, told The Huffington Post.",
     "Bernie Sanders remains committed to seeing the primary through", "Tad Devine"),
    # a time adjunct between subject and cue
    ("Democratic presidential candidate Hillary Clinton on Tuesday said that Islamic State violence is genocide.",
     "Islamic State violence is genocide", "Democratic presidential candidate Hillary Clinton"),
    # participles and coordinated cues introducing a quote share the clause's subject
    ('Pat Rooke, 72, said the scene was chaos, adding: "They do come around that corner very fast sometimes."',
     "They do come around that corner very fast sometimes.", "Pat Rooke"),
    ("The Bring Back Our Girls campaign thanked the Nigerian security services on Facebook and added: “We trust that our "
     "government will continue to work.”", "We trust that our government will continue to work.", "The Bring Back Our Girls campaign"),
    ('Hours later, Trump returned the compliment to Adelson, telling Reuters, "Sheldon and I have been friends for a long time."',
     "Sheldon and I have been friends for a long time.", "Trump"),
    # a post embedded in the page, with its author's name and handle
    ("Today we transferred 21 of the #Chibokgirls to the #Nigeria government authorities. — ICRC Africa (@ICRC_Africa) October 13, 2016",
     "Today we transferred 21 of the #Chibokgirls to the #Nigeria government authorities.", "ICRC Africa"),
])
def test_apposed_names_adjuncts_participles_and_posts(text, content, speaker):
    qs = sorted(_quotes(text), key=lambda q: q.start)[-1:]  # (Rooke's "said the scene was chaos" comes first)
    assert [(_content(text, q), _speaker(text, q)) for q in qs] == [(content, speaker)]


@pytest.mark.parametrize("text, content, speaker", [
    ("The district saw 30 applicants for delegate slots, which he said were about evenly split between Trump and Cruz.",
     "were about evenly split between Trump and Cruz", "he"),
    ("Cook said Carter stopped the practice, but Cook did not say when.", "Carter stopped the practice", "Cook"),
    ("A person familiar with the planning for Thursday’s meeting says the discussion will focus on one candidate.",
     "the discussion will focus on one candidate", "A person familiar with the planning for Thursday’s meeting"),
    ("Trump, who has relied on anti-immigrant rhetoric in his bid, has said Britain’s anti-EU movement had parallels with his own.",
     "Britain’s anti-EU movement had parallels with his own", "Trump"),
    ("Some 56 percent of Cuban-Americans polled said they were much less likely to vote for Republicans.",
     "they were much less likely to vote for Republicans", "Some 56 percent of Cuban-Americans polled"),
    ("Wilson told The Post and Courier newspaper of Charleston on Saturday that he cast his ballot for Rubio.",
     "he cast his ballot for Rubio", "Wilson"),
])
def test_indirect_speech_with_long_subjects_and_relative_clauses(text, content, speaker):
    qs = _quotes(text)
    assert [(_content(text, q), _speaker(text, q)) for q in qs] == [(content, speaker)]


def test_speakers_resolve_through_organisations_acronyms_and_statements():
    from storydesk.records import Article, Paragraph

    text = ("The Aerospace Corporation, a non-profit group that conducts federal research, said the re-entry was unlikely "
            "to be controlled.\n\n“Although not declared officially, it is suspected that control of Tiangong-1 was lost,” "
            "it said.\n\nThe Rail Accident Investigation Branch said the tram was negotiating a curve.\n\n"
            "\"Initial indications suggest that the tram was traveling at a significantly higher speed,\" the RAIB said.\n\n"
            "The family were congregants at the temple, said Rabbi Jonathan Blake in a statement posted on Facebook.\n\n"
            "\"This tragedy hits our community very hard.\" the statement said.")
    paras = []
    for chunk in text.split("\n\n"):
        s = text.index(chunk)
        paras.append(Paragraph(s, s + len(chunk), "en"))
    (f,) = analyze_articles([Article(id="t", source="t", text=text, language="en", paragraphs=tuple(paras))])
    got = {q.content[:20]: q.speaker for q in f.quotes}
    assert got["Although not declare"] == "Aerospace Corporation"  # "it said": the organisation that spoke last
    assert got["Initial indications "] == "Rail Accident Investigation Branch"  # the acronym is the same body
    assert "Jonathan Blake" in got["This tragedy hits ou"]  # "the statement said": its author


def _analyse(text: str, title: str | None = None):
    from storydesk.records import Article, Paragraph

    paras, pos = [], 0
    for chunk in text.split("\n\n"):
        s = text.index(chunk, pos)
        paras.append(Paragraph(s, s + len(chunk), "en"))
        pos = s + len(chunk)
    (f,) = analyze_articles([Article(id="t", source="t", text=text, language="en", title=title, paragraphs=tuple(paras))])
    return {q.content: q.speaker for q in f.quotes}


def _by_start(got: dict, start: str):
    return next(v for k, v in got.items() if k.startswith(start))


def test_speakers_through_roles_gender_and_nested_reports():
    """Real excerpts (giveme5w1h stories) where speakers went wrong: an office named in an
    apposition, a surname the headline names in full, a relayed report, a gerund denial."""
    got = _analyse(
        "Kremlin spokesman Dmitry Peskov said the leaks targeted Putin.\n\n"
        "Iceland's prime minister, former journalist Sigmundur David Gunnlaugsson, resisted mounting pressure to step down. "
        "But the prime minister insisted he had never hidden money abroad.")
    assert _by_start(got, "he had never hidden money") == "Sigmundur David Gunnlaugsson"  # not Peskov, the last speaker
    got = _analyse(
        "“Pulp Fiction” made Weinstein rich, and Thurman says he introduced her to President Barack Obama.\n\n"
        "“The complicated feeling I have about Harvey is how bad I feel,” she told me.\n\n"
        "In the hall is a golden Buddha from her parents; her father, Robert Thurman, is a professor who thinks Uma "
        "is a reincarnated goddess.\n\n"
        "Once the assistants vanished, Thurman says, she warned Weinstein.\n\n"
        "Through a spokesperson, Weinstein denied ever threatening her prospects.", title="This Is Why Uma Thurman Is Angry")
    assert _by_start(got, "The complicated feeling I") == "Uma Thurman"  # "she" is not Robert Thurman
    assert _by_start(got, "threatening her prospects") == "Weinstein"  # not "ever"
    got = _analyse("The Erie Times-News reports that Mary Horomanski said her eyes “just about popped out” of her head.")
    assert list(got.values()) == ["Mary Horomanski"]  # the newspaper relays her remark


def test_floating_quote_continues_the_newest_speaker():
    got = _analyse(
        "Martin Bamford, 30, recalled it speeding up. “Everyone just literally went flying,” he said.\n\n"
        "Royal Navy veteran Kevin Snow, 57, was one of those injured. He said the tram failed to slow down at its usual point. "
        "“Usually, as you come out the tunnel, you feel the brakes, but I didn’t seem to at all.”\n\n"
        "A spokesperson for the US State Department confirmed the deaths of \"multiple US citizens.\"\n\n"
        "\"We express our condolences to all those affected by this tragedy,\" the spokesperson said.")
    assert _by_start(got, "Usually, as you come out") == "Kevin Snow"
    assert _by_start(got, "We express our condolenc") == "A spokesperson for the US State Department"


# --------------------------------------------------------------------------- sample articles (models)


@pytest.fixture(scope="module")
def samples():
    arts = all_samples()
    return {prefix_of(a): (a, f) for a, f in zip(arts, analyze_articles(arts))}


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


# Every quote of the five samples, checked by hand against the text: (sample, start of
# Quote.content, speaker, said_on). Dates: 000's briefing "on Thursday, November 7th";
# 001 "said on Friday" (published Fri 8 Nov); 002 has no publication date, so "on Friday"
# cannot be placed; 003 "at a briefing on November 11", "On November 10, The Washington
# Post reported"; 004 the lead's "said Thursday" (published Thu 7 Nov) until "On
# Wednesday, Peskov said", and Volker "shortly after the election results were called
# Wednesday".
SAMPLE_QUOTES = [
    ("000", "Russian President Vladimir Putin has no plans", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "potential conversations between Putin", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "There’s a possibility.", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "No. Why should we engage in contact?", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "no discussion between Putin and Biden", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "any meeting should be meticulously prepared", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "Behind every meeting lies extensive work", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "The information is unreliable", "Dmitry Peskov", date(2024, 11, 7)),
    ("000", "to quickly end the war in Ukraine", "Donald Trump", None),
    ("000", "he knows the leaders of Ukraine and Russia well", "Donald Trump", None),
    ("000", "good and productive", "Volodymyr Zelensky", None),
    ("001", "Russia remains ready for contacts", "Dmitry Peskov", date(2024, 11, 8)),
    ("001", "he had not yet spoken with Putin", "Donald Trump", None),
    ("001", "You and I also heard Mr. Trump's statement", "Dmitry Peskov", date(2024, 11, 8)),
    ("001", "There are no details of any planned conversation", "Dmitry Peskov", date(2024, 11, 8)),
    ("001", "There are certain statements so far", "Dmitry Peskov", date(2024, 11, 8)),
    ("001", "There are no specific plans for holding a meeting", "Dmitry Peskov", date(2024, 11, 8)),
    ("001", "No, [Russia] did not convey anything", "Dmitry Peskov", date(2024, 11, 8)),
    ("001", "any phone conversation can be quickly agreed upon", "Dmitry Peskov", date(2024, 11, 8)),
    ("002", "Russian President Vladimir Putin is open to direct talks", "Dmitry Peskov", None),
    ("002", "a meeting with Putin is being set up", "Donald Trump", None),
    ("002", "it will likely take place after he officially assumes office", "Donald Trump", None),
    ("002", "to end the Ukraine conflict “within 24 hours”", "Donald Trump", None),
    ("002", "he would compel Moscow and Kiev", "Donald Trump", None),
    ("002", "Putin and Trump have expressed their readiness", "Dmitry Peskov", None),
    ("002", "there are no preconditions", "Dmitry Peskov", None),
    ("002", "President Putin has repeatedly stated his openness", "Dmitry Peskov", None),
    ("002", "No conditions are required for this.", "Dmitry Peskov", None),
    ("002", "Moscow has recognized Trump’s readiness", "Dmitry Peskov", None),
    ("002", "there are still no specifics", "Dmitry Peskov", None),
    ("002", "it is likely there will be “some movement”", "Dmitry Peskov", None),
    ("002", "he might need up to six months", "Donald Trump", None),
    ("002", "he would like to set a 100-day timeline", "Keith Kellogg", None),  # "His special envoy ..., retired ... Keith Kellogg, told"
    ("002", "the president-elect’s team is considering a freeze", "some media reports", None),
    ("002", "it seeks to end the conflict once and for all", "Moscow", None),
    ("002", "could be used by Kiev to recuperate", "Moscow", None),  # "which it said could be used ..."
    ("002", "a ceasefire and peace negotiations with Ukraine", "Vladimir Putin", None),
    ("003", "Russian leader Vladimir Putin and Donald Trump", "Kremlin", None),
    ("003", "Putin and Trump allegedly had a phone conversation", "The Washington Post", None),
    ("003", "Чистая выдумка", "Kremlin", None),
    ("003", "the politicians had any contact after November 5", "Dmitry Peskov", None),
    ("003", "There was no conversation.", "Dmitry Peskov", date(2024, 11, 11)),
    ("003", "newly elected President Donald Trump had a phone conversation", "The Washington Post", date(2024, 11, 10)),
    ("003", "they discussed the war in Ukraine", "The Washington Post", date(2024, 11, 10)),
    ("003", "the Ukrainian authorities were informed", "The Washington Post", date(2024, 11, 10)),
    ("003", "they were not informed in advance", "Ukrainian Foreign Ministry", None),
    ("003", "the Kremlin chief does not plan to congratulate Trump yet", "Dmitry Peskov", None),
    ("003", 'ending the war in Ukraine "cannot be done overnight"', "Dmitry Peskov", None),
    ("003", "he allegedly received a secret proposal", "Vladimir Putin", None),
    ("003", "he supposedly agreed to it immediately", "Vladimir Putin", None),
    ("003", "Zelensky's victory plan allegedly undermines", "Vladimir Putin", None),
    ("003", "Putin sees Trump as an opportunity", "Institute for the Study of War", None),
    ("003", "Trump is an advocate for ending the war", "Marco Rubio", None),
    ("004", "Russian President Vladimir Putin may speak", "Dmitry Peskov", date(2024, 11, 7)),
    # "Trump, who secured ... on Wednesday, has pledged": that Wednesday dates the election
    ("004", "to end the war in Ukraine before taking the oath of office", "Donald Trump", None),
    ("004", "It's not ruled out … [Trump] has said", "Dmitry Peskov", date(2024, 11, 7)),
    ("004", 'Putin remains "open" to contact with Trump', "Dmitry Peskov", date(2024, 11, 6)),
    ("004", "Russia would not take the first step", "Dmitry Peskov", date(2024, 11, 6)),
    ("004", "he expects Trump to contact the Kremlin leader", "Kurt Volker", None),
    ("004", "I think he's going to make a phone call", "Kurt Volker", date(2024, 11, 6)),
    ("004", "That will start a discussion", "Kurt Volker", date(2024, 11, 6)),
]


@pytest.mark.slow
def test_every_sample_quote_speaker_and_day(samples):
    got = [(p, q.content, q.speaker, q.said_on) for p in sorted(samples) for q in samples[p][1].quotes]
    assert len(got) == len(SAMPLE_QUOTES), [g[:2] for g in got]
    for (p, content, speaker, day), want in zip(got, SAMPLE_QUOTES):
        assert (p, speaker, day) == (want[0], want[2], want[3]) and content.startswith(want[1]), (content, want)


@pytest.mark.slow
def test_sample_content_and_punctuation(samples):
    art, f = samples["004"]
    (q,) = _find(f, "It's not ruled out")
    # text spans both parts and the attribution between them (offsets invariant); content does not
    assert "Peskov told reporters" in q.text and "Peskov" not in q.content
    assert q.content == ("It's not ruled out … [Trump] has said he'd call Putin before the inauguration. "
                         "These are his words, we have nothing else to say here yet.")
    assert [art.text[s:e] for s, e in q.parts][0] == "It's not ruled out"  # the comma before "Peskov told" is dropped
    assert q.said_on_basis == "explicit"
    art, f = samples["000"]
    (q,) = _find(f, "There’s a possibility.")
    assert q.content.endswith("Those are his words") and not q.text.endswith(",")
    assert not any(q.speaker == "Reporters" or "communication had occurred" in q.content for q in f.quotes)
    for art, f in samples.values():
        for q in f.quotes:
            assert q.content and not q.content.endswith((",", ";", ":"))
            if not q.parts:
                assert q.content.replace(" ", "") == " ".join(q.text.split()).replace(" ", "").rstrip(",;:") or q.kind != "direct"
    _, f = samples["002"]
    assert all(q.said_on is None for q in f.quotes)  # no publication date: "on Friday" cannot be placed
