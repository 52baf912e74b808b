"""Claims: the factual statements of one article, with who makes them.

:func:`extract_claims` runs at the end of analysis, once per article, so it is cheap and
model-free: it reads the analyze stage's sentences, quotes (speakers, cues, ``said_on``),
entities and dates, and adds closed-class cues (negation, hedges, denial phrases and verbs).

What a claim is:

* every statement sentence gives one claim. When quotes cover most of it ("Peskov said
  that ...", a direct quote), the claim is attributed to the quote's speaker and its
  proposition (``content_start``/``content_end``) is the quoted or reported clause;
  otherwise it is the outlet's own statement (``attributed_to=None``);
* a report embedded in a sentence ("in response to a report from The Washington Post
  claiming that X", "dismissed media reports claiming that X") gives a second claim whose
  span is the reported clause, attributed to the reporter: the outlet *carries* the
  Post's claim without asserting it;
* denials are marked (``denies``): a denial verb whose subject is the speaker ("Peskov
  denies that ...": the proposition is the denied clause), or a denial phrase ("pure
  fiction", "not true"). A denial with no proposition of its own ("The information is
  unreliable") is linked to the claim it answers in the article (``target_id``): the most
  recent reported claim by someone else, a few sentences back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from storydesk.compare import lexicon
from storydesk.compare.textutil import (
    content_stems,
    denial_cues,
    hedge_cues,
    negations,
    numbers,
    stem,
    words,
)
from storydesk.records import Article, ArticleFacts, Claim, Entity, Quote

__all__ = ["extract_claims", "claim_content", "claim_id"]

# A statement needs this many words; shorter sentences are captions, datelines or
# fragments ("Share", "MOSCOW (Sputnik) -"). Checked on the samples.
MIN_WORDS = 4
# Quotes covering at least this share of a sentence make it a reported statement
# (attributed to the speaker) rather than the outlet's own. The cue clause "Peskov told
# reporters on Friday" is typically 30-50 % of a sentence that reports one remark.
QUOTE_COVER = 0.45
# How far back (in claims of the same article) an anaphoric denial looks for what it
# denies. In the samples the denial "This is pure fiction" stands 7 sentences after the
# report it answers; windows of 4-10 give the same verdicts there.
ANAPHOR_WINDOW = 9
# Words that carry no proposition in a denial ("This information is unreliable").
_EMPTY_STEMS = frozenset(
    content_stems(
        "this that it information report reports claim claims example quality publication "
        "publications media western vivid currently published sometimes even quite reputable "
        "just pure simply absolutely completely totally entirely statement statements story "
        "news allegation allegations accusation accusations situation mentioned rumours rumors "
        "speculation absolutely categorically kremlin spokesperson spokesman briefly confirmed "
        "true false fiction fabrication unreliable lie lies nonsense baseless groundless "
        "unfounded untrue nonexistent exist account accounts mention fact facts charge charges "
        "you have has flatly strongly firmly repeatedly"
    )
)

_MONTH_STEMS = frozenset(content_stems(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec week weekend day month year"))

_REPORT_CLAUSE_RE = re.compile(
    r"(?P<head>(?:\b(?:media|press|news|western|some|unconfirmed|earlier|recent|preliminary|"
    r"these|those|the|a|such)\s+){0,3}"
    r"\b(?:reports?|claims?|allegations?|accusations?|rumou?rs?|speculation|suggestions?|"
    r"charges?|revelations?|accounts?)\b)"
    r"(?:\s+(?:from|by|in|of)\s+(?P<by>[^,;\"“]{2,60}?))?"
    r"\s+(?:that|claiming(?:\s+that)?|saying(?:\s+that)?|suggesting(?:\s+that)?|"
    r"alleging(?:\s+that)?|according to which)\s+"
    r"(?P<content>[^;]{12,}?)\s*(?:[.;!?]|$)",
    re.I,
)
_DENY_THAT_RE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing))"
    r"\s+(?:(?:any|all|the|media|press|western|reports?|claims?|allegations?|accusations?)\s+)*"
    r"(?:that\s+)?(?P<content>[^;]{6,}?)\s*(?:[.;!?]|$)",
    re.I,
)


_INDIRECT_QUESTION_RE = re.compile(
    r"\b(?:asked|asks|inquired|inquires|enquired|wondered|wonders|questioned)\s+(?:\w+\s+){0,3}?(?:whether|if)\b", re.I)


def _denies_the_quote(text: str, s: int, e: int, quote: Quote, q_start: int) -> bool:
    """A denial verb before the quote that is not the quote's own cue: the sentence denies
    what the quote reports ("dismissed media reports claiming that ...")."""
    for c in denial_cues(text[s:e], s):
        if c.kind == "denial-verb" and c.end <= q_start and c.start != quote.cue_start:
            return True
    return False


def _is_question(quote: Quote | None, content: str) -> bool:
    from storydesk.analyze.cues import CUE_FORMS, WH_VERBS

    if content.lstrip().lower().startswith(("whether ", "if ")):
        return True
    cue = (quote.cue or "").lower() if quote is not None else ""
    return CUE_FORMS.get(cue) in WH_VERBS


def claim_id(article_id: str, start: int, end: int) -> str:
    """The stable id of the claim at ``article_id[start:end]``."""
    return f"{article_id}:c:{start}-{end}"


def claim_content(claim: Claim, text: str) -> str:
    """The proposition of a claim (the reported/denied clause, else the whole span).

    Args:
        claim: the claim.
        text: its article's clean text.
    """
    if claim.content_start is not None and claim.content_end is not None:
        return text[claim.content_start:claim.content_end]
    return claim.text


def extract_claims(article: Article, facts: ArticleFacts | None = None) -> tuple[Claim, ...]:
    """Extract the claims of one article (model-free; runs at the end of analysis).

    Args:
        article: the clean article.
        facts: its analysis (sentences, quotes, entities, dates). Without it, sentences
            are split by a rule and claims carry no attribution, entities or dates.

    Returns:
        Claims in text order; every claim's ``text`` is ``article.text[start:end]``.

    Raises:
        TypeError: ``article`` is not an :class:`Article`.
    """
    if not isinstance(article, Article):
        raise TypeError(f"extract_claims needs an Article, got {type(article).__name__}")
    text = article.text
    sentences = _sentences(article, facts)
    quotes = [q for q in (facts.quotes if facts else ()) if q.end > q.start]
    entities = list(facts.entities) if facts else []
    dates = [d for d in (facts.dates if facts else ()) if d.kind in ("date", "time")]
    date_spans = [(d.start, d.end) for d in (facts.dates if facts else ())]

    claims: list[Claim] = []
    quote_of_claim: dict[str, Quote] = {}
    for s, e in sentences:
        s, e = _trim(text, s, e)
        sent = text[s:e]
        if e - s < 8 or len(words(sent)) < MIN_WORDS or lexicon.FURNITURE_RE.match(sent):
            continue
        if sent.rstrip("\"”’»' ").endswith("?") or _INDIRECT_QUESTION_RE.search(sent):
            continue  # a question asserts nothing ("Reporters inquired whether ...")
        parts = [(q, max(q.start, s), min(q.end, e)) for q in quotes if q.start < e and s < q.end]
        parts = [(q, a, b) for q, a, b in parts if len(words(text[a:b])) >= 2]
        covered = _union_length([(a, b) for _, a, b in parts])
        main = max(parts, key=lambda p: p[2] - p[1]) if parts else None
        embedded: list[tuple[Quote | None, int, int, str | None]] = []
        sentence_claim: Claim | None = None
        reported = main is not None and (
            covered >= QUOTE_COVER * (e - s)
            or (main[0].cue_start is not None and s <= main[0].cue_start < e))
        if reported and _is_question(main[0], text[main[1]:main[2]]):
            continue  # "Reporters asked whether ...": a question, not a claim
        if reported and _denies_the_quote(text, s, e, main[0], main[1]):
            # "Peskov dismissed media reports claiming that X": the sentence is the
            # denier's, the quoted report X is embedded in it.
            reported = False
        if reported:
            q, a, b = main
            sentence_claim = _build(article, s, e, a, b, q.speaker, q, entities, dates, date_spans)
            for q2, a2, b2 in parts:
                if q2 is not q and q2.speaker != q.speaker and len(words(text[a2:b2])) >= MIN_WORDS:
                    embedded.append((q2, a2, b2, q2.speaker))
        else:
            speaker = _denial_subject(text, s, e, entities, claims) or _trailing_speaker(text, s, e, entities)
            sentence_claim = _build(article, s, e, None, None, speaker, None, entities, dates, date_spans)
            for q2, a2, b2 in parts:
                if len(words(text[a2:b2])) >= MIN_WORDS:
                    embedded.append((q2, a2, b2, q2.speaker))
        # Reports named in the sentence ("media reports claiming that ...").
        quote_parts = [(x, y) for _, x, y, _ in embedded] + [(x, y) for _, x, y in parts]
        for a2, b2, who in _report_clauses(text, s, e, entities):
            if any(min(b2, y) - max(a2, x) > 0.5 * (b2 - a2) for x, y in quote_parts):
                continue
            embedded.append((None, a2, b2, who))
        emb_claims = []
        for q2, a2, b2, who in sorted(embedded, key=lambda t: t[1]):
            a2, b2 = _trim(text, a2, b2)
            if b2 - a2 < 8 or (a2, b2) == (s, e) or _is_question(q2, text[a2:b2]):
                continue
            c = _build(article, a2, b2, None, None, who, q2, entities, dates, date_spans)
            # A reported clause is the reporter's claim, never the denier's: "denied
            # reports that X" embeds X as a positive report.
            c = replace(c, denies=False, polarity=_polarity(text[a2:b2]))
            emb_claims.append(c)
            if q2 is not None:
                quote_of_claim[c.id] = q2
        claims.extend(emb_claims)
        if sentence_claim is not None:
            if reported:
                quote_of_claim[sentence_claim.id] = main[0]
            if sentence_claim.denies and emb_claims and not reported:
                # "X dismissed reports claiming that Y": the denial answers the embedded report.
                reports = [c for c in emb_claims if c.attributed_to != sentence_claim.attributed_to]
                if reports:
                    sentence_claim = replace(sentence_claim, target_id=reports[0].id,
                                             content_start=reports[0].start, content_end=reports[0].end)
            claims.append(sentence_claim)

    claims = _quote_level_denials(claims, quote_of_claim, text)
    claims = _resolve_anaphoric_denials(claims, text)
    claims = _share_quote_targets(claims, quote_of_claim)
    return tuple(sorted(claims, key=lambda c: (c.start, c.end)))


# --------------------------------------------------------------------------- building


def _build(article: Article, s: int, e: int, cs: int | None, ce: int | None, speaker: str | None,
           quote: Quote | None, entities: Sequence[Entity], dates, date_spans) -> Claim:
    text = article.text
    if cs is not None and (cs, ce) == (s, e):
        cs = ce = None
    c0, c1 = (cs, ce) if cs is not None else (s, e)
    content = text[c0:c1]
    sentence = text[s:e]
    cues = denial_cues(sentence, s)
    denies = bool(cues)
    # A quote whose cue is a denial verb ("Peskov denies that X") denies its content X.
    if quote is not None and quote.cue and quote.cue.lower() in lexicon.DENIAL_VERB_FORMS:
        negated = lexicon.NEGATED_DENIAL_RE.search(sentence)
        if not negated:
            denies = True
    if cs is None:
        # "X denied that Y" without a quote from the analyzer: the proposition is Y.
        m = _DENY_THAT_RE.search(sentence)
        if m and m.group("content").lower().startswith(("as ", "saying", "calling", "and ")):
            # "dismissed the allegations as fibs": what is denied is "the allegations",
            # an anaphor resolved later; the clause after "as" is the verdict, not the claim.
            denies = not lexicon.NEGATED_DENIAL_RE.search(sentence)
            m = None
        if m and not lexicon.NEGATED_DENIAL_RE.search(sentence):
            lemma = lexicon.DENIAL_VERB_FORMS.get(m.group(0).split()[0].lower())
            if lemma not in lexicon.WEAK_DENIAL_VERBS:
                denies = True
                c0, c1 = s + m.start("content"), s + m.end("content")
                cs, ce = c0, c1
                content = text[c0:c1]
    polarity = "negative" if denies else _polarity(content)
    ents = tuple(dict.fromkeys(en.entity_id for en in entities if c0 <= en.start and en.end <= c1))
    event = _event_date(dates, c0, c1, text)
    nums = tuple(n.text for n in numbers(content, c0, skip=date_spans))
    return Claim(
        id=claim_id(article.id, s, e),
        article_id=article.id,
        start=s,
        end=e,
        text=sentence,
        attributed_to=speaker,
        polarity=polarity,
        hedged=bool(hedge_cues(content)) or bool(hedge_cues(sentence)),
        event_date=event,
        entity_ids=ents,
        numbers=nums,
        quote_id=quote.id if quote is not None else None,
        denies=denies,
        said_on=quote.said_on if quote is not None else None,
        content_start=cs,
        content_end=ce,
    )


def _polarity(text: str) -> str:
    return "negative" if negations(text) else "positive"


# A date after these words bounds the event rather than dating it ("any contact after
# November 5").
_BOUND_RE = re.compile(r"\b(?:after|since|before|until|till|by|from|prior to|as of|through|beyond|later than)\s+(?:the\s+)?$", re.I)


def _event_date(dates, start: int, end: int, text: str = "") -> date | None:
    for d in dates:
        if start <= d.start and d.end <= end and d.value is not None and d.precision in ("day", "time"):
            if _BOUND_RE.search(text[max(0, d.start - 16):d.start]):
                continue
            return d.value
    return None


def _sentences(article: Article, facts: ArticleFacts | None) -> list[tuple[int, int]]:
    if facts is not None and facts.sentences:
        return [(s.start, s.end) for s in facts.sentences]
    # No analysis: split paragraphs at sentence-final punctuation followed by a capital.
    out = []
    for m in re.finditer(r"[^\n]+", article.text):
        start = m.start()
        for cut in re.finditer(r"[.!?][\"”’»]?\s+(?=[\"“«A-ZА-Я0-9])", m.group(0)):
            out.append((start, m.start() + cut.end()))
            start = m.start() + cut.end()
        out.append((start, m.end()))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \n\t\"“”'‘’«»-–—,":
        s += 1
    while e > s and text[e - 1] in " \n\t,;:–—-":
        e -= 1
    return s, e


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, last = 0, -1
    for a, b in sorted(spans):
        if b <= last:
            continue
        total += b - max(a, last)
        last = max(last, b)
    return total


_PRONOUN_HEAD_RE = re.compile(
    r"^(?:(?:however|but|and|meanwhile|furthermore|also|later|earlier|then),?\s+)?"
    r"(?:he|she|they|the spokesman|the spokeswoman|the spokesperson|the official)\b",
    re.I,
)
_ACCORDING_RE = re.compile(r"\baccording to (?P<np>him|her|them|[^,;]{2,60}?)(?:,|$)", re.I)


def _denial_subject(text: str, s: int, e: int, entities: Sequence[Entity], earlier: list[Claim]) -> str | None:
    """Who speaks in an own-voice sentence the analyzer left unattributed.

    "Peskov dismissed ..." (the entity before a denial verb), "He labeled the information
    ... a fabrication" and "According to him, ..." (the previous speaker).
    """
    sent = text[s:e]
    m = re.search(r"\b(" + "|".join(sorted(lexicon.DENIAL_VERB_FORMS, key=len, reverse=True)) + r")\b", sent, re.I)
    if m and not lexicon.NEGATED_DENIAL_RE.search(sent):
        cue = s + m.start()
        before = [en for en in entities
                  if s <= en.start and en.end <= cue and en.label in ("PERSON", "ORG", "GROUP", "PLACE")]
        if before:
            return before[-1].canonical
    acc = _ACCORDING_RE.search(sent)
    if acc:
        a, b = s + acc.start("np"), s + acc.end("np")
        ents = [en for en in entities if a <= en.start and en.end <= b and en.label in ("PERSON", "ORG", "GROUP")]
        if ents:
            return ents[-1].canonical
        if acc.group("np").lower() in ("him", "her", "them"):
            return _previous_speaker(text, s, entities, earlier)
    if (m or denial_cues(sent)) and _PRONOUN_HEAD_RE.match(sent):
        return _previous_speaker(text, s, entities, earlier)
    return None


def _previous_speaker(text: str, s: int, entities: Sequence[Entity], earlier: list[Claim]) -> str | None:
    """Who "he"/"him" most likely is: the last speaker, or the subject of a say-verb just before."""
    from storydesk.analyze.cues import CUE_FORMS

    prev = [c for c in earlier if c.end <= s]
    if not prev:
        return None
    last = prev[-1]
    if last.attributed_to:
        return last.attributed_to
    # The previous sentence names a speaker without quoting ("Peskov commented on ..."):
    # take the person right before its first verb of saying.
    sent = text[last.start:last.end]
    for m in re.finditer(r"[A-Za-z]+", sent):
        if m.group(0).lower() in CUE_FORMS:
            cue = last.start + m.start()
            people = [en for en in entities if last.start <= en.start and en.end <= cue and en.label == "PERSON"]
            if people:
                return people[-1].canonical
            break
    return None


_TRAILING_ATTRIBUTION_RE = re.compile(
    r",\s+(?P<np>[^,;]{2,90}?)\s+(?:said|says|told|added|reported|stated|announced|confirmed|"
    r"explained|noted|claimed|insisted|wrote|tweeted)\b[^,;]{0,60}[.!]?[\"”’]?\s*$",
    re.I,
)


def _trailing_speaker(text: str, s: int, e: int, entities: Sequence[Entity]) -> str | None:
    """The speaker of "..., his spokesman Dmitry Peskov said Thursday." when the analyzer had none."""
    m = _TRAILING_ATTRIBUTION_RE.search(text[s:e])
    if not m:
        return None
    a, b = s + m.start("np"), s + m.end("np")
    ents = [en for en in entities if a <= en.start and en.end <= b and en.label in ("PERSON", "ORG", "GROUP")]
    return ents[-1].canonical if ents else None


def _report_clauses(text: str, s: int, e: int, entities: Sequence[Entity]) -> list[tuple[int, int, str]]:
    """Reported clauses a sentence names: "(media) reports (from X) claiming that <clause>"."""
    out = []
    sent = text[s:e]
    for m in _REPORT_CLAUSE_RE.finditer(sent):
        a, b = s + m.start("content"), s + m.end("content")
        who = None
        if m.group("by"):
            by0, by1 = s + m.start("by"), s + m.end("by")
            ents = [en for en in entities if by0 <= en.start and en.end <= by1]
            who = ents[0].canonical if ents else text[by0:by1].strip()
        else:
            head0 = s + m.start("head")
            ents = [en for en in entities if head0 - 40 <= en.start and en.end <= head0 and en.label == "ORG"]
            who = ents[-1].canonical if ents and text[ents[-1].end:head0].strip() in ("'s", "’s", "") else None
            if who is None:
                who = " ".join(m.group("head").split()[-2:]).strip()
        out.append((a, b, who))
    return out


# --------------------------------------------------------------------------- denials in context


def _quote_level_denials(claims: list[Claim], quote_of: dict[str, Quote], text: str) -> list[Claim]:
    """A negative statement inside a quote that also says "pure fiction" is a denial too."""
    denying_quotes = {quote_of[c.id].id for c in claims if c.id in quote_of and c.denies}
    out = []
    for c in claims:
        q = quote_of.get(c.id)
        if q is not None and q.id in denying_quotes and not c.denies and c.polarity == "negative":
            c = replace(c, denies=True)
        out.append(c)
    return out


_ATTRIBUTION_TAIL_RE = re.compile(r"\b(?:as quoted by|according to|as reported by|citing|quoted by)\b.*$", re.I | re.S)


def _share_quote_targets(claims: list[Claim], quote_of: dict[str, Quote]) -> list[Claim]:
    """Denials inside one quote answer the same report ("There was no conversation. ...
    This is pure fiction")."""
    target_of_quote: dict[str, str] = {}
    for c in claims:
        q = quote_of.get(c.id)
        if q is not None and c.denies and c.target_id:
            target_of_quote.setdefault(q.id, c.target_id)
    out = []
    for c in claims:
        q = quote_of.get(c.id)
        if q is not None and c.denies and not c.target_id and q.id in target_of_quote:
            c = replace(c, target_id=target_of_quote[q.id])
        out.append(c)
    return out


def _has_proposition(claim: Claim, text: str) -> bool:
    """False for a denial that says only "this is false" about something said before."""
    from storydesk.analyze.cues import CUE_FORMS, DESCRIBE_VERBS, TIME_WORDS

    content = claim_content(claim, text)
    # Without its denial phrases ("did not accord with the facts"), attribution tail and
    # time words ("denied the reports Friday"), does anything remain to be denied?
    for cue in sorted(denial_cues(content), key=lambda c: -c.start):
        content = content[:cue.start] + " " + content[cue.end:]
    content = _ATTRIBUTION_TAIL_RE.sub("", content)
    empty = _EMPTY_STEMS | {stem(w) for w in CUE_FORMS} | {stem(w) for w in DESCRIBE_VERBS} | {
        stem(w) for w in TIME_WORDS} | _MONTH_STEMS
    stems = set(content_stems(content)) - empty
    return len(stems) >= 1


def _resolve_anaphoric_denials(claims: list[Claim], text: str) -> list[Claim]:
    """Link each denial without a proposition of its own to the report it answers."""
    ordered = sorted(claims, key=lambda c: (c.start, c.end))
    out = []
    for i, c in enumerate(ordered):
        if c.denies and not _has_proposition(c, text):
            target = _antecedent(ordered[max(0, i - ANAPHOR_WINDOW):i + 1], c, text)
            if target is not None:
                c = replace(c, target_id=target.id)
        out.append(c)
    return out


def _antecedent(window: list[Claim], denial: Claim, text: str) -> Claim | None:
    """The claim a bare denial answers: the latest positive report by someone else."""
    best = None
    for c in window:
        if c.id == denial.id or c.start >= denial.end:
            continue
        if c.denies or c.polarity == "negative" or not _has_proposition(c, text):
            continue
        if denial.attributed_to and c.attributed_to == denial.attributed_to:
            continue  # the denier's own words are not what they deny
        reported = c.attributed_to is not None or c.hedged
        rank = (reported, c.start)
        if best is None or rank > best[0]:
            best = (rank, c)
    return best[1] if best else None
