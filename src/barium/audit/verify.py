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
from collections.abc import Sequence
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


def _content_leaf(row: StoredRow, seq: int | None = None) -> str:
    fields = row.fields if seq is None else _at(row.fields, seq)
    return fields.leaf().hex()


def _at(fields: EntryFields, seq: int) -> EntryFields:
    return EntryFields(seq, fields.at, fields.actor_kind, fields.actor, fields.action, fields.subject, fields.details)


def verify_rows(
    rows: Sequence[StoredRow],
    *,
    key: bytes,
    head: Head | None,
    checkpoints: Sequence[Checkpoint] = (),
    public_key: str | None = None,
    origin: str | None = None,
) -> Verification:
    """Check the rows of a log (any order), its head and signed checkpoints of it.

    ``public_key`` and ``origin`` are this log's: a checkpoint signed by another
    key, or of another workspace, proves nothing about it and is reported.
    """
    problems: list[Problem] = []
    numbered = sorted((r for r in rows if r.fields.seq >= 0), key=lambda r: (r.fields.seq, r.row_id))
    for r in rows:
        if r.fields.seq < 0:
            problems.append(Problem("inserted", None, f"row {r.row_id} has no place in the log: Barium never wrote it"))

    # Places that are missing, and rows whose seal does not fit their place.
    present = {r.fields.seq for r in numbered}
    last = numbered[-1].fields.seq if numbered else -1
    missing = sorted(set(range(last + 1)) - present)
    unfit = [r for r in numbered if not _fits(key, r.fields.seq, r)]
    unfit_ids = {r.row_id for r in unfit}
    candidates = {r.fields.seq for r in unfit} | set(missing)
    moved: dict[int, int] = {}  # row id -> the place its seal fits
    for r in unfit:
        for s in sorted({r.fields.seq - 1, r.fields.seq + 1} | candidates):
            if s >= 0 and s != r.fields.seq and _fits(key, s, r):
                moved[r.row_id] = s
                break

    # Rows whose seal fits their place but whose content changed; two of them may be a swap.
    edited = [r for r in numbered if r.row_id not in unfit_ids and _content_leaf(r) != r.leaf]
    edited_ids = {r.row_id for r in edited}
    swapped: dict[int, int] = {}
    for a in edited:
        for b in edited:
            if a is not b and _content_leaf(a, b.fields.seq) == b.leaf:
                swapped[a.fields.seq] = b.fields.seq

    head_ok = head is not None and _head_fits(key, head)
    sealed_size = head.size if head is not None and head_ok else None
    shifted = {r.fields.seq - m for r in numbered if (m := moved.get(r.row_id)) is not None}
    problems += _deletions(missing)
    runs = _runs(numbered, moved)
    for r in numbered:
        seq = r.fields.seq
        if r.row_id in moved:
            if runs.get(r.row_id, False):
                continue  # reported once, at the start of its run
            origin_seq = moved[r.row_id]
            if abs(origin_seq - seq) == 1 and r.row_id in runs:
                problems.append(
                    Problem(
                        "reordered",
                        seq,
                        f"entries from #{seq} on were renumbered by {seq - origin_seq:+d}: "
                        f"{'an entry was inserted' if seq > origin_seq else 'an entry was deleted'} before them",
                    )
                )
            else:
                problems.append(Problem("reordered", seq, f"entry #{seq} is the entry Barium wrote as #{origin_seq}"))
        elif r.row_id in unfit_ids:
            beyond = sealed_size is not None and seq >= sealed_size
            if beyond or (1 in shifted and _next_moved_back(numbered, r, moved)) or _content_leaf(r) != r.leaf:
                problems.append(Problem("inserted", seq, f"entry #{seq} was not written by Barium (no valid seal)"))
            else:
                problems.append(
                    Problem(
                        "edited", seq, f"entry #{seq} was edited and its hashes recomputed (its seal no longer fits)"
                    )
                )
        elif r.row_id in edited_ids:
            if seq in swapped:
                if swapped[seq] > seq:
                    problems.append(
                        Problem("reordered", seq, f"entries #{seq} and #{swapped[seq]} swapped their contents")
                    )
            elif not any(v == seq for v in swapped.values()):
                problems.append(Problem("edited", seq, f"entry #{seq} was edited after it was written"))

    # The tree over the rows as they stand: its root at every checkpoint, and at the end.
    frontier = Frontier()
    roots: dict[int, str] = {}
    wanted = {c.size for c in checkpoints}
    if 0 in wanted:
        roots[0] = frontier.root().hex()
    for r in numbered:
        frontier.append(bytes.fromhex(_content_leaf(r)))
        if frontier.size in wanted:
            roots[frontier.size] = frontier.root().hex()
    root = frontier.root().hex()

    if head is None:
        if numbered:
            problems.append(Problem("head", None, "the log's head is missing from the database"))
    elif not head_ok:
        problems.append(Problem("head", None, "the log's head was rewritten: its seal does not fit"))
    elif head.size > last + 1:
        problems.append(
            Problem(
                "truncated",
                last + 1,
                f"the log was cut short: its head records {head.size} entries, the last {head.size - last - 1} are gone",
            )
        )
    elif not problems and head.size == len(numbered) and head.root != root:
        problems.append(Problem("head", None, "the log's root differs from its sealed head"))

    for c in checkpoints:
        problems += _check_point(c, roots, len(numbered), public_key, origin, clean=not problems)
    return Verification(len(numbered), root, problems, len(checkpoints))


def _head_fits(key: bytes, head: Head) -> bool:
    try:
        return hmac.compare_digest(head_seal(key, head.size, bytes.fromhex(head.root)), head.seal)
    except ValueError:
        return False


def _deletions(missing: list[int]) -> list[Problem]:
    out: list[Problem] = []
    i = 0
    while i < len(missing):
        j = i
        while j + 1 < len(missing) and missing[j + 1] == missing[j] + 1:
            j += 1
        a, b = missing[i], missing[j]
        what = f"entry #{a} is" if a == b else f"entries #{a} to #{b} are"
        out.append(Problem("deleted", a, f"{what} missing: deleted from the log"))
        i = j + 1
    return out


def _runs(numbered: list[StoredRow], moved: dict[int, int]) -> dict[int, bool]:
    """For rows renumbered by one place: whether each continues a run (True) or starts one (False)."""
    out: dict[int, bool] = {}
    previous: StoredRow | None = None
    for r in numbered:
        s = moved.get(r.row_id)
        if s is not None and abs(s - r.fields.seq) == 1:
            prior = None if previous is None else moved.get(previous.row_id)
            out[r.row_id] = (
                previous is not None
                and prior is not None
                and previous.fields.seq - prior == r.fields.seq - s
                and previous.fields.seq == r.fields.seq - 1
            )
        previous = r
    return out


def _next_moved_back(numbered: list[StoredRow], row: StoredRow, moved: dict[int, int]) -> bool:
    """Whether the row after ``row`` carries the seal of ``row``'s place: ``row`` was pushed in before it."""
    i = numbered.index(row)
    if i + 1 >= len(numbered):
        return False
    after = numbered[i + 1]
    return moved.get(after.row_id) == row.fields.seq


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
