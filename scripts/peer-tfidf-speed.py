#!/usr/bin/env python3
"""Speed against the TF-IDF peer, in one run on one machine.

    pip install scikit-learn
    python3 scripts/peer-tfidf-speed.py [--bin target/release/aligner] [--runs 5]

The peer: scikit-learn's TfidfVectorizer (English stop words, unigrams and bigrams) fitted on every
CCSS math statement of the shipped ASN file (fitting is not timed); what is timed is its
transform of the items and the ranking of every standard by cosine (top 10 per item), in process.
aligner is timed as a whole process: `aligner match FILE -f ccss-math --format json` (start-up,
reading the file, index open, matching, output), with the sentence model and with `--fast`.

The items are made here, deterministically, from the same statements (no dev data): 400 titles
(3 to 6 consecutive words of a statement) and 125 lessons (a title and eight statements, about
250 words, as the `match_lessons` benchmark builds them). Prints a Markdown table of medians and
the ratio peer time / aligner time (above 1: aligner is faster).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time


def statements(path):
    out = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "text" and isinstance(v, str):
                    out.append(v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.load(open(path, encoding="utf-8")))
    return out


def make_items(texts):
    rng = random.Random(7)
    titles = []
    for i in range(400):
        w = rng.choice(texts).split()
        k = rng.randint(3, 6)
        s = rng.randint(0, max(0, len(w) - k))
        titles.append({"id": f"t{i}", "title": " ".join(w[s : s + k]).strip(".,;:")})
    lessons = []
    for i in range(125):
        parts = [texts[(i * 37 + k * 101) % len(texts)] for k in range(8)]
        lessons.append({"id": f"l{i}", "title": titles[i]["title"], "text": " ".join(parts)})
    return titles, lessons


def median_time(fn, runs):
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/aligner")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer
    import numpy as np

    root = os.path.join(os.path.dirname(__file__), "..")
    texts = statements(os.path.join(root, "data/standards/ccss_math_D10003FB.json"))
    vec = TfidfVectorizer(stop_words="english", ngram_range=(1, 2))
    S = vec.fit_transform(texts)
    titles, lessons = make_items(texts)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name, items in [("400 titles", titles), ("125 lessons (about 250 words)", lessons)]:
            path = os.path.join(d, name.split()[1] + ".jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for it in items:
                    f.write(json.dumps(it) + "\n")
            docs = [it["title"] + " " + it.get("text", "") for it in items]

            def peer():
                Q = vec.transform(docs)
                sims = (Q @ S.T).toarray()
                np.argsort(-sims, axis=1)[:, :10]

            def run(extra):
                cmd = [a.bin, "match", path, "-f", "ccss-math", "--format", "json"] + extra
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            t_peer = median_time(peer, a.runs)
            t_full = median_time(lambda: run([]), a.runs)
            t_fast = median_time(lambda: run(["--fast"]), a.runs)
            rows.append((name, t_peer, t_full, t_fast))
    print("| items | TF-IDF peer (transform and rank, in process) | aligner match (whole process) | ratio | aligner match --fast | ratio |")
    print("|---|---|---|---|---|---|")
    for name, p, f, q in rows:
        print(f"| {name} | {p * 1000:.1f} ms | {f * 1000:.1f} ms | {p / f:.2f}x | {q * 1000:.1f} ms | {p / q:.2f}x |")


if __name__ == "__main__":
    main()
