"""The SQLite store: round trips lose nothing, re-ingest changes nothing, crashes corrupt nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storydesk.errors import AmbiguousId, NotFound, StoreError
from storydesk.extract import content_id
from storydesk.pipeline import IngestOptions, ingest
from storydesk.records import (
    Article, ArticleFacts, DateMention, Entity, Paragraph, Quote, Rejection, Sentence,
)
from storydesk.store import open_store

FOUNDATION = IngestOptions(analyze=False, cluster=False)


def _article(text: str, **kw) -> Article:
    paragraphs = []
    offset = 0
    for p in text.split("\n\n"):
        paragraphs.append(Paragraph(offset, offset + len(p), "en"))
        offset += len(p) + 2
    base = dict(id=content_id(text), source=f"/data/{content_id(text)}.txt", text=text, title="A title",
                published=date(2024, 11, 7), outlet="RT", url="https://www.rt.com/news/1", language="en",
                paragraphs=tuple(paragraphs), provenance={"title": "first line"})
    base.update(kw)
    return Article(**base)


_texts = st.text(min_size=1, max_size=300).filter(lambda t: t.strip())


@given(
    text=_texts,
    title=st.none() | st.text(max_size=80),
    published=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    offset_minutes=st.none() | st.integers(min_value=-12 * 60, max_value=14 * 60),
    authors=st.lists(st.text(max_size=20), max_size=3),
    provenance=st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=30), max_size=3),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_round_trip_loses_nothing(tmp_path_factory, text, title, published, offset_minutes, authors, provenance):
    published_at = None
    if offset_minutes is not None and published is not None:
        published_at = datetime(published.year, published.month, published.day, 10, 31,
                                tzinfo=timezone(timedelta(minutes=offset_minutes)))
    a = _article(text, title=title, published=published, published_at=published_at, authors=tuple(authors),
                 provenance=provenance, paragraphs=(Paragraph(0, len(text), None),))
    with open_store(tmp_path_factory.mktemp("rt") / "db.sqlite") as s:
        assert s.save_articles([a]) == ["added"]
        assert s.article(a.id) == a


def test_facts_round_trip(store):
    a = _article("Peskov said on Thursday that a call was possible.\n\nThat is all.")
    facts = ArticleFacts(
        article_id=a.id, language="en",
        sentences=(Sentence(a.id, 0, 49, "en"),),
        entities=(Entity(a.id, 0, 6, "Peskov", "PERSON", "Dmitry Peskov", "person:dmitry-peskov", "surname"),),
        dates=(DateMention(a.id, 15, 26, "on Thursday", date(2024, 11, 7), "day", "date", True, "past"),),
        quotes=(Quote(f"{a.id}:q:29-49", a.id, 29, 49, a.text[29:49], "Dmitry Peskov", "person:dmitry-peskov", 0, 6,
                      "said", 7, 11, "indirect", date(2024, 11, 7), "explicit", ((29, 49),), "en"),),
        note=None,
    )
    with store.transaction():
        store.save_articles([a])
        store.save_facts([facts])
    assert store.facts(a.id) == facts
    rows = store.quote_rows()
    assert rows[0]["speaker"] == "Dmitry Peskov" and rows[0]["said_on"] == "2024-11-07"
    assert store.entity_rows()[0]["canonical"] == "Dmitry Peskov"


def test_reingest_changes_nothing(store, samples_dir):
    first = ingest([samples_dir], store, options=FOUNDATION)
    assert first.added == 5 and not first.rejected
    before = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    second = ingest([samples_dir], store, options=FOUNDATION)
    assert (second.added, second.duplicates, second.unchanged) == (0, 0, 5)
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    assert store.conn.execute("SELECT count(*) FROM article_sources").fetchone()[0] == 5


def test_same_text_from_two_sources_is_a_duplicate_with_both_sources(store, samples_dir, tmp_path):
    copy = tmp_path / "mirror" / "copy-of-004.txt"
    copy.parent.mkdir()
    original = samples_dir / "004_d7db726c88ae4a2e.txt"
    copy.write_bytes(original.read_bytes())
    summary = ingest([original, copy], store, options=FOUNDATION)
    assert (summary.added, summary.duplicates) == (1, 1)
    (aid,) = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
    assert summary.duplicate_of == [(copy.resolve().as_posix(), aid)]
    assert store.sources_of(aid) == sorted([original.resolve().as_posix(), copy.resolve().as_posix()])


def test_rejections_are_recorded_once_and_cleared_when_fixed(store, tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_bytes(b"")
    for _ in range(2):
        summary = ingest([bad], store, options=FOUNDATION)
        assert [r.code for r in summary.rejected] == ["empty"]
    assert len(store.rejection_rows()) == 1
    bad.write_text("Kremlin spokesman Dmitry Peskov said on Friday that Russia remains ready for contacts with Trump. " * 3)
    summary = ingest([bad], store, options=FOUNDATION)
    assert summary.added == 1 and store.rejection_rows() == []


def test_transaction_rolls_back_on_error(store):
    a = _article("One text that will not be stored because the batch fails.")
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.save_articles([a])
            store.save_rejections([Rejection("x", "read", "empty", "empty")])
            raise RuntimeError("crash in the middle of a batch")
    assert store.count("articles") == 0 and store.count("rejections") == 0
    assert store.count("article_sources") == 0


def test_full_text_search(store, samples_dir):
    ingest([samples_dir], store, options=FOUNDATION)
    hits = store.search("Valdai")
    assert len(hits) == 1 and hits[0].outlet == "Sputnik" and "[Valdai]" in hits[0].snippet
    assert {h.outlet for h in store.search("Peskov")} >= {"Sputnik", "RT", "The Moscow Times", "gazzeta.in.ua"}
    assert store.search('"pure fiction"')[0].outlet == "gazzeta.in.ua"
    assert store.search('unbalanced "quote') is not None  # bad FTS syntax degrades to a word search


def test_id_prefixes(store):
    a, b = _article("First article text, long enough."), _article("Second article text, long enough.")
    store.save_articles([a, b])
    assert store.article(a.id[:8]).id == a.id
    with pytest.raises(NotFound):
        store.article("zzzz")
    common = os.path.commonprefix([a.id, b.id])
    if common:
        with pytest.raises(AmbiguousId):
            store.article(common)


def test_refuses_files_that_are_not_storydesk_databases(tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database")
    with pytest.raises(StoreError, match="not an SQLite database"):
        open_store(text_file)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE foo (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        open_store(other)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing-dir" / "x.db")


_KILL_SCRIPT = r"""
import sys
from pathlib import Path
from storydesk.pipeline import IngestOptions, ingest
from storydesk.store import open_store
store = open_store(sys.argv[1])
print("started", flush=True)
ingest([sys.argv[2]], store, options=IngestOptions(analyze=False, cluster=False, batch_size=4))
print("finished", flush=True)
"""


def test_killed_run_leaves_a_consistent_database_and_rerun_completes(tmp_path, samples_dir):
    # 60 distinct articles built from the samples (each text made unique by a numbered paragraph).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    originals = sorted(samples_dir.iterdir())
    for i in range(60):
        src = originals[i % 5].read_text(encoding="utf-8")
        (corpus / f"{i:03d}.txt").write_text(src + f"\n\nEditor's note number {i} for this copy of the article.\n",
                                             encoding="utf-8")
    db = tmp_path / "kill.db"
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(db), str(corpus)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    # Kill as soon as some batches have committed (or after a few seconds at most).
    deadline = time.time() + 20
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            conn = sqlite3.connect(db, timeout=1)
            n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            n = 0
        if n >= 8 or proc.poll() is not None:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    sources = conn.execute("SELECT count(*) FROM article_sources").fetchone()[0]
    conn.close()
    assert stored == sources  # never half a batch: each article with its source
    with open_store(db) as s:
        summary = ingest([corpus], s, options=FOUNDATION)
        assert summary.added == 60 - stored
        assert s.count("articles") == 60 and s.count("article_sources") == 60
        assert s.search("Editor's note number 59")
