"""Where marks live: channels find sites in a parsed master and read forms back."""

from __future__ import annotations

from functools import lru_cache

from barium.channels.base import Channel, LeakEvidence, Locator, Site, WordBox
from barium.channels.invisible import InvisibleChannel
from barium.channels.layout import LayoutChannel
from barium.channels.punctuation import PunctuationChannel
from barium.channels.typography import TypographyChannel
from barium.channels.variants import VariantsChannel

__all__ = [
    "Channel",
    "InvisibleChannel",
    "LayoutChannel",
    "LeakEvidence",
    "Locator",
    "PunctuationChannel",
    "Site",
    "TypographyChannel",
    "VariantsChannel",
    "WordBox",
    "all_channels",
    "channel_map",
]


def all_channels() -> list[Channel]:
    """Every channel Barium ships, robust layers first: the author's own variants
    win any overlap with the automatic channels."""
    from barium.channels.orthography import OrthographyChannel

    return [
        VariantsChannel(),
        OrthographyChannel(),
        PunctuationChannel(),
        TypographyChannel(),
        InvisibleChannel(),
        LayoutChannel(),
    ]


@lru_cache(maxsize=1)
def channel_map() -> dict[str, Channel]:
    """The shipped channels by name, made once per process (they hold compiled rules)."""
    return {c.name: c for c in all_channels()}
