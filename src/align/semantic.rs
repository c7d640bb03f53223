//! Meaning for the matcher: one embedding per alignable standard (its statement, with its headings
//! at a lower weight) from the shipped static word embeddings ([`super::embed`]), and a unit's
//! embedding (its title and its text), compared by cosine.

use super::embed::Embeddings;
use crate::model::Unit;

/// A unit's static embedding: its title (weight `e_title`), its text and its context (weight
/// `e_context`).
pub fn static_vector(unit: &Unit, e_title: f32, e_context: f32) -> Vec<f32> {
    let emb = Embeddings::shipped();
    let mut v = vec![0f32; emb.dims()];
    if !unit.title.trim().is_empty() {
        add_scaled(
            &mut v,
            &emb.embed(super::analyze::strip_sequence_number(&unit.title)),
            e_title,
        );
    }
    if !unit.text.trim().is_empty() {
        add_scaled(&mut v, &emb.embed(&unit.text), 1.0);
    }
    if !unit.context.is_empty() && e_context > 0.0 {
        add_scaled(&mut v, &emb.embed(&unit.context.join(". ")), e_context);
    }
    normalize(&mut v);
    v
}

/// The texts a unit's sentence vector reads, with their weights: its title (`s_title`), its text
/// and its context (`s_context`).
pub fn sentence_texts(unit: &Unit, p: &super::Params) -> Vec<(String, f32)> {
    let mut out = Vec::new();
    let title = super::analyze::strip_sequence_number(&unit.title).trim();
    if !title.is_empty() {
        out.push((title.to_string(), p.s_title));
    }
    if !unit.text.trim().is_empty() {
        let text = unit.text.trim();
        let text = match p.s_text_words as usize {
            0 => text.to_string(),
            n => text.split_whitespace().take(n).collect::<Vec<_>>().join(" "),
        };
        out.push((text, 1.0));
    }
    if !unit.context.is_empty() && p.s_context > 0.0 {
        out.push((unit.context.join(". "), p.s_context));
    }
    out
}

/// A unit's vector against the stored rows ([`DocVectors`]): with `w_sentence` at 0 (the fast
/// path) its static embedding alone, else the static embedding weighted `1 - w_sentence` followed
/// by its sentence vector weighted `w_sentence`, the sentence vectors of its texts coming from
/// `sent`.
pub fn unit_vector(unit: &Unit, p: &super::Params, sent: &dyn Fn(&str) -> Vec<f32>) -> Vec<f32> {
    let mut v = static_vector(unit, p.e_title, p.e_context);
    let w = p.w_sentence.clamp(0.0, 1.0);
    if w <= 0.0 {
        return v;
    }
    let ed = super::sentence::dims();
    let mut e = vec![0f32; ed];
    for (t, wt) in sentence_texts(unit, p) {
        add_scaled(&mut e, &sent(&t), wt);
    }
    normalize(&mut e);
    v.iter_mut().for_each(|x| *x *= 1.0 - w);
    v.extend(e.into_iter().map(|x| x * w));
    v
}

/// Dot product of two vectors (cosine for unit vectors).
/// A longer vector is read to the shorter's length.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    // Eight partial sums: the loop vectorizes.
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// The standards' embeddings as the index build computes them (the matcher reads them from the
/// engine store): per document, its static embedding (`static_dims`, unit length) followed by its
/// sentence vector ([`super::sentence`], unit length). A unit's vector is laid out the same way
/// with the two parts weighted ([`unit_vector`]), so that one dot product is the blend of both
/// cosines; the fast path's unit vector is the static part alone, and the dot product then reads
/// only the first `static_dims` of each row.
pub struct DocVectors {
    dims: usize,
    static_dims: usize,
    /// Row-major, one row per document.
    vecs: Vec<f32>,
}

/// A standard's texts as its embeddings read them: its statement, its headings (joined) and the
/// names lessons give it (joined).
pub struct DocText<'a> {
    pub own: &'a str,
    pub heads: String,
    pub names: String,
}

fn add_scaled(acc: &mut [f32], v: &[f32], w: f32) {
    if v.len() == acc.len() {
        for (a, x) in acc.iter_mut().zip(v) {
            *a += w * x;
        }
    }
}

/// Scale a vector to unit length (a zero vector stays zero).
pub(crate) fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

impl DocVectors {
    /// Embed every document, in document order: the static part from its statement, its headings
    /// (weight `e_heads`) and the names lessons give it (weight `e_alias`); the sentence part
    /// likewise with `s_heads` and `s_alias`. Sentence vectors come from the shipped cache or are
    /// encoded on up to `threads` threads.
    pub fn build(docs: &[DocText], p: &super::Params, threads: usize) -> DocVectors {
        let emb = Embeddings::shipped();
        let sd = emb.dims();
        let ed = super::sentence::dims();
        let dims = sd + ed;
        let mut vecs = Vec::with_capacity(docs.len() * dims);
        // Siblings read under the same headings: each heading text is embedded once.
        let mut heads_cache: rustc_hash::FxHashMap<&str, Vec<f32>> = Default::default();
        // Each distinct text is encoded once, in one batch.
        let mut texts: Vec<&str> = Vec::new();
        for d in docs {
            texts.push(d.own);
            if p.s_heads > 0.0 && !d.heads.is_empty() {
                texts.push(&d.heads);
            }
            if p.s_alias > 0.0 && !d.names.is_empty() {
                texts.push(&d.names);
            }
        }
        let sent: rustc_hash::FxHashMap<&str, Vec<f32>> = texts
            .iter()
            .copied()
            .zip(super::sentence::vectors(&texts, threads))
            .collect();
        for d in docs {
            let mut v = vec![0f32; sd];
            add_scaled(&mut v, &emb.embed(d.own), 1.0);
            if p.e_heads > 0.0 && !d.heads.is_empty() {
                let h = heads_cache.entry(&d.heads).or_insert_with(|| emb.embed(&d.heads));
                add_scaled(&mut v, h, p.e_heads);
            }
            if p.e_alias > 0.0 && !d.names.is_empty() {
                add_scaled(&mut v, &emb.embed(&d.names), p.e_alias);
            }
            normalize(&mut v);
            vecs.extend(v);
            let mut e = vec![0f32; ed];
            let mut add = |t: &str, w: f32| {
                if w > 0.0 && !t.is_empty() {
                    if let Some(x) = sent.get(t) {
                        add_scaled(&mut e, x, w);
                    }
                }
            };
            add(d.own, 1.0);
            add(&d.heads, p.s_heads);
            add(&d.names, p.s_alias);
            normalize(&mut e);
            vecs.extend(e);
        }
        DocVectors {
            dims,
            static_dims: sd,
            vecs,
        }
    }

    /// Length of a row's static part.
    pub fn static_dims(&self) -> usize {
        self.static_dims
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// All vectors, row-major.
    pub fn matrix(&self) -> &[f32] {
        &self.vecs
    }

    /// Mean cosine between documents over the dimensions `part` (the static or the sentence part),
    /// a baseline for a scope of one.
    pub fn mean_similarity(&self, sample: usize, part: std::ops::Range<usize>) -> f32 {
        let n = self.vecs.len() / self.dims.max(1);
        if n < 2 {
            return 0.0;
        }
        let step = (n / sample.max(1)).max(1);
        let idx: Vec<usize> = (0..n).step_by(step).collect();
        let mut sum = 0.0;
        let mut cnt = 0;
        for (i, &a) in idx.iter().enumerate() {
            for &b in &idx[i + 1..] {
                let ra = &self.vecs[a * self.dims + part.start..a * self.dims + part.end];
                let rb = &self.vecs[b * self.dims + part.start..b * self.dims + part.end];
                sum += rb.iter().zip(ra).map(|(x, y)| x * y).sum::<f32>();
                cnt += 1;
            }
        }
        if cnt == 0 {
            0.0
        } else {
            sum / cnt as f32
        }
    }
}
