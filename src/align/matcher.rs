//! The matcher: a unit's candidates from the persistent index ([`super::candidates`]), scored by
//! words and meaning ([`super::features`]), sub-standards ranked in their standard's place, with
//! the evidence of each match ([`super::evidence`]). The raw BM25F score `r` becomes a score in
//! 0..1 as `r / (r + K)`.
//!
//! `search` runs the same matcher: a search is a one-unit match of a unit titled with the query,
//! without the batch's word counts.

use super::calibrate::Calibration;
use super::features::{FEATURES, NF};
use super::lesson::LessonModel;
use super::params::Params;
use super::query::QueryBuilder;
use super::Scope;
use crate::codes::Ref;
use crate::index::schema::Fields;
use crate::index::store::Store;
use crate::index::Library;
use crate::model::Unit;
use rustc_hash::FxHashMap as HashMap;

/// How strongly a unit addresses a standard, from its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Weak,
    Moderate,
    Strong,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Moderate => "moderate",
            Strength::Weak => "weak",
        }
    }
}

/// One suggested standard for a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub r: Ref,
    pub score: f32,
    pub strength: Strength,
    /// Shared words and phrases, as the unit writes them, most telling first.
    pub evidence: Vec<String>,
    /// A reviewer's decision on this pair ([`crate::review`]).
    pub reviewed: Option<crate::review::Reviewed>,
}

/// A unit's matches and its candidates' state (see [`Matcher::prepare`]).
pub struct Prepared {
    pub matches: Vec<Match>,
    cs: super::candidates::CandSet,
    /// The unit's weight of meaning.
    w: f32,
}

/// Scores below this are not reported as matches.
pub const MIN_SCORE: f32 = 0.01;

pub struct Matcher<'l> {
    pub params: Params,
    pub(super) store: &'l Store,
    pub(super) searcher: tantivy::Searcher,
    pub(super) fields: Fields,
    /// Per tantivy segment: its `doc` column (a hit's doc in the engine store).
    pub(super) doc_cols: Vec<Option<tantivy::columnar::Column<u64>>>,
    pub(super) qb: QueryBuilder,
    /// The lesson models of the indexed frameworks that have one ([`super::lesson`]).
    pub(super) lessons: Vec<LessonState>,
    /// Raw score -> probability, per framework family ([`super::calibrate`]).
    pub calibration: Calibration,
    /// Per framework of the index, its calibration family.
    families: Vec<&'static str>,
    /// The sentence vectors of the batch's texts ([`Matcher::observe_batch`]); others are
    /// encoded when a unit needs them.
    sent: HashMap<String, Vec<f32>>,
}

/// A lesson model bound to the index: its framework and each of the framework's docs' anchor.
pub(super) struct LessonState {
    pub model: LessonModel,
    pub fw: usize,
    pub docs: std::ops::Range<u32>,
    /// Per doc of the framework (from `docs.start`), its anchor in the model.
    pub anchor: Vec<Option<u16>>,
}

impl<'l> Matcher<'l> {
    pub fn new(lib: &'l Library) -> Matcher<'l> {
        Matcher::with_params(lib, Params::default())
    }

    pub fn with_params(lib: &'l Library, params: Params) -> Matcher<'l> {
        let searcher = lib.reader.searcher();
        let doc_cols = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("doc").ok())
            .collect();
        let fast = params.w_sentence <= 0.0;
        Matcher {
            params,
            store: &lib.store,
            searcher,
            doc_cols,
            fields: lib.fields,
            qb: QueryBuilder::default(),
            lessons: Vec::new(),
            calibration: Calibration::shipped().for_fast_path(fast),
            families: lib
                .store
                .meta
                .frameworks
                .iter()
                .map(|f| super::calibrate::family(&f.subject))
                .collect(),
            sent: HashMap::default(),
        }
        .with_lesson_models(
            super::lesson::SHIPPED
                .iter()
                .filter_map(|(id, _)| LessonModel::shipped(id))
                .collect(),
        )
    }

    /// Use these lesson models (replacing the shipped ones); a model of a framework that is not
    /// indexed is left out.
    pub fn with_lesson_models(mut self, models: Vec<LessonModel>) -> Self {
        self.lessons = models
            .into_iter()
            .filter_map(|model| {
                let fw = self
                    .store
                    .meta
                    .frameworks
                    .iter()
                    .position(|f| f.id == model.framework)?;
                let docs = self.store.fw_docs(fw);
                let anchor = docs
                    .clone()
                    .map(|d| {
                        let code = self.store.node_code(self.store.doc_node(d));
                        crate::codes::anchor_of_code(code).and_then(|a| model.anchor_index(&a))
                    })
                    .collect();
                Some(LessonState {
                    model,
                    fw,
                    docs,
                    anchor,
                })
            })
            .collect();
        self
    }

    /// Learn from the units about to be matched which words are common to most of them, and count
    /// those less (see [`QueryBuilder::observe_batch`]).
    ///
    /// With the sentence model on, also encode the batch's distinct texts at once, on all cores.
    pub fn observe_batch(&mut self, units: &[Unit]) {
        self.qb.observe_batch(self.store, units, &self.params);
        if self.params.w_sentence > 0.0 && self.params.w_embed > 0.0 {
            let mut texts: Vec<String> = units
                .iter()
                .flat_map(|u| super::semantic::sentence_texts(u, &self.params))
                .map(|(t, _)| t)
                .filter(|t| !self.sent.contains_key(t))
                .collect();
            texts.sort_unstable();
            texts.dedup();
            let vecs = super::sentence::vectors(&texts, super::sentence::threads());
            self.sent.extend(texts.into_iter().zip(vecs));
        }
    }

    /// A unit's vector against the stored embeddings ([`super::semantic::unit_vector`]).
    pub(super) fn unit_vector(&self, unit: &Unit) -> Vec<f32> {
        let sent = |t: &str| match self.sent.get(t) {
            Some(v) => v.clone(),
            None => super::sentence::vectors(&[t], 1).pop().unwrap_or_default(),
        };
        super::semantic::unit_vector(unit, &self.params, &sent)
    }

    /// The mean cosine of two standards, for a scope of one.
    pub(super) fn mean_baseline(&self) -> f32 {
        let w = self.params.w_sentence.clamp(0.0, 1.0);
        (1.0 - w) * self.store.meta.emb_mean + w * self.store.meta.sent_mean
    }

    /// The standard a doc is.
    pub fn doc_ref(&self, d: u32) -> Ref {
        let n = self.store.doc_node(d);
        Ref {
            fw: self.store.node_fw(n),
            idx: self.store.node_pos(n),
        }
    }

    /// The probability a raw score of doc `d` stands for ([`super::calibrate`]).
    pub fn calibrated(&self, d: u32, raw: f32) -> f32 {
        let fw = self.store.node_fw(self.store.doc_node(d));
        self.calibration
            .apply(self.families.get(fw).copied().unwrap_or("default"), raw)
    }

    pub fn score_to_unit(&self, raw: f32) -> f32 {
        raw / (raw + self.params.squash)
    }

    pub fn strength(&self, score: f32) -> Strength {
        if score >= self.params.strong {
            Strength::Strong
        } else if score >= self.params.moderate {
            Strength::Moderate
        } else {
            Strength::Weak
        }
    }

    /// The weight of meaning for this unit: `w_embed_title` when it has only a title.
    fn embed_weight(&self, unit: &Unit) -> f32 {
        if self.params.w_embed <= 0.0 {
            0.0
        } else if unit.text.trim().is_empty() {
            self.params.w_embed_title
        } else {
            self.params.w_embed
        }
    }

    /// The `top` best standards for a unit, best first.
    pub fn match_unit(&self, unit: &Unit, scope: &Scope, top: usize) -> Vec<Match> {
        self.prepare(unit, scope, top).matches
    }

    /// The scores the unit of a prepared match gives the `extra` standards (claimed ones), whether
    /// or not they are in scope or among its matches.
    pub fn scores_of(&self, p: &Prepared, extra: &[Ref]) -> Vec<f32> {
        extra
            .iter()
            .map(|r| match self.store.doc_of(r.fw, r.idx) {
                Some(d) => self.calibrated(d, self.blend(&p.cs, d).score(&self.params, p.w)),
                None => 0.0,
            })
            .collect()
    }

    /// A unit's matches, with what scoring any other standard for it needs.
    pub fn prepare(&self, unit: &Unit, scope: &Scope, top: usize) -> Prepared {
        self.prepare_where(unit, scope, top, |_| true)
    }

    /// [`Matcher::prepare`] with the standards `admit` refuses taken out of the ranking: of the
    /// first `max(top, rerank)` places, those of refused docs go to the next standards (a strand
    /// rule's exclusions). Only the kept matches get their evidence.
    pub fn prepare_where(&self, unit: &Unit, scope: &Scope, top: usize, admit: impl Fn(u32) -> bool) -> Prepared {
        let cs = self.candidates(unit, scope, top);
        let w = self.embed_weight(unit);
        let mut scored: Vec<(u32, f32)> = cs
            .ids
            .iter()
            .map(|&d| (d, self.blend(&cs, d).score(&self.params, w)))
            .collect();
        self.inherit_to_parts(&mut scored);
        // A standard the unit shares no evidence with is no match.
        scored.retain(|x| x.1 >= MIN_SCORE);
        // On a tie, a sub-standard before its standard (see `inherit_to_parts`).
        let part = |d: u32| self.store.parent_doc(d).is_some();
        let order =
            |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(part(b.0).cmp(&part(a.0))).then(a.0.cmp(&b.0));
        scored.sort_by(order);
        // The second and later parts of one standard say less than the first (any of them implies
        // the standard): they count `sibling` times their score, so that the list goes on to
        // other standards (SL.6.1a, SL.6.1b, SL.6.1c, SL.6.1d would fill four places).
        if self.params.sibling < 1.0 {
            let mut seen: Vec<u32> = Vec::new();
            for x in scored.iter_mut() {
                if let Some(p) = self.store.parent_doc(x.0) {
                    if seen.contains(&p) {
                        x.1 *= self.params.sibling;
                    } else {
                        seen.push(p);
                    }
                }
            }
            scored.sort_by(order);
        }
        // A standard after one of its own sub-standards says nothing new (the part implies it): it
        // leaves its place to the next standard.
        let mut implied: Vec<u32> = Vec::new();
        scored.retain(|&(d, _)| {
            if implied.contains(&d) {
                return false;
            }
            implied.extend(self.store.parent_doc(d));
            true
        });
        scored.truncate(top.max(self.params.rerank as usize));
        scored.retain(|x| admit(x.0));
        scored.truncate(top);
        let matches = scored
            .into_iter()
            .map(|(d, raw)| {
                let score = self.calibrated(d, raw);
                Match {
                    r: self.doc_ref(d),
                    score,
                    strength: self.strength(score),
                    evidence: self.evidence(d, &cs),
                    reviewed: None,
                }
            })
            .collect();
        Prepared { matches, cs, w }
    }

    /// A unit that addresses a standard addresses at least one of its parts: the best-scored
    /// sub-standard among the candidates takes its standard's score when that is higher, so it
    /// ranks in the standard's place (on the tie, before it; the standard is then not listed again).
    /// The sub-standard names the part the unit addresses, and an alignment to it implies its
    /// standard.
    fn inherit_to_parts(&self, scored: &mut [(u32, f32)]) {
        let at: HashMap<u32, usize> = scored.iter().enumerate().map(|(i, x)| (x.0, i)).collect();
        let mut best_part: HashMap<u32, usize> = HashMap::default();
        for (i, &(d, s)) in scored.iter().enumerate() {
            if let Some(p) = self.store.parent_doc(d).filter(|p| at.contains_key(p)) {
                let e = best_part.entry(p).or_insert(i);
                if s > scored[*e].1 {
                    *e = i;
                }
            }
        }
        for (p, i) in best_part {
            let ps = scored[at[&p]].1;
            if scored[i].1 < ps {
                scored[i].1 = ps;
            }
        }
    }

    /// Every candidate of a unit with its features (for training a reranker: see
    /// `scripts/train-reranker.py`).
    pub fn candidate_features(&self, unit: &Unit, scope: &Scope, keep: usize) -> Vec<(Ref, [f32; NF])> {
        let cs = self.candidates(unit, scope, keep);
        cs.ids
            .iter()
            .map(|&d| (self.doc_ref(d), self.features_of(&cs, d)))
            .collect()
    }
}

/// The names of the features [`Matcher::candidate_features`] returns.
pub fn feature_names() -> &'static [&'static str] {
    &FEATURES
}

#[cfg(test)]
mod tests {
    use super::super::candidates::best_first;
    use super::Params;

    #[test]
    fn best_first_keeps_what_a_full_sort_would_keep_in_its_order_ties_by_doc() {
        let all: Vec<(u32, f32)> = (0..200u32).map(|d| (d, ((d * 37) % 11) as f32 / 4.0)).collect();
        for k in [0, 1, 5, 11, 199, 200, 300] {
            let mut sorted = all.clone();
            sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            sorted.truncate(k);
            let mut v = all.clone();
            best_first(&mut v, k);
            assert_eq!(v, sorted, "k = {k}");
        }
    }

    #[test]
    fn overrides_set_fields_by_name_and_refuse_unknown_ones() {
        let p = Params::default().with_overrides("k1=0.9, w_embed=0.25").unwrap();
        assert_eq!((p.k1, p.w_embed), (0.9, 0.25));
        assert_eq!(p.lex_floor, Params::default().lex_floor);
        assert!(Params::default().with_overrides("nope=1").unwrap_err().contains("nope"));
        assert!(Params::default().with_overrides("k1").is_err());
        assert!(Params::default().with_overrides("k1=x").is_err());
    }
}
