"""The shipped gazetteer: known people, organisations and places, their aliases and roles.

It makes cross-corpus identity a pure function: "Путин", "Vladimir Putin" and "the
Kremlin leader" (in an article published in 2024) all resolve to
``person:vladimir-putin`` without any shared index. Roles are keyed by date range
because holders change ("the US president" is Joe Biden until 2025-01-20, Donald
Trump from then on). Loaded once per process (immutable after loading).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

from storydesk.analyze.names import entity_id_for, name_key


@dataclass(frozen=True, slots=True)
class KnownEntity:
    """One gazetteer entry."""

    id: str
    name: str
    label: str
    gender: str | None
    aliases: tuple[str, ...]
    short: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoleSpell:
    """One holder of a role title over a date range (``end`` exclusive, None = open)."""

    entity: KnownEntity
    start: date | None
    end: date | None

    def holds_on(self, day: date | None) -> bool:
        if day is None:
            # Without a date only open-ended (current) spells apply.
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def _is_cyrillic(s: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in s)


class Gazetteer:
    """Lookup tables built from ``data/gazetteer.json``; use :func:`gazetteer` to get the shared one."""

    def __init__(self, raw: dict) -> None:
        self.entities: dict[str, KnownEntity] = {}
        self.by_alias: dict[str, KnownEntity] = {}  # exact Latin-script alias -> entity
        self.by_key: dict[str, KnownEntity] = {}  # folded name key -> entity (full names)
        self.by_short: dict[str, list[KnownEntity]] = {}  # folded surname key -> entities
        self.roles: dict[str, list[RoleSpell]] = {}  # lowercase title -> spells
        self.cyrillic_names: list[tuple[str, KnownEntity, bool]] = []  # (alias, entity, is_short)
        self.descriptors: dict[str, frozenset[str]] = {}  # id -> undated descriptors ("republican")
        for e in raw["entities"]:
            ent = KnownEntity(
                id=e["id"], name=e["name"], label=e["label"], gender=e.get("gender"),
                aliases=tuple(e.get("aliases", ())), short=tuple(e.get("short", ())),
            )
            self.entities[ent.id] = ent
            if e.get("descriptors"):
                self.descriptors[ent.id] = frozenset(_norm_title(d) for d in e["descriptors"])
            for a in ent.aliases:
                if _is_cyrillic(a):
                    self.cyrillic_names.append((a, ent, False))
                else:
                    self.by_alias.setdefault(a, ent)
                self.by_key.setdefault(name_key(a, fold=ent.label == "PERSON"), ent)
            for a in ent.short:
                if _is_cyrillic(a):
                    self.cyrillic_names.append((a, ent, True))
                else:
                    self.by_alias.setdefault(a, ent)
                lst = self.by_short.setdefault(name_key(a), [])
                if ent not in lst:
                    lst.append(ent)
            for r in e.get("roles", ()):
                start = date.fromisoformat(r["from"]) if r.get("from") else None
                end = date.fromisoformat(r["to"]) if r.get("to") else None
                for t in r["titles"]:
                    self.roles.setdefault(_norm_title(t), []).append(RoleSpell(ent, start, end))
        # Places and groups typed without a model (data/places.txt); gazetteer entries win.
        for line in (raw.get("places") or ()):
            label, names = line
            ent = KnownEntity(id=entity_id_for(label, names[0]), name=names[0], label=label, gender=None, aliases=tuple(names), short=())
            for a in names:
                if a not in self.by_alias and not a.startswith("the "):
                    self.by_alias[a] = ent
                    self.by_key.setdefault(name_key(a, fold=False), ent)
        # Aliases written with a lowercase article ("the Kremlin") match as their bare form.
        latin = sorted((a for a in self.by_alias if not a.startswith("the ")), key=len, reverse=True)
        # One alternation, longest alias first, so "Dmitry Peskov" wins over "Peskov".
        self.alias_re = re.compile(r"(?<![\w’'-])(?:" + trie_pattern(latin) + r")(?![\w-])")
        latin_titles = sorted((t for t in self.roles if not _is_cyrillic(t)), key=len, reverse=True)
        # Matched against the lowercased text (same offsets), far faster than IGNORECASE.
        self.role_re = re.compile(r"(?<![\w-])(?:" + trie_pattern(latin_titles) + r")(?![\w-])")
        self.cyrillic_titles = [t for t in self.roles if _is_cyrillic(t)]

    def lookup_name(self, surface: str, label: str | None = None) -> KnownEntity | None:
        """The entity a full name or alias refers to, by exact alias or folded key."""
        ent = self.by_alias.get(surface)
        if ent is None:
            ent = self.by_key.get(name_key(surface, fold=label in (None, "PERSON")))
        if ent is not None and label is not None and ent.label != label and not (label == "PLACE" and ent.label == "ORG"):
            return None
        return ent

    def lookup_short(self, surname: str) -> KnownEntity | None:
        """The unique entity a surname alone refers to, or None when none or several do."""
        ents = self.by_short.get(name_key(surname), [])
        return ents[0] if len(ents) == 1 else None

    def role_holder(self, title: str, day: date | None) -> KnownEntity | None:
        """The holder of a role title on ``day`` ("kremlin spokesman" -> Dmitry Peskov)."""
        spells = self.roles.get(_norm_title(title), ())
        holders = {s.entity.id: s.entity for s in spells if s.holds_on(day)}
        return next(iter(holders.values())) if len(holders) == 1 else None


def trie_pattern(words) -> str:
    """A regex alternation of literal ``words`` built as a prefix trie.

    Python's ``re`` tries every alternative of ``a|b|c`` at each position; a trie
    ("Dmitr(?:y|i) Peskov") rejects a position after one character, which made the
    gazetteer scan ~5x faster on PolNeAR. Longer words win over their prefixes.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = node.get("", False)
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def _norm_title(t: str) -> str:
    t = re.sub(r"\s+", " ", t.strip().lower()).replace("’", "'")
    return re.sub(r"^the ", "", t)


@functools.cache
def gazetteer() -> Gazetteer:
    """Load the shipped gazetteer once per process."""
    files = resources.files("storydesk.analyze")
    raw = json.loads(files.joinpath("data/gazetteer.json").read_text("utf-8"))
    places = []
    for line in files.joinpath("data/places.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, names = line.partition("\t")
            places.append((label, names.split("|")))
    raw["places"] = places
    return Gazetteer(raw)
