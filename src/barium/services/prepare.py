"""Turning a stored version into what marking and tracing need, cached per process."""

from __future__ import annotations

import json
from functools import lru_cache

from barium.channels import channel_map
from barium.codes import Code, CodeSpec
from barium.marking import build_plan, sites_from_json
from barium.store import DocumentVersion
from barium.text import tokenize
from barium.tracing import MasterIndex, PreparedVersion, SiteAnchors


def prepare(version: DocumentVersion, key: bytes) -> PreparedVersion:
    return _prepare(
        version.id,
        version.uid,
        version.content,
        version.sites,
        version.code_params,
        key,
    )


@lru_cache(maxsize=64)
def _prepare(
    version_id: int,
    code_id: str,
    content: str,
    sites_json: str,
    params_json: str,
    key: bytes,
) -> PreparedVersion:
    # The code derives from the version's identity, minted once and never reused
    # (``document:version`` for versions registered before identities existed).
    params = json.loads(params_json)
    sites = sites_from_json(sites_json)
    # Versions registered before q-ary positions came name none: their plan is as it was.
    plan = build_plan(
        sites,
        channels=channel_map(),
        key=key,
        code_id=code_id,
        repetition=params["repetition"],
        qary=frozenset(params.get("qary", ())),
    )
    code = Code.derive(
        key,
        code_id,
        plan.length,
        CodeSpec(
            cutoff=params["cutoff"],
            uniform_share=params["uniform_share"],
            qary_uniform=params.get("qary_uniform", False),
        ),
        alphabets=plan.alphabets,
    )
    tokens = tokenize(content)
    return PreparedVersion(
        version_id=version_id,
        master=content,
        index=MasterIndex(tokens),
        plan=plan,
        anchors=SiteAnchors.compute(plan.sites, tokens),
        code=code,
    )
