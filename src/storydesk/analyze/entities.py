"""Entity mentions and their canonicalisation within an article and across the corpus.

Mentions come from four places, cheapest first:

1. the gazetteer's aliases and date-keyed role titles (regex over the whole text);
2. the NER model, run only on the sentences that need it (title, lead, quote
   attributions, first sightings of unknown capitalised names — see
   :func:`storydesk.analyze.select_ner_sentences`);
3. string matches of names already recognised anywhere in the article ("Peskov"
   after "Dmitry Peskov", via ``alias``/``surname``);
4. capitalised sequences typed by rules (a title before them, an organisation suffix,
   a known given name), via ``rule``.

Canonicalisation: person mentions cluster on surnames within the article ("Peskov" ->
"Dmitry Peskov"); the cluster takes the gazetteer's name when the gazetteer knows it,
else its longest full form. Ids are the gazetteer's, else a deterministic key of the
canonical name (:func:`storydesk.analyze.names.entity_id_for`), so the same person
gets the same id in every article with no shared state. Titles seen before a name
("Kremlin spokesman Dmitry Peskov") become descriptors that later definite phrases
("the spokesman", "the Kremlin spokesperson") resolve through (via ``title``); the
gazetteer's role titles resolve the rest by date (via ``role``: "the Kremlin leader"
in 2024 is Vladimir Putin). Surname-only persons the gazetteer does not know keep a
surname id; merging those across articles is left to the store (it can see the corpus).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from storydesk.analyze import cues as C
from storydesk.analyze.gazetteer import KnownEntity, gazetteer
from storydesk.analyze.names import entity_id_for, name_key
from storydesk.analyze.segment import Token
from storydesk.records import Entity

# spaCy / natasha labels -> ours
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "GROUP"}

# Capitalised words that start sentences or are not names. Coupled to the candidate
# scan in :meth:`ArticleEntities.add_candidates`.
_CAP_STOP = frozenset(
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
_TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. dr dr. sen sen. senator rep rep. representative gov gov. governor president
    vice-president minister spokesman spokeswoman spokesperson secretary ambassador envoy general gen.
    lt. col. adm. chancellor premier king queen prince pope mayor judge justice candidate nominee
    chairman chairwoman ceo director leader adviser advisor aide chief sheikh ayatollah rabbi father
    sir lord lady dame professor prof. coach commander colonel captain sergeant officer""".split()
)
_ORG_SUFFIX = frozenset(
    """ministry party committee council agency university news post times journal inc inc. corp corp.
    bank club institute service department office senate congress court foundation association union
    army forces network group company organization organisation commission administration campaign
    center centre fund board bureau police guard command parliament assembly duma rada press tribune
    herald telegraph gazette broadcasting radio television tv media magazine review school college
    church hospital airlines airways federation alliance coalition movement front league""".split()
)
_MALE = frozenset(
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
_FEMALE = frozenset(
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
_HONORIFICS = frozenset(
    """mr mrs ms miss dr prof sir dame mallam alhaji alhaja sheikh imam rabbi rev reverend pastor
    sen rep gov gen lt col sgt capt adm cmdr hon""".split()
)
# Honorifics left out of a person's canonical name, so that "Mallam Garba Shehu" and
# "Garba Shehu" are one id across articles.
_STRIP_HONORIFICS = frozenset("mr mrs ms miss dr prof sen rep gov mallam alhaji alhaja sir dame rev reverend".split())
# Nouns naming a work: a name right after one is a title, not a person ("the 2003 film Kill Bill").
_WORK_NOUNS = frozenset(
    """film films movie movies series show shows album albums song songs single book books novel novels
    memoir play musical documentary opera sitcom drama episode franchise sequel trilogy""".split()
)
_QUOTE_OPEN = "\"“‘'«"
_QUOTE_CLOSE = "\"”’'»"
# "Thurman said she ...": a subject pronoun right after a person's cue tells the person's gender.
_SAID_PRONOUN_RE = re.compile(
    r"(?:,[^,.;:\n]{1,60},)?(?:\s+(?:has|had|have|also|later|then|previously|once|again|repeatedly|herself|himself))*"
    r"\s+(?:said|says|told\s+[\w.]+(?:\s+[\w.]+)?|tells\s+[\w.]+|added|adds|insisted|insists|recalled|recalls|explained|explains|"
    r"noted|notes|wrote|writes|claimed|claims|acknowledged|admitted|admits|argued|argues|stressed|stresses)"
    r"(?:\s+(?:on|last|this)\s+\w+)?,?\s+(?:that\s+)?(he|she)\b")
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
# All-caps words that are not organisations (time zones, abbreviations, shouting).
_NOT_ACRONYMS = frozenset("gmt utc est edt pst pdt cet cest msk bst am pm tv ok usa ceo vs fyi".split())
_SPOKES_SYNONYMS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
                    "press secretary": "spokesperson", "advisor": "adviser"}

# Patterns run once per mention, compiled once.
_TITLE_WORD_RE = re.compile(r"[A-Z][\w.-]*|[a-z][\w-]*")
_MALE_TITLE_RE = re.compile(r"\b(?:mr|spokesman|chairman|congressman|councilman|businessman|king|prince|duke|father|"
                            r"husband|son|brother|boyfriend|widower|grandfather|nephew|uncle)\b")
_FEMALE_TITLE_RE = re.compile(r"\b(?:mrs|ms|miss|spokeswoman|chairwoman|congresswoman|councilwoman|businesswoman|queen|"
                              r"princess|duchess|lady|actress|wife|mother|daughter|sister|girlfriend|widow|grandmother|"
                              r"niece|aunt)\b")
_APPOSITION_RE = re.compile(r",\s+(?:the|a|an|his|her|its|their)\s+((?:[\w.'’-]+\s+){0,4}?[\w-]+)\s*[,.]")
_NAME_AFTER_RE = re.compile(r"\s+(?:[A-ZА-ЯЁ][\w.-]+\s+)*[A-ZА-ЯЁ][\w-]+")
_DETERMINER_BEFORE_RE = re.compile(r"(?:\b[Tt]he|\b[Hh]is|\b[Hh]er)\s+$")


@dataclass(slots=True)
class Cluster:
    """One entity of the article: its mentions' forms, canonical name, id and descriptors."""

    label: str
    forms: list[str] = field(default_factory=list)
    verbatim: set[str] = field(default_factory=set)  # forms written as-is (not re-inflected)
    known: KnownEntity | None = None
    descriptors: set[str] = field(default_factory=set)
    gender: str | None = None
    canonical: str = ""
    entity_id: str = ""
    first: int = 10**9


@dataclass(slots=True)
class _M:
    start: int
    end: int
    label: str
    via: str
    cluster: int = -1
    norm: str | None = None  # base form of an inflected surface (Russian)


_SPOKES_RE = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in _SPOKES_SYNONYMS) + r")\b")
_SPACES_RE = re.compile(r"\s+")
_LEAD_DET_RE = re.compile(r"^(?:the|a|an|his|her|its|their)\s+")


def _norm_role(s: str) -> str:
    s = _SPACES_RE.sub(" ", s.strip().lower()).replace("’", "'")
    s = _LEAD_DET_RE.sub("", s)
    return _SPOKES_RE.sub(lambda m: _SPOKES_SYNONYMS[m.group()], s)


_PREV_WORD = re.compile(r"([A-Za-z][\w.'’-]*)\s+$")
_NEXT_WORD = re.compile(r"\s+([A-Za-z][\w'’-]*)")


def _inside_name_before(text: str, pos: int) -> bool:
    m = _PREV_WORD.search(text, max(0, pos - 30), pos)
    if m is None:
        return False
    w = m.group(1)
    return w[0].isupper() and w.lower().rstrip(".") not in _CAP_STOP and w.lower() not in _TITLES and not (w.isupper() and len(w) <= 3)


def _inside_name_after(text: str, pos: int) -> bool:
    m = _NEXT_WORD.match(text, pos, pos + 30)
    if m is None:
        return False
    w = m.group(1)
    return w[0].isupper() and w.lower().rstrip(".") not in _CAP_STOP and w.lower() not in _TITLES and w.lower() not in C.ROLE_NOUNS and not w.lower().startswith("president")


def _is_headline(toks: list[Token]) -> bool:
    """Title Case lines (most longer words capitalised) are headlines, not prose."""
    if len(toks) > 40:
        return False  # a paragraph, not a headline
    words = [t.text for t in toks if t.text[0].isalpha() and len(t.text) > 3]
    if len(words) < 4:
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words)


_HONORIFIC_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+$")


def _person_by_form(surface: str, label: str) -> bool:
    """True when a multi-word name's form says it is a person's, whatever a model typed it as.

    An honorific or a title first ("Mallam Garba Shehu", "Dr. Jane Roe") makes it one; so
    does a given name that only people carry before a surname the model took for an
    organisation ("Kevin Snow" as ORG), unless an organisation or place word is in it
    ("Charlotte Observer", "Victoria Station").
    """
    words = surface.split()
    if len(words) < 2 or len(words) > 4 or not all(w[0].isupper() for w in words) or "'" in surface or "’" in surface:
        return False
    lows = [w.lower().rstrip(".") for w in words]
    if any(w in _ORG_SUFFIX or w in _PLACE_WORDS for w in lows[1:]):
        return False
    if lows[0] in _HONORIFICS:
        return True
    return label == "ORG" and len(words) <= 3 and (lows[0] in _MALE or lows[0] in _FEMALE)


# Words that end place names; a given name before one is a place's ("Victoria Station").
_PLACE_WORDS = frozenset(
    """station street st avenue ave road square park airport bridge river lake hall tower stadium arena
    island islands county city hotel observer hornets""".split()
)


def _role_before(before: str) -> tuple[list[str], list[str]] | None:
    """Split the text before a name at a comma: "Iceland's prime minister, former journalist "
    -> (["Iceland's", "prime", "minister"], ["former", "journalist"]), or None.

    The words after the comma (at most three, lowercase) are the name's own title; the
    words before it (at most four) may be a role set off before the name.
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


def _name_words(surface: str) -> list[str]:
    """A person name's words without a leading honorific ("Mallam Garba Shehu" -> Garba Shehu)."""
    words = re.split(r"\s+", surface.strip())
    out = [w for w in words if w.lower().rstrip(".") not in _STRIP_HONORIFICS]
    return out if out else words


def _strip_possessive(text: str, start: int, end: int) -> int:
    if text[max(start, end - 2) : end] in ("'s", "’s"):
        return end - 2
    if end - start > 1 and text[end - 1] in "'’" and text[end - 2] == "s":
        return end - 1
    return end


class ArticleEntities:
    """Collects and resolves the entity mentions of one article.

    Lifecycle: construct, ``add_*`` mentions, :meth:`finalize`, then query
    (:meth:`entities`, :meth:`resolve_phrase`, :meth:`person_before`). One per article.
    """

    def __init__(self, text: str, article_id: str, published: date | None, title: str | None = None) -> None:
        self.text = text
        self.title = title or ""
        self.article_id = article_id
        self.published = published
        self.g = gazetteer()
        self._m: list[_M] = []
        self._taken: list[tuple[int, int]] = []
        self.clusters: list[Cluster] = []
        self.mentions: list[Entity] = []
        self._mention_cluster: list[int] = []
        self._roles: list[tuple[int, int, int, str]] = []  # (start, end, cluster, via) of role phrases
        self._quoted: list[tuple[int, int]] = []
        self._lower: str | None = None
        self._forms_cache: tuple[int, dict[str, str]] | None = None
        self._title_clusters: dict[str, int | None] = {}

    # ---------------------------------------------------------------- collection

    def _free(self, s: int, e: int) -> bool:
        # _taken holds disjoint spans sorted by start: only the neighbours can overlap
        i = bisect.bisect_left(self._taken, (s, s))
        if i < len(self._taken) and self._taken[i][0] < e:
            return False
        return not (i > 0 and self._taken[i - 1][1] > s)

    def _add(self, s: int, e: int, label: str, via: str) -> None:
        e = _strip_possessive(self.text, s, e)
        while s < e and self.text[s] in "\"“‘'«(":
            s += 1
        if e <= s or not self._free(s, e):
            return
        self._m.append(_M(s, e, label, via))
        bisect.insort(self._taken, (s, e))

    def add_gazetteer(self, start: int, end: int) -> None:
        """Add gazetteer alias matches inside ``text[start:end]`` (Latin-script aliases)."""
        text = self.text
        for m in self.g.alias_re.finditer(text, start, end):
            ent = self.g.by_alias[m.group()]
            if ent.label in ("PLACE", "GROUP") and (_inside_name_before(text, m.start()) or _inside_name_after(text, m.end())):
                continue  # "Jim Jordan", "Georgia Tech": part of a longer name
            self._add(m.start(), m.end(), ent.label, "gazetteer")

    def add_ner(self, spans: list[tuple[int, int, str]], normalize=None) -> None:
        """Add model entity spans (article offsets, model labels).

        Args:
            spans: ``(start, end, label)`` from the model.
            normalize: optional ``f(start, end, label) -> str`` giving the base form of
                an inflected mention (Russian), used for clustering and canonical names.
        """
        for s, e, lab in spans:
            label = LABELS.get(lab)
            if label is None:
                continue
            text = self.text[s:e]
            if label == "PERSON" and (len(text) < 2 or not text[0].isupper()):
                continue
            if text.count("(") != text.count(")") or _DATE_LIKE.search(text) or "\n" in text:
                continue  # model noise across a dateline: "GMT 08.11.2024 (Updated"
            if text.lower().startswith("the "):
                s += 4
            if label != "PERSON" and _person_by_form(text, label):
                label = "PERSON"  # "Mallam Garba Shehu" typed ORG: an honorific or a given name says person
            self.add_mention(s, e, label, "ner", normalize(s, e, label) if normalize else None)

    def candidates(self, toks: list[Token], sentence_starts: set[int]) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int]]]:
        """Find capitalised sequences not yet covered by a mention.

        Args:
            toks: tokens of an English block.
            sentence_starts: offsets where sentences start (their first word may be a
                common word capitalised only by position).

        Returns:
            ``(typed, untyped)``: sequences the rules can type (add them with
            :meth:`add_typed` after the model's mentions, which take precedence), and
            the spans no rule types (the NER selection looks at these).
        """
        typed: list[tuple[int, int, str, str]] = []
        untyped: list[tuple[int, int]] = []
        if _is_headline(toks):
            return typed, untyped  # Title Case Headline: its names recur in the body
        if self._forms_cache is None or self._forms_cache[0] != len(self._m):
            self._forms_cache = (len(self._m), self._known_forms())
        known = self._forms_cache[1]
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            if (not (t.text[0].isupper() and t.text[0].isalpha()) or t.text.lower().rstrip(".") in _CAP_STOP
                    and t.text.lower() not in ("us",) or not self._free(t.start, t.end)):
                i += 1
                continue
            j = i + 1
            while j < n:
                tj = toks[j]
                # a sequence ends at a known mention or a title: "Arkansas Gov. Mike Huckabee"
                # holds the place "Arkansas" and the person "Mike Huckabee"
                if (tj.text[0].isupper() and tj.text[0].isalpha() and tj.text.lower() not in ("i",)
                        and tj.text.lower() not in _TITLES and self._free(tj.start, tj.end)):
                    j += 1
                    continue
                if tj.text.lower() in ("of", "for", "de", "al", "bin", "von", "van", "der", "la", "le", "du", "da") and j + 1 < n and toks[j + 1].text[0].isupper():
                    j += 1
                    continue
                break
            s, e = t.start, toks[j - 1].end
            if self._free(s, e):
                label = known.get(self.text[s:e])
                via = "alias"
                if label is None:
                    label, via = self._rule_type(toks, i, j), "rule"
                if label is not None:
                    typed.append((s, e, label, via))
                elif not (t.start in sentence_starts and j - i == 1):
                    untyped.append((s, e))
            i = j
        return typed, untyped

    def add_typed(self, typed: list[tuple[int, int, str, str]]) -> None:
        """Add rule-typed spans ``(start, end, label, via)`` that no earlier mention covers."""
        for s, e, label, via in typed:
            self._add(s, e, label, via)

    def add_mention(self, start: int, end: int, label: str, via: str, norm: str | None = None) -> None:
        """Add one mention; ``norm`` is its base form when the surface is inflected ("Пескова")."""
        self._add(start, end, label, via)
        if norm is not None and self._m and self._m[-1].start == start:
            self._m[-1].norm = norm

    def _known_forms(self) -> dict[str, str]:
        """Surface forms of the mentions found so far, and the surnames of persons."""
        forms: dict[str, str] = {}
        for m in self._m:
            surf = self.text[m.start : m.end]
            forms.setdefault(surf, m.label)
            if m.label == "PERSON":
                parts = surf.split()
                if len(parts) >= 2:
                    forms.setdefault(parts[-1], "PERSON")
                    forms.setdefault(parts[0], "PERSON")
        return forms

    def _rule_type(self, toks: list[Token], i: int, j: int) -> str | None:
        words = [t.text for t in toks[i:j]]
        if j - i == 1 and words[0].isupper() and words[0].isalpha() and len(words[0]) >= 2:
            w = words[0]
            known = self.g.by_alias.get(w.title())
            if known is not None:
                return known.label  # a dateline: "MOSCOW (Sputnik) -"
            if len(w) <= 5 and w.lower() not in _NOT_ACRONYMS:
                return "ORG"  # acronyms: NRA, MSNBC, names not in the gazetteer
            return None
        prev = toks[i - 1].text.lower() if i > 0 else ""
        last = words[-1].lower()
        if last in _ORG_SUFFIX and j - i >= 2:
            return "ORG"
        if prev in _TITLES or prev in C.ROLE_NOUNS:
            return "PERSON" if j - i <= 3 and last not in _ORG_SUFFIX else None
        if j - i >= 2 and j - i <= 3 and words[0].lower() in _MALE | _FEMALE:
            return "PERSON"
        return None

    def add_roles(self, start: int, end: int) -> None:
        """Find gazetteer role titles in ``text[start:end]`` (resolved in :meth:`finalize`)."""
        if self._lower is None:
            low = self.text.lower().replace("’", "'")
            self._lower = low if len(low) == len(self.text) else ""
        if self._lower:
            hits = self.g.role_re.finditer(self._lower, start, end)
        else:  # lowercasing changed lengths (rare letters): match case-insensitively
            hits = re.compile(self.g.role_re.pattern, re.IGNORECASE).finditer(self.text.replace("’", "'"), start, end)
        for m in hits:
            self._roles.append((m.start(), m.end(), -1, "role"))

    def add_role_title(self, start: int, end: int, title: str) -> None:
        """Add a role phrase whose gazetteer title is already known (matched by lemma)."""
        self._roles.append((start, end, -1, "role:" + title))

    def propagate(self, spans: list[tuple[int, int]], tokens: dict[int, list[Token]] | None = None) -> None:
        """String-match every name recognised so far inside the given spans (English blocks).

        Args:
            spans: block spans to scan.
            tokens: the blocks' tokens keyed by block start, when already computed
                (matching on tokens avoids compiling a regex per article).
        """
        forms: dict[str, str] = {}
        for m in self._m:
            if m.norm is not None:
                continue  # inflected languages are matched by lemma, not by string
            surf = self.text[m.start : m.end]
            if len(surf) >= 3:
                forms.setdefault(surf, m.label)
            if m.label == "PERSON":
                parts = surf.split()
                if len(parts) >= 2 and len(parts[-1]) >= 3 and parts[-1][0].isupper():
                    forms.setdefault(parts[-1], "PERSON")
        if not forms:
            return
        if tokens is None:
            from storydesk.analyze.segment import tokenize

            tokens = {s: tokenize(self.text, s, e) for s, e in spans}
        # first word -> (word count, form), longest first
        by_first: dict[str, list[tuple[int, str]]] = {}
        for f in forms:
            ws = f.split()
            by_first.setdefault(ws[0], []).append((len(ws), f))
        for lst in by_first.values():
            lst.sort(reverse=True)
        text = self.text
        for start, _end in spans:
            toks = tokens.get(start) or []
            n = len(toks)
            for i, t in enumerate(toks):
                cands = by_first.get(t.text)
                if not cands:
                    continue
                for k, f in cands:
                    # tokens split "U.S." and hyphens differently from str.split: compare text
                    j = i
                    end = t.end
                    while j + 1 < n and end - t.start < len(f):
                        j += 1
                        end = toks[j].end
                    if text[t.start : end] == f and (j + 1 >= n or toks[j + 1].text[0] not in "-"):
                        if self._free(t.start, end):
                            self._add(t.start, end, forms[f], "alias")
                        break

    # ---------------------------------------------------------------- resolution

    def finalize(self) -> None:
        """Cluster mentions, pick canonical names and ids, learn titles, resolve roles."""
        text = self.text
        self._m.sort(key=lambda m: m.start)
        persons_full: dict[str, int] = {}
        surname_of: dict[str, list[int]] = {}
        first_of: dict[str, list[int]] = {}
        keyed: dict[tuple[str, str], int] = {}
        self._relabel()
        # pass 1: multi-word persons and all non-persons
        for m in self._m:
            surf = m.norm or text[m.start : m.end]
            if m.label == "PERSON":
                toks = _name_words(surf)
                if len(toks) < 2:
                    continue
                known = self.g.lookup_name(" ".join(toks), "PERSON")
                key = known.id if known else name_key(" ".join(toks))
                ci = persons_full.get(key)
                if ci is None and known is None:
                    ci = self._same_person(persons_full, toks)
                if ci is None:
                    ci = self._new_cluster("PERSON", known)
                    persons_full[key] = ci
                    surname_of.setdefault(name_key(toks[-1]), []).append(ci)
                    first_of.setdefault(name_key(toks[0]), []).append(ci)
                m.cluster = ci
                self.clusters[ci].forms.append(" ".join(toks))
                if m.norm is None or m.norm == text[m.start : m.end]:
                    self.clusters[ci].verbatim.add(" ".join(toks))
            else:
                surf2 = re.sub(r"^[Tt]he\s+", "", surf)
                known = self.g.lookup_name(surf, m.label) or self.g.lookup_name(surf2, m.label)
                label = known.label if known else m.label
                key = (label, known.id if known else name_key(surf2, fold=False))
                ci = keyed.get(key)
                if ci is None:
                    ci = self._new_cluster(label, known)
                    keyed[key] = ci
                m.cluster = ci
                m.label = label
                self.clusters[ci].forms.append(surf2)
        # pass 2: single-word persons -> the full name with that surname (or given name)
        # that the article introduced first: a bare surname keeps naming the person it
        # named before ("Donald Trump ... Ivanka Trump ... Trump said" is Donald), unless
        # the gender of the mention rules that person out ("Ms. Thurman")
        intro: dict[int, int] = {}
        for m in self._m:
            if m.cluster >= 0:
                intro.setdefault(m.cluster, m.start)
        for m in self._m:
            if m.cluster >= 0:
                continue
            surf = m.norm or text[m.start : m.end]
            w = name_key(surf.split()[-1]) if surf.split() else ""
            cands = surname_of.get(w) or first_of.get(w) or []
            g = self._mention_gender(m) if m.label == "PERSON" else None
            if g is not None:
                cands = [c for c in cands if self._name_gender(self.clusters[c]) in (None, g)]
            tc = self._title_person(surf, persons_full, surname_of) if m.norm is None else None
            if tc is not None and (g is None or self._name_gender(self.clusters[tc]) in (None, g)):
                cands = [tc]  # the headline names the person the text calls by surname only
            if cands:
                best = min(cands, key=lambda c: (intro.get(c, -1) > m.start, intro.get(c, -1)))
                m.cluster = best
                m.via = "surname" if m.via in ("alias", "ner", "gazetteer", "rule") else m.via
                continue
            known = self.g.lookup_short(surf)
            key = known.id if known else name_key(surf)
            ci = persons_full.get(key)
            if ci is None:
                ci = self._new_cluster("PERSON", known)
                persons_full[key] = ci
                surname_of.setdefault(name_key(surf), []).append(ci)
            m.cluster = ci
            self.clusters[ci].forms.append(surf)
        self._merge_acronyms()
        for m in self._m:
            c = self.clusters[m.cluster]
            c.first = min(c.first, m.start)
            if c.label == "PERSON" and c.gender is None:
                # an honorific before any mention tells the gender ("Ms. Thurman", "Mr. Weinstein")
                h = _HONORIFIC_RE.search(text, max(0, m.start - 6), m.start)
                if h is not None:
                    c.gender = "m" if h.group(1) == "Mr" else "f"
        self._pronoun_genders()
        for c in self.clusters:
            self._canonicalise(c)
        self._learn_titles()
        self._resolve_roles()
        self.mentions = []
        self._mention_cluster = []
        for m in self._m:
            c = self.clusters[m.cluster]
            self.mentions.append(Entity(self.article_id, m.start, m.end, text[m.start : m.end], c.label, c.canonical, c.entity_id, m.via))
            self._mention_cluster.append(m.cluster)
        for s, e, ci, via in self._roles:
            if ci >= 0:
                c = self.clusters[ci]
                self.mentions.append(Entity(self.article_id, s, e, text[s:e], c.label, c.canonical, c.entity_id, via))
                self._mention_cluster.append(ci)
        order = sorted(range(len(self.mentions)), key=lambda k: (self.mentions[k].start, self.mentions[k].end))
        self.mentions = [self.mentions[k] for k in order]
        self._mention_cluster = [self._mention_cluster[k] for k in order]

    def _relabel(self) -> None:
        """Correct model labels the article itself contradicts, before clustering.

        A name written as a work's title ("“Kill Bill”", "the film Kill Bill") is no person,
        nor is a longer name it begins ("Kill Bill Volume One"); a single word the model typed
        as an organisation or place that is the surname or given name of a person named in
        full in the article is that person ("Tarantino" ORG after "Quentin Tarantino").
        """
        text = self.text
        works: set[str] = set()
        parts: set[str] = set()
        for m in self._m:
            if m.label != "PERSON":
                continue
            surf = text[m.start : m.end]
            words = surf.split()
            if len(words) >= 2:
                quoted = m.start > 0 and text[m.start - 1] in _QUOTE_OPEN and text[m.end : m.end + 1] in _QUOTE_CLOSE
                quoted = quoted or m.start > 0 and text[m.start - 1] in _QUOTE_OPEN and text[m.end : m.end + 2] in (",”", ",’", ',"', ".”")
                pw = _PREV_WORD.search(text, max(0, m.start - 30), m.start)
                if quoted or pw is not None and pw.group(1).lower() in _WORK_NOUNS:
                    works.add(surf)
                    continue
                toks = _name_words(surf)
                if len(toks) >= 2:
                    parts.add(toks[-1])
                    parts.add(toks[0])
        for m in self._m:
            surf = text[m.start : m.end]
            if m.label == "PERSON" and works and any(surf == w or surf.startswith(w + " ") for w in works):
                m.label = "OTHER"
            elif m.label in ("ORG", "PLACE") and m.via != "gazetteer" and m.norm is None and surf in parts:
                m.label = "PERSON"

    def _mention_gender(self, m: _M) -> str | None:
        """The gender one mention shows: an honorific before it ("Ms. Thurman"). ("Thurman
        says he ..." is too weak alone, the "he" may be someone else: it only votes, see
        :meth:`_pronoun_genders`.)"""
        h = _HONORIFIC_RE.search(self.text, max(0, m.start - 6), m.start)
        if h is not None:
            return "m" if h.group(1) == "Mr" else "f"
        return None

    def _name_gender(self, c: Cluster) -> str | None:
        """The gender a cluster's name shows before any mention is read (gazetteer, given name)."""
        if c.known is not None and c.known.gender:
            return c.known.gender
        for f in c.forms:
            first = f.split()[0].lower() if f.split() else ""
            if first in _MALE:
                return "m"
            if first in _FEMALE:
                return "f"
        return None

    def _title_person(self, surf: str, persons_full: dict[str, int], surname_of: dict[str, list[int]]) -> int | None:
        """The cluster of the person the headline names in full when the text uses only a surname.

        "This Is Why Uma Thurman Is Angry" over a text that says only "Thurman" (and names
        "her father, Robert Thurman" once): "Thurman" is Uma Thurman. The given name must
        recur in the text or be a known given name, so Title Case words ("Angry Thurman") do
        not make names. Returns None when the headline has no such name or the text names
        that person in full itself.
        """
        word = surf.split()[-1] if surf.split() else ""
        if not self.title or len(word) < 3 or word not in self.title:
            return None
        if word in self._title_clusters:
            return self._title_clusters[word]
        self._title_clusters[word] = None
        for tm in re.finditer(r"\b([A-Z][\w’'-]+)\s+" + re.escape(word) + r"\b", self.title):
            first = tm.group(1)
            low = first.lower()
            if low in _CAP_STOP or low in _TITLES or low in C.CUE_FORMS or first.isupper() or low in _HONORIFICS:
                continue
            if self.g.by_alias.get(first) is not None:
                continue
            if low not in _MALE and low not in _FEMALE and re.search(r"\b" + re.escape(first) + r"\b", self.text) is None:
                continue
            full = f"{first} {word}"
            known = self.g.lookup_name(full, "PERSON")
            key = known.id if known else name_key(full)
            if key in persons_full:
                return None  # the text names this person in full: its own clusters decide
            ci = self._new_cluster("PERSON", known)
            self.clusters[ci].forms.append(full)
            self.clusters[ci].verbatim.add(full)
            persons_full[key] = ci
            surname_of.setdefault(name_key(word), []).append(ci)
            self._title_clusters[word] = ci
            return ci
        return None

    def _pronoun_genders(self) -> None:
        """Genders from "X said she ..." for persons nothing else gave one (majority of votes)."""
        votes: dict[int, list[str]] = {}
        for m in self._m:
            c = self.clusters[m.cluster]
            if c.label == "PERSON" and c.gender is None:
                p = _SAID_PRONOUN_RE.match(self.text, m.end)
                if p is not None:
                    votes.setdefault(m.cluster, []).append("m" if p.group(1) == "he" else "f")
        for ci, vs in votes.items():
            if self._name_gender(self.clusters[ci]) is not None:
                continue  # a given name outranks a pronoun that may belong to someone else
            nm, nf = vs.count("m"), vs.count("f")
            if nm != nf:
                self.clusters[ci].gender = "m" if nm > nf else "f"

    def _merge_acronyms(self) -> None:
        """Send an acronym's mentions to the organisation it abbreviates in this article.

        "The Rail Accident Investigation Branch (RAIB) said ... the RAIB said": one body,
        so quotes of either mention have one speaker. Only an unknown acronym whose letters
        are the initials of a multi-word organisation named in the same article is merged.
        """
        by_initials: dict[str, int] = {}
        for ci, c in enumerate(self.clusters):
            if c.label in ("ORG", "GROUP") and c.known is None and c.forms:
                words = [w for w in re.split(r"[\s-]+", c.forms[0]) if w and w[0].isupper() and w.lower() not in ("of", "for", "and", "the")]
                if len(words) >= 2:
                    by_initials.setdefault("".join(w[0] for w in words), ci)
        if not by_initials:
            return
        for m in self._m:
            c = self.clusters[m.cluster]
            if c.known is None and len(c.forms) >= 1 and all(f == c.forms[0] for f in c.forms):
                f = c.forms[0]
                if 2 <= len(f) <= 6 and f.isupper() and f.isalpha() and by_initials.get(f, m.cluster) != m.cluster:
                    m.cluster = by_initials[f]
                    m.label = self.clusters[m.cluster].label

    def _same_person(self, persons_full: dict[str, int], toks: list[str]) -> int | None:
        """An earlier full name with the same given name and surname stem ("Степан Бандера" for
        "Степан Бандёр", the analyser's re-inflection of "Степана Бандеры")."""
        k = name_key(" ".join(toks)).split()
        if len(k) < 2 or len(k[-1]) < 5:
            return None
        for key, ci in persons_full.items():
            other = key.split()
            if len(other) == len(k) and other[0] == k[0] and other[-1][:5] == k[-1][:5] and ":" not in key:
                return ci
        return None

    def _new_cluster(self, label: str, known: KnownEntity | None) -> int:
        self.clusters.append(Cluster(label=label, known=known, gender=known.gender if known else None))
        return len(self.clusters) - 1

    def _canonicalise(self, c: Cluster) -> None:
        if c.known is not None:
            c.canonical, c.entity_id = c.known.name, c.known.id
            return
        forms = c.forms or ["?"]
        # longest, then written as-is (Russian base forms re-inflected by the analyser can
        # be wrong), then most frequent
        best = max(forms, key=lambda f: (len(f.split()), f in c.verbatim, forms.count(f), -forms.index(f)))
        c.canonical = best
        c.entity_id = entity_id_for(c.label, best)
        if c.gender is None and c.label == "PERSON":
            first = best.split()[0].lower()
            c.gender = "m" if first in _MALE else "f" if first in _FEMALE else None

    def _learn_titles(self) -> None:
        """Record the titles written before a person's name ("Kremlin spokesman Dmitry Peskov")."""
        text = self.text
        for m in self._m:
            c = self.clusters[m.cluster]
            if c.label != "PERSON":
                continue
            # title words directly before the name: "Kremlin spokesman", "his spokesman",
            # "Russian leader Vladimir Putin's spokesman" (the possessor's own title excluded)
            before = text[max(0, m.start - 60) : m.start]
            if before and not before[-1].isspace():
                before = ""
            tail = before.split()[-4:] if before else []
            # only the plain words after the last comma/quote/punctuation count
            for i in range(len(tail) - 1, -1, -1):
                if not _TITLE_WORD_RE.fullmatch(tail[i]):
                    tail = tail[i + 1 :]
                    break
            if tail:
                # the title words right before the name, back to a determiner, a verb or a
                # preposition ("a representative for Thurman" gives Thurman no title)
                words = []
                for w in reversed(tail):
                    lw = w.lower()
                    if lw in C.DETERMINERS or lw in C.PHRASE_BREAKERS or lw in C.PHRASE_PREPOSITIONS or lw in C.CUE_FORMS:
                        break
                    words.insert(0, w)
                if words and all(w.lower().rstrip(".") in _HONORIFICS for w in words):
                    words = []  # "Ms. Thurman": a gender (read elsewhere), not a title
                if words and any(w.lower().rstrip(".") in C.ROLE_NOUNS or w.lower() in _TITLES for w in words):
                    self._describe(c, " ".join(words))
                elif words:
                    # "actress Uma Thurman": a word that is no role still tells the gender
                    self._gender_from_title(c, words[-1].lower())
            # a role set off before the name: "Iceland's prime minister, former journalist X",
            # "a spokesperson for Buhari, Mallam Garba Shehu"
            rb = _role_before(before)
            if rb is not None and any(w in C.DETERMINERS or w in C.PHRASE_BREAKERS or w in C.PHRASE_PREPOSITIONS or w in C.CUE_FORMS
                                      for w in rb[1]):
                rb = None  # "..., a representative for Thurman": the words after the comma are no title of the name
            if rb is not None:
                words = rb[0]
                for i in range(len(words) - 1, -1, -1):
                    if not _TITLE_WORD_RE.fullmatch(words[i]) and not words[i].endswith(("'s", "’s")):
                        words = words[i + 1 :]
                        break
                while words and words[0].lower() in C.DETERMINERS:
                    words = words[1:]
                if words and (words[0].lower() in C.PHRASE_BREAKERS or words[0].lower() in C.CUE_FORMS):
                    words = []  # "Through a spokesperson, Weinstein": an adjunct, not an apposition
                lows = [w.lower() for w in words]
                if lows and (lows[-1] in C.ROLE_NOUNS or lows[-1] in _TITLES or any(
                        w in C.ROLE_NOUNS and i + 1 < len(lows) and lows[i + 1] in C.PHRASE_PREPOSITIONS for i, w in enumerate(lows))):
                    self._describe(c, " ".join(words))
            # apposition after the name: "Dmitry Peskov, the Kremlin spokesman,"
            am = _APPOSITION_RE.match(text[m.end : m.end + 80])
            if am and any(w in C.ROLE_NOUNS for w in am.group(1).lower().split()):
                self._describe(c, am.group(1))

    def _describe(self, c: Cluster, role: str) -> None:
        """Record a role phrase as a person's descriptor, with each shorter ending of it
        ("iceland's prime minister", "prime minister", "minister"), and the gender it tells."""
        full = _norm_role(role)
        words = full.split()
        if not words:
            return
        c.descriptors.add(full)
        # the head before a post-modifier: "spokesperson for buhari" -> "spokesperson"
        cut = next((i for i, w in enumerate(words) if i > 0 and w in C.PHRASE_PREPOSITIONS), len(words))
        head = words[:cut]
        for i in range(len(head)):
            c.descriptors.add(" ".join(head[i:]))
        self._gender_from_title(c, full)

    @staticmethod
    def _gender_from_title(c: Cluster, title: str) -> None:
        if c.gender is None:
            if _MALE_TITLE_RE.search(title):
                c.gender = "m"
            elif _FEMALE_TITLE_RE.search(title):
                c.gender = "f"

    def _resolve_roles(self) -> None:
        text = self.text
        out = []
        for s, e, _, tag in self._roles:
            after = text[e : e + 40]
            # a title directly before a name is part of that name's mention, not its own
            if _NAME_AFTER_RE.match(after) and not re.match(r"\s*['’]s\b", after):
                continue
            # "who served as the US president from 2017-2021" describes, it does not refer
            if re.search(r"\b(?:as|was|is|became|become|been|named|elected)\s+(?:the\s+|a\s+)?$", text[max(0, s - 14) : s], re.IGNORECASE):
                continue
            phrase = tag[5:] if tag.startswith("role:") else text[s:e]
            ci = self.cluster_for_phrase(phrase, s)
            if ci is not None:
                # extend to a determiner right before ("the Kremlin leader")
                dm = _DETERMINER_BEFORE_RE.search(text[max(0, s - 5) : s])
                s2 = s - (len(dm.group()) if dm else 0)
                out.append((s2, e, ci[0], ci[1]))
        self._roles = out

    # ---------------------------------------------------------------- queries

    def cluster_for_phrase(self, phrase: str, pos: int) -> tuple[int, str] | None:
        """Resolve a role phrase ("the Kremlin spokesperson") to a cluster and how.

        In-article titles first (the text defines its own references), then the
        gazetteer's date-keyed roles, then the head noun alone against titles seen
        before ``pos``.
        """
        norm = _norm_role(phrase)
        if not norm:
            return None
        best = None
        for ci, c in enumerate(self.clusters):
            if c.label == "PERSON" and norm in c.descriptors and c.first <= pos:
                if best is None or self.clusters[best].first < c.first:
                    best = ci
        if best is not None:
            return best, "title"
        # undated descriptors of known people ("the Republican" -> the article's one Republican)
        tagged = [ci for ci, c in enumerate(self.clusters) if c.known is not None and norm in self.g.descriptors.get(c.known.id, ()) and c.first <= pos]
        if len(tagged) == 1:
            return tagged[0], "title"
        holder = self.g.role_holder(norm, self.published)
        if holder is not None:
            for ci, c in enumerate(self.clusters):
                if c.known is not None and c.known.id == holder.id:
                    return ci, "role"
            c = Cluster(label=holder.label, known=holder, gender=holder.gender, canonical=holder.name, entity_id=holder.id, first=pos)
            self.clusters.append(c)
            return len(self.clusters) - 1, "role"
        head = norm.split()[-1]
        for ci, c in enumerate(self.clusters):
            if c.label == "PERSON" and head in c.descriptors and c.first <= pos:
                if best is None or self.clusters[best].first < c.first:
                    best = ci
        if best is not None:
            return best, "title"
        return None

    def descriptor_heads(self, entity_id: str) -> set[str]:
        """The role nouns the article (or the gazetteer) gives a person: {"spokesperson", "minister"}."""
        out: set[str] = set()
        for c in self.clusters:
            if c.entity_id == entity_id:
                for d in c.descriptors:
                    w = d.split()[-1] if d.split() else ""
                    if w in C.ROLE_NOUNS or w in _TITLES:
                        out.add(w)
        return out

    def entities(self) -> tuple[Entity, ...]:
        """All mentions, in text order (call after :meth:`finalize`)."""
        return tuple(self.mentions)

    def mentions_in(self, start: int, end: int) -> list[tuple[Entity, Cluster]]:
        """Mentions inside ``[start, end)`` with their clusters."""
        return [(m, self.clusters[ci]) for m, ci in zip(self.mentions, self._mention_cluster) if m.start >= start and m.end <= end]

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        """Tell the resolver which spans are quoted content (their names are not antecedents)."""
        self._quoted = sorted(spans)

    def persons_before(self, pos: int, window: int) -> list[tuple[Entity, Cluster]]:
        """Person mentions ending in ``[pos - window, pos)``, nearest first, skipping
        possessives and names inside quoted content."""
        out = []
        quoted = self._quoted
        for m, ci in zip(self.mentions, self._mention_cluster):
            if m.end <= pos and m.end >= pos - window and self.clusters[ci].label == "PERSON":
                if self.text[m.end : m.end + 2] in ("'s", "’s"):
                    continue
                if any(a <= m.start and m.end <= b for a, b in quoted):
                    continue
                out.append((m, self.clusters[ci]))
        out.reverse()
        return out
