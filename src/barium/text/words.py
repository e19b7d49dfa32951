"""Function words: the words a rewording adds, drops or swaps freely.

What is left, the content words (names, places, objects, numbers), is what a
reporter keeps when restating a detail in their own words.
"""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS", "is_content"]

_WORDS = """
    a about above after again against all also although am among an and another any are as at
    be because been before being below between both but by can could did do does doing down during
    each either else ever every few for from further had has have having he her here hers herself him
    himself his how however i if in into is it its itself just least less like many may me might more
    most much must my myself neither no nor not now of off on once one only onto or other others our
    ours ourselves out over own per perhaps rather same several shall she should since so some such
    than that the their theirs them themselves then there these they this those though through thus to
    too toward towards under until up upon us very via was we were what whatever when where whether
    which while who whom whose why will with within without would yet you your yours yourself
    said says say according set new
"""
FUNCTION_WORDS = frozenset(_WORDS.split())


def is_content(key: str) -> bool:
    """A folded word (a token key) that carries content: a number, or a word of three
    or more letters that is not a function word."""
    return key.isdigit() or (len(key) >= 3 and key not in FUNCTION_WORDS)
