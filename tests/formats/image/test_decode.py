"""Hostile and damaged images are refused before they cost memory, with a clear message."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from barium.errors import InputError, InputTooLarge
from barium.formats.image.decode import image_kind, page_images
from barium.formats.leak import read_leak_file
from barium.limits import Limits

LIMITS = Limits()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` grey pixels, with one row of data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def tiff_of(frames: int) -> bytes:
    """A little-endian TIFF of ``frames`` 1x1 grey pages sharing one byte of pixel data,
    written by hand (Pillow takes minutes to save thousands of frames)."""
    entries = ((256, 1), (257, 1), (258, 8), (259, 1), (262, 1), (273, 8), (277, 1), (278, 1), (279, 1))
    size = 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 9) + b"\x80")  # header, first IFD at 9, the pixel
    for i in range(frames):
        following = 9 + (i + 1) * size if i + 1 < frames else 0
        out += struct.pack("<H", len(entries))
        for tag, value in entries:
            out += struct.pack("<HHII", tag, 3 if tag != 273 else 4, 1, value)
        out += struct.pack("<I", following)
    return bytes(out)


def saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def test_formats_are_told_by_their_magic_bytes() -> None:
    page = Image.new("L", (8, 8), 255)
    assert image_kind(saved(page, "PNG")[:8]) == "PNG"
    assert image_kind(saved(page, "JPEG")[:8]) == "JPEG"
    assert image_kind(saved(page, "TIFF")[:8]) == "TIFF"
    assert image_kind(b"%PDF-1.7") is None and image_kind(b"GIF89a..") is None


def test_a_png_declaring_ten_billion_pixels_is_refused_before_decoding() -> None:
    with pytest.raises(InputTooLarge, match=r"bomb\.png: an image over the 50,000,000-pixel limit \(image_pixels\)"):
        list(page_images(png_declaring(100_000, 100_000), limits=LIMITS, name="bomb.png"))


def test_the_pixel_cap_comes_from_the_limits_not_from_pillow() -> None:
    data = png_declaring(3_000, 3_000)  # 9 megapixels: far below Pillow's own guard
    with pytest.raises(InputTooLarge, match="image_pixels"):
        list(page_images(data, limits=Limits(image_pixels=1_000_000), name="x.png"))


def test_an_image_past_pillows_own_guard_is_refused_even_under_a_larger_cap() -> None:
    # Pillow would only warn here (its limit is 89 million pixels, an error at twice that).
    data = png_declaring(10_000, 10_000)
    with pytest.raises(InputTooLarge):
        list(page_images(data, limits=Limits(image_pixels=200_000_000), name="x.png"))


def test_a_truncated_jpeg_is_a_clear_error() -> None:
    data = saved(Image.effect_noise((400, 300), 60).convert("L"), "JPEG", quality=90)
    with pytest.raises(InputError, match=r"cut\.jpg: damaged or unreadable JPEG image"):
        list(page_images(data[: len(data) // 2], limits=LIMITS, name="cut.jpg"))


def test_a_tiff_of_ten_thousand_frames_is_refused_before_any_is_decoded() -> None:
    data = tiff_of(10_000)
    assert len(list(page_images(tiff_of(3), limits=LIMITS, name="three.tiff"))) == 3
    with pytest.raises(InputTooLarge, match=r"many\.tiff: a TIFF of over 50 pages.*image_frames"):
        next(iter(page_images(data, limits=LIMITS, name="many.tiff")))


def test_every_frame_of_a_tiff_is_a_page_and_each_is_checked() -> None:
    small, large = Image.new("L", (10, 10), 255), Image.new("L", (2_000, 2_000), 255)
    data = saved(small, "TIFF", save_all=True, append_images=[small, large])
    assert [p.size for p in page_images(data, limits=LIMITS, name="t.tiff")] == [(10, 10)] * 2 + [(2_000, 2_000)]
    with pytest.raises(InputTooLarge, match=r"page 3"):
        list(page_images(data, limits=Limits(image_pixels=1_000_000), name="t.tiff"))


def test_transparency_is_laid_on_white_and_exif_orientation_applied() -> None:
    clear = Image.new("RGBA", (4, 2), (0, 0, 0, 0))
    assert next(iter(page_images(saved(clear, "PNG"), limits=LIMITS, name="a.png"))).getextrema() == (255, 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees: a phone held upright
    data = saved(Image.new("L", (40, 20), 255), "JPEG", exif=exif)
    assert next(iter(page_images(data, limits=LIMITS, name="p.jpg"))).size == (20, 40)


def test_sixteen_bit_greys_are_scaled_not_clipped() -> None:
    deep = Image.new("I;16", (4, 4), 32_768)
    grey = next(iter(page_images(saved(deep, "TIFF"), limits=LIMITS, name="d.tiff")))
    assert grey.getextrema() == (127, 127)


def test_a_file_is_read_for_what_its_bytes_are_not_its_name(tmp_path: Path) -> None:
    text = tmp_path / "looks.png"
    text.write_text("Plain words, named like a picture.\n", encoding="utf-8")
    assert read_leak_file(text, limits=LIMITS) == "Plain words, named like a picture.\n"
    bomb = tmp_path / "memo.txt"
    bomb.write_bytes(png_declaring(100_000, 100_000))
    with pytest.raises(InputTooLarge, match=r"memo\.txt"):
        read_leak_file(bomb, limits=LIMITS)


def test_an_image_file_over_its_byte_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(png_declaring(10, 10) + b"\0" * 2_000)
    with pytest.raises(InputTooLarge, match="limit for a image"):
        read_leak_file(big, limits=Limits(image_file_bytes=1_000))


def test_an_unreadable_image_is_named_without_the_in_memory_file_pillow_mentions() -> None:
    with pytest.raises(InputError) as raised:
        list(page_images(b"\x89PNG\r\n\x1a\nnot a picture", limits=LIMITS, name="bad.png"))
    assert raised.value.message.startswith("bad.png: damaged or unreadable PNG image")
    assert "BytesIO" not in raised.value.message and "0x" not in raised.value.message
