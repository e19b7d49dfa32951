"""The package's public names are exactly what it exports."""

from __future__ import annotations

import inspect

import barium.formats.docx as api


def test_all_lists_every_public_name_and_nothing_else() -> None:
    public = {n for n, v in vars(api).items() if not n.startswith("_") and not inspect.ismodule(v)}
    assert sorted(api.__all__) == sorted(public)


def test_options_after_the_data_are_keyword_only() -> None:
    for name in ("open_docx", "prepare_master", "docx_text"):
        parameters = inspect.signature(getattr(api, name)).parameters
        assert [p.kind for p in parameters.values()][1:] == [inspect.Parameter.KEYWORD_ONLY] * (len(parameters) - 1)
