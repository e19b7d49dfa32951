"""Cases: their history, the evidence in their custody, and the traces they ran.

Revision ID: 0011
Revises: 0010

Evidence bytes are stored once under their SHA-256 (``evidence_blobs``) and linked to
each case that holds them (``case_evidence``).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("state", sa.String(80), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=True),
        sa.Column("assignee", sa.String(200), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finding", sa.String(80), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(230), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(230), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("from_state", sa.String(80), nullable=True),
        sa.Column("to_state", sa.String(80), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=True),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.create_table(
        "evidence_blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "case_evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("evidence_blobs.sha256"), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attached_by", sa.String(230), nullable=False),
        sa.Column("origin", sa.String(2000), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.UniqueConstraint("case_id", "sha256"),
    )
    op.create_index("ix_case_evidence_case_id", "case_evidence", ["case_id"])
    op.create_index("ix_case_evidence_sha256", "case_evidence", ["sha256"])
    op.create_table(
        "case_traces",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(230), nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("approved_by", sa.String(230), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("audit_seq", sa.Integer, nullable=True),
    )
    op.create_index("ix_case_traces_case_id", "case_traces", ["case_id"])


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
