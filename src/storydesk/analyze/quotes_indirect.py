"""Indirect speech in English: the half of the quote grammar that reads reported clauses.

Frames: ``X said (that) ...``, ``X told Y (that) ...``, ``..., X said.``, ``..., said X.``,
``according to X, ...`` / ``..., according to X`` / ``A, according to X, B``, ``..., as
stated by X``, ``As X reported, ...``, coordinated cues (``... but indicated that ...``),
participles (``..., adding that ...``, also after a direct quote's own attribution),
parenthetical attributions (``A, X said, B``; ``A, said X, an expert at ..., B``),
subjects far from the cue (``X, who ..., said``; ``After ..., X, the chairwoman, said``),
relative-pronoun subjects (``experts who say ...``), poll shares (``72 percent said``),
passives (``it was reported that ...`` with no speaker; ``was asked by X whether``),
speech acts with a noun-phrase object (``announced his candidacy``) and describing verbs
with a quoted fragment (``describing it as "good and productive"``), and attributions
inside a relative clause (``which he said were split``: the rest of the clause is the
content). Where subjects and complements begin and end is
:mod:`storydesk.analyze.quotes_clauses`' job.
Mixed into :class:`storydesk.analyze.quotes.BlockExtractor`, whose state it shares.
"""

from __future__ import annotations

from storydesk.analyze import cues as C
from storydesk.analyze.attribution import Attribution
from storydesk.analyze.attribution import trim as _trim
from storydesk.analyze.phrases import apposed_name as _apposed_name
from storydesk.analyze.phrases import cue_lemma as _cue_lemma
from storydesk.analyze.phrases import is_cap as _is_cap
from storydesk.analyze.phrases import is_word as _is_word
from storydesk.analyze.phrases import looks_like_speaker as _looks_like_speaker
from storydesk.analyze.phrases import tok_lower as _low
from storydesk.analyze.phrases import np_left as _np_left
from storydesk.analyze.phrases import np_right as _np_right
from storydesk.analyze.phrases import token_span as _span
from storydesk.analyze.quotes_clauses import _VERB_START, ClauseMixin

# Relative pronouns before a parenthetical attribution: "which he said were split".
_RELATIVES = frozenset("which that what who whom".split())

# Modals that make a passive cue the writer's aside ("it should be noted that").
_MODALS = frozenset("should must can could would may might will shall".split())

# Forms of "be" (and "get") that make a following participle passive.
_BE_FORMS = frozenset("is was were are be been being get gets got".split())

# "according to" heads that name a plan or a pattern, not a source of information
# ("according to the Kremlin's scenario", "according to plan").
_NOT_SOURCES = frozenset("scenario scenarios plan plans schedule script timetable tradition custom logic theory formula design".split())

# Heads of phrases naming the press: their questions are not remarks of a source.
PRESS_NOUNS = frozenset(
    """reporter reporters journalist journalists correspondent correspondents interviewer
    interviewers moderator moderators anchor host press""".split()
)


def press_question(toks, r, lemma: str | None) -> bool:
    """True when a question cue ("asked", "inquired") has the press as its subject.

    A reporter's question at a briefing ("Reporters inquired whether any contact had
    occurred") frames the news; it is not a statement of a source, so it is not a quote.
    """
    if r is None or lemma not in C.WH_VERBS:
        return False
    words = [_low(toks[x]) for x in range(*r) if _is_word(toks[x])]
    return bool(words) and words[-1] in PRESS_NOUNS


# Lowercase tokens that can start an attribution in _indirect.
_CUE_KEYS = frozenset(C.CUE_FORMS) | C.DESCRIBE_VERBS | {"according"}


class IndirectMixin(ClauseMixin):
    """Indirect-speech rules; expects ``self.text`` and ``self.found`` (see BlockExtractor)."""

    text: str
    found: list[Attribution]

    # ---------------------------------------------------------------- indirect speech

    def _indirect(self, bi, toks, qs, inq, seg, used_cues, direct_of_q) -> None:
        text = self.text
        lo, hi = seg.lo, seg.hi
        # content may not swallow a direct quote found above
        taken = [(qs[k].open_i, qs[k].close_i if qs[k].close_i is not None else len(toks) - 1) for k in seg.quotes if k in direct_of_q]

        def overlaps_taken(a: int, b: int) -> bool:
            return any(not (b < x or a > y) for x, y in taken)

        end = hi
        while end > lo and not _is_word(toks[end - 1]) and inq[end - 1] < 0:
            end -= 1
        said_span = (toks[lo].start, toks[hi - 1].end)
        k = lo
        # Attributions already found in this segment (its direct quotes) give their speaker
        # to a participle or coordinated cue: '"...," Trump said, adding that ...'.
        # (the block's attributions: direct ones of every segment came first, so those of
        # this segment are picked out by their span, see _last_before)
        first_idx_in_seg = len(self.found)
        while first_idx_in_seg > 0 and self.found[first_idx_in_seg - 1].block == bi and self.found[first_idx_in_seg - 1].parts:
            first_idx_in_seg -= 1
        while k < end:
            # jump to the next token that can be a cue (most tokens cannot)
            while k < end and toks[k].text.lower() not in _CUE_KEYS:
                k += 1
            if k >= end:
                break
            if inq[k] >= 0 or k in used_cues:
                k += 1
                continue
            low = _low(toks[k])
            # according to X, CONTENT  /  CONTENT, according to X
            if low == "according" and k + 1 < end and _low(toks[k + 1]) == "to":
                r = _np_right(toks, k + 2, end)
                # after "according to" any source counts: a person, a poll, a count, a law
                if r is not None and _low(toks[r[0]]) not in C.PHRASE_BREAKERS and toks[r[1] - 1].text not in ("'s", "’s") and _low(toks[r[1] - 1]) not in _NOT_SOURCES:
                    after = r[1]
                    if after < end and toks[after].text == "(":  # "(who is one of ...)"
                        while after < end and toks[after].text != ")":
                            after += 1
                        after += 1
                    # before the content ("According to X, ...", "At the same time, according
                    # to X, ...") or after it ("..., according to X.", "... according to X, but ...")
                    # the clause begins after a colon, semicolon or opening bracket
                    clo = max([x + 1 for x in range(lo, k) if toks[x].text in (":", ";", "(")] + [lo])
                    lead_words = [t for t in toks[clo:k] if _is_word(t) and _low(t) not in C.DISCOURSE_OPENERS]
                    if not lead_words or (after < end and toks[after].text == "," and end - after > 4
                                          and toks[k - 1].text == "," and self._fronted(toks, lo, k - 1)):
                        cs = after
                        if cs < end and toks[cs].text == ",":
                            cs += 1
                        ce = end
                    else:
                        cs, ce = lo, k
                        if ce > cs and toks[ce - 1].text == ",":
                            ce -= 1
                    # "Other cleavages, according to the poll, include ideology": the
                    # attribution interrupts the content, which runs on after it
                    tail = None
                    if (cs < k and toks[k - 1].text == "," and after < end and toks[after].text == ","
                            and sum(1 for t in toks[after + 1 : end] if _is_word(t)) >= 2):
                        tail = (after + 1, end)
                    cs = self._skip_lead(toks, cs, ce)
                    if ce - cs >= (1 if tail else 3) and not overlaps_taken(cs, (tail or (cs, ce))[1] - 1):
                        self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 2), r, "according-to", said_span)
                        if tail is not None:
                            te = tail[1]
                            while te > tail[0] and not _is_word(toks[te - 1]) and inq[te - 1] < 0:
                                te -= 1
                            if te > tail[0]:
                                self.found[-1].parts.append((toks[tail[0]].start, toks[te - 1].end))
                        used_cues.add(k)
                        k = max(k + 2, ce) if cs > k else k + 2
                        continue
                k += 1
                continue
            if low in C.DESCRIBE_VERBS and not _is_cap(toks[k]):
                if self._describe(bi, toks, inq, lo, end, k, said_span, first_idx_in_seg):
                    used_cues.add(k)
                k += 1
                continue
            lemma = _cue_lemma(toks, k)
            if lemma is None:
                k += 1
                continue
            got = self._indirect_at(bi, toks, inq, lo, end, k, lemma, overlaps_taken, said_span, first_idx_in_seg)
            if got:
                used_cues.add(k)
            k += 1

    def _indirect_at(self, bi, toks, inq, lo, end, k, lemma, overlaps_taken, said_span, first_idx) -> bool:
        low = _low(toks[k])
        prev = toks[k - 1] if k > lo else None
        if self._passive(toks, lo, k):
            return self._passive_at(bi, toks, inq, k, end, lemma, overlaps_taken, said_span)
        # ---- participles after a comma: ", adding that ..." -> speaker of the clause
        if low.endswith("ing") and prev is not None and (prev.text == "," or inq[k - 1] >= 0 and self.text[prev.start - 1 : prev.start] == ","):
            # (the comma may sit inside a closing quote: 'on "Morning Joe," adding, "..."')
            if k + 1 < end and _low(toks[k + 1]) in ("for", "on"):
                return False  # "writing for the majority", "commenting on the case": no content
            cs = self._complement_start(toks, k, end, lemma)
            if cs is None:
                return False
            inherit = self._last_before(first_idx, toks[k].start, said_span)
            r = None
            if inherit is None:
                r = self._clause_subject(toks, lo, k)
                if r is None:
                    return False
            ce = self._content_end(toks, cs, end)
            if ce - cs < 2 or overlaps_taken(cs, ce - 1):
                return False
            self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "participle", said_span, inherit=inherit)
            return True
        # ---- "describing it as "..."" / "called it "..."": the fragment is a direct quote
        if low in C.DESCRIBE_VERBS:
            return self._describe(bi, toks, inq, lo, end, k, said_span, first_idx)
        # ---- "as stated by X"
        if prev is not None and k - 2 >= lo and _low(toks[k - 2]) in (",", "as") and _low(prev) == "as":
            pass
        if k + 1 < end and _low(toks[k + 1]) == "by" and prev is not None and _low(prev) == "as":
            r = _np_right(toks, k + 2, end)
            cs, ce = lo, k - 1
            if ce > cs and toks[ce - 1].text == ",":
                ce -= 1
            cs = self._skip_lead(toks, cs, ce)
            if _looks_like_speaker(toks, r) and ce - cs >= 3 and not overlaps_taken(cs, ce - 1):
                self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "as-stated-by", said_span)
                return True
            return False
        # ---- CONTENT, X said.  /  CONTENT, said X.
        tail_ok = self._tail_only(toks, k + 1, end, lemma)
        r_left = _np_left(toks, k, lo)
        # ---- CONTENT, X said, CONTENT (a parenthetical attribution mid-sentence)
        r_par = r_left
        if r_par is None and prev is not None and prev.text == ",":
            r_par = _np_left(toks, k - 1, lo)  # "..., a spokeswoman, Anna White, said on Saturday, ..."
        if r_par is not None and r_par[0] > lo + 1 and toks[r_par[0] - 1].text == "," and _looks_like_speaker(toks, r_par):
            if self._parenthetical(bi, toks, inq, lo, end, k, lemma, r_par, overlaps_taken, said_span):
                return True
        # the comma may sit inside a closing quote: 'The failure was "heartbreaking," she said.'
        comma_before = r_left is not None and r_left[0] > lo and (
            toks[r_left[0] - 1].text == "," or (inq[r_left[0] - 1] >= 0 and self.text[toks[r_left[0] - 1].start - 1 : toks[r_left[0] - 1].start] == ","))
        if comma_before and tail_ok and _looks_like_speaker(toks, r_left):
            cs, ce = lo, r_left[0] - (1 if toks[r_left[0] - 1].text == "," else 0)
            cs = self._skip_lead(toks, cs, ce)
            if ce - cs >= 3 and not overlaps_taken(cs, ce - 1):
                self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r_left, "final", said_span)
                return True
        # CONTENT, NP, APPOSITION, said.  ("..., Pantucci, at the Royal United Services Institute, said.")
        if prev is not None and prev.text == "," and tail_ok:
            commas = [x for x in range(lo, k - 1) if toks[x].text == ","]
            if len(commas) >= 2:
                c1, c2 = commas[-2], commas[-1]
                rr = (c1 + 1, c2)
                # "..., his top aide, Tad Devine, told X.": the role's apposed name speaks
                name = _apposed_name(toks, rr, k) if 0 < c2 - c1 - 1 <= 8 else None
                if name is not None and name[1] == k - 1:
                    rr = name
                if 0 < c2 - c1 - 1 <= 6 and _looks_like_speaker(toks, rr) and any(_is_cap(toks[x]) for x in range(*rr)) and c1 - lo >= 3:
                    cs = self._skip_lead(toks, lo, c1)
                    if not overlaps_taken(cs, c1 - 1):
                        self._emit_indirect(bi, toks, inq, cs, c1, (k, k + 1), rr, "final-apposition", said_span)
                        return True
        if prev is not None and prev.text == "," and k - 1 > lo and lemma not in C.TELL_VERBS:
            # (after "told" the phrase is the addressee, not the speaker)
            r = _np_right(toks, k + 1, end)
            # "..., said he." inverts; "X, who ..., said he would" has a clause after the pronoun
            lone_pronoun = r is not None and r[1] - r[0] == 1 and _low(toks[r[0]]) in C.SUBJECT_PRONOUNS
            appos = (_looks_like_speaker(toks, r) and not lone_pronoun and r[1] < end and toks[r[1]].text == ","
                     and lemma not in C.OBJECT_CUES and not self._participle_next(toks, r[1], end))
            if appos and self._inverted_apposition(bi, toks, inq, lo, end, k, r, overlaps_taken, said_span):
                return True
            if not appos and _looks_like_speaker(toks, r) and self._tail_only(toks, r[1], end) and not (
                    lone_pronoun and any(_is_word(t) for t in toks[r[1] : end]) and not self._participle_next(toks, r[1], end)):
                cs, ce = self._skip_lead(toks, lo, k - 1), k - 1
                if ce - cs >= 3 and not overlaps_taken(cs, ce - 1):
                    self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "final-inverted", said_span)
                    return True

        # ---- "which he said were ...", "what many analysts said was ...": the rest of the relative clause
        if (r_left is not None and r_left[0] - 1 >= lo and _low(toks[r_left[0] - 1]) in _RELATIVES and k + 1 < end
                and _low(toks[k + 1]) in _VERB_START and _looks_like_speaker(toks, r_left)):
            ce = k + 2
            while ce < end and toks[ce].text not in (",", ";", ":", "—", "–", "(") and inq[ce] < 0 or (ce < end and inq[ce] >= 0):
                ce += 1
            if ce - (k + 1) >= 2 and not overlaps_taken(k + 1, ce - 1):
                self._emit_indirect(bi, toks, inq, k + 1, ce, (k, k + 1), r_left, "relative-parenthetical", said_span)
                return True
        # ---- As X reported, CONTENT
        if (r_left is not None and r_left[0] - 1 >= lo and _low(toks[r_left[0] - 1]) == "as" and k + 1 < end
                and _looks_like_speaker(toks, r_left) and all(not _is_word(t) or _low(t) in C.DISCOURSE_OPENERS for t in toks[lo : r_left[0] - 1])):
            b0 = next((x + 1 for x in range(k + 1, min(end, k + 8)) if toks[x].text == ","), None)
            if b0 is not None and (b0 == k + 2 or self._tail_only(toks, k + 1, b0 - 1)) and end - b0 >= 3 and not overlaps_taken(b0, end - 1):
                self._emit_indirect(bi, toks, inq, b0, end, (k, k + 1), r_left, "as-cue", said_span)
                return True
        # ---- X said (that) CONTENT
        r = r_left
        inherit = None
        antecedent = None
        rel = self._relative_subject(toks, lo, k) if r is None else None
        if rel is not None:
            r, antecedent = rel
        elif r is None or not _looks_like_speaker(toks, r):
            # coordinated cue with the subject left out: "... but indicated that ..."
            if prev is not None and _low(prev) in ("and", "but") and self._last_before(first_idx, toks[k].start, said_span) is not None:
                inherit = self._last_before(first_idx, toks[k].start, said_span)
                r = None
            elif prev is not None and _low(prev) in ("and", "but"):
                r = self._clause_subject(toks, lo, k)
                if r is None:
                    return False
            else:
                rr = self._appositive_subject_left(toks, lo, k) or self._long_subject(toks, lo, k)
                if rr is None:
                    return False
                r = rr
        if press_question(toks, r, lemma):
            return True  # "Reporters inquired whether ...": the press's question, no source's remark (cue consumed)
        if lemma == "say" and k + 1 < end and _low(toks[k + 1]) in ("yes", "no") and (k + 2 >= end or not _is_word(toks[k + 2])):
            # a poll answer: "Asked whether ..., 75 percent of Democrats said yes"
            self._emit_indirect(bi, toks, inq, k + 1, k + 2, (k, k + 1), r, "answer", said_span, inherit=inherit)
            return True
        cs = self._complement_start(toks, k, end, lemma)
        if cs is None:
            return False
        ce = self._content_end(toks, cs, end)
        if ce - cs >= 2 and overlaps_taken(cs, ce - 1):
            # "Weinstein confirmed he apologized, which spurred Thurman to note, “...”": the
            # content stops at the comma before a quotation attributed on its own
            first = next(x for x in range(cs, ce) if overlaps_taken(x, x))
            commas = [x for x in range(cs, first) if toks[x].text == ","]
            relc = [x for x in commas if x + 1 < first and _low(toks[x + 1]) in ("which", "who")]
            ce = relc[0] if relc else max(commas + [cs])
        if ce - cs < 2 or overlaps_taken(cs, ce - 1):
            return False
        self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "subject-cue" if rel is None else "relative", said_span, inherit=inherit)
        if antecedent is not None:
            self.found[-1].antecedent = _span(toks, antecedent)
        return True

    def _parenthetical(self, bi, toks, inq, lo, end, k, lemma, r, overlaps_taken, said_span) -> bool:
        """"Time, Mr. Pence added, was on their side": content on both sides of the attribution.

        The speaker may carry a leading role apposition ("..., a spokeswoman, Anna White,
        said on Saturday, ...") and the cue an addressee or adjunct before its comma.
        """
        a1 = r[0] - 1
        sp = r
        commas = [x for x in range(lo, a1) if toks[x].text == ","]
        if commas and 1 <= a1 - commas[-1] - 1 <= 4 and all(not _is_cap(toks[x]) for x in range(commas[-1] + 1, a1)) \
                and _low(toks[a1 - 1]) in C.ROLE_NOUNS:
            a1 = commas[-1]  # "a spokeswoman, Anna White": the role belongs to the speaker
            sp = (commas[-1] + 1, r[1])
        # the cue's own adjuncts up to the comma that resumes the content
        b0 = None
        for x in range(k + 1, min(end, k + 9)):
            if toks[x].text == ",":
                b0 = x + 1
                break
            if inq[x] >= 0 or (toks[x].text in (";", ":", ".") and x > k + 1):
                return False
        if b0 is None or (b0 > k + 2 and not self._tail_only(toks, k + 1, b0 - 1) and lemma not in C.TELL_VERBS):
            return False
        if lemma in C.TELL_VERBS and b0 > k + 2:
            rr = _np_right(toks, k + 1, b0 - 1)
            if rr is None or rr[1] != b0 - 1:
                return False
        a0 = self._skip_lead(toks, lo, a1)
        tail_end = end
        while tail_end > b0 and not _is_word(toks[tail_end - 1]) and inq[tail_end - 1] < 0:
            tail_end -= 1
        words = sum(1 for x in range(a0, a1) if _is_word(toks[x])) + sum(1 for x in range(b0, tail_end) if _is_word(toks[x]))
        if a1 - a0 < 1 or tail_end - b0 < 2 or words < 4 or overlaps_taken(a0, end - 1):
            return False
        # the resumed part continues a clause: it does not start a new sentence with a subject
        self._emit_indirect(bi, toks, inq, a0, a1, (k, k + 1), sp, "parenthetical", said_span)
        self.found[-1].parts.append((toks[b0].start, toks[tail_end - 1].end))
        return True

    def _inverted_apposition(self, bi, toks, inq, lo, end, k, r, overlaps_taken, said_span) -> bool:
        """"A, said Michael Kofman, an expert at the Wilson Center, [would read ...]".

        After an inverted speaker and its comma comes either the rest of the content (it
        begins with a verb: "would read this as ...") or an apposition about the speaker,
        which may be followed, after another comma, by the rest of the content.
        """
        j = r[1] + 1
        if j >= end:
            return False
        tail = None
        if _low(toks[j]) in _VERB_START:
            tail = j
        else:
            nxt = next((x for x in range(j, end) if toks[x].text in (",", ";") or inq[x] >= 0), None)
            if nxt is not None and inq[nxt] >= 0:
                return False  # a quotation follows: leave it to other rules
            if nxt is not None and toks[nxt].text == "," and nxt - j <= 14 and nxt + 1 < end and _low(toks[nxt + 1]) not in ("who", "which", "whose", "where", "when"):
                if sum(1 for t in toks[nxt + 1 : end] if _is_word(t)) >= 3:
                    tail = nxt + 1
        cs, ce = self._skip_lead(toks, lo, k - 1), k - 1
        if ce - cs < 2 or overlaps_taken(cs, ce - 1) or (tail is not None and overlaps_taken(tail, end - 1)):
            return False
        self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "inverted-apposition", said_span)
        if tail is not None:
            te = end
            while te > tail and not _is_word(toks[te - 1]) and inq[te - 1] < 0:
                te -= 1
            if te > tail:
                self.found[-1].parts.append((toks[tail].start, toks[te - 1].end))
        return True

    def _passive(self, toks, lo, k) -> bool:
        """True when cue ``k`` is a passive participle ("was told", "is said to", "been asked")."""
        if _low(toks[k]).endswith("ing"):
            return False
        j = k - 1
        while j >= lo and (_low(toks[j]) in C.ADVERBS or _low(toks[j]) == "not"):
            j -= 1
        return j >= lo and _low(toks[j]) in _BE_FORMS

    def _impersonal(self, toks, lo, k):
        """For a passive cue, "it" when the subject is the dummy "it" ("it was reported that"),
        "modal" when a modal makes it the author's aside ("it should be noted that"), else None."""
        j = k - 1
        while j >= lo and (_low(toks[j]) in C.ADVERBS or _low(toks[j]) in _BE_FORMS or _low(toks[j]) in ("not", "has", "have", "had", "'s", "’s")):
            j -= 1
        if j >= lo and _low(toks[j]) in _MODALS:
            return "modal"
        if j >= lo and _low(toks[j]) == "it":
            return "it"
        return None

    def _passive_at(self, bi, toks, inq, k, end, lemma, overlaps_taken, said_span) -> bool:
        """"it was reported that ...", "Sanders was told ...": the speaker is the agent or unknown.

        The grammatical subject of a passive cue is the addressee or a dummy "it", never
        the speaker: the speaker is the "by" agent when there is one, else left unknown.
        A question put to someone by an unnamed asker ("Peskov was asked whether ...") is
        the interviewer's, not a source's statement, and is not kept.
        """
        r = None
        j = k
        how = self._impersonal(toks, max(0, k - 8), k)
        if how == "modal":
            return True  # "it should be noted that ...": the writer's aside, nobody's remark (cue consumed)
        if k + 1 < end and _low(toks[k + 1]) == "by":
            # "was asked by host John Dickerson whether": the agent asked or told; "the attack
            # was claimed by ISIS" reports no speech
            r = _np_right(toks, k + 2, end)
            if lemma not in C.TELL_VERBS and lemma not in C.WH_VERBS or not _looks_like_speaker(toks, r):
                return False
            j = r[1] - 1
        elif lemma in C.WH_VERBS:
            return False
        elif how != "it" and lemma not in C.TELL_VERBS:
            return False  # "Trump was declared the winner": no remark is reported
        cs = self._complement_start(toks, j, end, lemma if r is None else "say")
        if cs is None:
            return False
        ce = self._content_end(toks, cs, end)
        if ce - cs < 2 or overlaps_taken(cs, ce - 1):
            return False
        self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "passive", said_span)
        return True

    def _last_before(self, first_idx: int, pos: int, said_span) -> int | None:
        """The last attribution of the current segment whose cue precedes ``pos``."""
        for i in range(len(self.found) - 1, first_idx - 1, -1):
            a = self.found[i]
            if a.parts and a.said_span == said_span and (a.cue is None or a.cue[0] < pos):
                return i
        return None

    def _participle_next(self, toks, j, end) -> bool:
        """True when tokens from ``j`` are ", adding/noting ..." (a participle after the cue)."""
        return j + 1 < end and toks[j].text == "," and _low(toks[j + 1]).endswith("ing")

    def _describe(self, bi, toks, inq, lo, end, k, said_span, first_idx) -> bool:
        """"describing it as "good and productive"": the quoted fragment is a direct quote."""
        if k + 1 < end and _low(toks[k + 1]) in ("for", "on", "off", "up", "in", "out"):
            return False  # "called for flexibility", "called on Congress"
        j = k + 1
        while j < end and j - k <= 5 and inq[j] < 0:
            j += 1
        if j >= end or inq[j] < 0:
            return False
        # the fragment: from the opening mark to its closing mark
        o = j
        c = o + 1
        while c < end and inq[c] == inq[o]:
            c += 1
        cstart, cend = toks[o].end, toks[c - 1].start
        if c - 1 <= o or cend <= cstart:
            return False
        frag = self.text[cstart:cend].strip()
        if not frag or frag[0].isupper() and len(frag.split()) <= 3 and not frag.rstrip(".,").islower():
            return False
        prev = toks[k - 1] if k > lo else None
        r = None
        inherit = None
        if prev is not None and prev.text == ",":
            inherit = self._last_before(first_idx, toks[k].start, said_span)
            if inherit is None:
                r = self._clause_subject(toks, lo, k)
        else:
            r = _np_left(toks, k, lo)
        if r is None and inherit is None:
            return False
        if r is not None and not _looks_like_speaker(toks, r):
            return False
        cstart, cend = _trim(self.text, cstart, cend)
        if self.text[cend - 1 : cend] in ".,":
            cend -= 1
        self.found.append(Attribution(parts=[(cstart, cend)], kind="direct", cue=(toks[k].start, toks[k].end),
                                      speaker=_span(toks, r), inherit=inherit, pattern="describe", block=bi, said_span=said_span))
        return True

    def _emit_indirect(self, bi, toks, inq, cs, ce, cue_r, r, pattern, said_span, inherit=None) -> None:
        if cs >= ce:
            return
        while ce > cs and not _is_word(toks[ce - 1]) and toks[ce - 1].text not in ('"', "”", "»", "’", ")"):
            ce -= 1
        start, end = toks[cs].start, toks[ce - 1].end
        kind = "mixed" if any(inq[x] >= 0 for x in range(cs, ce)) else "indirect"
        if kind == "mixed":
            # content that is entirely one quotation is a direct quote
            qids = {inq[x] for x in range(cs, ce)}
            if len(qids) == 1 and -1 not in qids:
                s2, e2 = _trim(self.text, toks[cs].end, toks[ce - 1].start)
                if e2 > s2:
                    start, end, kind = s2, e2, "direct"
        start, end = _trim(self.text, start, end)
        if end <= start:
            return
        self.found.append(Attribution(parts=[(start, end)], kind=kind, cue=(toks[cue_r[0]].start, toks[cue_r[1] - 1].end),
                                      speaker=_span(toks, r), inherit=inherit, pattern=pattern, block=bi, said_span=said_span))

