"""Q1a: can LibreOffice's PDF be post-processed to shift one word? Edit the TJ kerning numbers.

LibreOffice writes one BT..ET per line, text as TJ arrays of 1-byte glyph codes with
per-glyph adjustments; a word gap is the space glyph plus a large negative adjustment.
Moving word k of a line right by dx: subtract dx*1000/size from the adjustment just
before word k, add it back just after word k. The line's length is unchanged.

Run: python lo_shift.py [dx_pt]   (needs out/lo/run1/doc.pdf from soffice_test.py)
"""
import re
import sys
from pathlib import Path

import fitz
import pikepdf

dx = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
src = Path(__file__).parent / "out/lo/run1/doc.pdf"
dst = Path(__file__).parent / "out/lo/shifted.pdf"


def tounicode(font) -> dict[int, str]:
    cm = font.ToUnicode.read_bytes().decode("latin-1")
    m = {}
    for a, b in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", cm.split("beginbfchar", 1)[-1]):
        m[int(a, 16)] = bytes.fromhex(b).decode("utf-16-be")
    return m


pdf = pikepdf.open(src)
page = pdf.pages[0]
maps = {str(k): tounicode(v) for k, v in page.Resources.Font.items()}
ops = pikepdf.parse_content_stream(page)
font, size, edited, targets = None, None, 0, []
new_ops = []
for operands, op in ops:
    if str(op) == "Tf":
        font, size = str(operands[0]), float(operands[1])
    if str(op) == "TJ" and edited < 10:
        arr = list(operands[0])
        # flatten to [(glyph_code, adjust_after)]
        items = []
        for el in arr:
            if isinstance(el, pikepdf.String):
                for ch in bytes(el):
                    items.append([ch, 0.0])
            else:
                items[-1][1] += float(el)
        text = "".join(maps[font].get(c, "?") for c, _ in items)
        spaces = [i for i, (c, _) in enumerate(items) if maps[font].get(c) == " "]
        if len(spaces) >= 4:
            # word 2 starts after the 2nd space, ends before the 3rd
            s1, s2 = spaces[1], spaces[2]
            items[s1][1] -= dx * 1000 / size
            items[s2 - 1][1] += dx * 1000 / size
            targets.append(text.split(" ")[2])
            edited += 1
            arr = []
            for c, adj in items:
                arr.append(pikepdf.String(bytes([c])))
                if adj:
                    arr.append(adj)
            operands = [pikepdf.Array(arr)]
    new_ops.append((operands, op))
page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new_ops))
pdf.save(dst)


def words(path):
    return [w[:5] for w in fitz.open(path)[0].get_text("words")]


a, b = words(src), words(dst)
moved = [(wa[4], round(wb[0] - wa[0], 3), round(wb[2] - wa[2], 3)) for wa, wb in zip(a, b) if abs(wb[0] - wa[0]) > 1e-3]
print(f"edited {edited} lines; words that moved (text, dx0, dx1): {moved}")
print("intended:", targets)
