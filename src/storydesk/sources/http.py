"""Fetching URLs (feeds and article pages), with timeouts, a size cap and clear failures."""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from storydesk import __version__
from storydesk.config import MAX_INPUT_BYTES

log = logging.getLogger(__name__)

USER_AGENT = f"storydesk/{__version__} (news research; +https://github.com/storydesk/storydesk)"
TIMEOUT_S = 20.0
_SCHEMES = ("http", "https")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


class FetchError(Exception):
    """A URL could not be fetched; ``code`` is a rejection code, the message says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _is_web(url: object) -> bool:
    try:
        return isinstance(url, str) and urllib.parse.urlsplit(url.strip()).scheme.lower() in _SCHEMES
    except ValueError:  # "http://[::1" and the like: not a URL urllib could open either
        return False


def _shown(url: object) -> str:
    """A URL for a message: repr (so control characters show), cut to a readable length."""
    text = repr(url)
    return text if len(text) <= 200 else text[:197] + "..."


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched resource."""

    url: str
    data: bytes
    content_type: str
    charset: str | None


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_INPUT_BYTES) -> Fetched:
    """GET a URL.

    Args:
        url: http(s) URL.
        timeout: seconds for connect and each read.
        max_bytes: larger responses are refused (``too-large``).

    Returns:
        The response body and its content type.

    Raises:
        FetchError: not an http(s) URL (``unsupported``), unreachable host, HTTP error status,
            timeout, or too large.
    """
    # URLs come from untrusted input (a feed entry's <link>), and urllib also opens file://,
    # ftp:// and data: URLs: a feed linking file:///home/... would store a local file as an
    # article. Only the web is fetched; urllib's redirect handler keeps redirects on http(s)/ftp,
    # and an ftp redirect target is refused by the same check below.
    if not _is_web(url):
        raise FetchError("unsupported", f"only http(s) URLs are fetched, not {_shown(url)}")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - scheme checked above
            final = resp.geturl() or url
            if not _is_web(final):
                raise FetchError("unsupported", f"{url} redirects to {_shown(final)}, which is not an http(s) URL")
            data = resp.read(max_bytes + 1)
            ctype = resp.headers.get("Content-Type", "") or ""
    except urllib.error.HTTPError as exc:
        raise FetchError("unreachable", f"HTTP {exc.code} {exc.reason} for {url}") from exc
    except urllib.error.URLError as exc:
        raise FetchError("unreachable", f"cannot reach {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise FetchError("unreachable", f"timed out after {timeout:.0f}s fetching {url}") from exc
    except (OSError, ValueError) as exc:
        raise FetchError("unreachable", f"cannot fetch {url}: {exc}") from exc
    if len(data) > max_bytes:
        raise FetchError("too-large", f"{url} is larger than {max_bytes // (1024 * 1024)} MB")
    m = _CHARSET.search(ctype)
    return Fetched(final, data, ctype.split(";")[0].strip().lower(), m.group(1) if m else None)
