"""Denial targets: which report in another article a denial answers.

A denial rarely repeats what it denies: "China denied the reports Friday", "the situation
you have mentioned absolutely does not exist", "Mossack Fonseca denied any wrongdoing".
Its alignment with the report it answers runs low (0.1-0.45 on the labelled pairs), below
any threshold a symmetric "same proposition" test could use. So denials get a
*target-finding* step of their own, on top of alignment:

* the denier must be a **party** to the report: a name of the denier (its speaker, or a
  name in the sentence outside the denied clause) appears in the report's proposition
  ("China denied ..." answers "... Chinese ships selling oil ...", "Weinstein denied ..."
  answers "... Weinstein had threatened ...");
* the report must read as an **accusation**: hedged or attributed to someone else, or
  worded as one ("allegedly", "accused", "illegally", "appear to have", "show");
* its alignment with the denial (or with what the denial denies) must reach
  :data:`TARGET_FLOOR`.

Among the reports of one article that pass, the caller keeps the best-aligned (a denial
answers one report per article, :func:`~storydesk.compare.relate.relate_all`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydesk.compare.statements import Statement

__all__ = ["denial_targets", "party_keys"]

# Alignment a party's denial needs with an accusation against it. Set on the tuning
# stories (bench/compare.py --split tune): the labelled targets of denials that share a
# party run 0.1-0.3, unrelated sentences naming the same party 0.1-0.2; the per-article
# best-target rule of relate_all does the rest.
TARGET_FLOOR = 0.15

# Alignment a report in another article needs with the report a denial answers in its own
# article ("This is pure fiction" answers the Post's report; another outlet's report of
# the same call is denied too, a report of congratulations is not). Set on the samples.
VIA_TARGET_FLOOR = 0.3

# Words of an accusation or an unconfirmed report.
_ACCUSATION_RE = re.compile(
    r"\b(?:alleg\w*|accus\w*|illegal\w*|unlawful\w*|violat\w*|suspect\w*|suspicion\w*|caught|breach\w*|"
    r"implicat\w*|reveal\w*|shows?|showed|shown|evidence|claim\w*|reportedly|appears? to|purported\w*|"
    r"secretly|front man|wrongdoing|misconduct|threaten\w*|assault\w*|harass\w*)\b",
    re.I,
)
# Words of a name that do not identify a party ("China's Foreign Ministry" -> China).
_GENERIC = frozenset(
    """the and ministry foreign defence defense spokesman spokeswoman spokesperson office department
    government president minister prime family company group state states national people republic
    council committee official officials representative statement agency press service united
    deputy chief head leader leaders general secretary director house white military army police
    authorities authority media reports report news""".split()
)
_NAME_WORD_RE = re.compile(r"[^\W\d_]{4,}", re.U)


def party_keys(name: str | None) -> frozenset[str]:
    """Keys that identify a party by name: the first four letters of each distinctive word
    ("China's Foreign Ministry" -> {chin}; "Chinese ships" shares it; "Harvey Weinstein"
    -> {harv, wein})."""
    if not name:
        return frozenset()
    out = set()
    for w in _NAME_WORD_RE.findall(name):
        lw = w.lower()
        if lw in _GENERIC or not w[0].isupper():
            continue
        out.add(lw[:4])
    return frozenset(out)


def _denier_keys(d: Statement) -> frozenset[str]:
    keys = set(party_keys(d.speaker))
    c = d.claim
    for en in d.sentence_mentions:
        # Names outside the denied clause: the denier and whom it speaks for.
        if en.label in ("PERSON", "ORG", "GROUP", "PLACE") and not (d.c0 <= en.start and en.end <= d.c1):
            keys |= party_keys(en.canonical) | party_keys(en.text)
    if d.subject and d.subject[:1].isupper():
        keys |= party_keys(d.subject)
    if d.denied_text and c.content_start is None:
        # "Beijing has denied making illegal shipments": the subject before the cue.
        cue = d.denial[0].start if d.denial else c.start
        for en in d.sentence_mentions:
            if en.end <= cue and en.label in ("PERSON", "ORG", "GROUP", "PLACE"):
                keys |= party_keys(en.canonical) | party_keys(en.text)
    return frozenset(keys)


def _report_keys(t: Statement) -> frozenset[str]:
    """Names in a report's sentence, except its source's ("Trump said he is disappointed
    in China for allegedly selling oil" -> China, not Trump)."""
    source = party_keys(t.speaker)
    keys: set[str] = set()
    for en in t.sentence_mentions:
        if en.label in ("PERSON", "ORG", "GROUP", "PLACE"):
            k = party_keys(en.canonical) | party_keys(en.text)
            if not (k & source):
                keys |= k
    return frozenset(keys)


def _accusation(t: Statement) -> str | None:
    """Why a statement reads as an accusation or unconfirmed report, or None."""
    if t.hedged:
        return "hedged"
    m = _ACCUSATION_RE.search(t.claim.text)
    if m:
        return f"'{m.group(0)}'"
    return None


def _strong_denial(d: Statement) -> bool:
    """A denial with a cue of its own (a denial phrase, or a verb that denies by itself:
    "insisted" and "disputed" deny only in context), not one inferred from context."""
    from storydesk.compare import lexicon

    return any(c.kind != "denial-verb" or lexicon.DENIAL_VERB_FORMS.get(c.text.lower()) not in lexicon.WEAK_DENIAL_VERBS
               for c in d.denial)


def _detail_missing(t: Statement, d: Statement) -> bool:
    """What the denial denies quotes a detail the report lacks ("congratulated Trump
    'through personal contacts'"): it denies that detail, not this report."""
    from storydesk.compare.textutil import content_stems, quoted_phrases

    for phrase in quoted_phrases(d.denied_text or d.content):
        stems = set(content_stems(phrase))
        if len(stems) >= 2 and len(stems - t.sentence_stems) >= len(stems) / 2:
            return True
    return False


def _answered(d: Statement, stmts: Sequence[Statement]) -> int:
    """The report a denial answers in its own article: its resolved target, or the report
    embedded in that target's sentence ("in response to a report claiming that X": X)."""
    t = stmts[d.target]
    inner = [s for s in stmts if s.article_id == t.article_id and s.index != t.index and not s.denies
             and t.claim.start <= s.claim.start and s.claim.end <= t.claim.end and s.speaker != d.speaker]
    return inner[0].index if inner else t.index


def denial_targets(stmts: Sequence[Statement], score, *, exclude: set[tuple[int, int]],
                   is_modal, is_thin, detail_missing) -> list[tuple[int, int, float, tuple[str, ...]]]:
    """Candidate (report, denial) pairs across articles found through the denier being a
    party to an accusation.

    Args:
        stmts: the story's statements.
        score: the alignment matrix.
        exclude: (i, j) pairs (either order) already judged.
        is_modal, is_thin: the verdict step's tests (a plan is not a report; a thin
            statement says too little).
        detail_missing: ``(x, y) -> bool``, y quotes a detail x lacks ("through personal
            contacts"): then they are not one report.

    Returns:
        ``(report index, denial index, alignment, evidence)`` tuples.
    """
    deniers = [d for d in stmts if d.denies and _strong_denial(d)]
    if not deniers:
        return []
    # Who speaks for the denying side anywhere in the story: their statements are not
    # the accusations the denials answer.
    denying_speakers = {d.speaker for d in stmts if d.denies and d.speaker}
    report_keys = {t.index: _report_keys(t) for t in stmts}
    out = []
    for d in deniers:
        dk = _denier_keys(d)
        if not dk:
            continue
        for t in stmts:
            if t.article_id == d.article_id or t.denies or t.polarity != "positive":
                continue
            if (t.index, d.index) in exclude or (d.index, t.index) in exclude:
                continue
            if t.speaker and (t.speaker in denying_speakers or party_keys(t.speaker) & dk):
                continue
            shared = report_keys[t.index] & dk
            if not shared:
                continue
            if d.target is not None and d.target != d.index and not d.denied_text:
                # A denial that answers a report of its own article ("This is pure
                # fiction" after the Post's report) denies what that report says.
                via = stmts[_answered(d, stmts)]
                a = float(score[via.index, t.index])
                if detail_missing(via, t) or detail_missing(t, via):
                    continue
                if a < VIA_TARGET_FLOOR:
                    continue  # a transitive link needs a firm second step
            else:
                # What it denies in its own words ("denied ever threatening her
                # prospects"), or through what it may answer in its own article, when it
                # only points at it ("the situation you have mentioned").
                a = max([float(score[d.index, t.index])] + [float(score[c, t.index]) for c in d.denied if c != d.index])
            if a < TARGET_FLOOR:
                continue
            why = _accusation(t)
            if why is None or is_thin(t) or _detail_missing(t, d):
                continue
            names = ", ".join(sorted({en.canonical for en in t.mentions
                                      if (party_keys(en.canonical) | party_keys(en.text)) & dk}))
            ev = (f"{d.speaker or 'the denier'} is a party to the report (names {names or ', '.join(sorted(shared))})",
                  f"the report reads as an accusation ({why})")
            out.append((t.index, d.index, a, ev))
    return out
