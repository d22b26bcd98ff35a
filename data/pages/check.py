"""Round-trip and format check for this folder's pages (run: python3 check.py)."""

import csv
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
errors = []
with open(HERE / "SOURCES.csv", encoding="utf-8", newline="") as fh:
    rows = list(csv.DictReader(fh))
for row in rows:
    pid, layout = row["id"], row["layout"]
    folder = HERE / row["split"]
    txt = (folder / f"{pid}.txt").read_text(encoding="utf-8")
    gold = (folder / f"{pid}.gold.txt").read_text(encoding="utf-8")
    for name, s in (("txt", txt), ("gold", gold)):
        if not s.endswith("\n"):
            errors.append(f"{pid}.{name}: no final newline")
    t_lines, g_lines = txt.split("\n")[:-1], gold.split("\n")[:-1]
    if len(t_lines) != len(g_lines):
        errors.append(f"{pid}: {len(t_lines)} txt lines vs {len(g_lines)} gold lines")
        continue
    sentences = 0
    for n, (t, g) in enumerate(zip(t_lines, g_lines), 1):
        if g == "":
            if t != "":
                errors.append(f"{pid}:{n}: gold blank but txt not")
            continue
        tag, rest = g[:2], g[2:]
        if tag not in ("B ", "T "):
            errors.append(f"{pid}:{n}: bad tag {g[:2]!r}")
        if rest.replace("||", "") != t:
            errors.append(f"{pid}:{n}: round trip differs")
        if tag == "B " and "||" in rest:
            errors.append(f"{pid}:{n}: sentence mark on a B line")
        if tag == "T ":
            sentences += rest.count("||")
            if layout != "wrapped" and not rest.endswith("||"):
                errors.append(f"{pid}:{n}: T line without final ||")
        if "||||" in rest or rest.startswith("||"):
            errors.append(f"{pid}:{n}: misplaced ||")
    blank = [t == "" for t in t_lines]
    if layout == "single" and any(blank):
        errors.append(f"{pid}: single layout has blank lines")
    if layout in ("blank", "wrapped") and not any(blank):
        errors.append(f"{pid}: {layout} layout has no blank lines")
    if any(a and b for a, b in zip(blank, blank[1:])):
        errors.append(f"{pid}: two blank lines in a row")
    if layout == "wrapped" and any(len(t) > 72 and " " in t for t in t_lines):
        errors.append(f"{pid}: wrapped line longer than 72 characters")
    if sentences < 5:
        errors.append(f"{pid}: only {sentences} body sentences")
    if (folder / f"{pid}.html").exists() != (row["has_html"] == "yes"):
        errors.append(f"{pid}: has_html does not match")
    print(
        f"{pid}: {len(t_lines)} lines, {sum(g.startswith('T ') for g in g_lines)} T, "
        f"{sum(g.startswith('B ') for g in g_lines)} B, {sentences} sentences"
    )
extra = {p.name.split(".")[0] for p in HERE.glob("*/*.txt")} - {r["id"] for r in rows}
if extra:
    errors.append(f"files without a SOURCES.csv row: {sorted(extra)}")
print("\n".join(errors) if errors else f"OK: {len(rows)} pages, round trip exact for every line")
sys.exit(1 if errors else 0)
