"""A copy keeps one style per rule per paragraph: no visible flip to compare."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from barium.channels import channel_map
from barium.services import Barium
from barium.services.prepare import prepare
from barium.store import DocumentVersion
from tests.conftest import add_people


def test_every_consistent_rule_shows_one_form_per_paragraph(barium: Barium, memo: Path, briefing: Path) -> None:
    add_people(barium, 30)
    channels = channel_map()
    for path in (memo, briefing):
        doc = barium.documents.add(path)
        with barium.ws.db.session() as s:
            version = s.get(DocumentVersion, doc.version_id)
            assert version is not None
            prepared = prepare(version, barium.ws.key)
        for r in barium.recipients.list():
            chosen = prepared.plan.forms_for(prepared.code.codeword(r.uid))
            seen: dict[tuple[str, str, int], set[int]] = defaultdict(set)
            for site, form in zip(prepared.plan.sites, chosen, strict=True):
                if channels[site.channel].consistent:
                    seen[(site.channel, site.rule, site.paragraph)].add(form)
            assert all(len(forms) == 1 for forms in seen.values())
