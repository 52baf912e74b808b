"""English quote extraction: direct, split, partial and indirect quotes, without a parser.

Attribution in news English is formulaic, so a token grammar over quote-aware spans
does the work a dependency parse would, at a hundredth of the cost (the issue's speed
budget leaves no room for a parser on every sentence):

1. **Pair quotation marks** in each paragraph (“ ” " " « » „ “ ‘ ’; a curly mark may be
   closed by a straight one, as in much wire copy), tolerating quotes left open at a
   paragraph end: the next paragraph, when it opens with a mark, continues the same
   remark as a further part (multi-paragraph quotes).
2. **Direct quotes**: a quoted span is speech when it is long or punctuated like speech
   and an attribution stands next to it: ``"...," Peskov noted`` / ``said Peskov`` /
   ``Peskov said: "..."`` / ``according to Peskov, "..."`` / a colon ending a longer
   introduction (``Sanders responded with a phrase ...: "..."``, ``As X put it: "..."``) /
   ``X said in a statement.`` followed by the quote / a paragraph ending ``X told
   reporters:`` or ``X writes:`` followed by the quoted paragraph. A quote right after an
   attributed quote in the same paragraph continues it (one :class:`Attribution` with
   several parts); an unattributed quote in a paragraph after a quote inherits its
   speaker ("floating" quote). A participle or coordinated cue before a quote (``...,
   adding: "..."``, ``... and added: "..."``, ``, telling Reuters, "..."``) takes the
   clause's subject, never the addressee; a role phrase with a name set off after it
   (``the spokeswoman, Hua Chunying, said``) gives the name. A post embedded in a page
   (``TEXT — Name (@handle) October 13, 2016``) is a direct quote of its author. Short
   title-cased spans ("Interfax", the "Oval Office") and scare quotes ("reset") are not
   speech. A question put by the press ('"Will you
   call Putin?" a reporter asked') is not a source's remark and is not kept.
3. **Indirect speech**: ``X said (that) ...``, ``X told Y (that) ...``, ``..., X said.``,
   ``..., said X.``, ``according to X, ...``, ``..., as stated by X``, coordinated cues
   (``... but indicated that ...``) and participles (``..., adding that ...``).
4. **Partial quotes**: a quoted fragment inside reported speech makes it ``mixed``; a
   fragment that is the whole complement of a describing verb ("describing it as
   "good and productive"") is a ``direct`` quote of those words.

The output is :class:`Attribution` records with spans only; resolving the speaker
phrase to an entity is :mod:`storydesk.analyze.speakers`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storydesk.analyze import cues as C
from storydesk.analyze.attribution import Attribution
from storydesk.analyze.phrases import apposed_name as _apposed_name
from storydesk.analyze.phrases import cue_lemma as _cue_lemma
from storydesk.analyze.phrases import is_cap as _is_cap
from storydesk.analyze.phrases import is_word as _is_word
from storydesk.analyze.phrases import is_ly_adverb as _is_ly_adverb
from storydesk.analyze.phrases import is_person_noun
from storydesk.analyze.phrases import looks_like_speaker as _looks_like_speaker
from storydesk.analyze.phrases import tok_lower as _low
from storydesk.analyze.phrases import np_left as _np_left
from storydesk.analyze.phrases import np_right as _np_right
from storydesk.analyze.phrases import token_span as _span
from storydesk.analyze.quotes_indirect import IndirectMixin, press_question
from storydesk.analyze.segment import Block, Token, tokenize


# --------------------------------------------------------------------------- marks

# An embedded post as scraped pages render it: the post's text (its trailing links
# dropped), a dash, the author's display name, the handle and the date, on one line.
_POST_RE = re.compile(
    r"(?P<body>\S[^\n]*?[^\s—–-])(?:\s*(?:pic\.twitter\.com/\S+?|https?://t\.co/\S+?))*\s+[—–-]{1,2}\s*"
    r"(?P<name>[^\s()—–][^()\n—–]{0,60}?)[\s\u200e\u200f]*(?:\s[^\x00-\u024f][^()\n]*)?\(@\w{1,30}\)\s*"
    r"[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\s*$")
_POST_TAIL_RE = re.compile(r"\(@\w{1,30}\)\s*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\s*$")

# Closers each opening mark accepts. Curly and straight marks are mixed in real copy
# (“...," Trump said; "...” in PolNeAR's Politico texts), so each closes the other.
_OPEN_DOUBLE = {"“": "”\"", "„": "“”\"", "«": "»", '"': '"”'}
_CLOSE_DOUBLE = {"”", "»", '"', "“"}
_SENT_PUNCT = {".", "!", "?", "…"}


@dataclass(slots=True)
class _Q:
    """A quoted span inside a block: token indices of its marks and content offsets."""

    open_i: int
    close_i: int | None  # None: left open to the block end
    cstart: int
    cend: int
    single: bool = False


def _pair_quotes(text: str, toks: list[Token], block_end: int) -> list[_Q]:
    """Pair quotation marks in one block's tokens (double marks, then top-level singles)."""
    out: list[_Q] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i].text
        if t in _OPEN_DOUBLE and (t != '"' or _opens(text, toks[i])):
            closers = _OPEN_DOUBLE[t]
            j = i + 1
            nest = 0  # straight quotation marks nested inside a curly quotation
            while j < n:
                tj = toks[j].text
                if tj == '"' and t != '"':
                    if _opens(text, toks[j]) and j != n - 1:
                        nest += 1
                    elif nest:
                        nest -= 1
                    else:
                        break  # a straight mark closing a curly one
                elif tj in closers and (tj != '"' or not _opens(text, toks[j]) or j == n - 1):
                    break
                # a new opening curly quote means the previous one was never closed
                if tj in ("“", "«") and t in ("“", "«") and tj == t:
                    break
                j += 1
            if j < n and toks[j].text in closers:
                out.append(_Q(i, j, toks[i].end, toks[j].start))
                i = j + 1
                continue
            end = toks[j - 1].end if j < n else block_end
            out.append(_Q(i, None, toks[i].end, end))
            i = j
            continue
        if t in ("‘", "'") and _opens(text, toks[i]):
            j = i + 1
            while j < n and j - i < 60:
                if toks[j].text in ("’", "'") and _closes(text, toks[j]):
                    break
                j += 1
            if j < n and j - i < 60 and toks[j].text in ("’", "'"):
                out.append(_Q(i, j, toks[i].end, toks[j].start, single=True))
                i = j + 1
                continue
        i += 1
    return [q for q in out if q.cend > q.cstart and text[q.cstart : q.cend].strip()]


def _opens(text: str, tok: Token) -> bool:
    before = text[tok.start - 1] if tok.start > 0 else " "
    after = text[tok.end] if tok.end < len(text) else " "
    return (before.isspace() or before in "([{—–-/\n" or tok.start == 0) and not after.isspace()


def _closes(text: str, tok: Token) -> bool:
    before = text[tok.start - 1] if tok.start > 0 else " "
    after = text[tok.end] if tok.end < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)—–-\"”")


# --------------------------------------------------------------------------- the grammar


@dataclass(slots=True)
class _Seg:
    """A sentence-like segment of a block, with quote marks resolved to quoted spans."""

    lo: int  # token index range [lo, hi)
    hi: int
    quotes: list[int] = field(default_factory=list)  # indices into the block's _Q list


class BlockExtractor(IndirectMixin):
    """Extract attributions from the blocks of one English article, in order.

    State carried across blocks: the attributions found so far (floating quotes inherit
    the last speaker). One instance per article; not shared.
    """

    def __init__(self, text: str, tokens: dict[int, list[Token]] | None = None) -> None:
        self.text = text
        self.tokens = tokens or {}
        self.found: list[Attribution] = []
        self._last_direct: int | None = None  # index of the last attributed direct quote
        self._pending_colon: int | None = None  # "X said:" ending the previous block
        self._open_at_end: int | None = None  # attribution whose quote the previous block left open
        self._floating: list[int] = []  # floating quotes of the current block (see _settle_floating)

    # ---------------------------------------------------------------- entry

    def run(self, blocks: list[Block]) -> list[Attribution]:
        """Extract attributions from ``blocks`` (English ones) and return them in text order."""
        for bi, b in enumerate(blocks):
            self._block(bi, b)
        return self.found

    def _block(self, bi: int, b: Block) -> None:
        text = self.text
        toks = self.tokens.get(b.start) or tokenize(text, b.start, b.end)
        if not toks:
            return
        toks = _merge_double_apostrophes(toks)
        if "(@" in text[b.start : b.end] and self._embedded_post(bi, b):
            return
        if self._pending_colon is not None and toks[0].text not in _OPEN_DOUBLE and toks[0].text not in ("‘", "'") \
                and sum(1 for t in toks if _is_word(t)) >= 5 and not any(t.text in _OPEN_DOUBLE for t in toks[:3]):
            # "Hewitt writes:" then a paragraph without quotation marks: a block quotation
            idx = self._pending_colon
            self._pending_colon = None
            self.found.append(Attribution(parts=[(toks[0].start, _drop_comma(text, toks[0].start, toks[-1].end))], kind="direct",
                                          inherit=idx, pattern="block-quote", block=bi, said_span=self.found[idx].said_span))
            self._last_direct = len(self.found) - 1
            return
        qs = _pair_quotes(text, toks, b.end)
        inq = [-1] * len(toks)
        for qi, q in enumerate(qs):
            hi = q.close_i if q.close_i is not None else len(toks) - 1
            for k in range(q.open_i, hi + 1):
                inq[k] = qi
        segs = self._segments(toks, qs, inq)
        used_cues: set[int] = set()
        direct_of_q: dict[int, int] = {}
        block_first = len(self.found)
        # Direct quotes first: their attributions consume cues.
        for si, seg in enumerate(segs):
            for qi in seg.quotes:
                if qi in direct_of_q:
                    continue
                self._direct(bi, toks, qs, inq, segs, si, qi, used_cues, direct_of_q)
        # Then indirect speech over what is left.
        for seg in segs:
            self._indirect(bi, toks, qs, inq, seg, used_cues, direct_of_q)
        if self._floating:
            self._settle_floating(bi)
        self._drop_relayed_reports(block_first)
        # A quote left open at the block end continues in the next block when that one
        # opens with a quotation mark (the convention for multi-paragraph quotes).
        self._open_at_end = None
        if qs and qs[-1].close_i is None and (len(qs) - 1) in direct_of_q:
            self._open_at_end = direct_of_q[len(qs) - 1]
        # A block ending with "X said:" / "X told reporters:" hands its speaker to a quote
        # opening the next block.
        self._pending_colon = None
        last = toks[-1]
        if last.text == ":" and len(toks) > 2 and inq[-1] < 0:
            got = self._attr_before(toks, segs[-1].lo, len(toks), used_cues)
            if got is not None and got[0] >= 0:
                ci, r = got
                self._pending_colon = len(self.found)
                self.found.append(Attribution(parts=[], kind="direct", cue=(toks[ci].start, toks[ci].end), speaker=_span(toks, r), pattern="colon-intro", block=bi))
        del block_first

    def _embedded_post(self, bi: int, b: Block) -> bool:
        """A social-media post embedded in the page: "TEXT — Name (@handle) October 13, 2016"."""
        if _POST_TAIL_RE.search(self.text, max(b.start, b.end - 80), b.end) is None:
            return False  # (cheap test first: the handle and date end the line)
        m = _POST_RE.match(self.text, b.start, b.end)
        if m is None or len(m.group("body").split()) < 3:
            return False
        self.found.append(Attribution(parts=[(m.start("body"), m.end("body"))], kind="direct", speaker=(m.start("name"), m.end("name")),
                                      pattern="embedded-post", block=bi, said_span=(b.start, b.end)))
        self._last_direct = len(self.found) - 1
        return True

    def _segments(self, toks: list[Token], qs: list[_Q], inq: list[int]) -> list[_Seg]:
        """Split a block into sentence-like segments, never inside a quoted span."""
        segs: list[_Seg] = []
        lo = 0
        n = len(toks)
        k = 0
        while k < n:
            qi = inq[k]
            if qi >= 0:
                q = qs[qi]
                end_k = q.close_i if q.close_i is not None else n - 1
                k = end_k + 1
                # A quote whose content ends a sentence ("... in November.” Then ...)
                # ends the segment when a capitalised word follows.
                if q.close_i is not None and k < n and self.text[q.cstart : q.cend].rstrip()[-1:] in _SENT_PUNCT:
                    nxt = toks[k]
                    if _is_cap(nxt) or nxt.text in ('"', "“", "‘", "«", "„"):
                        segs.append(_Seg(lo, k))
                        lo = k
                continue
            t = toks[k].text
            if t in _SENT_PUNCT and k + 1 < n and not (t == "." and toks[k + 1].start == toks[k].end and toks[k + 1].text[0].isalpha()):
                # ("D-N.Y." tokenises as D-N . Y .: a period glued to a letter ends no sentence)
                nxt = toks[k + 1]
                if _is_cap(nxt) or nxt.text in ('"', "“", "‘", "«", "„") or nxt.text[0].isdigit():
                    segs.append(_Seg(lo, k + 1))
                    lo = k + 1
            k += 1
        if lo < n:
            segs.append(_Seg(lo, n))
        for seg in segs:
            seen: list[int] = []
            for k in range(seg.lo, seg.hi):
                if inq[k] >= 0 and inq[k] not in seen:
                    seen.append(inq[k])
            seg.quotes = seen
        return segs

    # ---------------------------------------------------------------- direct quotes

    def _is_speech(self, toks: list[Token], q: _Q) -> bool:
        """Long or speech-punctuated quoted spans are speech; short title-cased ones are names."""
        content = self.text[q.cstart : q.cend].strip()
        words = re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", content)
        if not words:
            return False
        ends = content[-1] in ",.!?…—–" or (q.close_i is None)
        lower_words = [w for w in words if not w[0].isupper()]
        # a title keeps the comma of the sentence inside its marks: on "Morning Joe," adding
        titled = len(lower_words) <= len(words) // 3 and not ends or not lower_words and content[-1] == "," and len(words) <= 4
        if titled and len(words) <= 6:
            return False
        if len(words) >= 4 or (ends and len(words) >= 2):
            return True
        return False

    def _short_answer(self, toks: list[Token], q: _Q, seg: _Seg) -> bool:
        """A one- or two-word remark with its attribution right after it: '"Safety," said Grimm',
        '"Denver," he answered'. (A title keeps its comma too, 'on "Morning Joe," adding',
        but a title is not the subject of a finite cue.)"""
        if q.close_i is None or q.open_i != seg.lo:
            return False  # (an answer opens its sentence: 'Speaking on ABC's "This Week," Carson admitted' is a title)
        content = self.text[q.cstart : q.cend].strip()
        if not content.endswith((",", "!", "?")) or len(content.split()) > 2:
            return False
        k, hi = q.close_i + 1, seg.hi
        if k < hi and toks[k].text == ",":
            k += 1

        def finite_cue(x: int) -> bool:
            return x < hi and _cue_lemma(toks, x) is not None and not _low(toks[x]).endswith("ing")

        if finite_cue(k):
            return k + 1 < hi and (_is_cap(toks[k + 1]) or _low(toks[k + 1]) in C.SUBJECT_PRONOUNS
                                   or _low(toks[k + 1]) in C.DETERMINERS)  # said Grimm, wrote a supporter
        return k < hi and (_low(toks[k]) in C.SUBJECT_PRONOUNS or _is_cap(toks[k])) and finite_cue(k + 1)  # he answered

    def _direct(self, bi, toks, qs, inq, segs, si, qi, used_cues, direct_of_q) -> None:
        q = qs[qi]
        seg = segs[si]
        if not self._is_speech(toks, q) and not self._short_answer(toks, q, seg):
            return
        close_i = q.close_i if q.close_i is not None else len(toks) - 1
        content_end_char = self.text[q.cstart : q.cend].rstrip()[-1:] or ""
        # ---- tail: "...," Peskov said / said Peskov / the spokesman added
        tail_lo = close_i + 1
        tail_hi = seg.hi
        nxt_q = [k for k in seg.quotes if qs[k].open_i > close_i]
        if nxt_q:
            tail_hi = qs[nxt_q[0]].open_i
        attr = None
        # A quote ending in . ? ! may still be followed by its attribution in the same
        # sentence ("Why should we?" Peskov responded.), but not by a new clause.
        k = tail_lo
        if k < tail_hi and toks[k].text in (",", "—", "–"):
            k += 1
        if k < tail_hi:
            attr = self._attr_after(toks, k, tail_hi, used_cues)
            if attr is None and tail_hi < seg.hi is False and si + 1 < len(segs):
                pass
        if attr is None and k >= tail_hi and not nxt_q and si + 1 < len(segs) and content_end_char in _SENT_PUNCT:
            # The quote's own . ? ! ended the segment; the next one may be nothing but
            # its attribution ("Why should we?" Peskov responded.).
            nseg = segs[si + 1]
            if not nseg.quotes or qs[nseg.quotes[0]].open_i > nseg.lo + 2:
                got = self._attr_after(toks, nseg.lo, nseg.hi, used_cues)
                if got is not None and self._tail_only(toks, (got[0] if got[1][0] < got[0] else got[1][1]) + 1 if got[1][0] < got[0] else got[1][1], nseg.hi):
                    attr = got
        # ---- head: Peskov said: "..." / according to Peskov, "..."
        if attr is None:
            prev_q = [k for k in seg.quotes if qs[k].close_i is not None and qs[k].close_i < q.open_i]
            head_lo = qs[prev_q[-1]].close_i + 1 if prev_q else seg.lo
            attr = self._attr_before(toks, head_lo, q.open_i, used_cues, seg.lo)
        if attr is not None:
            cue_i, sp = attr
            used_cues.add(cue_i)
            if cue_i >= 0 and press_question(toks, sp, _cue_lemma(toks, cue_i)):
                return  # '"Will you call Putin?" a reporter asked': the press's question, not a quote
            idx = len(self.found)
            start, kind = q.cstart, "direct"
            if cue_i > close_i:
                # words before the quote in its sentence are reported speech around it:
                # 'Yet Trump is also a "change agent," Cole said.' -> mixed
                prev_q = [k for k in seg.quotes if qs[k].close_i is not None and qs[k].close_i < q.open_i]
                lo_k = qs[prev_q[-1]].close_i + 1 if prev_q else seg.lo
                lead = [x for x in range(lo_k, q.open_i) if _is_word(toks[x])]
                if len(lead) >= 2:
                    first = lead[0]
                    while first < q.open_i and _low(toks[first]) in C.DISCOURSE_OPENERS:
                        first += 1
                    start, kind = toks[first].start, "mixed"
            self.found.append(Attribution(
                parts=[(start, _drop_comma(self.text, start, q.cend))], kind=kind,
                cue=(toks[cue_i].start, toks[cue_i].end) if cue_i >= 0 else None,
                speaker=_span(toks, sp), pattern="direct", block=bi,
                said_span=(toks[seg.lo].start, toks[seg.hi - 1].end),
            ))
            direct_of_q[qi] = idx
            self._last_direct = idx
            # A following quote in this block with no attribution of its own continues it.
            self._continue(bi, toks, qs, segs, si, qi, idx, used_cues, direct_of_q)
            return
        if attr is None and q.open_i == seg.lo:
            attr = self._attr_in_previous(toks, segs, si, used_cues)
            if attr is not None:
                cue_i, sp = attr
                used_cues.add(cue_i)
                idx = len(self.found)
                self.found.append(Attribution(
                    parts=[(q.cstart, _drop_comma(self.text, q.cstart, q.cend))], kind="direct",
                    cue=(toks[cue_i].start, toks[cue_i].end), speaker=_span(toks, sp), pattern="after-statement", block=bi,
                    said_span=(toks[segs[si - 1].lo].start, toks[seg.hi - 1].end),
                ))
                direct_of_q[qi] = idx
                self._last_direct = idx
                self._continue(bi, toks, qs, segs, si, qi, idx, used_cues, direct_of_q)
                return
        # ---- no attribution in the sentence: continuation, colon intro or floating
        inherit = None
        pattern = "floating"
        # Only a quote standing as its own sentence floats; a fragment inside a sentence
        # is left to the indirect pass (it makes that sentence's reported speech mixed).
        if self._open_at_end is not None and q.open_i == 0 and self.found[self._open_at_end].block == bi - 1:
            # the previous paragraph's open quote goes on here: one remark, one more part
            idx = self._open_at_end
            self.found[idx].parts.append((q.cstart, _drop_comma(self.text, q.cstart, q.cend)))
            self.found[idx].block = bi
            direct_of_q[qi] = idx
            self._last_direct = idx
            return
        lead = [t for t in toks[seg.lo : q.open_i] if _is_word(t)]
        trail = [t for t in toks[close_i + 1 : seg.hi] if _is_word(t)]
        if lead or trail:
            return
        if self._pending_colon is not None and qi == 0 and seg.lo == 0:
            inherit = self._pending_colon
            pattern = "after-colon"
        else:
            if self._last_direct is not None and self.found[self._last_direct].block >= bi - 1:
                inherit = self._last_direct
            # the newest speaker before the quote, an indirect one included ("He said the
            # tram failed to slow down. “Usually, ...”" continues him, not the quote before)
            newest = self._latest_before(q.cstart, bi)
            if inherit is not None and newest is not None and self.found[newest].end > self.found[inherit].end:
                inherit = newest
            elif inherit is None and newest is not None and self.found[newest].block == bi - 1 and q.open_i == 0 \
                    and all(inq[k] >= 0 or not _is_word(toks[k]) for k in range(len(toks))):
                # a paragraph that is nothing but a quotation, right after someone's reported
                # speech ("He said they decided ... \n\n "I thought, a straight road ...")
                inherit = newest
        if inherit is None:
            return
        idx = len(self.found)
        self.found.append(Attribution(parts=[(q.cstart, _drop_comma(self.text, q.cstart, q.cend))], kind="direct", inherit=inherit, pattern=pattern, block=bi,
                                      said_span=self.found[inherit].said_span if inherit is not None else None))
        direct_of_q[qi] = idx
        self._last_direct = idx
        if pattern == "floating":
            self._floating.append(idx)

    def _latest_before(self, pos: int, bi: int, skip: int | None = None) -> int | None:
        """The attribution with a speaker whose content ends last before ``pos``, in this block
        or the previous one (the speaker a floating quote continues)."""
        best = None
        for i in range(len(self.found) - 1, -1, -1):
            a = self.found[i]
            if a.block < bi - 1:
                break
            if i == skip or not a.parts or a.end > pos or not self._named_speaker(a) or not self._main_clause(a):
                continue
            if best is None or a.end > self.found[best].end:
                best = i
        return best

    def _main_clause(self, a: Attribution) -> bool:
        """True when an attribution's speaker opens its sentence ("He said the tram ...",
        "But, Mr. Hannity said"), not a clause inside another ("... Trump said in August
        after Nabisco announced ..."): only such a speaker takes the floor."""
        if a.speaker is None or a.said_span is None or a.kind == "direct":
            return True
        lead = self.text[a.said_span[0] : a.speaker[0]]
        words = re.findall(r"[\w’'-]+", lead)
        return len(words) <= 6 and not any(C.CUE_FORMS.get(w.lower()) for w in words)

    def _named_speaker(self, a: Attribution) -> bool:
        """True when an attribution's speaker is one a later quote can continue: it inherits
        one, or its phrase is a name, a pronoun, or a determiner with a person noun ("the
        spokesperson"), not a stray description the grammar took for a subject."""
        if a.inherit is not None:
            return True
        if a.speaker is None:
            return False
        words = re.findall(r"[\w’'-]+", self.text[a.speaker[0] : a.speaker[1]])
        if not words:
            return False
        if len(words) == 1 and words[0].lower() in C.SUBJECT_PRONOUNS:
            return True
        if any(w[0].isupper() for w in words):
            return True
        return words[0].lower() in C.DETERMINERS and is_person_noun(words[-1])

    def _settle_floating(self, bi: int) -> None:
        """Re-point this block's floating quotes at an indirect speaker found after them.

        Direct quotes are read before indirect speech, so when a floating quote was met the
        block's indirect attributions were not known yet.
        """
        for idx in self._floating:
            f = self.found[idx]
            if f.block != bi or not f.parts:
                continue
            newest = self._latest_before(f.start, bi, skip=idx)
            if newest is not None and newest != f.inherit and self.found[newest].end > self.found[f.inherit].end:
                f.inherit = newest
                f.said_span = self.found[newest].said_span
        self._floating = []

    def _drop_relayed_reports(self, first: int) -> None:
        """"The Erie Times-News reports that Mary Horomanski said X": X is Mary Horomanski's.

        A report (or "according to" source) whose content is itself an attribution only
        relays it; the inner attribution is the quote, the outer one is dropped (its content
        left empty, so it yields no quote; speakers inheriting from it still resolve).
        """
        text = self.text
        for a in self.found[first:]:
            if not a.parts or len(a.parts) != 1 or a.cue is None or a.kind == "direct":
                continue
            cue = text[a.cue[0] : a.cue[1]].lower()
            if not (C.CUE_FORMS.get(cue) == "report" and a.pattern == "subject-cue" or a.pattern == "according-to" and a.start > a.cue[1]):
                continue  # (a report named after its content, "..., CNN reported", is left as it stands)
            for b in self.found[first:]:
                if b is a or not b.parts or b.speaker is None or b.cue is None:
                    continue
                if a.start <= b.speaker[0] and not text[a.start : b.speaker[0]].strip() and b.cue[1] <= a.end and b.end >= a.end - 2:
                    a.parts = []
                    break

    def _continue(self, bi, toks, qs, segs, si, qi, idx, used_cues, direct_of_q) -> None:
        """Attach the next quote of the block as a further part when nothing attributes it."""
        order = [k for s in segs[si:] for k in s.quotes]
        pos = order.index(qi)
        if pos + 1 >= len(order):
            return
        nq_i = order[pos + 1]
        nq = qs[nq_i]
        if nq_i in direct_of_q or not self._is_speech(toks, nq):
            return
        # The next quote must not carry its own attribution.
        nseg_i = next(k for k, s in enumerate(segs) if nq_i in s.quotes)
        nseg = segs[nseg_i]
        nclose = nq.close_i if nq.close_i is not None else len(toks) - 1
        tail = [t for t in toks[nclose + 1 : nseg.hi] if _is_word(t)]
        head_words = [t for t in toks[nseg.lo : nq.open_i] if _is_word(t)]
        if nseg_i != si and head_words:
            # '"Q1." He adds, "Q2"': the words before Q2 are the attribution Q1 used
            a = self.found[idx]
            span_lo = min(x for x in (a.speaker or (10**12,))[:1] + (a.cue or (10**12,))[:1])
            span_hi = max(x for x in (a.speaker or (0, 0))[1:] + (a.cue or (0, 0))[1:])
            if not all(span_lo <= t.start and t.end <= span_hi for t in head_words):
                return
        if any(C.CUE_FORMS.get(_low(t)) for t in tail[:6]) or any(_low(t) == "according" for t in tail[:3]):
            return
        # a second cue between the quotes introduces the next one ('"...," Graham said,
        # adding, "..."'): it is a quote of its own, for the indirect pass to attribute
        cue = self.found[idx].cue
        qclose = qs[qi].close_i if qs[qi].close_i is not None else len(toks) - 1
        # (also further back in the next quote's own sentence: '"...," Anderson said, adding that
        # Sanders is "..."' reports speech of its own)
        between = range(min(max(qclose + 1, nseg.lo), nq.open_i - 2), nq.open_i)
        if any(_cue_lemma(toks, x) and (cue is None or toks[x].start != cue[0]) for x in between):
            return
        self.found[idx].parts.append((nq.cstart, _drop_comma(self.text, nq.cstart, nq.cend)))
        direct_of_q[nq_i] = idx

    def _attr_after(self, toks, k, hi, used_cues, whole=False):
        """Attribution right after a quote: NP CUE ... or CUE NP ... or according to NP."""
        if k >= hi:
            return None
        if _low(toks[k]) == "according" and k + 1 < hi and _low(toks[k + 1]) == "to":
            r = _np_right(toks, k + 2, hi)
            if _looks_like_speaker(toks, r):
                return k, r
            return None
        lemma = _cue_lemma(toks, k)
        if lemma is not None and k not in used_cues:
            r = _np_right(toks, k + 1, hi)
            # '"...," said Larry Noble, an attorney.' inverts; 'said the candidate could win'
            # has a clause after the phrase: the quote was a fragment of someone else's sentence
            if _looks_like_speaker(toks, r) and not (r[1] < hi and _low(toks[r[1]]) in _VERB_AFTER_SUBJECT):
                name = _apposed_name(toks, r, hi)  # 'said the spokeswoman, Hua Chunying.'
                return k, name if name is not None else r
            return None
        # NP CUE: scan a subject phrase (with an apposition or a relative clause)
        depth = 0
        for ci in range(k + 1, min(hi, k + 40)):
            t = toks[ci]
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
            if depth > 0 or t.text in ("(", ")"):
                continue
            if not _is_word(t) and t.text not in ("'s", "’s", "-", ".", "&", ",", "'", "’", "—", "–", "#"):
                break
            if ci - k >= 14 and not any(toks[x].text in (",", "—", "–") for x in range(k, ci)):
                break
            if _cue_lemma(toks, ci) and ci not in used_cues:
                r = _np_left(toks, ci, k)
                if r is not None and r[0] == k and _looks_like_speaker(toks, r):
                    return ci, r
                # "X, the spokesman, said": apposition between subject and cue
                if r is None or r[0] != k:
                    rr = self._appositive_subject(toks, k, ci)
                    if rr is not None:
                        return ci, rr
                break
        return None

    def _appositive_subject(self, toks, k, ci):
        """"Volker, Trump's envoy ..., said": the subject before an apposition."""
        commas = [j for j in range(k, ci) if toks[j].text in (",", "—", "–", "(")]
        if not commas:
            return None
        r = (k, commas[0])
        # "a local member of parliament, Eric Ciotti, told": the apposed name speaks
        name = _apposed_name(toks, r, ci)
        if name is not None and name[1] == ci - 1 and commas[0] - k <= 8:
            return name
        if _looks_like_speaker(toks, r) and commas[0] - k <= 6:
            return r
        return None

    def _attr_before(self, toks, lo, open_i, used_cues, seg_lo=None):
        """Attribution before a quote: NP CUE [addressee] [,:] "..." / according to NP, "..."."""
        hi = open_i
        j = hi - 1
        if j >= lo and toks[j].text in (",", ":", "—", "–"):
            j -= 1
        if j >= lo and _low(toks[j]) == "that":
            j -= 1
        # skip an addressee / adjunct ("told reporters", "said on Friday") up to 8 tokens
        for ci in range(j, max(lo - 1, j - 9), -1):
            if not _is_word(toks[ci]) and toks[ci].text not in ("'s", "’s", "-", ".", ","):
                break
            lemma = _cue_lemma(toks, ci)
            if lemma and ci not in used_cues:
                if not self._bridge_ok(toks, ci, open_i, lemma):
                    break
                if ci > lo and _low(toks[ci - 1]) in ("and", "but") or \
                        _low(toks[ci]).endswith("ing") and ci > lo and (toks[ci - 1].text == "," or _low(toks[ci - 1]) in _PARTICIPLE_LEADS):
                    # '... thanked the services and added: "..."': a coordinated cue shares the subject
                    # ', adding: "..."', 'by saying, "..."', ', telling Reuters, "..."': the
                    # participle's subject is the clause's, never the addressee after it
                    r = self._participle_subject(toks, lo if seg_lo is None else seg_lo, lo, ci)
                    return (ci, r) if r is not None else None
                r = _np_left(toks, ci, lo)
                if _looks_like_speaker(toks, r):
                    return ci, r
                r = self._appositive_subject_left(toks, lo, ci)
                if r is not None:
                    return ci, r
                r = self._infinitive_subject(toks, lo, ci)
                if r is not None:
                    return ci, r
                r2 = _np_right(toks, ci + 1, hi)
                if ci > lo and toks[ci - 1].text in (",",) and _looks_like_speaker(toks, r2):
                    return ci, r2
                break
            if _low(toks[ci]) == "to" and ci - 1 >= lo and _low(toks[ci - 1]) == "according":
                r = _np_right(toks, ci + 1, hi)
                if _looks_like_speaker(toks, r):
                    return ci - 1, r
                break
        # headline style: Peskov: "..."
        if open_i - 1 >= lo and toks[open_i - 1].text == ":":
            r = _np_left(toks, open_i - 1, lo)
            if r is not None and r[0] == lo and _looks_like_speaker(toks, r) and any(_is_cap(toks[x]) for x in range(*r)):
                return -1, r
            # a colon ends an introduction whose cue stands further back: "Sanders responded
            # with a phrase that could have come from Trump himself: "..."", "As X put it: "...""
            for ci in range(open_i - 2, max(lo - 1, open_i - 18), -1):
                # a comma or "that" between cue and colon means the cue has content of its own
                if toks[ci].text in (".", ";", ":", ",", "—", "–") or ci in used_cues:
                    break
                if _low(toks[ci]) == "that" and ci - 1 >= lo and C.CUE_FORMS.get(_low(toks[ci - 1])):
                    break  # "suggested that ...": that cue has a clause of its own
                put_it = _low(toks[ci]) == "put" and ci + 1 < open_i and _low(toks[ci + 1]) == "it"
                if put_it or _cue_lemma(toks, ci) and not _low(toks[ci]).endswith("ing"):
                    r = _np_left(toks, ci, lo)
                    if not _looks_like_speaker(toks, r):
                        r = self._appositive_subject_left(toks, lo, ci)
                    return (ci, r) if r is not None else None
        return None

    def _infinitive_subject(self, toks, lo, ci):
        """"which spurred Thurman to wryly note, "..."": the name before "to" speaks."""
        j = ci - 1
        while j >= lo and _is_ly_adverb(toks[j]):
            j -= 1
        if j <= lo or _low(toks[j]) != "to":
            return None
        a = j
        while a - 1 >= lo and (_is_cap(toks[a - 1]) and _is_word(toks[a - 1]) or toks[a - 1].text in (".", "-") and a - 2 >= lo and _is_cap(toks[a - 2])):
            a -= 1  # the name right before "to" (not the verb before it: "spurred")
        if a == j or a - 1 >= lo and _low(toks[a - 1]) not in _CAUSATIVES:
            return None
        r = (a, j)
        return r if _looks_like_speaker(toks, r) else None

    def _participle_subject(self, toks, seg_lo, lo, ci):
        """The speaker of a participle cue ``ci``: an earlier cue's subject, else the clause's."""
        for x in range(ci - 1, max(lo, ci - 4) - 1, -1):
            # '"...," Graham said, adding: "..."': the cue just before has it
            if _cue_lemma(toks, x) and not _low(toks[x]).endswith("ing"):
                r = _np_left(toks, x, lo)
                if not _looks_like_speaker(toks, r):
                    r = _np_right(toks, x + 1, ci)
                return r if _looks_like_speaker(toks, r) else None
        k = seg_lo
        while k < ci and not _is_word(toks[k]):
            k += 1
        return self._clause_subject(toks, k, ci) if k < ci else None

    def _attr_in_previous(self, toks, segs, si, used_cues):
        """'X said in a statement. "..."': a cue ending the previous sentence with no content."""
        if si == 0:
            return None
        pseg = segs[si - 1]
        if pseg.quotes:
            return None
        end = pseg.hi
        while end > pseg.lo and not _is_word(toks[end - 1]):
            end -= 1
        for ci in range(end - 1, max(pseg.lo - 1, end - 9), -1):
            if ci in used_cues:
                return None
            lemma = _cue_lemma(toks, ci)
            if lemma is None:
                continue
            if lemma in C.TELL_VERBS:
                rr = _np_right(toks, ci + 1, end)
                after = rr[1] if rr is not None else ci + 1
            else:
                after = ci + 1
            if not self._tail_only(toks, after, end) or toks[pseg.hi - 1].text != ".":
                return None
            r = _np_left(toks, ci, pseg.lo)
            if not _looks_like_speaker(toks, r):
                r = self._appositive_subject_left(toks, pseg.lo, ci)
            if r is None or r[0] > pseg.lo + 6:
                return None
            return ci, r
        return None

    def _bridge_ok(self, toks, ci, open_i, lemma) -> bool:
        """Between a cue and its quote only an addressee, a short adjunct, "that" and , : may stand."""
        j = ci + 1
        if lemma in C.TELL_VERBS and j < open_i:
            r = _np_right(toks, j, open_i)
            if r is not None:
                j = r[1]
        while j < open_i:
            low = _low(toks[j])
            if toks[j].text in (",", ":", "—", "–") or low == "that" or low in C.ADVERBS:
                j += 1
                continue
            if low in C.ADJUNCT_PREPOSITIONS or low in ("in", "during", "at", "on"):
                r = _np_right(toks, j + 1, open_i)
                if r is None or r[1] - j > 7:
                    return False
                j = r[1]
                continue
            return False
        return True


# Verbs that make their object the subject of an infinitive cue: "spurred Thurman to note".
_CAUSATIVES = frozenset("spurred prompted led caused moved inspired pushed forced compelled".split())

# Words before a participle cue that make it an adjunct of the clause ("by saying",
# "before adding"), whose subject is the speaker.
_PARTICIPLE_LEADS = frozenset("by before after while when".split())

# Auxiliaries after the phrase that follows a cue make that phrase the subject of a new
# clause ('..., said the candidate could win'), not an inverted speaker.
_VERB_AFTER_SUBJECT = frozenset("could would will should may might can must is was has had have are were does did do".split())


def _merge_double_apostrophes(toks: list[Token]) -> list[Token]:
    """Read two adjacent apostrophes ('' as in NYT archive text) as one double quote mark."""
    if not any(t.text == "'" for t in toks):
        return toks
    out: list[Token] = []
    for t in toks:
        if t.text == "'" and out and out[-1].text == "'" and out[-1].end == t.start:
            out[-1] = Token(out[-1].start, t.end, '"')
        else:
            out.append(t)
    return out


def _drop_comma(text: str, a: int, b: int) -> int:
    """End of quoted content without the comma that belongs to the attribution ("...," he said)."""
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a and text[b - 1] == ",":
        b -= 1
    return b


def extract_quotes_en(text: str, blocks: list[Block], *, tokens: dict[int, list[Token]] | None = None) -> list[Attribution]:
    """Extract English attributions from the given blocks of an article.

    Args:
        text: the article's clean text.
        blocks: the English blocks (paragraphs/lines) to read, in order.
        tokens: optional tokens already computed per block (keyed by block start).

    Returns:
        Attributions in the order found (``inherit`` indexes into this list), speaker
        phrases unresolved. Entries with no parts are "X said:" intros whose speaker a
        following quote inherits; they are not quotes themselves.
    """
    return BlockExtractor(text, tokens).run(blocks)
