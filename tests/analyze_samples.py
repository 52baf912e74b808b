"""The sample articles exactly as ingest produces them (shared by the analyze tests).

Each sample is read with :func:`storydesk.sources.read_inputs` and cleaned with
:func:`storydesk.extract.extract_document`, so the tests run on the clean text, the
paragraph languages and the publication dates the pipeline really analyses (boilerplate
dropped, ``published`` from the page, 002 without a date).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from storydesk.extract import extract_document
from storydesk.records import Article
from storydesk.sources import read_inputs

SAMPLES = Path(__file__).resolve().parents[1] / "examples" / "kremlin-trump-2024"
PREFIXES = ("000", "001", "002", "003", "004")


def prefix_of(article: Article) -> str:
    """The sample number ("000" ... "004") an article was read from."""
    return Path(article.source.split("#", 1)[0]).name[:3]


@lru_cache(maxsize=1)
def _extracted() -> tuple[Article, ...]:
    out = []
    for raw in read_inputs([SAMPLES]):
        art = extract_document(raw)
        if not isinstance(art, Article):
            raise AssertionError(f"sample did not extract: {art}")
        out.append(art)
    out.sort(key=prefix_of)
    assert [prefix_of(a) for a in out] == list(PREFIXES), [a.source for a in out]
    return tuple(out)


def sample_article(prefix: str) -> Article:
    """The clean sample article whose file name starts with ``prefix`` ("000" ... "004")."""
    return next(a for a in _extracted() if prefix_of(a) == prefix)


def all_samples() -> list[Article]:
    """The five clean sample articles, in file order."""
    return list(_extracted())
