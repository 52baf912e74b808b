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


# Words in -ly that are nouns or adjectives, not manner adverbs ("a pro-Trump rally said").
_NOT_LY_ADVERBS = frozenset(
    """only rally rallies ally family assembly supply reply tally bully folly belly jelly anomaly
    monopoly homily lily holly daily weekly monthly yearly early elderly friendly likely""".split()
)


def is_ly_adverb(tok: Token) -> bool:
    """A lowercase manner adverb in -ly ("flatly", "quietly"), not "rally" or "family"."""
    low = tok.text.lower()
    return low.endswith("ly") and len(low) > 4 and low not in _NOT_LY_ADVERBS and not tok.text[0].isupper()


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

# Quotation marks as the tokenizer splits them off ("’s" and the apostrophe inside
# "O’Malley" are not among them).
QUOTE_MARKS = frozenset('"“”„«»‘’\'‹›')


def np_left(toks: list[Token], cue_i: int, lo: int) -> tuple[int, int] | None:
    """Token range [a, b) of the subject phrase ending just before ``cue_i`` (skips aux/adverbs)."""
    j = cue_i - 1
    while j >= lo and (tok_lower(toks[j]) in C.AUXILIARIES or tok_lower(toks[j]) in C.ADVERBS or is_ly_adverb(toks[j])):
        j -= 1
    j = _skip_time_left(toks, j, lo)
    b = j + 1
    if j < lo:
        return None
    if tok_lower(toks[j]) in C.SUBJECT_PRONOUNS:
        return j, b  # "On Thursday he tweeted": a pronoun is the whole phrase
    while j >= lo:
        t = toks[j]
        low = t.text.lower()
        if low in ("'s", "’s"):
            j -= 1
            continue
        if not is_word(t):
            if t.text in ("-", "&", ".", "#") and j - 1 >= lo and is_word(toks[j - 1]):
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
        if (low in C.PHRASE_PREPOSITIONS or low in ("on", "to") and j - 1 >= lo and tok_lower(toks[j - 1]) in _POSTMODIFIERS) and j + 1 < b:
            # ("people briefed on the move", "sources close to the campaign")
            prev = tok_lower(toks[j - 1]) if j - 1 >= lo else ""
            if prev in C.ROLE_NOUNS or prev in _POSTMODIFIERS or _PERSON_SUFFIX.search(prev) and not is_cap(toks[j - 1]) \
                    or low == "of" and prev in _QUANTITY_HEADS or (j - 1 >= lo and is_cap(toks[j - 1]) and (
                    low == "of" or low == "for" and is_cap(toks[j + 1]) or low == "for" and tok_lower(toks[j + 1]) == "the" and j + 2 < b and is_cap(toks[j + 2]))):
                # "Institute for the Study of War", "Center for American Progress"
                j -= 1
                continue
            break
        if low in C.PHRASE_BREAKERS and is_cap(t) and j + 1 < b and toks[j + 1].text in ("'s", "’s"):
            j -= 1  # "Theresa May's spokesperson": a name that owns something is no modal verb
            continue
        if low in C.PHRASE_BREAKERS and not (low in ("and",) and j - 1 >= lo and is_cap(toks[j - 1]) and j + 1 < b
                                              and (is_cap(toks[j + 1]) or tok_lower(toks[j + 1]) in ("others", "colleagues"))):
            break
        if low in C.CUE_FORMS and not is_cap(t) and not (low in C.NOUN_AMBIGUOUS and (
                j == b - 1 and b < len(toks) and not tok_lower(toks[cue_i]).endswith("ing")
                or j - 1 >= lo and tok_lower(toks[j - 1]) in C.DETERMINERS | {"'s", "’s"})):
            break  # (right before a finite cue a "report"/"statement" word is the head noun: "media reports have suggested")
        # "Trump and Ryan issued a statement": a lowercase -ed word right after a name
        # is a verb, not an adjective ("a retired general").
        if low.endswith("ed") and len(low) > 4 and not is_cap(t) and j - 1 >= lo and (is_cap(toks[j - 1]) or tok_lower(toks[j - 1]) in C.SUBJECT_PRONOUNS) \
                and not (j == b - 1 and low in _POLLED) and low not in _POSTMODIFIERS:
            break
        j -= 1
    a = j + 1
    if a >= b:
        return None
    # Trim leading adverbs/conjunctions the scan may have swallowed.
    # (and a participle the scan swallowed: "echoing security experts who say")
    while a < b and (tok_lower(toks[a]) in C.ADVERBS or is_ly_adverb(toks[a]) or tok_lower(toks[a]).endswith("ing") and b - a > 1 and not is_cap(toks[a])):
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


# Words that begin a time adjunct standing between a subject and its cue: "Clinton on
# Tuesday said", "Shehu today said", "Feinstein last week said".
_TIME_LEAD = frozenset("on last this late early earlier".split())


def _skip_time_left(toks: list[Token], j: int, lo: int) -> int:
    """Index before a time adjunct ending at ``j`` ("on Tuesday", "last week", "Thursday evening")."""
    k = j
    while k >= lo and tok_lower(toks[k]) in C.TIME_WORDS:
        k -= 1
    if k == j:
        return j
    if k >= lo and tok_lower(toks[k]) in _TIME_LEAD:
        k -= 1
    # a subject must remain: "Tuesday said" alone is no speaker phrase
    if k < lo or not is_word(toks[k]) or tok_lower(toks[k]) in C.PHRASE_BREAKERS:
        return j
    while k >= lo and (tok_lower(toks[k]) in C.AUXILIARIES or tok_lower(toks[k]) in C.ADVERBS):
        k -= 1
    return k


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
        if low in _OTHER_PREPOSITIONS and j > a and not is_cap(t):
            break  # "One operative inside Trump Tower tried": the phrase ends at its head
        if low == "and" and j > a and is_cap(toks[j - 1]) and j + 1 < hi and is_cap(toks[j + 1]):
            j += 1  # "The Post and Courier"
            continue
        if low in C.PHRASE_BREAKERS:
            break
        if low in C.CUE_FORMS and not is_cap(t) and not (low in C.NOUN_AMBIGUOUS and j > a):
            break  # a verb ends the phrase; "a pool report" keeps its noun
        if j > a and (is_ly_adverb(t) or low in C.SUBJECT_PRONOUNS):
            break
        if j > a and (low.endswith("ed") and len(low) > 4 or low in _IRREGULAR_PAST) and not is_cap(t) \
                and tok_lower(toks[j - 1]) not in C.DETERMINERS and tok_lower(toks[j - 1]) not in C.PHRASE_PREPOSITIONS:
            break  # "The candidate changed her story", "The businessman began": a past-tense verb after the subject's noun
        if j > a and low in _NEW_PHRASE and not is_cap(t) and tok_lower(toks[j - 1]) not in C.DETERMINERS and tok_lower(toks[j - 1]) not in ("'s", "’s", "to", "on", "by") \
                and tok_lower(toks[j - 1]) not in C.PHRASE_PREPOSITIONS:
            break  # "told reporters the bill would pass": a determiner after a noun starts a new phrase
        # after a name, a lowercase word that is not a role noun starts the predicate
        # ("Romney went after", "Jeb Bush called"); a capitalised determiner is no name
        # ("The departments declined", "A federal lawsuit was filed"), nor is a sentence's
        # first word that is a common modifier of a speaker noun ("State media reported")
        if j > a and not is_cap(t) and is_cap(toks[j - 1]) and low not in C.ROLE_NOUNS and toks[j - 1].text not in ("'s", "’s") \
                and tok_lower(toks[j - 1]) not in _ARTICLES \
                and not (j - 1 == a and tok_lower(toks[a]) in _CAPITALISED_MODIFIERS and (low in _SPEAKER_NOUNS or is_person_noun(low))):
            break
        j += 1
    if j <= a or j - a > 12:
        return None
    return a, j


# Documents whose author follows "by": "according to a statement by the ministry".
_DOCUMENT_NOUNS = frozenset("statement statements report reports study analysis letter memo post tweet count tally survey poll review".split())

# Determiners that begin a noun phrase (so cannot continue the previous one).
_NEW_PHRASE = frozenset("the a an this these those his her its their our my your no".split())


# Lowercase words before an apposed name that are not part of it ("retired Gen. X").
_NAME_PREMODIFIERS = frozenset("retired former late then acting interim".split())
# Lowercase particles inside personal names ("Charles de Gaulle", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset("de da del der di du la le van von bin al ibn dos das".split())


def apposed_name(toks: list[Token], r: tuple[int, int] | None, hi: int) -> tuple[int, int] | None:
    """The name set off after a role phrase: "a spokesperson for Buhari, Mallam Garba Shehu,".

    ``r`` is a speaker phrase followed by a comma; when its head is a role (a lowercase
    noun: "the spokeswoman", "Bruce Steinberg's sister") and a capitalised name of at most
    five words follows up to the next comma/dash or ``hi``, the name is the speaker.

    Returns:
        The name's token range, or None.
    """
    if r is None or r[1] >= hi or toks[r[1]].text not in (",", "—", "–"):
        return None
    words = [toks[x] for x in range(*r) if is_word(toks[x])]
    for i, w in enumerate(words[1:], 1):  # the head precedes a post-modifier: "a spokesperson for Buhari"
        if tok_lower(w) in C.PHRASE_PREPOSITIONS or tok_lower(w) in ("on", "to"):
            words = words[:i]
            break
    if not words or is_cap(words[-1]):
        return None
    head = tok_lower(words[-1])
    if not (head in C.ROLE_NOUNS or head.rstrip("s") in C.ROLE_NOUNS or head in _SPEAKER_NOUNS or _PERSON_SUFFIX.search(head)):
        return None
    a = r[1] + 1
    while a < hi and tok_lower(toks[a]) in _NAME_PREMODIFIERS:
        a += 1  # "retired US Army Lt. Gen. Keith Kellogg"
    b = a
    while b < hi and toks[b].text not in (",", "—", "–", ")", ";", ":"):
        t = toks[b]
        if t.text == ".":
            # a period after an abbreviation inside the name ("Lt. Gen.", "Jr."), not a sentence end
            if not (b > a and len(toks[b - 1].text) <= 4 and is_cap(toks[b - 1]) and b + 1 < hi and is_cap(toks[b + 1])):
                break
        elif not (is_cap(t) or tok_lower(t) in _NAME_PARTICLES or t.text in ("-", "'", "’")):
            return None
        b += 1
    n = sum(1 for x in range(a, b) if is_word(toks[x]))
    if not 1 <= n <= 7 or a >= hi or not is_cap(toks[a]):
        return None
    return a, b


def token_span(toks: list[Token], r: tuple[int, int] | None) -> tuple[int, int] | None:
    if r is None:
        return None
    return toks[r[0]].start, toks[r[1] - 1].end


def looks_like_speaker(toks: list[Token], r: tuple[int, int] | None) -> bool:
    """A phrase that can say something: a name, a pronoun or a person/organisation noun."""
    if r is None:
        return False
    a, b = r
    marks = [k for k in range(a, b) if toks[k].text in QUOTE_MARKS]
    if marks and marks[0] == a and not (a + 1 < b and toks[a].end == toks[a + 1].start):
        marks = marks[1:]  # the closing mark of the quote before ('," Texas delegate Bill Eastland'): not part of the name
    if marks and (marks[0] == a or marks[-1] == b - 1):
        # '"Safety," said Grimm': a quotation mark opening or ending the phrase belongs to
        # a quote, never to a speaker (a quoted title inside it is fine: 'Bill Eastland,
        # wearing "Ted Cruz" campaign pins,'; the resolver keeps marks out of the name)
        return False
    words = [toks[k] for k in range(a, b) if is_word(toks[k])]
    if not words:
        return False
    # the head precedes any post-modifier: "an official familiar with the investigation"
    for i, w in enumerate(words[1:], 1):
        if w.text.lower() in C.PHRASE_PREPOSITIONS and not is_cap(w) or w.text.lower() in ("on", "to") and words[i - 1].text.lower() in _POSTMODIFIERS:
            words = words[:i]
            if words[-1].text.lower() in _POSTMODIFIERS:
                words = words[:-1]
            break
    if len(words) > 1 and words[-1].text.lower() in _POSTMODIFIERS:
        words = words[:-1]  # "a person familiar" (with ...)
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
    if not is_cap(words[-1]) and last not in C.ROLE_NOUNS and last.rstrip("s") not in C.ROLE_NOUNS and last not in _SPEAKER_NOUNS and not (
            _PERSON_SUFFIX.search(last) and last not in _NOT_PERSON_NOUNS):
        # "the Kremlin's scenario", "the report": the head noun cannot speak
        return False
    # the head is a name, a role noun, a person-like noun or a document that speaks
    return True


# Nouns (beyond role nouns) that head speaker phrases in news: "polls show" is not
# speech, but "the statement said", "the report says" are attributions to documents.
# "an official familiar with the talks", "people close to the campaign", "a source briefed on it"
_POSTMODIFIERS = frozenset("familiar close briefed knowledgeable involved".split())
# Participles closing a respondents phrase: "56 percent of Cuban-Americans polled said".
_POLLED = frozenset("polled surveyed interviewed questioned asked".split())
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


# Words the person-noun endings above catch that name nobody ("ever", "however", "other").
_NOT_PERSON_NOUNS = frozenset(
    """ever never however whatever whenever wherever forever either neither rather whether other another
    over under after later together further sooner per center centre letter paper order chapter quarter
    poster computer monitor sector register""".split()
)


# Role nouns that name bodies, not people ("the campaign said").
_BODY_NOUNS = frozenset(
    """campaign team administration government press agency ministry department office committee council
    group organization organisation party service staff""".split()
)
# Nouns for people the role nouns and the person endings miss.
_PEOPLE_NOUNS = frozenset(
    """witness witnesses victim victims survivor survivors child children parent parents host guest rival
    rivals ally allies partner partners donor donors fan fans citizen citizens immigrant immigrants refugee
    refugees employee employees doctor doctors nurse nurses student students pastor priest rabbi imam bishop
    cleric chief chiefs boss bosses man woman men women guy mogul moguls tycoon billionaire billionaires
    millionaire actress actor star singer comedian celebrity hopeful hopefuls frontrunner front-runner
    incumbent veteran veterans surgeon physician girl boy kid kids teen adult adults folks""".split()
)


def is_person_noun(word: str) -> bool:
    """A lowercase noun that names people ("veteran", "organiser", "spokeswoman", "residents")."""
    w = word.lower()
    if w in _NOT_PERSON_NOUNS or w in _BODY_NOUNS:
        return False
    return w in C.ROLE_NOUNS or w in _PEOPLE_NOUNS or bool(_PERSON_SUFFIX.search(w))


def is_number(word: str) -> bool:
    """A numeral ("46", "4", "7.5") or a number word ("six", "Twenty-four")."""
    w = word.lower()
    return w.replace(".", "").replace(",", "").isdigit() or w in _NUMBER_WORDS or (
        "-" in w and all(p in _NUMBER_WORDS or p in _QUANTITY_HEADS for p in w.split("-")))


def is_quantity(word: str) -> bool:
    """A word that can head a poll-share subject ("percent", "third", a number)."""
    return word.lower() in _QUANTITY_HEADS or is_number(word)


# Common modifiers that a sentence capitalises before a speaker noun ("State media
# reported", "Government sources said"): at a phrase start they are no name, so the
# phrase runs on to its noun. Coupled to np_right's name-then-predicate break.
_CAPITALISED_MODIFIERS = frozenset("state federal government police security military local national foreign senior top".split())

# Determiners that never stand alone as a subject ("Some", "Many", "Both" can), so a
# capitalised one starts a phrase rather than naming someone ("The departments").
_ARTICLES = frozenset("the a an his its their our my your".split())

# Prepositions that end a phrase np_right reads, after its first word and unless
# capitalised ("One operative inside Trump Tower"); near, within, across, into, over, under,
# among and during end it anyway (C.PHRASE_BREAKERS), and those in C.PHRASE_PREPOSITIONS may
# continue it after a role noun ("a spokesman for the campaign").
_OTHER_PREPOSITIONS = frozenset("inside outside around".split())

# Irregular past tenses that end a subject phrase as "-ed" does ("The billionaire
# businessman began by talking about ..., saying").
_IRREGULAR_PAST = frozenset(
    """began became came went took gave made met saw held sent won lost left ran got kept brought bought
    thought felt found led paid stood knew grew drew fell rose sat spent""".split()
)
