"""The SQLite schema and its migrations.

Migrations are append-only: a released migration is never edited; a change is a new entry.
``PRAGMA user_version`` records how many have been applied. Each migration runs in its own
transaction, so a database is always at a well-defined version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from storydesk.errors import StoreError

APP_ID = 0x53544459  # "STDY": PRAGMA application_id, tells a storydesk database from other SQLite files

_V1_ARTICLES = """
CREATE TABLE articles (
    id            TEXT PRIMARY KEY,          -- content hash of the clean text
    source        TEXT NOT NULL,             -- where it was first read from
    url           TEXT,
    outlet        TEXT,
    outlet_domain TEXT,
    title         TEXT,
    published     TEXT,                      -- YYYY-MM-DD
    published_at  TEXT,                      -- ISO 8601 with offset, when known
    language      TEXT,
    text          TEXT NOT NULL,
    paragraphs    TEXT NOT NULL,             -- JSON [[start, end, language], ...]
    authors       TEXT NOT NULL DEFAULT '[]',
    provenance    TEXT NOT NULL DEFAULT '{}',
    ingested_at   TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);

-- Every source an article was read from: the first, and later duplicates (same text elsewhere).
CREATE TABLE article_sources (
    source      TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    first_seen  TEXT NOT NULL,
    raw_hash    TEXT                       -- fingerprint of the input as read: unchanged inputs are skipped
);
CREATE INDEX article_sources_article ON article_sources(article_id);

-- The current rejection of each source that did not become an article.
CREATE TABLE rejections (
    source      TEXT PRIMARY KEY,
    stage       TEXT NOT NULL,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX rejections_code ON rejections(code);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
"""

_V2_FACTS = """
-- The analyze stage's output per article, as JSON (records.ArticleFacts), plus query tables.
CREATE TABLE facts (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    language    TEXT,
    analysed    INTEGER NOT NULL,
    note        TEXT,
    data        TEXT NOT NULL,
    analysed_at TEXT NOT NULL
);
CREATE TABLE quotes (
    id          TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker     TEXT,
    speaker_id  TEXT,
    kind        TEXT NOT NULL,
    said_on     TEXT,
    text        TEXT NOT NULL,             -- article.text[start:end] (spans every part of a split quote)
    content     TEXT NOT NULL DEFAULT '',  -- the quoted words only (parts joined with " … ")
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    grp         TEXT                       -- quote group id (set by the compare stage)
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_id);
CREATE TABLE entity_mentions (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,
    canonical   TEXT NOT NULL,
    label       TEXT NOT NULL,
    mentions    INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
"""

_V3_STORIES = """
CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    first_published TEXT,
    last_published  TEXT,
    entities        TEXT NOT NULL DEFAULT '[]',
    outlets         TEXT NOT NULL DEFAULT '[]',
    languages       TEXT NOT NULL DEFAULT '[]',
    size            INTEGER NOT NULL,
    updated_at      TEXT NOT NULL,
    quotes_grouped  INTEGER NOT NULL DEFAULT 0  -- 0 when membership changed since quotes were last grouped
);
CREATE INDEX stories_last ON stories(last_published);
CREATE INDEX stories_ungrouped ON stories(quotes_grouped) WHERE quotes_grouped = 0;
CREATE TABLE memberships (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL,
    score       REAL NOT NULL,
    reason      TEXT NOT NULL,
    scores      TEXT NOT NULL DEFAULT '{}',
    joined_at   TEXT NOT NULL
);
CREATE INDEX memberships_story ON memberships(story_id);
CREATE TABLE near_duplicates (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    original_id TEXT NOT NULL,
    similarity  REAL NOT NULL
);
CREATE INDEX near_duplicates_original ON near_duplicates(original_id);
"""


def _story_index_tables(conn: sqlite3.Connection) -> None:
    from storydesk.store.story_state import create_tables

    create_tables(conn)


# A story's comparison (quote groups, claims, contradictions, timeline, summary) costs
# seconds to tens of seconds for a large story (parsing and embedding every statement):
# the last one built is kept, under a key of everything it was built from (members, their
# facts, the code), so reading a story again is instant and any change rebuilds it.
_V5_STORY_VIEWS = """
CREATE TABLE IF NOT EXISTS story_views (
    story_id  TEXT PRIMARY KEY,
    key       TEXT NOT NULL,
    data      TEXT NOT NULL,
    built_at  TEXT NOT NULL
);
"""

Migration = str | Callable[[sqlite3.Connection], None]

# Version 6 adds the story index's stale-story table: create_tables is idempotent and
# creates only the tables that are missing.
MIGRATIONS: list[Migration] = [_V1_ARTICLES, _V2_FACTS, _V3_STORIES, _story_index_tables, _V5_STORY_VIEWS,
                               _story_index_tables]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring a database to the current schema version.

    Safe when several processes open the same (new) database at once: each migration is
    applied under the write lock (``BEGIN IMMEDIATE``) after re-reading ``user_version``, so
    a process that waited for the lock skips the steps another one has just applied. A
    database already at the current version is not locked at all (readers never wait).

    Args:
        conn: an open connection (autocommit mode; this function manages transactions).

    Returns:
        The schema version after migrating.

    Raises:
        StoreError: the database was written by a newer storydesk (downgrade not supported).
        sqlite3.OperationalError: the write lock could not be taken (another process is writing).
    """
    version = _version(conn)
    _refuse_newer(version)
    while version < len(MIGRATIONS):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the lock: another process may have migrated while we waited.
            version = _version(conn)
            _refuse_newer(version)
            if version < len(MIGRATIONS):
                number = version + 1
                step = MIGRATIONS[number - 1]
                if callable(step):
                    step(conn)
                else:
                    for statement in _statements(step):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
                if number == 1:
                    conn.execute(f"PRAGMA application_id = {APP_ID}")
                version = number
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _refuse_newer(version: int) -> None:
    if version > len(MIGRATIONS):
        raise StoreError(
            f"the database was written by a newer storydesk (schema version {version}; this storydesk reads up to "
            f"version {len(MIGRATIONS)}): upgrade storydesk (pip install --upgrade storydesk) to open it"
        )


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (triggers contain ';' inside BEGIN ... END)."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out
