"""A version keeps the layout of its PDF copies.

Revision ID: 0009
Revises: 0008

``document_versions.layout`` holds the fixed line breaks its typeset PDF copies are
set on (JSON, ``barium.formats.layout``), so that the word shifts they carry stay
where its site list says whatever a later typesetter would do; NULL for versions
whose PDF copies carry text marks only (every version registered before this).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document_versions", sa.Column("layout", sa.Text, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
