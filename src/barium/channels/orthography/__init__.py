"""Orthography: reviewed, data-driven style alternations and the engine that applies them.

``OrthographyChannel`` finds sites; ``canonicalize`` maps any text to the style of
no copy in particular; ``RULES`` is the packaged rule table (see ``rules/*.toml``);
``read_profile`` reads a master's style, which decides the forms a copy may show.
"""

from barium.channels.orthography._rules import Rule
from barium.channels.orthography.channel import OrthographyChannel, canonicalize, fold, rules_table
from barium.channels.orthography.profile import StyleProfile, read_profile

RULES: tuple[Rule, ...] = rules_table()

__all__ = ["RULES", "OrthographyChannel", "Rule", "StyleProfile", "canonicalize", "fold", "read_profile", "rules_table"]
