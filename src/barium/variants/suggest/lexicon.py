"""Word lists and word tests that more than one family relies on.

The lists are closed on purpose: a family that meets a word it cannot place
holds back, because a wrong suggestion costs the author's trust and a missed
one only a few bits.
"""

from __future__ import annotations

import re


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


# A full stop after one of these (or after a single letter) does not end a sentence.
ABBREVIATIONS = wordset(
    "Mr Mrs Ms Dr St Prof Jr Sr Co Inc Ltd Plc No vs etc Gen Col Lt Sgt Rev Gov Sen Rep Capt Maj Jan Feb Mar Apr "
    "Aug Sept Sep Oct Nov Dec Corp Bros Fig approx"
)
DETERMINERS = wordset("the a an his her its their our one")
# Words that make a phrase more than a speaker: clauses, adjuncts, verbs.
NOT_IN_SUBJECT = wordset(
    "who which that whose whom and or but nor when where while if as than because after before since until "
    "said says say told tells is was were are be been has had have will would could should can may might must "
    "not also then later earlier yesterday today tonight now again once too on in at by with from to into "
    "during about over after without first last time part interview conference briefing reporters journalists "
    "however meanwhile afterwards afterward here there again instead"
)
# A sentence with any of these has a second clause, a scope or a comparison the move could change.
NOT_IN_SIMPLE = wordset(
    "and but or nor that which who whom whose when where while whilst if because after before as than since "
    "until till although though unless whether said says say told tell tells not never no only just even from "
    "compared against between ago each every per both either neither so such once first last next "
    "due likely set has have"
)
# A word, or a number with its currency sign: what the families count as words.
WORDS = re.compile(r"[A-Za-z][\w'’-]*|[£$€]?\d[\d,.%]*")

# What verbish() counts as a verb form besides -ed and -ing; the -ed and -ing lookalikes it must not.
_AUX = wordset(
    "is are was were be been being am has have had having do does did will would could should can may might must shall"
)
_IRREGULAR_PAST = wordset(
    "was were had did made took came went said told saw gave got put rose fell won lost left paid sold bought "
    "became began begun held kept met ran set cut hit led sent spent struck stood brought thought found built "
    "grew grown drew drawn shown seen taken given known knew fallen risen chosen chose broke broken spoke spoken "
    "wrote written sank sunk shut quit let hurt lent sought caught taught fought beat beaten driven drove flew "
    "flown threw thrown wore worn hid hidden forgot forgotten swore sworn froze frozen stole stolen withdrew "
    "withdrawn upheld overcame overtook undertook sang sung rang rung swam swum slid split spread bid laid lay "
    "meant felt dealt heard sat"
)
_ING_NOUNS = wordset(
    "morning evening meeting building spending funding trading housing banking lending borrowing pricing "
    "marketing training ceiling something nothing anything everything during earnings savings filing hearing "
    "ruling listing offering opening rating ranking booking clothing shipping"
)
_ED_NON_VERBS = wordset(
    "need speed proceed exceed succeed feed seed breed bleed heed weed deed greed creed steed indeed reed shed "
    "hundred sacred naked wicked kindred"
)


def verbish(w: str) -> bool:
    """Whether lower-case ``w`` may be a verb form; a guess that errs towards yes, so families hold back."""
    if w in _AUX or w in _IRREGULAR_PAST:
        return True
    if len(w) >= 4 and w.endswith("ed") and w not in _ED_NON_VERBS:
        return True
    return len(w) >= 6 and w.endswith("ing") and w not in _ING_NOUNS
