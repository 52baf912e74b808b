"""Claim groups, per-article stances, omissions and per-outlet summaries.

A **claim group** is one proposition across a story: the statements that agree on it (its
carriers) and the statements that deny or conflict with it (its contradictors). For every
article of the story the group says whether the article ``supports`` it (carries only the
claim), ``contradicts`` it (carries only the denial/conflicting statement), ``discusses``
it (carries both sides) or ``omits`` it. Its ``first_article_id`` is the earliest article
that carries it (provenance).

An **omission** is either a proposition most of the story's articles carry that one
article leaves out (``majority``), or the other side of a contested point an article does
not report (``contested``): in the samples, the four outlets that never mention the
Kremlin's denial of the reported Putin-Trump call.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from storydesk.compare.relate import Relation
from storydesk.compare.statements import Statement
from storydesk.records import Article, ClaimGroup, Omission, QuoteGroup, Span

__all__ = ["build_groups", "find_omissions", "outlet_summary"]

# A proposition carried by at least this share of a story's articles (and by two or more)
# is one whose absence is worth reporting. Half: "most outlets carry it".
OMISSION_SHARE = 0.5
# Omissions need a story of at least this many articles (with two, "most" is one).
OMISSION_MIN_ARTICLES = 3


def _span(s: Statement) -> Span:
    c = s.claim
    return Span(c.article_id, c.start, c.end, c.text, s.outlet, c.attributed_to, c.said_on)


def _when(s: Statement) -> tuple:
    a = s.article
    return (a.published or date.max, s.claim.said_on or date.max, a.id, s.claim.start)


# Average alignment two clusters of agreeing statements need to merge into one claim
# group. Single links chain a story's statements into one blob ("Putin may talk to Trump"
# -> "Trump will call Putin" -> "Trump and Putin spoke"); average linkage does not. Set on
# the samples.
GROUP_ALIGN = 0.6


def build_groups(stmts: Sequence[Statement], relations: Sequence[Relation],
                 articles: Sequence[Article], score=None) -> tuple[list[ClaimGroup], dict[str, str]]:
    """Group agreeing statements; attach denials and conflicts to what they contradict.

    Agreeing statements are merged strongest link first, and two clusters merge only when
    their average alignment (agree relations count with their verdict's score) reaches
    :data:`GROUP_ALIGN`.

    Args:
        stmts: the story's statements.
        relations: verdicts between them (:func:`~storydesk.compare.relate.relate_all`).
        articles: the story's articles (every one gets a stance in every group).
        score: the alignment matrix (default: only the relations' scores count).

    Returns:
        ``(groups, group_of)``: the claim groups (carried by two or more articles, or
        contested), and claim id -> group id for every statement in a group.
    """
    n = len(stmts)
    parent = list(range(n))
    size = [1] * n
    link: dict[tuple[int, int], float] = {}
    for r in relations:
        if r.kind == "agree":
            key = (min(r.a, r.b), max(r.a, r.b))
            link[key] = max(link.get(key, 0.0), r.align)
    # Pairwise similarity: an agree relation's score where there is one, else the alignment.
    # ``cross[i, j]`` holds, for cluster roots i and j, the sum of similarities over their
    # member pairs; a merge adds rows and columns, so testing the average link of two
    # clusters is one lookup (summing the member pairs at each test was cubic in the
    # statements: minutes for one long article).
    cross = np.zeros((n, n), dtype=np.float64) if score is None else np.array(score, dtype=np.float64)
    for (i, j), v in link.items():
        cross[i, j] = cross[j, i] = v

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), _ in sorted(link.items(), key=lambda kv: -kv[1]):
        ri, rj = find(i), find(j)
        if ri == rj or cross[ri, rj] / (size[ri] * size[rj]) < GROUP_ALIGN:
            continue
        parent[rj] = ri
        size[ri] += size[rj]
        cross[ri, :] += cross[rj, :]
        cross[:, ri] += cross[:, rj]
    # Denials and conflicts set one cluster against another.
    against: dict[int, set[int]] = defaultdict(set)
    on_b_side: set[int] = set()
    for r in relations:
        if r.kind in ("denial", "conflict"):
            ra, rb = find(r.a), find(r.b)
            if ra == rb:
                continue
            against[ra].add(rb)
            on_b_side.add(rb)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        clusters[find(i)].append(i)

    groups: list[ClaimGroup] = []
    group_of: dict[str, str] = {}
    for root, idx in clusters.items():
        support = [stmts[i] for i in idx]
        contra = [stmts[i] for rb in sorted(against.get(root, ())) for i in clusters[rb]]
        carriers = {s.article_id for s in support}
        if root in on_b_side and root not in against:
            continue  # a denial cluster is shown inside the group it denies
        if len(carriers) < 2 and not contra:
            continue
        support.sort(key=_when)
        contra.sort(key=_when)
        first = support[0]
        gid = f"cg:{first.id}"
        stances = {}
        contra_articles = {s.article_id for s in contra}
        for a in articles:
            has, hasnot = a.id in carriers, a.id in contra_articles
            stances[a.id] = "discusses" if has and hasnot else "supports" if has else "contradicts" if hasnot else "omits"
        members = tuple(_span(s) for s in support + contra)
        groups.append(ClaimGroup(
            id=gid,
            proposition=first.content.strip(),
            claim_ids=tuple(s.id for s in support + contra),
            stances=stances,
            members=members,
            first_article_id=first.article_id,
            contested=bool(contra),
        ))
        for s in support + contra:
            group_of.setdefault(s.id, gid)
    groups.sort(key=lambda g: (-sum(v != "omits" for v in g.stances.values()), g.id))
    return groups, group_of


def find_omissions(groups: Sequence[ClaimGroup], stmts: Sequence[Statement], articles: Sequence[Article],
                   relations: Sequence[Relation], quote_groups: Sequence[QuoteGroup] = ()) -> list[Omission]:
    """What each article leaves out, in words a reader can take in at a glance.

    Three kinds (``what``):

    * ``denial``/``conflict``: the other side of a contested claim, for every article that
      does not report it ("does not report Dmitry Peskov's denial of The Washington Post's
      report that ..."). One omission per claim group and article, whoever denies;
    * ``claim``: a proposition most of the story's articles carry (support or discuss);
    * ``quote``: a remark most of the story's articles quote.

    Args:
        groups: claim groups (:func:`build_groups`).
        stmts: the statements (to name the denial an article misses).
        articles: the story's articles.
        relations: the verdicts (denials/conflicts name the contested side).
        quote_groups: the story's quote groups (remarks most outlets quote).

    Returns:
        Omissions: contested points first, then majority claims, then quotes.
    """
    by_id = {s.id: s for s in stmts}
    out: list[Omission] = []
    n = len(articles)
    outlet = {a.id: a.outlet for a in articles}
    name = {a.id: a.outlet or a.id[:8] for a in articles}
    against: dict[str, list[tuple[str, Statement]]] = defaultdict(list)
    for r in relations:
        if r.kind in ("denial", "conflict"):
            against[stmts[r.a].id].append((r.kind, stmts[r.b]))
    majority = max(2, math.ceil(OMISSION_SHARE * n))

    # 1. The other side of contested claims.
    for g in groups:
        if not g.contested:
            continue
        contra: list[tuple[str, Statement]] = []
        for cid in g.claim_ids:
            contra.extend(against.get(cid, ()))
        if not contra:
            continue
        claims = [by_id[c] for c in g.claim_ids if c in by_id and c not in {s.id for _, s in contra}]
        kind = "denial" if any(k == "denial" for k, _ in contra) else "conflict"
        # Name the other side by its plainest statement: the speaker's own words with a
        # denial cue, then the shortest.
        ranked = sorted(contra, key=lambda t: (t[0] != "denial", not t[1].claim.quote_id, not t[1].denial,
                                              len(t[1].claim.text)))
        parties = list(dict.fromkeys(s.speaker or f"{s.outlet or 'an outlet'}" for _, s in ranked))
        reporter = next((c.speaker for c in claims if c.speaker), None)
        missing = _contested_text(kind, parties, reporter, g.proposition)
        contra_articles = {s.article_id for _, s in contra}
        cited = tuple(dict.fromkeys(_span(s) for _, s in ranked))[:3]
        for a in articles:
            if a.id not in contra_articles:
                out.append(Omission(outlet[a.id], a.id, missing, tuple(sorted(contra_articles)), g.id,
                                    "contested", kind, cited))

    # 2. Propositions most articles carry.
    if n >= OMISSION_MIN_ARTICLES:
        for g in groups:
            carried = [aid for aid, st in g.stances.items() if st in ("supports", "discusses")]
            if len(carried) < majority:
                continue
            members = [by_id[c] for c in g.claim_ids if c in by_id and by_id[c].article_id in carried]
            cited = tuple(_span(s) for s in members)[:3]
            who = next((s.speaker for s in members if s.speaker), None)
            text = _short(g.proposition)
            missing = f"{who}: {text}" if who else text
            for aid, st in g.stances.items():
                if st == "omits":
                    out.append(Omission(outlet[aid], aid, missing, tuple(carried), g.id, "majority", "claim", cited))

    # 3. Remarks most articles quote.
    if n >= OMISSION_MIN_ARTICLES:
        for qg in quote_groups:
            carried = sorted({m.article_id for m in qg.members})
            if len(carried) < majority:
                continue
            first = qg.members[0]
            missing = f"{qg.speaker or 'an unnamed speaker'}'s remark \u201c{_short(first.text)}\u201d"
            for a in articles:
                if a.id not in carried:
                    out.append(Omission(outlet[a.id], a.id, missing, tuple(carried), qg.id, "majority", "quote",
                                        tuple(qg.members[:3])))
    del name
    return out


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()).strip(" \"\u201c\u201d")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _contested_text(kind: str, parties: list[str], reporter: str | None, proposition: str) -> str:
    """ "Dmitry Peskov's denial of The Washington Post's report that Trump had a phone
    conversation with Putin on November 7" """
    who = " and ".join(parties[:2]) + (" and others" if len(parties) > 2 else "")
    noun = "denial" if kind == "denial" else "statement against"
    whose = f"{who}'s" if len(parties) == 1 else f"the {noun}s by {who} of" if kind == "denial" else f"{who}'s"
    claim = _short(proposition)
    if reporter and re.search(r"\b(?:reports?|claims?|rumou?rs?|allegations?|accounts?)\b", reporter, re.I):
        report = f"{reporter} that {claim}"  # "media reports that ..."
    else:
        report = f"{reporter}'s report that {claim}" if reporter else f"the report that {claim}"
    if kind == "denial":
        return f"{whose} denial of {report}" if len(parties) == 1 else f"{whose} {report}"
    return f"{whose} statement against {report}"


UNKNOWN_OUTLET = "unknown outlet"


def unknown_outlet(article_id: str) -> str:
    """The name an article without a known outlet is listed under (each such article on its own)."""
    return f"{UNKNOWN_OUTLET} ({article_id})"


def outlet_summary(groups: Sequence[ClaimGroup], omissions: Sequence[Omission], articles: Sequence[Article],
                   registry: Any | None = None) -> dict[str, dict[str, Any]]:
    """Per outlet: its articles, and the claim groups it supports, contradicts, discusses, omits.

    Args:
        groups: claim groups.
        omissions: omissions (counted per outlet).
        articles: the story's articles.
        registry: outlet registry, for each outlet's profile (country, ownership, state
            affiliation) when it knows the outlet.

    Returns:
        ``{outlet name: {article_ids, supports, contradicts, discusses, omits, omissions, profile}}``;
        articles without an outlet are listed under ``unknown outlet (<article id>)``.
    """
    out: dict[str, dict[str, Any]] = {}
    name_of = {}
    for a in articles:
        name = a.outlet or unknown_outlet(a.id)
        name_of[a.id] = name
        entry = out.setdefault(name, {"article_ids": [], "supports": [], "contradicts": [], "discusses": [],
                                      "omits": [], "omissions": 0, "profile": None})
        entry["article_ids"].append(a.id)
        if registry is not None and entry["profile"] is None:
            o = None
            try:
                o = (registry.by_domain(a.outlet_domain) if a.outlet_domain else None) or (
                    registry.by_name(a.outlet) if a.outlet else None)
            except Exception:  # pragma: no cover - a registry without these lookups
                o = None
            if o is not None:
                entry["profile"] = o.to_dict() if hasattr(o, "to_dict") else str(o)
    for g in groups:
        for aid, st in g.stances.items():
            lst = out[name_of[aid]][st]
            if g.id not in lst:
                lst.append(g.id)
    for o in omissions:
        out[name_of[o.article_id]]["omissions"] += 1
    return out
