"""The random secrets behind API tokens, session cookies and form tokens, and the one
digest they are stored under. 256 random bits each, so a plain SHA-256 (no salt, no
slow hash) is enough: no one can guess one, and the database never holds one."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "brm_"  # recognisable in a leaked config file or log, like other tools' tokens


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()
