"""What an item of evidence is, told from its bytes (a name's extension may lie)."""

from __future__ import annotations

from barium.formats.docx.archive import ZIP_MAGIC

__all__ = ["ALERT_RECORD", "DOCX", "HTML", "media_type"]

ALERT_RECORD = "application/vnd.barium.alert+json"  # a watch alert carried into a case: not a leak itself
HTML = "text/html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def media_type(data: bytes) -> str:
    head = data[:512]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(ZIP_MAGIC):
        return DOCX if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "application/zip"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return HTML
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"
