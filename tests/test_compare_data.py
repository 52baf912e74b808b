"""The labelled compare data (bench/data/compare): format, floors, and spans against the sources."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import compare_data as cd  # noqa: E402


@pytest.fixture(scope="module")
def claims() -> list[cd.Pair]:
    return cd.load_claim_pairs()


@pytest.fixture(scope="module")
def quotes() -> list[cd.Pair]:
    return cd.load_quote_pairs()


def test_both_files_are_well_formed(claims, quotes):
    assert cd.format_problems(claims) == []
    assert cd.format_problems(quotes) == []


def test_ids_unique_and_labels_allowed(claims, quotes):
    ids = [p.id for p in claims + quotes]
    assert len(ids) == len(set(ids))
    assert {p.label for p in claims} <= set(cd.CLAIM_LABELS)
    assert {p.label for p in quotes} <= set(cd.QUOTE_LABELS)
    assert all(p.id.startswith("c-") for p in claims) and all(p.id.startswith("q-") for p in quotes)


def test_every_pair_joins_two_articles_of_one_dataset(claims, quotes):
    for p in claims + quotes:
        assert p.a.path != p.b.path, p.id
        assert p.a.dataset == p.b.dataset, p.id


def test_issue_floors_hold(claims, quotes):
    # The issue asks for >= 100 claim pairs from several stories; the brief for this set
    # asks for >= 150, >= 8 stories, >= 2 datasets and enough of each contradiction kind.
    labels = Counter(p.label for p in claims)
    assert len(claims) >= 150
    assert len({p.story for p in claims}) >= 8
    assert len({p.a.dataset for p in claims}) >= 2
    assert labels["denial"] >= 25 and labels["conflict"] >= 25 and labels["superseded"] >= 15
    assert labels["unrelated"] >= 25  # the realistic negatives
    assert len(quotes) >= 80
    q = Counter(p.label for p in quotes)
    assert q["same"] >= 30 and q["different"] >= 30


def test_bundled_samples_are_not_the_majority(claims, quotes):
    for pairs in (claims, quotes):
        local = sum(p.a.repo_local for p in pairs)
        assert 0 < local < len(pairs) / 2


def test_quote_spans_name_a_speaker(quotes):
    assert all(p.a.who and p.b.who for p in quotes)


def test_repo_local_spans_resolve_without_shared(claims, quotes, tmp_path):
    # The five sample articles ship with the repository, so these spans always verify.
    sources = cd.SourceTexts(tmp_path / "no-shared-here")
    local = [p for p in claims + quotes if p.a.repo_local]
    report = cd.span_problems(local, sources)
    assert report.problems == ()
    assert report.checked == 2 * len(local) and report.checked > 0
    text = sources.span_text(local[0].a)
    assert text.startswith(local[0].a.anchor)


@pytest.mark.shared
def test_all_spans_resolve_against_shared(claims, quotes, shared_data):
    sources = cd.SourceTexts(shared_data)
    report = cd.span_problems(claims + quotes, sources)
    assert report.problems == ()
    assert report.skipped == 0
    assert report.checked == 2 * (len(claims) + len(quotes))


def test_validator_flags_broken_spans(claims, tmp_path):
    sources = cd.SourceTexts(tmp_path)  # repo-local spans only
    pair = next(p for p in claims if p.a.repo_local)
    bad_hash = dataclasses.replace(pair, a=dataclasses.replace(pair.a, sha1="0" * 40))
    shifted = dataclasses.replace(pair, a=dataclasses.replace(pair.a, start=pair.a.start + 1))
    past_end = dataclasses.replace(pair, a=dataclasses.replace(pair.a, end=10**7))
    for broken in (bad_hash, shifted, past_end):
        report = cd.span_problems([broken], sources)
        assert len(report.problems) == 1 and report.problems[0].startswith(pair.id)


def test_validator_flags_format_errors(claims):
    p = claims[0]
    same_article = dataclasses.replace(p, b=p.a)
    bad_label = dataclasses.replace(p, id=p.id[:-2] + "98", label="contradiction")
    escaping = dataclasses.replace(p, id=p.id[:-2] + "99", a=dataclasses.replace(p.a, path="../secret.json"))
    problems = cd.format_problems([p, p, same_article, bad_label, escaping])
    text = "\n".join(problems)
    assert "duplicate id" in text
    assert "two different articles" in text
    assert "'contradiction'" in text
    assert "relative without '..'" in text


def test_loader_reports_malformed_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "c-x-01"}\nnot json\n', encoding="utf-8")
    with pytest.raises(cd.DataFormatError, match="bad.jsonl:1"):
        cd.load_pairs(bad, kind="claim")


def test_main_without_shared_exits_cleanly(tmp_path, capsys):
    out_json = tmp_path / "counts.json"
    rc = cd.main(["--data", str(tmp_path / "absent"), "--json", str(out_json)])
    printed = capsys.readouterr().out
    assert rc == 0
    assert "not found" in printed and "skipped (source absent)" in printed
    summary = json.loads(out_json.read_text(encoding="utf-8"))
    assert summary["shared_present"] is False
    assert summary["claims"]["pairs"] >= 150 and summary["problems"] == []


def test_span_for_text_round_trips_through_the_validator(tmp_path):
    sources = cd.SourceTexts(tmp_path)  # the samples live in the repository
    path = "examples/kremlin-trump-2024/003_e3eea6efc90623fd.txt"
    ref = cd.span_for_text(
        sources,
        dataset="kremlin-trump-2024",
        path=path,
        text="the Kremlin chief does not plan to congratulate Trump yet",
        attributed_to="Dmitry Peskov",
    )
    span = cd._span_from_json(ref, kind="claim", where="test")
    assert sources.span_text(span) == "the Kremlin chief does not plan to congratulate Trump yet"
    with pytest.raises(cd.SpanError):
        cd.span_for_text(sources, dataset="kremlin-trump-2024", path=path, text="not in this article")
