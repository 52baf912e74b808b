"""Clause structure for the English quote grammar: where a speaker phrase begins and where
reported content begins and ends.

The subject side: appositions ("Kurt Volker, Trump's envoy ..., said"), fronted
adverbials ("On Friday, X said"), relative clauses ("experts who say", "Trump, who has
..., has said") and long post-modified subjects ("A person familiar with the planning
... says"). The content side: the complement after a cue (addressees, adjuncts,
"that"), its end (before ", adding that", "; ", another speaker's clause), and whether
what follows a cue is only adjuncts. Mixed into
:class:`storydesk.analyze.quotes.BlockExtractor` through
:class:`~storydesk.analyze.quotes_indirect.IndirectMixin`; the methods only read tokens.
"""

from __future__ import annotations

from storydesk.analyze import cues as C
from storydesk.analyze.phrases import apposed_name as _apposed_name
from storydesk.analyze.phrases import cue_lemma as _cue_lemma
from storydesk.analyze.phrases import is_cap as _is_cap
from storydesk.analyze.phrases import is_ly_adverb as _is_ly_adverb
from storydesk.analyze.phrases import is_word as _is_word
from storydesk.analyze.phrases import looks_like_speaker as _looks_like_speaker
from storydesk.analyze.phrases import np_left as _np_left
from storydesk.analyze.phrases import np_right as _np_right
from storydesk.analyze.phrases import tok_lower as _low

# Words that begin a verb phrase: content resuming after an inverted attribution.
_VERB_START = frozenset("would will could can should may might must is was are were has have had does did do".split())

# Longest subject (tokens) the post-modifier rule reads back from a cue; tuned on PolNeAR train.
_LONG_SUBJECT_TOKENS = 16

# Words that may link a long subject's head to its post-modifiers ("who" clauses are
# _relative_subject's: they name a description as often as a source).
_LONG_SUBJECT_LINKS = frozenset("of for at from with in on to about that".split())

# Subordinators that open reported content after a clausal cue ("said although ...").
_CONCESSIVE = frozenset("despite although though unless".split())

# Negation between a subject and its cue: "Cook did not say", "she didn't say".
_NEGATION = frozenset("not n't never did does do didn't doesn't don't".split())

# Cues whose noun-phrase object is the content of a speech act ("Murdoch announced his
# engagement", "Cruz proposed a constitutional amendment"). Chosen on PolNeAR train.
_NP_CUES = frozenset("announce propose reveal disclose deny confirm demand recommend report".split())

# Cues whose content can be a gerund clause: "denied ever threatening her prospects",
# "acknowledged making an awkward pass", "admitted lying".
_GERUND_CUES = frozenset("deny admit acknowledge recall mention suggest recommend propose".split())

# First words of a new clause's subject after "and"/"but" (a name is capitalised).
_SUBJECT_STARTS = C.DETERMINERS | C.SUBJECT_PRONOUNS

# Pronouns that are only objects: after a cue they never begin a reported clause.
_OBJECT_ONLY = frozenset("him them me us himself herself themselves itself myself ourselves".split())


class ClauseMixin:
    """Subject and complement boundaries; stateless helpers over a block's tokens."""

    def _relative_subject(self, toks, lo, k):
        """"security experts who say ...", "Sanders, who says ...": the relative pronoun and its antecedent."""
        j = k - 1
        while j >= lo and (_low(toks[j]) in C.AUXILIARIES or _low(toks[j]) in C.ADVERBS):
            j -= 1
        if j <= lo or _low(toks[j]) not in ("who", "which"):
            return None
        a_end = j - 1 if toks[j - 1].text == "," else j
        ante = _np_left(toks, a_end, lo) if a_end > lo else None
        if ante is None or not _looks_like_speaker(toks, ante):
            return None
        head = _low(toks[ante[1] - 1])
        if not (any(_is_cap(toks[x]) for x in range(*ante)) or head in C.ROLE_NOUNS or head.endswith("s")):
            return None  # "a serial liar and birther who has pledged": a description, not a source
        if _low(toks[j]) == "which" and not any(_is_cap(toks[x]) for x in range(*ante)):
            return None  # "which" introduces an organisation by name ("the OECD, which says")
        return (j, j + 1), ante

    def _appositive_subject_left(self, toks, lo, k):
        """"Kurt Volker, Trump's envoy ..., said": subject before a delimited apposition.

        Also "Sanders, who has already sent pleas on Canova's behalf, said" and the same
        after a fronted adverbial ("On Friday, X, a former aide, said") or with dashes.
        """
        while k - 1 > lo and (_low(toks[k - 1]) in C.AUXILIARIES or _low(toks[k - 1]) in C.ADVERBS):
            k -= 1  # "Trump, who has relied on ..., has said"
        if k - 1 <= lo or toks[k - 1].text not in (",", "—", "–", ")"):
            # (the comma may sit inside a closing quote: 'X, the producer of “Pulp Fiction,” acknowledged')
            if not (k - 2 > lo and toks[k - 1].text in ("”", '"', "’") and toks[k - 2].text == ","):
                return None
        delims = [j for j in range(lo, k - 1) if toks[j].text in (",", "—", "–", "(")]
        if not delims:
            return None
        for start in self._clause_starts(toks, lo, k):
            first = next((j for j in delims if j > start), None)
            if first is None:
                continue
            r = (start, first)
            if first - start <= 9:
                # "A spokesperson for Buhari, Mallam Garba Shehu, said": the apposed name speaks
                name = _apposed_name(toks, r, k)
                if name is not None and name[1] == k - 1:
                    return name
            if first - start <= 9 and _looks_like_speaker(toks, r) and any(
                    _is_cap(toks[x]) or _low(toks[x]) in C.SUBJECT_PRONOUNS for x in range(*r)):
                return r
        return None

    def _long_subject(self, toks, lo, k):
        """A subject with post-modifiers that starts its clause: "A person familiar with the
        planning for Thursday's meeting says", "progressive organizations that have endorsed
        him say". Its head phrase (up to the first preposition or relative pronoun) must be
        a speaker; nothing in it may be another cue.
        """
        j = k - 1
        while j >= lo and (_low(toks[j]) in C.AUXILIARIES or _low(toks[j]) in C.ADVERBS or _low(toks[j]) in _NEGATION):
            j -= 1
        x = j
        while x >= lo and j - x < _LONG_SUBJECT_TOKENS:
            t = toks[x]
            if not _is_word(t) and t.text not in ("'s", "’s", "-", "&"):
                break
            if _cue_lemma(toks, x) is not None:
                return None  # another cue: not one subject
            x -= 1
        if x >= lo and toks[x].text not in (",", ";", ":", "—", "–", "(") and j - x >= _LONG_SUBJECT_TOKENS:
            return None  # no clause boundary within reach
        p = x + 1
        while p <= j and _low(toks[p]) in C.DISCOURSE_OPENERS:
            p += 1
        if any(_low(toks[y]) in C.PHRASE_BREAKERS and _low(toks[y]) not in _LONG_SUBJECT_LINKS for y in range(p, j + 1)):
            return None  # a verb or conjunction inside: "he was the only pollster to ...", not one phrase
        head_end = next((y for y in range(p + 1, j + 1) if _low(toks[y]) in _LONG_SUBJECT_LINKS), None)
        if head_end is None or head_end - p > 5:
            return None
        head = (p, head_end)
        if not _looks_like_speaker(toks, head) or _low(toks[head_end - 1]) in C.DETERMINERS:
            return None
        if _low(toks[head_end]) == "that" and not _low(toks[head_end - 1]).endswith("s"):
            return None  # "organizations that have endorsed him say"; a singular "X that" is a clause
        return p, j + 1

    def _fronted(self, toks, lo, hi) -> bool:
        """True when tokens [lo, hi) are a fronted adverbial ("At the same time", "In Moscow")."""
        first = _low(toks[lo]) if lo < hi else ""
        return hi - lo <= 8 and (first in C.ADJUNCT_PREPOSITIONS or first in C.DISCOURSE_OPENERS or first in C.ADVERBS
                                  or first in C.TIME_WORDS or first in ("however", "meanwhile", "still", "yet", "but", "and", "at"))

    def _clause_starts(self, toks, lo, hi):
        """Where a clause subject may begin: the segment start, or after a fronted adverbial."""
        out = [lo]
        first = _low(toks[lo]) if lo < hi else ""
        if first == "as" or first in C.DISCOURSE_OPENERS and lo + 1 < hi and toks[lo + 1].text != ",":
            out.append(lo + 1)  # "As John Cornyn, ..., put it: ...", "But Crawford, who ..., said"
        if (first in C.ADJUNCT_PREPOSITIONS or first in C.DISCOURSE_OPENERS or first in C.ADVERBS or first in C.TIME_WORDS
                or first.endswith("ly") or first in ("during", "despite", "although", "though", "if", "because", "since", "amid", "asked", "speaking")):
            # a fronted clause can be long ("After the meeting ... ended in mayhem when
            # many delegates were deemed ineligible, Roberta Lange, ..., said")
            for j in range(lo + 1, min(hi, lo + 30)):
                if toks[j].text == ",":
                    out.append(j + 1)
                    break
        return out

    def _clause_subject(self, toks, lo, hi):
        """The subject of a segment: its first name/pronoun phrase after a fronted adverbial."""
        k = lo
        first = _low(toks[lo]) if lo < hi else ""
        fronted = (first in C.ADJUNCT_PREPOSITIONS or first in C.DISCOURSE_OPENERS or first in C.ADVERBS
                   or first in C.TIME_WORDS or first.endswith("ly") or first in ("during", "despite", "although", "though", "if", "because", "since", "amid", "asked", "speaking"))
        commas = [j for j in range(lo, min(hi, lo + 12)) if toks[j].text == ","]
        if not fronted and commas and commas[0] - lo <= 4:
            # "Hours later, Trump ...", "This week, ...": a time phrase before the comma
            fronted = any(_low(toks[x]) in C.TIME_WORDS for x in range(lo, commas[0]))
        if fronted and commas:
            k = commas[0] + 1
        elif not fronted:
            k = self._skip_lead(toks, lo, hi)  # "NEW YORK — Actress Uma Thurman ... has accused": past the dateline
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
        if lemma in C.TELL_VERBS and j < end and _low(toks[j]) not in C.PHRASE_BREAKERS and _low(toks[j]) not in C.PHRASE_PREPOSITIONS:
            r = _np_right(toks, j, end)
            if r is not None:
                j = r[1]
        if lemma in C.TELL_VERBS and j < end and _low(toks[j]) != "that":
            # "told The Post and Courier newspaper of Charleston on Saturday that ...": a long
            # addressee and adjuncts before "that"
            for x in range(j, min(end, j + 10)):
                if toks[x].text in (",", ";", ":") or _cue_lemma(toks, x):
                    break
                if _low(toks[x]) == "that":
                    return x + 1 if x + 1 < end else None
        # adjuncts: "on Friday", "in a statement", "at a briefing", "to reporters", "last week"
        for _ in range(4):
            if j < end and toks[j].text == ",":
                j += 1
            if j < end and _low(toks[j]) in C.TIME_WORDS:
                j += 1
                continue
            if j + 1 < end and _low(toks[j]) in ("last", "this", "next", "earlier", "late", "early") and _low(toks[j + 1]) in C.TIME_WORDS:
                j += 2  # "told The Star-Ledger last week she would ..."
                continue
            if j + 2 < end and _low(toks[j]) == "on" and _low(toks[j + 1]) in C.TIME_WORDS and _low(toks[j + 2]) in C.SUBJECT_PRONOUNS:
                j += 2  # "said on Friday he met ...": a day, then the reported clause's subject
                continue
            if j < end and (_low(toks[j]) in C.ADJUNCT_PREPOSITIONS) and _low(toks[j]) not in ("that",):
                # only skip the adjunct when a "that" follows soon
                # (12 tokens: "said in a statement on Facebook on New Year's Day that")
                look = []
                for x in range(j, min(end, j + 12)):
                    if toks[x].text in (",", ";", ":") or x > j and _cue_lemma(toks, x):
                        break  # "pledged to end the war, arguing that": that "that" is another cue's
                    if _low(toks[x]) == "that":
                        look.append(x)
                        break
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
        if lemma == "ask" and (low == "for" or low == "about" and j > k + 1) and j + 1 < end and _is_word(toks[j + 1]):
            return j + 1  # "asked the court for quick action", "asked him about the kerfuffle"
        if low in ("whether", "if", "why", "how", "what", "when", "where", "who") and (lemma in C.WH_VERBS or lemma in ("explain", "say", "tell", "reveal", "describe", "detail")):
            return j
        if _is_cap(toks[j]) and low not in C.ADJUNCT_PREPOSITIONS:
            return j
        if low in C.CLAUSE_STARTERS and (lemma not in C.OBJECT_CUES or low in C.SUBJECT_PRONOUNS or low == "there"):
            return j
        if lemma in _NP_CUES and (low in C.DETERMINERS or _is_cap(toks[j])) and low not in _OBJECT_ONLY:
            return j  # "announced his candidacy", "proposed a ban on ...": a reported speech act
        if lemma in _GERUND_CUES and low.endswith("ing") and len(low) > 4 and low.isalpha():
            return j  # "denied ever threatening her prospects": the gerund clause is the content
        if lemma == "deny" and _is_word(toks[j]) and low.isalpha() and low not in C.PHRASE_BREAKERS and low not in _OBJECT_ONLY \
                and low not in C.ADVERBS and low not in C.SUBJECT_PRONOUNS:
            return j  # "denied physical assault", "denies wrongdoing": what is denied
        # other cues take objects ("repeated his criticism", "confirmed the report"): only a
        # subject pronoun or "there" starts a clause without "that"
        if low in C.SUBJECT_PRONOUNS or low == "there":
            return j
        if low in _OBJECT_ONLY:
            return None  # "declared him the victor": an object, not a clause
        if lemma in ("add", "tell") and low[0].isdigit() and not any(_low(t) == "that" for t in toks[j : min(end, j + 3)]):
            return None  # "organizers added 160 security personnel", "told Fox News 6 in Milwaukee"
        if lemma in C.CLAUSAL_CUES and _is_word(toks[j]) and low not in C.PHRASE_BREAKERS and low not in C.ADVERBS and low not in ("so", "nothing", "anything", "something", "goodbye", "yes", "no"):
            return j
        if lemma in C.CLAUSAL_CUES and low in _CONCESSIVE and j + 3 < end:
            return j  # "says despite being a Stanford alumna, she plans ...": a fronted clause of the content
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
            if _low(t) in ("and", "but") and j > cs + 2 and j + 1 < end and (_is_cap(toks[j + 1]) or _low(toks[j + 1]) in _SUBJECT_STARTS) \
                    and self._new_attribution(toks, j + 1, end):
                # "Carter stopped the practice, but Cook did not say when": another speaker's clause
                return j - 1 if toks[j - 1].text == "," else j
            if t.text == "," and j + 1 < end and _low(toks[j + 1]) == "according":
                return j
            if t.text in ("—", "–") and j + 2 < end and _low(toks[j + 1]) in ("this", "that", "it") and _low(toks[j + 2]) in ("is", "was") and j > cs + 2:
                return j  # '"cannot be done overnight" – this was his reaction to ...': the writer's comment
            if t.text == "," and j + 1 < end and C.CUE_FORMS.get(_low(toks[j + 1])) and not _low(toks[j + 1]).endswith("ing") \
                    and (j + 2 >= end or _low(toks[j + 2]) in ("that", ",") or _is_word(toks[j + 2])):
                return j  # "Graham, who says A, tweeted that B": the relative clause ends at the comma
            j += 1
        return end

    def _new_attribution(self, toks, j, end) -> bool:
        """True when tokens from ``j`` open a new attribution: a speaker phrase, then (aux) a cue."""
        r = _np_right(toks, j, end)
        if r is None or not _looks_like_speaker(toks, r):
            return False
        k = r[1]
        while k < end and (_low(toks[k]) in C.AUXILIARIES or _low(toks[k]) in C.ADVERBS or _low(toks[k]) in _NEGATION):
            k += 1
        return k < end and _cue_lemma(toks, k) is not None and not _low(toks[k]).endswith("ing")

    def _tail_only(self, toks, j, end, lemma: str | None = None) -> bool:
        """True when tokens [j, end) are only adjuncts (no reported clause follows).

        With ``lemma`` given, a noun phrase right after the cue is an addressee only for
        tell-verbs ("..., Peskov told the newspaper"); after other cues it is an object
        ("..., Clinton maintains a commanding lock"), so the cue is not an attribution.
        """
        words = [t for t in toks[j:end] if _is_word(t)]
        if not words:
            return True
        if j < end and toks[j].text == "," and _low(words[0]) in ("a", "an", "the", "who", "whose", "which", "his", "her", "its", "their"):
            return True  # an apposition or relative clause about the speaker
        first = _low(words[0])
        if first in ("reporters", "journalists") or _is_ly_adverb(words[0]):
            # "asked reporters rhetorically during a news conference": addressee, manner, then adjuncts
            w0 = next(x for x in range(j, end) if toks[x] is words[0])
            return self._tail_only(toks, w0 + 1, end)
        if first == "to":
            # "said to reporters" is an adjunct; "pledged to end the war" is content
            return len(words) > 1 and (_low(words[1]) in ("reporters", "journalists", "the", "a", "an", "his", "her", "their")
                                       or _is_cap(words[1]) and len(words) <= 5) and "that" not in [_low(w) for w in words]
        if first in ("ever", "never") or first in C.ADVERBS and len(words) > 1 and _low(words[1]).endswith("ing") and _low(words[1]) not in C.CUE_FORMS:
            return False  # "denied ever threatening her prospects": a verb phrase, the content
        if first in C.ADJUNCT_PREPOSITIONS or first in C.ADVERBS or first in C.TIME_WORDS or first in ("when", "as", "while", "after", "in", "adding", "according", "noting", "citing", "referring", "commenting", "speaking"):
            # adjuncts only: no reported clause hiding behind them ("said in a statement that ...")
            lows = [_low(w) for w in words[:10]]
            return "that" not in lows or first in ("adding", "noting", "according")
        lows = [_low(w) for w in words]
        if any(w in _VERB_START for w in lows) or any(inq_tok.text in ('"', "“", "”") for inq_tok in toks[j:end]):
            return False  # "..., Trump said the South has “treated me so well.”": a clause, not an adjunct
        if first in ("reporters", "journalists", "the", "a", "an") and len(words) <= 8:
            if lemma is not None and lemma not in C.TELL_VERBS and first in ("the", "a", "an") and not any(w in C.TIME_WORDS for w in lows):
                return False
            return "that" not in lows
        if words[0].text[0].isupper() and len(words) <= 6:
            return "that" not in lows and not (len(words) == 1 and j + 2 >= end)  # "he said Ryan.": a one-word answer
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
