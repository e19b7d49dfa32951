"""Listing a version's mark sites for its author."""

from __future__ import annotations

import bisect
from collections import Counter

from barium.services.documents import document_info, find_document, find_version
from barium.services.info import SiteRow, SitesReport
from barium.services.prepare import prepare
from barium.workspace import Workspace


class SitesService:
    ws: Workspace

    def sites(self, doc: int | str, *, version: int | None = None) -> SitesReport:
        """Every site with its variants, in text order, with line and column."""
        with self.ws.db.read() as session:
            document = find_document(session, doc)
            v = find_version(document, version)
            info = document_info(document, v, len(document.versions))
            prepared = prepare(v, self.ws.key)
        text = prepared.master
        line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        rows = []
        for i, site in enumerate(prepared.plan.sites):
            line = bisect.bisect_right(line_starts, site.start)
            rows.append(
                SiteRow(
                    index=i,
                    channel=site.channel,
                    rule=site.rule,
                    paragraph=site.paragraph,
                    start=site.start,
                    end=site.end,
                    line=line,
                    column=site.start - line_starts[line - 1] + 1,
                    master=text[site.start : site.end],
                    forms=site.forms,
                )
            )
        return SitesReport(
            document=info,
            sites=rows,
            words=len(prepared.index.tokens),
            per_channel=dict(Counter(r.channel for r in rows)),
            code_length=prepared.plan.length,
            slots=prepared.plan.slots,
        )
