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

The word tables and name-form rules are in :mod:`storydesk.analyze.entity_rules`; the
person rules (relabelling, gender, titles, headline names) in
:mod:`storydesk.analyze.person_rules`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from storydesk.analyze import cues as C
from storydesk.analyze.gazetteer import KnownEntity, gazetteer
from storydesk.analyze.entity_rules import (
    CAP_STOP,
    FEMALE_NAMES,
    MALE_NAMES,
    NOT_ACRONYMS,
    ORG_SUFFIX,
    TITLES,
    inside_name_after,
    inside_name_before,
    is_headline,
    name_words,
    person_by_form,
    strip_possessive,
)
from storydesk.analyze.names import entity_id_for, name_key
from storydesk.analyze.person_rules import (
    headline_name,
    learn_titles,
    mention_gender,
    name_gender,
    norm_role,
    pronoun_genders,
    relabel_mentions,
)
from storydesk.analyze.segment import Token
from storydesk.records import Entity

# spaCy / natasha labels -> ours
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "GROUP"}

_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
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
class Mention:
    """One mention while the article is read: its span, label, source and (later) cluster."""

    start: int
    end: int
    label: str
    via: str
    cluster: int = -1
    norm: str | None = None  # base form of an inflected surface (Russian)


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
        self._m: list[Mention] = []
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
        e = strip_possessive(self.text, s, e)
        while s < e and self.text[s] in "\"“‘'«(":
            s += 1
        if e <= s or not self._free(s, e):
            return
        self._m.append(Mention(s, e, label, via))
        bisect.insort(self._taken, (s, e))

    def add_gazetteer(self, start: int, end: int) -> None:
        """Add gazetteer alias matches inside ``text[start:end]`` (Latin-script aliases)."""
        text = self.text
        for m in self.g.alias_re.finditer(text, start, end):
            ent = self.g.by_alias[m.group()]
            if ent.label in ("PLACE", "GROUP") and (inside_name_before(text, m.start()) or inside_name_after(text, m.end())):
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
            if label != "PERSON" and person_by_form(text, label):
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
        if is_headline(toks):
            return typed, untyped  # Title Case Headline: its names recur in the body
        if self._forms_cache is None or self._forms_cache[0] != len(self._m):
            self._forms_cache = (len(self._m), self._known_forms())
        known = self._forms_cache[1]
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            if (not (t.text[0].isupper() and t.text[0].isalpha()) or t.text.lower().rstrip(".") in CAP_STOP
                    and t.text.lower() not in ("us",) or not self._free(t.start, t.end)):
                i += 1
                continue
            j = i + 1
            while j < n:
                tj = toks[j]
                # a sequence ends at a known mention or a title: "Arkansas Gov. Mike Huckabee"
                # holds the place "Arkansas" and the person "Mike Huckabee"
                if (tj.text[0].isupper() and tj.text[0].isalpha() and tj.text.lower() not in ("i",)
                        and tj.text.lower() not in TITLES and self._free(tj.start, tj.end)):
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
            if len(w) <= 5 and w.lower() not in NOT_ACRONYMS:
                return "ORG"  # acronyms: NRA, MSNBC, names not in the gazetteer
            return None
        prev = toks[i - 1].text.lower() if i > 0 else ""
        last = words[-1].lower()
        if last in ORG_SUFFIX and j - i >= 2:
            return "ORG"
        if prev in TITLES or prev in C.ROLE_NOUNS:
            return "PERSON" if j - i <= 3 and last not in ORG_SUFFIX else None
        if j - i >= 2 and j - i <= 3 and words[0].lower() in MALE_NAMES | FEMALE_NAMES:
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
        relabel_mentions(text, self._m)
        # pass 1: multi-word persons and all non-persons
        for m in self._m:
            surf = m.norm or text[m.start : m.end]
            if m.label == "PERSON":
                toks = name_words(surf)
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
            g = mention_gender(text, m.start) if m.label == "PERSON" else None
            if g is not None:
                cands = [c for c in cands if name_gender(self.clusters[c]) in (None, g)]
            tc = self._title_person(surf, persons_full, surname_of) if m.norm is None else None
            if tc is not None and (g is None or name_gender(self.clusters[tc]) in (None, g)):
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
                g = mention_gender(text, m.start)
                if g is not None:
                    c.gender = g
        pronoun_genders(text, self._m, self.clusters)
        for c in self.clusters:
            self._canonicalise(c)
        learn_titles(text, self._m, self.clusters)
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

    def _title_person(self, surf: str, persons_full: dict[str, int], surname_of: dict[str, list[int]]) -> int | None:
        """The cluster of the person the headline names in full when the text uses only a surname.

        "This Is Why Uma Thurman Is Angry" over a text that says only "Thurman" (and names
        "her father, Robert Thurman" once): "Thurman" is Uma Thurman. The given name must
        recur in the text or be a known given name, so Title Case words ("Angry Thurman") do
        not make names (:func:`~storydesk.analyze.person_rules.headline_name`). Returns None
        when the headline has no such name or the text names that person in full itself.
        """
        word = surf.split()[-1] if surf.split() else ""
        if not self.title or len(word) < 3 or word not in self.title:
            return None
        if word in self._title_clusters:
            return self._title_clusters[word]
        self._title_clusters[word] = None
        full = headline_name(self.title, self.text, word, self.g.by_alias)
        if full is None:
            return None
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
            c.gender = "m" if first in MALE_NAMES else "f" if first in FEMALE_NAMES else None

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
        norm = norm_role(phrase)
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
                    if w in C.ROLE_NOUNS or w in TITLES:
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
