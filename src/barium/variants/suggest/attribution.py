"""The ``attribution-order`` family: the speaker before or after the verb.

``"...," said Mr Smith.`` and ``"...," Mr Smith said.``, with a job title
(``said Ann Lee, chief economist at X.``) and after reported speech
(``Sales fell, the firm said.``). Only a plain noun phrase naming a speaker
moves: a phrase that may hide a clause or an adjunct reads wrongly once moved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from barium.variants.suggest.context import QUOTE_MARKS, Candidate, Doc
from barium.variants.suggest.lexicon import ABBREVIATIONS, DETERMINERS, NOT_IN_SUBJECT, WORDS, verbish, wordset
from barium.variants.suggest.sentences import sentence_start_before

_VERBS = r"said|says|added|adds|explained|insisted|warned|admitted|argued|asked|stressed"
_TOKEN = r"[A-Za-z][\w'’-]*"
_SUBJECT = rf"(?:(?:Mr|Mrs|Ms|Dr|Prof)\. )?{_TOKEN}(?: {_TOKEN}){{0,6}}"
_PRONOUNS = wordset("he she they we")
_SPEAKER_NOUNS = wordset(
    "spokesman spokeswoman spokesperson minister secretary director head chief manager correspondent editor "
    "analyst adviser advisor officer representative boss chairman chairwoman executive leader president "
    "commissioner member members governor founder owner coach captain general lawyer solicitor agent economist "
    "official officials source sources expert striker midfielder defender forward winger goalkeeper keeper "
    "player manager star singer actor actress author writer producer director skipper champion mp candidate "
    "campaigner report study survey statement"
)
_LY_NOUNS = wordset("family ally assembly rally supply monopoly")
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
_NOT_A_ROLE_START = wordset(
    "in on at after before during without with speaking adding according referring when while as who which "
    "although though because if but and or so then also too however now today yesterday"
)
_NOT_IN_ROLE = wordset("who which that whose whom when where while said says told adding speaking")
_CAPITALISED_NON_NAMES = wordset(
    "He She It They We I You This That These Those There Some Many Most Others All Both One Each Few Several "
    "Everyone Nobody Someone Who What The A An His Her Its Their Our But And However"
)


def _speaker(subject: str, *, pronoun_ok: bool) -> bool:
    """Whether ``subject`` is a plain noun phrase naming a speaker, with no adjunct."""
    tokens = subject.split(" ")
    first = tokens[0]
    if first in _PRONOUNS:
        return pronoun_ok and len(tokens) == 1
    if first not in DETERMINERS and (not first[0].isupper() or first in _CAPITALISED_NON_NAMES):
        return False
    last = tokens[-1].rstrip(".")
    if (len(last) == 1 and last.isupper()) or last in ABBREVIATIONS:
        return False
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in NOT_IN_SUBJECT or (tok.islower() and low.endswith("ly") and low not in _LY_NOUNS):
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
    if words[-1].rstrip(")") in ABBREVIATIONS:
        return False  # "Acme Inc." keeps its full stop only at the end of the sentence
    return not any(w.lower() in _NOT_IN_ROLE or verbish(w.lower()) for w in words)


def _possessive(token: str) -> bool:
    return token.endswith(("'s", "’s", "s'", "s’"))


def find_attributions(doc: Doc) -> Iterator[Candidate]:
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
                yield Candidate(m.start(), m.end(), (m.group(), other), note)
                break
    yield from _reported(doc)


def _reported(doc: Doc) -> Iterator[Candidate]:
    """Reported speech: 'Sales fell, the firm said.' and 'Sales fell, said the firm.'"""
    text = doc.text
    for a, b in doc.regions:
        for m in _REPORTED.finditer(text, a, b):
            start = sentence_start_before(doc, m.start())
            clause = text[start : m.start()]
            words = WORDS.findall(clause)
            if any(ch in QUOTE_MARKS for ch in clause) or len(words) < 5 or words[0] in _SUBORDINATE_OPENERS:
                continue
            if not any(verbish(w.lower()) for w in words):
                continue  # "Despite the fall in sales, the firm said." is not a report
            if subj := m.group("subj"):
                verb = m.group("verb")
                if _speaker(subj, pronoun_ok=False):
                    forms = (f"{subj} {verb}", f"{verb} {subj}")
                    yield Candidate(m.start("subj"), m.end(), forms, "speaker after the verb")
            else:
                subj, verb = m.group("isubj"), m.group("iverb")
                if _speaker(subj, pronoun_ok=False):
                    forms = (f"{verb} {subj}", f"{subj} {verb}")
                    yield Candidate(m.start("iverb"), m.end(), forms, "speaker before the verb")


_REPORTED = re.compile(
    rf"(?<=[\w%)]), (?:(?P<subj>{_SUBJECT}) (?P<verb>said|says|added|adds)"
    rf"|(?P<iverb>said|says|added|adds) (?P<isubj>{_SUBJECT}))(?=\.(?:\s|$))"
)
_SUBORDINATE_OPENERS = wordset(
    "When If Although Though As Because While Whilst Asked Speaking Despite After Before Since Unless Until Once "
    "Whether Where Writing Commenting Responding According"
)
