"""Build clean Article records from the sample articles (shared by the analyze tests).

Until the extract stage produces clean text, the samples' obvious boilerplate lines
(share buttons, comment widgets, "Original url:", credits, the site name) and inline
HTML underline tags are dropped, and each paragraph gets its language from its script.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from storydesk.records import Article, Paragraph

SAMPLES = Path(__file__).resolve().parents[1] / "examples" / "kremlin-trump-2024"
PUBLISHED = {"000": date(2024, 11, 7), "001": date(2024, 11, 8), "002": date(2024, 11, 8),
             "003": date(2024, 12, 6), "004": date(2024, 11, 7)}
_BOILERPLATE = {
    "Share", "Comments", "Please enable JavaScript to view the comments powered by Disqus.", "Original url:",
    "Credit: RT News", "gazzeta.in.ua", "Related article: 3 Ways Trump's Victory Will Impact the Russian Economy",
}


def sample_article(prefix: str) -> Article:
    """The sample article whose file name starts with ``prefix`` ("000" ... "004")."""
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    raw = re.sub(r"</?u>", "", path.read_text(encoding="utf-8"))
    paras = [p.strip() for p in re.split(r"\n+", raw) if p.strip()]
    paras = [p for p in paras if p not in _BOILERPLATE and not p.startswith("http")]
    text = "\n\n".join(paras)
    out, pos = [], 0
    for p in paras:
        s = text.index(p, pos)
        lang = "ru" if re.search("[а-яА-Я]{4}", p) else "en"
        out.append(Paragraph(s, s + len(p), lang))
        pos = s + len(p)
    return Article(id=f"sample-{prefix}", source=str(path), text=text, published=PUBLISHED[prefix],
                   language="en", paragraphs=tuple(out))


def all_samples() -> list[Article]:
    return [sample_article(p) for p in sorted(PUBLISHED)]
