"""The four roles, each granting the least that its work needs.

Downloading a recipient's copy is the distributor's alone: whoever holds Bob's copy
can leak it and frame Bob, so investigators, who decide whom a leak accuses, never
get one (FIELD.md, framing). An admin manages users and settings and nothing else; a
person who needs two roles is given both.
"""

from __future__ import annotations

from enum import StrEnum

from barium.errors import InputError


class Role(StrEnum):
    ADMIN = "admin"
    DISTRIBUTOR = "distributor"
    INVESTIGATOR = "investigator"
    AUDITOR = "auditor"


ROLE_HELP: dict[Role, str] = {
    Role.ADMIN: "users and settings",
    Role.DISTRIBUTOR: "documents, recipients, issuing copies and downloading them",
    Role.INVESTIGATOR: "tracing, watch sources, alerts, cases and their reports",
    Role.AUDITOR: "read only: cases, reports and the audit log",
}


def parse_roles(values: list[str] | str) -> tuple[Role, ...]:
    """Roles from names (a list, or one comma-separated string), each once, in the order of :class:`Role`."""
    names = values.split(",") if isinstance(values, str) else values
    wanted: set[Role] = set()
    for raw in names:
        name = raw.strip().lower()
        if not name:
            continue
        try:
            wanted.add(Role(name))
        except ValueError:
            raise InputError(f"unknown role {raw.strip()!r}; roles: {', '.join(r.value for r in Role)}") from None
    if not wanted:
        raise InputError(f"give at least one role: {', '.join(r.value for r in Role)}")
    return tuple(r for r in Role if r in wanted)
