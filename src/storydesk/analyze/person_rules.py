"""Person rules of one article's entities: relabelling, gender, titles, the headline's name.

:class:`storydesk.analyze.entities.ArticleEntities` collects mentions and clusters them;
the rules here read the article around its person mentions:

* **relabelling** (:func:`relabel_mentions`): model labels the article contradicts, fixed
  before clustering (a film title is no person; "Tarantino" typed ORG after "Quentin
  Tarantino" is the person);
* **gender** (:func:`mention_gender`, :func:`name_gender`, :func:`pronoun_genders`,
  :func:`gender_from_title`): from an honorific, a given name, a title or "X said she";
  clustering uses it to keep "Ms. Thurman" off "Robert Thurman";
* **titles** (:func:`learn_titles`, :func:`describe`, :func:`norm_role`): the role words
  written around a name become descriptors that later phrases ("the spokesman") resolve
  through;
* **headline names** (:func:`headline_name`): the full name a headline gives a person the
  text calls by surname only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from storydesk.analyze import cues as C
from storydesk.analyze.entity_rules import (
    CAP_STOP,
    FEMALE_NAMES,
    HONORIFICS,
    MALE_NAMES,
    PREV_WORD,
    TITLES,
    WORK_NOUNS,
    name_words,
    role_before,
)

if TYPE_CHECKING:
    from storydesk.analyze.entities import Cluster, Mention
    from storydesk.analyze.gazetteer import KnownEntity

_QUOTE_OPEN = "\"“‘'«"
_QUOTE_CLOSE = "\"”’'»"
# "Thurman said she ...": a subject pronoun right after a person's cue tells the person's gender.
_SAID_PRONOUN_RE = re.compile(
    r"(?:,[^,.;:\n]{1,60},)?(?:\s+(?:has|had|have|also|later|then|previously|once|again|repeatedly|herself|himself))*"
    r"\s+(?:said|says|told\s+[\w.]+(?:\s+[\w.]+)?|tells\s+[\w.]+|added|adds|insisted|insists|recalled|recalls|explained|explains|"
    r"noted|notes|wrote|writes|claimed|claims|acknowledged|admitted|admits|argued|argues|stressed|stresses)"
    r"(?:\s+(?:on|last|this)\s+\w+)?,?\s+(?:that\s+)?(he|she)\b")
_SPOKES_SYNONYMS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
                    "press secretary": "spokesperson", "advisor": "adviser"}
_HONORIFIC_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+$")

# Patterns run once per mention, compiled once.
_TITLE_WORD_RE = re.compile(r"[A-Z][\w.-]*|[a-z][\w-]*")
_MALE_TITLE_RE = re.compile(r"\b(?:mr|spokesman|chairman|congressman|councilman|businessman|king|prince|duke|father|"
                            r"husband|son|brother|boyfriend|widower|grandfather|nephew|uncle)\b")
_FEMALE_TITLE_RE = re.compile(r"\b(?:mrs|ms|miss|spokeswoman|chairwoman|congresswoman|councilwoman|businesswoman|queen|"
                              r"princess|duchess|lady|actress|wife|mother|daughter|sister|girlfriend|widow|grandmother|"
                              r"niece|aunt)\b")
_APPOSITION_RE = re.compile(r",\s+(?:the|a|an|his|her|its|their)\s+((?:[\w.'’-]+\s+){0,4}?[\w-]+)\s*[,.]")
_SPOKES_RE = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in _SPOKES_SYNONYMS) + r")\b")
_SPACES_RE = re.compile(r"\s+")
_LEAD_DET_RE = re.compile(r"^(?:the|a|an|his|her|its|their)\s+")


# ---------------------------------------------------------------- relabelling


def relabel_mentions(text: str, mentions: Sequence[Mention]) -> None:
    """Correct model labels the article itself contradicts, before clustering.

    A name written as a work's title ("“Kill Bill”", "the film Kill Bill") is no person,
    nor is a longer name it begins ("Kill Bill Volume One"); a single word the model typed
    as an organisation or place that is the surname or given name of a person named in
    full in the article is that person ("Tarantino" ORG after "Quentin Tarantino").

    Args:
        text: the article text.
        mentions: the article's mentions, in text order; their labels are changed in place.
    """
    works: set[str] = set()
    parts: set[str] = set()
    for m in mentions:
        if m.label != "PERSON":
            continue
        surf = text[m.start : m.end]
        words = surf.split()
        if len(words) >= 2:
            quoted = m.start > 0 and text[m.start - 1] in _QUOTE_OPEN and text[m.end : m.end + 1] in _QUOTE_CLOSE
            quoted = quoted or m.start > 0 and text[m.start - 1] in _QUOTE_OPEN and text[m.end : m.end + 2] in (",”", ",’", ',"', ".”")
            pw = PREV_WORD.search(text, max(0, m.start - 30), m.start)
            if quoted or pw is not None and pw.group(1).lower() in WORK_NOUNS:
                works.add(surf)
                continue
            toks = name_words(surf)
            if len(toks) >= 2:
                parts.add(toks[-1])
                parts.add(toks[0])
    for m in mentions:
        surf = text[m.start : m.end]
        if m.label == "PERSON" and works and any(surf == w or surf.startswith(w + " ") for w in works):
            m.label = "OTHER"
        elif m.label in ("ORG", "PLACE") and m.via != "gazetteer" and m.norm is None and surf in parts:
            m.label = "PERSON"


# ---------------------------------------------------------------- gender


def mention_gender(text: str, start: int) -> str | None:
    """The gender one mention shows: an honorific before it ("Ms. Thurman").

    ("Thurman says he ..." is too weak alone, the "he" may be someone else: it only
    votes, see :func:`pronoun_genders`.)

    Args:
        text: the article text.
        start: the mention's start.

    Returns:
        ``"m"``, ``"f"`` or None.
    """
    h = _HONORIFIC_RE.search(text, max(0, start - 6), start)
    if h is not None:
        return "m" if h.group(1) == "Mr" else "f"
    return None


def name_gender(c: Cluster) -> str | None:
    """The gender a cluster's name shows before any mention is read (gazetteer, given name).

    Args:
        c: the cluster.

    Returns:
        ``"m"``, ``"f"`` or None.
    """
    if c.known is not None and c.known.gender:
        return c.known.gender
    for f in c.forms:
        first = f.split()[0].lower() if f.split() else ""
        if first in MALE_NAMES:
            return "m"
        if first in FEMALE_NAMES:
            return "f"
    return None


def pronoun_genders(text: str, mentions: Sequence[Mention], clusters: Sequence[Cluster]) -> None:
    """Genders from "X said she ..." for persons nothing else gave one (majority of votes).

    Args:
        text: the article text.
        mentions: the clustered mentions.
        clusters: the article's clusters; their ``gender`` is set in place.
    """
    votes: dict[int, list[str]] = {}
    for m in mentions:
        c = clusters[m.cluster]
        if c.label == "PERSON" and c.gender is None:
            p = _SAID_PRONOUN_RE.match(text, m.end)
            if p is not None:
                votes.setdefault(m.cluster, []).append("m" if p.group(1) == "he" else "f")
    for ci, vs in votes.items():
        if name_gender(clusters[ci]) is not None:
            continue  # a given name outranks a pronoun that may belong to someone else
        nm, nf = vs.count("m"), vs.count("f")
        if nm != nf:
            clusters[ci].gender = "m" if nm > nf else "f"


def gender_from_title(c: Cluster, title: str) -> None:
    """Set a cluster's gender from a gendered title word ("spokeswoman", "actress"), if unset.

    Args:
        c: the cluster.
        title: the title, lowercase.
    """
    if c.gender is None:
        if _MALE_TITLE_RE.search(title):
            c.gender = "m"
        elif _FEMALE_TITLE_RE.search(title):
            c.gender = "f"


# ---------------------------------------------------------------- titles


def norm_role(s: str) -> str:
    """A role phrase normalised for matching ("the Kremlin spokesman" -> "kremlin spokesperson").

    Args:
        s: the role phrase as written.

    Returns:
        Lowercase, single-spaced, without a leading determiner, synonyms folded.
    """
    s = _SPACES_RE.sub(" ", s.strip().lower()).replace("’", "'")
    s = _LEAD_DET_RE.sub("", s)
    return _SPOKES_RE.sub(lambda m: _SPOKES_SYNONYMS[m.group()], s)


def describe(c: Cluster, role: str) -> None:
    """Record a role phrase as a person's descriptor, with each shorter ending of it
    ("iceland's prime minister", "prime minister", "minister"), and the gender it tells.

    Args:
        c: the person's cluster.
        role: the role phrase as written.
    """
    full = norm_role(role)
    words = full.split()
    if not words:
        return
    c.descriptors.add(full)
    # the head before a post-modifier: "spokesperson for buhari" -> "spokesperson"
    cut = next((i for i, w in enumerate(words) if i > 0 and w in C.PHRASE_PREPOSITIONS), len(words))
    head = words[:cut]
    for i in range(len(head)):
        c.descriptors.add(" ".join(head[i:]))
    gender_from_title(c, full)


def learn_titles(text: str, mentions: Sequence[Mention], clusters: Sequence[Cluster]) -> None:
    """Record the titles written before a person's name ("Kremlin spokesman Dmitry Peskov").

    Args:
        text: the article text.
        mentions: the clustered mentions.
        clusters: the article's clusters; persons' descriptors and genders are set in place.
    """
    for m in mentions:
        c = clusters[m.cluster]
        if c.label != "PERSON":
            continue
        # title words directly before the name: "Kremlin spokesman", "his spokesman",
        # "Russian leader Vladimir Putin's spokesman" (the possessor's own title excluded)
        before = text[max(0, m.start - 60) : m.start]
        if before and not before[-1].isspace():
            before = ""
        tail = before.split()[-4:] if before else []
        # only the plain words after the last comma/quote/punctuation count
        for i in range(len(tail) - 1, -1, -1):
            if not _TITLE_WORD_RE.fullmatch(tail[i]):
                tail = tail[i + 1 :]
                break
        if tail:
            # the title words right before the name, back to a determiner, a verb or a
            # preposition ("a representative for Thurman" gives Thurman no title)
            words = []
            for w in reversed(tail):
                lw = w.lower()
                if lw in C.DETERMINERS or lw in C.PHRASE_BREAKERS or lw in C.PHRASE_PREPOSITIONS or lw in C.CUE_FORMS:
                    break
                words.insert(0, w)
            if words and all(w.lower().rstrip(".") in HONORIFICS for w in words):
                words = []  # "Ms. Thurman": a gender (read elsewhere), not a title
            if words and any(w.lower().rstrip(".") in C.ROLE_NOUNS or w.lower() in TITLES for w in words):
                describe(c, " ".join(words))
            elif words:
                # "actress Uma Thurman": a word that is no role still tells the gender
                gender_from_title(c, words[-1].lower())
        # a role set off before the name: "Iceland's prime minister, former journalist X",
        # "a spokesperson for Buhari, Mallam Garba Shehu"
        rb = role_before(before)
        if rb is not None and any(w in C.DETERMINERS or w in C.PHRASE_BREAKERS or w in C.PHRASE_PREPOSITIONS or w in C.CUE_FORMS
                                  for w in rb[1]):
            rb = None  # "..., a representative for Thurman": the words after the comma are no title of the name
        if rb is not None:
            words = rb[0]
            for i in range(len(words) - 1, -1, -1):
                if not _TITLE_WORD_RE.fullmatch(words[i]) and not words[i].endswith(("'s", "’s")):
                    words = words[i + 1 :]
                    break
            while words and words[0].lower() in C.DETERMINERS:
                words = words[1:]
            if words and (words[0].lower() in C.PHRASE_BREAKERS or words[0].lower() in C.CUE_FORMS):
                words = []  # "Through a spokesperson, Weinstein": an adjunct, not an apposition
            lows = [w.lower() for w in words]
            if lows and (lows[-1] in C.ROLE_NOUNS or lows[-1] in TITLES or any(
                    w in C.ROLE_NOUNS and i + 1 < len(lows) and lows[i + 1] in C.PHRASE_PREPOSITIONS for i, w in enumerate(lows))):
                describe(c, " ".join(words))
        # apposition after the name: "Dmitry Peskov, the Kremlin spokesman,"
        am = _APPOSITION_RE.match(text[m.end : m.end + 80])
        if am and any(w in C.ROLE_NOUNS for w in am.group(1).lower().split()):
            describe(c, am.group(1))


# ---------------------------------------------------------------- headline names


def headline_name(title: str, text: str, word: str, by_alias: Mapping[str, KnownEntity]) -> str | None:
    """The full name a headline gives a surname: "Uma Thurman" for "Thurman".

    "This Is Why Uma Thurman Is Angry": the word before the surname is a given name when
    it is no stop word, title, cue, acronym, honorific or known alias, and it recurs in
    the text or is a known given name, so Title Case words ("Angry Thurman") do not make
    names.

    Args:
        title: the article's headline.
        text: the article text.
        word: the surname, as written in the text.
        by_alias: the gazetteer's aliases (a known alias is its own entity, not a given name).

    Returns:
        ``"Given Surname"`` for the first such name in the headline, or None.
    """
    for tm in re.finditer(r"\b([A-Z][\w’'-]+)\s+" + re.escape(word) + r"\b", title):
        first = tm.group(1)
        low = first.lower()
        if low in CAP_STOP or low in TITLES or low in C.CUE_FORMS or first.isupper() or low in HONORIFICS:
            continue
        if by_alias.get(first) is not None:
            continue
        if low not in MALE_NAMES and low not in FEMALE_NAMES and re.search(r"\b" + re.escape(first) + r"\b", text) is None:
            continue
        return f"{first} {word}"
    return None
