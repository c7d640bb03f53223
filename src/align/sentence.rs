//! Sentence vectors as the matcher uses them: the encoder's ([`super::encoder`]) vector of a
//! text, from the shipped cache when the text is one of the shipped corpus's (so that indexing the
//! shipped frameworks encodes nothing), else encoded on the spot.
//!
//! `data/encoder/vectors.bin` holds the vectors of every text an index of the shipped corpus
//! encodes (statements, joined headings, joined lesson names), keyed by a 64-bit FNV-1a digest of
//! the text, int8 with a scale per vector. `cargo run --release --example encoder_cache` writes
//! it; a test checks that it covers the shipped corpus and agrees with the encoder. The file
//! records a digest of the encoder's weights: a cache of another model is not used.

use super::encoder::Encoder;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const SHIPPED: &[u8] = include_bytes!("../../data/encoder/vectors.bin");
const MAGIC: &[u8; 8] = b"ALIGNVEC";

/// The digest a text is cached under.
pub fn key(text: &str) -> u64 {
    let mut h = crate::shipped::Fnv1a::default();
    h.eat(text.bytes());
    h.finish()
}

/// A digest of the encoder's weights (a sample of the file's bytes).
pub fn model_digest() -> u64 {
    let mut h = crate::shipped::Fnv1a::default();
    let w = super::encoder::SHIPPED;
    h.eat(w.len().to_le_bytes());
    h.eat(w.iter().step_by(97).copied());
    h.finish()
}

/// Cached vectors, sorted by key.
pub struct Cache {
    dims: usize,
    keys: Vec<u64>,
    scales: Vec<f32>,
    data: Vec<i8>,
}

impl Cache {
    /// The shipped cache (empty if it was written for another model).
    pub fn shipped() -> &'static Cache {
        static C: OnceLock<Cache> = OnceLock::new();
        C.get_or_init(|| {
            Cache::from_bytes(SHIPPED)
                .filter(|(_, digest)| *digest == model_digest())
                .map(|(c, _)| c)
                .unwrap_or(Cache {
                    dims: 0,
                    keys: Vec::new(),
                    scales: Vec::new(),
                    data: Vec::new(),
                })
        })
    }

    /// Read a cache file: `None` when it is malformed. Also returns the model digest it records.
    pub fn from_bytes(b: &[u8]) -> Option<(Cache, u64)> {
        if b.len() < 32 || &b[..8] != MAGIC {
            return None;
        }
        let u64_at = |o: usize| {
            b.get(o..o + 8)
                .map(|s| u64::from_le_bytes(s.try_into().expect("8 bytes")))
        };
        let digest = u64_at(8)?;
        let dims = u64_at(16)? as usize;
        let n = u64_at(24)? as usize;
        let need = n.checked_mul(12 + dims)?.checked_add(32)?;
        if b.len() != need {
            return None;
        }
        let keys: Vec<u64> = (0..n).map(|i| u64_at(32 + 8 * i)).collect::<Option<_>>()?;
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        let s0 = 32 + 8 * n;
        let scales = (0..n)
            .map(|i| f32::from_le_bytes(b[s0 + 4 * i..s0 + 4 * i + 4].try_into().expect("4 bytes")))
            .collect();
        let data = b[s0 + 4 * n..].iter().map(|&x| x as i8).collect();
        Some((
            Cache {
                dims,
                keys,
                scales,
                data,
            },
            digest,
        ))
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The cached vector of a text.
    pub fn get(&self, text: &str) -> Option<Vec<f32>> {
        let i = self.keys.binary_search(&key(text)).ok()?;
        let s = self.scales[i];
        Some(
            self.data[i * self.dims..(i + 1) * self.dims]
                .iter()
                .map(|&x| x as f32 * s)
                .collect(),
        )
    }

    /// A cache file of these texts' vectors (duplicates once).
    pub fn to_bytes(texts: &[String], vecs: &[Vec<f32>], digest: u64) -> Vec<u8> {
        let dims = vecs.first().map_or(0, Vec::len);
        let mut rows: Vec<(u64, &[f32])> = texts.iter().zip(vecs).map(|(t, v)| (key(t), v.as_slice())).collect();
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&digest.to_le_bytes());
        out.extend_from_slice(&(dims as u64).to_le_bytes());
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for (k, _) in &rows {
            out.extend_from_slice(&k.to_le_bytes());
        }
        let scale = |v: &[f32]| {
            let m = v.iter().fold(0f32, |m, x| m.max(x.abs()));
            if m > 0.0 {
                m / 127.0
            } else {
                1.0
            }
        };
        for (_, v) in &rows {
            out.extend_from_slice(&scale(v).to_le_bytes());
        }
        for (_, v) in &rows {
            let s = scale(v);
            out.extend(v.iter().map(|x| ((x / s).round().clamp(-127.0, 127.0) as i8) as u8));
        }
        out
    }
}

/// The vectors of these texts, in order: each distinct text once, from the shipped cache when it
/// is there, else encoded (on up to `threads` threads).
pub fn vectors<S: AsRef<str>>(texts: &[S], threads: usize) -> Vec<Vec<f32>> {
    let cache = Cache::shipped();
    let mut slot: HashMap<&str, usize> = HashMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    let idx: Vec<usize> = texts
        .iter()
        .map(|t| {
            let t = t.as_ref();
            *slot.entry(t).or_insert_with(|| {
                distinct.push(t);
                distinct.len() - 1
            })
        })
        .collect();
    let mut got: Vec<Option<Vec<f32>>> = distinct.iter().map(|t| cache.get(t)).collect();
    let missing: Vec<usize> = (0..distinct.len()).filter(|&i| got[i].is_none()).collect();
    if !missing.is_empty() {
        let enc = Encoder::shipped();
        let todo: Vec<&str> = missing.iter().map(|&i| distinct[i]).collect();
        for (i, v) in missing.into_iter().zip(enc.encode_all(&todo, threads)) {
            got[i] = Some(v);
        }
    }
    idx.into_iter().map(|i| got[i].clone().unwrap_or_default()).collect()
}

/// The length of a sentence vector: the shipped cache's, so that an index of the shipped corpus
/// (every vector a cache hit) never decodes the model; the model's when the cache is empty.
pub fn dims() -> usize {
    match Cache::shipped().dims {
        0 => Encoder::shipped().dims(),
        d => d,
    }
}

/// The number of threads to encode on: the machine's.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_cache_has_the_model_s_dimensions() {
        assert!(!Cache::shipped().is_empty());
        assert_eq!(dims(), Encoder::shipped().dims());
    }

    #[test]
    fn a_cache_round_trips_and_damage_is_refused() {
        let texts = vec![
            "add fractions".to_string(),
            "área".to_string(),
            "add fractions".to_string(),
        ];
        let vecs = vec![vec![0.6, -0.8, 0.0], vec![0.0, 1.0, 0.0], vec![0.6, -0.8, 0.0]];
        let b = Cache::to_bytes(&texts, &vecs, 7);
        let (c, d) = Cache::from_bytes(&b).expect("well-formed");
        assert_eq!((d, c.len()), (7, 2));
        let v = c.get("área").expect("cached");
        assert!((v[1] - 1.0).abs() < 0.01 && v[0] == 0.0, "{v:?}");
        assert!(c.get("subtract").is_none());
        for cut in [0, 8, 31, b.len() - 1] {
            assert!(Cache::from_bytes(&b[..cut]).is_none(), "cut at {cut}");
        }
        let mut bad = b.clone();
        bad[0] = b'X';
        assert!(Cache::from_bytes(&bad).is_none());
    }

    #[test]
    fn vectors_agree_with_the_encoder_and_repeat_a_text_once() {
        let texts = [
            "Add and subtract fractions.",
            "A text no framework has: zebras at noon",
            "Add and subtract fractions.",
        ];
        let v = vectors(&texts, 2);
        let enc = Encoder::shipped();
        assert_eq!(v[0], v[2]);
        for (t, got) in texts.iter().zip(&v) {
            let want = enc.encode(t);
            let cos: f32 = want.iter().zip(got).map(|(a, b)| a * b).sum();
            assert!(cos > 0.99, "{t}: {cos}");
        }
    }
}
