"""Watched sources, fetch state, alerts and public texts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("every_seconds", sa.Integer, nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.Column("last_run_at", sa.DateTime, nullable=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("next_retry_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    op.create_table(
        "fetch_validators",
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("etag", sa.String(1000), nullable=True),
        sa.Column("last_modified", sa.String(200), nullable=True),
    )
    op.create_table(
        "seen_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("key", sa.String(2000), nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("kind", "key"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("title", sa.String(1000), nullable=True),
        sa.Column("published", sa.DateTime, nullable=True),
        sa.Column("article_hash", sa.String(64), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("document_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("spans", sa.Text, nullable=False),
        sa.Column("trace", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("article_hash", "document_id"),
    )
    op.create_index("ix_alerts_article_hash", "alerts", ["article_hash"])
    op.create_index("ix_alerts_document_id", "alerts", ["document_id"])
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])
    op.create_table(
        "public_texts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("public_texts")
    op.drop_table("alerts")
    op.drop_table("seen_items")
    op.drop_table("fetch_validators")
    op.drop_table("watch_sources")
