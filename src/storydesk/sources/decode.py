"""Bytes to text: detect binaries, find the encoding, or say why the input cannot be read.

Real feeds and scraped folders contain cp1251 Russian pages, latin-1 European ones, UTF-16
exports from Windows tools, PDFs and images saved with a .html name, and empty files. The
rule here: decode when the encoding can be determined with confidence (a BOM, a valid
UTF-8 byte sequence, a declared charset that decodes cleanly, or a detector verdict with a
low mess ratio) and record which encoding was used; reject otherwise. Rejecting a cp1251
article would lose real Russian news, so it is decoded, not refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Magic numbers of formats people save by mistake among articles. (offset 0)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"RIFF", "a RIFF media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"SQLite format 3", "an SQLite database"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

# charset-normalizer's "chaos" (mess ratio) above which we do not trust a guessed
# encoding. Tuned on cp1251/latin-1/cp1252 news text (chaos < 0.05) vs random bytes
# and wrong-codec decodes (chaos > 0.3); 0.2 leaves margin on both sides.
_MAX_CHAOS = 0.2

# Share of control characters (other than whitespace) above which decoded text is
# treated as binary. Real text has essentially none.
_MAX_CONTROL_SHARE = 0.01
# C0 control characters other than whitespace (\t \n \v \f \r are 0x09-0x0d).
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Bytes that occur in text; the others (NUL and other C0 controls) mark a binary.
_TEXT_BYTES = bytes(b for b in range(256) if b >= 32 or chr(b) in "\t\n\r\f\v")
# Python text codecs that are not charsets of any real page (see :func:`_text_codec`).
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode"})
# Share of NUL bytes on one byte parity that marks UTF-16 text without a byte-order mark:
# Cyrillic UTF-16 news text has ~15% (spaces, digits, punctuation), Latin ~50%.
_UTF16_MIN_NUL_SHARE = 0.08


@dataclass(frozen=True, slots=True)
class Decoded:
    """Successfully decoded text and the encoding used."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class Undecodable:
    """Why bytes could not be decoded: ``code`` is a rejection code, ``detail`` a sentence."""

    code: str
    detail: str


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data`` if its magic number says so, else None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def decode(data: bytes, *, declared: str | None = None) -> Decoded | Undecodable:
    """Decode bytes to text, or explain why not.

    Args:
        data: the raw bytes.
        declared: an encoding declared out of band (HTTP ``Content-Type`` charset).

    Returns:
        :class:`Decoded` or :class:`Undecodable` (``empty``, ``binary`` or ``encoding``).
    """
    if not data or not data.strip():
        return Undecodable("empty", "the input is empty (or only whitespace)")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                return Undecodable("encoding", f"starts with a {enc} byte-order mark but is not valid {enc}: {exc.reason}")
    magic = sniff_binary(data)
    if magic:
        return Undecodable("binary", f"the input is {magic}, not a text or HTML article")
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16:
            try:
                return _checked(data.decode(utf16), utf16)
            except UnicodeDecodeError:
                pass
        if len(head.translate(None, _TEXT_BYTES)) > _MAX_CONTROL_SHARE * len(head):
            return Undecodable("binary", "the input contains NUL bytes: it is a binary file, not text")
        # A few stray NULs in text (a faulty export) carry nothing: drop them, decode the rest.
        data = data.replace(b"\x00", b"")
    utf8 = _multibyte_utf8(data)
    if utf8 is not None:
        # Valid UTF-8 with multi-byte sequences is practically never a legacy 8-bit text by
        # accident, while pages declaring windows-1251 or latin-1 but saved as UTF-8 are common
        # (decoding them as declared would turn every letter into mojibake).
        return _checked(utf8, "utf-8")
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        m = pattern.search(head)
        if m:
            candidates.append(m.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for enc in candidates:
        codec = _text_codec(enc)
        if codec is None:
            continue  # a misspelt or bogus declaration: fall through to the next candidate
        try:
            return _checked(data.decode(codec), codec)
        except (UnicodeError, LookupError):
            # UnicodeError, not only UnicodeDecodeError: some codecs raise the base class
            # ("undefined encoding"); LookupError in case a codec refuses bytes input.
            continue
    return _guess(data)


def _text_codec(name: str) -> str | None:
    """The canonical codec name when ``name`` is a charset that turns bytes into text, else None.

    A declared charset comes from the page, its HTTP header or its WARC record, i.e. from
    anyone: ``<meta charset="base64">`` names a real Python codec, but a bytes-to-bytes one
    (base64, hex, zlib, rot13 refuse ``bytes.decode`` with LookupError), and a few text codecs
    are Python artefacts no page is ever written in (``undefined`` always fails,
    ``unicode_escape`` would rewrite backslashes). Those are ignored like unknown names.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit on one byte parity only, as in UTF-16 text.

    Latin-script UTF-16 has a NUL in nearly every other byte; Cyrillic or Greek has one in
    the spaces, digits and punctuation (~15%); binaries have NULs on both parities.
    """
    even, odd = head[0::2], head[1::2]
    if not even or not odd:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd >= _UTF16_MIN_NUL_SHARE and nul_even <= _MAX_CONTROL_SHARE:
        return "utf-16-le"
    if nul_even >= _UTF16_MIN_NUL_SHARE and nul_odd <= _MAX_CONTROL_SHARE:
        return "utf-16-be"
    return None


def _multibyte_utf8(data: bytes) -> str | None:
    """The text, when ``data`` is valid UTF-8 and not plain ASCII."""
    if data.isascii():
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _guess(data: bytes) -> Decoded | Undecodable:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - core dependency
        return Undecodable("encoding", "not UTF-8 and no encoding detector is installed (pip install charset-normalizer)")
    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return Undecodable(
            "encoding",
            "not valid UTF-8 and the encoding could not be determined with confidence; "
            "re-save the file as UTF-8 or declare its charset",
        )
    try:
        text = data.decode(best.encoding)
    except (UnicodeError, LookupError):
        return Undecodable("encoding", f"looked like {best.encoding} but does not decode as it")
    return _checked(text, _canonical(best.encoding))


def _checked(text: str, encoding: str) -> Decoded | Undecodable:
    if not text.strip():
        return Undecodable("empty", "the input is empty (or only whitespace)")
    sample = text[:20000]
    control = len(_CONTROL_CHAR.findall(sample))
    if control > _MAX_CONTROL_SHARE * len(sample):
        return Undecodable("binary", "the input is mostly control characters: a binary file, not text")
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)


def _canonical(enc: str) -> str:
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return enc.lower()
