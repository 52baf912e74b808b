"""The command line: JSON contracts other tools rely on, exit codes, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from storydesk.cli import EXIT_REJECTED, app

runner = CliRunner()


def run(*args, env=None):
    result = runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    return result


@pytest.fixture()
def db(tmp_path, samples_dir):
    path = tmp_path / "cli.db"
    result = run("ingest", samples_dir, "--db", path, "--no-analyze", "--no-cluster")
    assert result.exit_code == 0, result.output
    return path


def test_ingest_summary(tmp_path, samples_dir):
    result = run("ingest", samples_dir, "--db", tmp_path / "x.db", "--no-analyze", "--no-cluster")
    assert result.exit_code == 0
    assert re.search(r"added\s+5", result.stdout)
    assert re.search(r"rejected\s+0", result.stdout)
    again = run("ingest", samples_dir, "--db", tmp_path / "x.db", "--no-analyze", "--no-cluster", "--json")
    data = json.loads(again.stdout)
    assert (data["added"], data["unchanged"], data["duplicates"]) == (0, 5, 0)


def test_ingest_exit_code_says_something_was_rejected(tmp_path, samples_dir):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "ok.txt").write_bytes((samples_dir / "001_84fcedbea0a08b0f.txt").read_bytes())
    result = run("ingest", tmp_path / "in", "--db", tmp_path / "x.db", "--no-analyze", "--no-cluster")
    assert result.exit_code == EXIT_REJECTED
    assert "empty" in result.stdout and "Traceback" not in result.output
    rej = json.loads(run("rejections", "--db", tmp_path / "x.db", "--json").stdout)
    assert rej[0]["code"] == "empty" and rej[0]["source"].endswith("empty.txt")


def test_articles_json_contract(db):
    data = json.loads(run("articles", "--json", "--db", db).stdout)
    assert len(data) == 5
    for item in data:
        assert {"id", "source", "outlet", "title", "published", "language"} <= set(item)
        assert item["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["published"])
    by_outlet = {d["outlet"]: d for d in data}
    assert by_outlet["Sputnik"]["published"] == "2024-11-08"
    assert by_outlet["RT"]["title"] is None and by_outlet["RT"]["published"] is None


def test_article_json_contract(db):
    ids = [d["id"] for d in json.loads(run("articles", "--json", "--db", db).stdout)]
    data = json.loads(run("article", ids[0][:7], "--json", "--db", db).stdout)
    assert data["id"] == ids[0]
    assert {"id", "source", "outlet", "title", "published", "language", "text", "entities", "quotes", "dates"} <= set(data)
    assert data["text"] and isinstance(data["entities"], list)


def test_unknown_article_is_a_clear_error(db):
    result = run("article", "ffffffffffff", "--db", db)
    assert result.exit_code == 4
    assert "no article" in result.stderr and "Traceback" not in result.output


def test_search(db):
    data = json.loads(run("search", "Valdai", "--json", "--db", db).stdout)
    assert len(data) == 1 and data[0]["outlet"] == "Sputnik"


def test_export_jsonl_and_csv(db, tmp_path):
    lines = run("export", "--format", "jsonl", "--db", db).stdout.splitlines()
    assert len(lines) == 5
    recs = [json.loads(line) for line in lines]
    assert all(r["text"] and "id" in r and "published" in r for r in recs)
    out = tmp_path / "a.csv"
    assert run("export", "--format", "csv", "--output", out, "--db", db).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 5 and all(r["text"] for r in rows)
    bad = run("export", "--format", "xml", "--db", db)
    assert bad.exit_code == 2 and "jsonl or csv" in bad.stderr


def test_db_from_environment(tmp_path, samples_dir):
    env = {"STORYDESK_DB": str(tmp_path / "env.db")}
    assert run("ingest", samples_dir / "000_32ea7ebbc58a510a.txt", "--no-analyze", "--no-cluster", env=env).exit_code == 0
    assert (tmp_path / "env.db").exists()
    assert len(json.loads(run("articles", "--json", env=env).stdout)) == 1


def test_bad_database_path(tmp_path):
    bogus = tmp_path / "not-a-db.txt"
    bogus.write_text("hello")
    result = run("articles", "--db", bogus)
    assert result.exit_code == 6 and "not an SQLite database" in result.stderr


def test_stories_mode_is_chosen_once_and_changed_only_by_recluster(tmp_path, samples_dir):
    path = tmp_path / "m.db"
    first = run("ingest", samples_dir, "--db", path, "--no-analyze", "--stories-mode", "accurate", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["stories_mode"] == "accurate"
    extra = tmp_path / "extra.txt"
    extra.write_text("A different article.\n\n" + "Words of a new report about something else. " * 20, encoding="utf-8")
    other = run("ingest", extra, "--db", path, "--no-analyze", "--stories-mode", "fast")
    assert other.exit_code == 2 and "recluster --stories-mode fast" in other.output
    assert len(json.loads(run("articles", "--json", "--db", path).stdout)) == 5  # refused before reading
    kept = run("ingest", extra, "--db", path, "--no-analyze", "--json")  # no mode: the database's own
    assert kept.exit_code == 0 and json.loads(kept.stdout)["stories_mode"] == "accurate"
    switched = run("recluster", "--db", path, "--stories-mode", "fast")
    assert switched.exit_code == 0 and "(fast mode)" in switched.stdout
    assert "(fast mode)" in run("recluster", "--db", path).stdout
    bad = run("recluster", "--db", path, "--stories-mode", "best")
    assert bad.exit_code == 2 and "unknown stories mode" in bad.output
