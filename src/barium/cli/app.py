"""The root of the command tree and its error handling.

Every way a command can fail ends here as a message and an exit code, never a
traceback: Barium's own errors (their ``exit_code``), usage errors of the
command line (2), files the system refuses (2), an interrupt (130).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barium.cli import (
    audit,
    cases,
    commands,
    database,
    demo,
    documents,
    recipients,
    records,
    serve,
    users,
    variants,
    watching,
)
from barium.cli.context import State, fail
from barium.errors import BariumError, InputError

app = typer.Typer(
    name="barium",
    help=(
        "Issue uniquely marked copies of confidential documents, and trace a leak back to "
        "the recipient whose copy it came from, with a bounded false-accusation probability."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Workspace folder (default: $BARIUM_HOME, else the per-user data folder).",
            envvar="BARIUM_HOME",
        ),
    ] = None,
) -> None:
    ctx.obj = State(home=home)


app.add_typer(audit.app, name="audit")
app.add_typer(cases.app, name="case")
app.add_typer(database.app, name="db")
app.add_typer(documents.app, name="doc")
app.add_typer(recipients.app, name="recipients")
app.add_typer(users.app, name="users")
app.add_typer(variants.app, name="variants")
app.add_typer(watching.app, name="watch")
app.add_typer(watching.public_app, name="public")
commands.register(app)
app.command("demo")(demo.demo)
app.command("issued")(records.issued)
app.command("scan")(watching.scan)
app.command("alerts")(watching.alerts)
app.command("serve")(serve.serve)


def main() -> None:
    import logging

    # trafilatura and warcio log every page without text as an error; the CLI
    # reports skipped items itself.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        # Not standalone, so that errors are rendered here; but then click hands back the
        # code of a command's own ``typer.Exit`` instead of exiting with it.
        code = app(standalone_mode=False)
    except BariumError as exc:
        raise SystemExit(fail(exc).exit_code) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.TyperException as exc:  # typer's own (vendored click) usage errors: unknown option, command
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"Error: {exc.message}", err=True)
        raise SystemExit(exc.exit_code) from None
    except (typer.Abort, KeyboardInterrupt):
        raise SystemExit(130) from None
    except OSError as exc:  # a path the system refuses: unwritable --out, a folder given as a file, ...
        raise SystemExit(fail(InputError(os_error_message(exc))).exit_code) from None
    if isinstance(code, int) and code:
        raise SystemExit(code)


def os_error_message(exc: OSError) -> str:
    """``exc`` said for a user: what failed, on which path."""
    reason = exc.strerror or exc.__class__.__name__
    if exc.filename is None:
        return f"the system refused: {reason}"
    target = f"{exc.filename} -> {exc.filename2}" if exc.filename2 is not None else str(exc.filename)
    return f"cannot use {target}: {reason}"
