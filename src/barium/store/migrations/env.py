"""Alembic environment: Barium passes its own connection in (no alembic.ini)."""

from alembic import context

from barium.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
