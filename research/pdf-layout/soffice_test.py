"""Q1a: DOCX -> PDF through LibreOffice: time, determinism, what differs, content-stream shape.

Run: python soffice_test.py   (writes out/lo/*.docx, *.pdf; prints a table)
"""
import hashlib, re, subprocess, time, zlib
from pathlib import Path
import docx, pikepdf
from typeset import bbc_document

out = Path(__file__).parent / "out" / "lo"; out.mkdir(parents=True, exist_ok=True)
d = docx.Document()
for kind, text in bbc_document(1500):
    if kind == "h":
        d.add_heading(text, level=2)
    else:
        p = d.add_paragraph(text); p.alignment = 3  # justify
t = d.add_table(rows=3, cols=3); t.style = "Table Grid"
for i in range(3):
    for j in range(3):
        t.cell(i, j).text = f"r{i} c{j}"
d.save(out / "doc.docx")

def convert(i):
    od = out / f"run{i}"; od.mkdir(exist_ok=True)
    t0 = time.time()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(od), str(out / "doc.docx")],
                   check=True, capture_output=True)
    return time.time() - t0, (od / "doc.pdf").read_bytes()

runs = [convert(i) for i in range(3)]
for i, (dt, b) in enumerate(runs):
    pdf = pikepdf.open(out / f"run{i}" / "doc.pdf")
    print(f"run {i}: {dt:5.2f}s  {len(b)} bytes  pages={len(pdf.pages)}  sha={hashlib.sha256(b).hexdigest()[:12]}")
a, b = runs[1][1], runs[2][1]
diff = [k for k in range(min(len(a), len(b))) if a[k] != b[k]]
print("differing bytes run1 vs run2:", len(diff), "same length:", len(a) == len(b))
for m in re.finditer(rb"/(CreationDate|ModDate|Producer|Creator)\s*\(([^)]*)\)", b):
    print("  info:", m.group(1).decode(), m.group(2)[:40])
for m in re.finditer(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", b):
    print("  /ID:", m.group(1)[:16], m.group(2)[:16])
# context around differences
seen = set()
for k in diff:
    ctx = b[max(0, k - 30):k + 20]
    key = ctx[:10]
    if key in seen: continue
    seen.add(key); print("  diff at", k, ctx)
    if len(seen) > 6: break
# content stream shape of page 1
pdf = pikepdf.open(out / "run1" / "doc.pdf")
cs = pdf.pages[0].Contents.read_bytes() if not isinstance(pdf.pages[0].Contents, pikepdf.Array) else b"".join(x.read_bytes() for x in pdf.pages[0].Contents)
ops = [op for _, op in pikepdf.parse_content_stream(pdf.pages[0])]
from collections import Counter
print("page-1 operators:", Counter(str(o) for o in ops).most_common(12))
print("page-1 content sample:", cs[cs.find(b"BT"):cs.find(b"BT") + 400])
