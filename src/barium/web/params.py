"""Parameters every route shares the shape of.

An id in a path is a whole number the database can hold: a larger one (a fuzzer's
``2**70``) is refused as invalid before it reaches SQLite, which cannot bind it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from barium.errors import NotFound

MAX_ID = 2**53  # beyond any id a row gets, and exact in every JSON client

Id = Annotated[int, Path(ge=0, le=MAX_ID, description="A record's id")]
Version = Annotated[int | None, Query(ge=1, le=MAX_ID, description="A version of the document (default: the latest)")]


def doc_ref(text: str | None) -> int | str | None:
    """A document named in a form or a body: its id (digits) or its title; none when empty."""
    text = (text or "").strip()
    if not text.isdecimal():
        return text or None
    if int(text) > MAX_ID:
        raise NotFound(f"no document {text[:30]}")
    return int(text)
