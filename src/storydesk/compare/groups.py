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
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from storydesk.compare.relate import Relation
from storydesk.compare.statements import Statement
from storydesk.records import Article, ClaimGroup, Omission, Span

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
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    link: dict[tuple[int, int], float] = {}
    for r in relations:
        if r.kind == "agree":
            key = (min(r.a, r.b), max(r.a, r.b))
            link[key] = max(link.get(key, 0.0), r.align)

    def sim(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key in link:
            return link[key]
        return float(score[i, j]) if score is not None else 0.0

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), _ in sorted(link.items(), key=lambda kv: -kv[1]):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        cross = [sim(x, y) for x in members[ri] for y in members[rj]]
        if sum(cross) / len(cross) < GROUP_ALIGN:
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))
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
                   relations: Sequence[Relation]) -> list[Omission]:
    """What each article leaves out: majority facts, and the other side of contested points.

    Args:
        groups: claim groups (:func:`build_groups`).
        stmts: the statements (to name the denial an article misses).
        articles: the story's articles.
        relations: the verdicts (denials/conflicts name the contested side).

    Returns:
        Omissions, grouped by claim group.
    """
    by_id = {s.id: s for s in stmts}
    out: list[Omission] = []
    n = len(articles)
    outlet = {a.id: a.outlet for a in articles}
    denial_of = defaultdict(list)
    for r in relations:
        if r.kind in ("denial", "conflict"):
            denial_of[stmts[r.a].id].append(stmts[r.b])
    for g in groups:
        carried = [aid for aid, st in g.stances.items() if st != "omits"]
        if n >= OMISSION_MIN_ARTICLES and len(carried) >= max(2, math.ceil(OMISSION_SHARE * n)):
            for aid, st in g.stances.items():
                if st == "omits":
                    out.append(Omission(outlet[aid], aid, g.proposition, tuple(carried), g.id, "majority"))
        if g.contested:
            contra = []
            for cid in g.claim_ids:
                contra.extend(denial_of.get(cid, ()))
            if not contra:
                continue
            # Name the denial by its plainest statement: the speaker's own words, with a
            # proposition of their own ("There was no conversation").
            best = max(contra, key=lambda s: (bool(s.claim.quote_id), s.target is None, bool(s.denial), -len(s.content)))
            contra_articles = {s.article_id for s in contra}
            who = best.speaker or (best.outlet or "an outlet")
            missing = f"{'denial' if best.claim.denies else 'contradiction'} by {who}: {best.claim.text.strip()}"
            for a in articles:
                if a.id not in contra_articles:
                    out.append(Omission(a.outlet, a.id, missing, tuple(sorted(contra_articles)), g.id, "contested"))
    return out


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
        name = a.outlet or f"unknown outlet ({a.id})"
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
