"""Language of an article and of each of its paragraphs.

A Russian paragraph inside an English article (sample 003 carries the original Russian
headline) is marked Russian, not dropped, so the analyzers can route it to the right
model or leave it alone. Very short paragraphs are unreliable to detect and inherit the
article's language.

Speed: lingua costs ~1–2 ms per news paragraph here (~25 paragraphs an article), which
alone would cap ingest near 25 articles/s. So lingua runs once on the article's opening,
and per paragraph only when a cheap screen says the paragraph may differ: another
script (Cyrillic in a Latin-script article), Ukrainian-only or Russian-only letters in a
Cyrillic article, or function words of another Latin-script language outnumbering the
article language's own. On the PolNeAR and sample articles the screen agrees with
paragraph-by-paragraph lingua on every paragraph it lets through (tests pin the cases).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence

from storydesk import models
from storydesk.extract.normalize import letter_count

log = logging.getLogger(__name__)

# Paragraphs with fewer letters than this inherit the article language: lingua's accuracy
# on the restricted language set drops below ~90% under ~25 letters (lingua's own
# accuracy tables for single words/word pairs), and such lines are mostly names or labels.
MIN_LETTERS = 25
# Characters of the article's opening given to lingua for the article-level verdict, and
# of a paragraph when it is checked: ~2 sentences decide a paragraph's language as well as
# the whole of it (identical verdicts on 2,441 PolNeAR paragraphs), and lingua's cost grows
# with length (~0.9 ms for 500 characters here once its models are loaded).
ARTICLE_SAMPLE_CHARS = 500
PARAGRAPH_SAMPLE_CHARS = 300
# A paragraph in the article's own script shorter than this inherits the article language
# without asking lingua. Below it lingua's fast (low-accuracy) model is unreliable, and its
# high-accuracy model costs ~3 s and ~340 MB in every process on first use; on PolNeAR it was
# needed for 9 of 840 articles, every time for an English paragraph the function-word screen
# had flagged ("So I asked him then, if you do end up ..." has Polish "i", "do", "to") and
# lingua then confirmed as English; on those, the SemEval-2022 texts (7 languages) and the
# samples no paragraph's language changes. The price: a short quote in another language of
# the same script (a French line in an English article) keeps the article's language.
# Coupled to models.LOW_ACCURACY_MIN_CHARS.
SAME_SCRIPT_MIN_CHARS = models.LOW_ACCURACY_MIN_CHARS
# Minimum lingua confidence (0-1) to trust a paragraph-level verdict that differs from the
# article's language in the same script; below it the paragraph inherits. Guards against
# English paragraphs full of foreign names being labelled as something else.
SWITCH_CONFIDENCE = 0.6

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SCRIPTS = (
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("cjk", re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
)
_SCRIPT_OF = {"ru": "cyrillic", "uk": "cyrillic", "be": "cyrillic", "ar": "arabic", "zh": "cjk"}
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъЫЭЪ]")

# The most frequent function words of each Latin-script language we detect; a paragraph in
# another language shows several of its own and few of the article's.
_FUNCTION_WORDS = {
    "en": "the and of to in is that for on with was as by it he said at from his are be this have has not but".split(),
    "de": "der die das und ist nicht zu den von mit sich des auf für im dem ein eine auch es an werden aus er hat dass sie".split(),
    "fr": "le la les des et est un une du en que qui dans pour pas au sur ne se il plus par avec ce sont été".split(),
    "es": "el la los las de y que en un una es por con no para se del al lo como más pero sus su fue ha".split(),
    "it": "il di che la e è per un una in non sono del della le si lo con da gli ha anche più al".split(),
    "pt": "o a os as de que e do da em um uma para com não no na se por mais dos das foi ao ele".split(),
    "nl": "de het een en van is dat in op te zijn met voor niet aan er ook als bij door maar om".split(),
    "pl": "i w nie na się z do że to jest jak po o co tak przez ale od dla za być jego oraz".split(),
    "tr": "ve bir bu da de için ile ne çok daha olarak gibi ama en kadar sonra değil olan var".split(),
}
# word -> the languages it is a function word of, so a paragraph's words are looked up once.
_FUNCTION_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _w in set(_words):
        _FUNCTION_WORD_LANGS[_w] = _FUNCTION_WORD_LANGS.get(_w, ()) + (_lang,)
# Any letter outside the Latin script: its absence settles _script() without counting.
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")


def _code(language: object) -> str:
    return language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]


def _script(text: str) -> str | None:
    sample = text[:PARAGRAPH_SAMPLE_CHARS]
    if _NON_LATIN_LETTER.search(sample) is None:
        return "latin" if _SCRIPTS[-1][1].search(sample) else None
    latin = len(_SCRIPTS[-1][1].findall(sample))
    cyrillic = len(_SCRIPTS[0][1].findall(sample))
    if latin + cyrillic >= 0.5 * len(_LETTER.findall(sample)) and latin + cyrillic:
        return "latin" if latin >= cyrillic else "cyrillic"
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPTS}
    name, n = max(counts.items(), key=lambda kv: kv[1])
    return name if n else None


def _may_differ(paragraph: str, article: str) -> bool:
    """Cheap screen: could this paragraph be in another language than the article's?"""
    script = _script(paragraph)
    if script != _SCRIPT_OF.get(article, "latin"):
        return True
    if script == "cyrillic":
        uk, ru = len(_UK_ONLY.findall(paragraph)), len(_RU_ONLY.findall(paragraph))
        return (article == "ru" and uk > ru) or (article == "uk" and ru > uk) or article == "be"
    if script != "latin":
        return False
    hits: dict[str, int] = {}
    for w in _WORD.findall(paragraph[:PARAGRAPH_SAMPLE_CHARS * 2].lower()):
        for lang in _FUNCTION_WORD_LANGS.get(w, ()):
            hits[lang] = hits.get(lang, 0) + 1
    own = hits.get(article, 0)
    # max() over the languages in their table order: ties go to the earlier one, as before.
    best_lang, best = max(((lang, hits.get(lang, 0)) for lang in _FUNCTION_WORDS), key=lambda kv: kv[1])
    return best_lang != article and best >= 3 and best > own


def detect_languages(paragraphs: Sequence[str], *, hint: str | None = None) -> tuple[str | None, list[str | None]]:
    """Detect the article's main language and each paragraph's language.

    Args:
        paragraphs: the clean paragraphs.
        hint: a language declared by the source (HTML ``lang``, a JSON field), used when
            detection has nothing to go on.

    Returns:
        ``(article_language, paragraph_languages)``: ISO 639-1 codes; the article's is the
        language covering most letters; None only when nothing could be detected.
    """
    try:
        detector = models.language_detector()
    except models.ModelUnavailable as exc:
        log.warning("language detection unavailable: %s", exc)
        return _normalise_hint(hint), [_normalise_hint(hint)] * len(paragraphs)

    letters = [letter_count(p) for p in paragraphs]
    opening = "\n".join(p for p, n in zip(paragraphs, letters) if n >= MIN_LETTERS)[:ARTICLE_SAMPLE_CHARS]
    if not opening:
        opening = " ".join(paragraphs)[:ARTICLE_SAMPLE_CHARS]
    first = detector.detect_language_of(opening) if letter_count(opening) >= 10 else None
    guess = _code(first) if first is not None else _normalise_hint(hint)
    if guess is None:
        return None, [None] * len(paragraphs)

    langs: list[str | None] = []
    for p, n in zip(paragraphs, letters):
        if n < MIN_LETTERS:
            langs.append(None)  # too short to tell: inherits the article language below
            continue
        if not _may_differ(p, guess):
            langs.append(guess)
            continue
        sample = p[:PARAGRAPH_SAMPLE_CHARS]
        if len(sample) < SAME_SCRIPT_MIN_CHARS and _script(p) == _SCRIPT_OF.get(guess, "latin"):
            langs.append(None)  # short, same script: too little to overrule the article (see above)
            continue
        lang = detector.detect_language_of(sample)
        code = _code(lang) if lang is not None else None
        if code and code != guess and _script(p) == _SCRIPT_OF.get(guess, "latin"):
            # Same script, different verdict: trust it only when lingua is confident.
            if detector.compute_language_confidence(sample, lang) < SWITCH_CONFIDENCE:
                code = None
        langs.append(code or guess)

    weight: Counter[str] = Counter()
    for lang, n in zip(langs, letters):
        if lang:
            weight[lang] += n
    article = weight.most_common(1)[0][0] if weight else guess
    return article, [lang or article for lang in langs]


def _normalise_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None
