"""The ``sentence-opener`` and ``word-choice`` families: the same meaning in other words.

Openers: a sentence-initial ``But`` and ``However,``, and ``The firm, however,
said`` against ``However, the firm said``. Word choice: a small table of phrases
that mean the same in the contexts their patterns allow. Both hold back where
the swap could change the meaning (``But for``, ``was tried``, ``might as well``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from barium.variants.suggest.context import Candidate, Doc
from barium.variants.suggest.lexicon import NOT_IN_SIMPLE, capitalise, lower_first, verbish, wordset
from barium.variants.suggest.sentences import at_sentence_start, sentence_end

_BUT = re.compile(r"\bBut (?=[A-Za-z])")
_HOWEVER = re.compile(r"\bHowever, (?=[A-Za-z])")
# Openers where "However," would change the meaning or read badly.
_NOT_AFTER_BUT = wordset(
    "for then also still yet even instead rather what why how who whom which where so and or nor now"
)
# "The firm, however, said" and "However, the firm said": a short subject, no verb in it.
_MID_HOWEVER = re.compile(r"\b(?P<subj>[A-Z][\w'’-]*(?: [\w'’-]+){0,4}), however,(?= [a-z])")
_SAID_COMMA = re.compile(r"^(?:\S+ ){0,4}(?:said|says|added|argued|insisted|admitted|warned),")


def find_openers(doc: Doc) -> Iterator[Candidate]:
    text = doc.text
    for a, b in doc.regions:
        for m in _BUT.finditer(text, a, b):
            following = re.match(r"[A-Za-z]+", text[m.end() : m.end() + 20])
            if following and following.group().lower() in _NOT_AFTER_BUT:
                continue
            if at_sentence_start(doc, m.start()) and _statement(doc, m.end()):
                yield Candidate(m.start(), m.start() + 3, ("But", "However,"), "sentence opener")
        for m in _HOWEVER.finditer(text, a, b):
            if _SAID_COMMA.match(text[m.end() : m.end() + 80]):
                continue
            if at_sentence_start(doc, m.start()) and _statement(doc, m.end()):
                yield Candidate(m.start(), m.start() + 8, ("However,", "But"), "sentence opener")
        for m in _MID_HOWEVER.finditer(text, a, b):
            subject = m.group("subj")
            words = subject.split(" ")
            if any(w.lower() in NOT_IN_SIMPLE or verbish(w.lower()) for w in words):
                continue
            if not (at_sentence_start(doc, m.start()) and _statement(doc, m.end())):
                continue
            if (moved := doc.mid_sentence(subject)) is None:
                continue
            yield Candidate(m.start(), m.end(), (m.group(), f"However, {moved}"), "however moved to the front")


def _statement(doc: Doc, pos: int) -> bool:
    """Whether the sentence through ``pos`` ends with a full stop (not a question)."""
    end = sentence_end(doc, pos)
    return end is not None and doc.text[end] == "."


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


def find_word_choices(doc: Doc) -> Iterator[Candidate]:
    text = doc.text
    found: list[Candidate] = []
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
            if at_sentence_start(doc, m.start()) and (c := _choice(m.start(), m.group("w"), ("so far", "to date"))):
                found.append(c)
    found.sort()
    yield from found


def _choice(start: int, original: str, forms: tuple[str, ...]) -> Candidate | None:
    lower = lower_first(original)
    if lower not in forms:
        return None
    others = [f for f in forms if f != lower]
    if original[:1].isupper():
        others = [capitalise(f) for f in others]
    alts = (original, *others)
    return Candidate(start, start + len(original), alts, "word choice: " + " / ".join(alts))
