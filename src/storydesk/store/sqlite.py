"""The embedded SQLite store: articles, sources, rejections, facts, stories; full-text search.

Writes happen in batches inside :meth:`SQLiteStore.transaction` (``BEGIN IMMEDIATE`` …
``COMMIT``): a run killed mid-batch leaves the database at the previous batch, and a re-run
completes the work. Articles are keyed by content hash, so re-ingesting changes nothing.
WAL mode lets the web UI read while an ingest writes.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from storydesk.errors import AmbiguousId, NotFound, StoreError
from storydesk.records import Article, ArticleFacts, Membership, NearDuplicate, Paragraph, Rejection, Story
from storydesk.store import codec
from storydesk.store.schema import APP_ID, migrate

log = logging.getLogger(__name__)

ArticleOutcome = str  # "added" | "unchanged" | "duplicate"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text search result."""

    article_id: str
    title: str | None
    outlet: str | None
    published: date | None
    snippet: str
    rank: float


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d is not None else None


class SQLiteStore:
    """A storydesk database in one SQLite file.

    Lifecycle: open with ``SQLiteStore(path)`` (creates and migrates the file as needed),
    use, then :meth:`close` (or use it as a context manager).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._check_file()
        try:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._check_app_id()
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path} is not a usable storydesk database: {exc}") from exc

    # ------------------------------------------------------------------ lifecycle

    def _check_file(self) -> None:
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; --db needs a file path")
        if self.path.exists() and self.path.stat().st_size > 0:
            with self.path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"{self.path} is not an SQLite database; choose another --db path")
        elif not self.path.parent.exists():
            raise StoreError(f"the folder {self.path.parent} does not exist; create it or choose another --db path")

    def _check_app_id(self) -> None:
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables and app_id != APP_ID:
            raise StoreError(f"{self.path} is an SQLite database of another application; choose another --db path")

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic batch: everything inside commits together or not at all (nests)."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")

    # ------------------------------------------------------------------ writes

    def source_unchanged(self, source: str, raw_hash: str) -> bool:
        """True when this source was stored from exactly this input before (nothing to redo)."""
        row = self.conn.execute("SELECT raw_hash FROM article_sources WHERE source = ?", (source,)).fetchone()
        return row is not None and row[0] == raw_hash

    def save_articles(self, articles: Sequence[Article], *, raw_hashes: dict[str, str] | None = None) -> list[ArticleOutcome]:
        """Upsert articles by content hash and record every source.

        Args:
            articles: the articles.
            raw_hashes: fingerprint of each source's input as read (lets a re-run skip it).

        Returns:
            Per article: ``added`` (new text), ``unchanged`` (this source was already stored
            with this text), or ``duplicate`` (known text from a new source).
        """
        outcomes: list[ArticleOutcome] = []
        now = _now()
        with self.transaction():
            for a in articles:
                known = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (a.id,)).fetchone()
                mapped = self.conn.execute("SELECT article_id FROM article_sources WHERE source = ?", (a.source,)).fetchone()
                if not known:
                    self.conn.execute(
                        "INSERT INTO articles (id, source, url, outlet, outlet_domain, title, published, published_at,"
                        " language, text, paragraphs, authors, provenance, ingested_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (a.id, a.source, a.url, a.outlet, a.outlet_domain, a.title, _iso(a.published), _iso(a.published_at),
                         a.language, a.text, json.dumps([[p.start, p.end, p.language] for p in a.paragraphs]),
                         json.dumps(list(a.authors), ensure_ascii=False), json.dumps(a.provenance, ensure_ascii=False), now),
                    )
                    outcome = "added"
                elif mapped and mapped["article_id"] == a.id:
                    outcome = "unchanged"
                else:
                    outcome = "duplicate"
                # The source now points at this text (a page edited in place gets its new version).
                self.conn.execute(
                    "INSERT INTO article_sources (source, article_id, first_seen, raw_hash) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(source) DO UPDATE SET article_id = excluded.article_id, raw_hash = excluded.raw_hash",
                    (a.source, a.id, now, (raw_hashes or {}).get(a.source)),
                )
                self.conn.execute("DELETE FROM rejections WHERE source = ?", (a.source,))
                outcomes.append(outcome)
        return outcomes

    def save_rejections(self, rejections: Iterable[Rejection]) -> None:
        """Record rejections (one current reason per source)."""
        now = _now()
        with self.transaction():
            for r in rejections:
                self.conn.execute(
                    "INSERT INTO rejections (source, stage, code, detail, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(source) DO UPDATE SET stage = excluded.stage, code = excluded.code,"
                    " detail = excluded.detail, last_seen = excluded.last_seen",
                    (r.source, r.stage, r.code, r.detail, now, now),
                )

    def save_facts(self, facts: Iterable[ArticleFacts]) -> None:
        """Store the analyze stage's output, replacing earlier facts of the same articles."""
        now = _now()
        with self.transaction():
            for f in facts:
                data = json.dumps(codec.encode(f), ensure_ascii=False)
                self.conn.execute(
                    "INSERT INTO facts (article_id, language, analysed, note, data, analysed_at) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET language = excluded.language, analysed = excluded.analysed,"
                    " note = excluded.note, data = excluded.data, analysed_at = excluded.analysed_at",
                    (f.article_id, f.language, int(f.analysed), f.note, data, now),
                )
                self.conn.execute("DELETE FROM quotes WHERE article_id = ?", (f.article_id,))
                self.conn.executemany(
                    "INSERT INTO quotes (id, article_id, speaker, speaker_id, kind, said_on, text, content, start, end, grp)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(q.id, q.article_id, q.speaker, q.speaker_id, q.kind, _iso(q.said_on), q.text, q.content, q.start,
                      q.end, q.id) for q in f.quotes],
                )
                self.conn.execute("DELETE FROM entity_mentions WHERE article_id = ?", (f.article_id,))
                counts: dict[str, list[Any]] = {}
                for e in f.entities:
                    row = counts.setdefault(e.entity_id, [e.canonical, e.label, 0])
                    row[2] += 1
                self.conn.executemany(
                    "INSERT INTO entity_mentions (article_id, entity_id, canonical, label, mentions) VALUES (?, ?, ?, ?, ?)",
                    [(f.article_id, eid, c, label, n) for eid, (c, label, n) in counts.items()],
                )

    def set_quote_groups(self, story_id: str, groups: dict[str, str]) -> None:
        """Record the quote group of each quote of a story (from the compare stage); marks it grouped."""
        with self.transaction():
            self.conn.executemany("UPDATE quotes SET grp = ? WHERE id = ?", [(g, q) for q, g in groups.items()])
            self.conn.execute("UPDATE stories SET quotes_grouped = 1 WHERE id = ?", (story_id,))

    def ungrouped_story_ids(self) -> list[str]:
        """Stories whose membership changed since their quotes were last grouped."""
        return [r[0] for r in self.conn.execute("SELECT id FROM stories WHERE quotes_grouped = 0 ORDER BY id")]

    def save_story_updates(self, updates: Iterable[Any]) -> None:
        """Persist the stories stage's output: stories, memberships, copy relations, merges."""
        now = _now()
        with self.transaction():
            for u in updates:
                for absorbed, survivor in u.merged:
                    self.conn.execute("UPDATE memberships SET story_id = ? WHERE story_id = ?", (survivor, absorbed))
                    self.conn.execute("DELETE FROM stories WHERE id = ?", (absorbed,))
                for s in u.stories:
                    self._upsert_story(s, now)
                m: Membership = u.membership
                self.conn.execute(
                    "INSERT INTO memberships (article_id, story_id, score, reason, scores, joined_at) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score,"
                    " reason = excluded.reason, scores = excluded.scores",
                    (m.article_id, m.story_id, m.score, m.reason, json.dumps(m.scores), now),
                )
                d: NearDuplicate | None = u.duplicate
                if d is not None:
                    self.conn.execute(
                        "INSERT INTO near_duplicates (article_id, original_id, similarity) VALUES (?, ?, ?)"
                        " ON CONFLICT(article_id) DO UPDATE SET original_id = excluded.original_id, similarity = excluded.similarity",
                        (d.article_id, d.original_id, d.similarity),
                    )

    def _upsert_story(self, s: Story, now: str) -> None:
        self.conn.execute(
            "INSERT INTO stories (id, title, first_published, last_published, entities, outlets, languages, size, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
            " first_published = excluded.first_published, last_published = excluded.last_published,"
            " entities = excluded.entities, outlets = excluded.outlets, languages = excluded.languages,"
            " size = excluded.size, updated_at = excluded.updated_at, quotes_grouped = 0",
            (s.id, s.title, _iso(s.first_published), _iso(s.last_published), json.dumps(list(s.entities), ensure_ascii=False),
             json.dumps(list(s.outlets), ensure_ascii=False), json.dumps(list(s.languages)), len(s.article_ids), now),
        )

    def clear_stories(self) -> None:
        """Forget all stories, memberships, copy relations and the story index (for ``recluster``)."""
        with self.transaction():
            for table in ("memberships", "near_duplicates", "stories"):
                self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            state = self.story_state()
            state.clear()

    def story_state(self) -> Any:
        """The stories stage's index state, persisted in this database (same transactions)."""
        from storydesk.store.story_state import SQLiteStoryState

        return SQLiteStoryState(self.conn)

    # ------------------------------------------------------------------ reads

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored."""
        return self._present("articles", "id", ids)

    def analysed_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these articles already have facts."""
        return self._present("facts", "article_id", ids)

    def clustered_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these articles already belong to a story."""
        return self._present("memberships", "article_id", ids)

    def _present(self, table: str, column: str, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        # SQLite limits bound parameters per statement (999 in older builds): query in chunks.
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT {column} FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})"  # noqa: S608 - fixed names
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def resolve_id(self, prefix: str, kind: str = "article") -> str:
        """Expand a unique id prefix (like git) to the full id.

        Raises:
            NotFound: nothing matches. AmbiguousId: several match.
        """
        table = {"article": "articles", "story": "stories"}[kind]
        prefix = prefix.strip()
        if not prefix:
            raise NotFound(f"empty {kind} id")
        rows = self.conn.execute(
            f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",  # noqa: S608
            (prefix, prefix + "\uffff"),
        ).fetchall()
        if not rows:
            raise NotFound(f"no {kind} with id {prefix!r}; list them with `storydesk {table}`")
        exact = [r[0] for r in rows if r[0] == prefix]
        if exact:
            return exact[0]
        if len(rows) > 1:
            shown = ", ".join(r[0] for r in rows[:5])
            raise AmbiguousId(f"{kind} id {prefix!r} is ambiguous: {shown}; give more characters")
        return rows[0][0]

    def article(self, article_id: str) -> Article:
        """The article with this id (or unique id prefix).

        Raises:
            NotFound: no such article.
        """
        full = self.resolve_id(article_id, "article")
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (full,)).fetchone()
        return _article_from_row(row)

    def iter_articles(self, *, order: str = "published") -> Iterator[Article]:
        """All articles, by publication date (undated last) then id, or by ingest order."""
        if order == "ingested":
            sql = "SELECT * FROM articles ORDER BY rowid"
        else:
            sql = "SELECT * FROM articles ORDER BY published IS NULL, published, id"
        for row in self.conn.execute(sql):
            yield _article_from_row(row)

    def article_rows(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None,
                     language: str | None = None) -> list[dict[str, Any]]:
        """Article metadata (no text) for listings, newest first."""
        where, params = [], []
        if outlet:
            where.append("outlet = ?")
            params.append(outlet)
        if language:
            where.append("language = ?")
            params.append(language)
        sql = "SELECT id, source, url, outlet, title, published, language, length(text) AS chars FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published IS NULL, published DESC, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [dict(r) for r in self.conn.execute(sql, params)]

    def count(self, table: str) -> int:
        """Number of rows in one of the store's tables."""
        allowed = {"articles", "article_sources", "rejections", "facts", "quotes", "stories", "memberships",
                   "near_duplicates", "entity_mentions"}
        if table not in allowed:
            raise ValueError(f"unknown table {table!r}")
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608

    def sources_of(self, article_id: str) -> list[str]:
        """Every source this article's text was read from, first one first."""
        rows = self.conn.execute(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY first_seen, source", (article_id,)
        )
        return [r[0] for r in rows]

    def facts(self, article_id: str) -> ArticleFacts | None:
        """The stored facts of an article, or None when it has not been analysed."""
        row = self.conn.execute("SELECT data FROM facts WHERE article_id = ?", (article_id,)).fetchone()
        return codec.decode(ArticleFacts, json.loads(row[0])) if row else None

    def iter_facts(self) -> Iterator[ArticleFacts]:
        """All stored facts."""
        for row in self.conn.execute("SELECT data FROM facts ORDER BY article_id"):
            yield codec.decode(ArticleFacts, json.loads(row[0]))

    def quote_rows(self, *, speaker: str | None = None, story_id: str | None = None) -> list[dict[str, Any]]:
        """Quotes for listings, with their article's outlet and publication date."""
        sql = ("SELECT q.*, a.outlet, a.published FROM quotes q JOIN articles a ON a.id = q.article_id")
        where, params = [], []
        if speaker:
            where.append("(q.speaker_id = ? OR q.speaker LIKE ?)")
            params += [speaker, f"%{speaker}%"]
        if story_id:
            where.append("q.article_id IN (SELECT article_id FROM memberships WHERE story_id = ?)")
            params.append(story_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published, q.article_id, q.start"
        return [dict(r) for r in self.conn.execute(sql, params)]

    def entity_rows(self, *, limit: int | None = None, label: str | None = None) -> list[dict[str, Any]]:
        """Canonical entities across the corpus with how many articles and mentions carry them."""
        sql = ("SELECT entity_id, canonical, label, count(*) AS articles, sum(mentions) AS mentions"
               " FROM entity_mentions")
        params: list[Any] = []
        if label:
            sql += " WHERE label = ?"
            params.append(label)
        sql += " GROUP BY entity_id ORDER BY articles DESC, mentions DESC, canonical"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [dict(r) for r in self.conn.execute(sql, params)]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and texts (FTS5 syntax; plain words are AND-ed).

        Raises:
            UsageError-like StoreError when the query is not valid FTS5 syntax.
        """
        sql = (
            "SELECT a.id, a.title, a.outlet, a.published, snippet(articles_fts, 1, '[', ']', '…', 12) AS snip,"
            " bm25(articles_fts, 5.0, 1.0) AS rank"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not valid FTS5 syntax (a stray quote or operator): search the words as a phrase list.
            words = [w for w in query.replace('"', " ").split() if w]
            if not words:
                return []
            safe = " ".join(f'"{w}"' for w in words)
            rows = self.conn.execute(sql, (safe, limit)).fetchall()
        return [
            SearchHit(r["id"], r["title"], r["outlet"], date.fromisoformat(r["published"]) if r["published"] else None,
                      r["snip"], r["rank"])
            for r in rows
        ]

    def rejection_rows(self) -> list[dict[str, Any]]:
        """All current rejections."""
        return [dict(r) for r in self.conn.execute("SELECT * FROM rejections ORDER BY last_seen DESC, source")]

    # stories ---------------------------------------------------------------

    def stories(self) -> list[Story]:
        """All stories, most recent first, with their article ids."""
        members: dict[str, list[tuple[str | None, str]]] = {}
        for r in self.conn.execute(
            "SELECT m.story_id, m.article_id, a.published FROM memberships m JOIN articles a ON a.id = m.article_id"
        ):
            members.setdefault(r["story_id"], []).append((r["published"], r["article_id"]))
        out = []
        for r in self.conn.execute("SELECT * FROM stories ORDER BY last_published IS NULL, last_published DESC, size DESC, id"):
            ids = tuple(a for _, a in sorted(members.get(r["id"], []), key=lambda x: (x[0] is None, x[0] or "", x[1])))
            out.append(_story_from_row(r, ids))
        return out

    def story(self, story_id: str) -> Story:
        """One story (id or unique prefix).

        Raises:
            NotFound: no such story.
        """
        full = self.resolve_id(story_id, "story")
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (full,)).fetchone()
        ids = tuple(
            r[0] for r in self.conn.execute(
                "SELECT m.article_id FROM memberships m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ?"
                " ORDER BY a.published IS NULL, a.published, a.id", (full,)
            )
        )
        return _story_from_row(row, ids)

    def memberships(self, story_id: str) -> list[Membership]:
        """Why each article is in a story."""
        rows = self.conn.execute("SELECT * FROM memberships WHERE story_id = ? ORDER BY joined_at, article_id", (story_id,))
        return [Membership(r["article_id"], r["story_id"], r["score"], r["reason"], json.loads(r["scores"])) for r in rows]

    def near_duplicates(self, article_ids: Iterable[str] | None = None) -> list[NearDuplicate]:
        """Copy relations (all, or those touching the given articles)."""
        rows = self.conn.execute("SELECT * FROM near_duplicates ORDER BY article_id").fetchall()
        wanted = set(article_ids) if article_ids is not None else None
        return [
            NearDuplicate(r["article_id"], r["original_id"], r["similarity"]) for r in rows
            if wanted is None or r["article_id"] in wanted or r["original_id"] in wanted
        ]


def _article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
        outlet=row["outlet"],
        outlet_domain=row["outlet_domain"],
        url=row["url"],
        language=row["language"],
        paragraphs=tuple(Paragraph(s, e, lang) for s, e, lang in json.loads(row["paragraphs"])),
        authors=tuple(json.loads(row["authors"])),
        provenance=json.loads(row["provenance"]),
    )


def _story_from_row(row: sqlite3.Row, ids: tuple[str, ...]) -> Story:
    return Story(
        id=row["id"],
        title=row["title"],
        article_ids=ids,
        first_published=date.fromisoformat(row["first_published"]) if row["first_published"] else None,
        last_published=date.fromisoformat(row["last_published"]) if row["last_published"] else None,
        entities=tuple(json.loads(row["entities"])),
        outlets=tuple(json.loads(row["outlets"])),
        languages=tuple(json.loads(row["languages"])),
    )
