"""What the author prepares: alternative wordings suggested for review (nothing is stored), and
texts made public (a press release quoting the memo), whose passages never raise an alert."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import Role
from barium.errors import InputError
from barium.formats.load import decode_text
from barium.variants.suggest import FAMILIES, suggest
from barium.web.gate import Caller, allow
from barium.web.params import Id
from barium.web.render import page
from barium.web.uploads import read_upload, safe_name, suffix_of

router = APIRouter()
AUTHORS = (Role.DISTRIBUTOR,)
PUBLIC_KEEPERS = (Role.DISTRIBUTOR, Role.INVESTIGATOR)
SUGGESTIBLE = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}


class PublicOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    title: str
    chars: int
    sha256: str
    created_at: str


class PublicIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000_000)
    title: str | None = Field(default=None, max_length=500)


async def _suggest(caller: Caller, upload: UploadFile, families: list[str]) -> dict[str, Any]:
    fmt = SUGGESTIBLE.get(suffix_of(upload))
    if fmt is None:
        raise InputError("suggestions are made for a .txt or .md master")
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        raise InputError(f"unknown families {', '.join(unknown)}; the families: {', '.join(FAMILIES)}")
    data = await read_upload(upload, caller.barium.ctx.limits, "document")
    name = safe_name(upload)
    text = caller.barium.ctx.limits.check_text(decode_text(data, name=name), "document", name=name)
    report = suggest(text, fmt, families=families or None)
    return {**report.to_dict(), "per_100_words": round(report.per_100_words(), 2), "file": name}


@router.get("/variants", response_class=HTMLResponse, include_in_schema=False)
def variants_page(request: Request, caller: Caller = allow(*AUTHORS)) -> Response:
    return page(request, caller, "variants.html", families=list(FAMILIES), report=None)


@router.post("/variants", response_class=HTMLResponse, include_in_schema=False)
async def variants_suggest(
    request: Request,
    file: Annotated[UploadFile, File()],
    family: Annotated[list[str] | None, Form()] = None,
    caller: Caller = allow(*AUTHORS),
) -> Response:
    report = await _suggest(caller, file, family or [])
    return page(request, caller, "variants.html", families=list(FAMILIES), report=report)


@router.post("/api/variants/suggest", tags=["authoring"])
async def api_variants_suggest(
    file: Annotated[UploadFile, File(description="The master: .txt or .md")],
    family: Annotated[list[str] | None, Form(description="Only these families")] = None,
    caller: Caller = allow(*AUTHORS),
) -> dict[str, Any]:
    """Alternative wordings for the author to review, and the master with them as {{...}} markup
    (what `barium variants suggest --json` prints). Nothing is stored."""
    return await _suggest(caller, file, family or [])


@router.get("/public", response_class=HTMLResponse, include_in_schema=False)
def public_page(request: Request, caller: Caller = allow(*PUBLIC_KEEPERS)) -> Response:
    texts = [p.to_dict() for p in caller.barium.public.list()]
    return page(request, caller, "public.html", texts=texts)


@router.post("/public", include_in_schema=False)
def public_add(
    text: Annotated[str, Form(min_length=1, max_length=20_000_000)],
    title: Annotated[str, Form(max_length=500)] = "",
    caller: Caller = allow(*PUBLIC_KEEPERS),
) -> Response:
    caller.barium.public.add(text, title=title.strip() or None)
    return RedirectResponse("/public", status_code=303)


@router.post("/public/{public_id}/remove", include_in_schema=False)
def public_remove(public_id: Id, caller: Caller = allow(*PUBLIC_KEEPERS)) -> Response:
    caller.barium.public.remove(public_id)
    return RedirectResponse("/public", status_code=303)


@router.get("/api/public", tags=["authoring"])
def api_public(caller: Caller = allow(*PUBLIC_KEEPERS)) -> list[PublicOut]:
    """Texts made public: their passages never raise an alert."""
    return [PublicOut.model_validate(p.to_dict()) for p in caller.barium.public.list()]


@router.post("/api/public", tags=["authoring"], status_code=201)
def api_public_add(spec: PublicIn, caller: Caller = allow(*PUBLIC_KEEPERS)) -> PublicOut:
    """Register a public text (the same text again returns the one registered)."""
    public_id = caller.barium.public.add(spec.text, title=spec.title)
    return PublicOut.model_validate(next(p for p in caller.barium.public.list() if p.id == public_id).to_dict())


@router.delete("/api/public/{public_id}", tags=["authoring"], status_code=204)
def api_public_remove(public_id: Id, caller: Caller = allow(*PUBLIC_KEEPERS)) -> Response:
    """Forget a public text: its passages may raise alerts again."""
    caller.barium.public.remove(public_id)
    return Response(status_code=204)
