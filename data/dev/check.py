"""Check data/dev/statements.csv against data/dev/articles/ and print label counts. Run from any directory."""

import collections
import csv
import pathlib
import sys

D = pathlib.Path(__file__).resolve().parent
VALID = {"pro_negotiation", "anti_negotiation", "alliance_focused", "none"}
with open(D / "statements.csv", newline="") as fh:
    rows = list(csv.DictReader(fh))
errors, last = [], {}
for r in rows:
    art = D / "articles" / f"{r['source']}.txt"
    if not art.exists():
        errors.append(f"no article {art.name}")
        continue
    text = art.read_text()
    if r["text"] not in text:
        errors.append(f"{r['source']}#{r['statement_id']}: text not verbatim")
    if r["context"] and r["context"] + " " + r["text"] not in text.replace("\n", " "):
        errors.append(f"{r['source']}#{r['statement_id']}: context is not the preceding sentence")
    if r["label"] not in VALID:
        errors.append(f"{r['source']}#{r['statement_id']}: bad label {r['label']}")
    sid = int(r["statement_id"])
    if sid != last.get(r["source"], -1) + 1:
        errors.append(f"{r['source']}#{sid}: ids not consecutive")
    last[r["source"]] = sid
print(len(rows), "statements,", len(last), "sources")
for src in last:
    c = collections.Counter(r["label"] for r in rows if r["source"] == src)
    print(f"  {src:30s} {sum(c.values()):3d}  " + " ".join(f"{k}={c[k]}" for k in sorted(VALID)))
print("total:", dict(collections.Counter(r["label"] for r in rows)))
print("\n".join(errors) or "OK")
sys.exit(1 if errors else 0)
