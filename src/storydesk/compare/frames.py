"""Predicates and frames of statements: do two statements name the same event?

Structured tests the verdicts of :mod:`storydesk.compare.relate` (and the denial targets
of :mod:`storydesk.compare.targets`) use beside alignment: the event class of a parsed
predicate ("spoke" and "phone call" are one kind of event), the sense of a verb of
talking ("with" someone / "about" something), shared participants, and whether a
statement is modal (a plan, not a fact), thin (too little said) or lacks a detail its
counterpart quotes.
"""

from __future__ import annotations

import re

from storydesk.compare.statements import Statement
from storydesk.compare.textutil import content_stems, denial_cues, stem

_MODAL_RE = re.compile(
    r"\b(?:will|would|could|may|might|going to|gonna|expects? to|expected to|plans? to|intends? to|"
    r"hopes? to|wants? to|i think|likely to|set to|about to)\b",
    re.I,
)


def is_modal(s: Statement) -> bool:
    """A forecast, plan or possibility ("he's going to make a phone call"), not a reported fact.

    From the parse of the main clause when there is one, else from modal words anywhere.

    Args:
        s: the statement.

    Returns:
        Whether it states a forecast, plan or possibility.
    """
    if s.modal is not None:
        return s.modal
    return bool(_MODAL_RE.search(s.content))


def quoted_detail_missing(claim: Statement, target: Statement) -> bool:
    """True when the denied report quotes a detail ("through personal contacts") ``claim`` lacks.

    Args:
        claim: the statement that may lack the detail.
        target: the report whose quoted words are read.

    Returns:
        Whether half or more of a quoted phrase's content words are missing from ``claim``.
    """
    for phrase in target.quoted:
        if denial_cues(phrase):
            continue  # "do not accord with facts" is the verdict, not a detail of the report
        stems = set(content_stems(phrase))
        if len(stems) >= 2 and len(stems - claim.sentence_stems) >= len(stems) / 2:
            return True
    return False


def persons_differ(x: Statement, y: Statement) -> bool:
    """Each names a person the other's sentence does not: "talks with Trump" / "with Biden".

    Args:
        x, y: two statements.

    Returns:
        Whether they are about different people.
    """
    px = {en.entity_id for en in x.mentions if en.label == "PERSON"}
    py = {en.entity_id for en in y.mentions if en.label == "PERSON"}
    return bool(px - y.sentence_people) and bool(py - x.sentence_people)


# Predicates that name one kind of event (a small closed list of frequent news events;
# everything else must match by stem).
_EVENT_CLASSES = [
    {"speak", "talk", "call", "phone", "conversation", "contact", "communicate", "converse", "chat",
     "discuss", "conversat", "talks"},
    {"kill", "die", "dead", "death", "perish", "fatal"},
    {"injure", "wound", "hurt", "injury", "injured"},
    {"release", "free", "exchange", "swap", "hand", "freed"},
    {"arrest", "detain", "detention", "custody"},
    {"meet", "meeting", "summit"},
    {"congratulate", "congratulation", "congratulations"},
    {"claim", "responsibility"},
    {"identify", "name", "identity"},
    {"close", "shut", "closed", "reopen", "open"},
]


_EVENT_CLASS_STEMS = [frozenset(c) | frozenset(stem(w) for w in c) for c in _EVENT_CLASSES]


def event_class(predicate: str) -> int | None:
    """The kind of event a predicate names (an index into the event classes), if known.

    Args:
        predicate: the predicate's lemma.

    Returns:
        The class index, or None for a predicate in no class.
    """
    st = stem(predicate)
    for i, c in enumerate(_EVENT_CLASS_STEMS):
        if predicate in c or st in c:
            return i
    return None


def same_predicate(x: Statement, y: Statement) -> bool:
    """Do two parsed statements name the same kind of event? (True when either is unparsed.)

    Args:
        x, y: two statements.

    Returns:
        Whether their predicates (stem or event class, and sense) match.
    """
    if not (x.parsed and y.parsed and x.predicate and y.predicate):
        return True
    px, py = x.predicate, y.predicate
    if not (px == py or stem(px) == stem(py)):
        cx = event_class(px)
        if cx is None or cx != event_class(py):
            return False
    sx, sy = talk_sense(x), talk_sense(y)
    # "had not spoken with Putin" / "Putin speaks about ending the war": speaking with
    # someone and speaking about something are two events.
    return sx is None or sy is None or sx == sy


_WITH_PREPS = frozenset({"with", "to"})
# Not "on": it mostly dates or places the talk ("spoke by phone on November 7", "on the
# sidelines of the summit"), so it marks no topic.
_ABOUT_PREPS = frozenset({"about", "of", "regarding"})
_TALK_CLASS = 0  # index of the speak/talk/call class in _EVENT_CLASSES


def talk_sense(s: Statement) -> str | None:
    """For a verb of talking, whether it names an exchange ("with"/"to" someone) or a topic
    ("about" something); None when the verb is not one or the frame is not marked.

    Args:
        s: the statement.

    Returns:
        ``"with"``, ``"about"`` or None.
    """
    if s.predicate is None or event_class(s.predicate) != _TALK_CLASS:
        return None
    if s.preps & _WITH_PREPS:
        return "with"
    if s.preps & _ABOUT_PREPS:
        return "about"
    return None


def same_core(x: Statement, y: Statement) -> bool:
    """Both parsed, one non-generic predicate (same stem or event class), and something
    else in common: a participant or a content word besides the predicate.

    Args:
        x, y: two statements.

    Returns:
        Whether they share a core event (the structured match opposite polarities need).
    """
    if not (x.parsed and y.parsed and x.predicate and y.predicate):
        return False
    if x.predicate in GENERIC_PREDICATES or y.predicate in GENERIC_PREDICATES:
        return False
    if not same_predicate(x, y):
        return False
    pstems = {stem(x.predicate), stem(y.predicate)}
    shared = (x.stems & y.stems) - pstems
    if shared or set(participants(x)) & set(participants(y)):
        return True
    # "No one was injured": the predicate is all a short statement says about its event.
    return any(len(s.stems - pstems) == 0 and event_class(s.predicate) is not None for s in (x, y))


# Predicates too generic to name an event on their own.
GENERIC_PREDICATES = frozenset(
    """say tell be have do make get go come take give see know think want need include add use find
    believe expect report state note show become remain seem continue like work help call ask hope
    try keep leave put mean let begin start look feel provide hold bring write""".split()
)


def predicate_class(s: Statement) -> str | None:
    """The event signature of a parsed statement: its predicate's event class, else its stem.

    Args:
        s: the statement.

    Returns:
        ``"class:N"`` for a known kind of event, the predicate's stem otherwise, None when
        unparsed or the predicate is too generic.
    """
    if not (s.parsed and s.predicate) or s.predicate in GENERIC_PREDICATES:
        return None
    cls = event_class(s.predicate)
    return f"class:{cls}" if cls is not None else stem(s.predicate)


def same_frame(x: Statement, y: Statement) -> str | None:
    """"same event: congratulate Vladimir Putin–Donald Trump" when both name one event with
    the same participants; None otherwise.

    Args:
        x, y: two statements.

    Returns:
        The evidence string, or None.
    """
    px, py = predicate_class(x), predicate_class(y)
    if px is None or px != py or persons_differ(x, y):
        return None
    if is_modal(x) != is_modal(y) and not (x if is_modal(x) else y).early:
        # "Putin may speak with Trump" is a possibility, "Putin and Trump spoke" a fact; a
        # provisional plan ("does not plan to ... yet") is compared with what followed.
        return None
    ex, ey = participants(x), participants(y)
    shared = set(ex) & set(ey)
    if len(shared) < 2:
        return None  # one shared name is a topic, not an event's participants
    names = "–".join(sorted({ex[e] for e in shared}))
    when = ""
    if x.claim.event_date and x.claim.event_date == y.claim.event_date:
        when = f" on {x.claim.event_date.isoformat()}"
    return f"same event: {x.predicate} {names}{when}"


_PRONOUN_RE = re.compile(r"\b(?:he|she|i|we|they|him|her|me|us|them)\b", re.I)


def participants(s: Statement) -> dict[str, str]:
    """People and organisations a statement is about: the names in its proposition, plus
    its speaker when the proposition refers to them by pronoun ("Trump told NBC News that
    he had not yet spoken with Putin": Trump and Putin).

    Args:
        s: the statement.

    Returns:
        Entity id -> canonical name.
    """
    out = {en.entity_id: en.canonical for en in s.mentions if en.label in ("PERSON", "ORG")}
    if s.speaker and _PRONOUN_RE.search(s.content):
        for en in s.sentence_mentions:
            if en.canonical == s.speaker and en.label in ("PERSON", "ORG"):
                out.setdefault(en.entity_id, en.canonical)
                break
    return out


def is_thin(s: Statement) -> bool:
    """Too little said to contradict anything ("Those are his words"); a short statement
    with an event predicate of its own ("no one was injured") is not thin.

    Args:
        s: the statement.

    Returns:
        Whether it has fewer than :data:`MIN_STEMS` content words and no event predicate.
    """
    if s.parsed and s.predicate and s.predicate not in GENERIC_PREDICATES and event_class(s.predicate) is not None:
        return False
    return len(s.stems) < MIN_STEMS


# Statements with fewer content words than this take part only as denials or their targets.
MIN_STEMS = 3
