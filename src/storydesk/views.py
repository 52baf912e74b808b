"""Interface-neutral views: each function builds the plain dict an interface renders.

The CLI prints these as JSON or rich tables; the HTTP API returns them; reports render them.
No analysis happens here — only reading the store and shaping records. Field names follow the
contracts in DESIGN.md (more fields are welcome; the documented ones never change).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from storydesk.errors import StoreError
from storydesk.records import Article, ArticleFacts, DateMention, Entity, Quote, Rejection, Story, iso_value, timex_value

log = logging.getLogger(__name__)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def article_summary(a: Article | dict[str, Any]) -> dict[str, Any]:
    """``{id, source, outlet, title, published, language}`` (+ url) for listings."""
    if isinstance(a, dict):
        return {"id": a["id"], "source": a["source"], "outlet": a["outlet"], "title": a["title"],
                "published": a["published"], "language": a["language"], "url": a.get("url")}
    return {"id": a.id, "source": a.source, "outlet": a.outlet, "title": a.title,
            "published": _iso(a.published), "language": a.language, "url": a.url}


def entity_view(e: Entity) -> dict[str, Any]:
    """One entity mention."""
    return {"text": e.text, "start": e.start, "end": e.end, "label": e.label, "canonical": e.canonical,
            "entity_id": e.entity_id, "via": e.via}


def date_view(d: DateMention) -> dict[str, Any]:
    """One date mention: ``{text, start, end, value}`` plus detail fields.

    ``value`` is ISO 8601 at its own precision (``2024``, ``2024-11``, ``2024-W45``,
    ``2024-11-07``) or null, also for a season, quarter, decade or century, which have no
    ISO form; ``timex`` is the TimeML value, which has those too (``2024-WI``, ``2024-Q1``,
    ``199``, ``18``).
    """
    return {"text": d.text, "start": d.start, "end": d.end, "value": iso_value(d.value, d.precision),
            "timex": timex_value(d.value, d.precision),
            "precision": d.precision, "kind": d.kind, "relative": d.relative, "direction": d.direction}


def quote_view(q: Quote, *, group: str | None = None, outlet: str | None = None) -> dict[str, Any]:
    """One quote: ``{article_id, speaker, text, said_on, group}`` plus detail fields.

    ``text`` is the article text the quote was cut from, exactly ``article.text[start:end]``
    (the provenance contract: for a split quote it includes the attribution between the
    parts, listed in ``parts``); ``content`` is the remark itself, for reading (the quoted
    words; a split quote's parts joined with " … ", without the sentence's punctuation).
    ``span`` repeats ``text`` for readers of the earlier shape.
    """
    return {"id": q.id, "article_id": q.article_id, "speaker": q.speaker, "text": q.text,
            "content": q.content or q.text, "span": q.text,
            "said_on": _iso(q.said_on), "group": group or q.id, "speaker_id": q.speaker_id, "kind": q.kind,
            "cue": q.cue, "start": q.start, "end": q.end, "said_on_basis": q.said_on_basis,
            "parts": [list(p) for p in q.parts], "outlet": outlet}


def article_detail(a: Article, facts: ArticleFacts | None, *, sources: Iterable[str] = (),
                   story_id: str | None = None, quote_groups: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything about one article: metadata, clean text, provenance, and its facts."""
    groups = quote_groups or {}
    out = article_summary(a)
    out.update({
        "text": a.text,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "outlet_domain": a.outlet_domain,
        "authors": list(a.authors),
        "paragraphs": [{"start": p.start, "end": p.end, "language": p.language} for p in a.paragraphs],
        "provenance": dict(a.provenance),
        "sources": list(sources) or [a.source],
        "story_id": story_id,
        "analysed": facts.analysed if facts else False,
        "analysis_note": (facts.note if facts else "not analysed yet (run `storydesk analyze`)"),
        "entities": [entity_view(e) for e in facts.entities] if facts else [],
        "quotes": [quote_view(q, group=groups.get(q.id), outlet=a.outlet) for q in facts.quotes] if facts else [],
        "dates": [date_view(d) for d in facts.dates] if facts else [],
    })
    return out


def export_record(a: Article, *, story_id: str | None = None) -> dict[str, Any]:
    """One article for ``export``: the listing fields plus the clean text and metadata."""
    out = article_summary(a)
    out.update({"text": a.text, "published_at": a.published_at.isoformat() if a.published_at else None,
                "outlet_domain": a.outlet_domain, "authors": list(a.authors), "story_id": story_id})
    return out


def rejection_view(r: Rejection | dict[str, Any]) -> dict[str, Any]:
    """One rejection."""
    if isinstance(r, dict):
        return {k: r[k] for k in ("source", "stage", "code", "detail")}
    return {"source": r.source, "stage": r.stage, "code": r.code, "detail": r.detail}


def story_summary(s: Story) -> dict[str, Any]:
    """``{id, title, article_ids}`` plus time span, outlets, languages, key entities."""
    return {"id": s.id, "title": s.title, "article_ids": list(s.article_ids),
            "first_published": _iso(s.first_published), "last_published": _iso(s.last_published),
            "outlets": list(s.outlets), "languages": list(s.languages), "entities": list(s.entities),
            "size": len(s.article_ids)}


def quote_row_view(r: dict[str, Any]) -> dict[str, Any]:
    """A stored quote row: ``{article_id, speaker, text, said_on, group}`` plus detail fields (see :func:`quote_view`)."""
    return {"id": r["id"], "article_id": r["article_id"], "speaker": r["speaker"], "text": r["text"],
            "content": r["content"] or r["text"], "span": r["text"],
            "said_on": r["said_on"], "group": r["grp"] or r["id"], "speaker_id": r["speaker_id"], "kind": r["kind"],
            "start": r["start"], "end": r["end"], "outlet": r.get("outlet"), "published": r.get("published")}


def span_text(first: date | None, last: date | None) -> str:
    """A story's time span for display: ``2024-11-07 – 2024-12-06``, one day, or ``undated``."""
    return span_text_iso(_iso(first), _iso(last))


def span_text_iso(first: str | None, last: str | None) -> str:
    """Like :func:`span_text` for ISO strings."""
    if not first and not last:
        return "undated"
    if first == last or not last:
        return first or "undated"
    return f"{first} – {last}"


def outlet_profile(name: str | None, registry: Any | None) -> dict[str, Any]:
    """What the registry knows about an outlet (country, ownership, state affiliation, with the basis)."""
    outlet = registry.by_name(name) if (registry is not None and name) else None
    if outlet is None and registry is not None and name and "." in name:
        outlet = registry.by_domain(name)
    if outlet is None:
        return {"name": name, "known": False}
    return {"name": outlet.name, "known": True, "id": outlet.id, "country": outlet.country, "kind": outlet.kind,
            "ownership": outlet.ownership, "state_affiliation": outlet.state_affiliation, "basis": outlet.basis,
            "domains": list(outlet.domains)}


def story_detail(store: Any, story_id: str, *, registry: Any | None = None, compare: bool = True) -> dict[str, Any]:
    """Everything about one story: articles by time with why they joined, quotes, and the comparison.

    Args:
        store: an open store.
        story_id: the full story id.
        registry: the outlet registry (default: the packaged one), for outlet profiles.
        compare: run the compare stage (quote groups, claims, contradictions, omissions, timeline, summary).
    """
    from storydesk.outlets import OutletRegistry

    # Views built with the packaged registry are kept (it is part of the code fingerprint);
    # a registry of one's own is not fingerprinted, so those views are always rebuilt.
    keep = registry is None or registry is OutletRegistry.default()
    if registry is None:
        registry = OutletRegistry.default()
    s = store.story(story_id)
    articles = [store.article(a) for a in s.article_ids]
    facts = {a.id: store.facts(a.id) for a in articles}
    members = {m.article_id: m for m in store.memberships(s.id)}
    copies = {d.article_id: d for d in store.near_duplicates(s.article_ids)}
    out = story_summary(s)
    out["outlet_names"] = list(s.outlets)
    out["articles"] = []
    for a in articles:
        m = members.get(a.id)
        row = article_summary(a)
        row.update({"reason": m.reason if m else None, "score": m.score if m else None,
                    "scores": m.scores if m else {}})
        if a.id in copies:
            row["copy_of"] = {"article_id": copies[a.id].original_id, "similarity": copies[a.id].similarity}
        out["articles"].append(row)
    groups = {r["id"]: r["grp"] for r in store.quote_rows(story_id=s.id)}
    out["quotes"] = [quote_view(q, group=groups.get(q.id), outlet=a.outlet)
                     for a in articles if facts.get(a.id) for q in facts[a.id].quotes]
    # An article without an outlet is an outlet of its own, named as the compare stage names
    # it: lumping them under one null outlet merged unrelated sources, and the comparison
    # then listed each of them a second time.
    from storydesk.compare.groups import unknown_outlet

    by_outlet: dict[str, dict[str, Any]] = {}
    for a in articles:
        name = a.outlet or unknown_outlet(a.id)
        if name not in by_outlet:
            by_outlet[name] = outlet_profile(a.outlet, registry) if a.outlet else {"name": name, "known": False}
            by_outlet[name]["article_ids"] = []
        by_outlet[name]["article_ids"].append(a.id)
    out["outlets"] = list(by_outlet.values())
    out.update({"quote_groups": [], "claims": [], "contradictions": [], "omissions": [], "timeline": [], "summary": []})
    if compare:
        key = _view_key(out, store.facts_stamps([a.id for a in articles])) if keep else None
        stored = store.story_view(s.id, key) if key else None
        if stored is not None:
            return stored
        _add_comparison(out, articles, facts, list(copies.values()), registry)
        if key:
            try:
                store.save_story_view(s.id, key, out)
            except StoreError as exc:  # another process is writing: show the story, keep nothing
                log.info("story view not kept: %s", exc)
    return out


def _view_key(base: dict[str, Any], stamps: dict[str, str]) -> str:
    """Everything a story's comparison is built from: change any of it and the view is rebuilt.

    The view before comparison (members, why they joined, copies, quotes and their groups),
    when each member's facts were stored, the package's code and data (the outlet registry
    among them), and which models are installed (a model installed later must not leave a
    fallback's output in place).
    """
    from storydesk import models

    h = hashlib.sha1(_code_fingerprint().encode())
    h.update(json.dumps(base, sort_keys=True, ensure_ascii=False, default=str).encode())
    h.update(json.dumps(sorted(stamps.items())).encode())
    h.update(repr([(m.name, m.available) for m in models.status()]).encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Hash of the package's source and data files (a new storydesk version rebuilds views)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".txt") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _add_comparison(out: dict[str, Any], articles: list[Article], facts: dict[str, ArticleFacts | None],
                    copies: list[Any], registry: Any) -> None:
    """Fill the compare/digest fields of a story view."""
    from storydesk.compare import compare_story, comparison_to_dict

    from storydesk.digest import build_summary, build_timeline

    items = [(a, facts.get(a.id)) for a in articles]
    comparison = compare_story(items, near_duplicates=copies, registry=registry)
    data = comparison_to_dict(comparison, timeline=build_timeline(items, comparison),
                              summary=build_summary(items, comparison))
    outlets = {o["name"]: o for o in out["outlets"]}
    for name, info in (data.pop("outlets", None) or {}).items():
        if name in outlets:
            outlets[name].update({k: v for k, v in info.items() if k not in outlets[name]})
        else:
            out["outlets"].append(dict(info, name=name))
    out.update(data)


def claim_matrix(story: dict[str, Any], *, limit: int = 25) -> dict[str, Any]:
    """The outlet-by-claim matrix of a story view: one column per article, one row per claim group.

    Rows are the claim groups carried by most articles first (contested ones first among
    equals); each cell is the article's stance: supports, contradicts, discusses or omits.
    """
    columns = []
    seen: dict[str, int] = {}
    for a in story["articles"]:
        base = a["outlet"] or a["id"][:8]
        seen[base] = seen.get(base, 0) + 1
        label = base if seen[base] == 1 else f"{base} ({seen[base]})"
        columns.append({"article_id": a["id"], "label": label, "outlet": a["outlet"], "title": a["title"],
                        "published": a["published"]})
    groups = story.get("claim_groups", [])

    def weight(g: dict[str, Any]) -> tuple[int, int]:
        carried = sum(1 for s in g["stances"].values() if s in ("supports", "contradicts", "discusses"))
        return (-carried, 0 if g.get("contested") else 1)

    rows = [{"id": g["id"], "claim": g["proposition"], "stances": g["stances"], "contested": g.get("contested", False),
             "first_article_id": g.get("first_article_id")}
            for g in sorted(groups, key=weight)[:limit]]
    return {"story_id": story["id"], "columns": columns, "rows": rows}
