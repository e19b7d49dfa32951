"""Orthography: reviewed, data-driven style alternations and the engine that applies them.

``OrthographyChannel`` finds sites; ``canonicalize`` maps any text to the style of
no copy in particular; ``RULES`` is the packaged rule table (see ``rules/*.toml``).
"""

from barium.channels.orthography._rules import Rule
from barium.channels.orthography.channel import OrthographyChannel, canonicalize, fold, rules_table

RULES: tuple[Rule, ...] = rules_table()

__all__ = ["RULES", "OrthographyChannel", "Rule", "canonicalize", "fold", "rules_table"]
