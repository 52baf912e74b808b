"""SQLite persistence of the story index (``storydesk.stories.StoryState`` over a connection).

The store opens the connection, calls :func:`create_tables` from its migrations, and wraps
each ingest batch in one transaction; this class only executes statements on the
connection it is given and **never commits, rolls back or begins** a transaction, so a
crash mid-batch leaves nothing half-written.

Every method used while adding an article is an indexed lookup or write (primary keys and
the ``(key, day)`` / ``(band, day)`` orders of the ``WITHOUT ROWID`` tables), so adding an
article costs about the same at a thousand stories as at a million.

The tables hold index state only (profiles, postings, LSH bands, document frequencies);
the ``Story``, ``Membership`` and ``NearDuplicate`` records returned by the index are
persisted by the store in its own tables.
"""

from __future__ import annotations

import base64
import json
import math
import sqlite3
from typing import Iterable, Sequence

import numpy as np

from storydesk.stories.profile import StoryProfile
from storydesk.stories.state import UNDATED

_DDL = (
    """CREATE TABLE IF NOT EXISTS story_ix_meta (
        key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS story_ix_df (
        key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS story_ix_profile (
        story_id TEXT PRIMARY KEY, data TEXT NOT NULL, vec BLOB)""",
    """CREATE TABLE IF NOT EXISTS story_ix_posting (
        key TEXT NOT NULL, day INTEGER NOT NULL, story_id TEXT NOT NULL,
        PRIMARY KEY (key, day, story_id)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS story_ix_alias (
        story_id TEXT PRIMARY KEY, survivor TEXT NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS story_ix_member (
        article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS story_ix_member_story ON story_ix_member (story_id)",
    """CREATE TABLE IF NOT EXISTS story_ix_signature (
        article_id TEXT PRIMARY KEY, sig BLOB NOT NULL, time_s REAL) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS story_ix_band (
        band INTEGER NOT NULL, day INTEGER NOT NULL, article_id TEXT NOT NULL,
        PRIMARY KEY (band, day, article_id)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS story_ix_copy (
        article_id TEXT PRIMARY KEY, original_id TEXT NOT NULL, similarity REAL NOT NULL) WITHOUT ROWID""",
    # Stories that lost a member (its source went away): their profiles are rebuilt from
    # the remaining members before the next article is clustered.
    """CREATE TABLE IF NOT EXISTS story_ix_stale (story_id TEXT PRIMARY KEY) WITHOUT ROWID""",
)

# SQLite's default limit on bound parameters is 32766 since 3.32 (999 before): stay below
# the old limit so any build works.
_CHUNK = 900


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the story-index tables if they do not exist (idempotent; no commit).

    Args:
        conn: an open connection (the store's).
    """
    for stmt in _DDL:
        conn.execute(stmt)


def _chunks(items: Sequence, size: int = _CHUNK):
    for lo in range(0, len(items), size):
        yield items[lo:lo + size]


def _encode_profile(p: StoryProfile) -> tuple[str, bytes | None]:
    data = {
        "seed": [None if math.isinf(p.seed_key[0]) else p.seed_key[0], p.seed_key[1]],
        "n": p.n, "first": p.first_day, "last": p.last_day, "vec_n": p.vec_n, "vec_model": p.vec_model,
        "terms": p.terms, "names": p.names, "display": p.display, "outlets": p.outlets,
        "languages": p.languages, "title": p.title, "title_score": p.title_score,
        "title_lang": p.title_language, "days": list(p.days), "probe": p.probe_text, "e5_n": p.e5_n,
        # The second-opinion vector is rare (only stories met in an ambiguous comparison)
        # and small (384 floats): base64 in the JSON rather than a column of its own.
        "e5": None if p.e5_sum is None else base64.b64encode(np.asarray(p.e5_sum, dtype=np.float32).tobytes()).decode(),
    }
    vec = None if p.vec_sum is None else np.asarray(p.vec_sum, dtype=np.float32).tobytes()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), vec


def _decode_profile(story_id: str, raw: str, vec: bytes | None) -> StoryProfile:
    d = json.loads(raw)
    seed_t = d["seed"][0]
    return StoryProfile(
        id=story_id,
        seed_key=(float("inf") if seed_t is None else float(seed_t), d["seed"][1]),
        n=d["n"], first_day=d["first"], last_day=d["last"],
        vec_sum=None if vec is None else np.frombuffer(vec, dtype=np.float32).copy(),
        vec_n=d["vec_n"], vec_model=d["vec_model"], terms=d["terms"], names=d["names"],
        display=d["display"], outlets=d["outlets"], languages=d["languages"], title=d["title"],
        title_score=d["title_score"], title_language=d["title_lang"], days=tuple(d.get("days", ())),
        probe_text=d.get("probe", ""), e5_n=d.get("e5_n", 0),
        e5_sum=None if not d.get("e5") else np.frombuffer(base64.b64decode(d["e5"]), dtype=np.float32).copy(),
    )


class SQLiteStoryState:
    """A ``StoryState`` in SQLite tables on the store's connection (never commits).

    Args:
        conn: an open connection; :func:`create_tables` must have run on its database.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def clear(self) -> None:
        """Forget the whole index, settings fingerprint included (for ``recluster``; no commit)."""
        for table in ("story_ix_meta", "story_ix_df", "story_ix_profile", "story_ix_posting",
                      "story_ix_alias", "story_ix_member", "story_ix_signature", "story_ix_band",
                      "story_ix_copy", "story_ix_stale"):
            self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    # -------------------------------------------------------------- meta, counts, df

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM story_ix_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO story_ix_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def article_count(self) -> int:
        return int(self.get_meta("n_articles") or 0)

    def story_count(self) -> int:
        """Live stories (a full count: for reports and benchmarks, not used while adding)."""
        return int(self.conn.execute("SELECT COUNT(*) FROM story_ix_profile").fetchone()[0])

    def doc_freq(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, int] = {}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(f"SELECT key, n FROM story_ix_df WHERE key IN ({marks})", chunk))
        return out

    def add_doc_freq(self, keys: Iterable[str]) -> None:
        self.conn.executemany(
            "INSERT INTO story_ix_df (key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
            [(k,) for k in set(keys)])
        self.conn.execute(
            "INSERT INTO story_ix_meta (key, value) VALUES ('n_articles', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    # -------------------------------------------------------------- profiles

    def get_profiles(self, story_ids: Sequence[str]) -> dict[str, StoryProfile]:
        ids = list(dict.fromkeys(story_ids))
        out: dict[str, StoryProfile] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for sid, raw, vec in self.conn.execute(
                    f"SELECT story_id, data, vec FROM story_ix_profile WHERE story_id IN ({marks})", chunk):
                out[sid] = _decode_profile(sid, raw, vec)
        return out

    def put_profile(self, profile: StoryProfile) -> None:
        raw, vec = _encode_profile(profile)
        self.conn.execute(
            "INSERT INTO story_ix_profile (story_id, data, vec) VALUES (?, ?, ?) "
            "ON CONFLICT(story_id) DO UPDATE SET data = excluded.data, vec = excluded.vec",
            (profile.id, raw, vec))

    def delete_profile(self, story_id: str) -> None:
        self.conn.execute("DELETE FROM story_ix_profile WHERE story_id = ?", (story_id,))

    # -------------------------------------------------------------- postings and aliases

    def add_postings(self, story_id: str, keys: Iterable[str], day: int) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO story_ix_posting (key, day, story_id) VALUES (?, ?, ?)",
            [(k, day, story_id) for k in dict.fromkeys(keys)])

    def lookup(self, key: str, day_lo: int | None, day_hi: int | None, limit: int) -> list[str]:
        if day_lo is None or day_hi is None:
            rows = self.conn.execute(
                "SELECT story_id FROM story_ix_posting WHERE key = ? ORDER BY day DESC LIMIT ?", (key, limit))
            return [r[0] for r in rows]
        rows = self.conn.execute(
            "SELECT story_id FROM story_ix_posting WHERE key = ? AND day BETWEEN ? AND ? "
            "ORDER BY day DESC LIMIT ?", (key, day_lo, day_hi, limit)).fetchall()
        rows += self.conn.execute(
            "SELECT story_id FROM story_ix_posting WHERE key = ? AND day = ? LIMIT ?",
            (key, UNDATED, limit // 4)).fetchall()
        return [r[0] for r in rows]

    def set_alias(self, absorbed: str, survivor: str) -> None:
        self.conn.execute(
            "INSERT INTO story_ix_alias (story_id, survivor) VALUES (?, ?) "
            "ON CONFLICT(story_id) DO UPDATE SET survivor = excluded.survivor", (absorbed, survivor))

    def resolve(self, story_ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(story_ids))
        out = {sid: sid for sid in ids}
        pending = ids
        for _ in range(64):  # alias chains are short: one link per merge of a merged story
            if not pending:
                break
            found: dict[str, str] = {}
            for chunk in _chunks(pending):
                marks = ",".join("?" * len(chunk))
                found.update(self.conn.execute(
                    f"SELECT story_id, survivor FROM story_ix_alias WHERE story_id IN ({marks})", chunk))
            if not found:
                break
            for sid, live in out.items():
                if live in found:
                    out[sid] = found[live]
            pending = list(found.values())
        return out

    # -------------------------------------------------------------- members

    def add_member(self, story_id: str, article_id: str) -> None:
        self.conn.execute(
            "INSERT INTO story_ix_member (article_id, story_id) VALUES (?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id", (article_id, story_id))

    def move_members(self, src: str, dst: str) -> None:
        self.conn.execute("UPDATE story_ix_member SET story_id = ? WHERE story_id = ?", (dst, src))

    def members(self, story_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT article_id FROM story_ix_member WHERE story_id = ? ORDER BY rowid", (story_id,))
        return [r[0] for r in rows]

    def story_of(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT story_id FROM story_ix_member WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else row[0]

    # -------------------------------------------------------------- near-duplicates

    def add_signature(self, article_id: str, day: int, time_key: tuple[float, str],
                      signature: np.ndarray, band_keys: Sequence[int]) -> None:
        t = None if math.isinf(time_key[0]) else time_key[0]
        self.conn.execute(
            "INSERT OR REPLACE INTO story_ix_signature (article_id, sig, time_s) VALUES (?, ?, ?)",
            (article_id, np.asarray(signature, dtype=np.uint32).tobytes(), t))
        self.conn.executemany(
            "INSERT OR IGNORE INTO story_ix_band (band, day, article_id) VALUES (?, ?, ?)",
            [(b, day, article_id) for b in band_keys])

    def band_candidates(self, band_keys: Sequence[int], day_lo: int | None, day_hi: int | None,
                        limit: int) -> list[str]:
        found: dict[str, int] = {}
        for band in band_keys:
            if day_lo is None or day_hi is None:
                rows = self.conn.execute(
                    "SELECT article_id, day FROM story_ix_band WHERE band = ? ORDER BY day DESC LIMIT ?",
                    (band, limit)).fetchall()
            else:
                rows = self.conn.execute(
                    "SELECT article_id, day FROM story_ix_band WHERE band = ? AND day BETWEEN ? AND ? "
                    "ORDER BY day DESC LIMIT ?", (band, day_lo, day_hi, limit)).fetchall()
                rows += self.conn.execute(
                    "SELECT article_id, day FROM story_ix_band WHERE band = ? AND day = ? LIMIT ?",
                    (band, UNDATED, limit // 4)).fetchall()
            for aid, day in rows:
                found[aid] = max(found.get(aid, day), day)
        return sorted(found, key=lambda a: (-found[a], a))[:limit]

    def signatures(self, article_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, tuple[float, str]]]:
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, tuple[np.ndarray, tuple[float, str]]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for aid, sig, t in self.conn.execute(
                    f"SELECT article_id, sig, time_s FROM story_ix_signature WHERE article_id IN ({marks})",
                    chunk):
                key = (float("inf") if t is None else t, aid)
                out[aid] = (np.frombuffer(sig, dtype=np.uint32).copy(), key)
        return out

    def get_original(self, article_id: str) -> tuple[str, float] | None:
        row = self.conn.execute(
            "SELECT original_id, similarity FROM story_ix_copy WHERE article_id = ?",
            (article_id,)).fetchone()
        return None if row is None else (row[0], row[1])

    def set_original(self, article_id: str, original_id: str, similarity: float) -> None:
        self.conn.execute(
            "INSERT INTO story_ix_copy (article_id, original_id, similarity) VALUES (?, ?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET original_id = excluded.original_id, "
            "similarity = excluded.similarity", (article_id, original_id, similarity))

    # -------------------------------------------------------------- stale profiles

    def mark_stale(self, story_id: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO story_ix_stale (story_id) VALUES (?)", (story_id,))

    def stale_stories(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT story_id FROM story_ix_stale ORDER BY story_id")]

    def clear_stale(self, story_id: str) -> None:
        self.conn.execute("DELETE FROM story_ix_stale WHERE story_id = ?", (story_id,))
