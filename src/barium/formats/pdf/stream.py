"""Words of a PDF's content streams, and moving one sideways by editing the numbers around it.

>>> words = stream_words(pdf)                   # doctest: +SKIP
>>> moved = shift_words(pdf, {words[7]: 0.35})  # doctest: +SKIP

A PDF shows text with ``TJ`` arrays: strings of glyph codes, each glyph advancing
the pen by its width, and numbers between them that pull the next glyph left by
that many thousandths of the font size. LibreOffice writes a line of a page this
way (a word gap being a space glyph and a number; research/pdf-layout), starting a
new operator, placed afresh with ``Tm``, wherever the text's font changes or an
invisible character stands. Moving a word ``dx`` points right is then two numbers:
``dx`` less just before its first glyph (the number after the glyph before it, or
its operator's leading number), ``dx`` more after its last glyph; when its last
glyph ends its operator, what comes next is either placed afresh (nothing to undo)
or continues from the pen (its leading number takes the ``dx`` back). Invisible
characters right after the word move with it. Nothing else on the line moves, its
length is unchanged, and the text layer reads the same text.

LibreOffice draws an invisible character as its space glyph inside a marked-content
span whose ``ActualText`` is the character, and then names that glyph, in the font's
``ToUnicode`` map, after whichever character it drew last: so a copy's text layer
would read "Howard\u200cgets" and, in some fonts, every space as a joiner, which a
reader pasting the text would see. Every page is therefore written again, shifted or
not: each such glyph drawn at zero width (horizontal scale 0) and named a space, so
the text layer reads the copy's text, and two copies of one master differ in their
numbers only.

Only what a word processor's PDF needs is understood: simple fonts and Type0 fonts
with a ``ToUnicode`` map, positions set by ``Td``/``TD``/``Tm``/``T*`` inside
``BT``...``ET``, the font size and the text matrix's and the graphics state's
horizontal scale. A word is the glyphs of one ``TJ`` or ``Tj`` between spaces; a
word shown by ``'`` or ``"`` is not offered.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pikepdf

from barium.errors import InputError
from barium.text.invisible import strip_invisible

__all__ = ["StreamWord", "shift_words", "stream_words"]

_SHOW = {"TJ", "Tj"}
_OTHER_SHOW = {"'", '"'}
_PLACE = {"BT", "Td", "TD", "Tm", "T*", "'", '"'}  # operators after which text is placed afresh
_SPACE = " \u00a0"

Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


@dataclass(frozen=True, slots=True)
class StreamWord:
    """A word as the content stream shows it: its text (``ToUnicode``), where its
    glyphs are (page, operator index in its content stream, first and last glyph),
    the points one of its ``TJ`` numbers is worth (1000 of them = the font size,
    scaled), and the height of its baseline (text space, as the stream sets it)."""

    text: str
    glyphs: tuple[int, int, int, int]
    unit: float
    y: float


def _cmap(font: pikepdf.Object) -> tuple[dict[bytes, str], int]:
    """A font's ``ToUnicode`` map (code bytes -> text) and its code length in bytes."""
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    out: dict[bytes, str] = {}
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return out, width
    data = stream.read_bytes().decode("latin-1")
    space = re.search(r"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
    if space:
        width = max(1, len(space.group(1)) // 2)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            if len(code) % 2 == 0:
                out[bytes.fromhex(code)] = _utf16(text)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            a, z, n = int(lo, 16), int(hi, 16), max(1, len(lo) // 2)
            if z - a > 0xFFFF or z.bit_length() > 8 * n:
                continue  # a range no font's codes fill: a damaged map, left out
            targets = re.findall(r"<([0-9A-Fa-f]*)>", rest)
            for k, code in enumerate(range(a, z + 1)):
                if rest.startswith("["):
                    if k < len(targets):
                        out[code.to_bytes(n, "big")] = _utf16(targets[k])
                elif targets and targets[0] and len(targets[0]) % 4 == 0:
                    base = bytes.fromhex(targets[0])
                    last = int.from_bytes(base[-2:], "big") + k
                    if last <= 0xFFFF:
                        out[code.to_bytes(n, "big")] = (base[:-2] + last.to_bytes(2, "big")).decode(
                            "utf-16-be", "replace"
                        )
    return out, width


def _utf16(hexed: str) -> str:
    """Text written as UTF-16BE hex in a CMap ("" for a malformed one)."""
    if len(hexed) % 2:
        return ""
    return bytes.fromhex(hexed).decode("utf-16-be", "replace")


def _glyph_list(array: pikepdf.Array | list[pikepdf.Object], width: int) -> tuple[float, list[bytes], list[float]]:
    """A ``TJ`` array as its leading number, its glyph codes, and the number after each."""
    lead = 0.0
    codes: list[bytes] = []
    after: list[float] = []
    for el in array:
        if isinstance(el, pikepdf.String):
            raw = bytes(el)
            for i in range(0, len(raw) - width + 1, width):
                codes.append(raw[i : i + width])
                after.append(0.0)
        elif after:
            after[-1] += float(el)
        else:
            lead += float(el)
    return lead, codes, after


def _open(pdf: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as e:
        raise InputError(f"a PDF the layout step cannot read: {e}") from None


def _fonts(page: pikepdf.Page) -> dict[str, pikepdf.Object]:
    resources = page.obj.get("/Resources")
    fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    return {str(k): v for k, v in fonts.items()} if isinstance(fonts, pikepdf.Dictionary) else {}


@dataclass(frozen=True, slots=True)
class _State:
    """What the content stream has set when an operator is reached."""

    font: str = ""
    cmap: dict[bytes, str] = field(default_factory=dict)
    width: int = 1  # bytes per glyph code
    unit: float = 0.001  # points per TJ number
    tz: float = 100.0  # horizontal scaling, per cent
    y: float = 0.0  # the baseline
    ctm: float = 1.0  # the graphics state's horizontal scale
    tm: float = 1.0  # the text matrix's
    ctm_d: float = 1.0  # their vertical scales
    tm_d: float = 1.0
    placed: bool = True  # a placing operator came since the last text shown
    hidden: bool = False  # inside a span whose ActualText is invisible characters only


CMaps = dict[tuple[int, int], tuple[dict[bytes, str], int]]  # a document's fonts' maps, by object number


def _walk(page: pikepdf.Page, cmaps: CMaps) -> Iterator[tuple[Instruction, _State]]:
    """Each instruction of the page's content stream with the state it is shown in;
    ``cmaps`` keeps each font's map once read, for the document's other pages."""
    fonts = _fonts(page)
    maps: dict[str, tuple[dict[bytes, str], int]] = {}
    st = _State()
    size = tm = ctm = tm_d = ctm_d = 1.0
    line_y = 0.0
    stack: list[tuple[float, float]] = []
    depth = 0
    hidden_at = -1  # marked-content depth of the invisible span we are in
    for inst in pikepdf.parse_content_stream(page):
        if isinstance(inst, pikepdf.ContentStreamInstruction):
            op = str(inst.operator)
            args = [float(a) if isinstance(a, (int, float, Decimal)) else a for a in inst.operands]
            if op == "q":
                stack.append((ctm, ctm_d))
            elif op == "Q":
                ctm, ctm_d = stack.pop() if stack else (1.0, 1.0)
            elif op == "cm" and len(args) == 6:
                ctm *= float(args[0])
                ctm_d *= float(args[3])
            elif op == "BT":
                tm, tm_d, line_y = 1.0, 1.0, 0.0
            elif op in ("Td", "TD") and len(args) == 2:
                line_y += float(args[1]) * tm_d
            elif op == "Tm" and len(args) == 6:
                tm, tm_d, line_y = float(args[0]), float(args[3]), float(args[5])
            elif op == "Tz" and args:
                st = replace(st, tz=float(args[0]))
            elif op == "Tf" and len(args) == 2:
                name = str(args[0])
                if name not in maps:
                    f = fonts.get(name)
                    maps[name] = _font_map(f, cmaps)
                size = float(args[1])
                st = replace(st, font=name, cmap=maps[name][0], width=maps[name][1])
            elif op in ("BDC", "BMC"):
                depth += 1
                if hidden_at < 0 and op == "BDC" and _invisible_span(list(inst.operands)):
                    hidden_at = depth
            elif op == "EMC":
                if depth == hidden_at:
                    hidden_at = -1
                depth = max(0, depth - 1)
            placed = st.placed or op in _PLACE
            st = replace(
                st,
                y=line_y,
                ctm=ctm,
                tm=tm,
                ctm_d=ctm_d,
                tm_d=tm_d,
                placed=placed,
                hidden=hidden_at >= 0,
                unit=size * tm * ctm * st.tz / 100.0 / 1000.0,
            )
            yield inst, st
            if op in _SHOW or op in _OTHER_SHOW:
                st = replace(st, placed=False)
        else:
            yield inst, st


def _invisible_span(args: Sequence[object]) -> bool:
    """A marked-content span whose ActualText is invisible characters only (how
    LibreOffice writes a zero-width character: the space glyph, drawn in such a span)."""
    if len(args) != 2 or not isinstance(args[1], pikepdf.Dictionary):
        return False
    text = args[1].get("/ActualText")
    return isinstance(text, pikepdf.String) and bool(str(text)) and not strip_invisible(str(text))


def _shown(inst: Instruction) -> list[pikepdf.Object] | None:
    """The glyph strings and numbers a ``TJ`` or ``Tj`` shows; None for anything else."""
    if not isinstance(inst, pikepdf.ContentStreamInstruction) or str(inst.operator) not in _SHOW:
        return None
    if not inst.operands:
        return None
    first = inst.operands[0]
    if str(inst.operator) == "Tj":
        return [first] if isinstance(first, pikepdf.String) else None
    return list(first) if isinstance(first, pikepdf.Array) else None


def _font_map(font: pikepdf.Object | None, cmaps: CMaps) -> tuple[dict[bytes, str], int]:
    if not isinstance(font, pikepdf.Dictionary):
        return {}, 1
    if not font.is_indirect:
        return _cmap(font)
    if font.objgen not in cmaps:
        cmaps[font.objgen] = _cmap(font)
    return cmaps[font.objgen]


def _page_words(page: pikepdf.Page, number: int, cmaps: CMaps) -> list[StreamWord]:
    out: list[StreamWord] = []
    for index, (inst, st) in enumerate(_walk(page, cmaps)):
        array = _shown(inst)
        if array is None or st.hidden or st.unit <= 0:
            continue
        _, codes, _ = _glyph_list(array, st.width)
        word: list[tuple[int, str]] = []
        for k, code in enumerate([*codes, b""]):
            ch = st.cmap.get(code, "") if k < len(codes) else " "
            # An invisible character outside a span is LibreOffice's space glyph under
            # the name of the last character it stood for (see the module docstring).
            if ch and (ch in _SPACE or not strip_invisible(ch)):
                if word:
                    text = "".join(c for _, c in word)
                    out.append(StreamWord(text, (number, index, word[0][0], word[-1][0]), st.unit, st.y))
                word = []
            else:
                word.append((k, ch))
    return out


def stream_words(pdf: bytes) -> list[StreamWord]:
    """Every word the PDF's pages show, page by page in content-stream order."""
    with _open(pdf) as doc:
        cmaps: CMaps = {}
        return [w for n, page in enumerate(doc.pages) for w in _page_words(page, n, cmaps)]


def _number(value: float) -> Decimal:
    return Decimal(f"{value:.3f}").normalize() if value else Decimal(0)


def _array(lead: float, codes: list[bytes], after: list[float]) -> pikepdf.Array:
    out: list[object] = [_number(lead)] if lead else []
    run = b""
    for code, number in zip(codes, after, strict=True):
        run += code
        if number:
            out += [pikepdf.String(run), _number(number)]
            run = b""
    if run:
        out.append(pikepdf.String(run))
    return pikepdf.Array(out)


def shift_words(
    pdf: bytes,
    moves: Mapping[StreamWord, float],
    marks: Mapping[StreamWord, str] | None = None,
    lines: Mapping[tuple[int, float], float] | None = None,
) -> bytes:
    """``pdf`` with each word of ``moves`` (as :func:`stream_words` found it -> points,
    right positive) moved sideways, nothing else on its line moved; each line of
    ``lines`` (its page and :attr:`StreamWord.y` -> points, down positive) moved up or
    down, everything on it and nothing else; the invisible
    characters of ``marks`` put just after their word, taking no room; and the
    invisible characters LibreOffice drew made to take none either, their glyphs named
    spaces (see the module docstring). Every page is written again either way, and
    the file saved with an identifier derived from its content."""
    by_page: dict[int, list[tuple[StreamWord, float]]] = {}
    for word, dx in moves.items():
        by_page.setdefault(word.glyphs[0], []).append((word, dx))
    marked: dict[int, list[tuple[StreamWord, str]]] = {}
    for word, text in (marks or {}).items():
        marked.setdefault(word.glyphs[0], []).append((word, text))
    with _open(pdf) as doc:
        spaces: dict[tuple[int, int], tuple[pikepdf.Dictionary, set[bytes]]] = {}  # font -> codes drawn hidden
        cmaps: CMaps = {}
        for n, page in enumerate(doc.pages):
            fonts = _fonts(page)
            walked = list(_walk(page, cmaps))
            edits = _Edits(walked)
            for word, dx in by_page.pop(n, []):
                edits.move(word, dx)
            for word, text in marked.pop(n, []):
                edits.mark(word, text)
            edits.lower({y: dy for (number, y), dy in (lines or {}).items() if number == n})
            out: list[Instruction] = []
            for index, (inst, st) in enumerate(walked):
                array = _shown(inst)
                if array is not None and st.hidden:
                    font = fonts.get(st.font)
                    if isinstance(font, pikepdf.Dictionary):
                        drawn = _glyph_list(array, st.width)[1]
                        # A font written in place (not an indirect object) has no number of its own.
                        key = font.objgen if font.is_indirect else (-1 - n, hash(st.font))
                        spaces.setdefault(key, (font, set()))[1].update(drawn)
                    out += [_op("Tz", 0), *edits.apply(index, inst), _op("Tz", st.tz)]
                else:
                    out += edits.apply(index, inst)
            page.obj.Contents = doc.make_stream(pikepdf.unparse_content_stream(out))
        if by_page:
            raise ValueError(f"no page {min(by_page) + 1} to move words on")
        for font, codes in spaces.values():
            _name_spaces(font, codes)
        buf = io.BytesIO()
        doc.save(buf, deterministic_id=True, compress_streams=True)
        return buf.getvalue()


class _Edits:
    """The changes to one page's instructions that move its words: numbers added to a
    ``TJ``'s lead or after its glyphs, and to a ``Tm``'s horizontal place."""

    def __init__(self, walked: list[tuple[Instruction, _State]]) -> None:
        self.walked = walked
        self.lead: dict[int, float] = {}
        self.after: dict[tuple[int, int], float] = {}
        self.tm: dict[int, float] = {}
        self.marks: dict[int, dict[int, tuple[str, bytes]]] = {}  # index -> glyph -> (text, space code)
        self.down: dict[int, float] = {}  # a positioning operator -> what its y loses (its own units)

    def _units(self, index: int) -> tuple[int, float]:
        array = _shown(self.walked[index][0])
        st = self.walked[index][1]
        if array is None:
            raise ValueError(f"instruction {index} shows no text")
        return len(_glyph_list(array, st.width)[1]), st.unit

    def move(self, word: StreamWord, dx: float) -> None:
        _, index, first, last = word.glyphs
        count, unit = self._units(index)
        if not 0 <= first <= last < count:
            raise ValueError(f"glyphs {first}..{last} are not in instruction {index}")
        # A TJ number pulls what follows left: less of it moves the word right.
        if first > 0:
            self.after[index, first - 1] = self.after.get((index, first - 1), 0.0) - dx / unit
        else:
            self.lead[index] = self.lead.get(index, 0.0) - dx / unit
        if last < count - 1:
            self.after[index, last] = self.after.get((index, last), 0.0) + dx / unit
            return
        # The word ends its operator: invisible characters drawn next, each placed by
        # its own Tm, move with it; then text placed afresh stays, and text that goes
        # on from the pen takes the move back.
        k = index + 1
        tm = -1
        while k < len(self.walked):
            inst, st = self.walked[k]
            op = str(inst.operator) if isinstance(inst, pikepdf.ContentStreamInstruction) else ""
            if op == "Tm":
                tm = k
            elif op in _NEXT_LINE:
                return
            elif op in _SHOW:
                if st.hidden:
                    # Drawn at no width: where its own Tm puts it, moved with the word;
                    # without one, at the pen, which has moved with the word already.
                    if tm >= 0 and self.walked[tm][1].ctm:
                        self.tm[tm] = self.tm.get(tm, 0.0) + dx / self.walked[tm][1].ctm
                    tm = -1
                elif st.placed:
                    return
                else:
                    self.lead[k] = self.lead.get(k, 0.0) + dx / st.unit
                    return
            elif op == "ET":
                return
            k += 1

    def lower(self, lines: Mapping[float, float]) -> None:
        """Move down by ``dy`` every line of the page at height ``y`` (``lines``: y -> dy):
        each operator that places text at that height is placed ``dy`` lower, and the
        next ``Td`` of its text object, which places relative to it, gives it back. A
        line placed by ``T*``, ``'`` or ``"`` (relative moves with no number to change)
        is not moved."""
        if not lines:
            return
        relative = {round(st.y, 2) for block in self._blocks() for inst, st in block if _op_name(inst) in _NEXT_LINE}
        wanted = {y: d for y, d in lines.items() if round(y, 2) not in relative}
        carried = 0.0  # points the current line matrix stands below where the stream put it
        for index, (inst, st) in enumerate(self.walked):
            op = _op_name(inst)
            if op == "BT":
                carried = 0.0
            if op not in ("Td", "TD", "Tm"):
                continue
            target = next((d for y, d in wanted.items() if abs(y - st.y) < 0.01), 0.0)
            scale = (st.tm_d if op != "Tm" else 1.0) * st.ctm_d
            change = target if op == "Tm" else target - carried
            if change and scale:
                self.down[index] = self.down.get(index, 0.0) + change / scale
                carried = target
            elif op == "Tm":
                carried = 0.0

    def _blocks(self) -> Iterator[list[tuple[Instruction, _State]]]:
        """The page's text objects (BT ... ET), each as its instructions."""
        block: list[tuple[Instruction, _State]] | None = None
        for inst, st in self.walked:
            op = _op_name(inst)
            if op == "BT":
                block = []
            elif op == "ET" and block is not None:
                yield block
                block = None
            elif block is not None:
                block.append((inst, st))

    def mark(self, word: StreamWord, text: str) -> bool:
        """Put ``text`` (invisible characters) just after the word's last glyph: False when
        its font has no space glyph to carry it."""
        _, index, _, last = word.glyphs
        st = self.walked[index][1]
        # The space glyph: named a space, or (LibreOffice's map) after an invisible
        # character it was also drawn for.
        fitting = [(code, ch) for code, ch in st.cmap.items() if len(code) == st.width]
        space = next((code for code, ch in fitting if ch == " "), None)
        if space is None:
            space = next((code for code, ch in fitting if ch and not strip_invisible(ch)), None)
        if space is None:
            return False
        self.marks.setdefault(index, {})[last] = (text, space)
        return True

    def apply(self, index: int, inst: Instruction) -> list[Instruction]:
        """The instructions that stand for ``inst`` (more than one where marks split it)."""
        if not isinstance(inst, pikepdf.ContentStreamInstruction):
            return [inst]
        if index in self.tm or index in self.down:
            args = [float(a) for a in inst.operands]
            if str(inst.operator) == "Tm":
                args[4] += self.tm.get(index, 0.0)
                args[5] -= self.down.get(index, 0.0)
            else:
                args[1] -= self.down.get(index, 0.0)
            return [_op(str(inst.operator), *args)]
        marks = self.marks.get(index, {})
        if index not in self.lead and not marks and not any(i == index for i, _ in self.after):
            return [inst]
        array = _shown(inst)
        assert array is not None
        st = self.walked[index][1]
        base, codes, after = _glyph_list(array, st.width)
        after = [a + self.after.get((index, k), 0.0) for k, a in enumerate(after)]
        out: list[Instruction] = []
        lead, start = base + self.lead.get(index, 0.0), 0
        for k in sorted(marks):
            # The mark stands at the glyph's end; the number after the glyph moves the pen on after it.
            out.append(_tj(lead, codes[start : k + 1], [*after[start:k], 0.0]))
            text, space = marks[k]
            out += _hidden(text, space, st.tz)
            lead, start = after[k], k + 1
        if start < len(codes) or not out:
            out.append(_tj(lead, codes[start:], after[start:]))
        elif lead:
            out.append(_tj(lead, [], []))
        return out


def _tj(lead: float, codes: list[bytes], after: list[float]) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([_array(lead, codes, after)], pikepdf.Operator("TJ"))


def _hidden(text: str, space: bytes, tz: float) -> list[Instruction]:
    """``text`` as a span of its own, on a space glyph drawn at zero width: what a text
    layer reads at the pen, taking no room."""
    props = pikepdf.Dictionary({"/ActualText": pikepdf.String(text)})
    return [
        pikepdf.ContentStreamInstruction([pikepdf.Name("/Span"), props], pikepdf.Operator("BDC")),
        _op("Tz", 0),
        pikepdf.ContentStreamInstruction([pikepdf.String(space)], pikepdf.Operator("Tj")),
        _op("Tz", tz),
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")),
    ]


_NEXT_LINE = {"T*", "'", '"'}


def _op_name(inst: Instruction) -> str:
    return str(inst.operator) if isinstance(inst, pikepdf.ContentStreamInstruction) else ""


def _op(name: str, *operands: float) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([_number(v) for v in operands], pikepdf.Operator(name))


def _name_spaces(font: pikepdf.Dictionary, codes: set[bytes]) -> None:
    """The font's ``ToUnicode`` with each of ``codes`` (glyphs LibreOffice drew for an
    invisible character: its space glyph) named a space where it names an invisible
    character, as LibreOffice's map does when the last character that glyph stood for
    was one: otherwise a text layer reads every space of that font as invisible."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return
    data = stream.read_bytes().decode("latin-1")

    def fix(m: re.Match[str]) -> str:
        code, text = m.group(1), _utf16(m.group(2))
        if bytes.fromhex(code) in codes and text and not strip_invisible(text):
            return f"<{code}> <0020>"
        return m.group(0)

    fixed = re.sub(
        r"beginbfchar.*?endbfchar",
        lambda block: re.sub(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", fix, block.group(0)),
        data,
        flags=re.S,
    )
    if fixed != data:
        stream.write(fixed.encode("latin-1"))
