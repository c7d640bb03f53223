#!/usr/bin/env python3
"""Cross-validated tuning of the matcher's weights on publisher alignments.

    python3 scripts/tune.py [--folds 5] [--bin target/release/aligner] [--eval-dir ../shared/eval]

The items of each dev file are split into folds by a hash of their id. For each fold, the weights
are tuned by coordinate ascent on the other folds (objective: mean over the three settings of
recall@1 + recall@5), then measured on the held-out fold. The report gives every fold's held-out
figures and their mean: that mean, not the in-sample figure, is what the tuning is worth on
alignments it has not seen. Finally the weights are tuned on all items and printed as the
`ALIGNER_PARAMS` string that becomes `Params::default()`.

Settings: Khan titles with each item's grade as filter, Khan titles without, MathFish texts
without. Runs `aligner eval` with `ALIGNER_PARAMS`; needs an index (ALIGNER_INDEX) and a release
build.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

# name -> candidate multipliers of the current value (coordinate ascent tries each)
SPACE = {
    "k1": [0.6, 0.8, 1.25, 1.6],
    "b": [0.5, 0.75, 1.3, 1.6],
    "w_children": [0.0, 0.5, 1.5, 2.0],
    "w_cluster": [0.5, 0.75, 1.3, 1.6],
    "w_domain": [0.0, 0.5, 1.5, 2.0],
    "w_notes": [0.0, 0.5, 1.5, 2.0],
    "q_title": [0.6, 0.8, 1.25, 1.6],
    "q_context": [0.0, 0.5, 1.5],
    "q_synonym": [0.0, 0.5, 1.5],
    "q_routine": [0.0, 0.5, 2.0],
    "batch_df": [0.5, 0.75, 1.5],
    "w_phrase": [0.0, 0.5, 1.5, 2.0],
    "w_embed": [0.0, 0.5, 1.5, 2.0],
    "w_embed_title": [0.0, 0.5, 1.5, 2.0],
    "lex_floor": [0.0, 0.5, 1.5, 2.0],
    "q_notation": [0.0, 0.5, 1.5, 3.0],
    "w_alias": [0.0, 0.5, 1.5, 2.0],
    "e_alias": [0.0, 0.5, 1.5, 2.0],
}

TUNABLE = list(SPACE)


def shipped_defaults():
    """The weights of `impl Default for Params` in src/align/matcher.rs, read from the source so
    that this script never keeps a copy of them."""
    src = open(os.path.join(os.path.dirname(__file__), "..", "src", "align", "matcher.rs")).read()
    body = src[src.index("impl Default for Params"):]
    body = body[: body.index("\n}\n")]
    return {k: float(v) for k, v in re.findall(r"^\s+(\w+): (-?[\d.]+),$", body, re.M)}


def fold_of(item_id, k):
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % k


def read(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def write(items, path):
    with open(path, "w") as f:
        for it in items:
            f.write(json.dumps(it) + "\n")


def evaluate(bin_, path, no_grade, params):
    env = dict(os.environ, ALIGNER_PARAMS=",".join(f"{k}={v:.4g}" for k, v in params.items()))
    args = [bin_, "eval", path, "--format", "json", "--framework", "ccss-math"] + (["--no-grade"] if no_grade else [])
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)["overall"]


def score(bin_, files, params):
    """Mean over settings of r@1 + r@5, and the per-setting figures."""
    figs = [evaluate(bin_, p, ng, params) for p, ng in files]
    return sum(f["recall_at_1"] + f["recall_at_5"] for f in figs) / len(figs), figs


def ascend(bin_, files, params, rounds=2):
    best, _ = score(bin_, files, params)
    for _ in range(rounds):
        improved = False
        for name, mults in SPACE.items():
            for m in mults:
                trial = dict(params)
                base = params.get(name, 0.0)
                trial[name] = min(base * m, 1.0) if name.startswith("w_embed") else base * m
                if base == 0:
                    trial[name] = 0.3 if m > 1 else 0.0
                s, _ = score(bin_, files, trial)
                if s > best + 1e-4:
                    best, params, improved = s, trial, True
        if not improved:
            break
    return params, best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--bin", default="target/release/aligner")
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--start", default="", help="ALIGNER_PARAMS-style starting weights")
    ap.add_argument("--only", default="", help="comma-separated names: tune only these")
    a = ap.parse_args()
    if a.only:
        for name in list(SPACE):
            if name not in a.only.split(","):
                del SPACE[name]
    khan = read(os.path.join(a.eval_dir, "dev-khan-titles.jsonl"))
    fish = read(os.path.join(a.eval_dir, "dev-mathfish-problems.jsonl"))
    start = {}
    for kv in filter(None, a.start.split(",")):
        k, v = kv.split("=")
        start[k] = float(v)
    # Starting point: the current defaults (what eval uses with an empty ALIGNER_PARAMS).
    defaults = {k: v for k, v in shipped_defaults().items() if k in TUNABLE or k == "lead"}
    defaults.update(start)
    tmp = tempfile.mkdtemp()

    def files_for(folds):
        ks = [it for it in khan if fold_of(it["id"], a.folds) in folds]
        fs = [it for it in fish if fold_of(it["id"], a.folds) in folds]
        tag = "-".join(map(str, sorted(folds)))
        pk, pf = os.path.join(tmp, f"k{tag}.jsonl"), os.path.join(tmp, f"f{tag}.jsonl")
        write(ks, pk)
        write(fs, pf)
        return [(pk, False), (pk, True), (pf, True)]

    names = ["khan grade", "khan no grade", "mathfish no grade"]
    held = []
    for k in range(a.folds):
        train = files_for([f for f in range(a.folds) if f != k])
        test = files_for([k])
        base_s, base_figs = score(a.bin, test, defaults)
        params, _ = ascend(a.bin, train, dict(defaults))
        s, figs = score(a.bin, test, params)
        held.append((base_figs, figs))
        print(f"fold {k}: held-out objective {base_s:.3f} -> {s:.3f}", flush=True)
        for n, b0, f in zip(names, base_figs, figs):
            print(f"   {n:18} r@1 {b0['recall_at_1']:.3f} -> {f['recall_at_1']:.3f}   "
                  f"r@5 {b0['recall_at_5']:.3f} -> {f['recall_at_5']:.3f}   (n={f['items']})", flush=True)
        print("   tuned:", ",".join(f"{k}={v:.4g}" for k, v in params.items()), flush=True)
    print("mean held-out figures (before -> after tuning on the other folds):")
    for i, n in enumerate(names):
        for m in ["recall_at_1", "recall_at_5"]:
            b = sum(h[0][i][m] for h in held) / len(held)
            t = sum(h[1][i][m] for h in held) / len(held)
            print(f"   {n:18} {m}: {b:.3f} -> {t:.3f}")
    params, s = ascend(a.bin, files_for(list(range(a.folds))), dict(defaults))
    print("tuned on all items (objective %.3f):" % s)
    print("ALIGNER_PARAMS=" + ",".join(f"{k}={v:.4g}" for k, v in params.items()))


if __name__ == "__main__":
    sys.exit(main())
