"""Text primitives shared by marking, tracing and detection: folding and tokens."""

from barium.text.fold import fold_typography, retype_key
from barium.text.invisible import is_invisible, strip_invisible
from barium.text.tokens import Token, tokenize

__all__ = ["Token", "fold_typography", "is_invisible", "retype_key", "strip_invisible", "tokenize"]
