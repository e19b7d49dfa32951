"""A case event said in a line: what happened, to what, as an investigator reads it."""

from __future__ import annotations

from typing import Any

from barium.cases.workflow import describe

__all__ = ["event_line"]


def event_line(kind: str, old: str | None, new: str | None, details: dict[str, Any]) -> str:
    d = details
    if kind == "open":
        parts = ["opened"]
        if d.get("alert") is not None:
            parts.append(f"from alert {d['alert']}")
        if d.get("document") is not None:
            parts.append(f"about document {d['document']}")
        return " ".join(parts)
    if kind == "attach":
        again = "; the same bytes again, already held" if d.get("again") else ""
        return (
            f"evidence {d.get('evidence')} ({d.get('media_type')}, {d.get('size', 0):,} bytes, "
            f"SHA-256 {str(d.get('sha256', ''))[:16]}...) from {d.get('origin')}{again}"
        )
    if kind == "trace":
        return f"trace {d.get('trace')}: {d.get('verdict')}"
    if kind == "refer" and old and new:
        return f"{describe(old)} -> {describe(new)}"
    if kind == "assign":
        return f"assigned to {d.get('to')}" + (f", due {str(d['due'])[:10]}" if d.get("due") else "")
    if kind == "close":
        return f"closed: {d.get('finding')}"
    if kind == "approve":
        return f"trace {d.get('trace')} approved for disclosure"
    if kind == "report":
        return f"evidence report written ({d.get('format')}, SHA-256 {str(d.get('sha256', ''))[:16]}...)"
    return kind
