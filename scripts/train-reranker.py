#!/usr/bin/env python3
"""Train a second-stage reranker for the matcher, with cross-validation (an experiment: the
matcher ships the fixed blend and reads no reranker; --write leaves the model in
data/matching/reranker.json for whoever wires one into src/align/features.rs).

    python3 scripts/train-reranker.py [--bin target/release/aligner] [--eval-dir ../shared/eval]
                                      [--folds 5] [--write]

1. Runs `aligner eval --dump-features` in the three dev settings (Khan titles with each item's
   grade as filter, Khan titles without, MathFish texts without) to get, for every item, its
   candidate standards (the best 50 by words and the best 50 by meaning), each candidate's
   features (names in src/align/features.rs, FEATURES) and whether it is a hit by the eval rule.
2. Model: a linear ranking function trained as pairwise logistic regression (each hit against
   the non-hits of the same item), L2-regularized, with numpy; then one Platt scaling
   (sigmoid(a * s + b)) fitted on all candidates, so that the shipped score is a probability that
   the standard is one the publisher aligned.
3. Cross-validation: items are split into folds by a hash of their id (the same folds as
   scripts/tune.py); each fold is scored by a model trained on the other folds. The report gives
   each fold's held-out recall@1 / recall@5 per setting, the mean, and the figures of the fixed
   blend (no reranker) on the same folds.
4. With --write, the model trained on all items is written to data/matching/reranker.json.

Only numbers learned here ship: 12 weights, a bias; no item, title or code of the dev files.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

SETTINGS = [
    ("khan grade", "dev-khan-titles.jsonl", False),
    ("khan no grade", "dev-khan-titles.jsonl", True),
    ("mathfish no grade", "dev-mathfish-problems.jsonl", True),
]
FEATURES = ["lex_rel", "lex_abs", "sem_rel", "cos", "q_cov", "own_cov", "doc_cov", "pairs", "component",
            "lex_rank", "sem_rank", "head_cov", "short", "sem_short", "lex_short"]


def fold_of(item_id, k):
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % k


def dump(bin_, path, no_grade, out):
    env = dict(os.environ)
    args = [bin_, "eval", path, "--format", "json", "--framework", "ccss-math", "--dump-features", out]
    if no_grade:
        args.append("--no-grade")
    res = json.loads(subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout)
    items = {}
    with open(out) as f:
        for line in f:
            r = json.loads(line)
            items.setdefault(r["item"], []).append((r["f"], r["hit"]))
    return res["overall"], items


def item_ids_of(path):
    with open(path) as f:
        return [json.loads(l)["id"] for l in f if l.strip()]


def pairs_of(items):
    """(x_pos - x_neg) rows for every hit against every non-hit of the same item."""
    diffs = []
    for cands in items.values():
        pos = [np.array(f) for f, h in cands if h]
        neg = [np.array(f) for f, h in cands if not h]
        for p in pos:
            for n in neg:
                diffs.append(p - n)
    return np.array(diffs) if diffs else np.zeros((0, len(FEATURES)))


def train(items_list, l2=1e-3, iters=3000, lr=0.1):
    """Pairwise logistic regression on standardized features (Adam); returns raw-scale weights."""
    x = np.vstack([pairs_of(items) for items in items_list])
    scale = np.maximum(np.abs(x).std(axis=0), 1e-6)
    xs = x / scale
    w = np.zeros(x.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, iters + 1):  # mean log(1 + exp(-x.w)) + l2/2 |w|^2
        z = np.clip(xs @ w, -30, 30)
        g = -(xs * (1.0 / (1.0 + np.exp(z)))[:, None]).mean(axis=0) + l2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w / scale


def platt(items_list, w, iters=500, lr=0.5):
    s, y = [], []
    for items in items_list:
        for cands in items.values():
            for f, h in cands:
                s.append(float(np.dot(w, f)))
                y.append(1.0 if h else 0.0)
    s, y = np.array(s), np.array(y)
    a, b = 1.0, 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(a * s + b)))
        ga, gb = ((p - y) * s).mean(), (p - y).mean()
        a -= lr * ga
        b -= lr * gb
    return a, b


def recall(items, n_items, score):
    """recall@1 and @5 over n_items (items without candidates are misses)."""
    h1 = h5 = 0
    for cands in items.values():
        ranked = sorted(cands, key=lambda c: -score(c[0]))
        hits = [h for _, h in ranked]
        h1 += any(hits[:1])
        h5 += any(hits[:5])
    return h1 / n_items, h5 / n_items


def blend(f):
    # The fixed blend the matcher uses without a model (w_embed = 0.3).
    return f[1] * (0.7 * f[0] + 0.3 * f[2])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/aligner")
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    data = []
    for name, file, no_grade in SETTINGS:
        path = os.path.join(a.eval_dir, file)
        overall, items = dump(a.bin, path, no_grade, os.path.join(tmp, name.replace(" ", "-") + ".jsonl"))
        ids = item_ids_of(path)
        data.append((name, items, overall["items"], ids))
        print(f"{name}: {overall['items']} items, {sum(len(c) for c in items.values())} candidates; "
              f"eval r@1 {overall['recall_at_1']:.3f} r@5 {overall['recall_at_5']:.3f}", flush=True)

    def split(items, ids, folds):
        keep = {i for i in ids if fold_of(i, a.folds) in folds}
        return {k: v for k, v in items.items() if k in keep}

    def n_in(ids, folds, n_total):
        # items counted by eval that fall in these folds (eval leaves out unresolved items;
        # approximate their share by the fold share)
        share = sum(1 for i in ids if fold_of(i, a.folds) in folds) / len(ids)
        return max(1, round(n_total * share))

    table = {name: {"blend": [], "model": []} for name, *_ in data}
    for k in range(a.folds):
        train_folds = [f for f in range(a.folds) if f != k]
        w = train([split(items, ids, train_folds) for _, items, _, ids in data], l2=a.l2)
        line = [f"fold {k}:"]
        for name, items, n, ids in data:
            held = split(items, ids, [k])
            nk = n_in(ids, [k], n)
            b = recall(held, nk, blend)
            m = recall(held, nk, lambda f: float(np.dot(w, f)))
            table[name]["blend"].append(b)
            table[name]["model"].append(m)
            line.append(f"{name} r@1 {b[0]:.3f}->{m[0]:.3f} r@5 {b[1]:.3f}->{m[1]:.3f};")
        print(" ".join(line), flush=True)
    print("mean held-out (fixed blend -> reranker):")
    for name in table:
        b = np.mean(table[name]["blend"], axis=0)
        m = np.mean(table[name]["model"], axis=0)
        print(f"   {name:18} r@1 {b[0]:.3f} -> {m[0]:.3f}   r@5 {b[1]:.3f} -> {m[1]:.3f}")
    w = train([items for _, items, _, _ in data], l2=a.l2)
    pa, pb = platt([items for _, items, _, _ in data], w)
    weights = [float(pa * x) for x in w]
    print("weights:", dict(zip(FEATURES, [round(x, 3) for x in weights])), "bias", round(float(pb), 3))
    if a.write:
        out = {
            "features": FEATURES,
            "weights": [round(x, 5) for x in weights],
            "bias": round(float(pb), 5),
            "note": "pairwise logistic ranking + Platt scaling, trained by scripts/train-reranker.py "
                    "on the dev alignments in shared/eval (Khan titles with and without grade, "
                    "MathFish texts); cross-validated, see README",
        }
        with open("data/matching/reranker.json", "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print("wrote data/matching/reranker.json")


if __name__ == "__main__":
    sys.exit(main())
