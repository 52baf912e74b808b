"""The store under stress: concurrent opens, locks held by other processes, newer databases,
re-analysis, edited and withdrawn sources, search queries FTS5 cannot parse."""

from __future__ import annotations

import json
import multiprocessing as mp
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from storydesk.cli import app
from storydesk.compare import candidate_query
from storydesk.errors import StoreError
from storydesk.extract import content_id
from storydesk.pipeline import IngestOptions, analyze_missing, ingest, refresh_quote_groups
from storydesk.records import Article, ArticleFacts, Paragraph, Quote, Rejection
from storydesk.store import SQLiteStore, open_store
from storydesk.store import sqlite as store_sqlite
from storydesk.store.schema import MIGRATIONS
from storydesk.store.sqlite import fts_safe_query

runner = CliRunner()
NO_ANALYSIS = IngestOptions(analyze=False, cluster=False)
CLUSTERED = IngestOptions(analyze=False)


def _article(text: str, source: str, **kw) -> Article:
    base = dict(id=content_id(text), source=source, text=text, title="A title", published=date(2024, 11, 7),
                outlet="RT", language="en", paragraphs=(Paragraph(0, len(text), "en"),))
    base.update(kw)
    return Article(**base)


# --------------------------------------------------------------------------- opening


def _open_when_told(path: str, go, out) -> None:
    go.wait(10)
    try:
        SQLiteStore(path).close()
        out.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        out.put(f"{type(exc).__name__}: {exc}")


def test_concurrent_first_opens_of_a_new_database_all_succeed(tmp_path):
    ctx = mp.get_context("fork")
    for trial in range(4):
        path = str(tmp_path / f"new{trial}.db")
        go, out = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_open_when_told, args=(path, go, out)) for _ in range(4)]
        for p in procs:
            p.start()
        go.set()
        for p in procs:
            p.join(60)
        results = [out.get(timeout=10) for _ in procs]
        assert results == ["ok"] * 4, results
        with open_store(path) as s:
            assert s.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_database_from_a_newer_storydesk_is_a_store_error_saying_upgrade(tmp_path):
    path = tmp_path / "newer.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match=r"newer storydesk.*upgrade storydesk"):
        open_store(path)
    result = runner.invoke(app, ["articles", "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == StoreError.exit_code
    assert "upgrade storydesk" in result.output and "bug" not in result.output


# --------------------------------------------------------------------------- locks


@pytest.fixture()
def locked_db(tmp_path):
    """A database whose write lock another connection holds (like another storydesk process)."""
    path = tmp_path / "locked.db"
    with open_store(path) as s:
        s.save_articles([_article("Text stored before the lock was taken.", "/data/before.txt")])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield path
    other.execute("ROLLBACK")
    other.close()


def test_write_lock_held_elsewhere_is_a_store_error_saying_retry(locked_db):
    # Opening and reading do not wait for the writer (WAL).
    with SQLiteStore(locked_db, busy_timeout=0.2) as s:
        assert s.count("articles") == 1
        with pytest.raises(StoreError, match="another storydesk process is writing.*retry when it finishes"):
            s.save_articles([_article("A new text that has to wait for the lock.", "/data/new.txt")])
        with pytest.raises(StoreError, match="another storydesk process is writing"):
            s.save_rejections([Rejection("/data/x.txt", "read", "empty", "empty")])
        assert not s.conn.in_transaction
        assert s.count("articles") == 1


def test_cli_ingest_reports_a_busy_database_as_a_store_error(locked_db, tmp_path, samples_dir, monkeypatch):
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT_S", 0.2)
    one = tmp_path / "in"
    one.mkdir()
    shutil.copy(samples_dir / "004_d7db726c88ae4a2e.txt", one)
    result = runner.invoke(app, ["ingest", str(one), "--db", str(locked_db), "--no-analyze", "--no-cluster"],
                           catch_exceptions=False)
    assert result.exit_code == StoreError.exit_code, result.output
    assert "another storydesk process is writing" in result.output
    assert "This is a bug" not in result.output


def test_migrating_an_old_database_waits_for_the_lock_and_reports_busy(tmp_path):
    path = tmp_path / "old.db"
    open_store(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")  # as if the last migration were still to run
    conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="another storydesk process is writing"):
            SQLiteStore(path, busy_timeout=0.2)
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    with open_store(path) as s:  # the lock is free: the missing migration runs (it is idempotent)
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


# --------------------------------------------------------------------------- facts and quote groups


def test_saving_facts_again_marks_the_story_for_quote_grouping(store):
    text = 'Peskov said: "We are ready for contacts." Officials agreed.'
    a = _article(text, "/data/a.txt")
    store.save_articles([a])
    store.conn.execute(
        "INSERT INTO stories (id, title, size, updated_at, quotes_grouped) VALUES ('story-x', 't', 1, 'now', 0)")
    store.conn.execute(
        "INSERT INTO memberships (article_id, story_id, score, reason, joined_at) VALUES (?, 'story-x', 1, 'new-story', 'now')",
        (a.id,))
    store.set_quote_groups("story-x", {})
    assert store.ungrouped_story_ids() == []
    start = text.index('"')
    q = Quote(id=f"{a.id}:q:{start}", article_id=a.id, speaker="Peskov", speaker_id="peskov", kind="direct",
              said_on=None, text=text[start:text.index(".", start) + 2], content="We are ready for contacts.",
              start=start, end=text.index(".", start) + 2)
    store.save_facts([ArticleFacts(article_id=a.id, language="en", analysed=True, quotes=(q,))])
    assert store.ungrouped_story_ids() == ["story-x"]


def test_analyze_after_ingest_without_analysis_regroups_quotes(tmp_path, samples_dir):
    with open_store(tmp_path / "na.db") as s:
        ingest([samples_dir], s, options=IngestOptions(analyze=False))
        refresh_quote_groups(s)  # `storydesk quotes` before analysing: nothing to group yet
        analyze_missing(s)
        refresh_quote_groups(s)  # what `analyze` does after analysing
        rows = s.quote_rows()
    with open_store(tmp_path / "full.db") as s:
        ingest([samples_dir], s)
        refresh_quote_groups(s)  # what `ingest` does after ingesting
        full = s.quote_rows()
    assert rows and len({r["grp"] for r in rows}) == len({r["grp"] for r in full}) < len(rows)


# --------------------------------------------------------------------------- one outcome per source


def _cli_json(*args):
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _visible_ids(db: Path) -> set[str]:
    """Every article id a user can see through the CLI."""
    seen = {a["id"] for a in _cli_json("articles", "--json", "--db", db)}
    for s in _cli_json("stories", "--json", "--db", db):
        seen.update(s["article_ids"])
        story = _cli_json("story", s["id"], "--json", "--db", db)
        seen.update(story["article_ids"])
        seen.update(q["article_id"] for q in story["quotes"])
    seen.update(q["article_id"] for q in _cli_json("quotes", "--json", "--db", db))
    export = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db)], catch_exceptions=False)
    seen.update(json.loads(line)["id"] for line in export.stdout.splitlines() if line.strip())
    return seen


@pytest.fixture(scope="module")
def edited(tmp_path_factory, samples_dir):
    """Three samples ingested; one edited in place and re-ingested; then emptied and re-ingested."""
    root = tmp_path_factory.mktemp("edit")
    folder = root / "in"
    folder.mkdir()
    for name in ("000_32ea7ebbc58a510a.txt", "001_84fcedbea0a08b0f.txt", "003_e3eea6efc90623fd.txt"):
        shutil.copy(samples_dir / name, folder)
    target = folder / "001_84fcedbea0a08b0f.txt"
    source = target.resolve().as_posix()
    db = root / "e.db"
    states = {}
    with open_store(db) as s:
        ingest([folder], s)
    states["first"] = (_visible_ids(db), _cli_json("articles", "--json", "--db", db))
    original = target.read_text()
    edited_text = re.sub(r"\bthe\b", "a", original, count=1)
    assert edited_text != original
    target.write_text(edited_text)
    with open_store(db) as s:
        summary = ingest([folder], s)
        assert (summary.added, summary.unchanged) == (1, 2)
        again = ingest([folder], s)
        assert (again.added, again.duplicates, again.unchanged) == (0, 0, 3)
    states["edited"] = (_visible_ids(db), _cli_json("articles", "--json", "--db", db))
    target.write_text("")
    with open_store(db) as s:
        ingest([folder], s)
    states["emptied"] = (_visible_ids(db), _cli_json("articles", "--json", "--db", db))
    return db, source, states


def _id_of(articles, source):
    return [a["id"] for a in articles if a["source"] == source]


def test_edited_source_is_one_article_and_the_old_version_is_gone(edited):
    db, source, states = edited
    (old,) = _id_of(states["first"][1], source)
    visible, articles = states["edited"]
    (new,) = _id_of(articles, source)
    assert new != old and len(articles) == 3
    assert old not in visible and new in visible
    with open_store(db) as s:
        for table in ("facts", "quotes", "entity_mentions", "memberships", "near_duplicates", "article_sources"):
            assert s.conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", (old,)).fetchone()[0] == 0, table
        assert s.conn.execute("SELECT count(*) FROM near_duplicates WHERE original_id = ?", (old,)).fetchone()[0] == 0
        for table in ("story_ix_member", "story_ix_signature", "story_ix_copy"):
            assert s.conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", (old,)).fetchone()[0] == 0
        fts_ids = {r[0] for r in s.conn.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH 'Peskov'")}
        assert old not in fts_ids
        # The FTS index matches the table exactly (no row of the removed text left behind).
        s.conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        assert s.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == s.count("articles")
        assert s.entity_rows() and all(r["articles"] <= 3 for r in s.entity_rows())
        for story in s.stories():
            assert set(story.article_ids) <= {a["id"] for a in articles}
            size = s.conn.execute("SELECT size FROM stories WHERE id = ?", (story.id,)).fetchone()[0]
            assert size == len(story.article_ids)


def test_emptied_source_is_only_a_rejection(edited):
    db, source, states = edited
    (was,) = _id_of(states["edited"][1], source)
    visible, articles = states["emptied"]
    assert _id_of(articles, source) == [] and len(articles) == 2
    assert was not in visible
    with open_store(db) as s:
        assert [r["source"] for r in s.rejection_rows()] == [source]
        assert s.conn.execute("SELECT count(*) FROM article_sources WHERE source = ?", (source,)).fetchone()[0] == 0
        assert s.count("articles") == s.count("article_sources") == 2
        assert all(story.article_ids for story in s.stories())


def _story_view(db: Path):
    """The single story's record and its index profile (the figures a rebuild must restore)."""
    with open_store(db) as s:
        (story,) = s.stories()
        profile = s.story_state().get_profiles([story.id])[story.id]
        stale = s.story_state().stale_stories()
    record = (story.title, story.first_published, story.last_published, story.outlets, story.entities,
              sorted(story.article_ids))
    return story, record, profile, stale


def test_story_that_loses_an_article_is_rebuilt_from_the_rest(tmp_path, samples_dir):
    # The five samples form one story; gazzeta.in.ua's (the latest, 2024-12-06) is then emptied.
    folder = tmp_path / "in"
    shutil.copytree(samples_dir, folder)
    gone = folder / "003_e3eea6efc90623fd.txt"
    db = tmp_path / "s.db"
    with open_store(db) as s:
        ingest([folder], s, options=CLUSTERED)
    before, _, profile, _ = _story_view(db)
    assert len(before.article_ids) == 5 and "gazzeta.in.ua" in before.outlets
    assert before.last_published == date(2024, 12, 6) and profile.n == 5
    gone.write_text("")
    with open_store(db) as s:
        summary = ingest([folder], s, options=CLUSTERED)
    assert (summary.added, summary.unchanged, len(summary.rejected)) == (0, 4, 1)
    after, record, profile, stale = _story_view(db)
    assert after.id == before.id and len(after.article_ids) == 4 and stale == []
    assert "gazzeta.in.ua" not in after.outlets and after.last_published < date(2024, 12, 6)
    assert profile.n == profile.vec_n == 4 and "gazzeta.in.ua" not in profile.outlets
    # The same as a database that never saw the removed article.
    gone.unlink()
    fresh_db = tmp_path / "fresh.db"
    with open_store(fresh_db) as s:
        ingest([folder], s, options=CLUSTERED)
    _, fresh_record, fresh_profile, _ = _story_view(fresh_db)
    assert record == fresh_record
    # The bags are capped by idf, and the document frequencies still count the removed
    # article: the long tail may differ, what both keep must agree, the heaviest entries too.
    for bag, fresh_bag in ((profile.terms, fresh_profile.terms), (profile.names, fresh_profile.names)):
        assert all(bag[k] == fresh_bag[k] for k in set(bag) & set(fresh_bag))
        heaviest = sorted(fresh_bag, key=lambda k: (-fresh_bag[k], k))[:10]
        assert set(heaviest) <= set(bag)
    assert profile.days == fresh_profile.days
    assert np.allclose(profile.vec_sum, fresh_profile.vec_sum, atol=1e-5)


def test_stale_marks_wait_for_clustering_and_survive_until_done(tmp_path, samples_dir):
    folder = tmp_path / "in"
    shutil.copytree(samples_dir, folder)
    db = tmp_path / "s.db"
    with open_store(db) as s:
        ingest([folder], s, options=CLUSTERED)
    (folder / "003_e3eea6efc90623fd.txt").write_text("")
    with open_store(db) as s:
        ingest([folder], s, options=NO_ANALYSIS)
    story, _, profile, stale = _story_view(db)
    # Without clustering the removal is recorded and the profile waits (still five articles' share).
    assert stale == [story.id] and profile.n == 5 and len(story.article_ids) == 4
    (folder / "003_e3eea6efc90623fd.txt").unlink()
    with open_store(db) as s:
        summary = ingest([folder], s, options=CLUSTERED)
    # Nothing was read (every source unchanged): the stale story is rebuilt all the same.
    assert (summary.unchanged, summary.added, summary.rejected) == (4, 0, [])
    story, _, profile, stale = _story_view(db)
    assert stale == [] and profile.n == 4 and "gazzeta.in.ua" not in story.outlets


def test_same_text_from_two_sources_stays_one_article_when_one_source_changes(store):
    text = "Kremlin spokesman Dmitry Peskov said on Friday that Russia remains ready for contacts with Trump."
    first, mirror = _article(text, "/data/a.txt"), _article(text, "/mirror/a.txt")
    assert store.save_articles([first, mirror]) == ["added", "duplicate"]
    assert store.count("articles") == 1 and store.sources_of(first.id) == ["/data/a.txt", "/mirror/a.txt"]
    # The first source is edited: the text stays (the mirror still carries it), named by the mirror.
    changed = _article(text + " Updated.", "/data/a.txt")
    assert store.save_articles([changed]) == ["added"]
    assert store.count("articles") == 2
    assert store.sources_of(first.id) == ["/mirror/a.txt"] and store.article(first.id).source == "/mirror/a.txt"
    assert store.sources_of(changed.id) == ["/data/a.txt"]
    # The mirror is withdrawn: its text has no source left and goes.
    store.save_rejections([Rejection("/mirror/a.txt", "read", "not-found", "no such file or folder")])
    assert store.known_ids([first.id, changed.id]) == {changed.id}
    assert store.search("Friday") and {h.article_id for h in store.search("Friday")} == {changed.id}


def test_old_text_carried_by_another_source_of_the_same_batch_stays(store):
    old, new = "The first version of the page text.", "The second version of the page text."
    store.save_articles([_article(old, "/data/page.txt")])
    # One batch: the page changes, and a new file carries the page's old text.
    outcomes = store.save_articles([_article(new, "/data/page.txt"), _article(old, "/data/saved-copy.txt")])
    assert outcomes == ["added", "duplicate"]
    assert store.known_ids([content_id(old), content_id(new)]) == {content_id(old), content_id(new)}
    assert store.article(content_id(old)).source == "/data/saved-copy.txt"


def test_story_left_without_members_is_removed(store):
    a = _article("Only article of its story.", "/data/only.txt")
    store.save_articles([a])
    store.conn.execute("INSERT INTO stories (id, title, size, updated_at, quotes_grouped) VALUES ('story-o', 't', 1, 'now', 1)")
    store.conn.execute(
        "INSERT INTO memberships (article_id, story_id, score, reason, joined_at) VALUES (?, 'story-o', 1, 'new-story', 'now')",
        (a.id,))
    store.save_rejections([Rejection("/data/only.txt", "read", "empty", "empty")])
    assert store.stories() == [] and store.count("articles") == 0


# --------------------------------------------------------------------------- search


def test_check_query_with_an_apostrophe_prefix_finds_articles(store, samples_dir):
    ingest([samples_dir], store, options=NO_ANALYSIS)
    plain = candidate_query("Putin and Trump discussed Ukraine's negotiations")
    tricky = candidate_query("Putin and Trump discussed d'Alembert negotiations")
    assert "d'ale*" not in tricky
    assert len(store.search(tricky, limit=50)) == len(store.search(plain, limit=50)) == 5


def test_invalid_fts_query_falls_back_keeping_or(store, samples_dir):
    ingest([samples_dir], store, options=NO_ANALYSIS)
    valdai = {h.article_id for h in store.search("Valdai")}
    assert valdai
    # Invalid syntax (unquoted apostrophe prefix, stray bracket): still an OR of the terms.
    assert {h.article_id for h in store.search("Valdai OR zzqxw'yy* (")} == valdai
    assert store.search("NOT OR AND (") == []
    assert store.search('unbalanced "quote') is not None


@pytest.mark.parametrize("query, expected", [
    ("d'ale*", '"d\'ale"*'),
    ('"putin" OR d\'ale* OR "x"', '"putin" OR "d\'ale"* OR "x"'),
    ('unbalanced "quote', '"unbalanced" "quote"'),
    ("OR a OR", '"a"'),
    ("NOT a b", '"a" "b"'),
    ("a AND AND b", '"a" AND "b"'),
    ("(a OR b) c)", '( "a" OR "b" ) AND "c"'),
    ("a (b OR c", '"a" AND ( "b" OR "c" )'),
    ("x NOT (y", '"x" NOT ( "y" )'),
    ("((a", '( ( "a" ) )'),
    ("a ( OR", '"a"'),
    ("NEAR(a b, 5) c", '"a" "b" "c"'),
    ('"" * -', ""),
])
def test_fts_safe_query(query, expected):
    assert fts_safe_query(query) == expected
    if expected:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (expected,)).fetchall()  # valid FTS5
