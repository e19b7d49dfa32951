"""The plot of every recipient's evidence against the accusation threshold (matplotlib, PNG).

The y axis is -log10 of each recipient's false-accusation bound: 0 where the leak says
nothing against them, 6 where the chance that an innocent would match so well is one in
a million. The line is the threshold (eps); only a point above it is an accusation.
A PNG, the same picture in the HTML (inline) and the PDF, drawn with the fonts that
come with matplotlib, so it looks the same on every machine.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from barium.report.model import Score

__all__ = ["score_plot"]


def score_plot(scores: Sequence[Score], *, threshold: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({"font.size": 9, "font.family": "DejaVu Sans"})
    ranked = sorted(scores, key=lambda s: -s.evidence)
    line = -math.log10(threshold)
    fig, ax = plt.subplots(figsize=(7.0, 3.2), dpi=100)
    try:
        xs = list(range(1, len(ranked) + 1))
        colours = ["#c0392b" if s.accused else "#5d6d7e" for s in ranked]
        ax.scatter(xs, [s.evidence for s in ranked], s=14 if len(ranked) < 200 else 5, c=colours, zorder=3)
        ax.axhline(line, color="#c0392b", linestyle="--", linewidth=1)
        ax.annotate(
            f"threshold: bound {threshold:g}",
            xy=(len(ranked) or 1, line),
            xytext=(0, 4),
            textcoords="offset points",
            ha="right",
            color="#c0392b",
        )
        for x, s in zip(xs, ranked, strict=True):
            if s.label and s.accused:
                ax.annotate(s.label, xy=(x, s.evidence), xytext=(6, -3), textcoords="offset points")
        top = max([line, *(s.evidence for s in ranked)])
        ax.set_ylim(0, top * 1.15 + 0.5)
        ax.set_xlim(0, len(ranked) + 1)
        ax.set_xlabel(f"recipients scored ({len(ranked):,}), strongest evidence first")
        ax.set_ylabel("evidence: -log10(bound)")
        ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=150, metadata={"Software": None})
    finally:
        plt.close(fig)
    return out.getvalue()
