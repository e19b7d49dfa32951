"""Text primitives shared by marking, tracing and detection: folding, tokens and sentences."""

from barium.text.fold import fold_typography, retype_key
from barium.text.invisible import is_invisible, strip_invisible
from barium.text.lines import Lines
from barium.text.sentences import sentence_spans
from barium.text.tokens import Token, tokenize

__all__ = [
    "Lines",
    "Token",
    "fold_typography",
    "is_invisible",
    "retype_key",
    "sentence_spans",
    "strip_invisible",
    "tokenize",
]
