"""The web app: ``barium serve``. FastAPI pages (Jinja2, htmx vendored under static/) and
a JSON API under ``/api``, thin over :mod:`barium.services`."""

from barium.web.app import create_app

__all__ = ["create_app"]
