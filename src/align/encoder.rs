//! The sentence encoder: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; see
//! `data/encoder/README.md`) run in-process, offline, in plain Rust.
//!
//! The model is a 6-layer BERT (hidden size 384, 12 heads, feed-forward 1536) whose mean-pooled,
//! L2-normalized output is a sentence's vector. `data/encoder/minilm-l6-v2.bin` holds its weights
//! (written by `scripts/convert-encoder.py`): every weight matrix as int8 with an f32 scale per
//! row, biases, layer norms and position embeddings as f32. The file is compiled into the binary;
//! the matrices are dequantized once, on first use. Tokenization is the WordPiece tokenizer of
//! [`super::embed`] (the same vocabulary), truncated to 256 tokens as sentence-transformers does.
//!
//! Matrix products go through `matrixmultiply` (a small pure-Rust GEMM with runtime SIMD
//! dispatch); attention, GELU and layer norm are written out here. Sentences are packed into
//! batches of about [`BATCH_TOKENS`] tokens (the dense layers see one tall matrix) and batches
//! are shared among threads. A sentence's vector does not depend on the batch it is in.

use std::sync::OnceLock;

const SHIPPED: &[u8] = include_bytes!("../../data/encoder/minilm-l6-v2.bin");
const MAGIC: &[u8; 8] = b"ALIGNENC";
/// Tokens per batch: the dense layers' matrices stay within a few MB.
pub const BATCH_TOKENS: usize = 2048;

/// BERT's position embeddings.
const POSITIONS: usize = 512;
/// WordPiece's unknown token, what an id outside the vocabulary reads as.
const UNK: usize = 100;
const CLS: u32 = 101;
const SEP: u32 = 102;

/// What can be wrong with an encoder file given to [`Encoder::from_bytes`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EncoderError {
    #[error("encoder file: bad magic bytes (not an aligner encoder file)")]
    BadMagic,
    #[error("encoder file: {0}")]
    Header(String),
    #[error("encoder file: tensor {0} is missing")]
    Missing(String),
    #[error("encoder file: tensor {name} has shape {got:?}, expected {want:?}")]
    Shape {
        name: String,
        got: Vec<usize>,
        want: Vec<usize>,
    },
    #[error("encoder file: tensor {0} lies outside the file")]
    Bounds(String),
}

#[derive(serde::Deserialize)]
struct Header {
    model: String,
    hidden: usize,
    layers: usize,
    heads: usize,
    intermediate: usize,
    vocab: usize,
    max_tokens: usize,
    layer_norm_eps: f32,
    tensors: Vec<TensorInfo>,
}

#[derive(serde::Deserialize)]
struct TensorInfo {
    name: String,
    dtype: String,
    shape: Vec<usize>,
    offset: usize,
    len: usize,
}

/// A dense layer: `y = x W^T + b`, `W` row-major `[out x in]`.
struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    out: usize,
    inp: usize,
}

struct Norm {
    g: Vec<f32>,
    b: Vec<f32>,
}

struct Layer {
    /// Query, key and value stacked: `[3 * hidden x hidden]`.
    qkv: Linear,
    attn_out: Linear,
    attn_norm: Norm,
    ff_in: Linear,
    ff_out: Linear,
    out_norm: Norm,
}

/// The sentence model, ready to encode.
pub struct Encoder {
    pub model: String,
    hidden: usize,
    heads: usize,
    max_tokens: usize,
    eps: f32,
    /// Token embeddings, int8 with a scale per token.
    word: Vec<i8>,
    word_scale: Vec<f32>,
    vocab: usize,
    pos: Vec<f32>,
    token_type: Vec<f32>,
    emb_norm: Norm,
    layers: Vec<Layer>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("model", &self.model)
            .field("hidden", &self.hidden)
            .field("layers", &self.layers.len())
            .finish()
    }
}

struct Tensors<'a> {
    data: &'a [u8],
    infos: Vec<TensorInfo>,
}

impl Tensors<'_> {
    fn info(&self, name: &str, want: &[usize]) -> Result<&TensorInfo, EncoderError> {
        let t = self
            .infos
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| EncoderError::Missing(name.into()))?;
        if t.shape != want {
            return Err(EncoderError::Shape {
                name: name.into(),
                got: t.shape.clone(),
                want: want.to_vec(),
            });
        }
        let n: usize = want.iter().product();
        let size = if t.dtype == "i8" { 1 } else { 4 };
        if t.len != n * size || t.offset.checked_add(t.len).is_none_or(|e| e > self.data.len()) {
            return Err(EncoderError::Bounds(name.into()));
        }
        Ok(t)
    }

    fn f32s(&self, name: &str, want: &[usize]) -> Result<Vec<f32>, EncoderError> {
        let t = self.info(name, want)?;
        if t.dtype != "f32" {
            return Err(EncoderError::Header(format!(
                "tensor {name} is {}, expected f32",
                t.dtype
            )));
        }
        Ok(self.data[t.offset..t.offset + t.len]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// An int8 tensor's bytes and its scale per row.
    fn i8s(&self, name: &str, want: &[usize]) -> Result<(&[u8], Vec<f32>), EncoderError> {
        let t = self.info(name, want)?;
        if t.dtype != "i8" {
            return Err(EncoderError::Header(format!(
                "tensor {name} is {}, expected i8",
                t.dtype
            )));
        }
        let q = &self.data[t.offset..t.offset + t.len];
        Ok((q, self.f32s(&format!("{name}.scale"), &want[..1])?))
    }

    /// A matrix dequantized to f32.
    fn matrix(&self, name: &str, rows: usize, cols: usize) -> Result<Vec<f32>, EncoderError> {
        let (q, s) = self.i8s(name, &[rows, cols])?;
        Ok(q.chunks_exact(cols)
            .zip(&s)
            .flat_map(|(row, &sc)| row.iter().map(move |&x| x as i8 as f32 * sc))
            .collect())
    }

    fn linear(&self, name: &str, out: usize, inp: usize) -> Result<Linear, EncoderError> {
        Ok(Linear {
            w: self.matrix(&format!("{name}.weight"), out, inp)?,
            b: self.f32s(&format!("{name}.bias"), &[out])?,
            out,
            inp,
        })
    }

    fn norm(&self, name: &str, n: usize) -> Result<Norm, EncoderError> {
        Ok(Norm {
            g: self.f32s(&format!("{name}.weight"), &[n])?,
            b: self.f32s(&format!("{name}.bias"), &[n])?,
        })
    }
}

impl Encoder {
    /// The shipped model (decoded on first use).
    pub fn shipped() -> &'static Encoder {
        static E: OnceLock<Encoder> = OnceLock::new();
        E.get_or_init(|| Encoder::from_bytes(SHIPPED).expect("the shipped encoder file is well-formed (tested)"))
    }

    /// Read an encoder file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Encoder, EncoderError> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(EncoderError::BadMagic);
        }
        let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let body = 12usize
            .checked_add(n)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| EncoderError::Header("header runs past the end of the file".into()))?;
        let h: Header = serde_json::from_slice(&bytes[12..body]).map_err(|e| EncoderError::Header(e.to_string()))?;
        if h.hidden == 0
            || h.heads == 0
            || !h.hidden.is_multiple_of(h.heads)
            || !(2..=POSITIONS).contains(&h.max_tokens)
            || h.vocab <= SEP as usize
        {
            return Err(EncoderError::Header("inconsistent dimensions".into()));
        }
        let t = Tensors {
            data: &bytes[body..],
            infos: h.tensors,
        };
        let (d, ff) = (h.hidden, h.intermediate);
        let (word, word_scale) = t.i8s("embeddings.word_embeddings.weight", &[h.vocab, d])?;
        let word = word.iter().map(|&b| b as i8).collect();
        let mut layers = Vec::with_capacity(h.layers);
        for i in 0..h.layers {
            let p = format!("encoder.layer.{i}.");
            let q = t.linear(&format!("{p}attention.self.query"), d, d)?;
            let k = t.linear(&format!("{p}attention.self.key"), d, d)?;
            let v = t.linear(&format!("{p}attention.self.value"), d, d)?;
            let qkv = Linear {
                w: [q.w, k.w, v.w].concat(),
                b: [q.b, k.b, v.b].concat(),
                out: 3 * d,
                inp: d,
            };
            layers.push(Layer {
                qkv,
                attn_out: t.linear(&format!("{p}attention.output.dense"), d, d)?,
                attn_norm: t.norm(&format!("{p}attention.output.LayerNorm"), d)?,
                ff_in: t.linear(&format!("{p}intermediate.dense"), ff, d)?,
                ff_out: t.linear(&format!("{p}output.dense"), d, ff)?,
                out_norm: t.norm(&format!("{p}output.LayerNorm"), d)?,
            });
        }
        Ok(Encoder {
            model: h.model,
            hidden: d,
            heads: h.heads,
            max_tokens: h.max_tokens,
            eps: h.layer_norm_eps,
            word,
            word_scale,
            vocab: h.vocab,
            pos: t.f32s("embeddings.position_embeddings.weight", &[POSITIONS, d])?,
            token_type: t.f32s("embeddings.token_type_embeddings.weight", &[2, d])?,
            emb_norm: t.norm("embeddings.LayerNorm", d)?,
            layers,
        })
    }

    /// The vector's length.
    pub fn dims(&self) -> usize {
        self.hidden
    }

    /// The model's input for a text: `[CLS]`, its WordPiece tokens (at most `max_tokens - 2`),
    /// `[SEP]`.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![CLS];
        let toks = super::embed::Embeddings::shipped().tokenize(text);
        ids.extend(toks.into_iter().take(self.max_tokens - 2));
        ids.push(SEP);
        ids
    }

    /// One text's vector (L2-normalized).
    pub fn encode(&self, text: &str) -> Vec<f32> {
        self.encode_all(&[text], 1).pop().unwrap_or_default()
    }

    /// The vectors of many texts, in order, on up to `threads` threads.
    pub fn encode_all<S: AsRef<str> + Sync>(&self, texts: &[S], threads: usize) -> Vec<Vec<f32>> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.token_ids(t.as_ref())).collect();
        self.encode_ids(&ids, threads)
    }

    /// The vectors of tokenized texts ([`Encoder::token_ids`]), in order.
    pub fn encode_ids(&self, ids: &[Vec<u32>], threads: usize) -> Vec<Vec<f32>> {
        // Batches of consecutive texts of about BATCH_TOKENS tokens.
        let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
        let (mut start, mut tokens) = (0, 0);
        for (i, s) in ids.iter().enumerate() {
            if tokens > 0 && tokens + s.len() > BATCH_TOKENS {
                batches.push(start..i);
                start = i;
                tokens = 0;
            }
            tokens += s.len();
        }
        if start < ids.len() {
            batches.push(start..ids.len());
        }
        let mut out: Vec<Vec<f32>> = vec![Vec::new(); ids.len()];
        let threads = threads.clamp(1, batches.len().max(1));
        // Batch i goes to thread i % threads: the assignment is fixed, the results too.
        let results: Vec<Vec<(usize, Vec<Vec<f32>>)>> = std::thread::scope(|sc| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let batches = &batches;
                    sc.spawn(move || {
                        batches
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| i % threads == t)
                            .map(|(_, b)| (b.start, self.forward(&ids[b.clone()])))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("an encoder thread does not panic"))
                .collect()
        });
        for (start, vs) in results.into_iter().flatten() {
            for (k, v) in vs.into_iter().enumerate() {
                out[start + k] = v;
            }
        }
        out
    }

    /// The forward pass of one batch: each sequence's mean-pooled, normalized output.
    fn forward(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let d = self.hidden;
        let total: usize = seqs.iter().map(Vec::len).sum();
        let mut x = vec![0f32; total * d];
        let mut r = 0;
        for s in seqs {
            for (p, &id) in s.iter().enumerate() {
                let id = if (id as usize) < self.vocab { id as usize } else { UNK };
                let row = &mut x[r * d..(r + 1) * d];
                let sc = self.word_scale[id];
                let w = &self.word[id * d..(id + 1) * d];
                let pos = &self.pos[p * d..(p + 1) * d];
                for j in 0..d {
                    row[j] = w[j] as f32 * sc + pos[j] + self.token_type[j];
                }
                r += 1;
            }
        }
        layer_norm(&mut x, d, &self.emb_norm, self.eps);
        let mut qkv = Vec::new();
        let mut ctx = vec![0f32; total * d];
        let mut tmp = Vec::new();
        let mut ff = Vec::new();
        let mut scores = Vec::new();
        let dh = d / self.heads;
        let scale = 1.0 / (dh as f32).sqrt();
        for l in &self.layers {
            l.qkv.apply(&x, total, &mut qkv);
            let mut r0 = 0;
            for s in seqs {
                let n = s.len();
                scores.resize(n * n, 0.0);
                for h in 0..self.heads {
                    let q = &qkv[r0 * 3 * d + h * dh..];
                    let k = &qkv[r0 * 3 * d + d + h * dh..];
                    let v = &qkv[r0 * 3 * d + 2 * d + h * dh..];
                    // scores = Q K^T / sqrt(dh)
                    gemm(n, dh, n, scale, q, 3 * d, 1, k, 1, 3 * d, 0.0, &mut scores, n);
                    for row in scores.chunks_exact_mut(n) {
                        softmax(row);
                    }
                    // ctx = P V
                    let c = &mut ctx[r0 * d + h * dh..];
                    gemm(n, n, dh, 1.0, &scores, n, 1, v, 3 * d, 1, 0.0, c, d);
                }
                r0 += n;
            }
            l.attn_out.apply(&ctx, total, &mut tmp);
            add(&mut x, &tmp);
            layer_norm(&mut x, d, &l.attn_norm, self.eps);
            l.ff_in.apply(&x, total, &mut ff);
            ff.iter_mut().for_each(|v| *v = gelu(*v));
            l.ff_out.apply(&ff, total, &mut tmp);
            add(&mut x, &tmp);
            layer_norm(&mut x, d, &l.out_norm, self.eps);
        }
        let mut out = Vec::with_capacity(seqs.len());
        let mut r0 = 0;
        for s in seqs {
            let mut v = vec![0f32; d];
            for row in x[r0 * d..(r0 + s.len()) * d].chunks_exact(d) {
                add(&mut v, row);
            }
            r0 += s.len();
            super::semantic::normalize(&mut v);
            out.push(v);
        }
        out
    }
}

impl Linear {
    /// `y = x W^T + b` for `rows` rows of `x`.
    fn apply(&self, x: &[f32], rows: usize, y: &mut Vec<f32>) {
        y.clear();
        y.resize(rows * self.out, 0.0);
        gemm(
            rows, self.inp, self.out, 1.0, x, self.inp, 1, &self.w, 1, self.inp, 0.0, y, self.out,
        );
        for row in y.chunks_exact_mut(self.out) {
            add(row, &self.b);
        }
    }
}

/// `C[m x n] = alpha A[m x k] B[k x n] + beta C`, with `A` and `B` given by their row and column
/// strides and `C` row-major with row stride `rsc`. Checks that every element it touches is in
/// its slice, then calls the GEMM.
#[allow(clippy::too_many_arguments)]
fn gemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: &[f32],
    rsa: usize,
    csa: usize,
    b: &[f32],
    rsb: usize,
    csb: usize,
    beta: f32,
    c: &mut [f32],
    rsc: usize,
) {
    if m == 0 || n == 0 {
        return;
    }
    let last = |rows: usize, cols: usize, rs: usize, cs: usize| (rows - 1) * rs + (cols.max(1) - 1) * cs;
    assert!(k == 0 || (last(m, k, rsa, csa) < a.len() && last(k, n, rsb, csb) < b.len()));
    assert!(last(m, n, rsc, 1) < c.len() && n <= rsc);
    // SAFETY: the asserts above keep every element the product reads or writes inside `a`, `b`
    // and `c`; the rows of `C` do not overlap (n <= rsc), and `c` is borrowed mutably, apart
    // from `a` and `b`.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            alpha,
            a.as_ptr(),
            rsa as isize,
            csa as isize,
            b.as_ptr(),
            rsb as isize,
            csb as isize,
            beta,
            c.as_mut_ptr(),
            rsc as isize,
            1,
        );
    }
}

fn add(acc: &mut [f32], x: &[f32]) {
    for (a, b) in acc.iter_mut().zip(x) {
        *a += b;
    }
}

fn softmax(row: &mut [f32]) {
    let max = row.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x));
    let mut sum = 0.0;
    for x in row.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    row.iter_mut().for_each(|x| *x /= sum);
}

fn layer_norm(x: &mut [f32], d: usize, n: &Norm, eps: f32) {
    for row in x.chunks_exact_mut(d) {
        let mean = row.iter().sum::<f32>() / d as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / d as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&n.g).zip(&n.b) {
            *v = (*v - mean) * inv * g + b;
        }
    }
}

/// BERT's GELU, `x Φ(x)`, with `erf` to about 1e-7 (Abramowitz and Stegun 7.1.26 is 1.5e-7;
/// this is the rational approximation of W. J. Cody's erf on |x| < 0.5 and erfc beyond, as in
/// Numerical Recipes' `erfcc`, relative error below 1.2e-7).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))
}

fn erf(x: f32) -> f32 {
    let z = x.abs() as f64;
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let e = 1.0 - r;
    (if x >= 0.0 { e } else { -e }) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_is_close_to_known_values() {
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
            (3.5, 0.999_999_3),
        ] {
            assert!((erf(x) - want).abs() < 2e-7, "erf({x}) = {} not {want}", erf(x));
        }
    }

    #[test]
    fn gemm_matches_a_plain_product_with_strides() {
        // A 2x3 read transposed from a 3x2 buffer, B 3x2.
        let a = [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]; // columns of A = rows here
        let b = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut c = [0.0; 4];
        gemm(2, 3, 2, 1.0, &a, 1, 2, &b, 2, 1, 0.0, &mut c, 2);
        assert_eq!(c, [22.0, 28.0, 49.0, 64.0]);
    }

    #[test]
    fn rejects_malformed_files() {
        assert_eq!(Encoder::from_bytes(b"nope").unwrap_err(), EncoderError::BadMagic);
        let mut f = MAGIC.to_vec();
        f.extend_from_slice(&100u32.to_le_bytes());
        f.extend_from_slice(b"{}");
        assert!(matches!(Encoder::from_bytes(&f).unwrap_err(), EncoderError::Header(_)));
        // The shipped header with its data cut off: a tensor outside the file.
        let n = u32::from_le_bytes(SHIPPED[8..12].try_into().unwrap()) as usize;
        let cut = &SHIPPED[..12 + n + 1000];
        assert!(matches!(Encoder::from_bytes(cut).unwrap_err(), EncoderError::Bounds(_)));
    }

    #[test]
    fn vectors_are_normalized_and_do_not_depend_on_the_batch() {
        let e = Encoder::shipped();
        let texts = [
            "Add fractions with like denominators",
            "Prove theorems about triangles",
            "",
        ];
        let all = e.encode_all(&texts, 2);
        for (t, v) in texts.iter().zip(&all) {
            let n: f32 = v.iter().map(|x| x * x).sum();
            assert!((n - 1.0).abs() < 1e-4);
            let alone = e.encode(t);
            let diff = alone.iter().zip(v).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
            assert!(diff < 1e-5, "{t:?}: {diff}");
        }
    }
}
