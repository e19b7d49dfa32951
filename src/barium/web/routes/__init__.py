"""The routes, one module per concept; each holds its pages and its JSON API side by side,
both calling the same service."""

from barium.web.routes import documents, home, jobs, session, tracing

ROUTERS = [session.router, home.router, jobs.router, documents.router, tracing.router]

__all__ = ["ROUTERS"]
