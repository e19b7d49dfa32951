"""Local sources for ``barium scan``: folders of text, Markdown, HTML, JSON Lines and WARC."""

from __future__ import annotations

import gzip
import io
import json
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import barium.watch
from barium.errors import NotFound, UnsupportedFormat
from barium.limits import Limits
from barium.watch import Article, iter_local, local_kind, scan_paths

STORY = (
    "<!DOCTYPE html><html><head><title>Leaked memo | Paper</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World news</a></nav><article><h1>Leaked memo</h1>"
    "<p>The memo says the harbour budget would rise by twelve percent next year, according to officials "
    "who asked not to be named because the figures were provisional.</p>"
    "<p>A second paragraph explains that the review was carried out twice since the spring.</p>"
    "</article><footer>Copyright 2024 Paper. All rights reserved.</footer></body></html>"
)


def write_warc(path: Path) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)

        def response(uri: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
            )

        request = b"GET /memo HTTP/1.1\r\nHost: paper.test\r\n\r\n"
        writer.write_record(
            writer.create_warc_record(
                "http://paper.test/memo", "request", payload=io.BytesIO(request), length=len(request)
            )
        )
        response("http://paper.test/memo", "200 OK", "text/html; charset=utf-8", STORY.encode())
        response("http://paper.test/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        response("http://paper.test/gone", "404 Not Found", "text/html", b"<html><p>gone</p></html>")
        response("http://paper.test/empty", "200 OK", "text/html", b"<html><body></body></html>")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "press"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("A plain text leak about the harbour budget.\n", encoding="utf-8")
    (root / "b.md").write_text("# Weekly digest\n\nThe harbour budget rises.\n", encoding="utf-8")
    (root / "c.html").write_text(STORY, encoding="utf-8")
    (root / "nested" / "deeper" / "d.TXT").write_text("Deep in the tree.", encoding="utf-8")
    (root / "nested" / "bad.txt").write_bytes(b"caf\xe9 au lait \xff\xfe and \xef\xbf\xbd kept")
    (root / "e.jsonl").write_bytes(
        b'{"text": "First line text.", "url": "http://paper.test/1", "title": "One", "date": "2024-03-05"}\n'
        b"\n"
        b"not json at all\n"
        b'{"title": "no text"}\n'
        b'{"text": "Dated oddly.", "date": "last Tuesday"}\n'
    )
    write_warc(root / "f.warc.gz")
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    (root / "image.png").write_bytes(b"\x89PNG")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / ".git" / "HEAD.txt").write_text("ref", encoding="utf-8")
    return root


def scan(*paths: Path, max_bytes: int = 20_000_000) -> tuple[list[Article], object]:
    got: list[Article] = []
    report = scan_paths(paths, on_article=got.append, limits=Limits(leak_bytes=max_bytes))
    return got, report


def test_a_folder_is_scanned_recursively_by_extension(folder: Path) -> None:
    got, report = scan(folder)
    by_name = {Path(a.source).name.split(":")[0]: a for a in got}  # JSON Lines sources are path:line
    assert sorted(by_name) == ["a.txt", "b.md", "bad.txt", "c.html", "d.TXT", "e.jsonl", "f.warc.gz"]
    assert by_name["b.md"].title == "Weekly digest" and by_name["a.txt"].title is None
    html = by_name["c.html"]
    assert "twelve percent" in html.text and "Copyright" not in html.text and html.title == "Leaked memo"
    assert (report.files, report.articles) == (7, 8)  # type: ignore[attr-defined]


def test_html_inside_a_warc_is_extracted_and_everything_else_passed_over(folder: Path) -> None:
    got, report = scan(folder / "f.warc.gz")
    assert [a.url for a in got] == ["http://paper.test/memo"]
    assert "twelve percent" in got[0].text and got[0].source == str(folder / "f.warc.gz")
    skipped = report.skipped  # type: ignore[attr-defined]
    assert [s.where for s in skipped] == [f"{folder / 'f.warc.gz'} http://paper.test/empty"]


def test_json_lines_give_one_article_per_object_and_say_which_lines_were_skipped(folder: Path) -> None:
    got, report = scan(folder / "e.jsonl")
    first, odd = got
    assert (first.url, first.title, first.published) == ("http://paper.test/1", "One", datetime(2024, 3, 5, tzinfo=UTC))
    assert first.source == f"{folder / 'e.jsonl'}:1"
    assert odd.published is None and "unreadable date" in odd.warnings[0]
    reasons = {s.where.rsplit(":", 1)[1]: s.reason for s in report.skipped}  # type: ignore[attr-defined]
    assert reasons == {"3": "not JSON (Expecting value)", "4": 'no "text" string'}


def test_invalid_utf8_is_replaced_and_reported(folder: Path) -> None:
    (article,) = [a for a in scan(folder / "nested" / "bad.txt")[0]]
    assert article.text == "caf\ufffd au lait \ufffd\ufffd and \ufffd kept"
    assert article.warnings == ("invalid UTF-8: 3 sequence(s) replaced with U+FFFD",)  # the real U+FFFD is not counted


def test_a_file_over_the_cap_is_skipped_with_its_name_and_size_and_the_rest_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("é" * 1_000_000, encoding="utf-8")  # 2 MB
    (tmp_path / "small.txt").write_text("A short article.", encoding="utf-8")
    got, report = scan(tmp_path, max_bytes=1001)
    assert [a.text for a in got] == ["A short article."]
    (skip,) = report.skipped  # type: ignore[attr-defined]
    assert skip.where == str(tmp_path / "big.txt")
    assert skip.reason == "2,000,000 bytes, over the 1,001-byte limit (max_leak_bytes)"


def test_a_json_line_over_the_cap_is_skipped_and_the_next_one_read(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(json.dumps({"text": "x" * 5_000_000}).encode() + b"\n" + b'{"text": "short one"}\n')
    got, report = scan(path, max_bytes=1000)
    assert [a.text for a in got] == ["short one"]
    assert report.skipped[0].reason == "line over the 1,000-byte limit (max_leak_bytes)"  # type: ignore[attr-defined]


def test_a_named_file_of_unknown_type_is_an_error_before_anything_is_read(folder: Path) -> None:
    got: list[Article] = []
    with pytest.raises(UnsupportedFormat, match=r"notes\.docx: unknown file type; Barium scans .htm, .html"):
        scan_paths([folder / "a.txt", folder / "notes.docx"], on_article=got.append)
    assert got == []


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file or folder"):
        list(iter_local([tmp_path / "nope"]))


@pytest.mark.parametrize(
    "data", [b"\x1f\x8b garbage", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort"]
)
def test_a_corrupt_warc_is_skipped_with_a_reason(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(data)
    got, report = scan(path)
    assert got == [] and "not a readable WARC" in report.skipped[0].reason  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "kind"), [("x.WARC.GZ", "warc"), ("x.htm", "html"), ("x.markdown", "markdown"), ("x.gz", None)]
)
def test_kinds_come_from_the_extension(name: str, kind: str | None) -> None:
    assert local_kind(Path(name)) == kind


def test_the_public_api_is_complete() -> None:
    public = {
        n
        for n, v in vars(barium.watch).items()
        if not n.startswith("_") and getattr(v, "__module__", "").startswith("barium.watch")
    }
    assert public <= set(barium.watch.__all__)
    assert all(hasattr(barium.watch, n) for n in barium.watch.__all__)


def _gzip(*chunks: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join(packer.compress(c) for c in chunks) + packer.flush()


def _gzip_bomb(head: bytes, zeros_mib: int, tail: bytes) -> bytes:
    """One valid gzip member holding ``head``, ``zeros_mib`` MiB of zeros and ``tail``, in
    about 1 kB per MiB: after a sync flush the deflate state repeats, so one compressed
    MiB of zeros is written once and repeated."""
    mib = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head + mib) + packer.flush(zlib.Z_SYNC_FLUSH)
    again = packer.compress(mib) + packer.flush(zlib.Z_SYNC_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(zeros_mib):
        crc = zlib.crc32(mib, crc)
    size = len(head) + zeros_mib * len(mib) + len(tail)
    trailer = struct.pack("<II", zlib.crc32(tail, crc), size & 0xFFFFFFFF)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first + again * (zeros_mib - 1) + last + trailer


def _warc_bomb(path: Path, *, payload_mib: int = 1024) -> None:
    """A real .warc.gz: a good page, then a record of ``payload_mib`` MiB of zeros in one
    gzip member (about 1 MB for 1 GiB), then another good page."""
    good = io.BytesIO()
    write_warc_to(good, [("http://paper.test/first", STORY.encode())])
    after = io.BytesIO()
    write_warc_to(after, [("http://paper.test/after", STORY.replace("memo", "note").encode())])
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://paper.test/bomb\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {len(http) + payload_mib * (1 << 20)}\r\n\r\n".encode()
        + http
    )
    path.write_bytes(good.getvalue() + _gzip_bomb(head, payload_mib, b"\r\n\r\n") + after.getvalue())


def write_warc_to(out: io.BytesIO, pages: list[tuple[str, bytes]]) -> None:
    writer = WARCWriter(out, gzip=True)
    for uri, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers)
        )


def test_a_gzip_bomb_inside_a_warc_is_refused_with_a_reason_after_the_pages_before_it(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc_bomb(path)
    assert path.stat().st_size < 2_000_000
    got: list[Article] = []
    report = scan_paths([path], on_article=got.append, limits=Limits())
    assert [a.url for a in got] == ["http://paper.test/first"]
    *_, last = report.skipped
    assert last.where == str(path) and "compression bomb" in last.reason and "not read" in last.reason


def test_a_warc_over_the_archive_cap_stops_with_the_setting_named(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    out = io.BytesIO()
    write_warc_to(out, [(f"http://paper.test/{i}", STORY.encode()) for i in range(200)])
    path.write_bytes(out.getvalue())
    got: list[Article] = []
    report = scan_paths([path], on_article=got.append, limits=Limits(archive_bytes=100_000))
    assert 0 < len(got) < 200
    assert report.skipped[-1].reason.startswith("over 100,000 bytes decompressed (max_archive_bytes)")


def test_a_warc_record_over_the_leak_cap_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    out = io.BytesIO()
    write_warc_to(out, [("http://paper.test/long", STORY.encode() * 3), ("http://paper.test/short", STORY.encode())])
    path.write_bytes(gzip.decompress(out.getvalue()))  # an uncompressed WARC reads the same
    got: list[Article] = []
    report = scan_paths([path], on_article=got.append, limits=Limits(leak_bytes=len(STORY.encode()) + 10))
    assert [a.url for a in got] == ["http://paper.test/short"]
    assert [(s.where, s.reason) for s in report.skipped] == [
        (
            f"{path} http://paper.test/long",
            f"record over the {len(STORY.encode()) + 10:,}-byte limit (max_leak_bytes); skipped",
        )
    ]


def test_a_gzip_bomb_in_a_records_http_body_is_skipped_as_over_the_cap(tmp_path: Path) -> None:
    body = _gzip(*(bytes(1 << 20) for _ in range(256)))  # 256 MiB of zeros, Content-Encoding: gzip
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(
            "http://paper.test/bomb", "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
        )
    )
    write_warc_to(out, [("http://paper.test/after", STORY.encode())])
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(out.getvalue())
    got: list[Article] = []
    report = scan_paths([path], on_article=got.append, limits=Limits())
    assert [a.url for a in got] == ["http://paper.test/after"]
    assert [s.reason for s in report.skipped] == ["record over the 5,000,000-byte limit (max_leak_bytes); skipped"]


def test_a_binary_file_named_txt_is_skipped_however_far_in_its_nul_bytes_are(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Plain words. " * 10_000 + b"\x00\x00")
    (tmp_path / "b.txt").write_text("A short article.")
    got, report = scan(tmp_path)
    assert [a.text for a in got] == ["A short article."]
    assert [s.reason for s in report.skipped] == ["looks like a binary file (NUL or control bytes), not text"]  # type: ignore[attr-defined]


def test_a_damaged_warc_is_reported_in_a_short_reason_however_long_its_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "damaged.warc"
    path.write_bytes(b"\x00" * 1_000_000 + b"\r\n")
    got, report = scan(path)
    (skip,) = report.skipped  # type: ignore[attr-defined]
    assert got == [] and skip.reason.startswith("not a readable WARC file") and len(skip.reason) < 300


def test_a_json_lines_file_is_read_up_to_the_archive_cap_then_stops_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"text": f"Article number {i} of the feed."}) + "\n" for i in range(1_000)))
    got: list[Article] = []
    report = scan_paths([path], on_article=got.append, limits=Limits(archive_bytes=10_000))
    assert 200 < len(got) < 1_000
    (skip,) = report.skipped
    assert skip.reason == "over 10,000 bytes read (max_archive_bytes); the rest of the file was not read"


def test_a_warc_page_with_a_charset_that_is_no_text_encoding_is_read_and_the_scan_goes_on(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=rot13")], protocol="HTTP/1.1")
    body = STORY.encode()
    writer.write_record(
        writer.create_warc_record(
            "http://paper.test/odd", "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
        )
    )
    (tmp_path / "a.warc.gz").write_bytes(out.getvalue())
    (tmp_path / "b.txt").write_text("A short article.")
    got, report = scan(tmp_path)
    assert ["twelve percent" in a.text for a in got] == [True, False]
    assert report.skipped == ()  # type: ignore[attr-defined]
