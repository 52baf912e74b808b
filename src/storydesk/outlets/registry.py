"""The outlet registry: map a domain or a name found in an article to a canonical outlet.

The extract stage finds outlet hints in an article (the URL's domain, a credit line
"Credit: RT News", a wire dateline "MOSCOW (Sputnik)", a site line "gazzeta.in.ua",
HTML metadata) and resolves them here; the framing feature shows each outlet's profile
(country, ownership, state affiliation and the basis for it).

The packaged data (``outlets.json``) is curated by hand: every profile field is either
established public fact, with its basis named, or null. ``state_affiliation`` speaks about
the outlet's relation to the state (ownership, control, funding), never about its
editorial line: ``independent`` means privately owned or non-profit with no state
ownership, control or main state funding.

Suffix handling: the registrable domain ("eTLD+1") is computed with the Public Suffix List
that the ``tld`` package ships inside its wheel (``tld`` is installed with trafilatura, via
courlan). ``tld`` reads its bundled copy and only fetches a new one when
``tld.update_tld_names()`` is called, which this module never does, so no network is used.
Private-section suffixes are honoured, so each ``*.blogspot.com`` or ``*.msk.ru`` site counts
as its own site (``echo.msk.ru`` is Ekho Moskvy, not all of ``msk.ru``). When ``tld`` cannot
be imported, a compact built-in list of the multi-part suffixes news sites use
(:data:`_FALLBACK_SUFFIXES`) takes over and a warning is logged once.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)

# The allowed values of Outlet.state_affiliation (None means unknown).
STATE_AFFILIATIONS = frozenset({
    # owned and governed by a state or ruling party, without statutory editorial independence
    "state-controlled",
    # public service media: state or licence funded, editorial independence set in law
    "state-funded-editorially-independent",
    "government-funded international broadcaster",  # VOA, RFE/RL, Al Jazeera, TRT World...
    "independent",  # privately owned or non-profit; no state ownership, control or main state funding
})

# The allowed values of Outlet.kind (None means not a news outlet we can classify).
KINDS = frozenset({
    "news agency", "broadcaster", "newspaper", "online", "magazine",
    "aggregator",  # portals that mostly republish others' stories (Yahoo News, MSN)
    "press office",  # official or corporate sites quoted as sources (kremlin.ru, blog.google)
})

_RECORD_FIELDS = (
    "id", "name", "domains", "aliases", "country", "languages",
    "ownership", "state_affiliation", "basis", "kind",
)
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")


class OutletDataError(ValueError):
    """An outlet record is malformed; the message names the record and the field to fix."""


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet and its profile.

    Attributes:
        id: stable slug (``rt``, ``sputnik``, ``moscow-times``).
        name: canonical display name (``RT``, ``The Moscow Times``).
        domains: hosts the outlet publishes under, registrable domains first; a host below
            a registrable domain (``abcnews.go.com``) claims only that subtree.
        aliases: other names seen in bylines, credits and datelines (``RT News``).
        country: ISO 3166-1 alpha-2 code of where it is based or registered (for media in
            exile, where it works now; ``basis`` says so), or None when unknown.
        languages: ISO 639-1 codes of the languages it publishes in.
        ownership: who owns it, in a few words, or None when unknown.
        state_affiliation: one of :data:`STATE_AFFILIATIONS`, or None when unknown.
        basis: the facts the ownership and affiliation rest on, with sources named.
        kind: one of :data:`KINDS`, or None.
    """

    id: str
    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    country: str | None = None
    languages: tuple[str, ...] = ()
    ownership: str | None = None
    state_affiliation: str | None = None
    basis: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The outlet as a JSON-ready dict (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


# --------------------------------------------------------------------------- hosts and domains

_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_AUTHORITY_END_RE = re.compile(r"[/?#\\]")
_LABEL_RE = re.compile(r"^[^\W_](?:[\w-]{0,61}[^\W_])?$")
_IPV4_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
# Dots that IDNA treats as label separators (ideographic and halfwidth full stops).
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
# Web archive and proxy wrappers whose real site is inside the URL.
_WAYBACK_HOSTS = frozenset({"web.archive.org", "wayback.archive.org", "archive.org"})
_WAYBACK_PATH_RE = re.compile(r"^/web/\d{1,14}[a-z_]*/(?P<inner>.+)$", re.IGNORECASE)
_GOOGLE_AMP_PATH_RE = re.compile(r"^/amp/(?:s/)?(?P<inner>[^/?#]+\.[^/?#]+.*)$", re.IGNORECASE)
_ENCODED_HOST_SUFFIXES = (".cdn.ampproject.org", ".translate.goog")


def normalise_host(url_or_host: str) -> str | None:
    """The lower-case Unicode host of a URL, host or domain, or None when there is none.

    Tolerates what scrapers produce: surrounding text before the scheme, stray spaces
    inside the URL, ports, user info, trailing dots, punycode, fullwidth dots. Unwraps the
    Wayback Machine, Google AMP viewer, AMP cache and Google Translate proxy hosts to the
    site they show.

    Args:
        url_or_host: ``https://www.rt.com/news/1/``, ``www.rt.com:443``, ``rt.com``...

    Returns:
        The host (``www.rt.com``), or None when the text holds no plausible host name.
    """
    if not isinstance(url_or_host, str):
        raise TypeError(f"normalise_host expects a str, got {type(url_or_host).__name__}")
    return _normalise_host(url_or_host, depth=0)


def _normalise_host(text: str, depth: int) -> str | None:
    s = unicodedata.normalize("NFKC", text).translate(_DOTS).strip().strip("<>\"'()[]")
    if not s:
        return None
    scheme = _SCHEME_RE.search(s)
    if scheme:
        s = s[scheme.end():]
    elif s.startswith("//"):
        s = s[2:]
    cut = _AUTHORITY_END_RE.search(s)
    authority, rest = (s[: cut.start()], s[cut.start():]) if cut else (s, "")
    authority = _join_broken_authority(authority, had_scheme=scheme is not None)
    if not authority:
        return None
    authority = authority.rpartition("@")[2]
    if authority.startswith("["):  # IPv6 literal: no registrable domain, never an outlet
        return None
    host = authority.split(":", 1)[0].strip(".").lower()
    if not host:
        return None
    labels = [_decode_label(label) for label in host.split(".")]
    if any(not _LABEL_RE.match(label) for label in labels):
        return None
    host = ".".join(labels)
    if depth < 2:
        inner = _unwrap(host, rest)
        if inner is not None:
            return _normalise_host(inner, depth + 1) or host
    return host


def _join_broken_authority(authority: str, *, had_scheme: bool) -> str:
    """Repair a host a scraper broke with whitespace (``www. rt.com``), else cut at the space."""
    tokens = authority.split()
    if not tokens:
        return ""
    host = tokens[0]
    if had_scheme:
        for token in tokens[1:]:
            if host.endswith(".") or token.startswith("."):
                host += token
            else:
                break
    return host


def _decode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna").lower()
        except (UnicodeError, ValueError):
            return label
    return label


def _unwrap(host: str, rest: str) -> str | None:
    """The wrapped site's URL or host when ``host`` is an archive or proxy, else None."""
    if host in _WAYBACK_HOSTS:
        m = _WAYBACK_PATH_RE.match(rest)
        return m.group("inner") if m else None
    labels = host.split(".")
    if "google" in labels[-3:-1]:  # google.com, www.google.co.uk: the AMP viewer
        m = _GOOGLE_AMP_PATH_RE.match(rest)
        return m.group("inner") if m else None
    for suffix in _ENCODED_HOST_SUFFIXES:
        if host.endswith(suffix) and host.count(".") == suffix.count("."):
            # AMP cache / translate proxy encoding: "-" stands for ".", "--" for "-".
            encoded = host[: -len(suffix)]
            return encoded.replace("--", "\0").replace("-", ".").replace("\0", "-")
    return None


def registrable_domain(url_or_host: str) -> str | None:
    """The registrable domain (public suffix plus one label) of a URL, host or domain.

    Args:
        url_or_host: ``https://edition.cnn.com/x``, ``news.bbc.co.uk``, ``gazzeta.in.ua``...

    Returns:
        ``cnn.com``, ``bbc.co.uk``, ``gazzeta.in.ua``; None for IP addresses, single-label
        hosts, bare public suffixes (``co.uk``) and text that holds no host.
    """
    host = normalise_host(url_or_host)
    return _registrable(host) if host else None


@functools.lru_cache(maxsize=8192)
def _registrable(host: str) -> str | None:
    if "." not in host or _IPV4_RE.match(host):
        return None
    psl = _psl_lookup()
    if psl is not None:
        found = psl(host, fix_protocol=True, as_object=True, fail_silently=True, search_private=True)
        if found is not None:
            # tld answers a bare suffix ("co.uk") with itself; a suffix has no registrable domain.
            return None if found.fld == found.tld else found.fld
    return _fallback_registrable(host)


@functools.cache
def _psl_lookup() -> Any | None:
    try:
        from tld import get_tld
    except ImportError:
        log.warning("the 'tld' package is not installed: using a built-in list of multi-part suffixes "
                    "for registrable domains (pip install tld for the full Public Suffix List)")
        return None
    return get_tld


# Multi-part public suffixes that news sites commonly sit under, for when `tld` is missing.
# Not the whole PSL: a host under a suffix missing here gets its last two labels.
_FALLBACK_SUFFIXES = frozenset("""
co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk net.uk
com.au net.au org.au gov.au edu.au co.nz org.nz govt.nz
co.jp ne.jp or.jp ac.jp go.jp co.kr or.kr go.kr re.kr ne.kr
com.cn net.cn org.cn gov.cn edu.cn com.hk org.hk gov.hk com.tw org.tw gov.tw idv.tw
com.sg gov.sg com.my gov.my co.id or.id go.id com.ph com.vn gov.vn co.th or.th go.th
co.in net.in org.in gov.in nic.in com.pk gov.pk com.bd
co.il org.il gov.il ac.il com.tr gov.tr org.tr net.tr
com.eg org.eg gov.eg com.sa org.sa gov.sa com.qa org.qa gov.qa
com.lb org.lb gov.ae co.ae com.jo com.kw net.kw gov.kw org.kw com.om com.sy gov.sy
com.iq gov.iq co.ir gov.ir org.ir ac.ir
com.ua in.ua org.ua net.ua gov.ua kiev.ua kyiv.ua od.ua co.ua biz.ua
com.ru msk.ru spb.ru net.ru org.ru pp.ru com.by gov.by org.by net.by com.kz gov.kz org.kz
com.ge org.ge gov.ge com.md gov.md co.rs org.rs gov.rs com.pl gov.pl org.pl net.pl
com.br gov.br org.br com.ar gov.ar com.mx gob.mx org.mx com.co gov.co com.ve gob.ve com.cu
co.za gov.za org.za com.ng gov.ng co.ke or.ke go.ke
co.at or.at gv.at ac.at com.es gob.es org.es com.pt gov.pt com.gr gov.gr com.cy
rep.kp gov.kp com.kp
""".split())


def _fallback_registrable(host: str) -> str | None:
    labels = host.split(".")
    if len(labels) < 2:
        return None
    for size in (3, 2):  # longest known multi-part suffix wins
        if len(labels) > size - 1 and ".".join(labels[-size:]) in _FALLBACK_SUFFIXES:
            if len(labels) == size:
                return None  # the host is itself a public suffix
            return ".".join(labels[-size - 1:])
    return ".".join(labels[-2:])


# --------------------------------------------------------------------------- names

_POSSESSIVE_RE = re.compile(r"['\u2019\u02bc]s$")
_NON_WORD_RE = re.compile(r"[\W_]+")


def normalise_name(text: str) -> str:
    """The key a name is matched by: case-, accent- and punctuation-insensitive.

    ``The Washington Post's`` → ``the washington post``; ``Aktuálně.cz`` → ``aktualne cz``;
    ``RBC-Ukraine`` → ``rbc ukraine``; ``Mac & i`` → ``mac and i``. A leading "the" is kept
    (``The Insider`` and ``Insider`` are different outlets); :meth:`OutletRegistry.by_name`
    tries the key with "the" toggled when the exact key is unknown.

    Args:
        text: a name as found in an article or its metadata.

    Returns:
        The normalised key, or ``""`` when nothing is left.
    """
    s = unicodedata.normalize("NFKC", text).casefold().strip()
    s = _POSSESSIVE_RE.sub("", s).replace("&", " and ")
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return _NON_WORD_RE.sub(" ", s).strip()


def _toggle_article(key: str) -> str:
    """``the moscow times`` ↔ ``moscow times``: the fallback key for a name."""
    return key[4:] if key.startswith("the ") else f"the {key}"


_SEGMENT_SPLIT_RE = re.compile(r"\s+[|\-\u2013\u2014\u00b7\u2022]\s+|\s*:\s+")
_DOMAIN_LIKE_RE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://)?[^\s/]+\.[^\s/.]{2,}(?:[/:?#].*)?$", re.IGNORECASE)


# --------------------------------------------------------------------------- records


def _outlet_from_record(record: Mapping[str, Any], where: str) -> Outlet:
    if not isinstance(record, Mapping):
        raise OutletDataError(f"{where}: an outlet record must be a JSON object, got {type(record).__name__}")
    unknown = set(record) - set(_RECORD_FIELDS)
    if unknown:
        allowed = ", ".join(_RECORD_FIELDS)
        raise OutletDataError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {allowed}")
    oid = record.get("id")
    if not isinstance(oid, str) or not _ID_RE.match(oid):
        raise OutletDataError(f"{where}: 'id' must be a lower-case slug like 'moscow-times', got {oid!r}")
    where = f"{where} (id {oid!r})"
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise OutletDataError(f"{where}: 'name' must be a non-empty string")

    def strings(key: str) -> tuple[str, ...]:
        value = record.get(key) or ()
        if isinstance(value, str) or not all(isinstance(v, str) and v.strip() for v in value):
            raise OutletDataError(f"{where}: '{key}' must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def optional(key: str) -> str | None:
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise OutletDataError(f"{where}: '{key}' must be a non-empty string or null")
        return value.strip()

    domains = strings("domains")
    for domain in domains:
        if normalise_host(domain) != domain or domain.startswith("www."):
            raise OutletDataError(f"{where}: domain {domain!r} must be a bare lower-case host without 'www.'")
        if registrable_domain(domain) is None:
            raise OutletDataError(f"{where}: domain {domain!r} is a public suffix or not a domain")
    country = optional("country")
    if country is not None and not _COUNTRY_RE.match(country):
        raise OutletDataError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code like 'RU', "
                              f"got {country!r}")
    languages = strings("languages")
    for lang in languages:
        if not _LANGUAGE_RE.match(lang):
            raise OutletDataError(f"{where}: language {lang!r} must be an ISO 639-1 code like 'en'")
    affiliation = optional("state_affiliation")
    if affiliation is not None and affiliation not in STATE_AFFILIATIONS:
        raise OutletDataError(f"{where}: 'state_affiliation' {affiliation!r} is not one of "
                              f"{sorted(STATE_AFFILIATIONS)}")
    basis = optional("basis")
    if affiliation is not None and basis is None:
        raise OutletDataError(f"{where}: a state_affiliation needs a 'basis' saying what it rests on")
    kind = optional("kind")
    if kind is not None and kind not in KINDS:
        raise OutletDataError(f"{where}: 'kind' {kind!r} is not one of {sorted(KINDS)}")
    return Outlet(
        id=oid, name=name.strip(), domains=domains, aliases=strings("aliases"), country=country,
        languages=languages, ownership=optional("ownership"), state_affiliation=affiliation, basis=basis,
        kind=kind,
    )


# --------------------------------------------------------------------------- registry


class OutletRegistry:
    """Canonical outlets, looked up by domain, name or id.

    Build one with :meth:`default` (the packaged data, loaded once per process),
    :meth:`from_records` or :meth:`from_json`. A registry is immutable once built.
    """

    __slots__ = ("_outlets", "_by_id", "_by_domain", "_by_key", "_name_keys", "meta")

    def __init__(self, outlets: Iterable[Outlet], *, meta: Mapping[str, Any] | None = None):
        """Index outlets; raise :class:`OutletDataError` on a duplicate id or domain."""
        self._outlets: tuple[Outlet, ...] = tuple(outlets)
        self._by_id: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        by_key: dict[str, set[str]] = {}
        self._name_keys: dict[str, str] = {}
        for outlet in self._outlets:
            if outlet.id in self._by_id:
                raise OutletDataError(f"duplicate outlet id {outlet.id!r}")
            self._by_id[outlet.id] = outlet
            for domain in outlet.domains:
                other = self._by_domain.get(domain)
                if other is not None:
                    raise OutletDataError(
                        f"domain {domain!r} is claimed by both {other.id!r} and {outlet.id!r}")
                self._by_domain[domain] = outlet
            self._name_keys[outlet.id] = normalise_name(outlet.name)
            for label in (outlet.name, *outlet.aliases):
                key = normalise_name(label)
                if key:
                    by_key.setdefault(key, set()).add(outlet.id)
        self._by_key: dict[str, tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in by_key.items()}
        self.meta: Mapping[str, Any] = MappingProxyType(dict(meta or {}))

    @classmethod
    def default(cls) -> OutletRegistry:
        """The registry of the packaged ``outlets.json``, loaded once per process and shared."""
        return _default_registry()

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, meta: Mapping[str, Any] | None = None
    ) -> OutletRegistry:
        """Build a registry from plain dicts (the JSON records).

        Args:
            records: dicts with the :class:`Outlet` fields; ``id`` and ``name`` are required.
            meta: free-form facts about the data (``as_of``, ``source``).

        Raises:
            OutletDataError: a record is malformed, or an id or domain repeats.
        """
        return cls((_outlet_from_record(r, f"outlet record #{i}") for i, r in enumerate(records)), meta=meta)

    @classmethod
    def from_json(cls, path: str | Path) -> OutletRegistry:
        """Load a registry from a JSON file: a list of records or ``{"outlets": [...], ...}``.

        Raises:
            OutletDataError: the file is not valid JSON or a record is malformed.
            OSError: the file cannot be read.
        """
        return cls._from_text(Path(path).read_text(encoding="utf-8"), str(path))

    @classmethod
    def _from_text(cls, text: str, where: str) -> OutletRegistry:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OutletDataError(f"{where}: not valid JSON ({exc})") from exc
        if isinstance(data, list):
            return cls.from_records(data)
        if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
            raise OutletDataError(f"{where}: expected a list of outlets or an object with an 'outlets' list")
        meta = {k: v for k, v in data.items() if k != "outlets"}
        try:
            return cls.from_records(data["outlets"], meta=meta)
        except OutletDataError as exc:
            raise OutletDataError(f"{where}: {exc}") from exc

    # ----------------------------------------------------------------- lookups

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet a URL, host or domain belongs to, or None when unknown.

        Tries the host itself, then each parent down to the registrable domain, so
        ``edition.cnn.com`` and ``africa.chinadaily.com.cn`` reach their outlet while
        ``abcnews.go.com`` can belong to ABC News without claiming all of ``go.com``.

        Args:
            url_or_host: a URL (broken ones with stray spaces included), host or domain.
        """
        host = normalise_host(url_or_host)
        if host is None:
            return None
        floor = _registrable(host)
        labels = host.split(".")
        stop = len(labels) - floor.count(".") - 1 if floor else 0
        for i in range(0, stop + 1):
            outlet = self._by_domain.get(".".join(labels[i:]))
            if outlet is not None:
                return outlet
        return None

    def by_name(self, text: str) -> Outlet | None:
        """The outlet a name refers to, or None when unknown or ambiguous.

        Matching is exact on :func:`normalise_name` keys (case, accents, punctuation and a
        trailing possessive are ignored) over canonical names and aliases; when the exact
        key is unknown, the key with a leading "the" added or removed is tried. When a name
        belongs to several outlets, the one whose canonical name it is wins; if that does
        not single one out, the answer is None rather than a guess ("ABC", "CNA"). Text
        that looks like a domain or URL ("gazzeta.in.ua") falls back to :meth:`by_domain`;
        text made of parts joined by " - ", " | ", ": " (a site name and its tagline) is
        matched when its parts name exactly one outlet.

        Args:
            text: a name from a byline, credit line, dateline or site metadata.
        """
        outlet = self._by_key_of(text)
        if outlet is not None:
            return outlet
        stripped = text.strip()
        if _DOMAIN_LIKE_RE.match(stripped):
            return self.by_domain(stripped)
        # A site name with a tagline ("Aktuálně.cz - Víte, co se právě děje") or a title with
        # the outlet appended ("... | Reuters"): accepted only when the parts name one outlet.
        parts = _SEGMENT_SPLIT_RE.split(stripped)
        if len(parts) > 1:
            found = {o.id: o for o in map(self._by_key_of, parts) if o is not None}
            if len(found) == 1:
                return next(iter(found.values()))
        return None

    def _by_key_of(self, text: str) -> Outlet | None:
        key = normalise_name(text)
        if not key:
            return None
        ids = self._by_key.get(key) or self._by_key.get(_toggle_article(key))
        if not ids:
            return None
        if len(ids) == 1:
            return self._by_id[ids[0]]
        canonical = [i for i in ids if self._name_keys[i] in (key, _toggle_article(key))]
        if len(canonical) == 1:
            return self._by_id[canonical[0]]
        log.debug("outlet name %r is ambiguous: %s", text, ", ".join(ids))
        return None

    def get(self, outlet_id: str) -> Outlet | None:
        """The outlet with this id, or None."""
        return self._by_id.get(outlet_id)

    def ambiguous_names(self) -> dict[str, tuple[str, ...]]:
        """Name keys shared by several outlets, with their ids (for data review)."""
        return {k: v for k, v in self._by_key.items() if len(v) > 1}

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._outlets)

    def __len__(self) -> int:
        return len(self._outlets)

    def __contains__(self, outlet_id: object) -> bool:
        return outlet_id in self._by_id

    def __repr__(self) -> str:
        return f"OutletRegistry({len(self._outlets)} outlets)"


@functools.cache
def _default_registry() -> OutletRegistry:
    text = resources.files("storydesk.outlets").joinpath("outlets.json").read_text(encoding="utf-8")
    registry = OutletRegistry._from_text(text, "storydesk/outlets/outlets.json")
    log.debug("loaded %d outlets from the packaged registry", len(registry))
    return registry
