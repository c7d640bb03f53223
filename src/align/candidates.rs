//! The first stage: a unit's candidates. By words, tantivy's persistent inverted index answers a
//! query of the unit's weighted terms over the statement, heading, notes and names fields (boosted
//! by the field weights), restricted to the scope's frameworks and grades; the best `first_stage`
//! hits are then scored exactly by BM25F from the stored per-field counts
//! ([`super::features::bm25f`]). By meaning, every in-scope standard's stored embedding is compared
//! with the unit's. The union goes to the second stage.

use super::features;
use super::matcher::Matcher;
use super::query::Query;
use crate::model::Unit;
use rustc_hash::FxHashMap as HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// How many of a lesson model's likeliest anchors bring their standards in as candidates.
const LESSON_ANCHORS: usize = 6;

/// A unit's candidates and what was computed on the way.
pub(super) struct CandSet {
    pub q: Query,
    /// Candidate docs, words first (best first), then by meaning.
    pub ids: Vec<u32>,
    /// Per doc scored by words: (BM25F + pairs, pairs).
    pub lex: HashMap<u32, (f32, f32)>,
    /// Per in-scope doc: (cosine, meaning relative to the scope) — only for the candidates and
    /// those scored by meaning.
    pub sem: Option<HashMap<u32, (f32, f32)>>,
    /// The unit's vector, the scope's mean cosine and its span, to score any doc by meaning.
    pub sem_norm: Option<(Vec<f32>, f32, f32)>,
    /// The in-scope docs, ascending (empty when embeddings are off and tantivy chose).
    pub in_scope: Vec<u32>,
    pub lex_max: f32,
    pub lex_rank: HashMap<u32, usize>,
    pub sem_rank: HashMap<u32, usize>,
    pub qpairs: Vec<(u64, f32)>,
    /// Per lesson model that applies to the scope (by position in `Matcher::lessons`): the
    /// probability of each of its anchors for the unit.
    pub lesson: Vec<(usize, Vec<f32>)>,
}

/// Keep the `k` best of `(doc, score)`, best first (on a tie, the lower doc first). A lesson text
/// shares a word with most standards: selecting before sorting spares sorting them all.
pub(super) fn best_first(v: &mut Vec<(u32, f32)>, k: usize) {
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if k == 0 {
        v.clear();
        return;
    }
    if v.len() > k {
        v.select_nth_unstable_by(k - 1, order);
        v.truncate(k);
    }
    v.sort_by(order);
}

impl Matcher<'_> {
    /// The docs tantivy finds for the query in the unit's scope, at most `limit`.
    fn tantivy_docs(
        &self,
        q: &Query,
        fws: &[usize],
        grades: Option<crate::model::GradeRange>,
        limit: usize,
    ) -> Vec<u32> {
        let p = &self.params;
        let f = &self.fields;
        let fields = [
            (f.text, p.w_text),
            (f.cluster, p.w_cluster),
            (f.domain, p.w_domain),
            (f.notes, p.w_notes),
            (f.names, p.w_alias),
        ];
        // The query's most telling terms (weight x idf): a lesson text's long tail adds cost,
        // not candidates.
        let mut terms: Vec<(u32, f32)> = q.terms.iter().map(|&(t, w)| (t, w * self.store.idf(t))).collect();
        best_first(&mut terms, p.first_terms.max(1.0) as usize);
        let mut should: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (t, wi) in terms {
            let w = q.weight(t).unwrap_or(0.0);
            if w <= 0.0 || wi <= 0.0 {
                continue;
            }
            let stem = self.store.stem(t);
            for &(field, fw) in &fields {
                if fw > 0.0 {
                    let tq = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::WithFreqs);
                    should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), w * fw))));
                }
            }
        }
        if should.is_empty() || fws.is_empty() {
            return Vec::new();
        }
        let mut filter: Vec<(Occur, Box<dyn TQuery>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.alignable, "1"),
                IndexRecordOption::Basic,
            )),
        )];
        if fws.len() < self.store.meta.frameworks.len() {
            filter.push((
                Occur::Must,
                any_of(
                    fws.iter()
                        .map(|&i| Term::from_field_text(f.fw, &self.store.meta.frameworks[i].id)),
                ),
            ));
        }
        if let Some(g) = grades {
            filter.push((
                Occur::Must,
                any_of((g.lo.0..=g.hi.0).map(|g| Term::from_field_i64(f.grade, g as i64))),
            ));
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(should)) as Box<dyn TQuery>),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(filter)), 0.0)),
            ),
        ]);
        let Ok(top) = self
            .searcher
            .search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())
        else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let col = self.doc_cols.get(addr.segment_ord as usize).and_then(Option::as_ref);
            if let Some(d) = col.and_then(|c| c.first(addr.doc_id)) {
                out.push(d as u32);
            }
        }
        out
    }

    /// First stage: the best `max(keep, rerank)` standards by words, and as many by meaning.
    pub(super) fn candidates(&self, unit: &Unit, scope: &super::Scope, keep: usize) -> CandSet {
        let p = &self.params;
        let q = self.qb.query(self.store, unit, p);
        let fws = scope.frameworks_for(self.store, unit);
        let keep = keep.max(p.rerank as usize);
        let qpairs = features::query_pairs(self.store, &q);
        let want = (2 * keep).max(p.first_stage as usize);
        let in_scope: Option<Vec<u32>> =
            (p.first_stage <= 0.0 || p.w_embed > 0.0).then(|| scope.docs_for(self.store, unit));
        let lex_docs: Vec<u32> = if p.first_stage <= 0.0 {
            in_scope.clone().unwrap_or_default()
        } else {
            self.tantivy_docs(&q, &fws, scope.grades_for(unit), want)
        };
        let mut by_lex: Vec<(u32, f32)> = lex_docs
            .iter()
            .map(|&d| (d, features::bm25f(self.store, p, d, &q)))
            .filter(|x| x.1 > 0.0)
            .collect();
        best_first(&mut by_lex, 2 * keep);
        let mut lex = HashMap::default();
        for x in by_lex.iter_mut() {
            let pairs = features::pairs(self.store, x.0, &qpairs);
            lex.insert(x.0, (x.1 + p.w_phrase * pairs, pairs));
            x.1 += p.w_phrase * pairs;
        }
        by_lex.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let lex_rank: HashMap<u32, usize> = by_lex.iter().take(keep).enumerate().map(|(i, x)| (x.0, i)).collect();
        let lex_max = by_lex.first().map(|x| x.1).unwrap_or(0.0);
        let mut ids: Vec<u32> = by_lex.iter().take(keep).map(|x| x.0).collect();
        let mut sem_rank: HashMap<u32, usize> = HashMap::default();
        let mut sem = None;
        let mut sem_norm = None;
        let in_scope = in_scope.unwrap_or_default();
        if p.w_embed > 0.0 {
            let docs = &in_scope;
            let qv = self.unit_vector(unit);
            let mut map: HashMap<u32, (f32, f32)> = HashMap::default();
            if !docs.is_empty() && qv.iter().any(|x| *x != 0.0) {
                // A scope of at most `sem_scan` standards is compared whole; in a larger one, the
                // first stage's word candidates are ranked by meaning, and the scope's mean comes
                // from the stored sums (or a sample of `sem_scan` standards for a band of grades),
                // so that the cost per unit does not grow with the scope.
                let cap = (p.sem_scan.max(1.0) as usize).max(keep);
                let (pool, mean) = if docs.len() <= cap {
                    (docs.clone(), None)
                } else {
                    let mut pool = lex_docs.clone();
                    pool.sort_unstable();
                    pool.dedup();
                    // The scope's mean: exact from the stored sums when the scope is whole
                    // frameworks or one grade of them, else from every k-th standard.
                    let stored = match scope.grades_for(unit) {
                        None => self.store.mean_cos(&fws, None, &qv),
                        Some(g) if g.lo == g.hi => self.store.mean_cos(&fws, Some(g.lo), &qv),
                        Some(_) => None,
                    };
                    let mean = stored.unwrap_or_else(|| {
                        let step = docs.len().div_ceil(cap);
                        let sample: Vec<u32> = docs.iter().step_by(step).copied().collect();
                        sample.iter().map(|&d| self.store.cos(d, &qv)).sum::<f32>() / sample.len().max(1) as f32
                    });
                    (pool, Some(mean))
                };
                let docs = &pool;
                let cos: Vec<f32> = docs.iter().map(|&d| self.store.cos(d, &qv)).collect();
                let mean = match mean {
                    Some(m) => m,
                    None if docs.len() > 1 => cos.iter().sum::<f32>() / cos.len() as f32,
                    None => self.mean_baseline(),
                };
                let span = (1.0 - mean).max(1e-3);
                let rel = |c: f32| ((c - mean) / span).clamp(0.0, 1.0);
                let mut by_sem: Vec<(u32, f32)> = docs.iter().copied().zip(cos.iter().copied()).collect();
                best_first(&mut by_sem, keep);
                for (i, &(d, c)) in by_sem.iter().enumerate() {
                    sem_rank.insert(d, i);
                    map.insert(d, (c, rel(c)));
                    if !ids.contains(&d) {
                        ids.push(d);
                    }
                }
                for &d in &ids {
                    map.entry(d).or_insert_with(|| {
                        let c = self.store.cos(d, &qv);
                        (c, rel(c))
                    });
                }
                sem_norm = Some((qv, mean, span));
            }
            sem = Some(map);
        }
        // The lesson models of the scope's frameworks: their likeliest anchors' standards are
        // candidates too (a lesson's routine may share no word with them).
        let mut lesson = Vec::new();
        if p.w_lesson > 0.0 {
            for (k, ls) in self.lessons.iter().enumerate().filter(|(_, ls)| fws.contains(&ls.fw)) {
                let probs = ls.model.probs(&unit.title, &unit.text);
                let mut order: Vec<usize> = (0..probs.len()).collect();
                order.sort_by(|a, b| probs[*b].total_cmp(&probs[*a]).then(a.cmp(b)));
                let best: Vec<u16> = order.iter().take(LESSON_ANCHORS).map(|&i| i as u16).collect();
                for &d in &in_scope {
                    if ls.docs.contains(&d)
                        && ls.anchor[(d - ls.docs.start) as usize].is_some_and(|a| best.contains(&a))
                        && !ids.contains(&d)
                    {
                        ids.push(d);
                    }
                }
                lesson.push((k, probs));
            }
        }
        CandSet {
            lesson,
            q,
            ids,
            lex,
            sem,
            sem_norm,
            lex_max,
            lex_rank,
            sem_rank,
            qpairs,
            in_scope,
        }
    }
}

fn any_of(terms: impl Iterator<Item = Term>) -> Box<dyn TQuery> {
    let subs: Vec<(Occur, Box<dyn TQuery>)> = terms
        .map(|t| {
            (
                Occur::Should,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn TQuery>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(subs))
}
