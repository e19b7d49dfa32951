"""The channel interface: where marks live and how a leak's form is read back.

A channel finds :class:`Site` objects in the editable prose of a parsed
document. A site is a span of the master that every copy renders in one of
several *forms* (``"towards"`` / ``"toward"``; ``"“"`` / ``'"'``; ``""`` /
``"\u200b"``). Channels know nothing of codes: the marking engine decides which
form each copy shows, and the tracer asks the channel to recognise a form in a
:class:`LeakEvidence`. Format-specific channels (DOCX run properties, PDF word
shifts read back through OCR) derive from the same base, address their sites
with a :class:`Locator` and read geometry or file data from the evidence.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from barium.formats.base import ParsedDocument

__all__ = ["PLACEHOLDER", "Channel", "LeakEvidence", "Locator", "Site", "WordBox"]


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a site lives in a master that is more than text: a DOCX run, a PDF line.

    ``kind`` names the addressing scheme (``"docx-run"``, ``"pdf-line"``) and
    ``address`` its coordinates (paragraph, run, offset...). Text and Markdown
    sites need none: ``start``/``end`` in the master text address them.
    """

    kind: str
    address: tuple[int | str, ...]


# Named among a document's disabled rules, the master's style profile is not applied:
# a channel may then show every form of its rules (barium.channels.orthography.profile).
PROFILE_SWITCH = "style-profile"

# The paragraph of a site whose rule keeps one form in the whole document: every such
# site of the rule is in one group (marking.build_plan groups by paragraph).
WHOLE_DOCUMENT = -1


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
    locator: Locator | None = None

    @property
    def arity(self) -> int:
        return len(self.forms)


# Stands for a word read too unsurely to be used (a WordBox's text, OCR's doubt). It
# is no word to the tokenizer, so it can align to no master word; a mark inside it
# is an erasure, never a guess.
PLACEHOLDER = "\ufffd"


@dataclass(frozen=True, slots=True)
class WordBox:
    """One word of a page: its text, box and confidence (0-1).

    ``ink`` boxes bound the word's ink, in pixels of the image OCR read; the others
    are a PDF text layer's glyph boxes (advance widths), in points.
    """

    text: str
    left: float
    top: float
    width: float
    height: float
    confidence: float
    page: int = 0
    line: int = 0
    ink: bool = True


@dataclass(frozen=True, slots=True)
class LeakEvidence:
    """What came back, as the channels read it.

    ``text`` is the leak's text (pasted, extracted or OCR'd). When the leak came as
    an image, ``words`` holds OCR's word boxes in text order, ``word_starts[i]``
    being where word ``i`` begins in ``text`` (layout channels read geometry);
    when it came as a file, ``file`` is that file (file channels read its data).
    """

    text: str
    words: tuple[WordBox, ...] = ()
    word_starts: tuple[int, ...] = ()
    file: Path | None = None


class Channel(ABC):
    """A family of mark sites: finds them in a parsed master, reads them back from a leak.

    ``consistent`` channels render every site of one rule in one paragraph in the
    same form, because a style that flips inside a paragraph is a visible tell;
    invisible channels need not.
    """

    name: ClassVar[str]
    consistent: ClassVar[bool]
    # Carries code positions of its own, not those the text channels carry: a
    # channel only some copies' formats show (the page layout of a PDF) then adds
    # positions to a leak in that format without thinning the text's repetition.
    own_positions: ClassVar[bool] = False

    def set_by_publisher(self, site: Site) -> bool:
        """Whether a publication printing a phrase of the copy sets this site in its own
        house style (its quotation marks, spacing, typography, the way it writes numbers
        and dates) whatever the copy said, so that a quote in an article need not show
        the copy's form."""
        return True

    @abstractmethod
    def rules(self) -> list[str]:
        """The ids of the rules this channel can apply (for per-document switches)."""

    @abstractmethod
    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        """Every site in the editable regions of ``doc``, none overlapping, in text order."""

    @abstractmethod
    def fold(self, text: str) -> str:
        """Erase variation that other channels or the leak's journey introduce, but keep
        the distinctions between this channel's forms."""

    def reserved_forms(self, rule: str) -> frozenset[int]:
        """Forms a copy never shows for ``rule`` (still recognised when read, as erasures)."""
        return frozenset()

    def flat_form(self, rule: str) -> int | None:
        """The form that common leak journeys (retype, web CMS) collapse ``rule`` to, if any."""
        return None

    def shown_forms(self, site: Site) -> tuple[str, ...]:
        """The site's forms as an author reads them (``barium sites``): the text each shows."""
        return site.forms

    def read(
        self, site: Site, master: str, window: tuple[int, int], leak: LeakEvidence, span: tuple[int, int]
    ) -> int | None:
        """Which form of ``site`` the leak shows, or None when it shows none or several.

        ``window`` is the master span between the aligned words around the site (it
        contains the site); ``span`` is the leak's text between the same words. Text
        channels compare the folded texts; layout and file channels override this to
        read ``leak.words`` or ``leak.file``.
        """
        prefix = master[window[0] : site.start]
        suffix = master[site.end : window[1]]
        seen = self.fold(leak.text[span[0] : span[1]])
        hits = [i for i, form in enumerate(site.forms) if self.fold(prefix + form + suffix) == seen]
        return hits[0] if len(hits) == 1 else None
