"""Resolve quote speakers to entities and date the remarks.

A speaker phrase found by the quote grammar is one of: a name ("Kremlin spokesman
Dmitry Peskov" -> the name at its end), a role phrase ("the Kremlin spokesperson",
"Putin's spokesman" -> title/role resolution in :class:`ArticleEntities`), a pronoun
("he" -> the last compatible speaker, else the nearest person who is a sentence
subject), a generic definite role ("the official" -> the last speaker), or a
description that names nobody ("a source familiar with the talks", "critics"), kept
as written with no id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from storydesk.analyze import cues as C
from storydesk.analyze.entities import ArticleEntities
from storydesk.analyze.attribution import Attribution
from storydesk.analyze.phrases import QUOTE_MARKS, is_person_noun
from storydesk.records import DateMention, Entity

_GENERIC_SPEAKERS = frozenset(
    """official spokesman spokeswoman spokesperson diplomat aide adviser advisor politician minister leader
    republican democrat candidate nominee president-elect businessman billionaire senator tycoon mogul
    magnate donor lawmaker congressman congresswoman""".split()
)
# Documents that "say" what their author said: "the statement said" is the author speaking.
_DOCUMENT_HEADS = frozenset("statement letter email e-mail post tweet message release".split())
_RU_ROLE_NOUNS = frozenset(
    """дипломат политик министр пресс-секретарь представитель посол глава президент премьер лидер
    депутат спикер эксперт чиновник собеседник председатель губернатор мэр""".split()
)
# How far back (characters) a pronoun or a generic role looks for its antecedent.
# Tuned on PolNeAR train speaker errors: 600 covers the previous paragraph.
_PRONOUN_WINDOW = 600
_GENERIC_WINDOW = 1500

# Patterns run once per mention, compiled once.
_SHARE_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_SHARE_BEFORE_RE = re.compile(r"\b" + _SHARE_NUM + r"$", re.IGNORECASE)
_SHARE_AFTER_RE = re.compile(_SHARE_NUM + r"\b", re.IGNORECASE)
_PP_RE = re.compile(r"\s(?:of|for|at|from|with|in)\s")
_WORDS_RE = re.compile(r"[\w’'.-]+")
_PREV_WORD_RE = re.compile(r"([\w’'.,;:—–-]+)\s*$")
_NEXT_WORD_RE = re.compile(r"\s*,?\s*([\w’']+)")
_PERSON_HEAD_AFTER_NAME_RE = re.compile(r"(?:\s+[a-z][a-z-]*){1,2}\s*")
_DASH_APPOSITION_RE = re.compile(r"\s+([—–]|--?)\s+[^—–\n.]{1,70}?\s+\1(?=\s)")


@dataclass(slots=True)
class Speaker:
    """A resolved speaker: canonical name and id (None when unknown) and its mention."""

    name: str | None
    entity_id: str | None
    start: int | None
    end: int | None
    label: str | None = None
    gender: str | None = None
    via: str | None = None


_NONE = Speaker(None, None, None, None)
# Role nouns that name bodies, not people: "the campaign said" is no person's remark.
_BODY_HEADS = frozenset(
    """campaign team administration government press agency ministry department office committee council
    group organization organisation party service staff family people sources officials""".split()
)
# Offices: "the prime minister" is not whoever spoke last unless that person holds the office.
_OFFICES = frozenset("minister president senator governor mayor congressman congresswoman chancellor premier king queen".split())
_FEMALE_HEADS = frozenset("actress spokeswoman chairwoman congresswoman businesswoman woman wife mother daughter sister queen widow".split())
_MALE_HEADS = frozenset("actor spokesman chairman congressman businessman man husband father son brother king widower".split())
_SPOKES = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}


def _role_head(word: str) -> str:
    w = word.lower()
    return _SPOKES.get(w, w)


def _definite_role(words: list[str], head: str) -> bool:
    """ "the spokesperson", "the director", "the former prime minister": a person by role, definite."""
    return (words[0].lower() == "the" and 2 <= len(words) <= 4 and head.isalpha() and words[-1][0].islower()
            and head not in _BODY_HEADS and (head in _GENERIC_SPEAKERS or is_person_noun(head)))


def resolve_speakers(text: str, found: list[Attribution], ents: ArticleEntities) -> tuple[list[Speaker], list[Entity]]:  # noqa: C901
    """Resolve every attribution's speaker phrase.

    Args:
        text: the article text.
        found: attributions in extraction order (``inherit`` indexes into it).
        ents: the article's finalized entities.

    Returns:
        One :class:`Speaker` per attribution, and the new entity mentions created for
        pronouns and role phrases that named a speaker (via ``pronoun``/``title``/``role``).
    """
    out: list[Speaker] = []
    extra: list[Entity] = []
    history: list[tuple[int, Speaker]] = []  # (position, speaker) of resolved persons
    org_history: list[tuple[int, Speaker]] = []  # the same for organisations and places ("it said")
    doc_history: list[tuple[int, Speaker, tuple[int, int]]] = []  # resolved speakers and their attribution clauses
    # (position, role heads, speaker) of every speaker phrase, named or not: "the spokesperson"
    # is the speaker last introduced as "a spokesperson for the US State Department"
    role_history: list[tuple[int, frozenset[str], Speaker]] = []
    # People named inside what someone said are not antecedents of the next "he said".
    contents = [p for a in found for p in a.parts]
    ents.set_quoted(contents)
    order = sorted(range(len(found)), key=lambda i: (found[i].start if found[i].parts else (found[i].cue or (0, 0))[0]))
    result: dict[int, Speaker] = {}
    for i in order:
        a = found[i]
        if a.speaker is None:
            if a.inherit is not None and a.inherit in result:
                sp = result[a.inherit]
            elif a.inherit is not None:
                sp = _resolve_phrase(text, found[a.inherit], ents, history, extra) if found[a.inherit].speaker else _NONE
            else:
                sp = _NONE
        else:
            sp = _resolve_phrase(text, a, ents, history, extra, org_history, doc_history, role_history)
            _remember_roles(text, a, sp, ents, role_history, org_history)
        result[i] = sp
        if sp.entity_id and a.said_span is not None and sp.via != "document":
            doc_history.append((a.said_span[0], sp, a.said_span))  # searched only when "the statement said"
        # a quote continuing a speaker (floating, split) keeps that speaker on the floor from
        # where the quote stands, not from where the name was last written
        at = a.start if a.speaker is None and a.parts and sp.start is not None else sp.start
        if sp.entity_id and sp.label == "PERSON" and sp.start is not None:
            history.append((at, sp))
        elif sp.entity_id and sp.label in ("ORG", "PLACE", "GROUP") and sp.start is not None:
            org_history.append((at, sp))
    out = [result.get(i, _NONE) for i in range(len(found))]
    return out, extra


def _remember_roles(text: str, a: Attribution, sp: Speaker, ents: ArticleEntities, role_history, org_history) -> None:
    """Record the role heads a speaker phrase introduces (and an unnamed organisation for "it")."""
    if a.speaker is None or sp.name is None:
        return
    s, e = a.speaker
    hs, he = _head_range(text, s, e)
    words = _WORDS_RE.findall(text[hs:he])
    heads = set()
    if words and words[-1][0].islower() and words[-1].isalpha():
        # "a spokesperson for ...", "the event organiser for ...", "the director" once resolved:
        # the same role later is the same speaker
        heads.add(_role_head(words[-1]))
    if sp.entity_id:
        heads.update(ents.descriptor_heads(sp.entity_id))
    if heads:
        role_history.append((s, frozenset(heads), sp))
    if sp.entity_id is None and words and words[-1][0].isupper() and not is_person_noun(words[-1]) and len(words) >= 2:
        # "The California-based Aerospace Corporation, ..., said": an organisation by name,
        # unknown to the entity list, is what "it said" refers to next
        org_history.append((s, sp))


def _head_range(text: str, s: int, e: int) -> tuple[int, int]:
    """The phrase before any prepositional phrase: "a spokeswoman for the campaign" -> "a spokeswoman"."""
    phrase = text[s:e]
    for m in _PP_RE.finditer(phrase):
        if m.group().strip() == "in" and _SHARE_BEFORE_RE.search(phrase[: m.start()]) and _SHARE_AFTER_RE.match(phrase[m.end() :]):
            continue  # "Six in 10 voters": a share, not a prepositional phrase
        return s, s + m.start()
    return s, e


def _resolve_phrase(text: str, a: Attribution, ents: ArticleEntities, history, extra: list[Entity], org_history=(),  # noqa: C901
                    doc_history=(), role_history=()) -> Speaker:
    if a.antecedent is not None:
        # "experts who say ...": the relative pronoun is the mention, its antecedent names the speaker
        sp = _resolve_phrase(text, Attribution(parts=a.parts, kind=a.kind, speaker=a.antecedent), ents, history, extra)
        s, e = a.speaker
        return Speaker(sp.name, sp.entity_id, s, e, sp.label, sp.gender, "relative")
    s, e = a.speaker
    hs, he = _head_range(text, s, e)
    phrase = text[hs:he]
    words = _WORDS_RE.findall(phrase)
    if not words:
        return _NONE
    head = words[-1].lower()
    # 1. a name at the head of the phrase
    inside = ents.mentions_in(s, e)
    named = [(m, c) for m, c in inside if m.end <= he + 1 and text[m.end : m.end + 2] not in ("'s", "’s") and m.via not in ("role", "title")]
    if words[0].lower() == "the" and len(words) <= 3 and head in _GENERIC_SPEAKERS:
        # "the Republican said": a party or title word used as an epithet, not the group
        named = [(m, c) for m, c in named if c.label == "PERSON"]
    if named:
        # the last name ending at the phrase head: "Russian leader Vladimir Putin's spokesman Dmitry Peskov"
        m, c = max(named, key=lambda mc: mc[0].end)
        # ("a Trump supporter", "a senior Cruz adviser": a name modifying a person noun
        # that heads the phrase is not who speaks; "the Trump campaign" stays Trump's)
        modifier = (_PERSON_HEAD_AFTER_NAME_RE.fullmatch(text, m.end, he) is not None and len(head) > 3
                    and head not in C.PHRASE_BREAKERS and is_person_noun(head))  # ("mocked Trump for": no head noun)
        if m.end >= he - 1 or c.label == "PERSON" and not modifier:
            return Speaker(c.canonical, c.entity_id, m.start, m.end, c.label, c.gender, m.via)
    # 2. a pronoun
    if len(words) == 1 and (head in C.SUBJECT_PRONOUNS | C.OBJECT_PRONOUNS or head in _RU_PRONOUNS):
        sp = _pronoun(text, head, s, ents, history, org_history)
        if sp.entity_id:
            extra.append(Entity(ents.article_id, s, e, text[s:e], sp.label or "PERSON", sp.name, sp.entity_id, "pronoun"))
            return Speaker(sp.name, sp.entity_id, s, e, sp.label, sp.gender, "pronoun")
        if head == "it" and sp.name:
            return Speaker(sp.name, None, s, e, sp.label, None, "pronoun")  # an organisation named only in a phrase
        return Speaker(None, None, s, e)
    # 2b. a definite role that a recent speaker phrase introduced ("A spokesperson for the US
    # State Department confirmed ...". ... "the spokesperson said")
    rhead = _role_head(head)
    definite = _definite_role(words, rhead)
    if definite:
        for pos, heads, sp in reversed(role_history):
            if pos < s and s - pos <= _GENERIC_WINDOW and rhead in heads:
                if sp.entity_id:
                    extra.append(Entity(ents.article_id, hs, he, text[hs:he], sp.label or "PERSON", sp.name, sp.entity_id, "title"))
                return Speaker(sp.name, sp.entity_id, hs, he, sp.label, sp.gender, "title" if sp.entity_id else None)
    # 3. a role phrase
    hit = ents.cluster_for_phrase(phrase, s)
    if hit is not None:
        ci, via = hit
        c = ents.clusters[ci]
        extra.append(Entity(ents.article_id, hs, he, text[hs:he], c.label, c.canonical, c.entity_id, via))
        return Speaker(c.canonical, c.entity_id, hs, he, c.label, c.gender, via)
    # 4. a generic definite role ("the official said", Russian "написал дипломат") -> the
    # last speaker nearby, else (Russian, no article to go by) the nearest person subject
    if head in _RU_ROLE_NOUNS and len(words) <= 2:
        for pos, sp in reversed(history):
            if pos < s and s - pos <= _GENERIC_WINDOW:
                return Speaker(sp.name, sp.entity_id, hs, he, sp.label, sp.gender, "title")
        persons = ents.persons_before(s, _GENERIC_WINDOW)
        persons = [pc for pc in persons if _is_subject(text, pc[0])] or persons
        if persons:
            m, c = persons[0]
            extra.append(Entity(ents.article_id, hs, he, text[hs:he], c.label, c.canonical, c.entity_id, "title"))
            return Speaker(c.canonical, c.entity_id, hs, he, c.label, c.gender, "title")
    if head in _DOCUMENT_HEADS and words[0].lower() in ("the", "that", "this") and len(words) <= 3:
        # "said Rabbi Blake in a statement. ... "...," the statement said": its author speaks
        noun = re.compile(r"\b" + ("e-?mail" if head in ("email", "e-mail") else re.escape(head)) + r"\b", re.IGNORECASE)
        for pos, sp, (c0, c1) in reversed(doc_history):
            if pos < s and s - pos <= _GENERIC_WINDOW and noun.search(text, c0, c1):
                return Speaker(sp.name, sp.entity_id, hs, he, sp.label, sp.gender, "document")
    if definite and len(words) <= 3 and not (head.endswith("s") and not head.endswith("ss")):
        # (a plural, "the event organisers", is nobody who spoke before)
        # the last person who spoke, unless what is known of them rules the role out: a
        # different title ("the prime minister" after "Kremlin spokesman Dmitry Peskov") or gender
        for pos, sp in reversed(history):
            if pos < s and s - pos <= _GENERIC_WINDOW:
                known = ents.descriptor_heads(sp.entity_id) if sp.entity_id else set()
                if (known and rhead not in known and (rhead in _OFFICES or head not in _GENERIC_SPEAKERS)
                        or head in _FEMALE_HEADS and sp.gender == "m" or head in _MALE_HEADS and sp.gender == "f"):
                    break
                if head not in _GENERIC_SPEAKERS and s - pos > _PRONOUN_WINDOW:
                    break  # a role word that is no usual epithet ("the director") refers back only a little way
                extra.append(Entity(ents.article_id, hs, he, text[hs:he], "PERSON", sp.name, sp.entity_id, "title"))
                return Speaker(sp.name, sp.entity_id, hs, he, sp.label, sp.gender, "title")
        else:
            # nobody spoke yet: the person the previous sentences are about ("Martin Bamford,
            # 30, was travelling on the tram ... The father, from New Addington, said")
            g = "f" if head in _FEMALE_HEADS else "m" if head in _MALE_HEADS else None
            persons = [pc for pc in ents.persons_before(s, _PRONOUN_WINDOW) if _is_subject(text, pc[0])
                       and (g is None or pc[1].gender in (None, g)) and not ents.descriptor_heads(pc[1].entity_id) - {rhead}]
            if persons and head not in _GENERIC_SPEAKERS and not any(p < s for p, _ in history):
                m, c = persons[0]
                extra.append(Entity(ents.article_id, hs, he, text[hs:he], c.label, c.canonical, c.entity_id, "title"))
                return Speaker(c.canonical, c.entity_id, hs, he, c.label, c.gender, "title")
    # 5. an organisation named in the phrase ("The Washington Post reported")
    # (only in the phrase's head: "Senator John Cornyn of Texas" is not Texas)
    orgs = [(m, c) for m, c in inside if c.label in ("ORG", "PLACE") and text[m.end : m.end + 2] not in ("'s", "’s") and m.start < he]
    if orgs and head not in C.ROLE_NOUNS and not is_person_noun(head):
        # "The event organiser for the festival": a person-like head is not the organisation
        m, c = orgs[-1]
        return Speaker(c.canonical, c.entity_id, m.start, m.end, c.label, None, m.via)
    # 6. a description naming nobody: keep it as written, without quotation marks (the
    # closing mark of the quote before it; a quoted title inside it ends the description)
    s, e = _without_marks(text, s, e)
    desc = re.sub(r"\s+", " ", text[s:e]).strip()
    if not _WORD_RE.search(desc):
        return _NONE
    return Speaker(desc, None, s, e)


_WORD_RE = re.compile(r"\w")


def _without_marks(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink a phrase span to leave out quotation marks: leading ones (and the space after
    them, or a possessive "’s" cut from its owner), and everything from a mark inside it on."""
    while s < e and (text[s] in QUOTE_MARKS or text[s].isspace() or text.startswith(("'s ", "’s "), s)):
        s += 3 if text.startswith(("'s ", "’s "), s) else 1  # (a possessive cut from its owner: "’s spokesperson")
    for k in range(s, e):
        if text[k] in "\"“”„«»‹›" or text[k] in "‘’'" and (k == s or not text[k - 1].isalnum() or k + 1 >= e or not text[k + 1].isalnum()):
            e = k  # (an apostrophe inside a word, "O’Malley", "Bremen’s", stays)
            break
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-"):
        e -= 1
    return s, e


_RU_PRONOUNS = {"он": "m", "его": "m", "ему": "m", "него": "m", "нему": "m", "она": "f", "ее": "f", "её": "f", "ей": "f", "нее": "f", "неё": "f"}


def _pronoun(text: str, pron: str, pos: int, ents: ArticleEntities, history, org_history=()) -> Speaker:
    gender = "m" if pron in ("he", "him") else "f" if pron in ("she", "her") else _RU_PRONOUNS.get(pron)
    if pron in ("it",):
        # the organisation that spoke last ("Moscow has stated ..., which it said ...") before
        # any organisation merely mentioned in between ("told Fox News")
        for p, sp in reversed(org_history):
            if p < pos and pos - p <= _PRONOUN_WINDOW:
                return sp
        for m, c in reversed(ents.mentions_in(max(0, pos - _PRONOUN_WINDOW), pos)):
            if c.label == "ORG":
                return Speaker(c.canonical, c.entity_id, m.start, m.end, c.label)
        return _NONE
    if gender is None:
        return _NONE

    def compatible(g: str | None) -> bool:
        return g is None or g == gender

    # the last speaker, when recent and compatible (genders come from given names, titles,
    # honorifics and "X said she" in the entity pass, so "she says" after Thurman's and then
    # Weinstein's quotes skips Weinstein)
    recent = [sp for p, sp in reversed(history) if p < pos and pos - p <= _PRONOUN_WINDOW]
    last_speaker = next((sp for sp in recent if compatible(sp.gender)), None)
    persons = [(m, c) for m, c in ents.persons_before(pos, _PRONOUN_WINDOW) if compatible(c.gender)]
    if last_speaker is not None:
        # a different person named as a subject after the last speaker takes over
        newer = [(m, c) for m, c in persons if m.start > _history_pos(history, last_speaker) and _is_subject(text, m)]
        if newer:
            m, c = newer[0]
            return Speaker(c.canonical, c.entity_id, m.start, m.end, c.label, c.gender)
        return last_speaker
    subj = [(m, c) for m, c in persons if _is_subject(text, m)]
    pick = subj[0] if subj else (persons[0] if persons else None)
    if pick is None:
        return _NONE
    m, c = pick
    return Speaker(c.canonical, c.entity_id, m.start, m.end, c.label, c.gender)


def _history_pos(history, sp: Speaker) -> int:
    for p, s in reversed(history):
        if s is sp:
            return p
    return -1


def _is_subject(text: str, m: Entity) -> bool:
    """A person mention at a clause start, followed by a verb-like word, is a subject.

    "Peskov commented ..." is; "congratulate Trump yet" and "Trump's victory" are not.
    """
    before = text[max(0, m.start - 40) : m.start]
    prev = _PREV_WORD_RE.search(before)
    if prev is not None:
        pw = prev.group(1)
        if pw[-1] not in ",;:—–-." and pw[0].islower() and not is_person_noun(pw) and pw.lower() not in ("and", "but"):
            return False  # ("Royal Navy veteran Kevin Snow, 57, was ..." is a subject)
    after = text[m.end : m.end + 30]
    appos = _DASH_APPOSITION_RE.match(text, m.end, m.end + 90)
    if appos is not None:
        # "Governor Chris Christie – a Dallas Cowboys fan – gave a one word answer": the
        # apposition set off by dashes stands between the subject and its verb
        after = text[appos.end() : appos.end() + 30]
    nxt = _NEXT_WORD_RE.match(after)
    if nxt is None:
        return False
    w = nxt.group(1).lower()
    return w not in C.PHRASE_PREPOSITIONS and w not in ("and", "or", "'s", "’s") and w not in C.ROLE_NOUNS


# --------------------------------------------------------------------------- said_on


def date_remarks(
    text: str,
    found: list[Attribution],
    speakers: list[Speaker],
    dates: tuple[DateMention, ...],
    published: date | None,
) -> list[tuple[date | None, str]]:
    """Decide the day each remark was made, and why.

    Args:
        text: the article text.
        found: attributions (``said_span`` is the sentence carrying the cue).
        speakers: their resolved speakers.
        dates: the article's date mentions.
        published: the publication date.

    Returns:
        ``(said_on, basis)`` per attribution: ``explicit`` when a day is written in the
        attribution sentence (outside the quoted words) or for an earlier remark of the
        same speaker in this article; ``published`` when the quote carries the day's
        news (the article's lead, or a present-tense cue) and the article dates nothing
        else; otherwise ``(None, "none")``.
    """
    days = [d for d in dates if d.value is not None and d.kind in ("date", "time") and d.precision in ("day", "time") and d.direction != "future"]
    result: list[tuple[date | None, str] | None] = [None] * len(found)
    order = sorted(range(len(found)), key=lambda i: found[i].start if found[i].parts else 0)
    last_by_speaker: dict[str, date] = {}
    last_any: date | None = None  # the date of the latest dated remark, by anyone
    # The lead's dated remark ("..., his spokesman Dmitry Peskov said Thursday") frames the
    # article: later quotes of that speaker with no date of their own are from the same
    # occasion, even after other speakers' dated remarks, until that speaker is dated anew
    # ("On Wednesday, Peskov said ...").
    lead_end = _lead_paragraph_end(text)
    lead_by_speaker: dict[str, date] = {}
    for i in order:
        a = found[i]
        got = None
        if a.said_span is not None and a.parts:
            s0, e0 = a.said_span
            cue_pos = a.cue[0] if a.cue else a.start
            cands = [d for d in days if d.start >= s0 and d.end <= e0 and not any(p0 <= d.start < p1 for p0, p1 in a.parts)
                     and not _in_relative_clause(text, a, d.start)]
            if cands:
                d = min(cands, key=lambda d: abs(d.start - cue_pos))
                got = (d.value, "explicit")
        if got is None and a.inherit is not None and result[a.inherit] is not None and result[a.inherit][0] is not None:
            got = result[a.inherit]
        key = speakers[i].entity_id or speakers[i].name
        # the same speaker's dated remark carries over until someone's remark is dated
        # otherwise (a new time frame: "On November 10, The Washington Post reported")
        if got is None and key and key in last_by_speaker and (
                last_by_speaker[key] == last_any or lead_by_speaker.get(key) == last_by_speaker[key]):
            got = (last_by_speaker[key], "explicit")
        if got is not None and key:
            last_by_speaker[key] = got[0]
            if a.parts and a.start < lead_end and key not in lead_by_speaker:
                lead_by_speaker[key] = got[0]
        if got is not None:
            last_any = got[0]
        result[i] = got
    # an undated remark in the lead by a speaker the lead dates ("Peskov announced ...;
    # ... as stated by Peskov during a briefing on Thursday") is from the same occasion
    for i in order:
        a = found[i]
        key = speakers[i].entity_id or speakers[i].name
        if result[i] is None and a.parts and a.start < lead_end and key in lead_by_speaker:
            result[i] = (lead_by_speaker[key], "explicit")
    any_explicit = {r[0] for r in result if r is not None and r[0] is not None}
    lead_end = _lead_end(text)
    out = []
    for i, r in enumerate(result):
        if r is not None:
            out.append(r)
            continue
        a = found[i]
        present = a.cue is not None and text[a.cue[0] : a.cue[1]].lower().endswith("s") and not text[a.cue[0] : a.cue[1]].lower().endswith("ss")
        if published is not None and (not any_explicit or any_explicit == {published}) and a.parts and (a.start < lead_end or present):
            out.append((published, "published"))
        else:
            out.append((None, "none"))
    return out


def _in_relative_clause(text: str, a: Attribution, pos: int) -> bool:
    """True when ``pos`` lies in a relative clause between the speaker and the cue.

    "Trump, who secured a second term on Wednesday, has pledged ...": that Wednesday
    dates the election, not the pledge.
    """
    if a.speaker is None or a.cue is None or not a.speaker[1] <= pos < a.cue[0]:
        return False
    return _RELATIVE_GAP_RE.match(text, a.speaker[1], a.cue[0]) is not None


_RELATIVE_GAP_RE = re.compile(r"\s*[,—–(]\s*(?:who|which|whose|whom)\b")


def _lead_paragraph_end(text: str) -> int:
    """End of the article's first paragraph (the lead), at most 600 characters in."""
    k = text.find("\n", 0, 600)
    return k if k > 0 else min(len(text), 600)


def _lead_end(text: str) -> int:
    """End of the article's lead: its first two sentences (or 400 characters)."""
    ends = [m.end() for m in re.finditer(r"[.!?][\"”’]?\s", text[:1500])]
    return ends[1] if len(ends) > 1 else min(len(text), 400)
