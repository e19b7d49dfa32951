"""Checking a log: which rows Barium wrote where they stand, and what was done to the others.

Every row is checked three ways: its leaf against its content, its seal against its
place, leaf and root (:mod:`barium.audit.seal`), and its place against its
neighbours'. A row that fails is classified by what would explain it:

- ``edited``: the seal is good but the content no longer hashes to the sealed leaf
  (or the leaf was recomputed and the seal no longer fits it);
- ``deleted``: places missing between two rows;
- ``inserted``: a row no seal of this log vouches for, wherever it stands;
- ``reordered``: a row whose seal fits another place (its number was changed), or
  two rows whose contents were swapped;
- ``truncated``: fewer rows than the sealed head, or than a signed checkpoint, records.

Nothing here reads the database: :mod:`barium.audit.log` hands the rows over.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from barium.audit.checkpoint import Checkpoint
from barium.audit.merkle import Frontier
from barium.audit.seal import EntryFields, head_seal, row_seal

__all__ = ["Head", "Problem", "StoredRow", "Verification", "verify_rows"]

ProblemKind = Literal["edited", "deleted", "inserted", "reordered", "truncated", "head", "checkpoint"]


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A row of the log as the database holds it; ``seq`` and the hashes may be missing."""

    row_id: int
    fields: EntryFields
    leaf: str | None
    root: str | None
    seal: str | None


@dataclass(frozen=True, slots=True)
class Head:
    size: int
    root: str
    seal: str


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    seq: int | None  # the first place in the log it concerns
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "message": self.message}


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    root: str
    problems: list[Problem] = field(default_factory=list)
    checkpoints: int = 0  # signed checkpoints checked

    @property
    def intact(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "entries": self.entries,
            "root": self.root,
            "checkpoints_checked": self.checkpoints,
            "problems": [p.to_dict() for p in self.problems],
        }


def _fits(key: bytes, seq: int, row: StoredRow) -> bool:
    if row.leaf is None or row.root is None or row.seal is None:
        return False
    try:
        leaf, root = bytes.fromhex(row.leaf), bytes.fromhex(row.root)
    except ValueError:
        return False
    return hmac.compare_digest(row_seal(key, seq, leaf, root), row.seal)


def _at(fields: EntryFields, seq: int) -> EntryFields:
    return EntryFields(seq, fields.at, fields.actor_kind, fields.actor, fields.action, fields.subject, fields.details)


@dataclass
class _Pass:
    """What one pass over the rows keeps: counts, gaps, the tree, and only the rows in doubt."""

    count: int = 0
    last: int = -1
    gaps: list[tuple[int, int]] = field(default_factory=list)  # places missing, as ranges
    unfit: dict[int, StoredRow] = field(default_factory=dict)  # by place: seal does not fit it
    edited: dict[int, StoredRow] = field(default_factory=dict)  # by place: seal fits, content changed
    content: dict[int, str] = field(default_factory=dict)  # row id -> leaf of its content, rows in doubt
    roots: dict[int, str] = field(default_factory=dict)  # tree size -> root, at each checkpoint's size
    root: str = ""


def _scan(rows: Iterable[StoredRow], key: bytes, wanted: set[int], problems: list[Problem]) -> _Pass:
    """One streamed pass, in place order: a log of millions is never held in memory."""
    out = _Pass()
    frontier = Frontier()
    if 0 in wanted:
        out.roots[0] = frontier.root().hex()
    for r in rows:
        seq = r.fields.seq
        if seq < 0:
            problems.append(Problem("inserted", None, f"row {r.row_id} has no place in the log: Barium never wrote it"))
            continue
        if seq <= out.last:
            raise ValueError("rows must come in place order, each place once")
        if seq > out.last + 1:
            out.gaps.append((out.last + 1, seq - 1))
        leaf = r.fields.leaf()
        if not _fits(key, seq, r):
            out.unfit[seq] = r
            out.content[r.row_id] = leaf.hex()
        elif leaf.hex() != r.leaf:
            out.edited[seq] = r
            out.content[r.row_id] = leaf.hex()
        frontier.append(leaf)
        if frontier.size in wanted:
            out.roots[frontier.size] = frontier.root().hex()
        out.count += 1
        out.last = seq
    out.root = frontier.root().hex()
    return out


def verify_rows(
    rows: Iterable[StoredRow],
    *,
    key: bytes,
    head: Head | None,
    checkpoints: Sequence[Checkpoint] = (),
    public_key: str | None = None,
    origin: str | None = None,
) -> Verification:
    """Check the rows of a log (in place order; rows without a place anywhere), its head
    and signed checkpoints of it.

    ``public_key`` and ``origin`` are this log's: a checkpoint signed by another
    key, or of another workspace, proves nothing about it and is reported.
    """
    problems: list[Problem] = []
    scan = _scan(rows, key, {c.size for c in checkpoints}, problems)

    # Where each row whose seal does not fit its place was written: a neighbour's place
    # (renumbered), another doubtful row's (swapped) or a missing one (moved into a gap).
    small_gaps = {s for a, b in scan.gaps if b - a < 1000 for s in range(a, b + 1)}
    ends = {s for a, b in scan.gaps for s in (a, b)}
    candidates = set(scan.unfit) | small_gaps | ends
    moved: dict[int, int] = {}  # place now -> the place its seal fits
    for seq, r in scan.unfit.items():
        for s in sorted({seq - 1, seq + 1} | candidates):
            if s >= 0 and s != seq and _fits(key, s, r):
                moved[seq] = s
                break

    # Rows whose seal fits but whose content changed: two of them may have swapped contents.
    swapped: dict[int, int] = {}
    for a, ra in scan.edited.items():
        for b, rb in scan.edited.items():
            if a != b and _at(ra.fields, b).leaf().hex() == rb.leaf:
                swapped[a] = b

    head_ok = head is not None and _head_fits(key, head)
    sealed_size = head.size if head is not None and head_ok else None
    problems += _deletions(scan.gaps)
    for seq in sorted({*scan.unfit, *scan.edited}):
        if seq in moved:
            source = moved[seq]
            shift = seq - source
            if abs(shift) == 1 and moved.get(seq - 1) == source - 1:
                continue  # inside a renumbered run: reported once, at its start
            if abs(shift) == 1 and moved.get(seq + 1) == source + 1:
                problems.append(
                    Problem(
                        "reordered",
                        seq,
                        f"entries from #{seq} on were renumbered by {shift:+d}: "
                        f"{'an entry was inserted' if shift > 0 else 'an entry was deleted'} before them",
                    )
                )
            else:
                problems.append(Problem("reordered", seq, f"entry #{seq} is the entry Barium wrote as #{source}"))
        elif seq in scan.unfit:
            r = scan.unfit[seq]
            beyond = sealed_size is not None and seq >= sealed_size
            pushed = moved.get(seq + 1) == seq  # the row after it carries this place's seal
            if beyond or pushed or scan.content[r.row_id] != r.leaf:
                problems.append(Problem("inserted", seq, f"entry #{seq} was not written by Barium (no valid seal)"))
            else:
                problems.append(
                    Problem(
                        "edited", seq, f"entry #{seq} was edited and its hashes recomputed (its seal no longer fits)"
                    )
                )
        elif seq in swapped:
            if swapped[seq] > seq:
                problems.append(Problem("reordered", seq, f"entries #{seq} and #{swapped[seq]} swapped their contents"))
        elif seq not in swapped.values():
            problems.append(Problem("edited", seq, f"entry #{seq} was edited after it was written"))

    renumbered_down = sum(1 for seq, s in moved.items() if seq - s == -1 and moved.get(seq - 1) != s - 1)
    if head is None:
        if scan.count:
            problems.append(Problem("head", None, "the log's head is missing from the database"))
    elif not head_ok:
        problems.append(Problem("head", None, "the log's head was rewritten: its seal does not fit"))
    elif head.size > scan.last + 1 + renumbered_down:
        problems.append(
            Problem(
                "truncated",
                scan.last + 1,
                f"the log was cut short: its head records {head.size} entries, the last {head.size - scan.last - 1} are gone",
            )
        )
    elif not problems and head.size == scan.count and head.root != scan.root:
        problems.append(Problem("head", None, "the log's root differs from its sealed head"))

    for c in checkpoints:
        problems += _check_point(c, scan.roots, scan.count, public_key, origin, clean=not problems)
    return Verification(scan.count, scan.root, problems, len(checkpoints))


def _head_fits(key: bytes, head: Head) -> bool:
    try:
        return hmac.compare_digest(head_seal(key, head.size, bytes.fromhex(head.root)), head.seal)
    except ValueError:
        return False


def _deletions(gaps: list[tuple[int, int]]) -> list[Problem]:
    return [
        Problem(
            "deleted", a, f"{f'entry #{a} is' if a == b else f'entries #{a} to #{b} are'} missing: deleted from the log"
        )
        for a, b in gaps
    ]


def _check_point(
    c: Checkpoint, roots: dict[int, str], size: int, public_key: str | None, origin: str | None, *, clean: bool
) -> list[Problem]:
    when = f"the checkpoint of {c.time} ({c.size} entries)"
    if not c.signature_valid():
        return [Problem("checkpoint", None, f"{when}: its signature is not valid; it proves nothing")]
    if public_key is not None and c.public_key != public_key:
        return [Problem("checkpoint", None, f"{when} was signed with another key than this workspace's audit key")]
    if origin is not None and c.origin != origin:
        return [Problem("checkpoint", None, f"{when} is of another workspace's log")]
    if c.size > size:
        return [Problem("truncated", size, f"the log was cut short: {when} covers {c.size}, the log has {size}")]
    if roots.get(c.size) != c.root:
        where = "" if not clean else " (every row's seal fits: the log was rewritten by someone holding the key)"
        return [Problem("checkpoint", None, f"the first {c.size} entries differ from {when}{where}")]
    return []
