"""The audit log becomes a Merkle log with sealed rows and signed checkpoints.

Revision ID: 0010
Revises: 0009

Each row gains its place (``seq``), its RFC 6962 leaf hash, the tree's root after it
and a keyed seal (``barium.audit``); ``audit_checkpoints`` keeps the signed
checkpoints. The hashes need the workspace key, which a migration never reads: rows
already written are sealed right after the upgrade, in the order they were written
(``barium.audit.log.seal_unsealed``), and the log records that it did so.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("seq", sa.Integer, nullable=True))
    op.add_column("audit_log", sa.Column("leaf", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("root", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("seal", sa.String(64), nullable=True))
    op.create_index("ix_audit_log_seq", "audit_log", ["seq"], unique=True)
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
