"""Recipients: the people copies go to. Add one, import a CSV (all rows or none), rename,
remove (no new copies; their history and traceability stay) and restore.

The list is the distributor's, who issues to it, and the investigator's, who reads
whom a trace names; every change is the distributor's alone, and in the audit log.
A recipient is named by their id, e-mail address or name, as on the command line.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import Role
from barium.errors import InputError
from barium.services import RecipientInfo
from barium.services.recipients import MAX_EMAIL
from barium.text.names import MAX_NAME
from barium.web.gate import Caller, allow
from barium.web.render import page
from barium.web.uploads import as_file, read_upload, safe_name, suffix_of

router = APIRouter()
READERS = (Role.DISTRIBUTOR, Role.INVESTIGATOR)
CSV_SUFFIXES = {".csv", ".txt"}
Ref = Annotated[str, Path(max_length=MAX_EMAIL, description="The recipient's id, e-mail address or name")]


class RecipientOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    name: str
    email: str | None
    extra: dict[str, str] = Field(default_factory=dict)
    removed: bool = False
    removed_at: str | None = None


class RecipientIn(BaseModel):
    """A new recipient: namesakes need an e-mail address each."""

    name: str = Field(min_length=1, max_length=MAX_NAME)
    email: str | None = Field(default=None, max_length=MAX_EMAIL)


class RenameIn(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_NAME)


def _out(r: RecipientInfo) -> RecipientOut:
    return RecipientOut.model_validate(_view(r))


def _view(r: RecipientInfo) -> dict[str, object]:
    return {**r.to_dict(), "removed": r.removed}


async def _import(caller: Caller, upload: UploadFile) -> list[RecipientInfo]:
    if suffix_of(upload) not in CSV_SUFFIXES:
        raise InputError("a recipients list is a .csv file (from a spreadsheet: save it as CSV UTF-8)")
    data = await read_upload(upload, caller.barium.ctx.limits, "csv")
    with as_file(data, safe_name(upload, "recipients.csv")) as path:
        return caller.barium.recipients.import_csv(path)


# -- pages ---------------------------------------------------------------------------------


@router.get("/recipients", response_class=HTMLResponse, include_in_schema=False)
def recipients_page(
    request: Request,
    removed: Annotated[bool, Query()] = False,
    imported: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    added: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    caller: Caller = allow(*READERS),
) -> Response:
    people = [_view(r) for r in caller.barium.recipients.list(include_removed=removed)]
    new = next((p for p in people if p["id"] == added), None) if added is not None else None
    return page(
        request,
        caller,
        "recipients.html",
        recipients=people,
        show_removed=removed,
        imported=imported,
        added=new,
        can_edit=caller.has(Role.DISTRIBUTOR),
        max_name=MAX_NAME,
        max_email=MAX_EMAIL,
    )


@router.post("/recipients", include_in_schema=False)
def recipients_add(
    name: Annotated[str, Form(max_length=MAX_NAME)] = "",
    email: Annotated[str, Form(max_length=MAX_EMAIL)] = "",
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> Response:
    person = caller.barium.recipients.add(name, email=email.strip() or None)
    return RedirectResponse(f"/recipients?added={person.id}", status_code=303)


@router.post("/recipients/import", include_in_schema=False)
async def recipients_import(
    file: Annotated[UploadFile, File()],
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> Response:
    added = await _import(caller, file)
    return RedirectResponse(f"/recipients?imported={len(added)}", status_code=303)


@router.post("/recipients/{ref}/remove", include_in_schema=False)
def recipients_remove(ref: Ref, caller: Caller = allow(Role.DISTRIBUTOR)) -> Response:
    caller.barium.recipients.remove(ref)
    return RedirectResponse("/recipients?removed=true", status_code=303)


@router.post("/recipients/{ref}/restore", include_in_schema=False)
def recipients_restore(ref: Ref, caller: Caller = allow(Role.DISTRIBUTOR)) -> Response:
    caller.barium.recipients.restore(ref)
    return RedirectResponse("/recipients?removed=true", status_code=303)


@router.post("/recipients/{ref}/rename", include_in_schema=False)
def recipients_rename(
    ref: Ref,
    name: Annotated[str, Form(max_length=MAX_NAME)] = "",
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> Response:
    info = caller.barium.recipients.rename(ref, name)
    return RedirectResponse("/recipients?removed=true" if info.removed else "/recipients", status_code=303)


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/recipients", tags=["recipients"])
def api_recipients(include_removed: bool = False, caller: Caller = allow(*READERS)) -> list[RecipientOut]:
    """The recipients in the order they were added; the removed ones (with ``removed_at``)
    only with ``include_removed``."""
    return [_out(r) for r in caller.barium.recipients.list(include_removed=include_removed)]


@router.post("/api/recipients", tags=["recipients"], status_code=201)
def api_recipient_add(spec: RecipientIn, caller: Caller = allow(Role.DISTRIBUTOR)) -> RecipientOut:
    """Add one recipient. An e-mail address names one person; two recipients may share a
    name only when each has an e-mail address (409 otherwise)."""
    return _out(caller.barium.recipients.add(spec.name, email=(spec.email or "").strip() or None))


@router.post("/api/recipients/import", tags=["recipients"], status_code=201)
async def api_recipients_import(
    file: Annotated[UploadFile, File(description="CSV, UTF-8, with a header holding name (and usually email)")],
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> list[RecipientOut]:
    """Import recipients from a CSV: every row, or (one bad or duplicate row) none of them."""
    return [_out(r) for r in await _import(caller, file)]


@router.delete("/api/recipients/{ref}", tags=["recipients"])
def api_recipient_remove(ref: Ref, caller: Caller = allow(Role.DISTRIBUTOR)) -> RecipientOut:
    """Remove a recipient: they get no new copies; their copies stay traceable to them, and
    their name and e-mail stay taken. Returns the recipient, with ``removed_at``."""
    return _out(caller.barium.recipients.remove(ref))


@router.post("/api/recipients/{ref}/restore", tags=["recipients"])
def api_recipient_restore(ref: Ref, caller: Caller = allow(Role.DISTRIBUTOR)) -> RecipientOut:
    """Undo a removal."""
    return _out(caller.barium.recipients.restore(ref))


@router.post("/api/recipients/{ref}/rename", tags=["recipients"])
def api_recipient_rename(ref: Ref, spec: RenameIn, caller: Caller = allow(Role.DISTRIBUTOR)) -> RecipientOut:
    """Change a recipient's name; their code identity, e-mail and history stay (copies
    already issued are traced to them under the new name)."""
    return _out(caller.barium.recipients.rename(ref, spec.name))
