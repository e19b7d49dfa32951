"""Signed checkpoints: the log's size and root at a moment, signed with Ed25519.

A checkpoint exported from the workspace (``barium audit checkpoint --out``) and
kept elsewhere (mailed to the inspector general, printed in a case file) is a
witness the database cannot rewrite: a later log must still contain the same first
``size`` entries, hashing to the same ``root``, or verification says so, and a log
cut below ``size`` is caught even if its sealed head was rolled back with it.

What is signed is a short text (the ``note``), so that anyone can check it with
any Ed25519 implementation and the public key printed in the checkpoint::

    barium audit checkpoint v1
    origin <the workspace's key fingerprint>
    size <entries covered>
    root <hex of the RFC 6962 root>
    time <UTC, ISO 8601>
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from barium.errors import InputError

__all__ = ["Checkpoint", "public_key_of", "read_checkpoint", "sign_checkpoint"]

HEADER = "barium audit checkpoint v1"
_HEX = re.compile(r"[0-9a-f]+")


def public_key_of(seed: bytes) -> str:
    """The hex public key of an Ed25519 private key given as its 32-byte seed."""
    raw = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return raw.hex()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: str  # hex
    time: str  # ISO 8601, UTC
    public_key: str  # hex, raw Ed25519
    signature: str  # hex, over ``note()``

    def note(self) -> bytes:
        return f"{HEADER}\norigin {self.origin}\nsize {self.size}\nroot {self.root}\ntime {self.time}\n".encode()

    def signature_valid(self) -> bool:
        try:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.public_key))
            key.verify(bytes.fromhex(self.signature), self.note())
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {"format": HEADER, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """A checkpoint read back from its file; malformed ones are refused, not guessed at."""
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise InputError(f"not a Barium checkpoint (not JSON: {exc})") from None
        if not isinstance(raw, dict) or raw.get("format") != HEADER:
            raise InputError(f"not a Barium checkpoint (no format {HEADER!r})")
        fields = ("origin", "size", "root", "time", "public_key", "signature")
        missing = [f for f in fields if f not in raw]
        if missing:
            raise InputError(f"the checkpoint lacks {', '.join(missing)}")
        size = raw["size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise InputError("the checkpoint's size is not a count of entries")
        for name in ("root", "public_key", "signature"):
            value = raw[name]
            if not isinstance(value, str) or not _HEX.fullmatch(value):
                raise InputError(f"the checkpoint's {name} is not hexadecimal")
        if not all(isinstance(raw[f], str) for f in ("origin", "time")):
            raise InputError("the checkpoint's origin and time must be text")
        return cls(raw["origin"], size, raw["root"], raw["time"], raw["public_key"], raw["signature"])


MAX_FILE = 64 * 1024  # a checkpoint is a few hundred bytes; anything far larger is not one


def read_checkpoint(path: Path) -> Checkpoint:
    """A checkpoint file, refused with a clear message when unreadable, huge or malformed."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE + 1)
    except OSError as exc:
        raise InputError(f"cannot read the checkpoint {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE:
        raise InputError(f"{path} is too large to be a checkpoint")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not a checkpoint (not UTF-8 text)") from None
    return Checkpoint.from_json(text)


def sign_checkpoint(seed: bytes, *, origin: str, size: int, root: bytes, time: str) -> Checkpoint:
    unsigned = Checkpoint(origin, size, root.hex(), time, public_key_of(seed), "")
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(unsigned.note())
    return Checkpoint(origin, size, root.hex(), time, unsigned.public_key, signature.hex())
