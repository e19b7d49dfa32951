"""What each server process loads (``uvicorn barium.web.serve:app --factory``): the app over
the workspace ``$BARIUM_HOME`` names."""

from __future__ import annotations

import os

from fastapi import FastAPI

from barium.web.app import create_app


def app() -> FastAPI:
    return create_app(os.environ.get("BARIUM_HOME"))
