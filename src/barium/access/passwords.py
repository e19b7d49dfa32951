"""Password hashes: argon2id with argon2-cffi's defaults (RFC 9106's second recommendation,
64 MiB and 3 passes), each with its own salt; a hash made with older parameters is
re-made at the next successful login."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from barium.errors import InputError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing is costly by design: a megabyte password must not be

_HASHER = PasswordHasher()  # argon2id


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")
    if len(set(password)) < 4:
        raise InputError("a password needs more than three different characters")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _HASHER.hash(password)


@functools.cache
def _dummy() -> str:
    """A hash to check against when the user does not exist, so that a wrong name costs as
    long as a wrong password and timing does not tell which names exist."""
    return _HASHER.hash("not a password of anyone")


def verify_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``stored``; and, when it does and the hash's parameters
    are out of date, a new hash to keep instead."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False, None
    try:
        _HASHER.verify(stored or _dummy(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, (_HASHER.hash(password) if _HASHER.check_needs_rehash(stored) else None)
