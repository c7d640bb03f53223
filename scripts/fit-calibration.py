#!/usr/bin/env python3
"""Fit the score calibration (src/align/calibrate.rs, data/matching/calibration.tsv): per framework
family, a monotone map from the matcher's raw score to the probability that a publisher aligns the
suggested standard, by isotonic regression, with a reliability table on held-out folds.

    python3 scripts/fit-calibration.py [--bin target/release/aligner] [--eval-dir ../shared/eval]
        [--reports ../shared/reports] [--fast] [--write]

The sentence model (default) and the static-vector path (`--fast`) score on different scales, so
each has its maps: `--fast` fits the families `math-fast`, `ela-fast`, `science-fast` and
`default-fast` from `aligner eval --fast`; `--write` replaces that path's maps in the file and
keeps the other's.

Data (every suggestion of the first 10 of each item, with its raw score and whether it agrees with
the item's publisher by the rule of `aligner eval`):
- math: dev-khan-titles.jsonl (grade as filter) and the three Eureka outlines' rows
  (dev-toc-engageny-*.jsonl, grade as filter);
- ela: dev-ela-lessons.jsonl (grade as filter), scored with lesson models trained on the other
  grades (leave one grade out, as scripts/train-lesson-model.py --cv), so that the scores are those
  of lessons the model has not seen;
- science: no publisher alignment is at hand: the 24 middle-school unit descriptions of the UX study
  (../shared/reports/ux-study.md, section 4.4, units as in tests/data/curriculum/rollup-ms-science.csv),
  with the standards its reviewer judged right as gold (a suggestion nobody judged counts as not
  agreeing, so the science map is conservative);
- default (any other framework): math and ELA pooled.

Cross-validation: items are split into 5 folds by a hash of their id; each fold's suggestions are
calibrated by maps fitted on the other folds, and the table compares, per family and bin of
calibrated score, the mean calibrated score with the observed rate of agreement.
"""
import argparse
import collections
import csv
import hashlib
import importlib.util
import os
import re
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("tlm", os.path.join(HERE, "train-lesson-model.py"))
tlm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tlm)

BINS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.01]


def fold_of(item_id, k=5):
    return int(hashlib.md5(item_id.encode()).hexdigest(), 16) % k


def run(binary, rows, extra_env=None, args=()):
    """The items of `aligner eval` with raw (uncalibrated) scores."""
    return tlm.run_eval(binary, rows, dict(ALIGNER_CALIBRATION="none", **(extra_env or {})), args)["items"]


def pairs_of(items, tag):
    out = []
    for it in items:
        for s, a in zip(it["scores"], it["agrees"]):
            out.append((f"{tag}:{it['id']}", float(s), 1.0 if a else 0.0))
    return out


def science_gold(reports, units_csv):
    """(rows) from the UX study's section 4.4 verdicts and the units' descriptions."""
    text = open(os.path.join(reports, "ux-study.md"), encoding="utf-8").read()
    sec = text.split("### 4.4", 1)[1].split("### 4.5", 1)[0]
    right = {}
    for line in sec.splitlines():
        m = re.match(r"\|\s*(S\d+)\s*\|", line)
        if m:
            right[m.group(1)] = re.findall(r"(MS-[A-Z]+\d-\d)\s+[0-9.]+\s+\*\*R\*\*", line)
    rows = []
    with open(units_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if right.get(r["id"]):
                rows.append({"id": r["id"], "title": r["title"], "text": r["description"],
                             "grade": r["grade"], "subject": "science", "standards": right[r["id"]]})
    return rows


def isotonic(points):
    """Pool adjacent violators over (score, y) sorted by score: blocks (lo, hi, mean, weight)."""
    pts = sorted(points)
    blocks = []
    for x, y in pts:
        blocks.append([x, x, y, 1.0])
        while len(blocks) > 1 and blocks[-2][2] >= blocks[-1][2]:
            b = blocks.pop()
            a = blocks[-1]
            w = a[3] + b[3]
            blocks[-1] = [a[0], b[1], (a[2] * a[3] + b[2] * b[3]) / w, w]
    return blocks


def knots(points, min_weight=40):
    """Knots (raw, p) of the isotonic fit: adjacent blocks merged until each holds at least
    `min_weight` suggestions, each knot at its block's mean score with its smoothed rate
    ((agreements + 1) / (suggestions + 2)), kept non-decreasing."""
    blocks = isotonic(points)
    pts = sorted(points)
    out, cur_n, cur_x, cur_y = [], 0, 0.0, 0.0
    i = 0
    for b in blocks:
        w = int(b[3])
        seg = pts[i:i + w]
        i += w
        cur_n += w
        cur_x += sum(x for x, _ in seg)
        cur_y += sum(y for _, y in seg)
        if cur_n >= min_weight:
            out.append((cur_x / cur_n, (cur_y + 1) / (cur_n + 2)))
            cur_n, cur_x, cur_y = 0, 0.0, 0.0
    if cur_n:
        if out:
            # the remainder joins the last knot
            x0, y0 = out.pop()
            n0 = min_weight
            out.append(((x0 * n0 + cur_x) / (n0 + cur_n), (y0 * (n0 + 2) - 1 + cur_y + 1) / (n0 + cur_n + 2)))
        else:
            out.append((cur_x / cur_n, (cur_y + 1) / (cur_n + 2)))
    fixed = []
    for x, y in out:
        if fixed and y < fixed[-1][1]:
            y = fixed[-1][1]
        if fixed and x <= fixed[-1][0]:
            continue
        fixed.append((round(x, 4), round(y, 4)))
    return fixed


def apply(kn, raw):
    """The rule of src/align/calibrate.rs (Map::apply)."""
    raw = max(raw, 0.0)
    for i, (x, y) in enumerate(kn):
        if x >= raw:
            if i == 0:
                p = y * raw / x if x > 0 else y
            else:
                x0, y0 = kn[i - 1]
                p = y0 + (y - y0) * (raw - x0) / (x - x0) if x > x0 else y
            break
    else:
        p = kn[-1][1]
    return min(max(p * 0.98 + 0.02 * min(raw, 1.0), 0.0), 1.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/aligner")
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--reports", default="../shared/reports")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--fast", action="store_true", help="fit the maps of the static-vector path")
    a = ap.parse_args()
    path_args = ("--fast",) if a.fast else ()
    suffix = "-fast" if a.fast else ""

    def run_path(binary, rows, extra_env=None, args=()):
        return run(binary, rows, extra_env, (*args, *path_args))

    ev = lambda f: os.path.join(a.eval_dir, f)
    fam = collections.defaultdict(list)
    # math
    fam["math"] += pairs_of(run_path(a.bin, tlm.read(ev("dev-khan-titles.jsonl"))), "khan")
    for g in ("grade2", "grade6", "geometry"):
        # Every row, so that the rows nest by their `level` as in the file (rows without codes
        # are not scored).
        rows = tlm.read(ev(f"dev-toc-engageny-{g}-math.jsonl"))
        fam["math"] += pairs_of(run_path(a.bin, rows), f"toc-{g}")
    # ela, with held-out lesson models
    ela = tlm.read(ev("dev-ela-lessons.jsonl"))
    for g in sorted({str(r["grade"]) for r in ela}):
        train = [r for r in ela if str(r["grade"]) != g]
        test = [r for r in ela if str(r["grade"]) == g]
        model = tlm.train(train, 3.0, 2, tlm.STOP)
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            path = f.name
        tlm.write(path, "ccss-ela", model, tlm.STOP, [])
        fam["ela"] += pairs_of(run_path(a.bin, test, {"ALIGNER_LESSON_MODEL": path}), "ela")
        os.unlink(path)
    # science
    sci = science_gold(a.reports, os.path.join(HERE, "..", "tests", "data", "curriculum", "rollup-ms-science.csv"))
    fam["science"] += pairs_of(run_path(a.bin, sci, args=("--framework", "ngss")), "sci")
    fam["default"] = fam["math"] + fam["ela"]

    print("Reliability on held-out folds (5 folds by item id): mean calibrated score / observed agreement (n)")
    header = "family   " + " ".join(f"{BINS[i]:.1f}-{min(BINS[i+1],1):.1f}".center(19) for i in range(len(BINS) - 1))
    print(header)
    for name in ("math", "ela", "science"):
        pts = fam[name]
        cells = [[0.0, 0.0, 0] for _ in range(len(BINS) - 1)]
        for k in range(5):
            train = [(s, y) for (i, s, y) in pts if fold_of(i) != k]
            kn = knots(train)
            for (i, s, y) in pts:
                if fold_of(i) == k:
                    p = apply(kn, s)
                    b = next(j for j in range(len(BINS) - 1) if p < BINS[j + 1])
                    cells[b][0] += p
                    cells[b][1] += y
                    cells[b][2] += 1
        row = []
        for c in cells:
            row.append((f"{c[0]/c[2]:.2f}/{c[1]/c[2]:.2f} ({c[2]})" if c[2] else "-").center(19))
        print(f"{name:8} " + " ".join(row))
    if a.write:
        path = os.path.join(HERE, "..", "data", "matching", "calibration.tsv")
        # The other path's maps, kept as they are.
        keep = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                if line.split("\t")[0].endswith("-fast") != a.fast:
                    keep.append(line)
        with open(path, "w", encoding="utf-8") as f:
            f.write("# Score calibration: family<TAB>raw score<TAB>probability (src/align/calibrate.rs).\n")
            f.write("# Fitted by scripts/fit-calibration.py (isotonic regression); data per family in its docstring.\n")
            lines = []
            for name in ("default", "math", "ela", "science"):
                pts = [(s, y) for (_, s, y) in fam[name]]
                for x, y in knots(pts):
                    lines.append(f"{name}{suffix}\t{x}\t{y}\n")
            # The sentence model's maps first, then the fast path's.
            f.writelines(keep + lines if a.fast else lines + keep)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
