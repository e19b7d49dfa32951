"""`barium users ...`: who may log in to the web app (`barium serve`), with which roles.

Passwords are asked for at a prompt, never taken as an argument (it would land in
the shell's history and in `ps`); scripts pass one on standard input.
"""

from __future__ import annotations

import secrets
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.access.roles import ROLE_HELP, Role, parse_roles
from barium.cli.context import JsonOpt, console, print_json, say, workspace
from barium.errors import Conflict, InputError

if TYPE_CHECKING:
    from barium.services.users import UserInfo

_ROLES = "; ".join(f"{r.value}: {h}" for r, h in ROLE_HELP.items())
app = typer.Typer(help=f"Web users and their roles ({_ROLES}).", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, '.', '-', '_'.")]
RoleOpt = Annotated[list[str], typer.Option("--role", help=f"Role (repeatable): {', '.join(r.value for r in Role)}.")]
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input (scripts).")]


GenerateOpt = Annotated[
    bool, typer.Option("--generate-password", help="Make a random password and print it once (for a first login).")
]


def _password(stdin: bool, generate: bool = False) -> str:
    if generate:
        if stdin:
            raise InputError("give --password-stdin or --generate-password, not both")
        password = secrets.token_urlsafe(12)
        say("password (shown once): ", (password, "bold"))
        return password
    if stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InputError("no password given")
    return password


def _report(verb: str, u: UserInfo, json: bool) -> None:
    if json:
        print_json(u.to_dict())
    else:
        say(f"{verb} user ", (u.name, "bold"), f" ({', '.join(u.roles)})", "" if u.active else ", disabled")


@app.command("add")
def add(
    ctx: typer.Context,
    name: NameArg,
    role: RoleOpt,
    stdin: StdinOpt = False,
    generate: GenerateOpt = False,
    json: JsonOpt = False,
) -> None:
    """Add a user with one or more roles; prompts for the password."""
    from barium.services.users import user_name

    user_name(name), parse_roles(role)  # refused before the prompt, not after
    with workspace(ctx) as b:  # and an existing name or a missing workspace before a password is made
        if name.strip().lower() in {u.name for u in b.users.list()}:
            raise Conflict(f"user {name.strip().lower()!r} exists already")
    password = _password(stdin, generate)
    with workspace(ctx) as b:
        u = b.users.add(name, roles=role, password=password)
    _report("Added", u, json)


@app.command("list")
def list_(ctx: typer.Context, json: JsonOpt = False) -> None:
    """Every user, their roles and their last login."""
    with workspace(ctx) as b:
        users = b.users.list()
    if json:
        print_json([u.to_dict() for u in users])
        return
    table = Table("name", "roles", "last login (UTC)", "state")
    for u in users:
        state = "disabled" if not u.active else (f"locked until {u.locked_until:%H:%M}" if u.locked_until else "")
        last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else ""
        table.add_row(Text(u.name), ", ".join(u.roles), last, state)
    console.print(table)


@app.command("roles")
def roles(ctx: typer.Context, name: NameArg, role: RoleOpt, json: JsonOpt = False) -> None:
    """Replace a user's roles; tokens and logins of a role taken away end with it."""
    with workspace(ctx) as b:
        u = b.users.set_roles(name, role)
    _report("Changed", u, json)


@app.command("passwd")
def passwd(
    ctx: typer.Context, name: NameArg, stdin: StdinOpt = False, generate: GenerateOpt = False, json: JsonOpt = False
) -> None:
    """Set a user's password (and lift a lockout); their logins end."""
    with workspace(ctx) as b:
        b.users.get(name)  # an unknown user is refused before a password is asked for or made
    password = _password(stdin, generate)
    with workspace(ctx) as b:
        u = b.users.set_password(name, password)
    _report("New password for", u, json)


@app.command("disable")
def disable(ctx: typer.Context, name: NameArg, json: JsonOpt = False) -> None:
    """Stop a user logging in; their logins end and their tokens are revoked. The user stays in the record."""
    with workspace(ctx) as b:
        u = b.users.disable(name)
    _report("Disabled", u, json)


@app.command("enable")
def enable(ctx: typer.Context, name: NameArg, json: JsonOpt = False) -> None:
    """Let a disabled user log in again (their old tokens stay revoked)."""
    with workspace(ctx) as b:
        u = b.users.enable(name)
    _report("Enabled", u, json)


@app.command("token")
def token(
    ctx: typer.Context,
    name: NameArg,
    role: Annotated[
        str | None, typer.Option("--role", help="The role it acts with (default: the user's first).")
    ] = None,
    label: Annotated[str, typer.Option("--label", help="What it is for, e.g. the script's name.")] = "",
    days: Annotated[int | None, typer.Option("--days", help="Expires after this many days (default: never).")] = None,
    json: JsonOpt = False,
) -> None:
    """Make an API token (Bearer auth on /api) scoped to one role; it is printed once, never stored."""
    with workspace(ctx) as b:
        secret, info = b.users.make_token(name, role=role, label=label, days=days)
    if json:
        print_json({"token": secret, **info.to_dict()})
    else:
        sys.stdout.write(secret + "\n")
        say(f"token {info.id} for {info.user} as {info.role}: shown once; revoke with `barium users revoke {info.id}`")


@app.command("tokens")
def tokens(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Only this user's.")] = None,
    json: JsonOpt = False,
) -> None:
    """API tokens: whose, which role, last used, revoked."""
    with workspace(ctx) as b:
        rows = b.users.tokens(name)
    if json:
        print_json([t.to_dict() for t in rows])
        return
    table = Table("id", "user", "role", "label", "last used (UTC)", "state")
    for t in rows:
        state = t.state + (f", expires {t.expires_at:%Y-%m-%d}" if t.state == "active" and t.expires_at else "")
        last = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else ""
        table.add_row(str(t.id), Text(t.user), t.role.value, Text(t.label), last, state)
    console.print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="Token id (see `barium users tokens`).")],
    json: JsonOpt = False,
) -> None:
    """Revoke an API token."""
    with workspace(ctx) as b:
        t = b.users.revoke_token(token_id)
    if json:
        print_json(t.to_dict())
    else:
        say(f"revoked token {t.id} of {t.user}")
