"""A version keeps its master file when the file is more than its text (a Word document).

Revision ID: 0008
Revises: 0007

``document_versions.source`` holds the clean master file (author variants at their
first wording, identifying metadata removed) that copies are written from; NULL for
text and Markdown, whose text is the whole master.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document_versions", sa.Column("source", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
