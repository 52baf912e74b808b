"""Which outlet published an article, from the hints the input gives, through the registry.

Hints, most trusted first: the URL the article came from (container metadata, the page's
canonical URL, an "Original url:" line), the outlet named by the container (JSON
``source``, feed title, HTML site name), a credit line ("Credit: RT News"), a wire
dateline ("MOSCOW (Sputnik) -"), a bare site line at the top ("gazzeta.in.ua"), a "Source:"
line (only when the registry knows the name: it usually credits data). Each hint
is looked up in the outlet registry; an unknown domain is kept as the outlet's name (better
than nothing, and honest), an unknown name likewise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "MOSCOW (Sputnik) - ", "WASHINGTON, Nov 7 (Reuters) - ", "KYIV, Ukraine (AP) — ", "BEIJING, Sept. 15 (Xinhua) --"
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ][A-Za-zÀ-ÖØ-öø-ÿА-Яа-яЁёІіЇїЄє .'\-]{1,40})"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,3})?"
    r"\s*\((?P<agency>[A-Z][\w .&\-]{1,30}|[А-ЯІЇЄ][\w .&\-]{1,30})\)\s*(?:[-–—]{1,2}|:)\s*\S"
)
# A party-state label after a politician's name is not a wire agency: "Rep. Trey Gowdy
# (R-S.C.):" opening a transcript excerpt (PolNeAR, Washington Post) read as outlet "R-S.C.".
_PARTY_STATE = re.compile(r"^[RDI]\s?-\s?[A-Z][A-Za-z. ]{0,20}$")
_URLISH = re.compile(r"^(?:https?://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/|$)", re.I)

# Hint kinds in order of trust. Coupled to the ``kind`` values produced in extract/__init__.py.
# The container's own fields (a JSON record's url/domain/outlet) outrank what the text says
# about itself; an "Original url:" line outranks credit lines and datelines.
HINT_ORDER = (
    "url", "domain", "outlet", "canonical-url", "sitename", "original-url", "credit", "source-line", "dateline",
    "site-line", "feed-title",
)


@dataclass(frozen=True, slots=True)
class OutletHint:
    """One piece of evidence about the outlet: a URL/domain or a name, and where it was found."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class ResolvedOutlet:
    """The outlet chosen, the domain it is known by, and how it was found."""

    name: str
    domain: str | None
    how: str
    registry_id: str | None


def dateline_agency(paragraph: str) -> str | None:
    """The agency named in a wire dateline at the start of a paragraph, e.g. ``MOSCOW (Sputnik) -``."""
    m = _DATELINE.match(paragraph)
    if m is None:
        return None
    agency = m.group("agency").strip()
    return None if _PARTY_STATE.match(agency) else agency


def repair_url(value: str) -> str:
    """Remove whitespace a scraper inserted inside a URL (``.../possible-put in-trump-call``)."""
    value = value.strip().strip("<>\"'")
    return re.sub(r"\s+", "", value)


def resolve_outlet(hints: list[OutletHint], registry: object | None) -> ResolvedOutlet | None:
    """Choose the outlet from the hints, most trusted first.

    Args:
        hints: evidence found in the input.
        registry: an :class:`storydesk.outlets.OutletRegistry` (or None: names are kept as found).

    Returns:
        The resolved outlet, or None when there is no evidence at all.
    """
    order = {k: i for i, k in enumerate(HINT_ORDER)}
    ranked = sorted((h for h in hints if h.value and h.value.strip()), key=lambda h: order.get(h.kind, len(order)))
    fallback: ResolvedOutlet | None = None
    for hint in ranked:
        value = hint.value.strip()
        is_domain = hint.kind in ("url", "original-url", "canonical-url", "domain") or (
            hint.kind in ("site-line", "outlet", "sitename") and _URLISH.match(value) is not None
        )
        if is_domain:
            domain = _registrable(value, registry)
            if not domain:
                continue
            outlet = registry.by_domain(value) if registry is not None else None  # type: ignore[attr-defined]
            if outlet is not None:
                return ResolvedOutlet(outlet.name, domain, f"{hint.kind}: {value}", outlet.id)
            if fallback is None:
                fallback = ResolvedOutlet(domain, domain, f"{hint.kind}: {value} (domain not in the outlet registry)", None)
            continue
        outlet = registry.by_name(value) if registry is not None else None  # type: ignore[attr-defined]
        if outlet is not None:
            domain = outlet.domains[0] if outlet.domains else None
            if fallback is not None and fallback.domain and fallback.domain in outlet.domains:
                return ResolvedOutlet(outlet.name, fallback.domain, fallback.how, outlet.id)
            if fallback is None:
                return ResolvedOutlet(outlet.name, domain, f"{hint.kind}: {value}", outlet.id)
            continue
        # A name the registry does not know stands as the outlet only for these kinds: not a
        # "source-line", which names the outlet only if the registry knows the name ("Source:
        # NATO." credits a chart's data (PolNeAR, Washington Post); "Source: Reuters" does).
        if fallback is None and hint.kind in ("outlet", "sitename", "credit", "dateline", "feed-title"):
            fallback = ResolvedOutlet(" ".join(value.split()), None, f"{hint.kind}: {value} (name not in the outlet registry)", None)
    return fallback


def _registrable(value: str, registry: object | None) -> str | None:
    try:
        from storydesk.outlets import registrable_domain
    except ImportError:  # pragma: no cover - the registry module ships with the package
        registrable_domain = None
    url = repair_url(value)
    if registrable_domain is not None:
        return registrable_domain(url)
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.") or None
