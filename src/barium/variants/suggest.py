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
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from barium.errors import InputError
from barium.formats import parse
from barium.formats.load import FORMATS
from barium.formats.variants import MAX_FORM_CHARS, MAX_FORMS, format_variant, variant_key
from barium.text import tokenize

__all__ = ["FAMILIES", "Suggestion", "SuggestionReport", "suggest"]

FAMILIES: tuple[str, ...] = (
    "attribution-order",
    "sentence-opener",
    "list-order",
    "coordination-order",
    "word-choice",
    "time-fronting",
    "source-fronting",
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed variant: ``forms[0]`` is ``text[start:end]`` of the input."""

    start: int
    end: int
    family: str
    forms: tuple[str, ...]
    note: str

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "family": self.family,
            "forms": list(self.forms),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SuggestionReport:
    """The input with every suggestion written as markup, and the suggestions.

    ``words`` counts the words of the clean master's editable prose.
    """

    text: str
    suggestions: tuple[Suggestion, ...]
    words: int

    def per_100_words(self) -> float:
        return 100.0 * len(self.suggestions) / self.words if self.words else 0.0

    def by_family(self) -> dict[str, int]:
        counts = Counter(s.family for s in self.suggestions)
        return {f: counts[f] for f in FAMILIES if counts[f]}

    def to_dict(self) -> dict[str, object]:
        return {
            "words": self.words,
            "per_100_words": round(self.per_100_words(), 3),
            "by_family": self.by_family(),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "text": self.text,
        }


def suggest(text: str, fmt: str = "text", *, families: Collection[str] | None = None) -> SuggestionReport:
    """Suggest variants for ``text`` (a text or Markdown master).

    ``families`` picks families by id (default: all of :data:`FAMILIES`); an
    unknown id raises :class:`~barium.errors.InputError`, and so does an unknown
    format or broken existing markup.
    """
    chosen = set(FAMILIES if families is None else families)
    unknown = sorted(chosen - set(FAMILIES))
    if unknown:
        raise InputError(f"unknown suggestion family {', '.join(map(repr, unknown))}; known: {', '.join(FAMILIES)}")
    clean = parse(text, fmt)
    words = sum(len(tokenize(clean.text[r.start : r.end])) for r in clean.regions)
    doc = _Doc(text, fmt)
    accepted: list[Suggestion] = []
    for family in FAMILIES:
        if family in chosen:
            for cand in _FINDERS[family](doc):
                if doc.accept(cand):
                    accepted.append(Suggestion(cand.start, cand.end, family, cand.forms, cand.note))
    accepted.sort(key=lambda s: s.start)
    out = _render(text, accepted)
    if not _round_trips(out, fmt, clean.text, len(clean.variants) + len(accepted)):
        # Never expected; kept so that one odd construct costs one suggestion, not the report.
        accepted = [s for s in accepted if _round_trips(_render(text, [s]), fmt, clean.text, len(clean.variants) + 1)]
        out = _render(text, accepted)
    return SuggestionReport(text=out, suggestions=tuple(accepted), words=words)


def _render(text: str, suggestions: list[Suggestion]) -> str:
    pieces: list[str] = []
    pos = 0
    for s in suggestions:
        pieces += [text[pos : s.start], format_variant(s.forms)]
        pos = s.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _round_trips(out: str, fmt: str, clean: str, variants: int) -> bool:
    try:
        doc = parse(out, fmt)
    except InputError:
        return False
    return doc.text == clean and len(doc.variants) == variants


# --------------------------------------------------------------------------- document context


class _Candidate(NamedTuple):
    start: int
    end: int
    forms: tuple[str, ...]
    note: str


_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MD_SYNTAX = re.compile(r"[*_`\[\]<>\\#~]")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
# A capitalised word after a lower-case word or comma: a name, not a sentence start.
_MID_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][\w'’-]*")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Prof)\.? (?:[A-Z][a-z'’-]+ )?([A-Z][a-z'’-]{2,})\b")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _names(single: str, multi: str = "") -> list[str]:
    """Names from ``single`` (one word each, space-separated) and ``multi`` ('|'-separated)."""
    return single.split() + [m for m in multi.split("|") if m]


_ABBREVIATIONS = _wordset(
    "Mr Mrs Ms Dr St Prof Jr Sr Co Inc Ltd Plc No vs etc Gen Col Lt Sgt Rev Gov Sen Rep Capt Maj Jan Feb Mar Apr "
    "Aug Sept Sep Oct Nov Dec Corp Bros Fig approx"
)
_OPEN_DOUBLE = "“«„"
_QUOTE_MARKS = frozenset("\"“”«»„'‘’")
_CLOSE_DOUBLE = "”»"


class _Doc:
    """The source text with its usable regions, quotations and word evidence."""

    def __init__(self, text: str, fmt: str) -> None:
        self.text = text
        self.fmt = fmt
        raw = FORMATS[fmt](text)
        usable = [r for r in raw.regions if "{{" not in text[r.start : r.end] and "}}" not in text[r.start : r.end]]
        self.regions = [(r.start, r.end) for r in usable]
        self._starts = [r.start for r in usable]
        paragraphs: dict[int, list[tuple[int, int]]] = {}
        for r in raw.regions:
            paragraphs.setdefault(r.paragraph, []).append((r.start, r.end))
        self.paragraphs = sorted((spans[0][0], spans[-1][1]) for spans in paragraphs.values())
        self._para_starts = [a for a, _ in self.paragraphs]
        self.quoted: list[tuple[int, int]] = []
        for spans in paragraphs.values():
            self.quoted.extend(_quotations(text, spans))
        self.quoted.sort()
        self._quote_starts = [a for a, _ in self.quoted]
        self._reach: list[int] = []  # furthest end among the quotations so far
        for _, b in self.quoted:
            self._reach.append(max(b, self._reach[-1]) if self._reach else b)
        self.quote_ends = {b for _, b in self.quoted}
        self.lower_words = set(_LOWER_WORD.findall(text))
        self.mid_capitals = set(_MID_CAPITAL.findall(text))
        self.people = set(_TITLED.findall(text))
        self.taken: list[tuple[int, int]] = []

    def region_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.regions[i][0] <= pos < self.regions[i][1]:
            return self.regions[i]
        return None

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._para_starts, pos) - 1)
        return self.paragraphs[i] if self.paragraphs else (0, len(self.text))

    def in_quotation(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._quote_starts, end)
        return i > 0 and self._reach[i - 1] > start

    def accept(self, c: _Candidate) -> bool:
        """Whether ``c`` is safe to propose; if so, it claims its span."""
        text = self.text
        region = self.region_at(c.start)
        if region is None or c.end > region[1] or c.end <= c.start or text[c.start : c.end] != c.forms[0]:
            return False
        if not 2 <= len(c.forms) <= MAX_FORMS or self.in_quotation(c.start, c.end):
            return False
        for form in c.forms:
            if len(form) > MAX_FORM_CHARS or any(ch in form for ch in "{}|") or _LINE_BREAKS.search(form):
                return False
        if self.fmt == "markdown" and _MD_SYNTAX.search(c.forms[0]):
            return False
        if text[c.start - 1 : c.start] in {"\\", "{", "}"} or text[c.end : c.end + 1] in {"{", "}"}:
            return False
        keys = [variant_key(f) for f in c.forms]
        if len(set(keys)) != len(keys):
            return False
        i = bisect.bisect_left(self.taken, (c.start, c.end))
        # Not even touching a neighbour: a reader sees two separate wordings.
        if i > 0 and self.taken[i - 1][1] >= c.start:
            return False
        if i < len(self.taken) and self.taken[i][0] <= c.end:
            return False
        self.taken.insert(i, (c.start, c.end))
        return True

    def is_common(self, word: str) -> bool:
        """A capitalised sentence-initial ``word`` that is an ordinary word, not a name."""
        lower = word.lower()
        return lower in _FUNCTION_STARTERS or (lower in self.lower_words and word not in self.mid_capitals)

    def mid_sentence(self, phrase: str) -> str | None:
        """``phrase`` (which starts a sentence) as it reads inside one, or None when unsure."""
        words = phrase.split(" ")
        first = words[0]
        if first == "I" or self.is_name(first):
            return phrase
        if not self.is_common(first):
            return None
        if first == "The" and len(words) > 1 and words[1][:1].isupper():
            # "The Magic Roundabout" may be a title: follow what the text does mid-sentence.
            name = re.escape(words[1])
            if re.search(rf"(?<=[a-z,] )the {name}\b", self.text):
                return _lower_first(phrase)
            return phrase if re.search(rf"(?<=[a-z,] )The {name}\b", self.text) else None
        return _lower_first(phrase)

    def sentence_initial(self, phrase: str, *, any_word: bool) -> str | None:
        """``phrase`` (from inside a sentence) as it reads opening one, or None when unsure.

        With ``any_word`` false, only a determiner, pronoun or name may open it.
        """
        first = phrase.split(" ", 1)[0]
        if first in _FUNCTION_STARTERS or (any_word and first.islower() and first.isalpha()):
            return _capitalise(phrase)
        if first[:1].isupper() and self.is_name(first):
            return phrase
        return None

    def is_name(self, word: str) -> bool:
        """A capitalised ``word`` the document itself treats as a name."""
        if word == "I" or (len(word) > 1 and word.isupper()):
            return True
        return word in self.mid_capitals and word.lower() not in self.lower_words


def _quotations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quoted stretches of one paragraph, quotation marks included.

    Whether a straight mark opens or closes is read from its neighbours, not by
    counting: news copy often reopens a quotation it never closed. A quotation still
    open at the end of the paragraph runs to its end (news style reopens one that
    continues in the next paragraph), and a closing mark with no opener protects
    everything before it.
    """
    out: list[tuple[int, int]] = []
    first, end = spans[0][0], spans[-1][1]
    double: int | None = None
    single: int | None = None
    for a, b in spans:
        for i in range(a, b):
            ch = text[i]
            if ch not in _QUOTE_MARKS:
                continue
            before = text[i - 1] if i > first else " "
            after = text[i + 1] if i + 1 < end else " "
            if ch in "'‘’":
                if double is not None:
                    continue
                if single is None and ch != "’" and not before.isalnum() and after.isalnum():
                    single = i
                elif single is not None and ch != "‘" and before.isalnum() and not after.isalnum():
                    # "players' union" inside a quotation: a closing s' may be a possessive.
                    if before == "s" and any(text.find(q, i + 1, end) != -1 for q in "'’"):
                        continue
                    out.append((single, i + 1))
                    single = None
                continue
            if ch in _OPEN_DOUBLE:
                opening = True
            elif ch in _CLOSE_DOUBLE:
                opening = False
            elif before.isspace() or before in "([{—–-":
                opening = not after.isspace()
            elif after.isspace() or after in ".,;:!?)]}—–-":
                opening = False
            else:
                opening = double is None
            if opening:
                if double is None:
                    double = i
                if single is not None:  # a double mark ends any single-quoted stretch
                    out.append((single, i))
                    single = None
            elif double is not None:
                out.append((double, i + 1))
                double = None
            else:
                out.append((first, i + 1))
    if double is not None:
        out.append((double, end))
    if single is not None:
        out.append((single, end))
    return out


def _at_sentence_start(doc: _Doc, pos: int) -> bool:
    """Whether a sentence starts at ``pos`` (a word's first letter)."""
    text = doc.text
    j = pos - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0:
        return True
    if doc.fmt == "markdown" and text[j] != "\n":
        line = text.rfind("\n", 0, pos) + 1
        if _MD_LIST_OR_HEADING.fullmatch(text[line:pos]):
            return True
    if text[j] == "\n":
        j -= 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j < 0 or text[j] == "\n":
            return True
    if text[j] in "\"'”’)" and j > 0:
        j -= 1
    if text[j] in "!?":
        return True
    if text[j] != "." or text[j - 1 : j] == ".":
        return False
    word = re.search(r"[A-Za-z]+$", text[max(0, j - 12) : j])
    return not (word and (len(word.group()) == 1 or word.group() in _ABBREVIATIONS))


_MD_LIST_OR_HEADING = re.compile(r" {0,3}(?:>\s?)*(?:[-+*]|\d{1,9}[.)]|#{1,6})\s+")


def _sentence_end(doc: _Doc, pos: int) -> int | None:
    """Offset of the mark that ends the sentence running through ``pos``, in its paragraph."""
    _, b = doc.paragraph_at(pos)
    for m in _TERMINAL.finditer(doc.text, pos, b):
        if m.group() != ".":
            return m.start()
        word = re.search(r"[A-Za-z]+$", doc.text[max(0, m.start() - 12) : m.start()])
        if word and (len(word.group()) == 1 or word.group() in _ABBREVIATIONS):
            continue
        return m.start()
    return None


_TERMINAL = re.compile(r"[.!?](?=[\s\"'”’)]|$)")


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


# Sentence-initial words known to be ordinary words; other words need the document's evidence.
_FUNCTION_STARTERS = _wordset(
    "shares sales prices profits investors analysts police officials ministers voters fans talks consumers "
    "unemployment inflation growth demand revenue revenues turnover exports imports figures results "
    "the a an he she it they we you there this these those its his her their our my your some many most several "
    "both all any each every no one two three four five six seven eight nine ten such other others"
)


# --------------------------------------------------------------------------- attribution-order

_VERBS = r"said|says|added|adds|explained|insisted|warned|admitted|argued|asked|stressed"
_TOKEN = r"[A-Za-z][\w'’-]*"
_SUBJECT = rf"(?:(?:Mr|Mrs|Ms|Dr|Prof)\. )?{_TOKEN}(?: {_TOKEN}){{0,6}}"
_DETERMINERS = _wordset("the a an his her its their our one")
_PRONOUNS = _wordset("he she they we")
# Words that make a phrase more than a speaker: clauses, adjuncts, verbs.
_NOT_IN_SUBJECT = _wordset(
    "who which that whose whom and or but nor when where while if as than because after before since until "
    "said says say told tells is was were are be been has had have will would could should can may might must "
    "not also then later earlier yesterday today tonight now again once too on in at by with from to into "
    "during about over after without first last time part interview conference briefing reporters journalists "
    "however meanwhile afterwards afterward here there again instead"
)
_SPEAKER_NOUNS = _wordset(
    "spokesman spokeswoman spokesperson minister secretary director head chief manager correspondent editor "
    "analyst adviser advisor officer representative boss chairman chairwoman executive leader president "
    "commissioner member members governor founder owner coach captain general lawyer solicitor agent economist "
    "official officials source sources expert striker midfielder defender forward winger goalkeeper keeper "
    "player manager star singer actor actress author writer producer director skipper champion mp candidate "
    "campaigner report study survey statement"
)
_LY_NOUNS = _wordset("family ally assembly rally supply monopoly")
_ROLE = r"[A-Za-z(][^,;:\"“”‘’.!?]*?"
_END = r"(?=\.(?:\s|$))"  # the attribution ends the sentence
# After a closing quotation mark: (pattern, may the speaker be a pronoun, note). The first match decides.
_QUOTED_ATTRIBUTIONS = (
    (re.compile(rf"(?P<subj>{_SUBJECT}) (?P<verb>{_VERBS}){_END}"), False, "speaker after the verb"),
    (re.compile(rf"(?P<verb>{_VERBS}) (?P<subj>{_SUBJECT}){_END}"), True, "speaker before the verb"),
    (
        re.compile(rf"(?P<verb>{_VERBS}) (?P<subj>(?=[A-Z]){_SUBJECT}), (?P<role>{_ROLE}){_END}"),
        False,
        "speaker and role before the verb",
    ),
    (
        re.compile(rf"(?P<subj>(?=[A-Z]){_SUBJECT}), (?P<role>{_ROLE}), (?P<verb>{_VERBS}){_END}"),
        False,
        "speaker and role after the verb",
    ),
)
_NOT_A_ROLE_START = _wordset(
    "in on at after before during without with speaking adding according referring when while as who which "
    "although though because if but and or so then also too however now today yesterday"
)
_NOT_IN_ROLE = _wordset("who which that whose whom when where while said says told adding speaking")
_CAPITALISED_NON_NAMES = _wordset(
    "He She It They We I You This That These Those There Some Many Most Others All Both One Each Few Several "
    "Everyone Nobody Someone Who What The A An His Her Its Their Our But And However"
)


def _speaker(subject: str, *, pronoun_ok: bool) -> bool:
    """Whether ``subject`` is a plain noun phrase naming a speaker, with no adjunct."""
    tokens = subject.split(" ")
    first = tokens[0]
    if first in _PRONOUNS:
        return pronoun_ok and len(tokens) == 1
    if first not in _DETERMINERS and (not first[0].isupper() or first in _CAPITALISED_NON_NAMES):
        return False
    last = tokens[-1].rstrip(".")
    if (len(last) == 1 and last.isupper()) or last in _ABBREVIATIONS:
        return False
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in _NOT_IN_SUBJECT or (tok.islower() and low.endswith("ly") and low not in _LY_NOUNS):
            return False
        if low in {"of", "for"}:
            prev, rest = tokens[i - 1] if i else "", tokens[i + 1 :]
            if not rest:
                return False
            if prev.lower() in _SPEAKER_NOUNS:
                continue  # the head of the union, a spokesman for the firm
            organisation = all(t[:1].isupper() or t in {"the", "of", "and"} for t in rest)
            if not (prev[:1].isupper() and rest[0][:1].isupper() and organisation and not _possessive(rest[-1])):
                return False  # "said Mr Smith of the decision" is about something, not someone
    # A lower-case tail after a name belongs to it only as a job ("a Japan Airlines spokesman").
    capitals = [i for i, t in enumerate(tokens) if t[:1].isupper()]
    if capitals and capitals[-1] < len(tokens) - 1 and not _possessive(tokens[capitals[-1]]):
        return tokens[-1].lower() in _SPEAKER_NOUNS
    return True


def _role(role: str) -> bool:
    """Whether ``role`` is an apposition naming a job ("chief economist at Capital
    Economics"), not a clause or an adjunct ("who is retiring", "speaking on Monday")."""
    words = role.split(" ")
    if not 1 <= len(words) <= 12 or words[0].lower() in _NOT_A_ROLE_START:
        return False
    if words[-1].rstrip(")") in _ABBREVIATIONS:
        return False  # "Acme Inc." keeps its full stop only at the end of the sentence
    return not any(w.lower() in _NOT_IN_ROLE or _verbish(w.lower()) for w in words)


def _possessive(token: str) -> bool:
    return token.endswith(("'s", "’s", "s'", "s’"))


def _attribution(doc: _Doc) -> Iterator[_Candidate]:
    text = doc.text
    for q in sorted(doc.quote_ends):
        # '"...," said Mr Smith.' or '"...", said Mr Smith.' after a closing quotation mark
        at = q + 1 if text[q : q + 1] == "," else q
        if text[at : at + 1] != " " or not (text[q - 2 : q - 1] in {",", "?", "!"} or at > q):
            continue
        region = doc.region_at(at + 1)
        if region is None:
            continue
        asking = text[q - 2 : q - 1] == "?"
        for pattern, pronoun_ok, note in _QUOTED_ATTRIBUTIONS:
            if m := pattern.match(text, at + 1, region[1]):
                subj, verb, role = m.group("subj"), m.group("verb"), m.groupdict().get("role")
                if (verb == "asked" and not asking) or not _speaker(subj, pronoun_ok=pronoun_ok):
                    break
                if role is None:
                    other = f"{subj} {verb}" if m.group().startswith(verb) else f"{verb} {subj}"
                elif _role(role):
                    other = f"{subj}, {role}, {verb}" if m.group().startswith(verb) else f"{verb} {subj}, {role}"
                else:
                    break
                yield _Candidate(m.start(), m.end(), (m.group(), other), note)
                break
    yield from _reported(doc)


def _reported(doc: _Doc) -> Iterator[_Candidate]:
    """Reported speech: 'Sales fell, the firm said.' and 'Sales fell, said the firm.'"""
    text = doc.text
    for a, b in doc.regions:
        for m in _REPORTED.finditer(text, a, b):
            start = _sentence_start_before(doc, m.start())
            clause = text[start : m.start()]
            words = _WORDS.findall(clause)
            if any(ch in _QUOTE_MARKS for ch in clause) or len(words) < 5 or words[0] in _SUBORDINATE_OPENERS:
                continue
            if not any(_verbish(w.lower()) for w in words):
                continue  # "Despite the fall in sales, the firm said." is not a report
            if subj := m.group("subj"):
                verb = m.group("verb")
                if _speaker(subj, pronoun_ok=False):
                    forms = (f"{subj} {verb}", f"{verb} {subj}")
                    yield _Candidate(m.start("subj"), m.end(), forms, "speaker after the verb")
            else:
                subj, verb = m.group("isubj"), m.group("iverb")
                if _speaker(subj, pronoun_ok=False):
                    forms = (f"{verb} {subj}", f"{subj} {verb}")
                    yield _Candidate(m.start("iverb"), m.end(), forms, "speaker before the verb")


_REPORTED = re.compile(
    rf"(?<=[\w%)]), (?:(?P<subj>{_SUBJECT}) (?P<verb>said|says|added|adds)"
    rf"|(?P<iverb>said|says|added|adds) (?P<isubj>{_SUBJECT}))(?=\.(?:\s|$))"
)
_SUBORDINATE_OPENERS = _wordset(
    "When If Although Though As Because While Whilst Asked Speaking Despite After Before Since Unless Until Once "
    "Whether Where Writing Commenting Responding According"
)


def _sentence_start_before(doc: _Doc, pos: int) -> int:
    """Where the sentence running through ``pos`` starts, within its paragraph."""
    para_start, _ = doc.paragraph_at(pos)
    start = para_start
    for m in _SENTENCE_BREAK.finditer(doc.text, para_start, pos):
        word = re.search(r"[A-Za-z]+$", doc.text[max(0, m.start() - 12) : m.start() + 1].rstrip(".!?\"'”’) "))
        if m.group().startswith(".") and word and (len(word.group()) == 1 or word.group() in _ABBREVIATIONS):
            continue
        start = m.end()
    return start


_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"'“‘(])")


# --------------------------------------------------------------------------- sentence-opener

_BUT = re.compile(r"\bBut (?=[A-Za-z])")
_HOWEVER = re.compile(r"\bHowever, (?=[A-Za-z])")
# Openers where "However," would change the meaning or read badly.
_NOT_AFTER_BUT = _wordset(
    "for then also still yet even instead rather what why how who whom which where so and or nor now"
)
# "The firm, however, said" and "However, the firm said": a short subject, no verb in it.
_MID_HOWEVER = re.compile(r"\b(?P<subj>[A-Z][\w'’-]*(?: [\w'’-]+){0,4}), however,(?= [a-z])")
_SAID_COMMA = re.compile(r"^(?:\S+ ){0,4}(?:said|says|added|argued|insisted|admitted|warned),")


def _openers(doc: _Doc) -> Iterator[_Candidate]:
    text = doc.text
    for a, b in doc.regions:
        for m in _BUT.finditer(text, a, b):
            following = re.match(r"[A-Za-z]+", text[m.end() : m.end() + 20])
            if following and following.group().lower() in _NOT_AFTER_BUT:
                continue
            if _at_sentence_start(doc, m.start()) and _statement(doc, m.end()):
                yield _Candidate(m.start(), m.start() + 3, ("But", "However,"), "sentence opener")
        for m in _HOWEVER.finditer(text, a, b):
            if _SAID_COMMA.match(text[m.end() : m.end() + 80]):
                continue
            if _at_sentence_start(doc, m.start()) and _statement(doc, m.end()):
                yield _Candidate(m.start(), m.start() + 8, ("However,", "But"), "sentence opener")
        for m in _MID_HOWEVER.finditer(text, a, b):
            subject = m.group("subj")
            words = subject.split(" ")
            if any(w.lower() in _NOT_IN_SIMPLE or _verbish(w.lower()) for w in words):
                continue
            if not (_at_sentence_start(doc, m.start()) and _statement(doc, m.end())):
                continue
            if (moved := doc.mid_sentence(subject)) is None:
                continue
            yield _Candidate(m.start(), m.end(), (m.group(), f"However, {moved}"), "however moved to the front")


def _statement(doc: _Doc, pos: int) -> bool:
    """Whether the sentence through ``pos`` ends with a full stop (not a question)."""
    end = _sentence_end(doc, pos)
    return end is not None and doc.text[end] == "."


# --------------------------------------------------------------------------- list-order, coordination-order

_COUNTRIES = _names(
    "Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus "
    "Belgium Bolivia Brazil Britain Bulgaria Burma Cambodia Cameroon Canada Chile China Colombia Croatia Cuba "
    "Cyprus Denmark Ecuador Egypt England Estonia Ethiopia Finland France Germany Ghana Greece Hungary Iceland "
    "India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Kazakhstan Kenya Kuwait Latvia Lebanon Liberia "
    "Libya Lithuania Luxembourg Malaysia Malta Mexico Moldova Morocco Mozambique Namibia Nepal Nigeria Norway "
    "Pakistan Peru Poland Portugal Qatar Romania Russia Rwanda Scotland Senegal Serbia Singapore Slovakia Slovenia "
    "Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia Uganda Ukraine Uruguay "
    "Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe Europe Asia Africa",
    "South Africa|South Korea|North Korea|New Zealand|Saudi Arabia|Sri Lanka|Hong Kong|Northern Ireland|"
    "Latin America|Ivory Coast|Sierra Leone",
)
_CITIES = _names(
    "London Paris Berlin Madrid Rome Tokyo Beijing Moscow Brussels Dublin Edinburgh Glasgow Cardiff Belfast "
    "Birmingham Leeds Bristol Sheffield Chicago Boston Sydney Melbourne Mumbai Delhi Shanghai Toronto Vienna "
    "Amsterdam Geneva Zurich Milan Barcelona Lisbon Athens Stockholm Oslo Copenhagen Helsinki Warsaw Prague "
    "Budapest Istanbul Baghdad Tehran Jerusalem Cairo Beirut Kabul Islamabad Seoul Bangkok Jakarta",
    "New York|Los Angeles|San Francisco|New Delhi",
)
# Places that take "the" as nouns; bare, the abbreviations also work as adjectives (US and UK troops).
_THE_PLACES = _names(
    "US UK EU UN IMF Netherlands Philippines Caribbean",
    "United States|United Kingdom|Czech Republic|Middle East|Far East|European Union|Soviet Union|World Bank",
)
_ABBREVIATED_PLACES = _wordset("US UK EU UN IMF")
_NATIONALITIES = _names(
    "British English Scottish Welsh Irish French German Italian Spanish Portuguese Dutch Belgian Swiss Austrian "
    "Swedish Norwegian Danish Finnish Polish Czech Hungarian Romanian Bulgarian Greek Turkish Russian Ukrainian "
    "American Canadian Mexican Brazilian Argentine Argentinian Chilean Chinese Japanese Korean Indian Pakistani "
    "Afghan Iraqi Iranian Israeli Palestinian Syrian Lebanese Egyptian Saudi Kenyan Nigerian Australian European "
    "Asian African Arab Muslim Christian Jewish Hindu Sikh Catholic Protestant"
)
_PARTIES = _names(
    "Labour Conservative Conservatives Tory Tories Republican Republicans Democrat Democrats",
    "Liberal Democrat|Liberal Democrats|Lib Dem|Lib Dems",
)
# Pairs that are one name, not two: never reordered.
_FIXED_PAIRS = frozenset(
    frozenset(p)
    for p in (
        ("Serbia", "Montenegro"),
        ("Trinidad", "Tobago"),
        ("Bosnia", "Herzegovina"),
        ("Antigua", "Barbuda"),
        ("Turks", "Caicos"),
        ("Sao Tome", "Principe"),
    )
)
_CATEGORY: dict[str, str] = {}
_CATEGORY.update(dict.fromkeys(_COUNTRIES + _CITIES + _THE_PLACES, "place"))
_CATEGORY.update(dict.fromkeys(_NATIONALITIES, "nationality"))
_CATEGORY.update(dict.fromkeys(_PARTIES, "party"))


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_ITEM = re.compile(
    r"(?<![\w'’.-])(?:"
    rf"(?P<the>[Tt]he )?(?P<tname>{_alternation(_THE_PLACES)})"
    rf"|(?P<name>{_alternation(_COUNTRIES + _CITIES + _NATIONALITIES + _PARTIES)})"
    r"|(?P<title>(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Prof)\.? (?:[A-Z][a-z'’-]+ )?(?P<surname>[A-Z][a-z'’-]+))"
    r"|(?P<bare>[A-Z][a-z'’-]{2,})"
    r")(?![\w-])"
)
_PREPOSITIONS = _wordset(
    "in on at for from with by over into against about after before during since under between to as than "
    "through across within without amid among amongst towards toward last this earlier later"
)
_CLAUSE_OPENERS = _wordset("that while when whereas if because but although though as since both")
_ORDER_WORDS = re.compile(r"\b(?:respectively|former|latter|in that order|vice versa)\b", re.IGNORECASE)
# A list in a sentence about rank reads as ranked: "fourth after England, South Africa and France".
_RANKING = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|ranked|ranking|rankings|behind|"
    r"ahead of|followed by|top (?:two|three|four|five)|order)\b",
    re.IGNORECASE,
)
_PARALLEL_NUMBERS = re.compile(r"\d[\d,.]*(?:%|m|bn| per cent)? and [£$€]?\d")


_ORDERS: dict[int, list[tuple[int, ...]]] = {2: [(0, 1), (1, 0)], 3: [(0, 1, 2), (0, 2, 1), (1, 0, 2), (2, 1, 0)]}


class _Item(NamedTuple):
    start: int
    end: int
    name: str
    category: str
    the: bool  # written with its own "the"


def _items(doc: _Doc, a: int, b: int) -> list[_Item]:
    out = []
    for m in _ITEM.finditer(doc.text, a, b):
        if m.group("tname"):
            name = m.group("tname")
            out.append(_Item(m.start(), m.end(), name, "place", bool(m.group("the"))))
        elif m.group("name"):
            out.append(_Item(m.start(), m.end(), m.group("name"), _CATEGORY[m.group("name")], False))
        elif m.group("title"):
            out.append(_Item(m.start(), m.end(), m.group("title"), "person", False))
        elif m.group("bare") in doc.people and m.group("bare") not in _CATEGORY:
            out.append(_Item(m.start(), m.end(), m.group("bare"), "person", False))
    return out


def _lists(doc: _Doc) -> Iterator[_Candidate]:
    yield from _sequences(doc, three=True)


def _pairs(doc: _Doc) -> Iterator[_Candidate]:
    yield from _sequences(doc, three=False)


def _sequences(doc: _Doc, *, three: bool) -> Iterator[_Candidate]:
    text = doc.text
    for a, b in doc.regions:
        items = _items(doc, a, b)
        n = 3 if three else 2
        for i in range(len(items) - n + 1):
            group = items[i : i + n]
            seps = [text[x.end : y.start] for x, y in pairwise(group)]
            if three:
                if seps[0] != ", " or seps[1] not in {" and ", ", and "}:
                    continue
            elif seps != [" and "]:
                continue
            cand = _reorder(doc, group, seps)
            if cand is not None:
                yield cand


def _reorder(doc: _Doc, group: list[_Item], seps: list[str]) -> _Candidate | None:
    text = doc.text
    if len({x.category for x in group}) != 1 or len({x.name for x in group}) != len(group):
        return None
    if any(frozenset((x.name, y.name)) in _FIXED_PAIRS for x, y in pairwise(group)):
        return None
    first, last = group[0], group[-1]
    category = first.category
    sentence_start = _at_sentence_start(doc, first.start)
    para = doc.paragraph_at(first.start)
    if _ORDER_WORDS.search(text, *para):
        return None
    end = _sentence_end(doc, last.end)
    sentence = (_sentence_start_before(doc, first.start), para[1] if end is None else end)
    if _PARALLEL_NUMBERS.search(text, *sentence) or _RANKING.search(text, *sentence):
        return None

    # What comes before: not part of a longer name, not the tail of a longer list.
    before = text[max(para[0], first.start - 60) : first.start]
    prev_words = re.findall(r"[\w'’-]+|[^\w\s]", before)
    prev = prev_words[-1] if prev_words else ""
    prev2 = prev_words[-2] if len(prev_words) > 1 else ""
    if before and not before[-1].isspace() and before[-1] not in "(":
        return None
    if prev in {"and", "or", "nor", "&", "-", "–", "/"}:
        return None
    if prev == "," and prev2[:1].isupper():
        return None
    if prev[:1].isupper() and not (
        _at_sentence_start(doc, first.start - len(prev) - 1) and prev.lower() in _PREPOSITIONS | {"both", "between"}
    ):
        return None
    if prev == "of" and prev2[:1].isupper():
        return None
    clause_start = sentence_start or prev in _CLAUSE_OPENERS or (prev == "," and not prev2[:1].isupper())
    binding = prev in {"between", "both"}

    # What comes after the last item.
    after = text[last.end : last.end + 40]
    nxt = re.match(r"\s*([\w'’-]+|\S)?", after)
    follower = nxt.group(1) if nxt and nxt.group(1) else ""
    shared_the = (prev == "the" or prev == "The") and not any(x.the for x in group)
    adjectival = False
    closing = follower in {"", ".", ",", ";", ":", "!", "?", ")"} or after.startswith(("'s", "’s", "' ", "’ "))
    if closing or follower in _PREPOSITIONS:
        pass
    elif (
        follower[:1].isupper() or follower[:1].isdigit() or follower.lower() in {"-", "–", "/", "&", "and", "or", "nor"}
    ):
        return None
    elif category in {"nationality", "party"} or all(x.name in _ABBREVIATED_PLACES and not x.the for x in group):
        adjectival = True
    elif not (clause_start or binding):
        return None
    if adjectival and any(x.the for x in group):
        return None
    bare_the = [x.name in _THE_PLACES and not x.the for x in group]
    if any(x.the for x in group) and any(bare_the) and not shared_the:
        return None  # "the US, China and UK": a bare noun that needs its own "the" once moved

    words = [text[x.start : x.end] for x in group]
    if sentence_start and words[0].startswith("The "):
        words[0] = "the " + words[0][4:]
    orders = _ORDERS[len(group)]

    def build(order: tuple[int, ...]) -> str:
        pieces = [words[order[0]]]
        for sep, k in zip(seps, order[1:], strict=True):
            pieces += [sep, words[k]]
        out = "".join(pieces)
        return _capitalise(out) if sentence_start else out

    forms = tuple(build(o) for o in orders)
    if forms[0] != text[first.start : last.end]:
        return None
    note = "list order" if len(group) == 3 else "coordination order"
    return _Candidate(first.start, last.end, forms, note)


# --------------------------------------------------------------------------- word-choice

_DET = r"(?:the|a|an|his|her|its|their|our|my|your|this|that|these|those)"
# "to" followed by a verb, not by a noun phrase ("started to the cheers").
_VERB_AHEAD = rf"(?= (?!{_DET}\b)[a-z])"
_NUMBER_AHEAD = (
    r"(?= (?:[£$€]?\d|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred)\b))"
)
# (pattern with group "w", the interchangeable wordings in lower case). A match must be one of them.
_CHOICES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\b(?P<w>[Ff]or (?:example|instance))\b"), ("for example", "for instance")),
    (
        re.compile(rf"\b(?P<w>[Ii]n (?:a bid|an attempt|an effort) to){_VERB_AHEAD}"),
        ("in a bid to", "in an attempt to", "in an effort to"),
    ),
    (
        # not "each other country" (= every other country)
        re.compile(
            r"\b(?P<w>each other|one another)(?=['’]s\b|[.,;:!?)]| (?:in|on|at|for|from|with|by|over|into|and|or|"
            r"but|as|than|to|about|again|more|out|up|down|off|because|if|when|while|after|before|during)\b)"
        ),
        ("each other", "one another"),
    ),
    (
        # not the passive "was tried" (in court)
        re.compile(
            rf"(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )(?<!\bis )\b(?P<w>tried to|attempted to){_VERB_AHEAD}"
        ),
        ("tried to", "attempted to"),
    ),
    (re.compile(rf"\b(?P<w>trying to|attempting to){_VERB_AHEAD}"), ("trying to", "attempting to")),
    (re.compile(r"\b(?P<w>[Pp]rior to)\b"), ("prior to", "before")),
    (
        # "most of the", never "most of people"
        re.compile(r"\b(?P<w>[Tt]he majority of)(?= (?:the|his|her|its|their|our|these|those|them|us|my|your)\b)"),
        ("the majority of", "most of"),
    ),
    (re.compile(rf"\b(?P<w>[Aa] further){_NUMBER_AHEAD}"), ("a further", "another")),
    (
        # "at the moment of", "at the moment he scored" are a point in time
        re.compile(r"\b(?P<w>[Aa]t (?:the moment|present))(?=[.,;:!?)]| (?:and|but)\b)"),
        ("at the moment", "at present"),
    ),
    # "owing to" is only offered: found, it may mean "owed to" (money owing to creditors)
    (re.compile(r"\b(?P<w>[Bb]ecause of|[Aa]s a result of)\b"), ("because of", "as a result of", "owing to")),
    (re.compile(r"\b(?P<w>[Ii]n the wake of)\b"), ("in the wake of", "following")),
    (re.compile(r"\b(?P<w>[Ee]ach)(?= (?:year|month|week|day)\b(?!['’]s| of\b))"), ("each", "every")),
    (re.compile(r"\b(?P<w>[Ii]n contrast|[Bb]y contrast)(?=,)"), ("in contrast", "by contrast")),
    (re.compile(r"\b(?P<w>[Nn]evertheless|[Nn]onetheless)\b"), ("nevertheless", "nonetheless")),
    (
        re.compile(rf"\b(?:is|are|was|were|be|been|am)(?: [a-z]+ly)? (?P<w>starting to|beginning to){_VERB_AHEAD}"),
        ("starting to", "beginning to"),
    ),
    (
        re.compile(
            r"\b(?:will|would|could|should|can|may|might|must|to|not|did|do|does|cannot|[a-z]+n['’]t)"
            rf" (?P<w>start to|begin to){_VERB_AHEAD}"
        ),
        ("start to", "begin to"),
    ),
)
_STARTED = re.compile(rf"\b(?P<w>started|began|begun) to{_VERB_AHEAD}")
_PERFECT = re.compile(r"\b(?:has|have|had|having|['’]s|['’]ve)(?: [a-z]+ly| not| never| also| already)? $")
_TOO = re.compile(r"(?<=[a-z]) (?P<w>too|as well)(?=[.!](?:\s|$))")
_SO_FAR = re.compile(r"\b(?P<w>So far|To date)(?=, [A-Za-z])")


def _choices(doc: _Doc) -> Iterator[_Candidate]:
    text = doc.text
    found: list[_Candidate] = []
    for a, b in doc.regions:
        for pattern, forms in _CHOICES:
            for m in pattern.finditer(text, a, b):
                if (c := _choice(m.start("w"), m.group("w"), forms)) is not None:
                    found.append(c)
        for m in _STARTED.finditer(text, a, b):
            # has started/begun to, but started/began to
            perfect = bool(_PERFECT.search(text[max(a, m.start() - 30) : m.start()]))
            forms = ("started", "begun") if perfect else ("started", "began")
            if (c := _choice(m.start("w"), m.group("w"), forms)) is not None:
                found.append(c)
        for m in _TOO.finditer(text, a, b):
            before = text[max(a, m.start() - 12) : m.start()].split()
            prev = before[-1].lower() if before else ""
            if prev in {"might", "may", "could", "just", "not", "far", "much", "all", "only", "way", "bit"}:
                continue  # "might as well", "not too"
            if (c := _choice(m.start("w"), m.group("w"), ("too", "as well"))) is not None:
                found.append(c)
        for m in _SO_FAR.finditer(text, a, b):
            if _at_sentence_start(doc, m.start()) and (c := _choice(m.start(), m.group("w"), ("so far", "to date"))):
                found.append(c)
    found.sort()
    yield from found


def _choice(start: int, original: str, forms: tuple[str, ...]) -> _Candidate | None:
    lower = _lower_first(original)
    if lower not in forms:
        return None
    others = [f for f in forms if f != lower]
    if original[:1].isupper():
        others = [_capitalise(f) for f in others]
    alts = (original, *others)
    return _Candidate(start, start + len(original), alts, "word choice: " + " / ".join(alts))


# --------------------------------------------------------------------------- time-fronting

_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?:19|20)\d\d"
# Time adverbials as they read at the end of a sentence (first letter lower case).
_ADVERBIAL = (
    rf"(?:(?:late |early )?on {_DAY}(?: (?:morning|afternoon|evening|night))?"
    rf"|(?:last|this|next) (?:week|month|year|weekend|season|summer|autumn|winter|spring|{_DAY}|{_MONTH})"
    rf"|last night|(?:earlier|later) this (?:week|month|year)"
    rf"|in {_MONTH}(?: {_YEAR})?|in {_YEAR}"
    rf"|in the (?:first|second|third|fourth|final|last) quarter(?: of (?:the year|{_YEAR}))?"
    rf"|(?:two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}}) (?:days|weeks|months|years) ago"
    rf"|a (?:day|week|month|year) ago"
    rf"|on \d{{1,2}} {_MONTH}(?: {_YEAR})?|(?:over|at) the weekend|yesterday|today)"
)
_AT_END = re.compile(rf"(?P<body>.+?) (?P<adv>{_ADVERBIAL})")
_AT_START = re.compile(rf"(?P<adv>{_ADVERBIAL})(?P<comma>,?) (?P<body>.+)")
_TIME_WORD = re.compile(rf"\b(?:{_DAY}|{_MONTH}|{_YEAR}|yesterday|today|tonight|ago|week|month|year)\b")
_PLAIN = re.compile(r"[A-Za-z0-9£$€%'’ .-]+")
# A sentence with any of these has a second clause, a scope or a comparison the move could change.
_NOT_IN_SIMPLE = _wordset(
    "and but or nor that which who whom whose when where while whilst if because after before as than since "
    "until till although though unless whether said says say told tell tells not never no only just even from "
    "compared against between ago each every per both either neither so such once first last next "
    "due likely set has have"
)
# Verbs whose object can carry its own date (a forecast for 2005 is not made in 2005).
_FORWARD_LOOKING = tuple(
    _wordset(
        "forecast predict expect plan project estimat aim target intend propos seek sought want hope hoping "
        "anticipat envisag promis pledg vow threat warn schedul budget prepar"
    )
)
_SUBJECT_PRONOUNS = _wordset("he she it they we i you there")
_AUX = _wordset(
    "is are was were be been being am has have had having do does did will would could should can may might must shall"
)
_IRREGULAR_PAST = _wordset(
    "was were had did made took came went said told saw gave got put rose fell won lost left paid sold bought "
    "became began begun held kept met ran set cut hit led sent spent struck stood brought thought found built "
    "grew grown drew drawn shown seen taken given known knew fallen risen chosen chose broke broken spoke spoken "
    "wrote written sank sunk shut quit let hurt lent sought caught taught fought beat beaten driven drove flew "
    "flown threw thrown wore worn hid hidden forgot forgotten swore sworn froze frozen stole stolen withdrew "
    "withdrawn upheld overcame overtook undertook sang sung rang rung swam swum slid split spread bid laid lay "
    "meant felt dealt heard sat"
)
_ING_NOUNS = _wordset(
    "morning evening meeting building spending funding trading housing banking lending borrowing pricing "
    "marketing training ceiling something nothing anything everything during earnings savings filing hearing "
    "ruling listing offering opening rating ranking booking clothing shipping"
)
_ED_NON_VERBS = _wordset(
    "need speed proceed exceed succeed feed seed breed bleed heed weed deed greed creed steed indeed reed shed "
    "hundred sacred naked wicked kindred"
)
_NOT_BEFORE_ADVERBIAL = _wordset(
    "of the a an from since until to for by between before after during as than and or but in on at with "
    "earlier later early late"
)
_WORDS = re.compile(r"[A-Za-z][\w'’-]*|[£$€]?\d[\d,.%]*")


def _fronting(doc: _Doc) -> Iterator[_Candidate]:
    text = doc.text
    for a, b in doc.regions:
        for s, e in _sentences(doc, a, b):
            sentence = text[s:e]
            if (m := _AT_END.fullmatch(sentence)) and _simple(m.group("body")):
                body, adv = m.group("body"), m.group("adv")
                # A sentence does not open with a numeral.
                if (moved := doc.mid_sentence(body)) is None or adv[0].isdigit():
                    continue
                yield _Candidate(s, e, (sentence, f"{_capitalise(adv)}, {moved}"), "time adverbial fronted")
            elif (m := _AT_START.fullmatch(_lower_first(sentence))) and _simple(m.group("body")):
                adv, comma, body = m.group("adv"), m.group("comma"), m.group("body")
                # Without the comma, "Today programme ..." is not "Today, programme ...".
                if (moved := doc.sentence_initial(body, any_word=bool(comma))) is None:
                    continue
                yield _Candidate(s, e, (sentence, f"{moved} {adv}"), "time adverbial moved to the end")


def _according(doc: _Doc) -> Iterator[_Candidate]:
    """'Sales rose 5%, according to the firm.' and 'According to the firm, sales rose 5%.'"""
    text = doc.text
    for a, b in doc.regions:
        for s, e in _sentences(doc, a, b):
            sentence = text[s:e]
            if m := _SOURCE_AT_END.fullmatch(sentence):
                body, source = m.group("body"), m.group("source")
                if not (_source(source) and _clause(body)) or (moved := doc.mid_sentence(body)) is None:
                    continue
                yield _Candidate(s, e, (sentence, f"{_capitalise(source)}, {moved}"), "source fronted")
            elif m := _SOURCE_AT_START.fullmatch(sentence):
                source, body = m.group("source"), m.group("body")
                if not (_source(source) and _clause(body)):
                    continue
                if (moved := doc.sentence_initial(body, any_word=True)) is None:
                    continue
                yield _Candidate(s, e, (sentence, f"{moved}, {_lower_first(source)}"), "source moved to the end")


_SOURCE_AT_END = re.compile(r"(?P<body>[A-Z][^,;:]+), (?P<source>according to [^,;:]+)")
_SOURCE_AT_START = re.compile(r"(?P<source>According to [^,;:]+), (?P<body>[^,;:]+)")


def _source(source: str) -> bool:
    words = _WORDS.findall(source)[2:]  # after "according to"
    return 1 <= len(words) <= 8 and not any(w.lower() in _CLAUSE_WORDS | _NOT_IN_SUBJECT - {"of", "for"} for w in words)


def _clause(body: str) -> bool:
    """One plain clause: no quotation, no second clause for the source to cover alone."""
    if any(ch in _QUOTE_MARKS or ch in "()[]—–" for ch in body) or re.search(r"\s-\s", body):
        return False
    words = _WORDS.findall(body)
    return 3 <= len(words) <= 30 and not any(w.lower() in _CLAUSE_WORDS for w in words)


_CLAUSE_WORDS = _wordset(
    "and but or nor while whilst whereas although though because if whether that which who said says told "
    "according confirmed claimed believes believed thinks thought"
)


def _sentences(doc: _Doc, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Sentences wholly inside region ``a:b`` that end with a full stop, without the stop."""
    text = doc.text
    start = a
    for m in _TERMINAL.finditer(text, a, b):
        if m.group() == ".":
            word = re.search(r"[A-Za-z]+$", text[max(a, m.start() - 12) : m.start()])
            if word and (len(word.group()) == 1 or word.group() in _ABBREVIATIONS):
                continue
        s = start
        while s < m.start() and text[s] == " ":
            s += 1
        if m.group() == "." and s < m.start() and text[s].isupper() and _at_sentence_start(doc, s):
            yield s, m.start()
        start = m.end()


def _simple(body: str) -> bool:
    """A short one-clause sentence body with no quotation, comparison or scope word."""
    if not _PLAIN.fullmatch(body) or re.search(r"(?<![A-Za-z])['’]|\.(?!\d)|\s-|-\s", body):
        return False
    words = _WORDS.findall(body)
    if not 2 <= len(words) <= 25 or _TIME_WORD.search(body):
        return False
    lower = [re.split(r"['’]", w.lower())[0] for w in words]  # it's -> it
    if any(w in _NOT_IN_SIMPLE for w in lower) or re.search(r"n['’]t\b|['’]ve\b", body):
        return False
    if any(w.startswith(_FORWARD_LOOKING) for w in lower):
        return False  # "is forecasting growth in 2005": the date belongs to the growth
    if any(w in _SUBJECT_PRONOUNS for w in lower[1:]) or lower[-1] in _NOT_BEFORE_ADVERBIAL:
        return False
    for w, nxt, raw in zip(lower, lower[1:], words[1:], strict=False):
        if w == "to" and not (raw[:1].isupper() or raw[:1] in "£$€0123456789" or nxt in _DETERMINERS):
            return False  # an infinitive: "plans to cut jobs in 2005" has two times to attach to
    return _verb_groups(lower[1:]) <= 1


def _verb_groups(words: list[str]) -> int:
    """Verb phrases among ``words``: an auxiliary chain and its verb count once."""
    groups = 0
    in_group = False
    for w in words:
        if _verbish(w):
            groups += not in_group
            in_group = True
        elif not (in_group and (w.endswith("ly") or w in {"also", "still", "already"})):
            in_group = False
    return groups


def _verbish(w: str) -> bool:
    if w in _AUX or w in _IRREGULAR_PAST:
        return True
    if len(w) >= 4 and w.endswith("ed") and w not in _ED_NON_VERBS:
        return True
    return len(w) >= 6 and w.endswith("ing") and w not in _ING_NOUNS


_FINDERS = {
    "attribution-order": _attribution,
    "sentence-opener": _openers,
    "list-order": _lists,
    "coordination-order": _pairs,
    "word-choice": _choices,
    "time-fronting": _fronting,
    "source-fronting": _according,
}
