"""Code identities that are never reused, copy fingerprints, namesakes, zoned timestamps.

Revision ID: 0004
Revises: 0003

Existing rows keep the identities their copies were made with (a recipient's
integer id, a version's ``document:version``), so that copies already issued
stay traceable; rows added from now on get 128 random bits.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# SQLite names no constraints; this convention lets batch mode find the old ones.
NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}

TIMESTAMPS = {
    "documents": ["created_at"],
    "document_versions": ["created_at"],
    "recipients": ["created_at"],
    "issuances": ["issued_at"],
    "watch_sources": ["added_at", "last_run_at", "next_retry_at"],
    "seen_items": ["seen_at"],
    "alerts": ["published", "created_at"],
    "public_texts": ["created_at"],
}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("document_versions", sa.Column("uid", sa.String(32), nullable=True))
    op.execute(
        "UPDATE document_versions SET uid = CAST(document_id AS VARCHAR(20)) || ':' || CAST(version AS VARCHAR(20))"
    )
    with op.batch_alter_table("document_versions") as batch:
        batch.alter_column("uid", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint("uq_document_versions_uid", ["uid"])

    op.add_column("recipients", sa.Column("uid", sa.String(32), nullable=True))
    op.add_column("recipients", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE recipients SET uid = CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("recipients", naming_convention=NAMES) as batch:
        batch.alter_column("uid", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint("uq_recipients_uid", ["uid"])
        # Namesakes are allowed: two John Smiths with different addresses.
        batch.drop_constraint("recipients_name_key_key" if postgres else "uq_recipients_name_key", type_="unique")
        batch.create_index("ix_recipients_name_key", ["name_key"])

    with op.batch_alter_table("issuances") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("file", sa.String(500), nullable=False, server_default=""))
        batch.create_index("ix_issuances_fingerprint", ["fingerprint"])

    if postgres:  # SQLite has no zoned type: values are UTC there, and read back as UTC
        for table, columns in TIMESTAMPS.items():
            for column in columns:
                op.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TIMESTAMP WITH TIME ZONE "
                    f"USING {column} AT TIME ZONE 'UTC'"
                )


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
