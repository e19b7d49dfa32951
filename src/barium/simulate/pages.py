"""What happens to a page on its way back: printed and scanned, photographed by a phone,
captured from a screen. Pictures in, JPEG or PNG bytes out; deterministic for one ``rng``.

>>> data = photograph(page, random.Random(1))   # a 200-dpi grey page in   # doctest: +SKIP
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageFilter

__all__ = ["crop", "photograph", "scan", "screenshot"]


def crop(image: Image.Image, share: float) -> Image.Image:
    """The top ``share`` of the page (half a page, a quarter)."""
    return image.crop((0, 0, image.width, max(1, int(image.height * share))))


def scan(image: Image.Image, rng: random.Random) -> bytes:
    """Printed and scanned: a small rotation (up to 2 degrees), blur, noise, JPEG quality 60."""
    out = image.rotate(rng.uniform(-2, 2), expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    out = out.filter(ImageFilter.GaussianBlur(0.7))
    noise = Image.effect_noise(out.size, 18).convert("L")
    return _jpeg(Image.blend(out, noise, 0.08), 60)


def photograph(image: Image.Image, rng: random.Random) -> bytes:
    """A phone photo of a page given at 200 dpi: tilted and seen at a slant (each corner
    up to 2% of the page in), light falling off to one side, lens blur, then sampled at
    about 150 dpi with sensor noise, JPEG quality 70. Every resampling is bicubic, as a
    camera's optics are continuous (a nearest-neighbour rotation, used by the formats
    benchmark before 2026-12-02, cuts the lines into one-pixel steps no camera makes)."""
    w, h = image.size
    d = 0.02
    quad = [rng.uniform(0, d) * w, rng.uniform(0, d) * h, rng.uniform(0, d) * w, h - rng.uniform(0, d) * h]
    quad += [w - rng.uniform(0, d) * w, h - rng.uniform(0, d) * h, w - rng.uniform(0, d) * w, rng.uniform(0, d) * h]
    warped = image.transform(image.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=255)
    warped = warped.rotate(rng.uniform(-2, 2), Image.Resampling.BICUBIC, fillcolor=255)
    shade = Image.linear_gradient("L").rotate(90).resize(warped.size).point(lambda v: 150 + v * 105 // 255)
    lit = Image.composite(warped, shade, warped.point(lambda v: 255 - v))  # ink stays dark, paper dims
    soft = lit.filter(ImageFilter.GaussianBlur(1.2))
    small = soft.resize((w * 3 // 4, h * 3 // 4), Image.Resampling.BICUBIC)  # about 150 dpi
    noise = Image.effect_noise(small.size, 12).convert("L")
    return _jpeg(Image.blend(small, noise, 0.06), 70)


def screenshot(image: Image.Image, share: float = 0.7) -> bytes:
    """A window's capture: the page's upper ``share``, lossless (PNG)."""
    out = io.BytesIO()
    crop(image, share).save(out, "PNG")
    return out.getvalue()


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
