"""Reading every supported input, and turning every bad input into a clear rejection."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from pathlib import Path

import pytest

from storydesk.extract import extract_document
from storydesk.records import RawDocument, Rejection
from storydesk.sources import read_inputs, read_path

SAMPLE = "004_d7db726c88ae4a2e.txt"


def _one(path: Path, **kw):
    items = list(read_inputs([path], **kw))
    assert len(items) == 1, items
    return items[0]


@pytest.fixture()
def sample_text(samples_dir) -> str:
    return (samples_dir / SAMPLE).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- bad input


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    r = _one(p)
    assert isinstance(r, Rejection) and r.code == "empty"


def test_whitespace_only_file(tmp_path):
    p = tmp_path / "blank.html"
    p.write_bytes(b"  \n\n\t ")
    assert _one(p).code == "empty"


def test_binary_file_with_text_extension(tmp_path):
    p = tmp_path / "photo.html"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    r = _one(p)
    assert r.code == "binary" and "PNG" in r.detail


def test_pdf_in_folder_is_rejected_not_skipped(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00\x01" * 100)
    r = _one(tmp_path)
    assert r.code == "binary" and "PDF" in r.detail


def test_nul_bytes_mean_binary(tmp_path):
    p = tmp_path / "data.txt"
    p.write_bytes(b"abc\x00\x00\x00def" * 50)
    assert _one(p).code == "binary"


def test_cp1251_russian_is_decoded_not_lost(tmp_path):
    text = ("Пресс-секретарь президента России Дмитрий Песков заявил, что Путин и Трамп не общались после выборов. "
            "«Это чистой воды вымысел», — сказал Песков журналистам в понедельник.")
    p = tmp_path / "ru.txt"
    p.write_bytes(text.encode("cp1251"))
    doc = _one(p)
    assert isinstance(doc, RawDocument) and doc.encoding == "cp1251"
    a = extract_document(doc)
    assert "Дмитрий Песков" in a.text and a.language == "ru"
    assert a.provenance["encoding"] == "cp1251"


def test_latin1_is_decoded(tmp_path):
    text = "Le président français a déclaré jeudi que la réunion aura lieu à Genève, où l'été est très chaud cette année."
    p = tmp_path / "fr.txt"
    p.write_bytes(text.encode("latin-1"))
    doc = _one(p)
    assert isinstance(doc, RawDocument) and "président" in doc.body and "Genève" in doc.body


def test_utf16_with_bom_is_decoded(tmp_path, sample_text):
    p = tmp_path / "win.txt"
    p.write_bytes(sample_text.encode("utf-16"))
    doc = _one(p)
    assert isinstance(doc, RawDocument) and doc.encoding == "utf-16"
    a = extract_document(doc)
    assert a.title == "Kremlin Hints at Possible Putin-Trump Call Before January Inauguration"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_not_called_binary(tmp_path, codec):
    text = ("Пресс-секретарь президента России Дмитрий Песков заявил, что Путин и Трамп не общались после выборов. "
            "«Это чистой воды вымысел», — сказал Песков журналистам в понедельник.")
    p = tmp_path / "export.txt"
    p.write_bytes(text.encode(codec))
    doc = _one(p)
    assert isinstance(doc, RawDocument) and doc.encoding == codec and "Дмитрий Песков" in doc.body


def test_page_declaring_cp1251_but_saved_as_utf8_is_not_mojibake(tmp_path):
    text = "Пресс-секретарь президента России Дмитрий Песков заявил, что Путин и Трамп не общались после выборов. " * 3
    p = tmp_path / "ru.html"
    p.write_bytes(f'<html><head><meta charset="windows-1251"></head><body><p>{text}</p></body></html>'.encode())
    doc = _one(p)
    assert isinstance(doc, RawDocument) and doc.encoding == "utf-8" and "Дмитрий Песков" in doc.body


def test_stray_nul_bytes_in_text_are_dropped(tmp_path, sample_text):
    data = sample_text.encode()
    p = tmp_path / "export.txt"
    p.write_bytes(data[:500] + b"\x00" + data[500:])
    doc = _one(p)
    assert isinstance(doc, RawDocument) and "\x00" not in doc.body


def test_lone_surrogate_in_json_is_not_a_crash(tmp_path, sample_text):
    # "\ud800" is valid JSON but no valid text: it must not reach hashing or the store.
    p = tmp_path / "x.json"
    p.write_text('{"title": "Kremlin \\ud800 hints", "text": ' + json.dumps(sample_text)[:-1] + ' \\udc00"}',
                 encoding="utf-8")
    a = extract_document(_one(p), languages=False)
    assert not isinstance(a, Rejection)
    a.text.encode("utf-8")
    a.title.encode("utf-8")


def test_decompression_bomb_is_rejected(tmp_path):
    p = tmp_path / "bomb.html.gz"
    p.write_bytes(gzip.compress(b"<p>" + b" " * (50 * 1024 * 1024), compresslevel=1))  # 50 MB unpacked, ~50 kB packed
    r = _one(p)
    assert r.code == "too-large"


def test_undecidable_encoding_is_rejected(tmp_path):
    import random

    rng = random.Random(7)
    p = tmp_path / "garbage.txt"
    p.write_bytes(bytes(rng.randrange(128, 256) for _ in range(4000)))
    r = _one(p)
    assert isinstance(r, Rejection) and r.code in ("encoding", "binary")
    assert "UTF-8" in r.detail or "binary" in r.detail


def test_too_large_file_is_rejected_without_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    r = _one(p)
    assert r.code == "too-large" and "50 MB" in r.detail


def test_missing_path(tmp_path):
    r = _one(tmp_path / "nope.txt")
    assert r.code == "not-found"


def test_malformed_html_fragment_is_rejected():
    r = extract_document(RawDocument("x.html", "<html><body><div class='a'><span>", "html"))
    assert isinstance(r, Rejection) and r.code == "no-text"


def test_truncated_html_keeps_what_is_there(samples_dir):
    paragraphs = (samples_dir / SAMPLE).read_text(encoding="utf-8").split("\n\n")
    body = "".join(f"<p>{p.strip()}</p>\n" for p in paragraphs[5:11] if p.strip())
    page = f"<html><head><title>Kremlin Hints | The Moscow Times</title></head><body><article>{body}"
    truncated = page[: len(page) - 40]  # cut mid-paragraph, no closing tags
    a = extract_document(RawDocument("t.html", truncated, "html"))
    assert not isinstance(a, Rejection)
    assert "It's not ruled out" in a.text


def test_jsonl_with_one_broken_line(tmp_path, sample_text):
    good = {"title": "Kremlin hints at call", "text": sample_text, "url": "https://www.themoscowtimes.com/x"}
    lines = [json.dumps(good), '{"title": "broken", "text": "unterminated', json.dumps({**good, "text": sample_text + "\n\nExtra."})]
    p = tmp_path / "dump.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([p]))
    assert len(items) == 3
    assert isinstance(items[0], RawDocument) and items[0].source.endswith("#line=1")
    assert isinstance(items[1], Rejection) and items[1].code == "malformed-json" and "line 2" in items[1].detail
    assert isinstance(items[2], RawDocument) and items[2].source.endswith("#line=3")


def test_jsonl_line_in_wrong_encoding(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(json.dumps({"text": "ok " * 50}).encode() + b"\n" + '{"text": "Песков"}'.encode("cp1251") + b"\n")
    items = list(read_inputs([p]))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[1], Rejection) and items[1].code == "encoding"


def test_json_record_without_text(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"title": "only a title", "url": "https://example.com"}), encoding="utf-8")
    r = _one(p)
    assert r.code == "no-text" and "title" in r.detail


def test_unreachable_feed_url():
    # A port nothing listens on: connection refused, quickly.
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    items = list(read_inputs([f"http://127.0.0.1:{port}/feed.xml"]))
    assert len(items) == 1 and isinstance(items[0], Rejection) and items[0].code == "unreachable"


def test_gzip_html(tmp_path, samples_dir):
    body = "".join(f"<p>{p}</p>" for p in (samples_dir / SAMPLE).read_text(encoding="utf-8").split("\n\n") if p.strip())
    p = tmp_path / "page.html.gz"
    p.write_bytes(gzip.compress(f"<html><body><article>{body}</article></body></html>".encode()))
    doc = _one(p)
    assert isinstance(doc, RawDocument) and doc.format == "html"


# --------------------------------------------------------------------------- formats


def test_news_please_json(tmp_path, sample_text, registry):
    record = {
        "authors": [], "date_download": None, "date_publish": "2024-11-07 14:02:00", "description": "None",
        "language": "en", "source_domain": "www.themoscowtimes.com", "title": "Kremlin Hints at Possible Putin-Trump Call",
        "maintext": sample_text.split("Kremlin spokesman Dmitry Peskov. Arthur")[1],
        "url": "https://www.themoscowtimes.com/2024/11/07/kremlin-hints-a86938",
    }
    p = tmp_path / "np.json"
    p.write_text(json.dumps(record), encoding="utf-8")
    a = extract_document(_one(p), registry=registry)
    assert a.title == "Kremlin Hints at Possible Putin-Trump Call"
    assert a.published.isoformat() == "2024-11-07"
    assert a.outlet == "The Moscow Times"
    assert a.provenance["published"].startswith("source metadata")


def test_json_list_and_newsapi_shape(tmp_path, sample_text, registry):
    data = {"status": "ok", "articles": [
        {"source": {"id": None, "name": "RT"}, "title": "A", "content": sample_text, "publishedAt": "2024-11-08T09:00:00Z"},
        {"source": {"name": "Sputnik"}, "title": "B", "content": sample_text + "\n\nMore text here for the second."},
    ]}
    p = tmp_path / "newsapi.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    items = list(read_inputs([p]))
    assert [i.source.rsplit("#", 1)[1] for i in items] == ["item=1", "item=2"]
    a = extract_document(items[0], registry=registry)
    assert a.outlet == "RT" and a.published_at is not None and a.published_at.utcoffset().total_seconds() == 0


def test_csv_dump(tmp_path, sample_text):
    import csv

    p = tmp_path / "dump.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["title", "text", "date"])
        w.writeheader()
        w.writerow({"title": "One", "text": sample_text, "date": "2024-11-07"})
    doc = _one(p)
    assert isinstance(doc, RawDocument) and doc.meta["title"] == "One" and doc.source.endswith("#row=2")


def _rss(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>Thu, 07 Nov 2024 14:21:13 +0000</pubDate>"
        f"<description><![CDATA[{d}]]></description></item>" for t, link, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>{entries}</channel></rss>'


def test_feed_file_with_full_content(tmp_path, samples_dir):
    text = (samples_dir / SAMPLE).read_text(encoding="utf-8")
    html = "".join(f"<p>{p.strip()}</p>" for p in text.split("\n\n")[5:] if p.strip())
    p = tmp_path / "feed.xml"
    p.write_text(_rss([("Kremlin Hints", "https://www.themoscowtimes.com/a86938", html)]), encoding="utf-8")
    docs = list(read_inputs([p], fetch_pages=False))
    assert len(docs) == 1 and docs[0].source == "https://www.themoscowtimes.com/a86938"
    a = extract_document(docs[0])
    assert a.title == "Kremlin Hints" and a.published.isoformat() == "2024-11-07"


def test_broken_feed_file(tmp_path):
    p = tmp_path / "feed.rss"
    p.write_text("<rss><channel><item><title>x</ti", encoding="utf-8")
    r = _one(p)
    assert isinstance(r, Rejection) and r.code in ("malformed-feed", "empty", "no-text")


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self):  # noqa: N802
        if self.path not in self.pages:
            self.send_response(404)
            self.end_headers()
            return
        ctype, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def feed_server(samples_dir):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    text = (samples_dir / SAMPLE).read_text(encoding="utf-8")
    page = ("<html><head><title>Kremlin Hints at Possible Putin-Trump Call Before January Inauguration</title></head><body><article>"
            + "".join(f"<p>{p.strip()}</p>" for p in text.split("\n\n")[5:] if p.strip()) + "</article></body></html>")
    _Handler.pages = {
        "/feed.xml": ("application/rss+xml", _rss([
            ("Kremlin Hints", f"{base}/article-1", "Teaser only."),
            ("Gone", f"{base}/missing", "Teaser only."),
        ]).encode()),
        "/article-1": ("text/html; charset=utf-8", page.encode()),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_feed_url_fetches_teaser_pages(feed_server):
    items = list(read_inputs([f"{feed_server}/feed.xml"]))
    assert len(items) == 2
    doc, rej = items
    assert isinstance(doc, RawDocument) and doc.meta["url"].endswith("/article-1")
    assert isinstance(rej, Rejection) and rej.code == "unreachable" and "404" in rej.detail
    a = extract_document(doc)
    assert "It's not ruled out" in a.text and a.title == "Kremlin Hints"


def test_warc_archive(tmp_path, samples_dir):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    text = (samples_dir / SAMPLE).read_text(encoding="utf-8")
    page = ("<html><body><article>" + "".join(f"<p>{p.strip()}</p>" for p in text.split("\n\n")[5:] if p.strip())
            + "</article></body></html>").encode()
    p = tmp_path / "crawl.warc.gz"
    with p.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, ctype, body in (("https://www.themoscowtimes.com/a86938", "text/html; charset=utf-8", page),
                                 ("https://www.themoscowtimes.com/logo.png", "image/png", b"\x89PNG....")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    docs = list(read_inputs([p]))
    assert len(docs) == 1 and docs[0].source == "https://www.themoscowtimes.com/a86938"
    assert "It's not ruled out" in extract_document(docs[0]).text


def test_folders_are_recursive_and_sorted(tmp_path, samples_dir):
    (tmp_path / "b" / "c").mkdir(parents=True)
    for i, f in enumerate(sorted(samples_dir.iterdir())[:3]):
        (tmp_path / ("b/c" if i == 0 else "b") / f.name).write_bytes(f.read_bytes())
    (tmp_path / ".hidden").write_text("ignored")
    docs = list(read_inputs([tmp_path]))
    assert len(docs) == 3
    rel = [Path(d.source).relative_to(tmp_path.resolve()).as_posix() for d in docs]
    assert rel == sorted(rel)  # deterministic order: the same folder always reads the same way
    assert all(isinstance(d, RawDocument) for d in docs)
