"""XML parts are parsed with no entities, no DTD and no network; a DOCTYPE is refused."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from barium.errors import InputError
from barium.formats.docx import docx_text
from barium.limits import Limits
from tests.formats.docx.build import DECL, NS, docx, p, replace_member

LIMITS = Limits()
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{LAUGHS}]>'


def with_document(xml: str) -> bytes:
    return docx("", document_xml=xml)


def body(inner: str) -> str:
    return f"<w:document {NS}><w:body>{inner}</w:body></w:document>"


@pytest.mark.parametrize(
    "prolog",
    [
        BILLION_LAUGHS,
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE w:document SYSTEM "http://example.org/evil.dtd">',
        # Past the bytes scanned before parsing: the parser's own record catches it.
        "<!--" + "x" * 10_000 + "-->" + BILLION_LAUGHS,
    ],
)
def test_a_doctype_is_refused_whatever_it_declares(prolog: str) -> None:
    xml = DECL + prolog + body("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>")
    with pytest.raises(InputError, match=r"^leak\.docx: word/document\.xml declares a DOCTYPE"):
        docx_text(with_document(xml), limits=LIMITS, name="leak.docx")


def test_a_doctype_in_utf16_is_refused_too() -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?>' + BILLION_LAUGHS + body(p("x"))
    data = replace_member(docx(p("x")), "word/document.xml", xml.encode("utf-16"))
    with pytest.raises(InputError, match="DOCTYPE"):
        docx_text(data, limits=LIMITS, name="x.docx")


def test_billion_laughs_is_refused_in_bounded_time_and_memory() -> None:
    # In a subprocess with a memory cap: expanding the entities would need gigabytes.
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from barium.errors import InputError
        from barium.formats.docx import docx_text
        from barium.limits import Limits
        from tests.formats.docx.build import DECL, docx
        xml = DECL + "<!--" + "x" * 10_000 + "-->" + {BILLION_LAUGHS!r} + {body("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>")!r}
        try:
            docx_text(docx("", document_xml=xml), limits=Limits(), name="x.docx")
        except InputError as exc:
            print("refused:", exc)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused:")


def test_xml_that_is_not_well_formed_is_refused_naming_the_part() -> None:
    with pytest.raises(InputError, match=r"^x\.docx: word/document\.xml is not well-formed XML"):
        docx_text(with_document(DECL + body("<w:p><w:r><w:t>unclosed</w:r></w:p>")), limits=LIMITS, name="x.docx")


def test_nesting_past_the_parser_bound_is_refused_not_recursed_into() -> None:
    deep = "<w:sdt><w:sdtContent>" * 5000 + p("deep") + "</w:sdtContent></w:sdt>" * 5000
    with pytest.raises(InputError, match="not well-formed XML"):
        docx_text(with_document(DECL + body(deep)), limits=LIMITS, name="x.docx")


def test_nesting_within_the_bound_reads_without_recursion() -> None:
    deep = "<w:sdt><w:sdtContent>" * 100 + p("deep") + "</w:sdtContent></w:sdt>" * 100
    assert docx_text(with_document(DECL + body(deep)), limits=LIMITS, name="x.docx") == "deep"


def test_an_undeclared_entity_is_refused() -> None:
    with pytest.raises(InputError, match="not well-formed"):
        docx_text(with_document(DECL + body("<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>")), limits=LIMITS, name="x")
