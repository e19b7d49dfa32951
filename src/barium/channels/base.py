"""The channel interface: where marks live and how a leak's form is read back.

A channel finds :class:`Site` objects in the editable prose of a parsed
document. A site is a span of the master that every copy renders in one of
several *forms* (``"towards"`` / ``"toward"``; ``"“"`` / ``'"'``; ``""`` /
``"\u200b"``). Channels know nothing of codes: the marking engine decides which
form each copy shows, and the tracer asks the channel to recognise a form in a
leak. Format-specific channels (DOCX run properties, PDF word shifts read back
through OCR) implement the same protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from barium.formats.base import ParsedDocument

__all__ = ["Channel", "Site", "flat_form", "read_form", "reserved_forms"]


@dataclass(frozen=True, slots=True)
class Site:
    """One place in the master that copies may render differently.

    ``forms[i]`` is the exact text that replaces ``master[start:end]`` in a copy
    showing form ``i``; ``forms[master_form]`` equals the master's own text.
    Form indices mean the same style across all sites of one rule (index 1 of
    ``towards`` is always the American spelling), which is what lets a rule keep
    one form throughout a paragraph.
    """

    channel: str
    rule: str
    start: int
    end: int
    forms: tuple[str, ...]
    master_form: int
    paragraph: int

    @property
    def arity(self) -> int:
        return len(self.forms)


@runtime_checkable
class Channel(Protocol):
    """A family of mark sites.

    ``consistent`` channels render every site of one rule in one paragraph in the
    same form, because a style that flips inside a paragraph is a visible tell;
    invisible channels need not.
    """

    name: str
    consistent: bool

    def rules(self) -> list[str]:
        """The ids of the rules this channel can apply (for per-document switches)."""
        ...

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        """Every site in the editable regions of ``doc``, none overlapping, in text order."""
        ...

    def fold(self, text: str) -> str:
        """Erase variation that other channels or the leak's journey introduce, but keep
        the distinctions between this channel's forms."""
        ...


def reserved_forms(channel: Channel, rule: str) -> frozenset[int]:
    """Forms a copy never shows for ``rule`` (still recognised when read, as erasures)."""
    method = getattr(channel, "reserved_forms", None)
    return frozenset() if method is None else frozenset(method(rule))


def flat_form(channel: Channel, rule: str) -> int | None:
    """The form that common leak journeys (retype, web CMS) collapse ``rule`` to, if any."""
    method = getattr(channel, "flat_form", None)
    return None if method is None else method(rule)


def read_form(channel: Channel, site: Site, master: str, window: tuple[int, int], leak_window: str) -> int | None:
    """Which form of ``site`` the leak shows, or None when it shows none or several.

    ``window`` is the master span between the aligned words around the site (it
    contains the site); ``leak_window`` is the leak's text between the same words.
    """
    prefix = master[window[0] : site.start]
    suffix = master[site.end : window[1]]
    seen = channel.fold(leak_window)
    hits = [i for i, form in enumerate(site.forms) if channel.fold(prefix + form + suffix) == seen]
    return hits[0] if len(hits) == 1 else None
