"""RFC 6962 hashing: the published test vectors, and proofs for every leaf of every small tree."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from barium.audit.merkle import Frontier, inclusion_proof, leaf_hash, node_hash, tree_root, verify_inclusion

# The leaves and roots of the Certificate Transparency reference tests (certificate-transparency-go).
VECTOR_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962, 2.1, word for word: split at the largest power of two below n."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_the_roots_match_the_certificate_transparency_vectors() -> None:
    hashes = [leaf_hash(d) for d in VECTOR_LEAVES]
    assert [tree_root(hashes[: n + 1]).hex() for n in range(8)] == VECTOR_ROOTS
    assert tree_root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_a_frontier_grows_to_the_same_root_as_the_whole_tree_and_survives_json() -> None:
    leaves = [leaf_hash(bytes([i])) for i in range(70)]
    frontier = Frontier()
    for n, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert frontier.root() == reference_root(leaves[:n])
        again = Frontier.from_json(frontier.to_json())
        assert again.size == n and again.root() == frontier.root()


def test_every_leaf_of_every_tree_up_to_40_has_a_proof_and_no_other_leaf_passes_it() -> None:
    for size in range(1, 41):
        leaves = [leaf_hash(f"{size}:{i}".encode()) for i in range(size)]
        root = tree_root(leaves)
        for index in range(size):
            path = inclusion_proof(leaves, index)
            assert verify_inclusion(leaves[index], index, size, path, root)
            assert not verify_inclusion(leaf_hash(b"forged"), index, size, path, root)
            if size > 1:
                other = (index + 1) % size
                assert not verify_inclusion(leaves[index], other, size, path, root)
            # (The size is not bound by the path alone, but by the checkpoint's signature over size and root.)
            assert not verify_inclusion(leaves[index], index, size, path, tree_root([*leaves[:-1], leaf_hash(b"x")]))


@given(st.integers(1, 300), st.data())
def test_a_proof_with_any_hash_changed_fails(size: int, data: st.DataObject) -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    index = data.draw(st.integers(0, size - 1))
    path = inclusion_proof(leaves, index)
    root = tree_root(leaves)
    assert verify_inclusion(leaves[index], index, size, path, root)
    if path:
        k = data.draw(st.integers(0, len(path) - 1))
        bent = [*path[:k], hashlib.sha256(path[k]).digest(), *path[k + 1 :]]
        assert not verify_inclusion(leaves[index], index, size, bent, root)
    assert not verify_inclusion(leaves[index], index, size, [*path, path[0] if path else root], root)
