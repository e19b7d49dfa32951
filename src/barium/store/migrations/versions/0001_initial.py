"""Documents, versions, recipients and issuances.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("sites", sa.Text, nullable=False),
        sa.Column("code_params", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("document_id", "version"),
    )
    op.create_index("ix_document_versions_document_id", "document_versions", ["document_id"])
    op.create_index("ix_document_versions_sha256", "document_versions", ["sha256"])
    op.create_table(
        "recipients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False, unique=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("email_key", sa.String(320), nullable=True, unique=True),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "issuances",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("document_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("recipient_id", sa.Integer, sa.ForeignKey("recipients.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("version_id", "recipient_id"),
    )
    op.create_index("ix_issuances_version_id", "issuances", ["version_id"])
    op.create_index("ix_issuances_recipient_id", "issuances", ["recipient_id"])


def downgrade() -> None:
    op.drop_table("issuances")
    op.drop_table("recipients")
    op.drop_table("document_versions")
    op.drop_table("documents")
