"""Word tables and surface-form rules for typing capitalised names.

What a name's own letters and its neighbours say about it, before any clustering:
whether a capitalised word is a sentence-initial common word (:data:`CAP_STOP`), a title
(:data:`TITLES`), an organisation's last word (:data:`ORG_SUFFIX`), a given name that
tells a gender (:data:`MALE_NAMES`, :data:`FEMALE_NAMES`), and whether a span is part
of a longer name, a headline or a person's name by its form. Used by
:mod:`storydesk.analyze.entities` (collection) and :mod:`storydesk.analyze.person_rules`
(relabelling, gender, titles).
"""

from __future__ import annotations

import re

from storydesk.analyze import cues as C
from storydesk.analyze.segment import Token

# Capitalised words that start sentences or are not names. Coupled to the candidate
# scan in :meth:`storydesk.analyze.entities.ArticleEntities.candidates`.
CAP_STOP = frozenset(
    """the a an this that these those it he she they we i you his her its their our my your but and or
    so yet however meanwhile in on at for with from by as after before when while if although though
    since because during despite according speaking asked earlier later still also now then there here
    what why how who where which previously furthermore moreover throughout discussing commenting
    reporters share comments please related original read more updated photo video click follow
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr sen rep gov gen lt col president senator minister spokesman prime secretary chief
    republican republicans democrat democrats democratic no yes not all some many most both each every
    one two three first last new former top senior western eastern northern southern north south east
    west today yesterday tomorrow tonight another other such only even just once about over under
    against between into through without within until like near amid toward towards while whether
    chairman leader head director official officials sources source ceo mayor governor judge""".split()
)
TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. dr dr. sen sen. senator rep rep. representative gov gov. governor president
    vice-president minister spokesman spokeswoman spokesperson secretary ambassador envoy general gen.
    lt. col. adm. chancellor premier king queen prince pope mayor judge justice candidate nominee
    chairman chairwoman ceo director leader adviser advisor aide chief sheikh ayatollah rabbi father
    sir lord lady dame professor prof. coach commander colonel captain sergeant officer""".split()
)
ORG_SUFFIX = frozenset(
    """ministry party committee council agency university news post times journal inc inc. corp corp.
    bank club institute service department office senate congress court foundation association union
    army forces network group company organization organisation commission administration campaign
    center centre fund board bureau police guard command parliament assembly duma rada press tribune
    herald telegraph gazette broadcasting radio television tv media magazine review school college
    church hospital airlines airways federation alliance coalition movement front league""".split()
)
MALE_NAMES = frozenset(
    """john james robert michael william david richard joseph thomas charles christopher daniel matthew
    anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason
    jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
    gregory frank alexander raymond patrick jack dennis jerry tyler aaron jose adam henry nathan douglas
    zachary peter kyle walter ethan jeremy harold keith christian roger noah gerald carl terry sean austin
    arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel logan alan juan wayne
    roy ralph randy eugene vincent russell elijah louis bobby philip johnny mike bill ted chris tom tim
    jim bob dick rick barack bernie marco jeb mitt rand newt ben lindsey kurt vladimir dmitry dmitri sergei
    sergey alexei alexey aleksei andrei andrey mikhail nikolai nikolay ivan igor oleg yuri yury viktor
    victor boris pavel petr pyotr maxim konstantin vadim vitaly valery evgeny yevgeny anatoly gennady
    volodymyr oleksandr oleksiy mykhailo petro dmytro andriy andrii vitali taras bohdan yulian emmanuel
    olaf friedrich recep xi narendra benjamin ali hassan mohammed muhammad ahmed omar abdul jens antonio
    keir rishi boris viktor""".split()
)
FEMALE_NAMES = frozenset(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret
    sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca
    sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha
    katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie
    joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha
    jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia judy
    grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella
    charlotte rose alexis kayla hillary kamala nikki sarah elizabeth ivanka melania michelle huma
    kellyanne karine karoline jen tulsi ursula angela giorgia kaja yulia yuliya maria mariya olga elena
    yelena irina natalia natalya tatiana tatyana svetlana ekaterina yekaterina valentina elvira
    oksana iryna olena""".split()
)
# Honorifics that make a name a person's whatever the model typed it as ("Mallam Garba
# Shehu" came back ORG from en_core_web_sm); abbreviated titles count with or without the dot.
HONORIFICS = frozenset(
    """mr mrs ms miss dr prof sir dame mallam alhaji alhaja sheikh imam rabbi rev reverend pastor
    sen rep gov gen lt col sgt capt adm cmdr hon""".split()
)
# Honorifics left out of a person's canonical name, so that "Mallam Garba Shehu" and
# "Garba Shehu" are one id across articles.
STRIP_HONORIFICS = frozenset("mr mrs ms miss dr prof sen rep gov mallam alhaji alhaja sir dame rev reverend".split())
# Nouns naming a work: a name right after one is a title, not a person ("the 2003 film Kill Bill").
WORK_NOUNS = frozenset(
    """film films movie movies series show shows album albums song songs single book books novel novels
    memoir play musical documentary opera sitcom drama episode franchise sequel trilogy""".split()
)
# All-caps words that are not organisations (time zones, abbreviations, shouting).
NOT_ACRONYMS = frozenset("gmt utc est edt pst pdt cet cest msk bst am pm tv ok usa ceo vs fyi".split())

PREV_WORD = re.compile(r"([A-Za-z][\w.'’-]*)\s+$")
_NEXT_WORD = re.compile(r"\s+([A-Za-z][\w'’-]*)")


def inside_name_before(text: str, pos: int) -> bool:
    """True when the word right before ``pos`` is a capitalised name word ("Jim" before "Jordan").

    Args:
        text: the article text.
        pos: start of the match.

    Returns:
        Whether the match continues a longer name to its left.
    """
    m = PREV_WORD.search(text, max(0, pos - 30), pos)
    if m is None:
        return False
    w = m.group(1)
    return w[0].isupper() and w.lower().rstrip(".") not in CAP_STOP and w.lower() not in TITLES and not (w.isupper() and len(w) <= 3)


def inside_name_after(text: str, pos: int) -> bool:
    """True when the word right after ``pos`` is a capitalised name word ("Georgia" before "Tech").

    Args:
        text: the article text.
        pos: end of the match.

    Returns:
        Whether the match continues a longer name to its right.
    """
    m = _NEXT_WORD.match(text, pos, pos + 30)
    if m is None:
        return False
    w = m.group(1)
    return w[0].isupper() and w.lower().rstrip(".") not in CAP_STOP and w.lower() not in TITLES and w.lower() not in C.ROLE_NOUNS and not w.lower().startswith("president")


def is_headline(toks: list[Token]) -> bool:
    """True for a Title Case line (most longer words capitalised): a headline, not prose.

    Args:
        toks: the line's tokens.

    Returns:
        Whether the line reads as a headline.
    """
    if len(toks) > 40:
        return False  # a paragraph, not a headline
    words = [t.text for t in toks if t.text[0].isalpha() and len(t.text) > 3]
    if len(words) < 4:
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def person_by_form(surface: str, label: str) -> bool:
    """True when a multi-word name's form says it is a person's, whatever a model typed it as.

    An honorific or a title first ("Mallam Garba Shehu", "Dr. Jane Roe") makes it one; so
    does a given name that only people carry before a surname the model took for an
    organisation ("Kevin Snow" as ORG), unless an organisation or place word is in it
    ("Charlotte Observer", "Victoria Station").

    Args:
        surface: the name as written.
        label: the label a model or rule gave it.

    Returns:
        Whether the name is a person's.
    """
    words = surface.split()
    if len(words) < 2 or len(words) > 4 or not all(w[0].isupper() for w in words) or "'" in surface or "’" in surface:
        return False
    lows = [w.lower().rstrip(".") for w in words]
    if any(w in ORG_SUFFIX or w in PLACE_WORDS for w in lows[1:]):
        return False
    if lows[0] in HONORIFICS:
        return True
    return label == "ORG" and len(words) <= 3 and (lows[0] in MALE_NAMES or lows[0] in FEMALE_NAMES)


# Words that end place names; a given name before one is a place's ("Victoria Station").
PLACE_WORDS = frozenset(
    """station street st avenue ave road square park airport bridge river lake hall tower stadium arena
    island islands county city hotel observer hornets""".split()
)


def role_before(before: str) -> tuple[list[str], list[str]] | None:
    """Split the text before a name at a comma: "Iceland's prime minister, former journalist "
    -> (["Iceland's", "prime", "minister"], ["former", "journalist"]), or None.

    The words after the comma (at most three, lowercase) are the name's own title; the
    words before it (at most four) may be a role set off before the name.

    Args:
        before: the text before the name, ending in a space.

    Returns:
        ``(role words, title words)``, or None when no comma sets a role off.
    """
    k = before.rfind(",")
    if k < 0 or not before.endswith(" "):
        return None
    after = before[k + 1 :].split()
    if len(after) > 3 or any(not w[0].islower() or not w.replace("-", "").isalpha() for w in after):
        return None
    words = before[:k].split()[-4:]
    if not words or not before[k - 1 : k].strip():
        return None
    return words, after


def name_words(surface: str) -> list[str]:
    """A person name's words without a leading honorific ("Mallam Garba Shehu" -> Garba Shehu).

    Args:
        surface: the name as written.

    Returns:
        Its words, honorifics left out (all of them when nothing else is left).
    """
    words = re.split(r"\s+", surface.strip())
    out = [w for w in words if w.lower().rstrip(".") not in STRIP_HONORIFICS]
    return out if out else words


def strip_possessive(text: str, start: int, end: int) -> int:
    """The end of a mention without a possessive ending ("Putin's" -> "Putin", "Reuters'").

    Args:
        text: the article text.
        start, end: the mention's span.

    Returns:
        The new end offset.
    """
    if text[max(start, end - 2) : end] in ("'s", "’s"):
        return end - 2
    if end - start > 1 and text[end - 1] in "'’" and text[end - 2] == "s":
        return end - 1
    return end
