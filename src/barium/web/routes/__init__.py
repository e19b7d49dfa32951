"""The routes, one module per concept; each holds its pages and its JSON API side by side,
both calling the same service."""

from barium.web.routes import (
    account,
    audit,
    authoring,
    cases,
    documents,
    home,
    jobs,
    recipients,
    session,
    tracing,
    users,
    watching,
)

ROUTERS = [
    session.router,
    home.router,
    jobs.router,
    documents.router,
    authoring.router,
    recipients.router,
    watching.router,
    tracing.router,
    cases.router,
    audit.router,
    users.router,
    account.router,
]

__all__ = ["ROUTERS"]
