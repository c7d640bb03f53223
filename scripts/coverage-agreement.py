#!/usr/bin/env python3
"""Coverage agreement of an audit with a publisher's codes, on course outlines.

    python3 scripts/coverage-agreement.py [--bin target/release/aligner] [--fast] \\
        OUTLINE.txt:GRADE [OUTLINE.txt:GRADE ...]

Each OUTLINE.txt is a table of contents as a TOC reader sees it (module > topic > lesson, no codes);
next to it, OUTLINE.jsonl has one row per line of the outline (line N+1 of the .txt is row N) with
the publisher's codes of that entry (`standards`) and its `level` (`module` rows start a module).
The script audits the outline with `aligner audit -f ccss-math -g GRADE --format json` and compares
the standards the audit counts as covered with the standards the rows name, at standard level
(a sub-standard counts for its standard), within the audit's scope: recall, precision and F1.
It does the same for the outline with every second module removed (modules 2, 4, ...: a
textbook that really has gaps), where the publisher's set is what the remaining rows name.

Prints one JSON line per outline and setting; exit 2 when aligner fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


def standard_level(code):
    # 2.NBT.A.1a -> 2.NBT.A.1; HSA-SSE.A.1b -> HSA-SSE.A.1
    return re.sub(r"(\d)[a-z]$", r"\1", code)


def audit(binary, txt_lines, grade, fast):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(txt_lines) + "\n")
        path = f.name
    try:
        cmd = [binary, "audit", path, "-f", "ccss-math", "-g", grade, "--format", "json"]
        if fast:
            cmd.append("--fast")
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.stderr.write(out.stderr)
            sys.exit(2)
        d = json.loads(out.stdout)
    finally:
        os.unlink(path)
    scope = {s["code"] for s in d["standards"]}
    covered = {s["code"] for s in d["standards"] if s["status"] == "covered"}
    return scope, covered


def agreement(binary, txt_lines, rows, grade, fast):
    scope, covered = audit(binary, txt_lines, grade, fast)
    named = {standard_level(c) for r in rows for c in r.get("standards", [])} & scope
    both = len(named & covered)
    recall = both / len(named) if named else 0.0
    precision = both / len(covered) if covered else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "publisher": len(named),
        "covered": len(covered),
        "both": both,
        "recall": round(recall, 3),
        "precision": round(precision, 3),
        "f1": round(f1, 3),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/aligner")
    ap.add_argument("--fast", action="store_true")
    ap.add_argument("outlines", nargs="+", help="OUTLINE.txt:GRADE")
    a = ap.parse_args()
    for spec in a.outlines:
        txt, grade = spec.rsplit(":", 1)
        lines = open(txt, encoding="utf-8").read().splitlines()
        rows = [json.loads(l) for l in open(txt[: -len(".txt")] + ".jsonl", encoding="utf-8") if l.strip()]
        # Line 0 is the outline's title; line i+1 is row i.
        body = lines[1:]
        if len(body) != len(rows):
            sys.exit(f"{txt}: {len(body)} entries but {len(rows)} rows")
        module = []
        m = -1
        for r in rows:
            if r.get("level") == "module":
                m += 1
            module.append(m)
        keep = [i for i in range(len(rows)) if module[i] % 2 == 0]
        settings = [("whole", list(range(len(rows)))), ("every second module removed", keep)]
        for name, idx in settings:
            res = agreement(a.bin, lines[:1] + [body[i] for i in idx], [rows[i] for i in idx], grade, a.fast)
            res.update({"outline": os.path.basename(txt), "grade": grade, "setting": name, "fast": a.fast})
            print(json.dumps(res))


if __name__ == "__main__":
    main()
