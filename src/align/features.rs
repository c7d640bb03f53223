//! The second stage's scores of a (unit, standard) candidate: BM25F from the stored per-field
//! counts, shared word pairs, and the blend of words and meaning that gives the final score. The
//! full feature vector ([`FEATURES`]) is computed only for `aligner eval --dump-features`.

use super::candidates::CandSet;
use super::params::Params;
use crate::index::store::{Store, N_FIELDS};

/// Two term ids as one key.
pub fn pack(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// BM25F of doc `d` for a weighted query, from its per-field counts and lengths.
pub fn bm25f(store: &Store, p: &Params, d: u32, q: &super::query::Query) -> f32 {
    let weights = [p.w_text, p.w_children, p.w_cluster, p.w_domain, p.w_notes, p.w_alias];
    let len = store.field_len(d);
    let avg = store.meta.avg_len;
    let mut norm = [0f32; N_FIELDS];
    for k in 0..N_FIELDS {
        norm[k] = 1.0 - p.b + p.b * len[k] as f32 / avg[k].max(1.0);
    }
    let (terms, fc) = store.fwd(d);
    let mut acc = 0.0;
    let mut i = 0;
    while i < terms.len() {
        let t = terms[i];
        let mut tf = 0.0;
        while i < terms.len() && terms[i] == t {
            let (k, c) = ((fc[i] >> 24) as usize, fc[i] & 0x00ff_ffff);
            if k < N_FIELDS {
                tf += weights[k] * c as f32 / norm[k];
            }
            i += 1;
        }
        if let Some(qw) = q.weight(t) {
            acc += qw * store.idf(t) * tf * (p.k1 + 1.0) / (tf + p.k1);
        }
    }
    acc
}

/// The unit's adjacent word pairs with their weights.
pub fn query_pairs(store: &Store, q: &super::query::Query) -> Vec<(u64, f32)> {
    let ids: Vec<u32> = q.seq_ids.iter().flatten().copied().collect();
    let mut qpairs: Vec<(u64, f32)> = Vec::new();
    for w in ids.windows(2) {
        if w[0] == w[1] {
            continue;
        }
        let pk = pack(w[0], w[1]);
        if qpairs.iter().any(|(x, _)| *x == pk) {
            continue;
        }
        // A pair weighs the mean idf of its words, scaled by their query weights (so the
        // batch's template words count little here too).
        let wq = q
            .weight(w[0])
            .unwrap_or(0.0)
            .min(q.weight(w[1]).unwrap_or(0.0))
            .min(1.0);
        let idf = 0.5 * (store.idf(w[0]) + store.idf(w[1]));
        qpairs.push((pk, wq * idf));
    }
    qpairs
}

/// Shared word pairs of the unit and doc `d`, weighted.
pub fn pairs(store: &Store, d: u32, qpairs: &[(u64, f32)]) -> f32 {
    let set = store.pairs(d);
    qpairs
        .iter()
        .filter(|(x, _)| set.binary_search(x).is_ok())
        .map(|(_, w)| w)
        .sum()
}

/// What the blend reads of a candidate: words relative to the unit's best candidate, words
/// squashed to 0..1, and meaning relative to the scope.
#[derive(Debug, Clone, Copy)]
pub struct Blend {
    pub lex_rel: f32,
    pub lex_abs: f32,
    pub sem_rel: f32,
    /// The lesson model's probability of the candidate's anchor, when a model applies to it.
    pub lesson: Option<f32>,
}

impl Blend {
    /// The score in 0..1: words (at least `lex_floor`) times the mix of words and meaning, `w`
    /// being the weight of meaning.
    pub fn score(&self, p: &Params, w: f32) -> f32 {
        let base = self.lex_abs.max(p.lex_floor) * ((1.0 - w) * self.lex_rel + w * self.sem_rel);
        match self.lesson {
            Some(l) => (1.0 - p.w_lesson) * base + p.w_lesson * l,
            None => base,
        }
    }
}

/// Number of features in a dump.
pub const NF: usize = 15;

/// The features of a (unit, standard) candidate in `--dump-features` rows, in order.
pub const FEATURES: [&str; NF] = [
    "lex_rel",   // words: BM25F + pairs, relative to the unit's best candidate
    "lex_abs",   // words: squash(BM25F + pairs)
    "sem_rel",   // meaning: cosine above the scope's mean, 0..1
    "cos",       // meaning: raw cosine
    "q_cov",     // share of the unit's weighted words found anywhere in the standard's document
    "own_cov",   // ... found in its own statement
    "doc_cov",   // share of the statement's words found in the unit
    "pairs",     // shared word pairs, squashed
    "component", // is a sub-standard
    "lex_rank",  // 1 / (1 + rank by words)
    "sem_rank",  // 1 / (1 + rank by meaning)
    "head_cov",  // share of the unit's weighted words found in the headings
    "short",     // 1 / (1 + ln(1 + number of distinct query words)): titles near 0.4, texts near 0.15
    "sem_short", // sem_rel x short: meaning counts more for short units
    "lex_short", // lex_rel x short
];

impl super::matcher::Matcher<'_> {
    /// (words, pairs) of doc `d` for the unit.
    fn lex_of(&self, cs: &CandSet, d: u32) -> (f32, f32) {
        match cs.lex.get(&d) {
            Some(&x) => x,
            None => {
                let pairs = pairs(self.store, d, &cs.qpairs);
                (
                    bm25f(self.store, &self.params, d, &cs.q) + self.params.w_phrase * pairs,
                    pairs,
                )
            }
        }
    }

    /// (cosine, meaning relative to the scope) of doc `d`; zero out of scope or without
    /// embeddings.
    fn sem_of(&self, cs: &CandSet, d: u32) -> (f32, f32) {
        if let Some(x) = cs.sem.as_ref().and_then(|s| s.get(&d)) {
            return *x;
        }
        match &cs.sem_norm {
            Some((qv, mean, span)) if cs.in_scope.binary_search(&d).is_ok() => {
                let c = self.store.cos(d, qv);
                (c, ((c - mean) / span).clamp(0.0, 1.0))
            }
            _ => (0.0, 0.0),
        }
    }

    /// The lesson model's probability of doc `d`'s anchor for the unit.
    fn lesson_of(&self, cs: &CandSet, d: u32) -> Option<f32> {
        cs.lesson.iter().find_map(|(k, probs)| {
            let ls = &self.lessons[*k];
            if !ls.docs.contains(&d) {
                return None;
            }
            Some(ls.anchor[(d - ls.docs.start) as usize].map_or(0.0, |a| probs[a as usize]))
        })
    }

    pub(super) fn blend(&self, cs: &CandSet, d: u32) -> Blend {
        let (lex, _) = self.lex_of(cs, d);
        Blend {
            lex_rel: if cs.lex_max > 0.0 { lex / cs.lex_max } else { 0.0 },
            lex_abs: self.score_to_unit(lex),
            sem_rel: self.sem_of(cs, d).1,
            lesson: self.lesson_of(cs, d),
        }
    }

    /// All [`FEATURES`] of doc `d` for a unit.
    pub(super) fn features_of(&self, cs: &CandSet, d: u32) -> [f32; NF] {
        let b = self.blend(cs, d);
        let (_, pairs) = self.lex_of(cs, d);
        let (cos, rel) = self.sem_of(cs, d);
        let st = self.store;
        let qidf: f32 = cs.q.terms.iter().map(|(t, w)| w * st.idf(*t)).sum();
        let (terms, fc) = st.fwd(d);
        let share = |keep: &dyn Fn(usize) -> bool| -> f32 {
            if qidf <= 0.0 {
                return 0.0;
            }
            let mut hit = 0.0;
            let mut last = None;
            for (&t, &x) in terms.iter().zip(fc) {
                if keep((x >> 24) as usize) && last != Some(t) {
                    last = Some(t);
                    hit += cs.q.weight(t).map(|w| w * st.idf(t)).unwrap_or(0.0);
                }
            }
            hit / qidf
        };
        let own: Vec<u32> = {
            let mut v: Vec<u32> = terms
                .iter()
                .zip(fc)
                .filter(|(_, x)| (*x >> 24) == 0)
                .map(|(t, _)| *t)
                .collect();
            v.dedup();
            v
        };
        let doc_cov = {
            let all: f32 = own.iter().map(|t| st.idf(*t)).sum();
            let hit: f32 = own
                .iter()
                .filter(|t| cs.q.weight(**t).is_some())
                .map(|t| st.idf(*t))
                .sum();
            if all > 0.0 {
                hit / all
            } else {
                0.0
            }
        };
        let inv = |r: Option<&usize>| r.map(|&r| 1.0 / (1.0 + r as f32)).unwrap_or(0.0);
        let short = 1.0 / (1.0 + (1.0 + cs.q.terms.len() as f32).ln());
        [
            b.lex_rel,
            b.lex_abs,
            rel,
            cos,
            share(&|_| true),
            share(&|k| k == 0),
            doc_cov,
            pairs / (pairs + 5.0),
            if st.parent_doc(d).is_some() { 1.0 } else { 0.0 },
            inv(cs.lex_rank.get(&d)),
            inv(cs.sem_rank.get(&d)),
            share(&|k| k == 2 || k == 3),
            short,
            rel * short,
            b.lex_rel * short,
        ]
    }
}
