"""Cheap, language-light text features for story clustering: terms, name keys, lead, shingles.

Everything here is deterministic and model-free so that it runs at ingest speed in any
language. Two ideas carry the cross-lingual part:

* **terms** are lower-cased word tokens truncated to a fixed prefix ("truncation
  stemming"), which works about as well as a real stemmer for retrieval in most European
  languages and needs no per-language resources beyond a stop-word list;
* **name keys** are consonant skeletons of Latinised capitalised words: ``Путин`` and
  ``Putin`` both become ``ptn``, ``Трамп``/``Trump`` ``trmp``, ``Зеленский``/``Zelensky``
  ``zlnsk``. Collisions are expected and harmless: keys only propose candidates and feed an
  idf-weighted overlap score that the embedding score checks.

The stop-word lists in ``data/stopwords.json`` were copied from spaCy 3.8
(``spacy/lang/<code>/stop_words.py``, MIT licence) so that this module does not import spaCy
(which costs seconds at start-up). To regenerate::

    import importlib, json
    {l: sorted(w.lower() for w in importlib.import_module(f"spacy.lang.{l}.stop_words").STOP_WORDS)
     for l in ("en", "de", "ru", "uk", "es", "fr", "pl", "tr", "ar", "it", "pt", "nl")}
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from importlib import resources

_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)
_PLAIN_WORD = re.compile(r"\w+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$|['’]$")
_SENTENCE_END = re.compile(r"[.!?…:;»\"”]\s*$")

# Cyrillic (Russian, Ukrainian, Belarusian) to Latin, close to the news-wire (BGN-like)
# romanisation, so that the consonant skeletons of transliterated names match the English
# spellings (Песков -> peskov, Харків -> kharkiv, Зеленський -> zelenskyi).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
_VOWELS = frozenset("aeiouy")
# Letters dropped from skeletons besides vowels: "h" and "w" are inserted or dropped by
# romanisations (Kharkiv/Charkiw, Zelenskyy/Selenskyj), and "j" alternates with "y".
_SKELETON_DROP = frozenset("hwj")
# Consonant groups that are the same sound in different romanisations (German "sch" and
# "tsch", Polish "sz"/"cz", the "c"/"k" and "z"/"s" alternations) folded before vowels drop.
_FOLDS = (("tsch", "ch"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("ck", "k"), ("ph", "f"),
          ("ts", "c"), ("tz", "c"), ("x", "ks"), ("q", "k"), ("c", "k"), ("z", "s"), ("v", "f"))


# Month and weekday names (and their abbreviations) are capitalised in most languages but
# are not names: every story of a month shares "November". Lower-case.
CALENDAR_WORDS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
januar februar märz mai juni juli oktober dezember montag dienstag mittwoch donnerstag freitag
samstag sonntag janvier février mars avril juin juillet août septembre octobre novembre décembre
lundi mardi mercredi jeudi vendredi samedi dimanche enero febrero marzo abril mayo junio julio
agosto septiembre octubre noviembre diciembre lunes martes miércoles jueves viernes sábado domingo
styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień
ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
понедельник вторник среда четверг пятница суббота воскресенье
січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень
""".split())


@functools.cache
def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of a language (lower-case); English when the language is unknown.

    Args:
        language: ISO 639-1 code or None.

    Returns:
        The stop-word set; empty for a language without a list.
    """
    table = _stop_table()
    return table.get(language or "en", frozenset())


@functools.cache
def _stop_table() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("storydesk.stories").joinpath("data/stopwords.json").read_text("utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


@functools.cache
def _all_stop_words() -> frozenset[str]:
    # Used to keep capitalised function words out of the name keys in any language:
    # "Die", "The", "Это" at a sentence start are not names.
    out: set[str] = set()
    for words in _stop_table().values():
        out |= words
    return frozenset(out)


def latinise(word: str) -> str:
    """Lower-case a word, transliterate Cyrillic and strip diacritics (``Müller`` -> ``muller``)."""
    low = word.lower()
    if any("\u0400" <= ch <= "\u04ff" for ch in low):
        low = "".join(_CYRILLIC.get(ch, ch) for ch in low)
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


def skeleton(word: str) -> str:
    """The consonant skeleton of a name, for matching it across scripts and spellings.

    Args:
        word: one word of a name, in any script.

    Returns:
        The skeleton (``Putin``/``Путин`` -> ``ptn``); for words whose skeleton would be
        shorter than two letters (``EU``, ``Ai``), the Latinised word itself.
    """
    lat = "".join(ch for ch in latinise(word) if ch.isalnum())
    if not lat.isascii():
        return lat  # Arabic, Chinese...: no romanisation here; keep the word as its own key
    folded = lat
    for src, dst in _FOLDS:
        folded = folded.replace(src, dst)
    out: list[str] = []
    for ch in folded:
        if ch in _VOWELS or ch in _SKELETON_DROP or ch == "'":
            continue
        if out and out[-1] == ch:
            continue  # doubled consonants: Assad / Асад
        out.append(ch)
    skel = "".join(out)
    return skel if len(skel) >= 2 else lat


def tokens(text: str) -> list[tuple[str, int]]:
    """Word tokens with their start offsets."""
    return [(m.group(), m.start()) for m in _WORD.finditer(text)]


def terms(text: str, language: str | None, *, stem_chars: int) -> Counter[str]:
    """Content-word terms of a text: lower-cased, stop words removed, truncated to a prefix.

    Args:
        text: the text.
        language: its language (chooses the stop-word list).
        stem_chars: prefix length of the truncation stemmer.

    Returns:
        Term counts. Numbers of two or more digits are kept (``108``, ``2024``): they are
        language-independent evidence.
    """
    stops = stop_words(language)
    out: Counter[str] = Counter()
    for match in _PLAIN_WORD.finditer(text):
        low = match.group().lower()
        if low in stops:
            continue
        if low.isdigit():
            if len(low) >= 2:
                out[low] += 1
            continue
        if len(low) < 3 and not _is_cjk(low):
            continue
        out[low[:stem_chars]] += 1
    return out


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word)


def _is_capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() and (len(word) == 1 or not word[1:].isupper() or len(word) <= 6)


def name_phrases(text: str, *, title: str | None = None) -> list[str]:
    """Runs of capitalised words that are probably names (``Vladimir Putin``, ``NATO``).

    A capitalised word at a sentence start counts only when the same word also appears
    capitalised elsewhere in the text: "Speaking to reporters" is not a name, "Peskov said"
    at a sentence start is, because Peskov recurs mid-sentence. Every word of the title is
    treated like a sentence start, since English headlines capitalise every word.

    Args:
        text: the text (the lead, or the whole article).
        title: the headline, if any.

    Returns:
        The phrases in order, title first (repeated as often as they occur), without a
        trailing possessive ("Biden's" -> "Biden").
    """
    n_title = 0
    if title:
        n_title = len(tokens(title))
        if not text.lstrip().startswith(title.strip()):
            text = f"{title}\n{text}"
    toks = tokens(text)
    stops = _all_stop_words()
    mid_caps: set[str] = set()
    initial: list[bool] = []
    prev_end = 0
    for i, (word, start) in enumerate(toks):
        gap = text[prev_end:start]
        after_stop = bool(_SENTENCE_END.search(text[max(0, start - 3):start]))
        is_initial = i < n_title or i == 0 or "\n" in gap or after_stop
        initial.append(is_initial)
        if not is_initial and _is_capitalised(word):
            mid_caps.add(word)
        prev_end = start + len(word)
    phrases: list[str] = []
    run: list[str] = []
    prev_end = -1
    for (word, start), is_initial in zip(toks, initial):
        word = _POSSESSIVE.sub("", word)
        low = word.lower()
        ok = (_is_capitalised(word) and not word[0].isdigit() and low not in stops
              and low not in CALENDAR_WORDS and (not is_initial or word in mid_caps))
        adjacent = prev_end >= 0 and text[prev_end:start] in (" ", "-")
        if ok and run and adjacent:
            run.append(word)
        else:
            if run:
                phrases.append(" ".join(run))
            run = [word] if ok else []
        prev_end = start + len(word)
    if run:
        phrases.append(" ".join(run))
    return phrases


def name_keys(phrase: str) -> list[str]:
    """The name keys (skeletons) of each word of a name phrase (``Putin-Trump`` -> ``ptn``, ``trmp``)."""
    return [skeleton(w) for w in re.split(r"[\s\-‐–'’]+", phrase) if len(w) > 1]


def lead(title: str | None, text: str, *, max_chars: int) -> str:
    """Title and opening of an article, cut at a word boundary: what gets embedded.

    The title is not repeated when the text already starts with it (many extractors keep
    the headline as the first line).

    Args:
        title: the headline, or None.
        text: the clean text.
        max_chars: budget for the result.

    Returns:
        ``"Title. Opening sentences..."`` of at most about ``max_chars`` characters.
    """
    body = " ".join(text.split())
    head = " ".join((title or "").split())
    if head and body.startswith(head):
        body = body[len(head):].lstrip(" .:-–—|")
    joined = f"{head}. {body}" if head and body else head or body
    if len(joined) <= max_chars:
        return joined
    cut = joined.rfind(" ", 0, max_chars)
    return joined[: cut if cut > max_chars // 2 else max_chars]


def words(text: str) -> list[str]:
    """Lower-cased word tokens of a text (no offsets: the fast path for shingling)."""
    return _WORD.findall(text.lower())


def shingles_of(words: list[str], *, size: int) -> set[bytes]:
    """Word ``size``-grams of a token list, as bytes (the MinHash input).

    Args:
        words: lower-cased tokens (:func:`words`).
        size: words per shingle.

    Returns:
        The set of shingles; empty when there are fewer than ``size`` words.
    """
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def shingles(text: str, *, size: int) -> set[bytes]:
    """Word ``size``-grams of a text, lower-cased, as bytes (the MinHash input)."""
    return shingles_of(words(text), size=size)
