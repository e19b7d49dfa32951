"""Recipients' name keys recomputed under the rule of this release.

Revision ID: 0007
Revises: 0006

``name_key`` is derived from ``name`` (:func:`barium.text.names.name_key`: NFKC,
casefolded, invisible characters and variation selectors dropped, spaces
collapsed); rows stored before that rule keep keys of the older one, which
namesake checks and lookups by name would miss. Unlike the other migrations this
one imports the rule rather than writing it out: the column is a cache of it, and
must hold what the running release computes.
"""

import sqlalchemy as sa
from alembic import op

from barium.text.names import name_key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    recipients = sa.table(
        "recipients", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key", sa.String)
    )
    for rid, name, stored in conn.execute(sa.select(recipients.c.id, recipients.c.name, recipients.c.name_key)).all():
        key = name_key(name)
        if key != stored:
            conn.execute(recipients.update().where(recipients.c.id == rid).values(name_key=key))


def downgrade() -> None:
    raise NotImplementedError("Barium schemas only move forward; restore a backup to go back")
