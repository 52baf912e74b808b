"""The typed records that flow between stages.

Every record is a frozen dataclass. Every extracted item carries provenance: the id of
the article it came from and character offsets into that article's clean text, so that
``article.text[item.start:item.end] == item.text`` always holds. Dates are
``datetime.date`` (or timezone-aware ``datetime``) inside the program, never strings;
they become ISO strings only at the interfaces (see :func:`iso_value`, :func:`timex_value`).

Records are plain data: no methods that do I/O, no references to models or stores, so
they pickle cleanly (the Spark backend ships them between processes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

# --------------------------------------------------------------------------- inputs

InputFormat = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One readable input, as a source produced it, before extraction.

    Attributes:
        source: stable reference to where it came from: a path, a URL, or a path/URL
            with a fragment for one record inside a container (``dump.jsonl#line=3``,
            ``feed.xml#entry=2``).
        body: the decoded content (plain text or HTML).
        format: how ``body`` is to be read.
        meta: fields the container supplied alongside the body (``title``, ``url``,
            ``published``, ``outlet``, ``language``, ``authors``, ``description``). Values
            are raw strings as found; extraction validates and normalises them.
        encoding: the encoding the bytes were decoded with (for the record).
    """

    source: str
    body: str
    format: InputFormat
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None


RejectionStage = Literal["read", "extract", "analyze", "stories", "store"]


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that did not become an article, and why.

    Attributes:
        source: the same stable reference a :class:`RawDocument` would have had.
        stage: the stage that rejected it.
        code: a short machine-readable reason (``empty``, ``binary``, ``encoding``,
            ``too-large``, ``malformed-json``, ``malformed-feed``, ``unreachable``,
            ``no-text``, ``unsupported``, ``not-found``, ``unreadable``).
        detail: a sentence a user can act on.
    """

    source: str
    stage: RejectionStage
    code: str
    detail: str


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of an article's clean text, with its own language."""

    start: int
    end: int
    language: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """A clean news article with its metadata.

    Attributes:
        id: content hash of the clean text (stable: re-ingesting gives the same id).
        source: where it was first read from (path or URL, see :class:`RawDocument`).
        text: the clean main text; paragraphs are separated by one blank line.
        title: the headline, or None when the input has none.
        published: publication date, or None when the input does not give one.
        published_at: publication instant when the input gives a time and a timezone.
        outlet: canonical outlet name from the outlet registry (or the bare domain when
            the registry does not know it), or None.
        outlet_domain: the registrable domain the outlet was identified by, if any.
        url: the article's URL when known.
        language: ISO 639-1 code of the article's main language, or None if undetectable.
        paragraphs: offsets and language of each paragraph of ``text``.
        authors: bylines, when given.
        provenance: how each metadata field was found (``{"title": "first-line", ...}``),
            so a user can see why the tool believes what it shows.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    published: date | None = None
    published_at: datetime | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    url: str | None = None
    language: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    authors: tuple[str, ...] = ()
    provenance: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- facts (analyze)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article's clean text."""

    article_id: str
    start: int
    end: int
    language: str | None = None


EntityLabel = Literal["PERSON", "ORG", "PLACE", "GROUP", "OTHER"]


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention of a named entity, resolved to a canonical entity.

    Attributes:
        article_id, start, end, text: the mention and where it is.
        label: coarse type (PERSON, ORG, PLACE, GROUP for nationalities/religions, OTHER).
        canonical: the canonical name ("Vladimir Putin") shared by all mentions of the
            same entity, within the article and across the corpus.
        entity_id: stable corpus-level id for the canonical entity (``person:vladimir-putin``).
        via: how this mention was resolved (``ner``, ``alias``, ``surname``, ``title``,
            ``role``, ``pronoun``, ``gazetteer``), for explanation.
    """

    article_id: str
    start: int
    end: int
    text: str
    label: EntityLabel
    canonical: str
    entity_id: str
    via: str = "ner"


DatePrecision = Literal["year", "month", "week", "day", "time", "season", "quarter", "decade", "century"]
DateKind = Literal["date", "time", "duration", "set"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or time expression, normalised on the calendar when possible.

    Attributes:
        article_id, start, end, text: the expression and where it is.
        value: the resolved calendar date (first day of the period for month/year/week
            precision, and for a season, quarter, decade or century), or None when it cannot
            be resolved (a relative expression in an article without a publication date; a
            duration).
        precision: the precision ``value`` is known to. At the interfaces
            :func:`iso_value` formats it as ISO 8601 (None for a season, quarter, decade or
            century, which have no ISO calendar form) and :func:`timex_value` as TimeML.
        kind: ``date`` / ``time`` for points in time; ``duration`` ("six months") and ``set``
            ("every Friday") are recorded but never given a calendar value.
        relative: True when resolving needed the publication date ("on Thursday").
        direction: for relative expressions, whether the text places it in the past or
            the future of the publication date (decided by tense), else None.
    """

    article_id: str
    start: int
    end: int
    text: str
    value: date | None
    precision: DatePrecision | None
    kind: DateKind = "date"
    relative: bool = False
    direction: Literal["past", "future", "present"] | None = None


QuoteKind = Literal["direct", "indirect", "mixed"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Something a source said, as reported in an article.

    Attributes:
        id: stable id (article id + offsets).
        article_id, start, end, text: the quoted content (without the quotation marks
            for direct quotes; the reported clause for indirect speech).
        speaker: canonical name of who said it, or None when it cannot be told.
        speaker_id: corpus-level entity id of the speaker, when it is a known entity.
        speaker_start, speaker_end: the mention in the text that names or refers to the
            speaker ("he", "the spokesman", "Peskov"), when there is one.
        cue: the cue word ("said", "told", "according to"), with its offsets.
        kind: ``direct`` (verbatim in quotation marks), ``indirect`` (reported speech) or
            ``mixed`` (reported speech with a quoted fragment).
        said_on: the day it was said, or None.
        said_on_basis: why ``said_on`` is what it is (``explicit`` when the text dates the
            remark, ``published`` when the article reports it as the day's news, ``none``).
        parts: for a quote split by its attribution ("It's not ruled out," he said. "[...]"),
            the offsets of each quoted piece; ``start``/``end`` span them all.
        content: the quoted words only, for display and comparison: the parts joined with
            " … " for a split quote (so the attribution between them is left out), the
            reported clause for indirect speech; without punctuation that belongs to the
            surrounding sentence (the comma before "he said"). Empty only for quotes made
            before this field existed.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_id: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    kind: QuoteKind = "direct"
    said_on: date | None = None
    said_on_basis: Literal["explicit", "published", "none"] = "none"
    parts: tuple[tuple[int, int], ...] = ()
    language: str | None = None
    content: str = ""


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything the analyze stage found in one article.

    Attributes:
        article_id: the article analysed.
        language: the language the analysis ran for.
        analysed: False when no analyser serves the language (then only dates found by
            language-independent rules are present); ``note`` says why.
        note: human-readable explanation of fallbacks ("no model for 'de': entities and
            quotes not analysed").
    """

    article_id: str
    language: str | None
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    analysed: bool = True
    note: str | None = None


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class Claim:
    """A factual statement an article makes or reports.

    Attributes:
        id: stable id (article id + offsets).
        article_id, start, end, text: the sentence or clause stating it.
        attributed_to: who the article says makes the claim ("The Washington Post",
            "Dmitry Peskov"), or None when the outlet asserts it in its own voice.
        subject, predicate, obj: the proposition, canonicalised where possible
            (subject/obj as canonical entity names, predicate as a lemma).
        polarity: ``negative`` when the statement denies or negates the predicate.
        hedged: True when marked as uncertain ("allegedly", "reportedly").
        event_date: the date the claimed event happened, when the text gives it.
        entity_ids: the canonical entities the claim mentions.
        numbers: the numeric values it states (normalised strings: "100", "24 hours").
        quote_id: the quote this claim comes from, if any.
        denies: True when the statement is a denial of another report ("pure fiction").
        said_on: when the statement was made (the quote's ``said_on``), if known.
        content_start, content_end: the proposition inside ``text`` (the reported clause of
            "X said that ..."; the denied clause of "X denied that ..."), as article offsets;
            None when it is the whole span.
        target_id: for a denial whose object is a claim of the same article ("This is pure
            fiction"), the id of the claim it denies.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    attributed_to: str | None = None
    subject: str | None = None
    predicate: str | None = None
    obj: str | None = None
    polarity: Literal["positive", "negative"] = "positive"
    hedged: bool = False
    event_date: date | None = None
    entity_ids: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    quote_id: str | None = None
    denies: bool = False
    said_on: date | None = None
    content_start: int | None = None
    content_end: int | None = None
    target_id: str | None = None


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """A copy relation: ``article_id`` is (a light edit of) the earlier ``original_id``."""

    article_id: str
    original_id: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Membership:
    """Why an article is in a story: the scores that decided it.

    Attributes:
        reason: ``new-story``, ``joined``, ``near-duplicate`` or ``merged``.
        scores: the component scores (``title``, ``entities``, ``embedding``, ``time``,
            ``total``) against the story it joined, for explanation.
    """

    article_id: str
    story_id: str
    score: float
    reason: str
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Story:
    """The articles about one event."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    first_published: date | None = None
    last_published: date | None = None
    entities: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True, slots=True)
class Span:
    """A cited piece of an article: what it says and where."""

    article_id: str
    start: int
    end: int
    text: str
    outlet: str | None = None
    attributed_to: str | None = None
    said_on: date | None = None


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """The same remark as reported by several articles (possibly translated)."""

    id: str
    speaker: str | None
    said_on: date | None
    quote_ids: tuple[str, ...]
    members: tuple[Span, ...]
    score: float = 1.0


ClaimStance = Literal["supports", "contradicts", "discusses", "omits"]


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """One proposition across a story: per article, does it carry it, contradict it, or omit it.

    ``first_article_id`` is the earliest article carrying it (provenance); ``contested`` is
    True when some article denies or conflicts with it.
    """

    id: str
    proposition: str
    claim_ids: tuple[str, ...]
    stances: dict[str, ClaimStance]
    members: tuple[Span, ...]
    first_article_id: str | None = None
    contested: bool = False


ContradictionKind = Literal["denial", "conflict", "superseded"]


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two cited statements that disagree, with the kind and the evidence for the verdict.

    ``a`` is the claim, ``b`` the statement against it (the denial; for ``superseded`` the
    later statement). ``a_claim_id``/``b_claim_id`` name the claims, ``group_id`` the claim
    group the pair belongs to, when known. One contradiction stands for one claim group
    against one party: ``a_also``/``b_also`` cite the other sentences that state the same
    claim or the same denial (five sentences of one denial are one contradiction).
    """

    kind: ContradictionKind
    a: Span
    b: Span
    score: float
    evidence: tuple[str, ...] = ()
    a_claim_id: str | None = None
    b_claim_id: str | None = None
    group_id: str | None = None
    a_also: tuple[Span, ...] = ()
    b_also: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Omission:
    """A fact most articles of a story carry that one outlet leaves out.

    ``reason`` is ``majority`` (most articles carry it) or ``contested`` (a denial or
    conflict other articles report: leaving it out leaves the reader one side only).
    """

    outlet: str | None
    article_id: str
    missing: str
    carried_by: tuple[str, ...]
    group_id: str
    reason: str = "majority"
    what: str = "claim"  # claim | quote | denial | conflict: what is left out
    cited: tuple[Span, ...] = ()  # where the other outlets say it


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event of a story, with the articles that report it."""

    date: date
    precision: DatePrecision
    text: str
    article_ids: tuple[str, ...]
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a story's extractive summary, with the articles that support it.

    Attributes:
        text: the sentence, as one article printed it.
        article_ids: the articles that carry it (the citation).
        outlets: their outlets, in the same order (None where unknown).
        contested: True when some article denies or contradicts it.
        contested_by: the articles that deny or contradict it.
        spans: where the sentence (and its equivalents) sit in the articles.
    """

    text: str
    article_ids: tuple[str, ...]
    outlets: tuple[str | None, ...] = ()
    contested: bool = False
    contested_by: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class StanceResult:
    """An article's stance towards a claim the user typed (``storydesk check``).

    ``reasons`` are short human-readable strings saying what decided the stance.
    """

    article_id: str | None
    stance: Literal["supports", "contradicts", "discusses", "unrelated"]
    score: float
    evidence: tuple[Span, ...] = ()
    reasons: tuple[str, ...] = ()


# --------------------------------------------------------------------------- helpers


def iso_value(value: date | None, precision: DatePrecision | None) -> str | None:
    """Format a date as ISO 8601 at its own precision: ``2024``, ``2024-11``, ``2024-W45``
    (an ISO week date), ``2024-11-07``.

    This is the ``value`` of the date contract (``storydesk article ID --json``). A season,
    quarter, decade or century has no ISO 8601 calendar form, so it is None here; its
    precise TimeML form ("2024-WI", "2024-Q1", "199", "18") is :func:`timex_value`.

    Args:
        value: the date, or None.
        precision: how much of ``value`` is known.

    Returns:
        The ISO string, or None when ``value`` is None or the period has no ISO form.
    """
    if value is None or precision in ("season", "quarter", "decade", "century"):
        return None
    return timex_value(value, precision)


def timex_value(value: date | None, precision: DatePrecision | None) -> str | None:
    """Format a date as a TimeML (TIMEX3) value at its own precision.

    The ISO forms of :func:`iso_value` (``2024``, ``2024-11``, ``2024-W45``, ``2024-11-07``)
    extended with TimeML's forms for periods ISO 8601 has none for: ``2024-SU`` (season),
    ``2024-Q1`` (quarter), ``199`` (decade: the 1990s), ``18`` (century: the 1800s).

    Args:
        value: the date (the first day of the period), or None.
        precision: how much of ``value`` is known.

    Returns:
        The TimeML value, or None when ``value`` is None.
    """
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if precision == "week":
        year, week, _ = value.isocalendar()
        return f"{year:04d}-W{week:02d}"
    # TimeML forms: a season by the year it starts in ("2024-WI" is Dec 2024 – Feb 2025),
    # a quarter by its number, a decade by its first three digits ("199" = the 1990s), a
    # century by its first two ("18" = the 1800s, the 19th century).
    if precision == "season":
        code = {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA", 11: "FA"}
        return f"{value.year:04d}-{code.get(value.month, 'WI')}"
    if precision == "quarter":
        return f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"
    if precision == "decade":
        return f"{value.year // 10:03d}"
    if precision == "century":
        return f"{value.year // 100:02d}"
    return value.isoformat()
