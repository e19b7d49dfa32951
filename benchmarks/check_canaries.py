"""Check one benchmark d document before it joins ``benchmarks/canaries/``.

    .venv/bin/python benchmarks/check_canaries.py DIR NN-slug

Writers of a new batch (``canaries/WRITING.md``) run it on their own files: word
counts, the number of canaries, that the markup parses as meant (it prints each
canary), that every report slot fits its canary, and that the report fills from
random copies. Exit 1 with the errors listed, 0 when it prints OK.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from barium.formats.canaries import split_list
from barium.formats.markdown import parse_markdown
from barium.formats.variants import extract_variants

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paraphrase_tracing import ITEM, SLOT, fill

MARKUP = re.compile(r"\{\{[^}]*\}\}")


def words(text: str) -> int:
    return len(SLOT.sub("X", MARKUP.sub("X", text)).split())


def template_errors(k: int, template: str, n: int) -> list[str]:
    """What is wrong with an order slot's template for a list of ``n`` items."""
    places = [m.group(1) for m in ITEM.finditer(template)]
    if all(places):
        chosen = [int(p) for p in places]
        if len(set(chosen)) != len(chosen) or not all(1 <= p <= n for p in chosen):
            return [f"[[{k + 1}]] names items {chosen} of a list of {n} (each of 1-{n}, once)"]
        return []
    if any(places):
        return [f"[[{k + 1}]] mixes {{}} and {{n}}: use one or the other"]
    if not 2 <= len(places) <= n:
        return [f"[[{k + 1}]] has {len(places)} {{}} for a list of {n} items"]
    return []


def slot_errors(report: str, forms: list[tuple[str, ...]]) -> list[str]:
    errors = []
    for m in SLOT.finditer(report):
        k = int(m.group(1)) - 1
        if k >= len(forms):
            errors.append(f"slot [[{k + 1}]] but only {len(forms)} canaries")
            continue
        args, f = m.group(2).split("|")[1:], forms[k]
        if args == ["words"]:
            if not all(x.replace(",", "").isdigit() for x in f):
                errors.append(f"[[{k + 1}|words]] on a canary that is no number: {f[:3]}")
        elif len(args) == 1 and ITEM.search(args[0]):
            shape = split_list(f[0])
            if shape is None:
                errors.append(f"[[{k + 1}|template]] on a canary that is no order: {f[:2]}")
            else:
                errors += template_errors(k, args[0], len(shape.items))
        elif args and len(args) != len(f):
            errors.append(f"[[{k + 1}]] gives {len(args)} restatements for {len(f)} forms: {f}")
    return errors


def check(folder: Path, stem: str) -> list[str]:
    master = (folder / f"{stem}.master.md").read_text()
    report = (folder / f"{stem}.report.txt").read_text()
    decoy = (folder / f"{stem}.decoy.txt").read_text()
    errors = []
    for name, text, lo, hi in (("master", master, 450, 900), ("report", report, 300, 600), ("decoy", decoy, 250, 500)):
        if not lo <= words(text) <= hi:
            errors.append(f"{name} has {words(text)} words ({lo}-{hi})")
    if "[[" in decoy or "{{" in decoy or "{{" in report:
        errors.append("markup where none belongs (decoy, or {{ }} in the report)")
    forms = [v.forms for v in extract_variants(parse_markdown(master)).variants]
    for k, f in enumerate(forms):
        print(f"canary {k + 1}: {len(f)} forms, e.g. {f[0][:60]!r}")
    if not 11 <= len(forms) <= 15:
        errors.append(f"master has {len(forms)} canaries (11-15)")
    if len({m.group(1) for m in SLOT.finditer(report)}) < 8:
        errors.append("report restates fewer than 8 distinct canaries")
    errors += slot_errors(report, forms)
    rng = random.Random(1)
    for _ in range(20 if not errors else 0):
        try:
            fill(report, forms, [rng.randrange(len(x)) for x in forms])
        except (AssertionError, IndexError, ValueError) as e:
            errors.append(f"the report does not fill: {e!r}")
            break
    return errors


if __name__ == "__main__":
    found = check(Path(sys.argv[1]), sys.argv[2])
    print("\n".join("ERROR: " + e for e in found) or "OK")
    sys.exit(1 if found else 0)
