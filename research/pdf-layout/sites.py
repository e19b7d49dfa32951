"""Layout sites of a typeset master, and the shift dict a bit string asks for.

Word channel: on every justified line, the words at odd index w (1 <= w <= n-2) are
sites; even words are control words that never move. Bit 1 -> +d, bit 0 -> -d.
Line channel: odd lines l (1 <= l <= len-2) of each page, body font, neighbours in
place; bit 1 -> up by d. Para channel: every paragraph; Tc channel: the word sites,
tc = +-c points per character.
"""
from __future__ import annotations

import numpy as np

from typeset import BODY, Layout


def word_sites(lay: Layout, page: int | None = None) -> list[tuple[int, int, int]]:
    out = []
    for p, pg in enumerate(lay.pages):
        if page is not None and p != page:
            continue
        for l, ln in enumerate(pg.lines):
            if ln.justified:
                out += [(p, l, w) for w in range(1, len(ln.words) - 1, 2)]
    return out


def line_sites(lay: Layout, page: int | None = None) -> list[tuple[int, int]]:
    out = []
    for p, pg in enumerate(lay.pages):
        if page is not None and p != page:
            continue
        for l in range(1, len(pg.lines) - 1, 2):
            if pg.lines[l].font == BODY[0]:
                out.append((p, l))
    return out


def para_sites(lay: Layout) -> list[int]:
    return sorted({ln.para for pg in lay.pages for ln in pg.lines if ln.font == BODY[0]})


def bits_for(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2, n).astype(np.int8)


def shifts(lay: Layout, channel: str, d: float, seed: int = 1, page: int | None = None):
    """(shift dict for typeset.render, sites, bits)."""
    if channel == "word":
        s = word_sites(lay, page)
    elif channel == "line":
        s = line_sites(lay, page)
    elif channel == "para":
        s = para_sites(lay)
    elif channel == "tc":
        s = word_sites(lay, page)
    else:
        raise ValueError(channel)
    b = bits_for(len(s), seed)
    vals = {site: (d if bit else -d) for site, bit in zip(s, b)}
    return {channel: vals}, s, b
