"""What happens to a leak on its way to the press, simulated for the demo, tests and
benchmarks: excerpts, retyping, pasting through a web page, colluders mixing copies."""

from barium.simulate.attacks import embed, excerpt_words, html_paste, retype
from barium.simulate.collusion import interleave_sentences, majority_per_site

__all__ = [
    "embed",
    "excerpt_words",
    "html_paste",
    "interleave_sentences",
    "majority_per_site",
    "retype",
]
