"""The command line: thin commands over the pipeline, the store and the views.

Data goes to stdout (tables, or JSON with ``--json``); progress and messages go to stderr.
Exit codes: 0 success; 1 internal error; 2 bad usage; 3 ingest finished but some inputs
were rejected; 4 an id or path not found; 5 an optional dependency missing; 6 the database
cannot be used.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar, get_args

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storydesk import __version__, views
from storydesk.errors import NotFound, StorydeskError, UsageError
from storydesk.records import EntityLabel

EXIT_REJECTED = 3

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help="storydesk: news articles from many outlets, turned into stories you can compare.",
)

_width = None if sys.stdout.isatty() else 160
out = Console(width=_width, soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", help="Database file (default: $STORYDESK_DB or ./storydesk.db).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
StoriesModeOption = Annotated[Optional[str], typer.Option(
    "--stories-mode", metavar="fast|accurate", show_default=False,
    help="How stories are decided, kept with the database: fast (default) or accurate (asks the e5 model on "
         "close calls between two English articles too: better grouping of English news, ~5x the ingest "
         "CPU). Default: the mode the database was built in.")]

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(fn: F) -> F:
    """Map domain errors to a message on stderr and an exit code; no traceback for users."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except StorydeskError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/yellow]: everything committed so far is kept; run the command again to finish")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("STORYDESK_DEBUG"):
                raise
            err.print(f"[red]internal error:[/red] {type(exc).__name__}: {escape(str(exc))}\n"
                      "This is a bug in storydesk. Run with STORYDESK_DEBUG=1 for the traceback and please report it.")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _open(db: Path | None, *, create: bool = False) -> Any:
    """Open the database; only commands that write articles (ingest) may create it.

    A read command on a mistyped ``--db`` used to create an empty database and report
    "0 article(s)": the user could not tell a typo from an empty corpus.
    """
    from storydesk.config import db_path
    from storydesk.store import open_store

    path = db_path(db)
    if not create and not path.exists():
        raise NotFound(f"no database at {path}: check --db (or STORYDESK_DB), or create it with "
                       f"`storydesk ingest PATH --db {path}`")
    return open_store(path)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens (to stderr).")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"storydesk {__version__}")
        raise typer.Exit(0)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not verbose:
        # trafilatura and htmldate log each page they give up on ("discarding data: None");
        # storydesk records those pages as rejections with a reason, so the noise is dropped.
        for name in ("trafilatura", "htmldate", "courlan"):
            logging.getLogger(name).setLevel(logging.ERROR)


# ---------------------------------------------------------------------------- ingest


@app.command()
@_handle_errors
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), feed files, feed or article URLs.")],
    db: DbOption = None,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze", help="Find entities, dates and quotes.")] = True,
    cluster: Annotated[bool, typer.Option("--cluster/--no-cluster", help="Group articles into stories.")] = True,
    fetch_pages: Annotated[bool, typer.Option("--fetch/--no-fetch", help="Fetch article pages of feed entries that carry only a teaser.")] = True,
    as_json: JsonOption = False,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal).")] = None,
    stories_mode: StoriesModeOption = None,
) -> None:
    """Read articles into the database; print what was added, duplicated and rejected (with reasons)."""
    from storydesk.pipeline import IngestOptions
    from storydesk.pipeline import ingest as run_ingest

    show = sys.stderr.isatty() if progress is None else progress
    with _open(db, create=True) as store, _progress(show) as report:
        summary = run_ingest(paths, store, options=IngestOptions(analyze=analyze, cluster=cluster, fetch_pages=fetch_pages,
                                                                  stories_mode=stories_mode),
                             progress=report)
    reasons = Counter(r.code for r in summary.rejected)
    if as_json:
        _print_json({
            "inputs": summary.inputs, "documents": summary.documents, "added": summary.added,
            "duplicates": summary.duplicates, "unchanged": summary.unchanged, "analysed": summary.analysed,
            "stories_created": summary.stories_created, "stories_joined": summary.stories_joined,
            "stories_mode": summary.stories_mode,
            "rejected": [views.rejection_view(r) for r in summary.rejected],
            "duplicate_of": [{"source": s, "article_id": a} for s, a in summary.duplicate_of],
            "notes": dict(summary.notes), "seconds": round(summary.seconds, 3),
        })
    else:
        out.print(f"Ingested {summary.documents} document(s) from {summary.inputs} input(s) in {summary.seconds:.1f} s")
        out.print(f"  added       {summary.added}")
        out.print(f"  duplicates  {summary.duplicates}" + ("" if not summary.duplicates else "  (same text already stored from another source)"))
        out.print(f"  unchanged   {summary.unchanged}" + ("" if not summary.unchanged else "  (already ingested)"))
        out.print(f"  rejected    {len(summary.rejected)}" + (f"  ({', '.join(f'{c}: {n}' for c, n in reasons.most_common())})" if reasons else ""))
        if summary.stories_created or summary.stories_joined:
            out.print(f"  stories     {summary.stories_created} new, {summary.stories_joined} article(s) joined existing stories"
                      f"  ({summary.stories_mode} mode)")
        for note, n in summary.notes.most_common():
            out.print(f"  note: {n} article(s): {escape(note)}")
        for r in summary.rejected[:50]:
            out.print(f"  [red]rejected[/red] {escape(r.source)}: {r.code}: {escape(r.detail)}")
        if len(summary.rejected) > 50:
            out.print(f"  ... and {len(summary.rejected) - 50} more (see `storydesk rejections`)")
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


class _progress:
    """Context manager giving a progress callback; draws a rich bar on stderr when enabled."""

    def __init__(self, enabled: bool, work: str = "processing"):
        self.enabled = enabled
        self.work = work
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[str, int, int | None], None] | None:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=err, transient=True)
        self._bar.__enter__()
        self._task = self._bar.add_task("reading", total=None)
        self._articles = 0

        def report(event: str, done: int, total: int | None) -> None:
            if event == "inputs":
                self._bar.update(self._task, completed=done, total=total,
                                 description=f"reading ({self._articles} articles)")
            else:
                self._articles = done
                if total is not None:
                    self._bar.update(self._task, completed=done, total=total, description=self.work)

        return report

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@app.command()
@_handle_errors
def analyze(db: DbOption = None) -> None:
    """Analyse stored articles that have no facts yet (after `ingest --no-analyze`)."""
    from storydesk.pipeline import analyze_missing

    with _open(db) as store:
        n = analyze_missing(store)
    out.print(f"analysed {n} article(s)")


# ---------------------------------------------------------------------------- articles


@app.command()
@_handle_errors
def articles(
    db: DbOption = None,
    as_json: JsonOption = False,
    outlet: Annotated[Optional[str], typer.Option(help="Only this outlet.")] = None,
    language: Annotated[Optional[str], typer.Option(help="Only this language (ISO 639-1).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many.")] = None,
) -> None:
    """List articles: id, publication date, outlet, language, title."""
    with _open(db) as store:
        rows = store.article_rows(limit=limit, outlet=outlet, language=language)
    if as_json:
        _print_json([views.article_summary(r) for r in rows])
        return
    table = Table("id", "published", "outlet", "lang", "title", box=None, pad_edge=False)
    for r in rows:
        table.add_row(r["id"], r["published"] or "-", escape(r["outlet"] or "-"), r["language"] or "-",
                      escape(r["title"]) if r["title"] else f"[dim](no title) {escape(Path(r['source']).name)}[/dim]")
    out.print(table)
    out.print(f"[dim]{len(rows)} article(s)[/dim]")


@app.command()
@_handle_errors
def article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata with provenance, clean text, and its facts."""
    with _open(db) as store:
        a = store.article(article_id)
        facts = store.facts(a.id)
        sources = store.sources_of(a.id)
        story_id = store.conn.execute("SELECT story_id FROM memberships WHERE article_id = ?", (a.id,)).fetchone()
        groups = {r["id"]: r["grp"] for r in store.conn.execute("SELECT id, grp FROM quotes WHERE article_id = ?", (a.id,))}
        data = views.article_detail(a, facts, sources=sources, story_id=story_id[0] if story_id else None,
                                    quote_groups=groups)
    if as_json:
        _print_json(data)
        return
    out.print(f"[bold]{escape(data['title'] or '(no title)')}[/bold]")
    out.print(escape(f"id {data['id']}  ·  {data['outlet'] or 'unknown outlet'}  ·  {data['published'] or 'undated'}  ·  {data['language'] or '?'}"))
    for key, how in data["provenance"].items():
        out.print(f"[dim]  {escape(f'{key}: {how}')}[/dim]")
    for s in data["sources"]:
        out.print(f"[dim]  source: {escape(s)}[/dim]")
    if data["analysis_note"]:
        out.print(f"[yellow]  {escape(data['analysis_note'])}[/yellow]")
    out.print()
    out.print(data["text"], markup=False)
    if data["quotes"]:
        out.print("\n[bold]Quotes[/bold]")
        for q in data["quotes"]:
            out.print(escape(f"  {q['speaker'] or '(unknown)'} [{q['said_on'] or 'undated'}, {q['kind']}]: “{q['text']}”"))
    if data["dates"]:
        out.print("\n[bold]Dates[/bold]")
        out.print(escape("  " + "; ".join(f"{d['text']} → {d['value'] or '?'}" for d in data["dates"])))


@app.command()
@_handle_errors
def search(
    query: Annotated[str, typer.Argument(help="Words to find (FTS5 syntax: \"exact phrase\", OR, NOT, prefix*).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
) -> None:
    """Full-text search over titles and texts."""
    with _open(db) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        _print_json([{"id": h.article_id, "title": h.title, "outlet": h.outlet,
                      "published": h.published.isoformat() if h.published else None, "snippet": h.snippet} for h in hits])
        return
    for h in hits:
        out.print(f"[bold]{h.article_id}[/bold] " + escape(f"{h.published or '-'} {h.outlet or '-'}: {h.title or '(no title)'}"))
        out.print(f"    {escape(h.snippet)}")
    out.print(f"[dim]{len(hits)} result(s)[/dim]")


@app.command()
@_handle_errors
def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Export all articles with their clean text (one per line in JSONL, or CSV)."""
    if fmt not in ("jsonl", "csv"):
        raise UsageError(f"unknown --format {fmt!r}: use jsonl or csv")
    store = _open(db)
    try:
        fh = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        store.close()
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}; choose another --output") from exc
    try:
        stories = dict(store.conn.execute("SELECT article_id, story_id FROM memberships").fetchall())
        writer = None
        for a in store.iter_articles():
            rec = views.export_record(a, story_id=stories.get(a.id))
            if fmt == "jsonl":
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                if writer is None:
                    writer = csv.DictWriter(fh, fieldnames=list(rec))
                    writer.writeheader()
                writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v) for k, v in rec.items()})
    finally:
        store.close()
        if output:
            fh.close()


@app.command()
@_handle_errors
def rejections(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List inputs that did not become articles, with the reason."""
    with _open(db) as store:
        rows = store.rejection_rows()
    if as_json:
        _print_json([views.rejection_view(r) for r in rows])
        return
    table = Table("code", "stage", "source", "detail", box=None, pad_edge=False)
    for r in rows:
        table.add_row(r["code"], r["stage"], escape(r["source"]), escape(r["detail"]))
    out.print(table)
    out.print(f"[dim]{len(rows)} rejection(s)[/dim]")


# ---------------------------------------------------------------------------- facts


@app.command()
@_handle_errors
def quotes(
    db: DbOption = None,
    as_json: JsonOption = False,
    story: Annotated[Optional[str], typer.Option("--story", help="Only quotes in this story (id or prefix).")] = None,
    speaker: Annotated[Optional[str], typer.Option(help="Only this speaker (entity id or part of the name).")] = None,
) -> None:
    """List quotes: who said what, when, in which article; `group` links the same remark across outlets."""
    from storydesk.pipeline import refresh_quote_groups

    with _open(db) as store, _progress(sys.stderr.isatty(), "grouping quotes") as report:
        story_id = store.resolve_id(story, "story") if story else None
        refresh_quote_groups(store, [story_id] if story_id else None, progress=report)
        rows = store.quote_rows(speaker=speaker, story_id=story_id)
    if as_json:
        _print_json([views.quote_row_view(r) for r in rows])
        return
    # Group ids are long (article id + offsets); a remark reported by several articles gets
    # a short label (g1, g2, ...) shared by its rows, a remark reported once gets "-".
    sizes = Counter(r["grp"] or r["id"] for r in rows)
    labels: dict[str, str] = {}
    for r in rows:
        g = r["grp"] or r["id"]
        if sizes[g] > 1 and g not in labels:
            labels[g] = f"g{len(labels) + 1}"
    table = Table("said on", "speaker", "outlet", "kind", "quote", "group", box=None, pad_edge=False)
    for r in rows:
        said = r["content"] or r["text"]
        text = said if len(said) <= 140 else said[:137] + "..."
        table.add_row(r["said_on"] or "-", escape(r["speaker"] or "(unknown)"), escape(r["outlet"] or "-"), r["kind"],
                      escape(text), labels.get(r["grp"] or r["id"], "-"))
    out.print(table)
    out.print(f"[dim]{len(rows)} quote(s)[/dim]")


_ENTITY_LABELS = get_args(EntityLabel)


@app.command()
@_handle_errors
def entities(
    db: DbOption = None,
    as_json: JsonOption = False,
    label: Annotated[Optional[str], typer.Option(help="PERSON, ORG, PLACE, GROUP or OTHER.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many.")] = None,
) -> None:
    """List canonical entities across the corpus, by how many articles mention them."""
    with _open(db) as store:
        if label and label.upper() not in _ENTITY_LABELS:
            raise UsageError(f"unknown --label {label!r}: use one of {', '.join(_ENTITY_LABELS)}")
        rows = store.entity_rows(limit=limit, label=label.upper() if label else None)
    if as_json:
        _print_json(rows)
        return
    table = Table("entity", "label", "articles", "mentions", "id", box=None, pad_edge=False)
    for r in rows:
        table.add_row(escape(r["canonical"]), r["label"], str(r["articles"]), str(r["mentions"]), escape(r["entity_id"]))
    out.print(table)


# ---------------------------------------------------------------------------- stories


@app.command()
@_handle_errors
def stories(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List stories: the articles about one event, across outlets and languages."""
    with _open(db) as store:
        rows = store.stories()
    if as_json:
        _print_json([views.story_summary(s) for s in rows])
        return
    table = Table("id", "articles", "span", "outlets", "title", box=None, pad_edge=False)
    for s in rows:
        span = views.span_text(s.first_published, s.last_published)
        table.add_row(s.id, str(len(s.article_ids)), span,
                      escape(", ".join(s.outlets[:4]) + (" ..." if len(s.outlets) > 4 else "")), escape(s.title or ""))
    out.print(table)
    out.print(f"[dim]{len(rows)} stor{'y' if len(rows) == 1 else 'ies'}[/dim]")


@app.command()
@_handle_errors
def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id (or a unique prefix).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one story: its articles by outlet and time, why each joined, and what the outlets say."""
    from storydesk.pipeline import refresh_quote_groups

    with _open(db) as store:
        full = store.resolve_id(story_id, "story")
        refresh_quote_groups(store, [full])
        data = views.story_detail(store, full)
    if as_json:
        _print_json(data)
        return
    _print_story(data)


@app.command()
@_handle_errors
def compare(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id (or a unique prefix).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many claims (most widely carried first).")] = 25,
) -> None:
    """Outlet-by-claim matrix: which outlets carry each claim, which contradict it, which leave it out."""
    with _open(db) as store:
        data = views.story_detail(store, store.resolve_id(story_id, "story"))
    matrix = views.claim_matrix(data, limit=limit)
    if as_json:
        _print_json(matrix)
        return
    out.print(f"[bold]{escape(data['title'] or '')}[/bold]  [dim](story {data['id']})[/dim]")
    table = Table("claim", *[escape(c["label"]) for c in matrix["columns"]], box=None, pad_edge=False, show_lines=False)
    marks = {"supports": "[green]✓ carries[/green]", "contradicts": "[red]✗ contradicts[/red]",
             "discusses": "[yellow]~ discusses[/yellow]", "omits": "[dim]— omits[/dim]"}
    for row in matrix["rows"]:
        claim = escape(row["claim"] if len(row["claim"]) <= 90 else row["claim"][:87] + "...")
        if row.get("contested"):
            claim = f"[bold]{claim}[/bold] [red](contested)[/red]"
        table.add_row(claim, *[marks.get(row["stances"].get(c["article_id"], "omits"), "?") for c in matrix["columns"]])
    out.print(table)
    legend = "; ".join(f"{c['label']} = {c['title'] or c['article_id']}" for c in matrix["columns"])
    out.print(f"[dim]{escape(legend)}[/dim]")
    _print_contradictions(data)
    _print_omissions(data)


_KIND_LABEL = {
    "denial": "[bold red]DENIAL[/bold red]",
    "conflict": "[bold magenta]CONFLICT[/bold magenta]",
    "superseded": "[bold cyan]UPDATED[/bold cyan]",
}


def _print_contradictions(data: dict[str, Any]) -> None:
    """Denials and conflicts, then superseded statements in a section of their own: an
    update is not a contradiction and must not read like one."""
    contras = data.get("contradictions") or []
    real = [c for c in contras if c["kind"] in ("denial", "conflict")]
    updates = [c for c in contras if c["kind"] == "superseded"]
    if real:
        out.print("\n[bold]Contradictions[/bold] (denials and conflicting facts)")
        for c in real:
            _print_contradiction(c)
    if updates:
        out.print("\n[bold]Updated later[/bold] [dim](a statement replaced by a later one: not a contradiction)[/dim]")
        for c in updates:
            _print_contradiction(c, first="earlier")


def _print_contradiction(c: dict[str, Any], *, first: str = "") -> None:
    vs = "denied by" if c["kind"] == "denial" else "later" if c["kind"] == "superseded" else "vs"
    out.print(f"  {_KIND_LABEL.get(c['kind'], escape(c['kind']))}  {escape(_who(c['a']))}{' (' + first + ')' if first else ''}: "
              f"“{escape(c['a']['text'])}”")
    out.print(f"      {vs} {escape(_who(c['b']))}: “{escape(c['b']['text'])}”")
    more_b, more_a = c.get("b_also") or [], c.get("a_also") or []
    if more_b:
        out.print(f"      [dim]+ {len(more_b)} more sentence(s) of this {'denial' if c['kind'] == 'denial' else 'statement'}: "
                  + escape("; ".join(f"“{_clip(x['text'], 70)}”" for x in more_b[:4])) + "[/dim]")
    if more_a:
        out.print(f"      [dim]+ {len(more_a)} more sentence(s) of the claim: "
                  + escape("; ".join(f"“{_clip(x['text'], 70)}”" for x in more_a[:3])) + "[/dim]")
    evidence = [e for e in c.get("evidence", []) if not e.startswith("also cited")]
    if evidence:
        out.print(f"      [dim]why: {escape('; '.join(evidence[:4]))}[/dim]")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _print_omissions(data: dict[str, Any]) -> None:
    """What each outlet leaves out, one line each, contested points first."""
    omissions = data.get("omissions") or []
    if not omissions:
        return
    out.print("\n[bold]Left out[/bold] [dim](what most outlets carry, or the other side of a contested claim)[/dim]")
    phrase = {"denial": "does not report", "conflict": "does not report", "claim": "leaves out",
              "quote": "does not quote"}
    order = {"denial": 0, "conflict": 1, "claim": 2, "quote": 3}
    for o in sorted(omissions, key=lambda o: (order.get(o.get("what", "claim"), 9), o.get("group") or "",
                                             o.get("outlet") or "")):
        who = o.get("outlet") or o["article_id"][:8]
        out.print(f"  {escape(who)} {phrase.get(o.get('what', 'claim'), 'does not report')}: {escape(o['missing'])}")


def _who(side: dict[str, Any]) -> str:
    outlet = side.get("outlet") or side["article_id"][:8]
    return f"{outlet} ({side['attributed_to']})" if side.get("attributed_to") else outlet


@app.command()
@_handle_errors
def check(
    claim: Annotated[str, typer.Argument(help="The claim to check, as a sentence.")],
    article_file: Annotated[Optional[Path], typer.Option("--article", help="Check one article file (not in the store).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Candidate articles to examine (found by full-text search).")] = 50,
) -> None:
    """Which articles support, contradict or discuss a claim, with the sentences that decided it."""
    from storydesk.compare import candidate_query, check_claim, stance_to_dict

    if not claim.strip():
        raise UsageError("the claim is empty: give it as a sentence, e.g. storydesk check \"Putin and Trump spoke on November 7\"")
    if article_file is not None:
        article, facts = _read_one_article(article_file)
        (result,) = check_claim(claim, [(article, facts)])
        data = stance_to_dict(result, with_article_id=False)
        if as_json:
            _print_json(data)
            return
        out.print(f"{result.stance} (score {result.score:.2f}) — {escape(article.title or article_file.name)}")
        for ev in data["evidence"]:
            out.print(f"  “{escape(ev['text'])}”")
        return
    with _open(db) as store:
        hits = store.search(candidate_query(claim), limit=limit)
        items = [(store.article(h.article_id), store.facts(h.article_id)) for h in hits]
        results = check_claim(claim, items) if items else []
        stories = dict(store.conn.execute("SELECT article_id, story_id FROM memberships").fetchall())
    order = {"contradicts": 0, "supports": 1, "discusses": 2, "unrelated": 3}
    ranked = sorted(zip(items, results), key=lambda x: (order[x[1].stance], -x[1].score))
    if as_json:
        _print_json([dict(stance_to_dict(r), outlet=a.outlet, title=a.title, story_id=stories.get(a.id))
                     for (a, _), r in ranked])
        return
    if not ranked:
        out.print("no article in the database mentions the claim's terms")
        return
    table = Table("stance", "score", "outlet", "published", "evidence", box=None, pad_edge=False)
    for (a, _), r in ranked:
        ev = r.evidence[0].text if r.evidence else ""
        table.add_row(r.stance, f"{r.score:.2f}", escape(a.outlet or "-"), a.published.isoformat() if a.published else "-",
                      escape(ev if len(ev) <= 120 else ev[:117] + "..."))
    out.print(table)


def _read_one_article(path: Path) -> tuple[Any, Any]:
    """Read, extract and analyse one file that is not in the store (for ``check --article``)."""
    from storydesk.backends.local import process_documents
    from storydesk.errors import NotFound
    from storydesk.records import Rejection
    from storydesk.sources import read_inputs

    if not path.exists():
        raise NotFound(f"no such file: {path}")
    docs = list(read_inputs([path], fetch_pages=False))
    if not docs:
        raise UsageError(f"{path} holds no article")
    if len(docs) > 1:
        raise UsageError(f"{path} holds {len(docs)} records; --article takes a file with one article")
    ((article, facts, _),) = process_documents(docs, analyze=True)
    if isinstance(article, Rejection):
        raise UsageError(f"{path} is not a usable article: {article.code}: {article.detail}")
    return article, facts


def _print_story(data: dict[str, Any]) -> None:
    out.print(f"[bold]{escape(data['title'] or '')}[/bold]")
    out.print(escape(f"story {data['id']}  ·  {len(data['article_ids'])} articles  ·  "
                     f"{views.span_text_iso(data['first_published'], data['last_published'])}  ·  "
                     f"outlets: {', '.join(data['outlet_names']) or '-'}  ·  languages: {', '.join(data['languages']) or '-'}"))
    if data["entities"]:
        out.print(f"[dim]key entities: {escape(', '.join(data['entities']))}[/dim]")
    table = Table("published", "outlet", "lang", "title", "joined", box=None, pad_edge=False, title="Articles")
    for a in data["articles"]:
        why = a["reason"] if a["reason"] in ("new-story",) else f"{a['reason']} ({a['score']:.2f})"
        if a.get("copy_of"):
            why += f"; copy of {a['copy_of']['article_id'][:8]} ({a['copy_of']['similarity']:.2f})"
        table.add_row(a["published"] or "undated", escape(a["outlet"] or "-"), a["language"] or "-",
                      escape(a["title"] or "(no title)"), escape(why))
    out.print(table)
    for section, key in (("Quote groups", "quote_groups"),):
        groups = [g for g in data.get(key, []) if len({m["article_id"] for m in g.get("members", [])}) > 1]
        if groups:
            out.print(f"\n[bold]{section}[/bold] (the same remark in several outlets)")
            for g in groups:
                out.print(f"  {escape(g.get('speaker') or '(unknown)')}, {g.get('said_on') or 'undated'}:")
                for m in g["members"]:
                    out.print(f"    {escape(m.get('outlet') or m['article_id'][:8])}: “{escape(m['text'])}”")
    _print_contradictions(data)
    _print_omissions(data)
    if data.get("timeline"):
        out.print("\n[bold]Timeline[/bold]")
        for t in data["timeline"]:
            out.print(f"  {t['date']}  {escape(t['text'])}  [dim]({len(t['article_ids'])} article(s))[/dim]")
    if data.get("summary"):
        out.print("\n[bold]Summary[/bold]")
        for s_ in data["summary"]:
            # An article whose outlet is unknown is cited by its short id.
            cited = [o or a[:8] for a, o in zip(s_["article_ids"], s_.get("outlets") or [None] * len(s_["article_ids"]))]
            out.print(f"  {escape(s_['text'])} [dim]\\[{escape(', '.join(dict.fromkeys(cited)))}][/dim]")


@app.command()
@_handle_errors
def recluster(db: DbOption = None, stories_mode: StoriesModeOption = None) -> None:
    """Rebuild all stories from scratch with the current settings (order-independent)."""
    from storydesk.pipeline import recluster as run_recluster

    with _open(db) as store:
        summary = run_recluster(store, mode=stories_mode)
        n = store.count("stories")
    out.print(f"reclustered {summary.stories_created + summary.stories_joined} article(s) into {n} stor{'y' if n == 1 else 'ies'} "
              f"in {summary.seconds:.1f} s ({summary.stories_mode} mode)")


@app.command()
@_handle_errors
def models() -> None:
    """Show which language models are installed and what they serve."""
    from storydesk import models as m

    table = Table("model", "serves", "status", box=None, pad_edge=False)
    for s in m.status():
        table.add_row(s.name, s.serves, s.detail if s.available else f"[red]missing[/red]: {s.detail}")
    out.print(table)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
