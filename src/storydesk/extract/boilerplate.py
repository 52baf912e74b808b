"""Recognise paragraphs that are page furniture, not article text, and the hints they carry.

Each pattern below was seen in real scraped news (the five samples, the readability test
pages, news-please dumps): share/comment widgets, JavaScript prompts, image captions with a
photographer credit, "Related article:" links, "Original url:" lines, credit lines. Some
furniture carries metadata (the original URL, the outlet in a credit line), so
classification returns the hint alongside the verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

# Whole-paragraph widget labels (optionally with a count: "Comments (3)", "Share 12"), also
# two run together ("Advertisement Continue reading the main story", NYT pages in news-please dumps).
_WIDGET = re.compile(
    r"^(?:(?:advertisement|advert|sponsored)\s+)?(?:continue reading(?: the (?:main )?(?:story|article))?|share(?: this(?: article| story| page)?| on \w+)?|comments?|\d+ comments?|print|e-?mail|tweet|save|like|reply|"
    r"follow|subscribe|advertisement|advert|ad|sponsored(?: content)?|read more|read next|more|menu|home|search|"
    r"log ?in|sign ?in|sign ?up|register|close|skip to (?:main )?content|back to top|next article|previous article|"
    r"listen(?: to this article)?|play|watch|video|photo|photos|gallery|loading\.*|related|tags?|topics?|"
    r"copy link|link copied|copied|facebook|twitter|x|telegram|whatsapp|linkedin|vk|reddit|"
    r"поделиться|комментарии|комментарі|поділитися|реклама|читать далее|читати далі)"
    r"\s*[:(]?\s*\d*\)?$",
    _I,
)
_JS_AND_COOKIES = re.compile(
    r"enable javascript|javascript (?:is )?(?:disabled|required)|powered by disqus|your browser does not support|"
    r"we use cookies|use of cookies|accept (?:all )?cookies|cookie (?:policy|settings)|"
    r"sign up for (?:our|the) [\w ]*newsletter|subscribe to (?:our|the) [\w ]*(?:newsletter|channel|telegram)|"
    r"join (?:us|our [\w ]*) on telegram|follow (?:us|[\w ]{1,30}) on (?:twitter|x|facebook|telegram|instagram|google news)|"
    r"download (?:our|the) app|click here to|story continues below|this (?:article|content) is (?:only )?available|"
    r"all rights reserved|reproduction (?:in whole or in part )?(?:is )?(?:prohibited|forbidden)|"
    r"chat with us (?:in|on) (?:facebook )?messenger|find out what's happening in the world as it unfolds|"
    r"если вы нашли ошибку|якщо ви знайшли помилку|подписывайтесь на|підписуйтесь на",
    _I,
)
# Every alternative of _JS_AND_COOKIES contains one of these (lower-case). Python's re tries
# each alternative at each position (~85 us a paragraph, the costliest check of the whole
# extract stage); a substring test first is ~40x cheaper. Coupled to _JS_AND_COOKIES.
_NOTICE_KEYS = (
    "javascript", "disqus", "browser", "cookie", "newsletter", "subscribe", "telegram", "follow", "download",
    "click here", "continues below", "available", "rights reserved", "reproduction", "messenger", "unfolds",
    "ошибк", "помилк", "подписывайтесь", "підписуйтесь",
)
_RELATED = re.compile(
    r"^(?:related(?: articles?| stories| news| content| coverage)?|read also|also read|read more|see also|more on this(?: story)?|"
    r"recommended|you may also like|more from [\w ]+|further reading|"
    r"читайте также|читайте також|смотрите также|дивіться також|по теме|по темі)\s*[:\-–—|>]\s*\S.*$",
    _I,
)
_ORIGINAL_URL = re.compile(r"^(?:original (?:url|link|article|source)|source url|canonical(?: url)?|url)\s*:\s*(\S.*)?$", _I)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+(?: \S+){0,2}$", _I)
_CREDIT = re.compile(
    r"^(?P<word>credit|source|courtesy(?: of)?|via|источник|джерело|quelle|fuente)\s*[:\-–—]\s*(\S.{0,80})$", _I
)
# "Source: NATO." under a chart credits the data, not the article ("Credit: RT News" names the
# outlet): such a line is an outlet hint only when the registry knows the name (outlet.py).
_DATA_CREDIT_WORDS = ("source", "courtesy", "источник", "джерело", "quelle", "fuente")
_PHOTO_LINE = re.compile(
    # The separator is a colon, a slash or a spaced dash: "Photo - Reuters", not "Picture-in-Picture".
    r"^(?:photo|image|picture|illustration|video|foto|фото|иллюстрация|ілюстрація|file photo)\s*(?:credit)?"
    r"(?:\s*[:/]|\s+[\-–—])\s*\S.{0,150}$", _I
)
# Site registration lines in page footers ("Registration Number: 130349", "License for
# publishing multimedia online 0108263"): a licence word, no other number, ending in a long one.
_REGISTRATION = re.compile(r"^(?:(?:licen[cs]e|registration|icp)\b[^\d]{0,60}\d{5,}\s*)+$", _I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)\s*.{0,120}$", _I)
# A caption ending with a photographer/agency credit: "... Peskov. Arthur Novosiltsev / Moskva News Agency",
# "(AP Photo/Evan Vucci)", "Photo: Reuters", "Getty Images". Only short paragraphs qualify.
_CAPTION_CREDIT = re.compile(
    r"(?:"
    r"[.!?]\s+[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3}\s*/\s*[A-Z][\w&.'\- ]{1,60}"  # Name / Agency
    r"|\((?:AP|AFP|Reuters|EPA|Getty|TASS|Sputnik|RIA Novosti|Xinhua|Anadolu)[^)]{0,60}\)"  # (AP Photo/...)
    r"|(?:photo|image|picture)(?: by)?\s*[:/]\s*[\w .'/&\-]{2,60}"
    r"|getty images|shutterstock|\bistock\b|\bepa-efe\b|/\s*(?:AP|AFP|Reuters|EPA|TASS|Sputnik)"
    r")\.?\s*$",
    re.UNICODE,
)
# A separator line: no letter or digit at all ("___.", "* * *", "---"; AP live blogs).
_SEPARATOR = re.compile(r"^[\W_]+$")
# A photo credit standing alone: "Getty/Instagram.", "AP Photo/Evan Vucci", "Reuters / Pool".
_STANDALONE_CREDIT = re.compile(
    r"^[\w.&' -]{1,40}/\s?[\w.&' -]{1,40}\.?$"
)
_CREDIT_WORDS = re.compile(
    r"\b(?:getty|ap|afp|reuters|epa|instagram|twitter|facebook|shutterstock|images?|photo|handout|tass|sputnik|"
    r"ria|pool|file|courtesy|xinhua|anadolu)\b", _I,
)
MAX_CAPTION_CHARS = 250
# Every alternative of _CAPTION_CREDIT needs a slash, a parenthesis or one of these words.
# Coupled to _CAPTION_CREDIT.
_CAPTION_KEYS = ("photo", "image", "picture", "getty", "shutterstock", "istock", "epa-efe")
# Longest widget label: "Advertisement Continue reading the main story" is 45.
MAX_WIDGET_CHARS = 60


@dataclass(frozen=True, slots=True)
class Furniture:
    """A paragraph recognised as page furniture; ``hint`` carries metadata it holds."""

    reason: str
    hint_kind: str | None = None
    hint: str | None = None


def classify(paragraph: str) -> Furniture | None:
    """Say whether a paragraph is page furniture, and what metadata it carries.

    Args:
        paragraph: one normalised paragraph.

    Returns:
        None for article text; otherwise why it is furniture, with an optional hint
        (``original-url``/``url`` → a URL, ``credit`` → an outlet name, ``source-line`` → a
        name that may be an outlet or a data source).
    """
    p = paragraph.strip()
    if not p:
        return Furniture("empty")
    if len(p) <= MAX_WIDGET_CHARS and _WIDGET.match(p):
        return Furniture("widget label")
    if _SEPARATOR.match(p):
        return Furniture("separator line")
    if len(p) <= 80 and _STANDALONE_CREDIT.match(p) and _CREDIT_WORDS.search(p):
        return Furniture("photo credit")
    if m := _ORIGINAL_URL.match(p):
        return Furniture("original url line", "original-url", m.group(1))
    if _URL_LINE.match(p):
        return Furniture("bare url", "url", p)
    if m := _CREDIT.match(p):
        kind = "source-line" if m.group("word").lower().startswith(_DATA_CREDIT_WORDS) else "credit"
        return Furniture("credit line", kind, m.group(2).strip())
    if len(p) <= 300 and _RELATED.match(p):
        return Furniture("related-article link")
    if len(p) <= 200 and _PHOTO_LINE.match(p):
        return Furniture("photo credit")
    if _COPYRIGHT.match(p):
        return Furniture("copyright notice")
    if len(p) <= 120 and _REGISTRATION.match(p):
        return Furniture("site registration line")
    if len(p) > 400:
        return None
    low = p.lower()
    if any(k in low for k in _NOTICE_KEYS) and _JS_AND_COOKIES.search(p):
        return Furniture("site notice")
    if (len(p) <= MAX_CAPTION_CHARS and ("/" in p or "(" in p or any(k in low for k in _CAPTION_KEYS))
            and _CAPTION_CREDIT.search(p) and not _looks_like_quote(p)):
        return Furniture("image caption with credit")
    return None


def _looks_like_quote(p: str) -> bool:
    return any(q in p for q in "\"“”«»")
