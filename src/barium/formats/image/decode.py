"""Page images out of leaked bytes: PNG, JPEG or TIFF (every frame), told by magic bytes.

Every frame's size is judged on what its header declares, before a pixel is decoded,
against ``limits.image_pixels``; a TIFF's frames are counted against
``limits.image_frames`` before any is decoded. Pillow's own decompression-bomb guard
(a warning by default, up to twice its 89-million-pixel default) is turned into the
same refusal, so no image larger than the cap is ever decoded. Damaged files
(truncated, inconsistent) are an :class:`InputError` naming the file.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Literal, TypeVar

import numpy as np
from PIL import Image, ImageOps

from barium.errors import InputError, InputTooLarge
from barium.limits import Limits

__all__ = ["ImageKind", "image_kind", "page_images"]

_T = TypeVar("_T")

ImageKind = Literal["PNG", "JPEG", "TIFF"]
_MAGIC: tuple[tuple[bytes, ImageKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# What a damaged or hostile file makes Pillow raise while it parses or decodes.
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError, ZeroDivisionError)


def image_kind(head: bytes) -> ImageKind | None:
    """The image format the first bytes announce, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def page_images(data: bytes, *, limits: Limits, name: str) -> Iterator[Image.Image]:
    """Each page of the image file ``data`` as 8-bit grey ("L"), upright as its EXIF
    orientation says, transparency laid on white. A PNG or JPEG is one page (an
    animation's later frames are not pages); a TIFF is one page per frame.

    Raises :class:`InputTooLarge` for a frame over ``limits.image_pixels`` or a TIFF of
    more than ``limits.image_frames`` frames, :class:`InputError` for a damaged file.
    """
    kind = image_kind(data[:8])
    if kind is None:
        raise InputError(f"{name}: not a PNG, JPEG or TIFF image")
    image = _guarded(lambda: Image.open(io.BytesIO(data), formats=[kind]), kind, limits, name)
    frames = _guarded(lambda: _count_frames(image, kind, limits=limits, name=name), kind, limits, name)
    for index in range(frames):

        def decode(index: int = index) -> Image.Image:
            image.seek(index)
            _check_size(image, limits=limits, name=name, frame=index if frames > 1 else None)
            return _grey(image)

        yield _guarded(decode, kind, limits, name)


def _guarded(step: Callable[[], _T], kind: ImageKind, limits: Limits, name: str) -> _T:
    """``step()``, with Pillow's bomb warning and its parse errors made refusals."""
    with warnings.catch_warnings():
        # Pillow notes damaged metadata ("Corrupt EXIF data") and reads on: whether the
        # pixels decode is what decides (found by tests/formats/test_fuzz.py).
        warnings.simplefilter("ignore", UserWarning)
        # Pillow warns (rather than refuses) between its limit and twice it: refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return step()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputTooLarge(
                f"{name}: an image over the {limits.image_pixels:,}-pixel limit (image_pixels): {exc}"
            ) from exc
        except _DECODE_ERRORS as exc:
            raise InputError(f"{name}: damaged or unreadable {kind} image ({_said(exc)})") from exc


def _said(exc: Exception) -> str:
    """Pillow's message without the in-memory file it names (``<_io.BytesIO object at 0x...>``)."""
    return re.sub(r"\s*<_io\.\w+ object at 0x[0-9a-f]+>", "", str(exc)).strip() or type(exc).__name__


def _count_frames(image: Image.Image, kind: ImageKind, *, limits: Limits, name: str) -> int:
    """The frames to read, each header checked: seeks one past the cap at most, never to
    the end of a file that declares thousands (nor around a loop of frame offsets)."""
    if kind != "TIFF":
        _check_size(image, limits=limits, name=name, frame=None)
        return 1
    cap = limits.image_frames
    count = 0
    while True:
        try:
            image.seek(count)
        except EOFError:
            break
        _check_size(image, limits=limits, name=name, frame=count)
        count += 1
        if count > cap:
            raise InputTooLarge(f"{name}: a TIFF of over {cap:,} pages, more than the limit (image_frames)")
    if count == 0:
        raise InputError(f"{name}: a TIFF without pages")
    return count


def _check_size(image: Image.Image, *, limits: Limits, name: str, frame: int | None) -> None:
    width, height = image.size
    where = f" (page {frame + 1})" if frame is not None else ""
    if width <= 0 or height <= 0:
        raise InputError(f"{name}: an image of {width}x{height} pixels{where}")
    if width * height > limits.image_pixels:
        raise InputTooLarge(
            f"{name}: an image of {width:,}x{height:,} pixels{where}, over the "
            f"{limits.image_pixels:,}-pixel limit (image_pixels)"
        )


def _grey(image: Image.Image) -> Image.Image:
    """The frame decoded, upright, as grey on white."""
    image.load()
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        upright = Image.alpha_composite(white, rgba)
    if upright.mode not in ("1", "L", "P", "RGB", "RGBA", "LA", "PA", "CMYK", "YCbCr", "LAB", "HSV"):
        # 16- and 32-bit integer and float greys: scaled to 8 bits, not clipped.
        values = np.asarray(upright, dtype=np.float64)
        top = 255.0 if values.size == 0 or values.max() <= 255 else 65535.0
        return Image.fromarray(np.clip(values * (255.0 / top), 0, 255).astype(np.uint8))
    return upright.convert("L")
