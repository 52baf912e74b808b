"""Deterministic name keys: transliteration, spelling-variant folding and entity ids.

Cross-corpus identity has to be a pure function of the name, so the same person gets
the same ``entity_id`` in every article without a shared index: "Dmitry Peskov",
"Dmitri Peskov", "Dmitriy Peskov" and "Дмитрий Песков" all fold to the key
``dmitry peskov`` and the id ``person:dmitry-peskov`` (unless the gazetteer knows the
person, whose id then wins). The folding is deliberately coarse on the spelling
variants that romanisation systems disagree on (final -y/-i/-iy/-ii/-ij, -ey/-ei,
ks/x, -iya/-ia) and leaves everything else alone, so different names do not collide
and English names keep their spelling in ids.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Russian and Ukrainian Cyrillic to Latin, close to the BGN/PCGN romanisation news
# agencies use; only the key matters, so the choice between systems is immaterial
# as long as :func:`name_key` folds their differences.
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}

_APOSTROPHES = "'’ʼʹ`´"
_VOWELS = "aeiou"


def transliterate(text: str) -> str:
    """Romanise Cyrillic letters (other characters pass through unchanged).

    Args:
        text: any text.

    Returns:
        The text with Cyrillic letters replaced by Latin ones, case preserved on the
        first letter of each replacement.
    """
    out = []
    for ch in text:
        low = ch.lower()
        rep = _CYR.get(low)
        if rep is None:
            out.append(ch)
        elif ch != low and rep:
            out.append(rep[0].upper() + rep[1:])
        else:
            out.append(rep)
    return "".join(out)


def _fold_word(word: str) -> str:
    w = word
    # Only the spellings romanisation systems disagree on are folded, so that English
    # names stay readable in ids ("donald-trump"), while "Dmitri", "Dmitriy",
    # "Dmitrii" and "Dmitry" all become "dmitry".
    w = re.sub(r"(?<=\w)x(?=[aeiou])", "ks", w)     # Alexei/Aleksei, Alexander/Aleksandr
    w = re.sub(r"(?:iy|ii|ij|yi|yy)$", "y", w)     # Dmitriy/Dmitrii/Zelenskyy -> -y
    if len(w) >= 4:
        w = re.sub(r"(?<=[rl])i$", "y", w)         # Dmitri/Yuri/Vasili -> -y (not Meloni, Ali)
    w = re.sub(r"(?<=[aeo])y(?![aeiou])", "i", w)  # Sergey/Nikolay/Shoygu -> -ei/-ai/-oi
    w = re.sub(r"iy(?=[aeou])", "i", w)            # Yuliya/Yulia, Mariya/Maria
    return w


@lru_cache(maxsize=65536)
def name_key(name: str, *, fold: bool = True) -> str:
    """Fold a name to its identity key: lowercase ASCII words, spelling variants merged.

    Args:
        name: a surface name in any script ("Dmitri Peskov", "Песков").
        fold: merge romanisation variants of personal names (off for organisations
            and places, whose spellings are fixed and whose variants the gazetteer lists).

    Returns:
        Space-separated folded words ("dmitry peskov"); empty for a name with no letters.
    """
    text = transliterate(name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    # Apostrophes and acronym dots join their letters: "O'Brien", "U.S." -> "us".
    for a in _APOSTROPHES + ".":
        text = text.replace(a, "")
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(_fold_word(w) if fold else w for w in words)


def slug(key: str) -> str:
    """Turn a name key into the id part after the label (``dmitry-peskov``)."""
    return key.replace(" ", "-")


_LABEL_PREFIX = {"PERSON": "person", "ORG": "org", "PLACE": "place", "GROUP": "group", "OTHER": "other"}


def entity_id_for(label: str, name: str) -> str:
    """Build the corpus-level id of an entity not in the gazetteer.

    Args:
        label: the entity label (PERSON, ORG, PLACE, GROUP, OTHER).
        name: its canonical name.

    Returns:
        ``"{label}:{slug}"``, e.g. ``person:dmitry-peskov``.
    """
    key = name_key(name, fold=label == "PERSON")
    if label == "ORG":
        # "The Washington Post" and "Washington Post" are one organisation.
        key = re.sub(r"^the ", "", key)
    return f"{_LABEL_PREFIX.get(label, 'other')}:{slug(key) or 'unknown'}"
