"""Statements: claims made ready for comparison (parse, words, numbers, time, vectors).

A :class:`Statement` wraps one :class:`~storydesk.records.Claim` with what the
comparison needs and the claim record cannot hold: the content's stems and entities, the
numbers with what they count, the time the statement speaks for, the parse-based polarity
and predicate, and the update markers.

spaCy's dependency parse (English) is used here, on the claim contents of one story only:
compare runs per story, on demand, so parsing a few hundred sentences is affordable
(~3-4k words/s), while parsing the whole corpus at ingest would not be. Other languages
keep the rule-based polarity of :func:`~storydesk.compare.claims.extract_claims`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from storydesk import models
from storydesk.compare import textutil
from storydesk.compare.claims import claim_content
from storydesk.compare.textutil import Cue, NumberMention
from storydesk.records import Article, ArticleFacts, Claim, Entity

log = logging.getLogger(__name__)

# Predicates that name the same kind of quantity ("killed", "dead", "death toll").
_QUANTITY_CLASSES = {
    "die": "die", "dead": "die", "death": "die", "kill": "die", "fatality": "die", "toll": "die",
    "life": "die", "perish": "die",
    "injure": "injure", "injury": "injure", "wound": "injure", "hurt": "injure", "injured": "injure",
    "hospitalize": "hospital", "hospital": "hospital", "treat": "hospital",
    "arrest": "arrest", "detain": "arrest", "detention": "arrest",
    "affect": "affect", "expose": "affect", "steal": "affect", "compromise": "affect", "access": "affect",
    "release": "release", "free": "release", "exchange": "release", "swap": "release",
    "evacuate": "evacuate", "rescue": "rescue", "miss": "missing", "missing": "missing",
    "board": "aboard", "aboard": "aboard", "carry": "aboard", "passenger": "aboard",
    "classify": "classify", "classified": "classify", "weigh": "weight", "pound": "weight",
    "age": "age", "old": "age", "floor": "floor", "injure_": "injure",
}
_GENERIC_NOUNS = frozenset("people person persons individual individuals".split())


@dataclass
class Quantity:
    """A number and what it counts (``kind``: a class like ``die``/``injure``; ``noun``)."""

    number: NumberMention
    kind: str | None
    noun: str | None


@dataclass
class Statement:
    """One claim with everything the comparison reads. Internal to the compare stage."""

    claim: Claim
    article: Article
    index: int
    content: str
    c0: int
    c1: int
    prop: str  # the content without dateline and attribution (what alignment compares)
    p0: int
    stems: frozenset[str]
    entity_ids: frozenset[str]
    polarity: str
    denies: bool
    hedged: bool
    speaker: str | None
    time: date | None
    time_basis: str
    numbers: list[NumberMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    denial: list[Cue] = field(default_factory=list)
    early: list[Cue] = field(default_factory=list)
    late: list[Cue] = field(default_factory=list)
    negation: list[Cue] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    predicate: str | None = None
    subject: str | None = None
    obj: str | None = None
    target: int | None = None  # index of the statement a bare denial answers
    parsed: bool = False
    mentions: tuple[Entity, ...] = ()
    sentence_stems: frozenset[str] = frozenset()
    sentence_entity_ids: frozenset[str] = frozenset()
    sentence_people: frozenset[str] = frozenset()
    sentence_mentions: tuple[Entity, ...] = ()
    denied_text: str | None = None  # for a denial: what it rejects, when the parse finds it
    denied_stems: frozenset[str] = frozenset()
    denied_entity_ids: frozenset[str] = frozenset()
    denied: tuple[int, ...] = ()  # for a denial: the statements it may be answering
    modal: bool | None = None  # main predicate is a possibility, plan or forecast (None: unparsed)
    preps: frozenset[str] = frozenset()  # prepositions on the core predicate ("speak with" / "about")

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def article_id(self) -> str:
        return self.article.id

    @property
    def outlet(self) -> str | None:
        return self.article.outlet

    @property
    def language(self) -> str | None:
        for p in self.article.paragraphs:
            if p.start <= self.claim.start < p.end:
                return p.language or self.article.language
        return self.article.language


def build_statements(items: Sequence[tuple[Article, ArticleFacts | None, Sequence[Claim]]],
                     *, parse: bool = True) -> tuple[list[Statement], list[str]]:
    """Make statements of the claims of a story's articles.

    Args:
        items: ``(article, facts, claims)`` per article.
        parse: run spaCy's parser on English contents (polarity, predicate, quantities).

    Returns:
        ``(statements, notes)``: notes say what fell back (no parser).
    """
    out: list[Statement] = []
    notes: list[str] = []
    for article, facts, claims in items:
        entities = facts.entities if facts else ()
        date_spans = [(d.start, d.end) for d in (facts.dates if facts else ())]
        for c in claims:
            out.append(_statement(c, article, entities, date_spans, len(out)))
    by_id = {s.id: s.index for s in out}
    for s in out:
        if s.claim.target_id and s.claim.target_id in by_id:
            s.target = by_id[s.claim.target_id]
    _denial_candidates(out)
    if parse:
        try:
            nlp = models.spacy_english()
        except models.ModelUnavailable as exc:
            notes.append(f"no English parser ({exc}): polarity and quantities read by rules only")
            nlp = None
        if nlp is not None:
            _parse(out, nlp)
    return out, notes


# How many earlier statements of its article an anaphoric denial ("China denied the
# reports") may be answering: the article usually restates the report just before.
DENIAL_CONTEXT = 2
_ANAPHORIC_RE = re.compile(
    r"^(?:this|that|it|these|those|such)\b|\b(?:the|these|those|such|media|press)\s+(?:\w+\s+)?"
    r"(?:reports?|claims?|allegations?|accusations?|charges?|information|situation|rumou?rs?|story|stories|"
    r"accounts?|revelations?)\b",
    re.I,
)


def _denial_candidates(stmts: list[Statement]) -> None:
    """For each denial, the statements it may answer: itself, its resolved target, context."""
    by_article: dict[str, list[Statement]] = {}
    for s in stmts:
        by_article.setdefault(s.article_id, []).append(s)
    for s in stmts:
        if not s.denies:
            continue
        cands = [s.index]
        if s.target is not None:
            cands.append(s.target)
        if s.target is not None or _ANAPHORIC_RE.search(s.content) or _ANAPHORIC_RE.search(s.claim.text):
            before = [t for t in by_article[s.article_id]
                      if t.claim.end <= s.claim.start and not t.denies and t.polarity == "positive"
                      and (t.speaker is None or t.speaker != s.speaker)]
            cands.extend(t.index for t in before[-DENIAL_CONTEXT:])
        s.denied = tuple(dict.fromkeys(cands))


def _statement(c: Claim, article: Article, entities: Sequence[Entity], date_spans, index: int) -> Statement:
    text = article.text
    content = claim_content(c, text)
    c0 = c.content_start if c.content_start is not None else c.start
    c1 = c.content_end if c.content_end is not None else c.end
    mentions = tuple(en for en in entities if c0 <= en.start and en.end <= c1)
    ents = frozenset(en.entity_id for en in mentions)
    time, basis = (c.said_on, "said") if c.said_on else (article.published, "published") if article.published else (None, "none")
    nums = textutil.numbers(content, c0, skip=date_spans)
    sentence = c.text
    ps, pe = textutil.proposition_bounds(content)
    prop = content[ps:pe]
    return Statement(
        claim=c,
        article=article,
        index=index,
        content=content,
        c0=c0,
        c1=c1,
        prop=prop,
        p0=c0 + ps,
        stems=frozenset(textutil.content_stems(prop)),
        entity_ids=ents,
        polarity=c.polarity,
        denies=c.denies,
        hedged=c.hedged,
        speaker=c.attributed_to,
        time=time,
        time_basis=basis,
        numbers=nums,
        quantities=[Quantity(n, *_window_kind(content, n.start - c0, n.end - c0)) for n in nums],
        denial=textutil.denial_cues(sentence, c.start),
        early=textutil.early_markers(sentence, c.start),
        late=textutil.late_markers(sentence, c.start),
        negation=textutil.negations(content, c0),
        quoted=textutil.quoted_phrases(content),
        mentions=mentions,
        sentence_stems=frozenset(textutil.content_stems(sentence)),
        sentence_entity_ids=frozenset(en.entity_id for en in entities if c.start <= en.start and en.end <= c.end),
        sentence_people=frozenset(en.entity_id for en in entities
                                  if c.start <= en.start and en.end <= c.end and en.label == "PERSON"),
        sentence_mentions=tuple(en for en in entities if c.start <= en.start and en.end <= c.end),
    )


def _window_kind(text: str, s: int, e: int) -> tuple[str | None, str | None]:
    """What a number counts, read from the words after it (no parse): "25 people were injured"."""
    after = textutil.words(text[e:e + 60])[:5]
    noun = None
    kind = None
    for w in after:
        st = textutil.stem(w)
        if kind is None and (st in _QUANTITY_CLASSES or w in _QUANTITY_CLASSES):
            kind = _QUANTITY_CLASSES.get(st) or _QUANTITY_CLASSES.get(w)
        if (noun is None and w not in textutil.lexicon.STOPWORDS and st not in _QUANTITY_CLASSES
                and w not in _QUANTITY_CLASSES and not w.endswith("ed")):
            noun = textutil.stem(w)
            if w in _GENERIC_NOUNS:
                noun = "people"
        if noun is None and (st in _QUANTITY_CLASSES or w in _QUANTITY_CLASSES):
            break  # "59 are dead": the count has no noun of its own
    return kind, noun


# --------------------------------------------------------------------------- parse


def _parse(stmts: list[Statement], nlp) -> None:
    todo = [s for s in stmts if (s.language or "en") == "en"]
    # Denials are also parsed as whole sentences, to find what they deny.
    texts = list(dict.fromkeys([s.prop for s in todo] + [s.claim.text for s in todo if s.denies]))
    docs = {}
    disable = [p for p in ("ner",) if p in nlp.pipe_names]
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64, disable=disable)):
        docs[text] = doc
    for s in todo:
        doc = docs.get(s.prop)
        if doc is None:
            continue
        _read_doc(s, doc)
        if s.denies:
            _read_denied(s, docs[s.claim.text])


_DENY_LEMMAS = frozenset("deny dismiss reject refute rebut disavow debunk insist dispute".split())
_REPORT_HEADS = frozenset(
    "report claim allegation accusation charge rumour rumor story information speculation suggestion "
    "assertion revelation account situation".split()
)


def _read_denied(s: Statement, doc) -> None:
    """What a denial rejects, from its sentence's parse.

    "Weinstein denied ever threatening her prospects" -> "ever threatening her prospects";
    "charges of Chinese ships sending oil ... do not accord with facts" -> the subject;
    "China insists that there was no sanctions violation" -> the complement.
    """
    span = None
    for t in doc:
        if t.lemma_.lower() in _DENY_LEMMAS and not any(ch.dep_ == "neg" for ch in t.children):
            comp = [ch for ch in t.children if ch.dep_ in ("ccomp", "xcomp", "dobj", "pcomp")]
            if comp:
                head = comp[0]
                # "dismissed the allegations that X" / "denied reports of X": the clause.
                if head.lemma_.lower() in _REPORT_HEADS:
                    inner = [g for g in head.children if g.dep_ in ("acl", "relcl", "prep", "ccomp")]
                    if inner:
                        head = inner[0]
                span = (head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text))
                break
    if span is None:
        # "charges of X do not accord with facts": the subject of the denial phrase, under
        # any reporting verb ("..., Hua said").
        from storydesk.analyze.cues import CUE_FORMS

        root = _main_predicate(doc)
        for _ in range(2):
            if root is None or root.lower_ not in CUE_FORMS:
                break
            root = next((ch for ch in root.children if ch.dep_ in ("ccomp", "xcomp")), None)
        if root is not None:
            subj = next((ch for ch in root.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
            if (subj is not None and (subj.right_edge.i - subj.left_edge.i) >= 2
                    and subj.ent_type_ not in ("PERSON",) and subj.pos_ != "PRON"):
                span = (subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text))
    if span is None:
        return
    text = doc.text[span[0]:span[1]]
    if len(textutil.content_stems(text)) < 2:
        return
    a, b = s.claim.start + span[0], s.claim.start + span[1]
    s.denied_text = text
    s.denied_stems = frozenset(textutil.content_stems(text))
    s.denied_entity_ids = frozenset(en.entity_id for en in s.sentence_mentions if a <= en.start and en.end <= b)


_NEG_WORDS = frozenset("no not never none nobody nothing neither nor n't without".split())
_SUBJ_DEPS = ("nsubj", "nsubjpass", "expl", "csubj")
_ARG_DEPS = ("nsubj", "nsubjpass", "dobj", "attr", "acomp", "pobj", "oprd")


def _main_predicate(doc):
    roots = [t for t in doc if t.dep_ == "ROOT"]
    return roots[0] if roots else None


def _is_negated(pred) -> bool:
    """Negation on the main predicate or on its core arguments ("no one", "no details")."""
    for ch in pred.children:
        if ch.dep_ == "neg" or ch.lower_ in ("never", "n't", "not"):
            return True
        if ch.dep_ in _ARG_DEPS or ch.dep_ == "prep":
            heads = [ch] + ([g for g in ch.children if g.dep_ == "pobj"] if ch.dep_ == "prep" else [])
            for h in heads:
                if h.lower_ in ("nothing", "nobody", "none", "noone"):
                    if ch.dep_ != "prep":
                        return True
                if any(g.dep_ == "det" and g.lower_ == "no" for g in h.children) and ch.dep_ != "prep":
                    return True
                if h.lower_ == "one" and any(g.lower_ == "no" for g in h.children):
                    return True
    # "There were no survivors": existential with a negated attribute.
    return False


# Verbs whose complement carries the event: "does not plan to congratulate" is about
# congratulating; "is open to talks" about being open.
_LIGHT_VERBS = frozenset(
    "plan intend want expect try seek hope go be have need continue begin start decide agree refuse "
    "promise pledge vow threaten able likely set aim wish prepare mean get make take".split()
)


def _core_predicate(pred) -> str:
    """The lemma that names the event: through light verbs and copulas to their complement."""
    tok = pred
    for _ in range(4):
        lemma = tok.lemma_.lower()
        nxt = None
        if lemma in _LIGHT_VERBS:
            nxt = next((ch for ch in tok.children if ch.dep_ in ("xcomp",)), None)
            if nxt is None and lemma in ("be", "have", "make", "take", "get"):
                nxt = next((ch for ch in tok.children if ch.dep_ in ("attr", "acomp", "dobj", "oprd")), None)
            if nxt is None and lemma == "be":
                # "is (not) out of control": the state the copula names.
                prep = next((ch for ch in tok.children if ch.dep_ == "prep"), None)
                pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
                if pobj is not None:
                    return f"{prep.lemma_.lower()}-{pobj.lemma_.lower()}"
        if nxt is None:
            break
        tok = nxt
    return tok.lemma_.lower()


_MODAL_AUX = frozenset("will would could may might shall can should must ll 'll wo".split())
# Governing words that make their complement a plan, forecast or possibility.
_MODAL_HEADS = frozenset(
    "plan intend expect want hope seek aim wish prepare likely possible possibly probably "
    "pledge promise vow threaten going able ready consider".split()
)


_OPINION_HEADS = frozenset("think believe guess suppose reckon say tell add note".split())


def _is_modal(pred) -> bool:
    """Is the main clause a possibility, plan or forecast ("may speak", "will not initiate",
    "does not plan to congratulate", "pledged to end") rather than a statement of what
    happened? Read on the main predicate and its light-verb chain only, so "had not yet
    spoken ..., but believes that they will" is a statement about the past."""
    tok = pred
    for _ in range(4):
        if tok.lemma_.lower() in _MODAL_HEADS:
            return True
        if tok.lower_ in ("going", "gonna") and any(ch.dep_ == "xcomp" for ch in tok.children):
            return True  # "he's going to make a phone call"
        for ch in tok.children:
            if ch.dep_ in ("aux", "auxpass") and ch.lower_.strip("'") in _MODAL_AUX:
                return True
            if ch.dep_ == "advmod" and ch.lemma_.lower() in ("possibly", "probably", "perhaps", "maybe"):
                return True
        nxt = next((ch for ch in tok.children if ch.dep_ == "xcomp"), None)
        if nxt is None:
            nxt = next((ch for ch in tok.children if ch.dep_ in ("acomp", "attr") and ch.lemma_.lower() in _MODAL_HEADS), None)
        if nxt is None and tok.lemma_.lower() in _OPINION_HEADS:
            # "I think he's going to call": the opinion frames a forecast.
            nxt = next((ch for ch in tok.children if ch.dep_ == "ccomp"), None)
        if nxt is None:
            break
        tok = nxt
    return False


def _head_label(tok, ents_by_token) -> str | None:
    if tok is None:
        return None
    for t in tok.subtree:
        if t.i in ents_by_token:
            return ents_by_token[t.i]
    return tok.lemma_.lower()


# Verbs that report someone else's statement: the proposition is their complement
# ("a leading Chinese engineer has said [China's space station is not out of control]").
_REPORT_VERBS = frozenset(
    "say tell report add state announce confirm claim insist explain note reveal write tweet "
    "declare allege assert acknowledge admit warn argue suggest indicate stress emphasize "
    "emphasise maintain believe think hear learn understand".split()
)


def _proposition_head(doc):
    """The head of what a sentence states: its main predicate, or, when that is a verb of
    saying, the clause it reports ("X said [that] Y" / "Y, X said")."""
    pred = _main_predicate(doc)
    for _ in range(2):
        if pred is None or pred.lemma_.lower() not in _REPORT_VERBS:
            break
        comp = next((ch for ch in pred.children if ch.dep_ == "ccomp"), None)
        if comp is None:
            break
        pred = comp
    return pred


def _read_doc(s: Statement, doc) -> None:
    pred = _proposition_head(doc)
    if pred is None:
        return
    s.parsed = True
    # Conjoined main clauses ("X happened and Y happened"): the first carries polarity.
    # An idiom the parser reads as negation ("came not long after") negates nothing.
    negated = _is_negated(pred) and bool(textutil.negations(s.prop))
    if not s.denies:
        s.polarity = "negative" if negated else "positive"
    s.predicate = _core_predicate(pred)
    core = next((t for t in (pred, *pred.subtree) if t.lemma_.lower() == s.predicate), None)
    if core is not None:
        s.preps = frozenset(ch.lower_ for ch in core.children if ch.dep_ in ("prep", "dative"))
    s.modal = _is_modal(pred)
    offsets = {}
    base = s.p0
    # Entity mentions are in article offsets; map tokens to the canonical entity they sit in.
    ents = [(en.start - base, en.end - base, en.canonical) for en in s.mentions]
    for t in doc:
        for a, b, canon in ents:
            if a <= t.idx < b:
                offsets[t.i] = canon
    subj = next((ch for ch in pred.children if ch.dep_ in _SUBJ_DEPS), None)
    obj = next((ch for ch in pred.children if ch.dep_ in ("dobj", "attr", "oprd")), None)
    if obj is None:
        prep = next((ch for ch in pred.children if ch.dep_ == "prep"), None)
        if prep is not None:
            obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    s.subject = _head_label(subj, offsets)
    s.obj = _head_label(obj, offsets)
    # Quantities: what each number counts, from the parse.
    quantities = []
    for q in s.quantities:
        tok = next((t for t in doc if t.idx <= q.number.start - base < t.idx + len(t.text) + 1 and t.like_num), None)
        if tok is None:
            tok = next((t for t in doc if t.idx >= q.number.start - base and t.like_num), None)
        if tok is None:
            quantities.append(q)
            continue
        kind, noun = _quantity_of(tok)
        # The parse's noun when the number modifies one ("25 people"); none when the
        # number is itself the subject ("59 are dead").
        # The window's noun ("rose to 85, Christian Estrosi said") is not what a number
        # that modifies nothing counts.
        noun = noun if tok.dep_ in ("nummod", "quantmod", "compound") else noun
        quantities.append(Quantity(q.number, kind or q.kind, noun))
    s.quantities = quantities


def _quantity_of(tok) -> tuple[str | None, str | None]:
    """(kind, noun) of a number token: "59 are dead" -> (die, None); "25 people were injured"."""
    noun = None
    head = tok
    if tok.dep_ in ("nummod", "quantmod", "compound") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        head = tok.head
        noun = head.lemma_.lower()
    kinds = []
    for t in (head, head.head, head.head.head):
        lem = t.lemma_.lower()
        if lem in _QUANTITY_CLASSES:
            kinds.append(_QUANTITY_CLASSES[lem])
        for ch in t.children:
            cl = ch.lemma_.lower()
            if ch.dep_ in ("acomp", "attr", "amod", "advcl", "xcomp", "dobj") and cl in _QUANTITY_CLASSES:
                kinds.append(_QUANTITY_CLASSES[cl])
        if t.pos_ in ("VERB", "AUX"):
            # "The death toll ... rose to 85": what the verb's subject counts.
            for ch in t.children:
                if ch.dep_ in ("nsubj", "nsubjpass") and ch.lemma_.lower() in _QUANTITY_CLASSES:
                    kinds.append(_QUANTITY_CLASSES[ch.lemma_.lower()])
            # "51 were taken to (the) hospital", "rushed to hospital".
            for ch in t.children:
                if ch.dep_ == "prep" and ch.lower_ in ("to", "in", "into"):
                    for g in ch.children:
                        if g.dep_ == "pobj" and _QUANTITY_CLASSES.get(g.lemma_.lower()) == "hospital":
                            kinds.append("hospital")
            break
    if noun in _GENERIC_NOUNS:
        noun = "people"
    return (kinds[0] if kinds else None), noun


def enriched_claim(s: Statement) -> Claim:
    """The claim record with the parse's subject, predicate and object filled in."""
    c = s.claim
    return replace(c, subject=c.subject or s.subject, predicate=c.predicate or s.predicate,
                   obj=c.obj or s.obj, polarity=s.polarity)
