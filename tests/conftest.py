"""Shared fixtures: paths to the bundled samples and the optional ../shared datasets, temp stores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "kremlin-trump-2024"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder; tests using it skip cleanly when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not present")
    return data


@pytest.fixture()
def store(tmp_path):
    from storydesk.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def registry():
    from storydesk.outlets import OutletRegistry

    return OutletRegistry.default()


@pytest.fixture(scope="session")
def sample_articles(registry):
    """The five sample articles, extracted (keyed by file name)."""
    from storydesk.extract import extract_document
    from storydesk.sources import read_inputs

    out = {}
    for doc in read_inputs([SAMPLES]):
        a = extract_document(doc, registry=registry)
        out[Path(doc.source).name] = a
    return out
