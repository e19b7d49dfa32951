"""The tamper-evident audit log: RFC 6962 Merkle hashing, sealed rows, signed checkpoints.

merkle      leaf and node hashes, roots, inclusion proofs (pure, standard)
seal        what a row's hashes cover, and the keyed seals of rows and head
checkpoint  Ed25519-signed (size, root) notes, exported and witnessed outside
verify      checking rows, head and checkpoints: what was edited, deleted,
            inserted, reordered or cut, and where
log         the database side: append in the action's transaction, read back
"""

from barium.audit.checkpoint import Checkpoint, public_key_of, sign_checkpoint
from barium.audit.merkle import Frontier, inclusion_proof, leaf_hash, node_hash, tree_root, verify_inclusion
from barium.audit.seal import EntryFields, mac_key
from barium.audit.verify import Head, Problem, StoredRow, Verification, verify_rows

__all__ = [
    "Checkpoint",
    "EntryFields",
    "Frontier",
    "Head",
    "Problem",
    "StoredRow",
    "Verification",
    "inclusion_proof",
    "leaf_hash",
    "mac_key",
    "node_hash",
    "public_key_of",
    "sign_checkpoint",
    "tree_root",
    "verify_inclusion",
    "verify_rows",
]
