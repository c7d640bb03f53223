#!/usr/bin/env python3
"""Train the lesson model of an anchored framework (src/align/lesson.rs) from a publisher's
alignments, and measure it by cross-validation through `aligner eval`.

    python3 scripts/train-lesson-model.py GOLD.jsonl [--out data/matching/lesson/ccss-ela.tsv]
        [--cv] [--bin target/release/aligner] [--l2 3] [--min-groups 2] [--w-lesson 0.5]

GOLD is a unit list (JSONL: title, text, grade, standards) such as ../shared/eval/dev-ela-lessons.jsonl.

Model: per anchor (RL.2, W.8: a code's strand and number, the grade left out), an L2-regularised
logistic regression of "the publisher names this anchor" on the lesson's tokens (words and word
pairs of title and text, the tokenizer of src/align/lesson.rs). A token gets weights only if it
occurs in at least --min-groups of the training grades, so that the book titles and topics of one
grade's modules are not learned: what is learned is the lesson language common to grades.

--cv: leave one grade out. For each grade, a model trained on the other grades is written to a
temporary file and `aligner eval` scores the held-out grade's items with it
(ALIGNER_LESSON_MODEL=file), and without any model (ALIGNER_LESSON_MODEL=none), both with the
item's grade as filter. Prints recall@1/@5/@10, MRR and strand accuracy per fold and pooled.

Only numbers learned here ship (per anchor a bias, per token a weight); no item, title or code.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

# Words that say nothing about what is taught, plus the routine of a lesson template: they get no
# weight ("Mid-Unit Assessment", "Launching the Unit" must not steer a match).
STOP = """a an and are as at be by for from has have how in into is it its of on or our that the their
them then there these this those to was we what when where which who why will with you your my me
can do does did about after before between through using use used per via vs than also
lesson lessons unit units module modules part parts day days session sessions week weeks
assessment assessments assess preassessment pre mid end midunit endofunit launch launching
introducing introduce introduction continued continuing continue celebration review
student students teacher teachers class grade grades""".split()


def anchor_of_code(code):
    """RL.9-10.2 -> RL.2, L.3.4a -> L.4 (the rule of src/align/lesson.rs)."""
    parts = code.split(".")
    if len(parts) not in (3, 4):
        return None
    strand, grade, last = parts[0], parts[1], parts[2]
    if not strand or not re.fullmatch(r"[A-Z]+", strand):
        return None
    m = re.fullmatch(r"([0-9]+)([a-z]?)", last)
    if not m or not re.fullmatch(r"[0-9K-]+", grade):
        return None
    return f"{strand}.{m.group(1)}"


def tokens(stop, title, text):
    out = set()
    for part in (title or "", text or ""):
        words = []
        for w in re.split(r"[^a-z0-9]", part.lower()):
            if len(w) < 3 or w in stop:
                continue
            if len(w) >= 5 and w.endswith("s") and not w.endswith("ss"):
                w = w[:-1]
            words.append(w)
        for i, w in enumerate(words):
            out.add(w)
            if i + 1 < len(words):
                out.add(f"{w} {words[i + 1]}")
    return sorted(out)


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def train(rows, l2, min_groups, stop):
    """Per anchor (bias, {token: weight})."""
    toks = [tokens(stop, r.get("title", ""), r.get("text", "")) for r in rows]
    groups = collections.defaultdict(set)
    for r, ts in zip(rows, toks):
        for t in ts:
            groups[t].add(str(r.get("grade")))
    vocab = sorted(t for t, g in groups.items() if len(g) >= min_groups)
    at = {t: i for i, t in enumerate(vocab)}
    X = np.zeros((len(rows), len(vocab)), dtype=np.float64)
    for i, ts in enumerate(toks):
        for t in ts:
            if t in at:
                X[i, at[t]] = 1.0
    labels = [set(a for a in (anchor_of_code(c) for c in r.get("standards", [])) if a) for r in rows]
    anchors = sorted(set().union(*labels))
    Y = np.array([[1.0 if a in ls else 0.0 for a in anchors] for ls in labels])
    n, d = X.shape
    W = np.zeros((d, len(anchors)))
    p0 = Y.mean(axis=0).clip(1e-3, 1 - 1e-3)
    b = np.log(p0 / (1 - p0))
    # Full-batch Newton-free gradient descent with a fixed step (a few hundred features, convex).
    lr = 0.5
    for _ in range(600):
        Z = X @ W + b
        P = 1 / (1 + np.exp(-Z))
        G = (P - Y) / n
        W -= lr * (X.T @ G + l2 / n * W)
        b -= lr * G.sum(axis=0)
    model = []
    for k, a in enumerate(anchors):
        ws = {vocab[j]: float(W[j, k]) for j in range(d) if abs(W[j, k]) >= 0.02}
        model.append((a, float(b[k]), ws))
    return model


def write(path, framework, model, stop, note):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# aligner lesson model (src/align/lesson.rs; data/matching/lesson/README.md)\n")
        for line in note:
            f.write(f"# {line}\n")
        f.write(f"framework\t{framework}\n")
        for w in sorted(set(stop)):
            f.write(f"stop\t{w}\n")
        for a, b, _ in model:
            f.write(f"bias\t{a}\t{b:.3f}\n")
        for a, _, ws in model:
            for t in sorted(ws):
                f.write(f"w\t{a}\t{t}\t{ws[t]:.3f}\n")


def run_eval(binary, rows, env=None, args=()):
    """`aligner eval --format json --items` of these rows (written to a temporary file), with
    these environment variables added (ALIGNER_LESSON_MODEL, ALIGNER_PARAMS, ALIGNER_CALIBRATION)
    and extra arguments (plus any in $EVAL_ARGS)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
        gold = f.name
    env = dict(os.environ, **(env or {}))
    extra = [*args, *os.environ.get("EVAL_ARGS", "").split()]
    out = subprocess.run([binary, "eval", gold, "--format", "json", "--items", *extra], env=env,
                         capture_output=True, text=True)
    os.unlink(gold)
    if out.returncode != 0:
        sys.exit(f"aligner eval failed: {out.stderr}")
    return json.loads(out.stdout)


def summary(d):
    o = d["overall"]
    return o["items"], o["recall_at_1"], o["recall_at_5"], o["recall_at_10"], o["mrr"], o.get("strand_accuracy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--out")
    ap.add_argument("--framework", default="ccss-ela")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--bin", default="target/release/aligner")
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--min-groups", type=int, default=2)
    ap.add_argument("--params", default="", help="ALIGNER_PARAMS for the cv runs")
    a = ap.parse_args()
    rows = read(a.gold)
    stop = STOP
    if a.cv:
        grades = sorted({str(r.get("grade")) for r in rows})
        pooled = collections.defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0, 0.0])
        for g in grades:
            train_rows = [r for r in rows if str(r.get("grade")) != g]
            test_rows = [r for r in rows if str(r.get("grade")) == g]
            model = train(train_rows, a.l2, min(a.min_groups, len(grades) - 1), stop)
            with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
                path = f.name
            write(path, a.framework, model, stop, [])
            for name, mp in (("none", "none"), ("model", path)):
                env = {"ALIGNER_LESSON_MODEL": mp}
                if a.params:
                    env["ALIGNER_PARAMS"] = a.params
                d = run_eval(a.bin, test_rows, env)
                s = summary(d)
                cov = " ".join(f"coverage recall={c['recall']:.3f} precision={c['precision']:.3f}"
                               for c in d.get("coverage", {}).values())
                print(f"grade {g:>3} {name:>5}: n={s[0]} r@1={s[1]:.3f} r@5={s[2]:.3f} r@10={s[3]:.3f} "
                      f"mrr={s[4]:.3f} strand={s[5]} {cov}")
                acc = pooled[name]
                acc[0] += s[0]
                for i in range(1, 6):
                    acc[i] += (s[i] or 0.0) * s[0]
            os.unlink(path)
        for name, acc in pooled.items():
            n = acc[0]
            print(f"pooled  {name:>5}: n={n} r@1={acc[1]/n:.3f} r@5={acc[2]/n:.3f} r@10={acc[3]/n:.3f} "
                  f"mrr={acc[4]/n:.3f} strand={acc[5]/n:.3f}")
    if a.out:
        model = train(rows, a.l2, a.min_groups, stop)
        write(a.out, a.framework, model, stop, [
            f"trained by scripts/train-lesson-model.py on {len(rows)} lessons of grades "
            + ", ".join(sorted({str(r.get('grade')) for r in rows}))
            + f"; l2={a.l2}, min-groups={a.min_groups}",
        ])
        print(f"wrote {a.out}: {len(model)} anchors, {sum(len(m[2]) for m in model)} weights")


if __name__ == "__main__":
    main()
