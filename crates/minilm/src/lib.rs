//! all-MiniLM-L6-v2's forward pass (sentence-transformers, Apache-2.0) in plain Rust: token ids
//! in, a mean-pooled, L2-normalized sentence vector out. It is aligner's sentence encoder; this
//! crate is separate so that it is compiled with optimizations in every profile (the test
//! profile builds aligner itself at opt-level 1, where the encoder runs ten times slower).
//! Tokenization is the caller's (aligner's WordPiece tokenizer, the model's vocabulary).
//!
//! The model is a 6-layer BERT (hidden size 384, 12 heads, feed-forward 1536). Its file (written
//! by aligner's `scripts/convert-encoder.py`) holds every weight matrix as int8 with an f32 scale
//! per row, biases, layer norms and position embeddings as f32.
//!
//! The dense layers (`x W^T + b`) run on one of two [`Kernel`]s:
//!
//! - [`Kernel::Int8`], where the CPU has AVX-512 F, BW and VNNI: the weights stay int8 with their
//!   scale per output row, packed at load in panels of 64 output columns; each input row (token)
//!   is quantized on the fly to u8 with its own scale and zero point (asymmetric, over the row's
//!   range including 0); `_mm512_dpbusd_epi32` accumulates the products in i32, exactly; the
//!   zero point is corrected with the weights' column sums (computed at load) and the result
//!   scaled by row scale x weight scale, plus the bias.
//! - [`Kernel::F32`], anywhere else: the matrices are dequantized to f32 at load and multiplied by
//!   `matrixmultiply` (a small pure-Rust GEMM with runtime SIMD dispatch).
//!
//! [`Kernel::auto`] picks Int8 where it runs, unless the environment variable
//! `ALIGNER_ENCODER_F32=1` is set (read once per process); [`Model::from_bytes_with`] takes the
//! kernel explicitly (tests run both). Attention (`softmax(Q K^T) V`) is f32 on both kernels;
//! softmax, GELU and layer norm are written out here as lane-wise loops that the compiler
//! vectorizes (compiled for AVX-512 too, chosen at run time; the same operations in the same order
//! either way, so the same results).
//!
//! Sequences are packed into batches of about [`BATCH_TOKENS`] tokens (the dense layers see one
//! tall matrix) and batches are shared among threads. Every step works row by row (a token's
//! quantization depends on its own row only, integer sums are exact) or sequence by sequence, so
//! a sequence's vector does not depend on the batch it is in, nor on the number of threads.

use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"ALIGNENC";
/// Tokens per batch: the dense layers' matrices stay within a few MB.
pub const BATCH_TOKENS: usize = 2048;

/// How the dense layers multiply (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// f32 weights (dequantized at load) and `matrixmultiply`'s sgemm: any CPU.
    F32,
    /// int8 weights as stored, activations quantized per token to u8, AVX-512 VNNI products.
    Int8,
}

impl Kernel {
    /// Whether this CPU runs the kernel.
    pub fn available(self) -> bool {
        match self {
            Kernel::F32 => true,
            Kernel::Int8 => int8::available(),
        }
    }

    /// The fastest kernel this CPU runs, or [`Kernel::F32`] when `ALIGNER_ENCODER_F32=1` (the
    /// environment is read once).
    pub fn auto() -> Kernel {
        static K: OnceLock<Kernel> = OnceLock::new();
        *K.get_or_init(|| {
            let forced = std::env::var_os("ALIGNER_ENCODER_F32").is_some_and(|v| v == "1");
            if !forced && Kernel::Int8.available() {
                Kernel::Int8
            } else {
                Kernel::F32
            }
        })
    }
}

/// BERT's position embeddings.
const POSITIONS: usize = 512;
/// `[CLS]`, `[SEP]` and `[UNK]` in the model's vocabulary.
pub const CLS: u32 = 101;
pub const SEP: u32 = 102;
pub const UNK: u32 = 100;

/// What can be wrong with an encoder file given to [`Model::from_bytes`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
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

/// A dense layer: `y = x W^T + b`, `W` `[out x in]`.
struct Linear {
    weights: Weights,
    out: usize,
    inp: usize,
}

enum Weights {
    /// `W` row-major, dequantized, and `b`.
    F32 {
        w: Vec<f32>,
        b: Vec<f32>,
    },
    Int8(int8::Packed),
}

/// A weight matrix as stored: int8 rows (in the file's bytes; one or more blocks of rows stacked)
/// with a scale each, and the bias.
struct RawLinear<'a> {
    q: Vec<&'a [i8]>,
    scale: Vec<f32>,
    b: Vec<f32>,
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
pub struct Model {
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
    kernel: Kernel,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("model", &self.model)
            .field("hidden", &self.hidden)
            .field("layers", &self.layers.len())
            .field("kernel", &self.kernel)
            .finish()
    }
}

struct Tensors<'a> {
    data: &'a [u8],
    infos: Vec<TensorInfo>,
}

impl Tensors<'_> {
    fn info(&self, name: &str, want: &[usize]) -> Result<&TensorInfo, ModelError> {
        let t = self
            .infos
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| ModelError::Missing(name.into()))?;
        if t.shape != want {
            return Err(ModelError::Shape {
                name: name.into(),
                got: t.shape.clone(),
                want: want.to_vec(),
            });
        }
        let n: usize = want.iter().product();
        let size = if t.dtype == "i8" { 1 } else { 4 };
        if t.len != n * size || t.offset.checked_add(t.len).is_none_or(|e| e > self.data.len()) {
            return Err(ModelError::Bounds(name.into()));
        }
        Ok(t)
    }

    fn f32s(&self, name: &str, want: &[usize]) -> Result<Vec<f32>, ModelError> {
        let t = self.info(name, want)?;
        if t.dtype != "f32" {
            return Err(ModelError::Header(format!(
                "tensor {name} is {}, expected f32",
                t.dtype
            )));
        }
        Ok(self.data[t.offset..t.offset + t.len]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    fn i8s(&self, name: &str, want: &[usize]) -> Result<(&[i8], Vec<f32>), ModelError> {
        let t = self.info(name, want)?;
        if t.dtype != "i8" {
            return Err(ModelError::Header(format!("tensor {name} is {}, expected i8", t.dtype)));
        }
        let q = bytemuck::cast_slice(&self.data[t.offset..t.offset + t.len]);
        Ok((q, self.f32s(&format!("{name}.scale"), &want[..1])?))
    }

    fn linear(&self, name: &str, out: usize, inp: usize) -> Result<RawLinear<'_>, ModelError> {
        let (q, scale) = self.i8s(&format!("{name}.weight"), &[out, inp])?;
        Ok(RawLinear {
            q: vec![q],
            scale,
            b: self.f32s(&format!("{name}.bias"), &[out])?,
        })
    }

    fn norm(&self, name: &str, n: usize) -> Result<Norm, ModelError> {
        Ok(Norm {
            g: self.f32s(&format!("{name}.weight"), &[n])?,
            b: self.f32s(&format!("{name}.bias"), &[n])?,
        })
    }
}

impl Model {
    /// Read an encoder file, for the kernel of [`Kernel::auto`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        Model::from_bytes_with(bytes, Kernel::auto())
    }

    /// Read an encoder file, for a kernel ([`Kernel::F32`] if this CPU does not run `kernel`).
    pub fn from_bytes_with(bytes: &[u8], kernel: Kernel) -> Result<Model, ModelError> {
        let kernel = if kernel.available() { kernel } else { Kernel::F32 };
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let body = 12usize
            .checked_add(n)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| ModelError::Header("header runs past the end of the file".into()))?;
        let h: Header = serde_json::from_slice(&bytes[12..body]).map_err(|e| ModelError::Header(e.to_string()))?;
        if h.hidden == 0
            || h.heads == 0
            || !h.hidden.is_multiple_of(h.heads)
            || !(2..=POSITIONS).contains(&h.max_tokens)
            || h.vocab <= SEP as usize
        {
            return Err(ModelError::Header("inconsistent dimensions".into()));
        }
        let t = Tensors {
            data: &bytes[body..],
            infos: h.tensors,
        };
        let (d, ff) = (h.hidden, h.intermediate);
        let (word, word_scale) = t.i8s("embeddings.word_embeddings.weight", &[h.vocab, d])?;
        let word = word.to_vec();
        let mut layers = Vec::with_capacity(h.layers);
        for i in 0..h.layers {
            let p = format!("encoder.layer.{i}.");
            let q = t.linear(&format!("{p}attention.self.query"), d, d)?;
            let k = t.linear(&format!("{p}attention.self.key"), d, d)?;
            let v = t.linear(&format!("{p}attention.self.value"), d, d)?;
            let qkv = RawLinear {
                q: [q.q, k.q, v.q].concat(),
                scale: [q.scale, k.scale, v.scale].concat(),
                b: [q.b, k.b, v.b].concat(),
            };
            layers.push(Layer {
                qkv: Linear::new(qkv, 3 * d, d, kernel),
                attn_out: Linear::new(t.linear(&format!("{p}attention.output.dense"), d, d)?, d, d, kernel),
                attn_norm: t.norm(&format!("{p}attention.output.LayerNorm"), d)?,
                ff_in: Linear::new(t.linear(&format!("{p}intermediate.dense"), ff, d)?, ff, d, kernel),
                ff_out: Linear::new(t.linear(&format!("{p}output.dense"), d, ff)?, d, ff, kernel),
                out_norm: t.norm(&format!("{p}output.LayerNorm"), d)?,
            });
        }
        Ok(Model {
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
            kernel,
        })
    }

    /// The kernel of the dense layers.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// The vector's length.
    pub fn dims(&self) -> usize {
        self.hidden
    }

    /// The longest input, in tokens, `[CLS]` and `[SEP]` included.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The vectors of token-id sequences (`[CLS] ... [SEP]`, at most [`Model::max_tokens`]
    /// ids each; longer ones are cut), in order, on up to `threads` threads.
    pub fn encode_ids(&self, ids: &[Vec<u32>], threads: usize) -> Vec<Vec<f32>> {
        if ids.iter().any(|s| s.len() > self.max_tokens) {
            let cut: Vec<Vec<u32>> = ids.iter().map(|s| s[..s.len().min(self.max_tokens)].to_vec()).collect();
            return self.encode_ids(&cut, threads);
        }
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
        if threads == 1 {
            for b in &batches {
                for (k, v) in self.forward(&ids[b.clone()]).into_iter().enumerate() {
                    out[b.start + k] = v;
                }
            }
            return out;
        }
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
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F, checked just above.
            return unsafe { self.forward_avx512(seqs) };
        }
        self.forward_in(seqs)
    }

    /// [`Model::forward_in`] compiled for AVX-512: the same operations, wider.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn forward_avx512(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        self.forward_in(seqs)
    }

    #[inline(always)]
    fn forward_in(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let d = self.hidden;
        let total: usize = seqs.iter().map(Vec::len).sum();
        let mut x = vec![0f32; total * d];
        let mut r = 0;
        for s in seqs {
            for (p, &id) in s.iter().enumerate() {
                let id = if (id as usize) < self.vocab {
                    id as usize
                } else {
                    UNK as usize
                };
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
        let mut scratch = int8::Rows::default();
        let dh = d / self.heads;
        let scale = 1.0 / (dh as f32).sqrt();
        for l in &self.layers {
            l.qkv.apply(&x, total, &mut qkv, &mut scratch);
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
            l.attn_out.apply(&ctx, total, &mut tmp, &mut scratch);
            add(&mut x, &tmp);
            layer_norm(&mut x, d, &l.attn_norm, self.eps);
            l.ff_in.apply(&x, total, &mut ff, &mut scratch);
            ff.iter_mut().for_each(|v| *v = gelu(*v));
            l.ff_out.apply(&ff, total, &mut tmp, &mut scratch);
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
            let n = v.iter().map(|a| a * a).sum::<f32>().sqrt();
            if n > 0.0 {
                v.iter_mut().for_each(|a| *a /= n);
            }
            out.push(v);
        }
        out
    }
}

impl Linear {
    fn new(raw: RawLinear, out: usize, inp: usize, kernel: Kernel) -> Linear {
        let weights = match kernel {
            Kernel::Int8 => Weights::Int8(int8::Packed::new(&raw.q, &raw.scale, &raw.b, out, inp)),
            Kernel::F32 => Weights::F32 {
                w: raw
                    .q
                    .iter()
                    .flat_map(|block| block.chunks_exact(inp))
                    .zip(&raw.scale)
                    .flat_map(|(row, &sc)| row.iter().map(move |&x| x as f32 * sc))
                    .collect(),
                b: raw.b,
            },
        };
        Linear { weights, out, inp }
    }

    /// `y = x W^T + b` for `rows` rows of `x`.
    #[inline(always)]
    fn apply(&self, x: &[f32], rows: usize, y: &mut Vec<f32>, scratch: &mut int8::Rows) {
        y.clear();
        y.resize(rows * self.out, 0.0);
        match &self.weights {
            Weights::F32 { w, b } => {
                gemm(
                    rows, self.inp, self.out, 1.0, x, self.inp, 1, w, 1, self.inp, 0.0, y, self.out,
                );
                for row in y.chunks_exact_mut(self.out) {
                    add(row, b);
                }
            }
            Weights::Int8(p) => int8::apply(p, x, rows, y, scratch),
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

#[inline(always)]
fn add(acc: &mut [f32], x: &[f32]) {
    for (a, b) in acc.iter_mut().zip(x) {
        *a += b;
    }
}

/// `sum f(x)` over a row, in 16 lanes (vectorizable; the same order on any CPU).
#[inline(always)]
fn sum_by(row: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0f32; 16];
    let mut chunks = row.chunks_exact(16);
    for c in &mut chunks {
        for l in 0..16 {
            acc[l] += f(c[l]);
        }
    }
    for (l, &v) in chunks.remainder().iter().enumerate() {
        acc[l] += f(v);
    }
    acc.iter().sum()
}

#[inline(always)]
fn softmax(row: &mut [f32]) {
    let mut m = [f32::NEG_INFINITY; 16];
    let mut chunks = row.chunks_exact(16);
    for c in &mut chunks {
        for l in 0..16 {
            m[l] = m[l].max(c[l]);
        }
    }
    let max = chunks
        .remainder()
        .iter()
        .chain(&m)
        .fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let mut acc = [0f32; 16];
    let mut chunks = row.chunks_exact_mut(16);
    for c in &mut chunks {
        for l in 0..16 {
            c[l] = exp(c[l] - max);
            acc[l] += c[l];
        }
    }
    for (l, v) in chunks.into_remainder().iter_mut().enumerate() {
        *v = exp(*v - max);
        acc[l] += *v;
    }
    let inv = 1.0 / acc.iter().sum::<f32>();
    row.iter_mut().for_each(|x| *x *= inv);
}

#[inline(always)]
fn layer_norm(x: &mut [f32], d: usize, n: &Norm, eps: f32) {
    for row in x.chunks_exact_mut(d) {
        let mean = sum_by(row, |v| v) / d as f32;
        let var = sum_by(row, |v| (v - mean) * (v - mean)) / d as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&n.g).zip(&n.b) {
            *v = (*v - mean) * inv * g + b;
        }
    }
}

/// `e^x` to about 2 ulp (Cephes' `expf`: `x = n ln 2 + r`, a polynomial in `r`), branch-free so
/// that loops of it vectorize. Clamped to `[-87, 88]`, the range of normal results.
#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    // n = round(x / ln 2): adding and subtracting 1.5 * 2^23 rounds to an integer.
    let n = (x * std::f32::consts::LOG2_E + 12_582_912.0) - 12_582_912.0;
    // r = x - n ln 2, with ln 2 in two parts (Cody and Waite).
    let r = (x - n * 0.693_359_4) - n * -2.121_944_4e-4;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 0.166_666_65) * r
        + 0.5;
    let y = p * r * r + r + 1.0;
    // 2^n, n in -126..=127: a normal float's exponent field.
    y * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// BERT's GELU, `x Φ(x) = x (1 + erf(x / √2)) / 2`.
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// `erf` to 4.2e-7 (measured against libm's on [-6, 6]; about 7 ulp of 1), branch-free: the
/// rational approximation on [-4, 4] of Eigen's `generic_fast_erf_float` (odd polynomial of
/// degree 13 over even of degree 8), clamped beyond, where `erf` is 1 within 2e-8.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10;
    p = p * x2 + 2.770_681_4e-8;
    p = p * x2 - 2.101_024e-6;
    p = p * x2 - 5.692_506_4e-5;
    p = p * x2 - 7.349_906_3e-4;
    p = p * x2 - 2.954_6e-3;
    p = p * x2 - 1.609_603_3e-2;
    let mut q = -1.456_607_2e-5;
    q = q * x2 - 2.133_740_6e-4;
    q = q * x2 - 1.682_827e-3;
    q = q * x2 - 7.373_329e-3;
    q = q * x2 - 1.426_474e-2;
    x * p / q
}

/// The int8 dense layers (see the module's documentation): packing at load, per-row
/// quantization of the activations, and the AVX-512 VNNI product. Elsewhere than on x86-64 only
/// the packing compiles (and [`available`] is false), hence the `allow`.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code, unused_variables))]
mod int8 {
    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::*;

    /// Output columns per panel: four 16-lane vectors.
    const NR: usize = 64;
    /// Rows per micro-tile: 6 x 4 accumulators, 4 weight vectors and a broadcast in 32 registers.
    #[cfg(target_arch = "x86_64")]
    const MR: usize = 6;
    /// Rows quantized and multiplied together, so that their u8 copy stays in the L2 cache.
    #[cfg(target_arch = "x86_64")]
    const MC: usize = 96;

    /// Whether the CPU has what [`apply`] needs.
    pub(super) fn available() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vnni")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// A weight matrix `[out x inp]` packed for the kernel: `inp` padded with zeros to `kp` (a
    /// multiple of 4) and `out` to `np` (a multiple of [`NR`]). Panel `p` (output columns
    /// `p*NR..(p+1)*NR`) is `NR * kp` bytes; within it, group `g` (inputs `4g..4g+4`) is
    /// `4 * NR` bytes, the 4 weights of column `c` at `4c`: what `vpdpbusd` multiplies with a
    /// broadcast of 4 input bytes.
    pub(super) struct Packed {
        w: Vec<i8>,
        /// Per padded output column: the weights' scale (0 for padding), the sum of the
        /// column's int8 weights, and the bias.
        scale: Vec<f32>,
        colsum: Vec<i32>,
        bias: Vec<f32>,
        out: usize,
        inp: usize,
        kp: usize,
        np: usize,
    }

    impl Packed {
        /// Pack `W`, given as blocks of whole rows stacked in order.
        pub(super) fn new(q: &[&[i8]], scale: &[f32], bias: &[f32], out: usize, inp: usize) -> Packed {
            let n: usize = q.iter().map(|b| b.len()).sum();
            assert!(n == out * inp && scale.len() == out && bias.len() == out);
            let kp = inp.div_ceil(4) * 4;
            let np = out.div_ceil(NR) * NR;
            let mut w = vec![0i8; np * kp];
            let mut colsum = vec![0i32; np];
            let rows = q.iter().flat_map(|block| block.chunks_exact(inp.max(1)));
            for (j, row) in rows.enumerate().take(out) {
                let (p, c) = (j / NR, j % NR);
                let panel = &mut w[p * NR * kp..(p + 1) * NR * kp];
                for (k, &v) in row.iter().enumerate() {
                    panel[(k / 4) * 4 * NR + 4 * c + k % 4] = v;
                }
                colsum[j] = row.iter().map(|&v| v as i32).sum();
            }
            let pad = |v: &[f32]| {
                let mut v = v.to_vec();
                v.resize(np, 0.0);
                v
            };
            Packed {
                w,
                scale: pad(scale),
                colsum,
                bias: pad(bias),
                out,
                inp,
                kp,
                np,
            }
        }
    }

    /// Inputs per row taken out of the quantization and multiplied in f32: the largest in
    /// magnitude. BERT's hidden states have a few huge entries (a token's row is often one entry
    /// of 20-30 among entries below 2); left in, they would set the row's quantization step.
    const OUTLIERS: usize = 2;
    /// No outlier (a row with fewer than [`OUTLIERS`] non-zero entries).
    const NONE: u32 = u32::MAX;

    /// Activations quantized row by row: `x[r][k] ~ scale[r] * (q[r][k] - zero[r])`, except at
    /// the row's outliers, where `q` is `zero` and `x` is kept.
    #[derive(Default)]
    pub(super) struct Rows {
        q: Vec<u8>,
        scale: Vec<f32>,
        zero: Vec<i32>,
        outliers: Vec<[(u32, f32); OUTLIERS]>,
        row: Vec<f32>,
    }

    /// Quantize `rows` rows of `x` (`inp` wide) to u8 rows of `kp` bytes (the padding is 0,
    /// against zero weights). Each row's range without its outliers, 0 included, maps onto
    /// 0..=255.
    #[inline(always)]
    fn quantize(x: &[f32], rows: usize, inp: usize, kp: usize, out: &mut Rows) {
        out.q.clear();
        out.q.resize(rows * kp, 0);
        out.scale.clear();
        out.zero.clear();
        out.outliers.clear();
        for (row, q) in x.chunks_exact(inp).take(rows).zip(out.q.chunks_exact_mut(kp)) {
            // The OUTLIERS largest |x|, largest first (the first of equals first). |x| is
            // compared by its bits, in the order of the values; a chunk of 16 whose largest is
            // below the smallest kept so far is skipped whole (vectorized).
            let mut top = [(NONE, 0f32); OUTLIERS];
            let mut least = 0u32;
            for (c, chunk) in row.chunks(16).enumerate() {
                let most = chunk.iter().map(|v| v.to_bits() & 0x7fff_ffff).fold(0, u32::max);
                if most <= least {
                    continue;
                }
                for (i, &v) in chunk.iter().enumerate() {
                    let a = v.to_bits() & 0x7fff_ffff;
                    if a > least {
                        let mut j = OUTLIERS - 1;
                        while j > 0 && a > top[j - 1].1.to_bits() & 0x7fff_ffff {
                            top[j] = top[j - 1];
                            j -= 1;
                        }
                        top[j] = ((16 * c + i) as u32, v);
                        least = top[OUTLIERS - 1].1.to_bits() & 0x7fff_ffff;
                    }
                }
            }
            out.outliers.push(top);
            let tmp = &mut out.row;
            tmp.clear();
            tmp.extend_from_slice(row);
            for &(k, _) in top.iter().filter(|t| t.0 != NONE) {
                tmp[k as usize] = 0.0;
            }
            let row = &tmp[..];
            // Lane-wise minimum and maximum (vectorizable), starting from 0.
            let (mut lo, mut hi) = ([0f32; 16], [0f32; 16]);
            let mut chunks = row.chunks_exact(16);
            for c in &mut chunks {
                for l in 0..16 {
                    lo[l] = lo[l].min(c[l]);
                    hi[l] = hi[l].max(c[l]);
                }
            }
            for &v in chunks.remainder() {
                lo[0] = lo[0].min(v);
                hi[0] = hi[0].max(v);
            }
            let lo = lo.iter().fold(0f32, |a, &b| a.min(b));
            let hi = hi.iter().fold(0f32, |a, &b| a.max(b));
            let s = (hi - lo) / 255.0;
            if !(s > 0.0 && s.is_finite()) {
                // All zeros (or not finite): q stays 0, and so does the product.
                out.scale.push(0.0);
                out.zero.push(0);
                continue;
            }
            let inv = 1.0 / s;
            let zero = (-lo * inv).round().clamp(0.0, 255.0);
            let off = zero + 0.5;
            // Round to nearest (the sum is >= -0.5); `as` saturates to 0..=255.
            for (qv, &v) in q.iter_mut().zip(row) {
                *qv = (v * inv + off) as u8;
            }
            out.scale.push(s);
            out.zero.push(zero as i32);
        }
    }

    /// Add the outliers' products to rows `0..rows` of `y` (the rows of `a`), in f32:
    /// `y[r][j] += (x * scale[j]) * W[j][k]` for each outlier `(k, x)` of row `r`.
    #[inline(always)]
    fn add_outliers(p: &Packed, a: &Rows, rows: usize, y: &mut [f32]) {
        for (yrow, top) in y.chunks_exact_mut(p.out).zip(&a.outliers).take(rows) {
            for &(k, v) in top.iter().filter(|t| t.0 != NONE) {
                // Input k's weights, column by column: in each panel, every 4th byte of its group.
                let k = k as usize;
                let at = (k / 4) * 4 * NR + k % 4;
                for (j, (y, &s)) in yrow.iter_mut().zip(&p.scale).enumerate() {
                    let w = p.w[(j / NR) * NR * p.kp + at + 4 * (j % NR)];
                    *y += (v * s) * w as f32;
                }
            }
        }
    }

    /// `y = x W^T + b` for `rows` rows of `x`, `y` row-major `[rows x out]`.
    pub(super) fn apply(p: &Packed, x: &[f32], rows: usize, y: &mut [f32], scratch: &mut Rows) {
        assert!(x.len() >= rows * p.inp && y.len() >= rows * p.out);
        assert!(available(), "the int8 kernel runs only where the CPU has AVX-512 VNNI");
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU has the features `apply_vnni` is compiled for, asserted just above.
        unsafe {
            apply_vnni(p, x, rows, y, scratch)
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    fn apply_vnni(p: &Packed, x: &[f32], rows: usize, y: &mut [f32], scratch: &mut Rows) {
        for i0 in (0..rows).step_by(MC) {
            let mc = MC.min(rows - i0);
            quantize(&x[i0 * p.inp..], mc, p.inp, p.kp, scratch);
            let y = &mut y[i0 * p.out..(i0 + mc) * p.out];
            for panel in 0..p.np / NR {
                let mut i = 0;
                while i < mc {
                    let r = MR.min(mc - i);
                    match r {
                        6 => tile::<6>(p, scratch, i, panel, y),
                        5 => tile::<5>(p, scratch, i, panel, y),
                        4 => tile::<4>(p, scratch, i, panel, y),
                        3 => tile::<3>(p, scratch, i, panel, y),
                        2 => tile::<2>(p, scratch, i, panel, y),
                        _ => tile::<1>(p, scratch, i, panel, y),
                    }
                    i += r;
                }
            }
            add_outliers(p, scratch, mc, y);
        }
    }

    /// Rows `i..i+R` of the quantized activations times panel `panel`, into the same rows of
    /// `y` (`[rows x p.out]`, the block's rows only).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    #[inline]
    fn tile<const R: usize>(p: &Packed, a: &Rows, i: usize, panel: usize, y: &mut [f32]) {
        let kp = p.kp;
        let groups = kp / 4;
        let qa = &a.q[i * kp..(i + R) * kp];
        let w = &p.w[panel * NR * kp..(panel + 1) * NR * kp];
        assert!(kp.is_multiple_of(4) && qa.len() == R * kp && w.len() == groups * 4 * NR);
        let (ap, wp) = (qa.as_ptr(), w.as_ptr());
        let mut acc = [[_mm512_setzero_si512(); 4]; R];
        for g in 0..groups {
            // SAFETY: g < groups, so bytes g*4*NR .. (g+1)*4*NR (= g*256 + 256) lie in `w`
            // (asserted above); the loads are unaligned.
            let wv = unsafe {
                let b = wp.add(g * 4 * NR);
                [
                    _mm512_loadu_si512(b.cast()),
                    _mm512_loadu_si512(b.add(64).cast()),
                    _mm512_loadu_si512(b.add(128).cast()),
                    _mm512_loadu_si512(b.add(192).cast()),
                ]
            };
            for (r, acc) in acc.iter_mut().enumerate() {
                // SAFETY: r < R and 4g + 4 <= kp, so the 4 bytes lie in row r of `qa` (asserted
                // R * kp long); read unaligned.
                let x4 = unsafe { ap.add(r * kp + 4 * g).cast::<i32>().read_unaligned() };
                let xb = _mm512_set1_epi32(x4);
                for v in 0..4 {
                    acc[v] = _mm512_dpbusd_epi32(acc[v], xb, wv[v]);
                }
            }
        }
        // y = (acc - zero * colsum) * (row scale * column scale) + bias.
        let n = p.out;
        for (r, acc) in acc.iter().enumerate() {
            let s = _mm512_set1_ps(a.scale[i + r]);
            let z = _mm512_set1_epi32(a.zero[i + r]);
            let yrow = &mut y[(i + r) * n..(i + r + 1) * n];
            for (v, &acc) in acc.iter().enumerate() {
                let c0 = panel * NR + 16 * v;
                if c0 >= n {
                    break;
                }
                let (cs, sc, b) = (&p.colsum[c0..c0 + 16], &p.scale[c0..c0 + 16], &p.bias[c0..c0 + 16]);
                // SAFETY: each slice is 16 elements long (bounds-checked just above).
                let (cs, sc, b) = unsafe {
                    (
                        _mm512_loadu_si512(cs.as_ptr().cast()),
                        _mm512_loadu_ps(sc.as_ptr()),
                        _mm512_loadu_ps(b.as_ptr()),
                    )
                };
                let t = _mm512_sub_epi32(acc, _mm512_mullo_epi32(z, cs));
                let out = _mm512_fmadd_ps(_mm512_cvtepi32_ps(t), _mm512_mul_ps(s, sc), b);
                if c0 + 16 <= n {
                    let dst = &mut yrow[c0..c0 + 16];
                    // SAFETY: `dst` is 16 elements long (bounds-checked just above).
                    unsafe { _mm512_storeu_ps(dst.as_mut_ptr(), out) };
                } else {
                    let mut tmp = [0f32; 16];
                    // SAFETY: `tmp` is 16 elements long.
                    unsafe { _mm512_storeu_ps(tmp.as_mut_ptr(), out) };
                    yrow[c0..].copy_from_slice(&tmp[..n - c0]);
                }
            }
        }
    }

    /// The kernel's arithmetic, one element at a time (for tests on any CPU).
    #[cfg(test)]
    pub(super) fn apply_scalar(p: &Packed, x: &[f32], rows: usize, y: &mut [f32]) {
        let mut a = Rows::default();
        quantize(x, rows, p.inp, p.kp, &mut a);
        for r in 0..rows {
            for j in 0..p.out {
                let (panel, c) = (j / NR, j % NR);
                let mut acc = 0i32;
                for k in 0..p.kp {
                    let wv = p.w[panel * NR * p.kp + (k / 4) * 4 * NR + 4 * c + k % 4];
                    acc += a.q[r * p.kp + k] as i32 * wv as i32;
                }
                let t = (acc - a.zero[r] * p.colsum[j]) as f32;
                y[r * p.out + j] = t.mul_add(a.scale[r] * p.scale[j], p.bias[j]);
            }
        }
        add_outliers(p, &a, rows, y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &[u8] = include_bytes!("../../../data/encoder/minilm-l6-v2.bin");

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
        assert_eq!(Model::from_bytes(b"nope").unwrap_err(), ModelError::BadMagic);
        let mut f = MAGIC.to_vec();
        f.extend_from_slice(&100u32.to_le_bytes());
        f.extend_from_slice(b"{}");
        assert!(matches!(Model::from_bytes(&f).unwrap_err(), ModelError::Header(_)));
        // The shipped header with its data cut off: a tensor outside the file.
        let n = u32::from_le_bytes(SHIPPED[8..12].try_into().unwrap()) as usize;
        let cut = &SHIPPED[..12 + n + 1000];
        assert!(matches!(Model::from_bytes(cut).unwrap_err(), ModelError::Bounds(_)));
    }

    /// Deterministic pseudo-random numbers in [-1, 1).
    fn noise(n: usize, seed: u64) -> Vec<f32> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
            })
            .collect()
    }

    /// A layer of odd sizes (padding in both dimensions) and its input: 100 rows (more than a
    /// block of int8::MC, and a last tile of fewer than int8::MR rows), some with outliers, one
    /// all zero.
    fn odd_layer() -> (int8::Packed, Vec<f32>, Vec<f32>, usize, usize, usize) {
        let (out, inp, rows) = (70, 37, 100);
        let q: Vec<i8> = noise(out * inp, 1).iter().map(|v| (v * 127.0) as i8).collect();
        let scale: Vec<f32> = noise(out, 2).iter().map(|v| 0.01 + 0.005 * v).collect();
        let bias = noise(out, 3);
        let mut x = noise(rows * inp, 4);
        for r in (0..rows).step_by(3) {
            x[r * inp + r % inp] *= 40.0;
        }
        x[5 * inp..6 * inp].fill(0.0);
        let w: Vec<f32> = q
            .chunks_exact(inp)
            .zip(&scale)
            .flat_map(|(row, &sc)| row.iter().map(move |&v| v as f32 * sc))
            .collect();
        let mut want = vec![0f32; rows * out];
        gemm(rows, inp, out, 1.0, &x, inp, 1, &w, 1, inp, 0.0, &mut want, out);
        for row in want.chunks_exact_mut(out) {
            add(row, &bias);
        }
        // Two blocks of rows, as the stacked query, key and value matrices come.
        let (top, rest) = q.split_at(30 * inp);
        (
            int8::Packed::new(&[top, rest], &scale, &bias, out, inp),
            x,
            want,
            rows,
            out,
            inp,
        )
    }

    #[test]
    fn int8_arithmetic_is_close_to_the_f32_product() {
        let (p, x, want, rows, out, _) = odd_layer();
        let mut got = vec![f32::NAN; rows * out];
        int8::apply_scalar(&p, &x, rows, &mut got);
        // Per row: the error is a small part of the row's size.
        for (g, w) in got.chunks_exact(out).zip(want.chunks_exact(out)) {
            let err = g.iter().zip(w).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
            let size = w.iter().map(|v| v.abs()).fold(0f32, f32::max);
            assert!(err <= 0.01 * size + 1e-6, "error {err} in a row of size {size}");
        }
    }

    #[test]
    fn int8_kernel_matches_its_scalar_arithmetic() {
        if !Kernel::Int8.available() {
            eprintln!("no AVX-512 VNNI here: the int8 kernel is not run");
            return;
        }
        let (p, x, _, rows, out, inp) = odd_layer();
        let mut want = vec![f32::NAN; rows * out];
        int8::apply_scalar(&p, &x, rows, &mut want);
        let mut got = vec![f32::NAN; rows * out];
        int8::apply(&p, &x, rows, &mut got, &mut int8::Rows::default());
        assert_eq!(got, want);
        // A row's result does not depend on the rows around it.
        for r in [0, 5, 97] {
            let mut one = vec![f32::NAN; out];
            int8::apply(&p, &x[r * inp..], 1, &mut one, &mut int8::Rows::default());
            assert_eq!(one, &want[r * out..(r + 1) * out], "row {r}");
        }
    }

    #[test]
    fn exp_softmax_and_gelu_are_accurate() {
        for i in -2000..=2000 {
            let x = i as f32 * 0.043;
            let (got, want) = (exp(x), (x as f64).exp());
            assert!(((got as f64 - want) / want).abs() < 3e-7, "exp({x}) = {got} not {want}");
        }
        assert_eq!(exp(-1000.0), exp(-87.0));
        let mut row: Vec<f32> = (0..37).map(|i| (i as f32 * 0.7).sin() * 9.0).collect();
        let e: Vec<f64> = row.iter().map(|&v| (v as f64).exp()).collect();
        softmax(&mut row);
        let sum: f64 = e.iter().sum();
        for (g, w) in row.iter().zip(&e) {
            assert!((*g as f64 - w / sum).abs() < 1e-6);
        }
        for (x, want) in [
            (-3.0, -0.004_049_69),
            (-0.5, -0.154_268_77),
            (1.0, 0.841_344_7),
            (2.5, 2.484_475_8),
        ] {
            assert!((gelu(x) - want).abs() < 1e-6, "gelu({x}) = {}", gelu(x));
        }
    }

    #[test]
    fn vectors_are_normalized_and_do_not_depend_on_the_batch() {
        // Three token sequences (one of them empty text: [CLS] [SEP]) and one past the limit.
        let texts: [Vec<u32>; 4] = [
            vec![CLS, 5587, 12884, 2015, 2007, 2066, 7939, 20936, SEP],
            vec![CLS, 6011, 18311, 2055, 12113, SEP],
            vec![CLS, SEP],
            (0..600).map(|i| 1000 + i).collect(),
        ];
        for kernel in [Kernel::F32, Kernel::Int8] {
            let e = Model::from_bytes_with(SHIPPED, kernel).unwrap();
            assert!(e.kernel() == kernel || !kernel.available());
            let all = e.encode_ids(&texts, 2);
            // Other neighbours in the batch, in another order, on one thread.
            let reversed = e.encode_ids(
                &[texts[3].clone(), texts[2].clone(), texts[1].clone(), texts[0].clone()],
                1,
            );
            for (i, (t, v)) in texts.iter().zip(&all).enumerate() {
                let n: f32 = v.iter().map(|x| x * x).sum();
                assert!((n - 1.0).abs() < 1e-4);
                let alone = e.encode_ids(std::slice::from_ref(t), 1).pop().unwrap();
                assert_eq!(&alone, v, "{kernel:?} {i}");
                assert_eq!(&reversed[3 - i], v, "{kernel:?} {i}");
            }
        }
    }
}
