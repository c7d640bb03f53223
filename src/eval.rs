//! Evaluation against a publisher's alignments: recall@k, MRR and the near-miss rate, overall and
//! per grade.
//!
//! Scoring rule (that of `shared/eval/README.md`): an item is a hit at k when one of the first k
//! suggested standards equals one of the publisher's standards at the publisher's depth — a
//! suggested sub-standard (4.MD.C.5.a) counts for its standard (4.MD.C.5), and a suggested standard
//! counts for its cluster (or domain) when the publisher gave only that. A near miss is an item
//! whose first suggestion is wrong but lies in the cluster of one of the publisher's standards.
//! Items whose publisher codes resolve to nothing in scope are counted apart (`unresolved`), and
//! so are items with no code at all (`no_codes`: a table of contents' chapters, say).
//! On request, every item's outcome is kept too: its publisher codes, the suggestions and the rank
//! of the first that agrees — the list a committee reads to see where a correlation is doubtful.

use crate::align::{Matcher, Scope};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{Kind, Unit};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The depths at which recall is reported.
pub const KS: [usize; 3] = [1, 5, 10];

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    pub items: usize,
    pub recall_at_1: f64,
    pub recall_at_5: f64,
    pub recall_at_10: f64,
    pub mrr: f64,
    /// Share of items whose first suggestion is in the right cluster but is the wrong standard.
    pub near_miss: f64,
    /// Share of items whose first suggestion is in one of the publisher's strands or domains
    /// (CCSS ELA: RL, RI, W...; math: 4.NF...; NGSS: its topic).
    pub strand_accuracy: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub overall: Metrics,
    /// Per grade label of the items (`K`, `1`, ..., `HS`).
    pub by_grade: BTreeMap<String, Metrics>,
    /// Items whose publisher codes resolve to no standard in scope (left out of the metrics).
    pub unresolved: Vec<String>,
    /// Items without any publisher code (left out of the metrics).
    pub no_codes: Vec<String>,
    /// Per grade label: the standards an audit of the items finds (top 5 matches per item, score
    /// at least `min_score`, claims not read) against those the publisher's items name.
    pub coverage: BTreeMap<String, CoverageAgreement>,
    /// Every scored item's outcome, in file order; present only when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ItemOutcome>>,
}

/// The standards an audit finds against the standards a publisher names (sub-standards counted
/// for their standard, as in an audit).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CoverageAgreement {
    pub min_score: f32,
    /// Standards the publisher's items name.
    pub publisher: usize,
    /// Standards the audit counts as covered.
    pub covered: usize,
    /// Covered and named.
    pub both: usize,
    /// both / publisher.
    pub recall: f64,
    /// both / covered.
    pub precision: f64,
}

/// How the suggestions for one item compare with its publisher's standards.
#[derive(Debug, Clone, Serialize)]
pub struct ItemOutcome {
    pub id: String,
    pub title: String,
    /// The publisher's standards, as the framework writes their codes.
    pub publisher: Vec<String>,
    /// aligner's suggestions, best first (at most 10).
    pub suggested: Vec<String>,
    /// Their scores.
    pub scores: Vec<f32>,
    /// Whether each agrees with one of the publisher's standards.
    pub agrees: Vec<bool>,
    /// 1-based rank of the first suggestion that agrees with the publisher; null when none of the
    /// suggestions does.
    pub first_agreeing: Option<usize>,
    /// The first suggestion is wrong but in the cluster of one of the publisher's standards.
    pub near_miss: bool,
}

/// Running counts over a group of items.
#[derive(Debug, Clone, Default)]
struct Tally {
    n: usize,
    hits: [usize; 3],
    rr: f64,
    near: usize,
    strand: usize,
}

impl Tally {
    fn metrics(&self) -> Metrics {
        let n = self.n.max(1) as f64;
        let r = |x: usize| round4(x as f64 / n);
        Metrics {
            items: self.n,
            recall_at_1: r(self.hits[0]),
            recall_at_5: r(self.hits[1]),
            recall_at_10: r(self.hits[2]),
            mrr: round4(self.rr / n),
            near_miss: r(self.near),
            strand_accuracy: r(self.strand),
        }
    }
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// Does suggestion `s` count for the publisher's standard `g`?
pub fn hits(corpus: &Corpus, s: Ref, g: Ref) -> bool {
    s == g || (s.fw == g.fw && corpus.ancestors(s).contains(&g))
}

/// The strand (domain) a standard is in: its domain heading, else the strand its code names
/// (the scope's rule, [`crate::align::scope::strand_of`]: `RL.3.2` -> `RL`), else its own code.
fn strand_of(corpus: &Corpus, r: Ref) -> String {
    let fw = &corpus.frameworks[r.fw];
    if let Some(d) = fw.ancestor_of_kind(r.idx, Kind::Domain) {
        return format!("#{d}");
    }
    let code = corpus.standard(r).display_code();
    crate::align::scope::strand_of(code).unwrap_or(code).to_string()
}

fn cluster_of(corpus: &Corpus, r: Ref) -> Option<Ref> {
    let fw = &corpus.frameworks[r.fw];
    fw.ancestor_of_kind(r.idx, Kind::Cluster)
        .map(|idx| Ref { fw: r.fw, idx })
}

/// Label used to group items by grade: the unit's grade or band as written.
fn grade_label(u: &Unit) -> String {
    match u.grade {
        Some(g) if g.lo.0 >= 9 => "HS".to_string(),
        Some(g) => g.to_string(),
        None => "-".to_string(),
    }
}

/// The standards an item's publisher gave (its claimed codes, resolved in framework `fw`).
fn gold_of(c: &Corpus, u: &Unit, fw: Option<usize>) -> Vec<Ref> {
    c.resolve_unit_claims(u, fw).into_iter().flat_map(|c| c.refs).collect()
}

/// Match every item and score the suggestions against the publisher's standards; with
/// `keep_items`, also report each item's outcome.
pub fn evaluate(
    m: &Matcher,
    corpus: &crate::corpus::Corpus,
    items: &[Unit],
    scope: &Scope,
    strands: &crate::align::scope::StrandScope,
    min_score: f32,
    keep_items: bool,
) -> EvalReport {
    let fw = scope.single_framework();
    let mut overall = Tally::default();
    let mut by: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unresolved = Vec::new();
    let mut no_codes = Vec::new();
    let mut outcomes = Vec::new();
    let depth = *KS.iter().max().unwrap();
    // Per grade label: (named by the publisher, covered by the audit rule).
    let mut cov: BTreeMap<String, (BTreeSet<Ref>, BTreeSet<Ref>)> = BTreeMap::new();
    for u in items {
        if u.claimed.is_empty() {
            no_codes.push(u.id.clone());
            continue;
        }
        let gold = gold_of(corpus, u, fw);
        if gold.is_empty() {
            unresolved.push(u.id.clone());
            continue;
        }
        let sugg = crate::align::plan::match_in_scope(m, u, scope, strands, depth);
        let agrees: Vec<bool> = sugg
            .iter()
            .map(|s| gold.iter().any(|g| hits(corpus, s.r, *g)))
            .collect();
        let first_hit = agrees.iter().position(|&a| a);
        let near = first_hit != Some(0)
            && sugg
                .first()
                .and_then(|s| cluster_of(corpus, s.r))
                .is_some_and(|c| gold.iter().any(|g| cluster_of(corpus, *g) == Some(c) || *g == c));
        let counted = |r: Ref| crate::report::coverage::counted_node(corpus, r);
        let cv = cov.entry(grade_label(u)).or_default();
        cv.0.extend(gold.iter().map(|g| counted(*g)));
        cv.1.extend(
            sugg.iter()
                .take(5)
                .filter(|s| s.score >= min_score)
                .map(|s| counted(s.r)),
        );
        let strand_hit = sugg.first().is_some_and(|s| {
            let st = strand_of(corpus, s.r);
            gold.iter().any(|g| strand_of(corpus, *g) == st)
        });
        for t in [&mut overall, by.entry(grade_label(u)).or_default()] {
            t.n += 1;
            t.strand += strand_hit as usize;
            for (i, k) in KS.iter().enumerate() {
                if first_hit.is_some_and(|p| p < *k) {
                    t.hits[i] += 1;
                }
            }
            if let Some(p) = first_hit {
                t.rr += 1.0 / (p as f64 + 1.0);
            }
            if near {
                t.near += 1;
            }
        }
        if keep_items {
            let code = |r: Ref| corpus.standard(r).display_code().to_string();
            outcomes.push(ItemOutcome {
                id: u.id.clone(),
                title: u.title.clone(),
                publisher: gold.iter().map(|g| code(*g)).collect(),
                suggested: sugg.iter().map(|s| code(s.r)).collect(),
                scores: sugg.iter().map(|s| (s.score * 1000.0).round() / 1000.0).collect(),
                agrees,
                first_agreeing: first_hit.map(|p| p + 1),
                near_miss: near,
            });
        }
    }
    EvalReport {
        overall: overall.metrics(),
        by_grade: by.into_iter().map(|(k, t)| (k, t.metrics())).collect(),
        unresolved,
        no_codes,
        coverage: cov
            .into_iter()
            .map(|(k, (named, covered))| {
                let both = named.intersection(&covered).count();
                let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { round4(a as f64 / b as f64) };
                let agreement = CoverageAgreement {
                    min_score,
                    publisher: named.len(),
                    covered: covered.len(),
                    both,
                    recall: ratio(both, named.len()),
                    precision: ratio(both, covered.len()),
                };
                (k, agreement)
            })
            .collect(),
        items: keep_items.then_some(outcomes),
    }
}

/// One training row for the reranker: a candidate standard of an item, its features, and whether
/// it counts as a hit for the item.
#[derive(Debug, Serialize)]
pub struct FeatureRow<'a> {
    pub item: &'a str,
    pub code: String,
    pub hit: bool,
    pub f: Vec<f32>,
}

/// Every item's candidates with their features (see `scripts/train-reranker.py`).
pub fn feature_rows<'a>(
    m: &Matcher,
    corpus: &crate::corpus::Corpus,
    items: &'a [Unit],
    scope: &Scope,
    keep: usize,
) -> Vec<FeatureRow<'a>> {
    let fw = scope.single_framework();
    let mut out = Vec::new();
    for u in items {
        let gold = gold_of(corpus, u, fw);
        if gold.is_empty() {
            continue;
        }
        for (r, f) in m.candidate_features(u, scope, keep) {
            out.push(FeatureRow {
                item: &u.id,
                code: corpus.standard(r).display_code().to_string(),
                hit: gold.iter().any(|g| hits(corpus, r, *g)),
                f: f.to_vec(),
            });
        }
    }
    out
}
