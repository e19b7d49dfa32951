"""Suggest author variants: alternative wordings an author can review and keep.

Writing ``{{first|second}}`` by hand is slow, so :func:`suggest` proposes
variants for the author to accept or strike out. Every family only changes word
order or word choice that the orthography channel cannot vary, and each is
tuned for precision over recall: a bad suggestion costs the author's trust, a
missed one costs a few bits.

    >>> report = suggest('"We will win," said Mr Smith.\\n')
    >>> report.text
    '"We will win," {{said Mr Smith|Mr Smith said}}.\\n'

Suggestions are only made in editable prose (never code, URLs or Markdown
syntax), never between quotation marks (a quotation stays verbatim), and never
in a region that already holds ``{{...}}`` markup. ``report.text`` parses to the
same clean master as the input, with one variant per suggestion.

Families, in the order they claim text (a later family never overlaps an
earlier one's suggestion):

* ``attribution-order``: ``"...," said Mr Smith.`` and ``"...," Mr Smith said.``,
  with a job title (``said Ann Lee, chief economist at X.``) and after reported
  speech (``Sales fell, the firm said.``).
* ``sentence-opener``: a sentence-initial ``But`` and ``However,``; ``The firm,
  however, said`` and ``However, the firm said``.
* ``list-order``: ``France, Germany and Italy`` in other orders.
* ``coordination-order``: ``France and Germany`` and ``Germany and France``.
* ``word-choice``: a small table of phrases that mean the same in context
  (``for example``/``for instance``, ``in a bid to``/``in an effort to``...).
* ``time-fronting``: ``Shares fell on Monday.`` and ``On Monday, shares fell.``
* ``source-fronting``: ``Sales rose, according to X.`` and ``According to X,
  sales rose.``

Sentence-initial capitals follow the document's own evidence: a word moved out
of first place is lowered only if the text uses it in lower case elsewhere (or it
is a determiner or pronoun), and kept if the text treats it as a name; when the
text does not say, nothing is suggested.

The orders, names and place lists are deliberately closed: items are only
reordered when they come from a gazetteer (places, nationalities, parties) or
are people the document itself titles (``Mr Blair``), because open-ended
``A and B`` often carries meaning (``came in and sat down``, ``Marks and
Spencer``).

Layout: :mod:`.report` holds :func:`suggest` and its result types;
:mod:`.context` the document every family reads (editable regions,
quotations, capitalisation evidence, claimed spans); :mod:`.sentences` sentence
boundaries; :mod:`.lexicon` the shared word lists. One module per group of
families: :mod:`.attribution`, :mod:`.wording` (openers and word choice),
:mod:`.order` with its :mod:`.gazetteer` (list and pair order) and
:mod:`.fronting` (time and source). Only the names in ``__all__`` are public.
"""

from barium.variants.suggest.report import FAMILIES, Suggestion, SuggestionReport, suggest

__all__ = ["FAMILIES", "Suggestion", "SuggestionReport", "suggest"]
