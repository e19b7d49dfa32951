"""The evidence report as PDF, typeset by typst from the same data as the HTML.

The report's data goes to typst as JSON (``sys.inputs``), never spliced into markup:
a leak's words, a name or a note are only ever text on the page, whatever characters
they hold. Fonts come inside the typst wheel, so the PDF is the same on every machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from barium.errors import InputError
from barium.report.model import CHECKPOINT_EXPLAINED, MARKS_EXPLAINED, Report

__all__ = ["render_pdf"]

TEMPLATE = r"""
#let d = json(bytes(sys.inputs.data))
#set document(title: d.title)
#set page(paper: "a4", margin: (x: 1.7cm, y: 1.8cm), footer: context [
  #set text(7.5pt, fill: luma(90))
  #d.title #h(1fr) page #counter(page).display("1 of 1", both: true)
])
#set text(font: "Libertinus Serif", size: 9.5pt, lang: "en", hyphenate: false)
#set par(justify: false)
#set table(stroke: 0.4pt + luma(170), inset: 3.5pt)
#show heading.where(level: 1): it => block(above: 1.4em, below: 0.6em, text(12.5pt, weight: "bold", it.body))
#show heading.where(level: 2): it => block(above: 1em, below: 0.5em, text(10.5pt, weight: "bold", it.body))
#let mono(s) = text(font: "DejaVu Sans Mono", size: 6.5pt, s)
#let hash(h) = {
  let parts = ()
  let i = 0
  while i < h.len() {
    parts.push(h.slice(i, calc.min(i + 16, h.len())))
    i += 16
  }
  mono(parts.join(linebreak()))
}
#let wrap(s, n) = {
  // Long unbroken text (JSON, hashes) cut into lines of n characters: typst breaks only at spaces.
  let out = ()
  for line in s.split("\n") {
    let i = 0
    if line.len() == 0 { out.push("") }
    while i < line.len() {
      out.push(line.slice(i, calc.min(i + n, line.len())))
      i += n
    }
  }
  mono(out.join(linebreak()))
}
#let hl(s, differs: false) = highlight(fill: if differs { rgb("#f5b7b1") } else { rgb("#ffe08a") }, s)
#let ctx(c, differs: false) = [#c.at(0)#hl(if c.at(1) == "" { "(nothing)" } else { c.at(1) }, differs: differs)#c.at(2)]
#let small(s) = text(7.5pt, fill: luma(60), s)

#text(15pt, weight: "bold", d.title)

#small([Generated #d.generated_at by Barium #d.barium_version; workspace key fingerprint ] + mono(d.key_fingerprint) + [.])

#block(fill: luma(240), inset: 7pt, stroke: (left: 4pt + if d.verdict == "identified" { rgb("#c0392b") } else { rgb("#b7950b") }), width: 100%)[
  *Finding of the evidence:* #d.summary
]

= 1. The case
#let c = d.case
#table(columns: (auto, 1fr),
  [*case*], str(c.id), [*title*], c.title, [*status*], c.status, [*opened*], c.opened_at.slice(0, 16) + " UTC by " + c.opened_by,
  [*assigned to*], if c.assignee == none { "no one" } else { c.assignee },
  [*due*], if c.due == none { "" } else { c.due.slice(0, 10) },
  [*closed*], if c.closed_at == none { "" } else { c.closed_at.slice(0, 16) + " UTC" })

== History
#table(columns: (auto, auto, 1fr, 1fr, auto),
  table.header([*when (UTC)*], [*who*], [*what*], [*why*], [*audit entry*]),
  ..d.history.map(s => (s.at.slice(0, 16), s.actor, s.what, s.note, if s.audit_seq == none { "" } else { "#" + str(s.audit_seq) })).flatten())

= 2. The leaks
#for l in d.leaks [
  *Evidence #l.evidence*: #l.filename (#l.media_type, #str(l.size) bytes#if l.aligned_words != none [; #str(l.aligned_words) words aligned, #str(l.positions_read) code positions read]) \
  from #l.origin, received #l.received_at by #l.attached_by \
  SHA-256 #mono(l.sha256)
  #block(fill: luma(247), inset: 5pt, width: 100%, text(8pt, l.excerpt))
]

= 3. Who the evidence names
#if d.accused.len() > 0 {
  table(columns: (auto, auto, auto, auto, 1fr),
    table.header([*recipient*], [*e-mail*], [*score (test)*], [*false-accusation bound*], [*in words*]),
    ..d.accused.map(p => (p.name, p.email, str(calc.round(p.score, digits: 2)) + " (" + p.test + ")", p.bound, p.odds)).flatten())
} else [ #d.summary ]

== Every recipient scored (#str(d.recipients_scored))
#image("plot.png", width: 100%)

= 4. The bound, and what it means
#d.bound_method

= 5. The marks read (#str(d.marks_total))
#sys.inputs.marks_explained

#if d.marks.len() == 0 [No mark was read.] else {
  let cols = if d.names { (auto, auto, 1fr, 1fr, 1fr) } else { (auto, auto, 1fr, 1fr) }
  let head = ([*\#*], [*channel*], [*in the leak*], [*in the master*])
  if d.names { head.push([*in the accused's copy*]) }
  let cells = ()
  for m in d.marks {
    cells.push(str(m.n))
    cells.push([#m.channel \ #small(m.rule)])
    cells.push([#m.leak_at \ #ctx(m.leak_context) \ *leak says:* #m.leak_says])
    cells.push([#m.master_at \ #ctx(m.master_context) \ *master says:* #m.master_says])
    if d.names {
      if m.copy_says == none { cells.push([_no copy of this version_]) } else {
        let agree = if m.agrees [agrees with the leak] else [*differs*]
        cells.push([#ctx(m.copy_context, differs: not m.agrees) \ *copy says:* #m.copy_says \ #agree])
      }
    }
  }
  table(columns: cols, table.header(..head), ..cells)
  if d.marks_total > d.marks.len() [#small([The first #str(d.marks.len()) of #str(d.marks_total) marks; the JSON of the trace has them all.])]
}

= 6. Who received which version, when
#d.distribution_summary
#if d.distribution.len() > 0 {
  table(columns: (1fr, auto, auto, auto),
    table.header([*recipient*], [*version*], [*issued (UTC)*], [*copy SHA-256*]),
    ..d.distribution.map(x => (x.recipient, x.version, x.issued_at, hash(x.sha256))).flatten())
}

#if not d.names [
  = 7. Who else handled the accused's copy
  Not applicable: this report names no one.
]
#if d.names [
  = 7. Who else handled the accused's copy
  Anyone who could download a recipient's copy could leak it to frame them. Every access to a copy is in the audit log; these are the people other than the recipient who handled it.
  #if d.handling.len() > 0 {
    table(columns: (auto, auto, auto, auto, auto),
      table.header([*copy of*], [*who*], [*what*], [*when (UTC)*], [*audit entry*]),
      ..d.handling.map(h => (h.recipient, h.actor, h.action, h.at, "#" + str(h.audit_seq))).flatten())
  } else [No one.]
]

= 8. Chain of custody
#table(columns: (auto, auto, auto, 1fr, auto, auto, auto),
  table.header([*evidence*], [*received (UTC)*], [*by*], [*from*], [*SHA-256*], [*bytes*], [*custody*]),
  ..d.leaks.map(x => (str(x.evidence), x.received_at, x.attached_by, x.origin, hash(x.sha256), str(x.size),
    if x.intact [intact] else [*ALTERED*])).flatten())

= 9. Audit entries cited, with their inclusion proofs
Each entry's leaf is SHA-256 of the byte 0x00 and the entry's canonical JSON; the path leads to the root of the signed checkpoint below (RFC 6962; RFC 9162, 2.1.3.2 gives the check).
#table(columns: (auto, auto, auto, 1fr, auto, auto),
  table.header([*\#*], [*when (UTC)*], [*action*], [*the entry, as hashed*], [*leaf*], [*proof*]),
  ..d.citations.map(x => (str(x.seq), x.at.slice(0, 16), x.action, wrap(x.entry, 44), hash(x.leaf),
    [#if x.valid [valid] else [*INVALID*] \ #x.path.map(hash).join(linebreak())])).flatten())

== Signed checkpoint
#sys.inputs.checkpoint_explained
#block(fill: luma(247), inset: 5pt, width: 100%, wrap(sys.inputs.checkpoint, 110))
The text signed:
#block(fill: luma(247), inset: 5pt, width: 100%, mono(d.checkpoint_note))

== Inputs of the trace
#block(fill: luma(247), inset: 5pt, width: 100%, wrap(sys.inputs.inputs, 110))

#if d.notes.len() > 0 [
  == Notes of the trace
  #for n in d.notes [- #n
  ]
]

#small([This report's SHA-256 is recorded in the workspace's audit log (action case.report) when it is written, and printed to whoever wrote it.])
"""


def render_pdf(report: Report, *, plot_png: bytes) -> bytes:
    import tempfile

    import typst

    inputs = {
        "data": json.dumps(report.to_dict(), ensure_ascii=False),
        "checkpoint": json.dumps(report.checkpoint, indent=2),
        "inputs": json.dumps(report.trace_inputs, indent=2),
        "marks_explained": MARKS_EXPLAINED,
        "checkpoint_explained": CHECKPOINT_EXPLAINED,
    }
    # typst reads pictures from files under its root: the plot and the template go in a
    # private folder of their own, removed after.
    with tempfile.TemporaryDirectory(prefix="barium-report-") as tmp:
        root = Path(tmp)
        (root / "plot.png").write_bytes(plot_png)
        (root / "report.typ").write_text(TEMPLATE, encoding="utf-8")
        try:
            return bytes(
                typst.compile(str(root / "report.typ"), root=str(root), sys_inputs=inputs, ignore_system_fonts=True)
            )
        except RuntimeError as exc:  # typst reports its own errors as RuntimeError
            raise InputError(f"the report could not be typeset as PDF: {str(exc)[:400]}") from None
