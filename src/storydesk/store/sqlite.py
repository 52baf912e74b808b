"""The embedded SQLite store: articles, sources, rejections, facts, stories; full-text search.

Writes happen in batches inside :meth:`SQLiteStore.transaction` (``BEGIN IMMEDIATE`` …
``COMMIT``): a run killed mid-batch leaves the database at the previous batch, and a re-run
completes the work. Articles are keyed by content hash, so re-ingesting changes nothing;
each source maps to exactly one current outcome (an article or a rejection), and an article
no source carries any more is removed. WAL mode lets the web UI read while an ingest
writes; a write that cannot get the lock in time is a :class:`StoreError`, not a crash.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
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

# How long a write waits for another process's write lock before giving up (seconds). A
# batch commits in well under a second on a laptop; a longer wait means another storydesk
# process is running a long command (ingest, recluster), and the user is told to retry.
BUSY_TIMEOUT_S = 30.0

# SQLite's primary result codes for "another connection holds the lock".
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


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

    def __init__(self, path: str | Path, *, busy_timeout: float | None = None):
        """Open the database file, creating and migrating it as needed.

        Args:
            path: the database file.
            busy_timeout: seconds a write waits for another process's write lock
                (default :data:`BUSY_TIMEOUT_S`).

        Raises:
            StoreError: the file is not a usable storydesk database, was written by a newer
                storydesk, or another process held the write lock longer than ``busy_timeout``.
        """
        self.path = Path(path)
        self.busy_timeout = BUSY_TIMEOUT_S if busy_timeout is None else busy_timeout
        self._check_file()
        try:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=self.busy_timeout,
                                        check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        try:
            self._set_wal()
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._check_app_id()
            migrate(self.conn)
        except StoreError as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if _is_busy(exc):
                raise self._busy_error() from exc
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

    def _set_wal(self) -> None:
        """Switch to WAL, waiting out other processes that are opening the same new file.

        Changing the journal mode needs the file to itself, and SQLite reports that busy at
        once, without its busy handler: several processes creating one database together
        (parallel ingests, a test suite) then failed at random. So it is retried until
        ``busy_timeout``; WAL is persistent, so whoever sets it first sets it for all.
        """
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _check_app_id(self) -> None:
        # One read transaction: between two autocommit reads another process could create
        # the tables, and a new storydesk database would look like another application's.
        self.conn.execute("BEGIN")
        try:
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            self.conn.execute("COMMIT")
        if tables and app_id != APP_ID:
            # The caller (open) prefixes the path to every opening error.
            raise StoreError("an SQLite database of another application; choose another --db path")

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _busy_error(self) -> StoreError:
        return StoreError(
            f"another storydesk process is writing to {self.path} (waited {self.busy_timeout:g} s for it to finish): "
            "retry when it finishes"
        )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic batch: everything inside commits together or not at all (nests).

        Raises:
            StoreError: another process held the write lock longer than the busy timeout
                (the batch is rolled back; nothing is written).
        """
        if self._depth == 0:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise self._busy_error() from exc
                raise
        self._depth += 1
        try:
            yield
        except BaseException as exc:
            self._depth -= 1
            if self._depth == 0:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                    raise self._busy_error() from exc
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        raise
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise self._busy_error() from exc

    # ------------------------------------------------------------------ writes

    def source_unchanged(self, source: str, raw_hash: str) -> bool:
        """True when this source was stored from exactly this input before (nothing to redo)."""
        row = self.conn.execute("SELECT raw_hash FROM article_sources WHERE source = ?", (source,)).fetchone()
        return row is not None and row[0] == raw_hash

    def save_articles(self, articles: Sequence[Article], *, raw_hashes: dict[str, str] | None = None) -> list[ArticleOutcome]:
        """Upsert articles by content hash and record every source.

        Each source has exactly one current outcome: a source whose content changed points at
        the new text, and an article no source points at any more is removed with everything
        derived from it (see :meth:`_drop_unsourced`), in the same transaction.

        Args:
            articles: the articles.
            raw_hashes: fingerprint of each source's input as read (lets a re-run skip it).

        Returns:
            Per article: ``added`` (new text), ``unchanged`` (this source was already stored
            with this text), or ``duplicate`` (known text from a new source).
        """
        outcomes: list[ArticleOutcome] = []
        left: list[str] = []  # articles a source moved away from
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
                if mapped and mapped["article_id"] != a.id:
                    left.append(mapped["article_id"])
                # The source now points at this text (a page edited in place gets its new version).
                self.conn.execute(
                    "INSERT INTO article_sources (source, article_id, first_seen, raw_hash) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(source) DO UPDATE SET article_id = excluded.article_id, raw_hash = excluded.raw_hash",
                    (a.source, a.id, now, (raw_hashes or {}).get(a.source)),
                )
                self.conn.execute("DELETE FROM rejections WHERE source = ?", (a.source,))
                outcomes.append(outcome)
            # After the whole batch: an old text another source of this batch still carries stays.
            self._drop_unsourced(left)
        return outcomes

    def save_rejections(self, rejections: Iterable[Rejection]) -> None:
        """Record rejections (one current reason per source).

        A source that was an article before and is rejected now stops pointing at it; the
        article is removed when no other source carries its text (see :meth:`_drop_unsourced`).
        """
        now = _now()
        left: list[str] = []
        with self.transaction():
            for r in rejections:
                mapped = self.conn.execute("SELECT article_id FROM article_sources WHERE source = ?", (r.source,)).fetchone()
                if mapped:
                    left.append(mapped["article_id"])
                    self.conn.execute("DELETE FROM article_sources WHERE source = ?", (r.source,))
                self.conn.execute(
                    "INSERT INTO rejections (source, stage, code, detail, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(source) DO UPDATE SET stage = excluded.stage, code = excluded.code,"
                    " detail = excluded.detail, last_seen = excluded.last_seen",
                    (r.source, r.stage, r.code, r.detail, now, now),
                )
            self._drop_unsourced(left)

    def _drop_unsourced(self, article_ids: Iterable[str]) -> None:
        """Remove those of these articles that no source points at any more (call inside a transaction).

        An article that keeps another source stays, and its ``source`` column is moved to its
        earliest remaining source. An article left without a source disappears from
        everything a user sees: its row and full-text entry, facts, quotes, entity mentions,
        story membership and copy relations, and its rows in the story index's member,
        signature and copy tables (so it is never matched as a near-duplicate again). A story
        left with no member is deleted with its index profile; a story that lost a member
        gets its size updated, its quote groups marked for recomputation, and is marked stale
        in the story index.

        A stale story's index profile still holds the removed article's share (term bags,
        vector sum, outlets, time span, title). Undoing it needs the story features of the
        remaining members, which only the stories stage computes: the pipeline rebuilds the
        profile (and the story's title, span, entities and outlets) before it next clusters
        (:func:`storydesk.pipeline.rebuild_stale_stories`). The document frequencies keep the
        removed article's count, a one-article bias in a corpus statistic.
        """
        index_state = self.story_state()
        for aid in dict.fromkeys(article_ids):
            remaining = self.conn.execute(
                "SELECT source FROM article_sources WHERE article_id = ? ORDER BY first_seen, source LIMIT 1", (aid,)
            ).fetchone()
            if remaining is not None:
                self.conn.execute(
                    "UPDATE articles SET source = ? WHERE id = ?"
                    " AND source NOT IN (SELECT source FROM article_sources WHERE article_id = ?)",
                    (remaining[0], aid, aid),
                )
                continue
            stories = [r[0] for r in self.conn.execute("SELECT story_id FROM memberships WHERE article_id = ?", (aid,))]
            # Copies of this article lose their link (their original is gone; no foreign key).
            self.conn.execute("DELETE FROM near_duplicates WHERE original_id = ?", (aid,))
            # Its facts, quotes, entity mentions, membership, copy link and sources go with it
            # (ON DELETE CASCADE, foreign keys are on), the FTS row too (trigger).
            self.conn.execute("DELETE FROM articles WHERE id = ?", (aid,))
            self.conn.execute("DELETE FROM story_ix_member WHERE article_id = ?", (aid,))
            self.conn.execute("DELETE FROM story_ix_signature WHERE article_id = ?", (aid,))
            # Band rows are keyed (band, day, article_id) and left in place: without its
            # signature a candidate found through them is never compared (nor matched).
            self.conn.execute("DELETE FROM story_ix_copy WHERE article_id = ? OR original_id = ?", (aid, aid))
            for sid in stories:
                n = self.conn.execute("SELECT count(*) FROM memberships WHERE story_id = ?", (sid,)).fetchone()[0]
                if n == 0:
                    self.conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
                    index_state.delete_profile(sid)
                    index_state.clear_stale(sid)
                else:
                    self.conn.execute("UPDATE stories SET size = ?, quotes_grouped = 0 WHERE id = ?", (n, sid))
                    index_state.mark_stale(sid)
            log.info("removed article %s: none of its sources carries its text any more", aid)

    def save_facts(self, facts: Iterable[ArticleFacts]) -> None:
        """Store the analyze stage's output, replacing earlier facts of the same articles.

        The articles' quotes are rewritten (each in a group of its own), so the stories they
        belong to are marked for quote grouping again (``ungrouped_story_ids``).
        """
        now = _now()
        with self.transaction():
            for f in facts:
                self.conn.execute(
                    "UPDATE stories SET quotes_grouped = 0 WHERE quotes_grouped != 0"
                    " AND id IN (SELECT story_id FROM memberships WHERE article_id = ?)",
                    (f.article_id,),
                )
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

    def story_view(self, story_id: str, key: str) -> dict[str, Any] | None:
        """The stored view of a story if it was built under ``key`` (else None: rebuild it)."""
        row = self.conn.execute("SELECT data FROM story_views WHERE story_id = ? AND key = ?", (story_id, key)).fetchone()
        return json.loads(row[0]) if row else None

    def save_story_view(self, story_id: str, key: str, data: dict[str, Any]) -> None:
        """Keep a story's built view (replacing the previous one; views of stories gone are dropped)."""
        with self.transaction():
            # Merged, removed or reclustered-away stories leave views no key will match again.
            self.conn.execute("DELETE FROM story_views WHERE story_id NOT IN (SELECT id FROM stories)")
            self.conn.execute(
                "INSERT INTO story_views (story_id, key, data, built_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(story_id) DO UPDATE SET key = excluded.key, data = excluded.data,"
                " built_at = excluded.built_at", (story_id, key, json.dumps(data, ensure_ascii=False), _now()))

    def facts_stamps(self, article_ids: Sequence[str]) -> dict[str, str]:
        """When each article's facts were (last) stored: a change means new facts."""
        return dict(self._rows_in("SELECT article_id, analysed_at FROM facts WHERE article_id IN ({marks})",
                                  article_ids))

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

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Replace the records of existing stories (a rebuilt profile's title, span, entities, outlets)."""
        now = _now()
        with self.transaction():
            for s in stories:
                self._upsert_story(s, now)

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
        q = f"SELECT {column} FROM {table} WHERE {column} IN ({{marks}})"  # noqa: S608 - fixed names
        return {r[0] for r in self._rows_in(q, list(ids))}

    def _rows_in(self, sql: str, ids: Sequence[str]) -> Iterator[sqlite3.Row]:
        """The rows of ``sql`` for ``ids``, its ``{marks}`` filled with one placeholder per id.

        SQLite limits bound parameters per statement (999 in older builds): query in chunks.
        """
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

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

        A query that is not valid FTS5 syntax (a stray quote, a bracket, ``d'ale*``) is not an
        error: it is searched again with every term quoted (:func:`fts_safe_query`), keeping
        its ``OR``/``AND``/``NOT`` operators and prefix ``*`` marks.

        Args:
            query: an FTS5 query or plain words.
            limit: the most hits returned.

        Returns:
            The hits, best first ([] when the query has no searchable term).
        """
        sql = (
            "SELECT a.id, a.title, a.outlet, a.published, snippet(articles_fts, 1, '[', ']', '…', 12) AS snip,"
            " bm25(articles_fts, 5.0, 1.0) AS rank"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        if not query.strip():
            return []
        try:
            rows = self.conn.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise
            rows = []
            for safe in dict.fromkeys((fts_safe_query(query), fts_safe_query(query, brackets=False))):
                log.debug("not valid FTS5 syntax (%s): searching %r instead", exc, safe)
                if not safe:
                    return []
                try:
                    rows = self.conn.execute(sql, (safe, limit)).fetchall()
                    break
                except sqlite3.OperationalError as again:
                    if _is_busy(again):
                        raise
                    exc = again
            else:
                log.warning("cannot search %r: %s", query, exc)
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


_FTS_OPERATORS = frozenset({"OR", "AND", "NOT"})
_FTS_TOKEN = re.compile(r'"(?:[^"]|"")*(?:"|$)\*?|[()]|[^\s"()]+')
_FTS_NEAR = re.compile(r"\bNEAR\s*\(([^()]*?)(?:,\s*\d+\s*)?\)")
_FTS_COLUMN = re.compile(r"^(?:title|text):(?=.)")


def fts_safe_query(query: str, *, brackets: bool = True) -> str:
    """Rewrite a query FTS5 cannot parse into one it can, keeping its meaning where it had one.

    Every term becomes a quoted phrase (a trailing ``*`` stays a prefix mark: ``d'ale*`` →
    ``"d'ale"*``). The operators ``OR``, ``AND`` and ``NOT`` stay operators, never required
    words; one that cannot apply (at either end, after another operator or a bracket) is
    dropped. Brackets are kept balanced (or dropped with ``brackets=False``); ``NEAR`` groups
    become their words.

    Returns:
        The query, or ``""`` when no searchable term is left.
    """
    parts: list[str] = []  # terms, operators and brackets in FTS5 order
    depth = 0

    def after_term() -> bool:
        return bool(parts) and parts[-1] not in _FTS_OPERATORS and parts[-1] != "("

    for tok in _FTS_TOKEN.findall(_FTS_NEAR.sub(r" \1 ", query)):
        if tok in _FTS_OPERATORS:
            if after_term():
                parts.append(tok)
        elif tok == "(":
            if brackets:
                if after_term():
                    parts.append("AND")  # FTS5 joins a group to its neighbours only explicitly
                parts.append(tok)
                depth += 1
        elif tok == ")":
            if not brackets or depth == 0:
                continue
            while parts and parts[-1] in _FTS_OPERATORS:
                parts.pop()
            depth -= 1
            if parts and parts[-1] == "(":
                parts.pop()  # an empty group
            else:
                parts.append(tok)
        else:
            prefix = tok.endswith("*")
            word = tok.rstrip("*")
            if word.startswith('"'):
                word = word[1:-1] if len(word) > 1 and word.endswith('"') else word[1:]
                word = word.replace('""', '"')
            else:
                word = _FTS_COLUMN.sub("", word)
            if any(ch.isalnum() for ch in word):
                if parts and parts[-1] == ")":
                    parts.append("AND")
                parts.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    while parts and (parts[-1] in _FTS_OPERATORS or parts[-1] == "("):
        if parts.pop() == "(":
            depth -= 1
    # Close groups left open (an opening bracket whose group is empty was popped above).
    return " ".join(parts + [")"] * depth)


def _is_busy(exc: sqlite3.Error) -> bool:
    """True for "another connection holds the lock" (SQLITE_BUSY / SQLITE_LOCKED), not for other errors."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_BUSY, _SQLITE_LOCKED)
    msg = str(exc).lower()
    return "database is locked" in msg or "database table is locked" in msg


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
