"""Hostile masters: protection finders stay linear and find what the plain
regular expressions found (docs/limits.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.errors import InputError
from barium.formats import parse
from barium.formats.inline import markdown_spans, urlish_spans

# The specification: the alternations earlier releases ran with finditer. They are
# quadratic or cubic on some lines, so they are only run here, on short ones.
REFERENCE_URLISH = re.compile(
    r"(?:https?|ftp)://[^\s<>\"')\]]+"
    r"|www\.[^\s<>\"')\]]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co\.uk|uk|eu|int)\b(?:/[^\s<>\"')\]]*)?",
    re.IGNORECASE,
)
REFERENCE_MD_INLINE = re.compile(
    r"(?P<code>(`+)[\s\S]*?(?<!`)\2(?!`))"
    r"|(?P<auto><(?:https?|ftp|mailto):[^>\s]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)"
    r"|(?P<html></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--[\s\S]*?-->)"
    r"|(?P<entity>&(?:#\d+|#x[0-9A-Fa-f]+|\w+);)"
    r"|(?P<target>\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\))"
    r"|(?P<ref>\]\[[^\]]*\])"
    r"|(?P<image>!\[[^\]]*\])"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
)

URL_PIECES = [*'a.-+@ /:\u00e9\t_1()"A', "com", "co.uk", "www.", "WWW.", "http://", "HTTPS://", "..", "--", "uk", "org"]
MD_PIECES = [
    *"`<>&]![()\\\"' a;#x1-:/@.|",
    "``",
    "```",
    "<!--",
    "-->",
    "](",
    "][",
    "![",
    "<a ",
    "</b>",
    "<http:",
    "&amp;",
]


def covered(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif b > a:
            out.append((a, b))
    return out


@given(
    st.sampled_from(["", " ", ">", "|", "> "]),
    st.lists(st.sampled_from(URL_PIECES), min_size=1, max_size=16).map("".join),
)
def test_urls_addresses_and_domains_are_protected_exactly_as_the_plain_pattern_did(lead: str, body: str) -> None:
    # Regions start at a line's start or after a prefix, a quote marker or a pipe.
    line = lead + body
    expected = covered([m.span() for m in REFERENCE_URLISH.finditer(line, len(lead))])
    assert covered(list(urlish_spans(line, len(lead), len(line)))) == expected


@given(
    st.lists(st.sampled_from(MD_PIECES), min_size=1, max_size=18).map("".join),
    st.integers(0, 3),
    st.integers(0, 2),
)
def test_markdown_inline_syntax_is_found_exactly_as_the_plain_pattern_found_it(line: str, cut: int, trim: int) -> None:
    start, end = min(cut, len(line)), max(min(cut, len(line)), len(line) - trim)
    expected = [m.span() for m in REFERENCE_MD_INLINE.finditer(line, start, end)]
    assert list(markdown_spans(line, start, end)) == expected


def run_guarded(code: str) -> None:
    """Run ``code`` in a fresh interpreter. The timeout is a hang guard, not a
    benchmark: each input took minutes to hours before the finders were linear,
    and takes a few seconds now even on a loaded machine."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=60, env=env)


@pytest.mark.parametrize(
    ("line", "fmt"),
    [
        ('"a." * 500_000', "text"),  # dotted words: every domain start failed at every word
        ('"." * 1_000_000', "text"),
        ('"a-" * 500_000', "text"),
        ('"x " + "`" * 1_000_000', "markdown"),  # an unclosed code span was cubic
        ('"x " + "<!--" * 250_000', "markdown"),  # a line opening with "<" is an HTML block
        ('"![" * 500_000', "markdown"),
        ('"](a (" * 200_000', "markdown"),
        ('"x " + "<http:" * 160_000', "markdown"),
    ],
)
def test_a_one_megabyte_line_is_parsed_in_linear_time(line: str, fmt: str) -> None:
    run_guarded(f"""
        from barium.formats import parse
        parse({line} + "\\n", {fmt!r})
    """)


def test_a_list_nested_two_thousand_levels_deep_is_parsed_in_linear_time() -> None:
    # Each line is indented one level more: a table-rule pattern was quadratic in
    # the indentation, so 4 MB of nesting took minutes.
    run_guarded("""
        from barium.formats import parse
        text = "Intro.\\n" + "".join("  " * i + "- item\\n" for i in range(2000))
        parse(text, "markdown")
    """)


def test_markers_nested_ten_thousand_deep_on_one_line_are_prose_after_their_prefix() -> None:
    # A line scanner has no recursion to exhaust: deep nesting is one prefix.
    for marker in ("> ", "- "):
        text = marker * 10_000 + "The raid is planned.\n"
        doc = parse(text, "markdown")
        assert any("The raid is planned." in text[r.start : r.end] for r in doc.regions)


def test_side_by_side_variants_with_long_gaps_are_refused_rather_than_checked_without_bound() -> None:
    # Twelve variants with only dots between them read as one run: 4,096
    # combinations of 100,000 characters each would be built and compared.
    gap = "." * 9_000
    text = "Start " + gap.join(f"{{{{a{i}|b{i}}}}}" for i in range(12)) + " end.\n"
    with pytest.raises(InputError, match="side by side"):
        parse(text, "text")


def test_doc_add_registers_a_one_megabyte_line_of_dots_through_the_cli(tmp_path: Path) -> None:
    # The reported case: this took 100 CPU seconds, and takes about 3 now. The
    # timeout is a hang guard, generous for two interpreter start-ups on a busy machine.
    master = tmp_path / "dots.txt"
    # A word either side: a text with no word at all is refused up front (nothing to trace).
    master.write_text("Plan " + "." * 1_000_000 + " ends.\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    barium = [sys.executable, "-m", "barium", "--home", str(tmp_path / "ws")]
    subprocess.run([*barium, "init"], check=True, timeout=120, env=env, capture_output=True)
    added = subprocess.run([*barium, "doc", "add", str(master)], timeout=120, env=env, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
