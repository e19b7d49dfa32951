"""A marked Markdown copy renders like its master."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from barium.services import Barium
from barium.text import retype_key
from tests.conftest import add_people

md = MarkdownIt("commonmark").enable("table")


def skeleton(text: str) -> list[tuple[Any, ...]]:
    """Block and inline structure, link targets, code and HTML verbatim; prose reduced to nothing."""
    out: list[tuple[Any, ...]] = []

    def walk(tokens: list[Any]) -> None:
        for t in tokens:
            if t.type in {"text"}:
                continue
            verbatim = (
                t.content if t.type in {"code_inline", "fence", "code_block", "html_block", "html_inline"} else ""
            )
            out.append((t.type, t.tag, tuple(sorted((t.attrs or {}).items())), verbatim, t.info))
            if t.children:
                walk(t.children)

    walk(md.parse(text))
    return out


def test_copies_keep_every_structure_code_span_link_and_html(barium: Barium, briefing: Path) -> None:
    doc = barium.documents.add(briefing, title="Briefing")
    add_people(barium, 12)
    master = briefing.read_text()
    report = barium.issuing.issue(doc.id, all_recipients=True)
    assert len({c.text for c in report.copies}) == 12
    for c in report.copies:
        assert c.text != master
        assert skeleton(c.text) == skeleton(master)
        # Front matter and fenced code are byte-identical.
        assert c.text.split("# Quarterly")[0] == master.split("# Quarterly")[0]
        fence = master[master.index("```python") : master.rindex("```") + 3]
        assert fence in c.text


def test_a_copy_differs_from_the_master_only_at_its_sites(barium: Barium, briefing: Path) -> None:
    doc = barium.documents.add(briefing, title="Briefing")
    add_people(barium, 3)
    master = briefing.read_text()
    # difflib may place a change anywhere text repeats around it: deleting " that" from
    # " that the" can come out as deleting "at th". So a change may reach as far past a
    # site as the site's longest form.
    spans = [(s.start, s.end, max(len(f) for f in s.forms)) for s in barium.documents.sites(doc.id).sites]
    for copy in barium.issuing.issue(doc.id, all_recipients=True).copies:
        ops = difflib.SequenceMatcher(a=master, b=copy.text, autojunk=False).get_opcodes()
        for tag, i1, i2, _j1, _j2 in ops:
            if tag != "equal":
                assert any(a - w <= i1 and i2 <= b + w for a, b, w in spans), (tag, master[i1 - 10 : i2 + 10])


SENTENCES = [
    "The committee said that it would meet again in June, although the chair was away.",
    'She said: "We don\'t know yet" – and the board agreed to wait… for now.',
    "Costs rose by 5 per cent to £2.5m, more than the 3% expected by the US team.",
    "Mr Smith organised the review towards the end of the year, but it wasn't finished.",
]
INLINE = ["`code, that towards`", '[a link](https://example.org/a_b?c=d "Title")', "*emphasis*", "<span>html</span>"]


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(2, 7))):
        kind = draw(st.sampled_from(["para", "heading", "list", "fence", "table", "quote"]))
        words = " ".join(draw(st.lists(st.sampled_from(SENTENCES + INLINE), min_size=1, max_size=5)))
        if kind == "para":
            blocks.append(words)
        elif kind == "heading":
            blocks.append("## " + draw(st.sampled_from(SENTENCES)))
        elif kind == "list":
            blocks.append("\n".join(f"- {draw(st.sampled_from(SENTENCES + INLINE))}" for _ in range(3)))
        elif kind == "fence":
            blocks.append("```\n" + words + "\n```")
        elif kind == "table":
            blocks.append("| a | b |\n|---|---|\n| " + draw(st.sampled_from(SENTENCES)) + " | `x, y` |")
        else:
            blocks.append("> " + words)
    return "\n\n".join(blocks) + "\n"


@given(doc=markdown_documents())
@settings(max_examples=25)
def test_copies_of_random_markdown_render_with_the_same_structure(
    tmp_path_factory: pytest.TempPathFactory, doc: str
) -> None:
    home = tmp_path_factory.mktemp("md")
    path = home / "doc.md"
    path.write_text(doc)
    with Barium.init(home / "ws") as b:
        d = b.documents.add(path, title="Random")
        add_people(b, 4)
        for copy in b.issuing.issue(d.id, all_recipients=True).copies:
            assert skeleton(copy.text) == skeleton(doc)


VARIANT_MD = """---
title: Plan
---

# Operation {{plan|outline}}

The teams {{will meet|are to meet}} at *the {{harbour|quay}}* before dawn.

- Unit one {{brings|carries}} the radios, `{{not|markup}}` stays code.
- See [the annex](https://example.org/{{x|y}}) for {{details|particulars}}.

| unit | {{time|hour}} |
|---|---|
| one | {{6am|six in the morning}} |

```
{{fenced|code}}
```
"""


def test_variants_in_markdown_keep_the_structure(barium: Barium) -> None:
    doc = barium.documents.add(VARIANT_MD, title="Plan", fmt="markdown")
    add_people(barium, 16)
    master = barium.documents.master_text(doc.id)
    assert "{{not|markup}}" in master and "{{x|y}}" in master and "{{fenced|code}}" in master
    variants = [r for r in barium.documents.sites(doc.id).sites if r.channel == "variants"]
    assert len(variants) == 7
    seen: set[str] = set()
    for copy in barium.issuing.issue(doc.id, all_recipients=True).copies:
        assert skeleton(copy.text) == skeleton(master)
        for row in variants:
            assert any(form in copy.text for form in row.forms)
        seen.update(f for row in variants for f in row.forms if f in retype_key(copy.text))
    # Some positions have extreme biases (arcsine), so not every alternative need
    # appear among 16 copies; most do.
    assert len({"outline", "are to meet", "quay", "carries", "particulars", "hour", "six in the morning"} & seen) >= 4
