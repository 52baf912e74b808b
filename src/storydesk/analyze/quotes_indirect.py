"""Indirect speech in English: the half of the quote grammar that reads reported clauses.

Frames: ``X said (that) ...``, ``X told Y (that) ...``, ``..., X said.``, ``..., said X.``,
``according to X, ...`` / ``..., according to X``, ``..., as stated by X``, coordinated
cues (``... but indicated that ...``), participles (``..., adding that ...``) and
describing verbs with a quoted fragment (``describing it as "good and productive"``).
Mixed into :class:`storydesk.analyze.quotes.BlockExtractor`, whose state it shares.
"""

from __future__ import annotations

from storydesk.analyze import cues as C
from storydesk.analyze.attribution import Attribution
from storydesk.analyze.attribution import trim as _trim
from storydesk.analyze.phrases import cue_lemma as _cue_lemma
from storydesk.analyze.phrases import is_cap as _is_cap
from storydesk.analyze.phrases import is_word as _is_word
from storydesk.analyze.phrases import looks_like_speaker as _looks_like_speaker
from storydesk.analyze.phrases import tok_lower as _low
from storydesk.analyze.phrases import np_left as _np_left
from storydesk.analyze.phrases import np_right as _np_right
from storydesk.analyze.phrases import token_span as _span


# Lowercase tokens that can start an attribution in _indirect.
_CUE_KEYS = frozenset(C.CUE_FORMS) | C.DESCRIBE_VERBS | {"according"}


class IndirectMixin:
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
        first_idx_in_seg = len(self.found)
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
                if r is not None and _low(toks[r[0]]) not in C.PHRASE_BREAKERS and toks[r[1] - 1].text not in ("'s", "’s"):
                    after = r[1]
                    if after < end and toks[after].text == "(":  # "(who is one of ...)"
                        while after < end and toks[after].text != ")":
                            after += 1
                        after += 1
                    if k == lo or (k == lo + 1 and not _is_word(toks[lo])) or (after < end and toks[after].text == "," and end - after > 4):
                        cs = after
                        if cs < end and toks[cs].text == ",":
                            cs += 1
                        ce = end
                    else:
                        cs, ce = lo, k
                        if ce > cs and toks[ce - 1].text == ",":
                            ce -= 1
                        if r[1] < end and not overlaps_taken(cs, ce):
                            pass
                    cs = self._skip_lead(toks, cs, ce)
                    if ce - cs >= 3 and not overlaps_taken(cs, ce - 1):
                        self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 2), r, "according-to", said_span)
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
        # ---- participles after a comma: ", adding that ..." -> speaker of the clause
        if low.endswith("ing") and prev is not None and prev.text == ",":
            cs = self._complement_start(toks, k, end, lemma)
            if cs is None:
                return False
            inherit = first_idx if first_idx < len(self.found) else None
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
            if _looks_like_speaker(toks, r) and ce - cs >= 3 and not overlaps_taken(cs, ce - 1):
                self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "as-stated-by", said_span)
                return True
            return False
        # ---- CONTENT, X said.  /  CONTENT, said X.
        tail_ok = self._tail_only(toks, k + 1, end)
        r_left = _np_left(toks, k, lo)
        # ---- CONTENT, X said, CONTENT (a parenthetical attribution mid-sentence)
        if (r_left is not None and r_left[0] > lo + 2 and toks[r_left[0] - 1].text == "," and k + 1 < end
                and toks[k + 1].text == "," and end - (k + 2) >= 3 and _looks_like_speaker(toks, r_left)):
            a0, a1 = self._skip_lead(toks, lo, r_left[0] - 1), r_left[0] - 1
            b0 = k + 2
            if a1 - a0 >= 2 and not overlaps_taken(a0, end - 1):
                self._emit_indirect(bi, toks, inq, a0, a1, (k, k + 1), r_left, "parenthetical", said_span)
                last = self.found[-1]
                tail_end = end
                while tail_end > b0 and not _is_word(toks[tail_end - 1]):
                    tail_end -= 1
                if tail_end > b0:
                    last.parts.append((toks[b0].start, toks[tail_end - 1].end))
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
                if 0 < c2 - c1 - 1 <= 6 and _looks_like_speaker(toks, rr) and any(_is_cap(toks[x]) for x in range(*rr)) and c1 - lo >= 3:
                    cs = self._skip_lead(toks, lo, c1)
                    if not overlaps_taken(cs, c1 - 1):
                        self._emit_indirect(bi, toks, inq, cs, c1, (k, k + 1), rr, "final-apposition", said_span)
                        return True
        if prev is not None and prev.text == "," and k - 1 > lo and lemma not in C.TELL_VERBS:
            # (after "told" the phrase is the addressee, not the speaker)
            r = _np_right(toks, k + 1, end)
            if _looks_like_speaker(toks, r) and self._tail_only(toks, r[1], end):
                cs, ce = self._skip_lead(toks, lo, k - 1), k - 1
                if ce - cs >= 3 and not overlaps_taken(cs, ce - 1):
                    self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "final-inverted", said_span)
                    return True
        # ---- X said (that) CONTENT
        r = r_left
        inherit = None
        if r is None or not _looks_like_speaker(toks, r):
            # coordinated cue with the subject left out: "... but indicated that ..."
            if prev is not None and _low(prev) in ("and", "but") and first_idx < len(self.found):
                inherit = len(self.found) - 1
                r = None
            elif prev is not None and _low(prev) in ("and", "but"):
                r = self._clause_subject(toks, lo, k)
                if r is None:
                    return False
            else:
                rr = self._appositive_subject_left(toks, lo, k)
                if rr is None:
                    return False
                r = rr
        cs = self._complement_start(toks, k, end, lemma)
        if cs is None:
            return False
        ce = self._content_end(toks, cs, end)
        if ce - cs < 2 or overlaps_taken(cs, ce - 1):
            return False
        self._emit_indirect(bi, toks, inq, cs, ce, (k, k + 1), r, "subject-cue", said_span, inherit=inherit)
        return True

    def _appositive_subject_left(self, toks, lo, k):
        """"Kurt Volker, Trump's envoy ..., said": subject before a comma-delimited apposition."""
        if k - 1 <= lo or toks[k - 1].text != ",":
            return None
        commas = [j for j in range(lo, k - 1) if toks[j].text == ","]
        if not commas:
            return None
        first = commas[0]
        start = lo
        r = (start, first)
        if first - start <= 9 and _looks_like_speaker(toks, r) and any(_is_cap(toks[x]) or _low(toks[x]) in C.SUBJECT_PRONOUNS for x in range(*r)):
            return r
        return None

    def _clause_subject(self, toks, lo, hi):
        """The subject of a segment: its first name/pronoun phrase after a fronted adverbial."""
        k = lo
        first = _low(toks[lo]) if lo < hi else ""
        fronted = (first in C.ADJUNCT_PREPOSITIONS or first in C.DISCOURSE_OPENERS or first in C.ADVERBS
                   or first in C.TIME_WORDS or first.endswith("ly") or first in ("during", "despite", "although", "though", "if", "because", "since", "amid", "asked", "speaking"))
        if fronted:
            commas = [j for j in range(lo, min(hi, lo + 12)) if toks[j].text == ","]
            if commas:
                k = commas[0] + 1
        r = _np_right(toks, k, hi)
        if r is not None and _looks_like_speaker(toks, r):
            return r
        return None

    def _complement_start(self, toks, k, end, lemma) -> int | None:
        """Token index where the reported clause after cue ``k`` begins, or None."""
        j = k + 1
        if j < end and _low(toks[j]) in ("out",) and lemma in ("point",):
            j += 1
        # addressee of tell-verbs: "told reporters", "told NBC News"
        if lemma in C.TELL_VERBS and j < end:
            r = _np_right(toks, j, end)
            if r is not None:
                j = r[1]
        # adjuncts: "on Friday", "in a statement", "at a briefing", "to reporters", "last week"
        for _ in range(4):
            if j < end and toks[j].text == ",":
                j += 1
            if j < end and _low(toks[j]) in C.TIME_WORDS:
                j += 1
                continue
            if j < end and (_low(toks[j]) in C.ADJUNCT_PREPOSITIONS) and _low(toks[j]) not in ("that",):
                # only skip the adjunct when a "that" follows soon
                look = [x for x in range(j, min(end, j + 9)) if _low(toks[x]) == "that"]
                if look:
                    j = look[0]
                    break
                if lemma in C.TO_VERBS and _low(toks[j]) == "to":
                    return j
                return None
            if j < end and _low(toks[j]) in C.ADVERBS:
                j += 1
                continue
            break
        if j >= end:
            return None
        low = _low(toks[j])
        if low == "that":
            return j + 1 if j + 1 < end else None
        if low == "to" and lemma in C.TO_VERBS:
            return j
        if low in ("whether", "if", "why", "how", "what", "when", "where", "who") and (lemma in C.WH_VERBS or lemma in ("explain", "say", "tell", "reveal", "describe", "detail")):
            return j
        if _is_cap(toks[j]) and low not in C.ADJUNCT_PREPOSITIONS:
            return j
        if low in C.CLAUSE_STARTERS and (lemma not in C.OBJECT_CUES or low in C.SUBJECT_PRONOUNS or low == "there"):
            return j
        # other cues take objects ("repeated his criticism", "confirmed the report"): only a
        # subject pronoun or "there" starts a clause without "that"
        if low in C.SUBJECT_PRONOUNS or low == "there":
            return j
        if lemma in C.CLAUSAL_CUES and _is_word(toks[j]) and low not in C.PHRASE_BREAKERS and low not in C.ADVERBS and low not in ("so", "nothing", "anything", "something", "goodbye", "yes", "no"):
            return j
        if toks[j].text in ('"', "“", "«", "‘"):
            return j
        return None

    def _content_end(self, toks, cs, end) -> int:
        """Where reported content stops: before ", adding that", "; ", or a coordinated cue."""
        j = cs
        while j < end:
            t = toks[j]
            if t.text == ";":
                return j
            if t.text == "," and j + 1 < end and _low(toks[j + 1]).endswith("ing") and C.CUE_FORMS.get(_low(toks[j + 1])):
                return j
            if _low(t) in ("and", "but") and j + 1 < end and C.CUE_FORMS.get(_low(toks[j + 1])) and not _low(toks[j + 1]).endswith("ing"):
                return j - 1 if j - 1 > cs and toks[j - 1].text == "," else j
            if t.text == "," and j + 1 < end and _low(toks[j + 1]) == "according":
                return j
            j += 1
        return end

    def _tail_only(self, toks, j, end) -> bool:
        """True when tokens [j, end) are only adjuncts (no reported clause follows)."""
        words = [t for t in toks[j:end] if _is_word(t)]
        if not words:
            return True
        if j < end and toks[j].text == "," and _low(words[0]) in ("a", "an", "the", "who", "whose", "which", "his", "her", "its", "their"):
            return True  # an apposition or relative clause about the speaker
        first = _low(words[0])
        if first == "to":
            # "said to reporters" is an adjunct; "pledged to end the war" is content
            return len(words) > 1 and _low(words[1]) in ("reporters", "journalists", "the", "a", "an", "his", "her", "their") and "that" not in [_low(w) for w in words]
        if first in C.ADJUNCT_PREPOSITIONS or first in C.ADVERBS or first in C.TIME_WORDS or first in ("when", "as", "while", "after", "in", "adding", "according", "noting", "citing", "referring", "commenting", "speaking"):
            # adjuncts only: no reported clause hiding behind them ("said in a statement that ...")
            lows = [_low(w) for w in words[:10]]
            return "that" not in lows or first in ("adding", "noting", "according")
        if first in ("reporters", "journalists", "the", "a", "an") and len(words) <= 8:
            return "that" not in [_low(w) for w in words]
        if words[0].text[0].isupper() and len(words) <= 6:
            return "that" not in [_low(w) for w in words]
        return False

    def _skip_lead(self, toks, cs, ce) -> int:
        """Drop leading punctuation, a dateline and discourse openers ("Still,") from content."""
        # dateline: "MOSCOW (Sputnik) -", "WASHINGTON —"
        k = cs
        while k < ce and toks[k].text.isupper() and toks[k].text.isalpha():
            k += 1
        if k > cs and k < ce and toks[k].text == "(":
            while k < ce and toks[k].text != ")":
                k += 1
            k += 1
        if k > cs and k < ce and toks[k].text in ("-", "—", "–"):
            cs = k + 1
        while cs < ce and (not _is_word(toks[cs]) and toks[cs].text not in ('"', "“", "«") or _low(toks[cs]) in C.DISCOURSE_OPENERS):
            cs += 1
        return cs

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
            if first_idx < len(self.found):
                inherit = first_idx
            else:
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

