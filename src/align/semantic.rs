//! Meaning for the matcher: one embedding per alignable standard (its statement, with its headings
//! at a lower weight) from the shipped static word embeddings ([`super::embed`]), and a unit's
//! embedding (its title and its text), compared by cosine.

use super::embed::Embeddings;
use crate::model::Unit;

/// A unit's embedding: its title (weight `e_title`), its text and its context.
pub fn unit_vector(unit: &Unit, e_title: f32) -> Vec<f32> {
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
    if !unit.context.is_empty() {
        add_scaled(&mut v, &emb.embed(&unit.context.join(". ")), 0.3);
    }
    normalize(&mut v);
    v
}

/// Dot product of two vectors of the same length (cosine for unit vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
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
/// engine store).
pub struct DocVectors {
    dims: usize,
    /// Row-major, one L2-normalized row per document.
    vecs: Vec<f32>,
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
    /// Embed every document, in document order, from its statement, its headings (weight
    /// `e_heads`) and the names lessons give it (weight `e_names`).
    pub fn build<'a>(docs: impl Iterator<Item = (&'a str, String, String)>, e_heads: f32, e_names: f32) -> DocVectors {
        let emb = Embeddings::shipped();
        let dims = emb.dims();
        let mut vecs = Vec::new();
        // Siblings read under the same headings: each heading text is embedded once.
        let mut heads_cache: rustc_hash::FxHashMap<String, Vec<f32>> = Default::default();
        for (own, heads, names) in docs {
            let mut v = vec![0f32; dims];
            add_scaled(&mut v, &emb.embed(own), 1.0);
            if e_heads > 0.0 && !heads.is_empty() {
                if !heads_cache.contains_key(&heads) {
                    let h = emb.embed(&heads);
                    heads_cache.insert(heads.clone(), h);
                }
                add_scaled(&mut v, &heads_cache[&heads], e_heads);
            }
            if e_names > 0.0 && !names.is_empty() {
                add_scaled(&mut v, &emb.embed(&names), e_names);
            }
            normalize(&mut v);
            vecs.extend(v);
        }
        DocVectors { dims, vecs }
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// All vectors, row-major.
    pub fn matrix(&self) -> &[f32] {
        &self.vecs
    }

    /// Mean cosine between documents `a` and the others, a baseline for a scope of one.
    pub fn mean_similarity(&self, sample: usize) -> f32 {
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
                let ra = &self.vecs[a * self.dims..(a + 1) * self.dims];
                let rb = &self.vecs[b * self.dims..(b + 1) * self.dims];
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
