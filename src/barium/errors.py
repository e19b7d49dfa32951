"""Every error Barium raises on purpose derives from :class:`BariumError`.

The tree::

    BariumError                      exit code 1 unless a subclass says otherwise
    ├── ConfigError                  a setting is missing or invalid
    ├── WorkspaceError               no workspace, or a damaged one
    ├── InputError                   a file or value the user gave is unusable
    │   ├── UnsupportedFormat        not text or Markdown (binary, unknown)
    │   └── InputTooLarge            over the configured size cap
    ├── NotFound                     an unknown document, version or recipient
    ├── Unauthorized                 no login, or a wrong password or token (web)
    │   └── LockedOut                too many wrong passwords: wait (web)
    ├── Forbidden                    logged in, but no role that may do this (web)
    ├── Conflict                     a duplicate recipient, an existing workspace
    │   └── IntegrityFailure         issuing would break a record (a code already issued)
    └── FetchError                   a source could not be fetched or parsed
        └── SourceError (watch)      one source failed; says whether to retry

Errors that reach a user carry a message written for that user, and an
``exit_code`` (CLI) and ``status`` (web) so that shells can render them alike.
"""

from __future__ import annotations

__all__ = [
    "BariumError",
    "ConfigError",
    "Conflict",
    "FetchError",
    "Forbidden",
    "InputError",
    "InputTooLarge",
    "IntegrityFailure",
    "LockedOut",
    "NotFound",
    "Unauthorized",
    "UnsupportedFormat",
    "WorkspaceError",
]


class BariumError(Exception):
    """Root of every deliberate Barium error."""

    exit_code: int = 1
    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(BariumError):
    exit_code = 3
    status = 500


class WorkspaceError(BariumError):
    exit_code = 3
    status = 500


class InputError(BariumError):
    exit_code = 2
    status = 400


class UnsupportedFormat(InputError):
    pass


class InputTooLarge(InputError):
    status = 413


class NotFound(BariumError):
    exit_code = 4
    status = 404


class Unauthorized(BariumError):
    """Who is asking is not known: not logged in, or a wrong password or token."""

    exit_code = 7
    status = 401


class LockedOut(Unauthorized):
    status = 429


class Forbidden(BariumError):
    """Who is asking is known, and none of their roles may do this."""

    exit_code = 7
    status = 403


class Conflict(BariumError):
    exit_code = 5
    status = 409


class IntegrityFailure(Conflict):
    """Going on would contradict what was already issued or recorded."""


class FetchError(BariumError):
    exit_code = 6
    status = 502
