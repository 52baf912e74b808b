"""The demo's commands, human-readable output: every one runs on the samples and shows its data intact.

The JSON contracts are pinned in test_cli.py; this file guards what a user reads in the
terminal (a crash in a table or a lost ``[bracketed]`` word is invisible to JSON tests).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storydesk.cli import app

pytestmark = pytest.mark.slow

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert "internal error" not in result.output, result.output
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, samples_dir):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    run("ingest", samples_dir, "--db", db)
    return db


@pytest.fixture(scope="module")
def story_id(demo_db):
    stories = json.loads(run("stories", "--json", "--db", demo_db))
    return max(stories, key=lambda s: len(s["article_ids"]))["id"]


def test_every_demo_command_runs(demo_db, story_id):
    for args in (("articles",), ("stories",), ("story", story_id), ("quotes", "--story", story_id),
                 ("compare", story_id), ("entities",), ("check", "Putin and Trump spoke by phone on November 7")):
        assert run(*args, "--db", demo_db).strip()


def test_story_shows_outlets_span_and_cites_outlets(demo_db, story_id):
    text = run("story", story_id, "--db", demo_db)
    for outlet in ("RT", "Sputnik", "The Moscow Times", "gazzeta.in.ua"):
        assert outlet in text
    assert "2024-11-07" in text and "2024-12-06" in text
    # Citations are bracketed outlet names: rich must not swallow them as markup.
    assert "[gazzeta.in.ua]" in text


def test_bracketed_words_in_quotes_survive(demo_db, story_id):
    # The Moscow Times writes "[Trump] has said he'd call Putin"; editorial brackets are text.
    text = run("quotes", "--story", story_id, "--db", demo_db)
    assert "[Trump]" in text
    sputnik = run("quotes", "--story", story_id, "--db", demo_db, "--json")
    assert any("[Russia]" in q["text"] for q in json.loads(sputnik))


def test_article_text_with_lowercase_brackets_is_printed_verbatim(tmp_path):
    # rich reads "[the minister]" as a style tag unless the CLI escapes it: text must print as is.
    body = ("Officials met on Monday to discuss the budget and the reforms planned for next year. "
            "\"We will [sic] not raise taxes,\" [the minister] said, adding that [bold] moves were needed.")
    (tmp_path / "a.txt").write_text("Budget talks\n\n" + body, encoding="utf-8")
    db = tmp_path / "b.db"
    run("ingest", tmp_path / "a.txt", "--db", db, "--no-analyze", "--no-cluster")
    (row,) = json.loads(run("articles", "--json", "--db", db))
    text = run("article", row["id"], "--db", db)
    assert "[the minister]" in text and "[sic]" in text and "[bold]" in text


def test_markup_in_titles_and_outlets_does_not_break_story_and_compare(tmp_path, samples_dir):
    # A title or outlet such as "Test [/b] Outlet" is data: rich raised MarkupError on it
    # (story, compare) or silently restyled "[bold]..." titles.
    sample = sorted(samples_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    records = [{"title": "Kremlin [/] Putin [bold]call[/bold]", "text": sample, "outlet": "Test [/b] Outlet",
                "date": "2024-11-07"},
               {"title": "Second [/i] take", "text": sample.replace("Peskov", "Dmitry Peskov", 1),
                "outlet": "Other [red] Outlet", "date": "2024-11-07"}]
    (tmp_path / "m.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = tmp_path / "m.db"
    run("ingest", tmp_path / "m.jsonl", "--db", db)
    sid = json.loads(run("stories", "--json", "--db", db))[0]["id"]
    story = run("story", sid, "--db", db)
    assert "Test [/b] Outlet" in story and "Kremlin [/] Putin [bold]call[/bold]" in story
    assert "Test [/b] Outlet" in run("compare", sid, "--db", db)
    run("check", "Putin and Trump spoke by phone", "--db", db)


def test_story_json_lists_each_outlet_once(demo_db, story_id):
    # The sample without an outlet was listed twice: once as a null outlet, once as
    # "unknown outlet (<id>)" from the comparison.
    data = json.loads(run("story", story_id, "--json", "--db", demo_db))
    names = [o["name"] for o in data["outlets"]]
    assert None not in names and len(names) == len(set(names))
    listed = sorted(i for o in data["outlets"] for i in o["article_ids"])
    assert listed == sorted(data["article_ids"])


def test_story_view_is_kept_and_rebuilt_when_its_inputs_change(demo_db, story_id, monkeypatch):
    # Comparing a story costs seconds (minutes for a large one): the built view is kept in
    # the store and served again until a member's facts (or members, or the code) change.
    from storydesk import views
    from storydesk.pipeline import refresh_quote_groups
    from storydesk.store import open_store

    with open_store(demo_db) as store:

        def view():  # as `storydesk story` does
            refresh_quote_groups(store, [story_id])
            return views.story_detail(store, story_id)

        first = view()
        built = []
        real = views._add_comparison
        monkeypatch.setattr(views, "_add_comparison", lambda *a, **k: (built.append(1), real(*a, **k)))
        assert view() == first and not built
        some = first["article_ids"][0]
        store.save_facts([store.facts(some)])  # re-stored facts: the story is compared again
        assert view() == first and built == [1]


def test_read_commands_refuse_a_missing_database_instead_of_creating_it(tmp_path):
    # A mistyped --db created an empty database and printed "0 article(s)".
    typo = tmp_path / "typo.db"
    for args in (("articles",), ("stories",), ("quotes",), ("entities",), ("export",)):
        result = runner.invoke(app, [*args, "--db", str(typo)])
        assert result.exit_code == 4 and "no database at" in result.output, result.output
    assert not typo.exists()


def test_bad_options_are_usage_errors(demo_db, tmp_path):
    result = runner.invoke(app, ["entities", "--label", "FOO", "--db", str(demo_db)])
    assert result.exit_code == 2 and "PERSON" in result.output
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "missing" / "x.jsonl"), "--db", str(demo_db)])
    assert result.exit_code == 2 and "cannot write" in result.output and "internal error" not in result.output


def test_quote_grouping_on_read_reports_progress(demo_db):
    # The first `storydesk quotes` on a fresh large corpus groups every story (minutes):
    # the CLI draws a bar from these reports.
    from storydesk.pipeline import refresh_quote_groups
    from storydesk.store import open_store

    with open_store(demo_db) as store:
        store.conn.execute("UPDATE stories SET quotes_grouped = 0")
        seen = []
        n = refresh_quote_groups(store, progress=lambda *event: seen.append(event))
    assert n >= 1 and seen[-1] == ("stories", n, n)
