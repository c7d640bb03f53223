#!/usr/bin/env python3
"""Measure retrieval of CCSS math standards by embedding cosine, on the shared eval files.

For each item (title + text) rank the CCSS math standards by cosine between the item's embedding
and the standard's (its statement, plus its cluster and domain headings; a component such as
4.MD.C.5a also gets its parent standard's statement) and score recall@1/5/10 by the rule of
/work/shared/eval/README.md: a hit when one of the first k suggestions equals a publisher code at
the publisher's depth (a suggested component counts for its standard, a suggested standard or
component counts for its cluster when the publisher gave only the cluster).

    python scripts/eval-static-embeddings.py                       # the shipped data/embeddings
    python scripts/eval-static-embeddings.py --emb-dir /tmp/other  # another distillation
    python scripts/eval-static-embeddings.py --full                # also the full MiniLM model
                                                                   # (numpy forward pass, slow)

Rows: khan titles with the grade filter (only standards of the item's grade; HS = all high-school
standards), khan titles without, mathfish problems without. `--candidates standards` ranks only
standard-level statements, `all` (default) standards and their components.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import minilm  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "data" / "standards" / "ccss_math_D10003FB.json"
EVAL = Path("/work/shared/eval")


def clean(s: str) -> str:
    s = html.unescape(html.unescape(s))
    s = re.sub(r"<[^>]+>", " ", s).replace("★", " ")
    return re.sub(r"\s+", " ", s).strip()


def parse_code(code: str):
    """-> ("cluster", (g, dom, letter)) | ("std", (g, dom, num), sub or None), or None."""
    s = code.strip().upper()
    s = s.removeprefix("CCSS.MATH.CONTENT.")
    if re.match(r"^HS[NAFGS]-", s):
        s = s[2:]
    parts = []
    for p in s.replace("-", ".").split("."):
        m = re.fullmatch(r"(\d+)([A-Z])", p)
        parts.extend([m.group(1), m.group(2)] if m else [p])
    if len(parts) < 3:
        return None
    g, dom, rest = parts[0], parts[1], parts[2:]
    if re.fullmatch(r"[A-Z]", rest[0]) and (len(rest) == 1 or rest[1].isdigit()):
        if len(rest) == 1:
            return ("cluster", (g, dom, rest[0]))
        rest = rest[1:]
    if not rest[0].isdigit():
        return None
    sub = rest[1] if len(rest) > 1 else None
    return ("std", (g, dom, rest[0]), sub)


def load_standards():
    """-> list of dicts: code, key (g, dom, num), sub, cluster (g, dom, letter), grade, text."""
    tree = json.loads(STANDARDS.read_text(encoding="utf-8"))
    out = []

    def walk(n, domain, cluster, cluster_code, parent_std):
        label = n.get("asn_statementLabel", {}).get("literal")
        text = clean(n.get("text", ""))
        notation = n.get("asn_statementNotation", "")
        if label == "Domain":
            domain = text
        elif label == "Cluster":
            cluster, cluster_code = text, notation
        elif label in ("Standard", "Component") and notation.startswith("CCSS.Math.Content."):
            p = parse_code(notation)
            cp = re.sub(r"\.\d+[a-z]?$", "", notation.removeprefix("CCSS.Math.Content."))
            cl = parse_code(cp)
            if p and p[0] == "std":
                body = text if label == "Standard" else f"{text} {parent_std}"
                g = p[1][0]
                out.append({
                    "code": notation.removeprefix("CCSS.Math.Content."),
                    "key": p[1], "sub": p[2],
                    "cluster": cl[1] if cl and cl[0] == "cluster" else None,
                    "grade": g if g == "K" or g.isdigit() else "HS",
                    "level": label,
                    "text": " ".join(x for x in (body, cluster, domain) if x),
                })
            if label == "Standard":
                parent_std = text
        for c in n.get("children", []):
            walk(c, domain, cluster, cluster_code, parent_std)

    for top in tree:
        walk(top, None, None, None, None)
    return out


def load_items(name):
    items = []
    for line in (EVAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        golds = [p for p in (parse_code(c) for c in r["standards"]) if p]
        g = str(r.get("grade", "")).upper()
        items.append({"text": clean(f"{r.get('title', '')} {r.get('text', '')}"), "gold": golds,
                      "grade": "HS" if g in ("HS", "9", "10", "11", "12") else g})
    return items


def hit(s, gold) -> bool:
    if gold[0] == "cluster":
        return s["cluster"] == gold[1]
    if s["key"] != gold[1]:
        return False
    return gold[2] is None or s["sub"] == gold[2]


def evaluate(item_vecs, items, std_vecs, stds, grade_filter):
    ks = (1, 5, 10)
    hits = {k: 0 for k in ks}
    sims = item_vecs @ std_vecs.T
    grades = np.array([s["grade"] for s in stds])
    for i, it in enumerate(items):
        row = sims[i].copy()
        if grade_filter:
            row[grades != it["grade"]] = -np.inf
        top = np.argsort(-row, kind="stable")[: max(ks)]
        first = next((r for r, j in enumerate(top) if any(hit(stds[j], g) for g in it["gold"])), None)
        for k in ks:
            hits[k] += first is not None and first < k
    return [hits[k] / len(items) for k in ks]


def full_model_vectors(texts, cache: Path):
    key = hashlib.sha256("\x1e".join(texts).encode()).hexdigest()[:16]
    path = cache / f"full-{key}.npy"
    if path.exists():
        return np.load(path)
    model, tok = minilm.load_model(cache)
    v = model.encode(tok, texts)
    np.save(path, v)
    return v


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--emb-dir", type=Path, default=ROOT / "data" / "embeddings")
    ap.add_argument("--candidates", choices=["all", "standards"], default="all")
    ap.add_argument("--full", action="store_true", help="also score the full MiniLM sentence model")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/aligner-emb-cache"))
    args = ap.parse_args()

    stds = load_standards()
    if args.candidates == "standards":
        stds = [s for s in stds if s["level"] == "Standard"]
    sets = {n: load_items(n) for n in ("dev-khan-titles", "dev-mathfish-problems")}
    rows = [("dev-khan-titles", True), ("dev-khan-titles", False), ("dev-mathfish-problems", False)]

    models = {"static": None}
    if args.full:
        models["full MiniLM"] = None
    print(f"{len(stds)} candidate statements ({args.candidates}); static embeddings from {args.emb_dir}")
    for model in models:
        if model == "static":
            emb = minilm.StaticEmbeddings.from_dir(args.emb_dir)
            enc = lambda texts: np.stack([emb.embed(t) for t in texts])  # noqa: E731
        else:
            args.cache.mkdir(parents=True, exist_ok=True)
            enc = lambda texts: full_model_vectors(texts, args.cache)  # noqa: E731
        std_vecs = enc([s["text"] for s in stds])
        vecs = {n: enc([it["text"] for it in items]) for n, items in sets.items()}
        for name, gf in rows:
            r = evaluate(vecs[name], sets[name], std_vecs, stds, gf)
            label = f"{name}, {'grade filter' if gf else 'no filter'}"
            print(f"{model:12} {label:40} r@1 {r[0]:.3f}  r@5 {r[1]:.3f}  r@10 {r[2]:.3f}")


if __name__ == "__main__":
    main()
