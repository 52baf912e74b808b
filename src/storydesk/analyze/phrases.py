"""Phrase-level helpers of the English quote grammar: token classes and speaker phrases.

Without a parser, the grammar finds the speaker of a cue by scanning away from the cue
over the tokens a noun phrase can contain (names, determiners, role nouns, "of"/"for"
after a role noun, appositions) and stopping at what cannot be in one (verbs,
conjunctions, most prepositions, punctuation). :func:`looks_like_speaker` then decides
whether the phrase can be someone who speaks ("the Kremlin's scenario" cannot).
"""

from __future__ import annotations

import re

from storydesk.analyze import cues as C
from storydesk.analyze.segment import Token



def tok_lower(tok: Token) -> str:
    return tok.text.lower()


def is_cap(tok: Token) -> bool:
    c = tok.text[0]
    return c.isupper()


def is_word(tok: Token) -> bool:
    return tok.text[0].isalnum()


def cue_lemma(toks: list[Token], i: int) -> str | None:
    """The cue lemma if ``toks[i]`` is a cue verb in a verb position, else None."""
    low = tok_lower(toks[i])
    lemma = C.CUE_FORMS.get(low)
    if lemma is None:
        return None
    if low in C.NOUN_AMBIGUOUS and i > 0:
        prev = tok_lower(toks[i - 1])
        if prev in C.DETERMINERS or prev in ("'s", "’s") or prev in C.PHRASE_PREPOSITIONS:
            return None
        if is_cap(toks[i - 1]) and i + 1 < len(toks) and (is_cap(toks[i + 1]) or tok_lower(toks[i + 1]) not in ("that", ",", ":")):
            # "Vermont state Senate", "Federal Election Commission reports track": a noun
            if not low.endswith(("ed", "ing")) and tok_lower(toks[i - 1]) not in C.SUBJECT_PRONOUNS:
                return None
    if low == "state" and not (i + 1 < len(toks) and (tok_lower(toks[i + 1]) in ("that", ",", ":") or tok_lower(toks[i + 1]) in C.DETERMINERS
                                                       or tok_lower(toks[i + 1]) in C.SUBJECT_PRONOUNS)):
        return None  # "the former state Senate majority leader": "state" is a noun unless a clause follows
    if is_cap(toks[i]) and i > 0 and toks[i - 1].text not in ('"', "“", "‘", ":"):
        return None  # "Post", "Report" inside a name
    if i > 0 and is_number(toks[i - 1].text) and (low in C.NOUN_AMBIGUOUS or i > 1 and tok_lower(toks[i - 2]) in C.DETERMINERS):
        return None  # "the 35 states", "32 state committees", "a 1981 claim", "a 2010 recall": nouns
    return lemma


# --------------------------------------------------------------------------- speaker phrases


def np_left(toks: list[Token], cue_i: int, lo: int) -> tuple[int, int] | None:
    """Token range [a, b) of the subject phrase ending just before ``cue_i`` (skips aux/adverbs)."""
    j = cue_i - 1
    while j >= lo and (tok_lower(toks[j]) in C.AUXILIARIES or tok_lower(toks[j]) in C.ADVERBS or tok_lower(toks[j]).endswith("ly") and tok_lower(toks[j]) not in ("only",) and not is_cap(toks[j])):
        j -= 1
    b = j + 1
    if j < lo:
        return None
    while j >= lo:
        t = toks[j]
        low = t.text.lower()
        if low in ("'s", "’s"):
            j -= 1
            continue
        if not is_word(t):
            if t.text in ("-", "&", ".") and j - 1 >= lo and is_word(toks[j - 1]):
                j -= 1
                continue
            if t.text == "%" and j - 1 >= lo and is_number(toks[j - 1].text):
                j -= 1
                continue
            if t.text == ")":  # "Sen. Bernie Sanders (I-Vt.) said"
                k2 = j - 1
                while k2 >= lo and j - k2 < 8 and toks[k2].text != "(":
                    k2 -= 1
                if k2 >= lo and toks[k2].text == "(":
                    j = k2 - 1
                    continue
            break
        if low == "in" and j + 1 < b and j - 1 >= lo and is_number(toks[j + 1].text) and is_number(toks[j - 1].text):
            j -= 1  # "one in three", "4 in 10"
            continue
        if low in C.PHRASE_PREPOSITIONS and j + 1 < b:
            prev = tok_lower(toks[j - 1]) if j - 1 >= lo else ""
            if prev in C.ROLE_NOUNS or prev in _POSTMODIFIERS or (j - 1 >= lo and is_cap(toks[j - 1]) and (
                    low == "of" or low == "for" and is_cap(toks[j + 1]) or low == "for" and tok_lower(toks[j + 1]) == "the" and j + 2 < b and is_cap(toks[j + 2]))):
                # "Institute for the Study of War", "Center for American Progress"
                j -= 1
                continue
            break
        if low in C.PHRASE_BREAKERS and not (low in ("and",) and j - 1 >= lo and is_cap(toks[j - 1]) and j + 1 < b
                                              and (is_cap(toks[j + 1]) or tok_lower(toks[j + 1]) in ("others", "colleagues"))):
            break
        if low in C.CUE_FORMS and not is_cap(t) and not (low in C.NOUN_AMBIGUOUS and j - 1 >= lo and tok_lower(toks[j - 1]) in C.DETERMINERS | {"'s", "’s"}):
            break
        # "Trump and Ryan issued a statement": a lowercase -ed word right after a name
        # is a verb, not an adjective ("a retired general").
        if low.endswith("ed") and len(low) > 4 and not is_cap(t) and j - 1 >= lo and (is_cap(toks[j - 1]) or tok_lower(toks[j - 1]) in C.SUBJECT_PRONOUNS):
            break
        j -= 1
    a = j + 1
    if a >= b:
        return None
    # Trim leading adverbs/conjunctions the scan may have swallowed.
    # (and a participle the scan swallowed: "echoing security experts who say")
    while a < b and (tok_lower(toks[a]) in C.ADVERBS or (tok_lower(toks[a]).endswith("ly") or tok_lower(toks[a]).endswith("ing") and b - a > 1) and not is_cap(toks[a])):
        a += 1
    if a >= b or b - a > 12:
        return None
    heads = [toks[x] for x in range(a, b) if is_word(toks[x])]
    if not heads:
        return None
    head = heads[-1]
    hl = head.text.lower()
    if hl in C.DETERMINERS and hl not in ("this", "one", "two", "both", "all", "some", "many", "most", "others") and not is_number(hl):
        return None
    if not (is_cap(head) or hl in C.SUBJECT_PRONOUNS or hl in C.ROLE_NOUNS or hl.isalpha() or is_number(hl)):
        return None
    return a, b


def np_right(toks: list[Token], i: int, hi: int) -> tuple[int, int] | None:
    """Token range [a, b) of a phrase starting at ``i`` (inverted subjects, addressees)."""
    j = i
    while j < hi and (tok_lower(toks[j]) in C.ADVERBS):
        j += 1
    a = j
    if j < hi and (tok_lower(toks[j]) in C.SUBJECT_PRONOUNS or tok_lower(toks[j]) in C.OBJECT_PRONOUNS):
        return a, j + 1
    while j < hi:
        t = toks[j]
        low = t.text.lower()
        if low in ("'s", "’s") or (t.text in ("-", "&") and j + 1 < hi and is_word(toks[j + 1])):
            j += 1
            continue
        if not is_word(t):
            break
        if (low in C.PHRASE_PREPOSITIONS or low in ("to", "on")) and j > a:
            if tok_lower(toks[j - 1]) in C.ROLE_NOUNS or tok_lower(toks[j - 1]) in _POSTMODIFIERS or low == "of":
                j += 1
                continue
            break
        if low == "by" and j > a and tok_lower(toks[j - 1]) in _DOCUMENT_NOUNS:
            j += 1  # "a statement by the ministry", "a report by the inspector general"
            continue
        if low in C.PHRASE_BREAKERS:
            break
        if low in C.CUE_FORMS and not is_cap(t) and not (low in C.NOUN_AMBIGUOUS and j > a):
            break  # a verb ends the phrase; "a pool report" keeps its noun
        if j > a and (low.endswith("ly") and not is_cap(t) or low in C.SUBJECT_PRONOUNS):
            break
        if j > a and low in _NEW_PHRASE and tok_lower(toks[j - 1]) not in C.DETERMINERS and tok_lower(toks[j - 1]) not in ("'s", "’s", "to", "on", "by") \
                and tok_lower(toks[j - 1]) not in C.PHRASE_PREPOSITIONS:
            break  # "told reporters the bill would pass": a determiner after a noun starts a new phrase
        # after a name, a lowercase word that is not a role noun starts the predicate
        # ("Romney went after", "Jeb Bush called")
        if j > a and not is_cap(t) and is_cap(toks[j - 1]) and low not in C.ROLE_NOUNS and toks[j - 1].text not in ("'s", "’s"):
            break
        j += 1
    if j <= a or j - a > 12:
        return None
    return a, j


# Documents whose author follows "by": "according to a statement by the ministry".
_DOCUMENT_NOUNS = frozenset("statement statements report reports study analysis letter memo post tweet count tally survey poll review".split())

# Determiners that begin a noun phrase (so cannot continue the previous one).
_NEW_PHRASE = frozenset("the a an this these those his her its their our my your no".split())


def token_span(toks: list[Token], r: tuple[int, int] | None) -> tuple[int, int] | None:
    if r is None:
        return None
    return toks[r[0]].start, toks[r[1] - 1].end


def looks_like_speaker(toks: list[Token], r: tuple[int, int] | None) -> bool:
    """A phrase that can say something: a name, a pronoun or a person/organisation noun."""
    if r is None:
        return False
    a, b = r
    words = [toks[k] for k in range(a, b) if is_word(toks[k])]
    if not words:
        return False
    # the head precedes any post-modifier: "an official familiar with the investigation"
    for i, w in enumerate(words[1:], 1):
        if w.text.lower() in C.PHRASE_PREPOSITIONS and not is_cap(w):
            words = words[:i]
            if words[-1].text.lower() in _POSTMODIFIERS:
                words = words[:-1]
            break
    if not words:
        return False
    if toks[r[1] - 1].text in ("'s", "’s") or (words[-1].text.lower() in C.TIME_WORDS or words[-1].text.lower() in _MONTHS):
        return False  # "the congressman's", "Tuesday": not a speaker
    if words[0].text.lower() in C.PHRASE_BREAKERS:
        return False  # "by the United States"
    last = words[-1].text.lower()
    if (last in C.SUBJECT_PRONOUNS or last in C.OBJECT_PRONOUNS) and len(words) == 1:
        return True
    if is_quantity(last):
        return True  # poll shares speak for respondents: "72 percent said", "one in three say"
    if not is_cap(words[-1]) and last not in C.ROLE_NOUNS and last.rstrip("s") not in C.ROLE_NOUNS and last not in _SPEAKER_NOUNS and not _PERSON_SUFFIX.search(last):
        # "the Kremlin's scenario", "the report": the head noun cannot speak
        return False
    # the head is a name, a role noun, a person-like noun or a document that speaks
    return True


# Nouns (beyond role nouns) that head speaker phrases in news: "polls show" is not
# speech, but "the statement said", "the report says" are attributions to documents.
# "an official familiar with the talks", "people close to the campaign", "a source briefed on it"
_POSTMODIFIERS = frozenset("familiar close briefed knowledgeable involved".split())
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_SPEAKER_NOUNS = frozenset(
    """statement report reports study survey poll polls letter memo email filing complaint lawsuit
    document documents release communique website post tweet ad outlet outlets media newspaper
    paper network channel agency analysis website account campaign police others figures data
    records results index""".split()
)


# Organisations and people the suffixes below miss ("the company said", "the witness
# said"). Grown on PolNeAR train misses; coupled to looks_like_speaker.
_SPEAKER_NOUNS = _SPEAKER_NOUNS | frozenset(
    """company companies firm firms court courts union unions bank banks school university college
    hospital airline authority authorities military army navy parliament congress senate legislature
    regime coalition alliance association institute foundation center centre commission board bureau
    panel caucus club church society embassy consulate regulator watchdog tribunal jury
    witness witnesses victim victims survivor survivors child children parent parents family families
    host guest moderator delegate delegates rival rivals opponent opponents ally allies partner partners
    donor donors fan fans citizen citizens immigrant immigrants refugee refugees employee employees
    public crowd audience majority majorities plurality respondents doctor doctors nurse nurses
    student students teacher teachers pastor priest rabbi imam bishop cleric chief chiefs boss bosses
    side sides camp camps couple pair man woman guy someone everyone anyone nobody somebody
    mogul moguls tycoon billionaire billionaires millionaire actress actor star singer comedian
    celebrity hopeful hopefuls frontrunner front-runner incumbent veteran veterans surgeon
    neurosurgeon physician girl boy kid kids teen adult adults folks outfit organization organisation
    magazine journal editorial column blog site book memoir article story piece video ads commercial
    message note sign headline caption transcript order ruling opinion indictment motion bill law
    legislation proposal plan platform guidance rule rules regulation agreement resolution
    declaration summary assessment forecast projection tally audit review inquiry probe
    investigation subcommittee opponent resident student agent correspondent consultant assistant
    participant applicant servant merchant""".split()
)

# Person-like noun endings: observers, activists, economists, residents, participants.
_PERSON_SUFFIX = re.compile(r"(?:ers?|ors?|ists?|ians?|ants|ents|man|men|woman|women|ees|ives)$")

# Quantities that head poll findings: "46 percent", "one in three", "about 4 in 10", "42%",
# "nearly a third", "most".
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty
    seventy eighty ninety hundred""".split()
)
_QUANTITY_HEADS = frozenset("percent half third thirds quarter quarters fifth fifths most".split())


def is_number(word: str) -> bool:
    """A numeral ("46", "4", "7.5") or a number word ("six", "Twenty-four")."""
    w = word.lower()
    return w.replace(".", "").replace(",", "").isdigit() or w in _NUMBER_WORDS or (
        "-" in w and all(p in _NUMBER_WORDS for p in w.split("-")))


def is_quantity(word: str) -> bool:
    """A word that can head a poll-share subject ("percent", "third", a number)."""
    return word.lower() in _QUANTITY_HEADS or is_number(word)


