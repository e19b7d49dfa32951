"""Stored site lists become self-describing: schema, version, field names, and a locator per site.

Revision ID: 0005
Revises: 0004

Version 1 was a bare list of ``[channel, rule, start, end, forms, master, paragraph]``
rows; version 2 wraps the same rows (plus a null locator) under a header, so that
sites of DOCX runs or PDF lines can be addressed. The conversion is written out
here rather than imported, so that this migration means the same forever.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FIELDS = ["channel", "rule", "start", "end", "forms", "master", "paragraph", "locator"]


def upgrade() -> None:
    conn = op.get_bind()
    versions = sa.table("document_versions", sa.column("id", sa.Integer), sa.column("sites", sa.Text))
    for vid, stored in conn.execute(sa.select(versions.c.id, versions.c.sites)).all():
        rows = json.loads(stored)
        if isinstance(rows, dict):
            continue  # already version 2
        data = {"schema": "barium.sites", "version": 2, "fields": FIELDS, "sites": [[*row, None] for row in rows]}
        conn.execute(
            versions.update()
            .where(versions.c.id == vid)
            .values(sites=json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        )


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
