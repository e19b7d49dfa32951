"""The evidence report as one self-contained HTML file (styles and the plot inline).

Every piece of text from the case (titles, names, notes, the leaks' words) is escaped:
a hostile leak cannot add markup, scripts or links to the report.
"""

from __future__ import annotations

import base64
import json
from html import escape

from barium.report.model import CHECKPOINT_EXPLAINED, MARKS_EXPLAINED, MarkRow, Report

__all__ = ["render_html"]

STYLE = """
body{font-family:Georgia,'Times New Roman',serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #bbb}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}code,.hash{font-family:Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all}
.verdict{font-size:1.1rem;padding:.6rem .8rem;border-left:6px solid #888;background:#f6f6f6}
.identified{border-color:#c0392b}.inconclusive{border-color:#b7950b}
mark{background:#ffe08a;padding:0 .1rem}mark.differs{background:#f5b7b1}
.agree{color:#1e8449}.differ{color:#922b21}.small{font-size:.8rem;color:#555}
pre{white-space:pre-wrap;font-size:.75rem;background:#f7f7f7;padding:.5rem;border:1px solid #ddd}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _rows(header: list[str], rows: list[list[str]]) -> str:
    """A table; cells are HTML already escaped by the caller."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _in_context(parts: tuple[str, str, str], label: str, *, differs: bool = False) -> str:
    before, mark, after = parts
    cls = ' class="differs"' if differs else ""
    return f'{_e(before)}<mark{cls} title="{_e(label)}">{_e(mark or "(nothing)")}</mark>{_e(after)}'


def _mark_row(m: MarkRow, names: bool) -> list[str]:
    label = f"mark {m.n}: {m.channel}"
    row = [
        str(m.n),
        _e(m.channel) + (f"<br><span class=small>{_e(m.rule)}</span>" if m.rule else ""),
        _e(m.leak_at) + "<br>" + _in_context(m.leak_context, label) + f"<br><b>leak says:</b> {_e(m.leak_says)}",
        _e(m.master_at)
        + "<br>"
        + _in_context(m.master_context, label)
        + f"<br><b>master says:</b> {_e(m.master_says)}",
    ]
    if names:
        if m.copy_says is None:
            row.append("<i>no copy of this version</i>")
        else:
            verdict = (
                '<span class="agree">agrees with the leak</span>' if m.agrees else '<span class="differ">differs</span>'
            )
            assert m.copy_context is not None
            row.append(
                _in_context(m.copy_context, label, differs=not m.agrees)
                + f"<br><b>copy says:</b> {_e(m.copy_says)}<br>{verdict}"
            )
    return row


def render_html(report: Report, *, plot_png: bytes) -> str:
    r = report
    out: list[str] = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{_e(r.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(r.title)}</h1>",
        f"<p class=small>Generated {_e(r.generated_at)} by Barium {_e(r.barium_version)}; workspace key fingerprint "
        f"<code>{_e(r.key_fingerprint)}</code>.</p>",
        f'<div class="verdict {_e(r.verdict)}"><b>Finding of the evidence:</b> {_e(r.summary)}</div>',
    ]
    c = r.case
    out += [
        "<h2>1. The case</h2>",
        _rows(
            ["case", "title", "status", "opened (UTC)", "assigned to", "due", "closed (UTC)"],
            [
                [
                    _e(c["id"]),
                    _e(c["title"]),
                    _e(c["status"]),
                    f"{_e(c['opened_at'][:16])} by {_e(c['opened_by'])}",
                    _e(c["assignee"] or "no one"),
                    _e((c["due"] or "")[:10]),
                    _e((c["closed_at"] or "")[:16]),
                ]
            ],
        ),
        "<h3>History</h3>",
        _rows(
            ["when (UTC)", "who", "what", "why", "audit entry"],
            [
                [_e(s.at), _e(s.actor), _e(s.what), _e(s.note), _e("" if s.audit_seq is None else f"#{s.audit_seq}")]
                for s in r.history
            ],
        ),
        "<h2>2. The leaks</h2>",
    ]
    for leak in r.leaks:
        shown = (
            ""
            if leak.aligned_words is None
            else f"; {leak.aligned_words} words aligned, {leak.positions_read} code positions read"
        )
        out.append(
            f"<p><b>Evidence {leak.evidence}</b>: {_e(leak.filename)} ({_e(leak.media_type)}, {leak.size:,} bytes{shown})<br>"
            f"from {_e(leak.origin)}, received {_e(leak.received_at)} by {_e(leak.attached_by)}<br>"
            f"SHA-256 <span class=hash>{_e(leak.sha256)}</span></p><pre>{_e(leak.excerpt)}</pre>"
        )
    out.append("<h2>3. Who the evidence names</h2>")
    if r.accused:
        out.append(
            _rows(
                ["recipient", "e-mail", "score (test)", "false-accusation bound", "in words"],
                [
                    [_e(p.name), _e(p.email), _e(f"{p.score:.2f} ({p.test})"), _e(p.bound), _e(p.odds)]
                    for p in r.accused
                ],
            )
        )
    else:
        out.append(f"<p>{_e(r.summary)}</p>")
    out += [
        f"<h3>Every recipient scored ({r.recipients_scored:,})</h3>",
        f'<figure><img style="max-width:100%" alt="the evidence against every recipient scored, against the threshold" '
        f'src="data:image/png;base64,{base64.b64encode(plot_png).decode()}"></figure>',
        "<h2>4. The bound, and what it means</h2>",
        f"<p>{_e(r.bound_method)}</p>",
        f"<h2>5. The marks read ({r.marks_total})</h2>",
        f"<p>{_e(MARKS_EXPLAINED)}</p>",
    ]
    if r.marks:
        header = ["#", "channel", "in the leak", "in the master"] + (["in the accused's copy"] if r.names else [])
        out.append(_rows(header, [_mark_row(m, r.names) for m in r.marks]))
        if r.marks_total > len(r.marks):
            out.append(
                f"<p class=small>The first {len(r.marks)} of {r.marks_total} marks; the JSON of the trace has them all.</p>"
            )
    else:
        out.append("<p>No mark was read.</p>")
    out.append("<h2>6. Who received which version, when</h2>")
    out.append(f"<p>{_e(r.distribution_summary)}</p>")
    if r.distribution:
        out.append(
            _rows(
                ["recipient", "version", "issued (UTC)", "copy SHA-256"],
                [[_e(d[k]) for k in ("recipient", "version", "issued_at", "sha256")] for d in r.distribution],
            )
        )
    if not r.names:
        out.append("<h2>7. Who else handled the accused's copy</h2><p>Not applicable: this report names no one.</p>")
    else:
        out.append("<h2>7. Who else handled the accused's copy</h2>")
        out.append(
            "<p>Anyone who could download a recipient's copy could leak it to frame them. Every access to a copy "
            "is in the audit log; these are the people other than the recipient who handled it.</p>"
        )
        out.append(
            _rows(
                ["copy of", "who", "what", "when (UTC)", "audit entry"],
                [[_e(h.recipient), _e(h.actor), _e(h.action), _e(h.at), f"#{h.audit_seq}"] for h in r.handling],
            )
            if r.handling
            else "<p>No one.</p>"
        )
    out += [
        "<h2>8. Chain of custody</h2>",
        _rows(
            ["evidence", "received (UTC)", "by", "from", "SHA-256", "bytes", "custody"],
            [
                [
                    str(x.evidence),
                    _e(x.received_at),
                    _e(x.attached_by),
                    _e(x.origin),
                    f"<span class=hash>{_e(x.sha256)}</span>",
                    f"{x.size:,}",
                    "intact: the bytes held still hash to it" if x.intact else "<b>ALTERED</b>",
                ]
                for x in r.leaks
            ],
        ),
        "<h2>9. Audit entries cited, with their inclusion proofs</h2>",
        "<p>Each entry's leaf is SHA-256 of the byte 0x00 and the entry's canonical JSON; the path leads to the root "
        "of the signed checkpoint below (RFC 6962; RFC 9162, 2.1.3.2 gives the check).</p>",
        _rows(
            ["#", "when (UTC)", "who", "action", "subject", "the entry, as hashed", "leaf", "proof"],
            [
                [
                    str(x.seq),
                    _e(x.at),
                    _e(x.actor),
                    _e(x.action),
                    _e(x.subject),
                    f"<span class=hash>{_e(x.entry)}</span>",
                    f"<span class=hash>{_e(x.leaf)}</span>",
                    ("valid" if x.valid else "<b>INVALID</b>")
                    + "<br><span class=hash>"
                    + "<br>".join(_e(p) for p in x.path)
                    + "</span>",
                ]
                for x in r.citations
            ],
        ),
        "<h3>Signed checkpoint</h3>",
        f"<p>{_e(CHECKPOINT_EXPLAINED)}</p>",
        f"<pre>{_e(json.dumps(r.checkpoint, indent=2))}</pre>",
        f"<p>The text signed:</p><pre>{_e(r.checkpoint_note)}</pre>",
        "<h3>Inputs of the trace</h3>",
        f"<pre>{_e(json.dumps(r.trace_inputs, indent=2))}</pre>",
    ]
    if r.notes:
        out.append("<h3>Notes of the trace</h3><ul>" + "".join(f"<li>{_e(n)}</li>" for n in r.notes) + "</ul>")
    out.append(
        "<p class=small>This report's SHA-256 is recorded in the workspace's audit log (action case.report) "
        "when it is written, and printed to whoever wrote it.</p></body></html>"
    )
    return "\n".join(out) + "\n"
