//! Coverage: which standards of a scope (frameworks x grades) a curriculum addresses, how strongly,
//! and by which units; rolled up per cluster, domain and grade; the gaps; the units that address
//! nothing; the claims that are off grade.
//!
//! Counting rules:
//! - The counted standards are the alignable nodes of the scope (standards, NGSS performance
//!   expectations, state objectives), not sub-standards: a match to 4.MD.C.5a counts for 4.MD.C.5.
//!   Practices and headings are not counted.
//! - A standard is *covered* when some unit matches it (or one of its sub-standards) with a score
//!   of at least `min_score`, or claims it with a text that supports the claim; *weak* when its
//!   best score is at least [`WEAK_FLOOR`] but below `min_score`; otherwise it is a *gap*.
//! - A unit is *unaligned* when neither it nor any entry under it (a chapter's lessons) reaches
//!   `min_score` for any standard.
//! - Percentages are covered / counted standards x 100, rounded to one decimal.

use crate::align::{ClaimStatus, UnitAlignment};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{Grade, GradeRange, Kind, Unit};
use serde::Serialize;
use std::collections::BTreeMap;

/// Best scores below this do not count as addressing a standard at all.
pub const WEAK_FLOOR: f32 = 0.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Gap,
    Weak,
    Covered,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Weak => "weak",
            Status::Gap => "gap",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StandardCoverage {
    pub r: Ref,
    pub status: Status,
    pub best: f32,
    /// Units that address it (score >= WEAK_FLOOR, or a supported claim), best first:
    /// (unit position, score).
    pub units: Vec<(usize, f32)>,
    /// Some unit claims it and its text supports the claim.
    pub claimed: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rollup {
    /// The cluster's or domain's code (or the grade label).
    pub key: String,
    /// The heading's text (or `Grade 4`).
    pub label: String,
    pub standards: usize,
    pub covered: usize,
    pub weak: usize,
    pub gaps: usize,
    /// covered / standards x 100.
    pub pct: f64,
}

#[derive(Debug, Clone)]
pub struct Coverage {
    pub frameworks: Vec<usize>,
    pub grades: Option<GradeRange>,
    pub min_score: f32,
    pub standards: Vec<StandardCoverage>,
    pub by_grade: Vec<Rollup>,
    pub by_domain: Vec<Rollup>,
    pub by_cluster: Vec<Rollup>,
    /// Units that address nothing (themselves and their sub-entries).
    pub unaligned: Vec<usize>,
    /// (unit, claim) for claims of a standard off the unit's grade.
    pub off_grade: Vec<(usize, usize)>,
    /// Count of claims per status.
    pub claims: BTreeMap<&'static str, usize>,
}

impl Coverage {
    pub fn total(&self) -> usize {
        self.standards.len()
    }
    pub fn count(&self, s: Status) -> usize {
        self.standards.iter().filter(|x| x.status == s).count()
    }
    pub fn pct(&self) -> f64 {
        pct(self.count(Status::Covered), self.total())
    }
    pub fn gaps(&self) -> impl Iterator<Item = &StandardCoverage> {
        self.standards.iter().filter(|x| x.status == Status::Gap)
    }
}

pub fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 * 1000.0 / d as f64).round() / 10.0
    }
}

/// The node a match counts for: a sub-standard counts for its parent standard.
pub fn counted_node(c: &Corpus, r: Ref) -> Ref {
    let s = c.standard(r);
    if s.kind == Kind::Component {
        if let Some(p) = s.parent {
            if c.frameworks[r.fw].standards[p].kind.is_alignable() {
                return Ref { fw: r.fw, idx: p };
            }
        }
    }
    r
}

/// The standards that coverage counts in a scope.
pub fn counted_standards(c: &Corpus, frameworks: &[usize], grades: Option<GradeRange>) -> Vec<Ref> {
    let mut out = Vec::new();
    for &f in frameworks {
        for (i, s) in c.frameworks[f].standards.iter().enumerate() {
            let r = Ref { fw: f, idx: i };
            if s.kind.is_alignable() && counted_node(c, r) == r && grades.is_none_or(|g| g.overlaps(&s.grades)) {
                out.push(r);
            }
        }
    }
    out
}

/// Compute coverage of `frameworks` x `grades` by the aligned units.
pub fn compute(
    c: &Corpus,
    units: &[Unit],
    al: &[UnitAlignment],
    frameworks: &[usize],
    grades: Option<GradeRange>,
    min_score: f32,
) -> Coverage {
    let counted = counted_standards(c, frameworks, grades);
    let pos: rustc_hash::FxHashMap<Ref, usize> = counted.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut cov: Vec<StandardCoverage> = counted
        .iter()
        .map(|&r| StandardCoverage {
            r,
            status: Status::Gap,
            best: 0.0,
            units: Vec::new(),
            claimed: false,
        })
        .collect();
    let mut unit_best = vec![0f32; units.len()];
    for a in al {
        for m in &a.matches {
            unit_best[a.unit] = unit_best[a.unit].max(m.score);
            let Some(&i) = pos.get(&counted_node(c, m.r)) else {
                continue;
            };
            let sc = &mut cov[i];
            sc.best = sc.best.max(m.score);
            if m.score >= WEAK_FLOOR {
                match sc.units.iter_mut().find(|(u, _)| *u == a.unit) {
                    Some(x) => x.1 = x.1.max(m.score),
                    None => sc.units.push((a.unit, m.score)),
                }
            }
        }
    }
    // A claim the unit's text supports counts too: the publisher says the unit teaches it and the
    // text agrees.
    for a in al {
        for ch in a.claims.iter().filter(|ch| ch.status == ClaimStatus::Supported) {
            for r in &ch.resolved {
                let Some(&i) = pos.get(&counted_node(c, *r)) else {
                    continue;
                };
                let sc = &mut cov[i];
                sc.claimed = true;
                if !sc.units.iter().any(|(u, _)| *u == a.unit) {
                    sc.units.push((a.unit, ch.score.unwrap_or(0.0)));
                }
            }
        }
    }
    for sc in &mut cov {
        sc.status = if sc.best >= min_score || sc.claimed {
            Status::Covered
        } else if sc.best >= WEAK_FLOOR {
            Status::Weak
        } else {
            Status::Gap
        };
        sc.units.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    // A unit's best includes its sub-entries' (a chapter is aligned when its lessons are).
    let mut rolled = unit_best.clone();
    for i in (0..units.len()).rev() {
        if let Some(p) = units[i].parent.filter(|&p| p < units.len()) {
            rolled[p] = rolled[p].max(rolled[i]);
        }
    }
    let unaligned = (0..units.len()).filter(|&i| rolled[i] < min_score).collect();
    let mut off_grade = Vec::new();
    let mut claims: BTreeMap<&'static str, usize> = BTreeMap::new();
    for a in al {
        for (k, ch) in a.claims.iter().enumerate() {
            *claims.entry(ch.status.as_str()).or_default() += 1;
            if ch.status == ClaimStatus::OffGrade {
                off_grade.push((a.unit, k));
            }
        }
    }
    // Clusters by their node; domains by the grade's domain code (CCSS math groups a domain
    // across grades: "Measurement and Data" holds K.MD ... 5.MD); grades by grade.
    let heading = |sc: &StandardCoverage, kind: Kind| {
        let h = c.frameworks[sc.r.fw].ancestor_of_kind(sc.r.idx, kind)?;
        let hr = Ref { fw: sc.r.fw, idx: h };
        Some((hr, heading_key(c, hr, sc.r, kind)))
    };
    let cluster_of = |sc: &StandardCoverage| {
        let h = c.frameworks[sc.r.fw].ancestor_of_kind(sc.r.idx, Kind::Cluster)?;
        Some((sc.r.fw, h as i64, String::new()))
    };
    let mut by_cluster = rollup(&cov, cluster_of, |sc| {
        let (hr, key) = heading(sc, Kind::Cluster).expect("the standard has a cluster");
        (key, c.standard(hr).text.clone())
    });
    let mut by_domain = rollup(
        &cov,
        |sc| heading(sc, Kind::Domain).map(|(hr, key)| (hr.fw, 0, key)),
        |sc| {
            let (hr, key) = heading(sc, Kind::Domain).expect("the standard has a domain");
            (key, c.standard(hr).text.clone())
        },
    );
    // Publisher's order: by the first counted standard of each group, then by code. A domain's
    // first standard is found in one pass over the standards (each code's segment prefixes looked
    // up among the domain keys), and a cluster's domain the same way from its key.
    let mut dom_first: rustc_hash::FxHashMap<String, usize> =
        by_domain.iter().map(|d| (d.key.clone(), usize::MAX)).collect();
    for (i, sc) in cov.iter().enumerate() {
        for p in segment_prefixes(c.standard(sc.r).display_code()) {
            if let Some(f) = dom_first.get_mut(p) {
                *f = (*f).min(i);
            }
        }
    }
    let first_of = |key: &str| {
        segment_prefixes(key)
            .filter_map(|p| dom_first.get(p).copied())
            .min()
            .unwrap_or(usize::MAX)
    };
    by_domain.sort_by_cached_key(|d| (dom_first[&d.key], d.key.clone()));
    by_cluster.sort_by_cached_key(|r| (first_of(&r.key), r.key.clone()));
    let by_grade: Vec<Rollup> = {
        let per_grade: Vec<(&StandardCoverage, Grade)> = cov
            .iter()
            .flat_map(|sc| c.standard(sc.r).grades.iter().map(move |g| (sc, *g)))
            .filter(|(_, g)| grades.is_none_or(|gr| gr.contains(*g)))
            .collect();
        let mut m: BTreeMap<Grade, Rollup> = BTreeMap::new();
        for (sc, g) in &per_grade {
            tally(
                m.entry(*g)
                    .or_insert_with(|| Rollup::new(g.label(), format!("Grade {}", g.label()))),
                sc.status,
            );
        }
        m.into_values().map(Rollup::finish).collect()
    };
    Coverage {
        frameworks: frameworks.to_vec(),
        grades,
        min_score,
        standards: cov,
        by_grade,
        by_domain,
        by_cluster,
        unaligned,
        off_grade,
        claims,
    }
}

/// The heading codes a code starts with, segment-wise: `4.NF.B.3` -> `4`, `4.NF`, `4.NF.B`,
/// `4.NF.B.3` (never `4.N`); segments end at `.` and `-`.
fn segment_prefixes(code: &str) -> impl Iterator<Item = &str> {
    code.match_indices(['.', '-'])
        .map(move |(i, _)| &code[..i])
        .chain(std::iter::once(code))
}

fn tally(e: &mut Rollup, s: Status) {
    e.standards += 1;
    match s {
        Status::Covered => e.covered += 1,
        Status::Weak => e.weak += 1,
        Status::Gap => e.gaps += 1,
    }
}

/// Code for a heading; for a heading without one, the first segments of the standard's code.
fn heading_key(c: &Corpus, h: Ref, s: Ref, kind: Kind) -> String {
    if let Some(code) = &c.standard(h).code {
        return code.clone();
    }
    let code = c.standard(s).display_code();
    let keep = if kind == Kind::Domain { 2 } else { 3 };
    let segs: Vec<&str> = code.split('.').collect();
    if segs.len() > keep {
        segs[..keep].join(".")
    } else {
        c.standard(h).text.clone()
    }
}

/// Group the counted standards by `group` (a sort key), tallied; `name` gives a group's key and
/// label from its first standard.
fn rollup<K: Ord>(
    cov: &[StandardCoverage],
    group: impl Fn(&StandardCoverage) -> Option<K>,
    name: impl Fn(&StandardCoverage) -> (String, String),
) -> Vec<Rollup> {
    let mut m: BTreeMap<K, Rollup> = BTreeMap::new();
    for sc in cov {
        if let Some(k) = group(sc) {
            tally(
                m.entry(k).or_insert_with(|| {
                    let (key, label) = name(sc);
                    Rollup::new(key, label)
                }),
                sc.status,
            );
        }
    }
    m.into_values().map(Rollup::finish).collect()
}

impl Rollup {
    fn new(key: String, label: String) -> Rollup {
        Rollup {
            key,
            label,
            standards: 0,
            covered: 0,
            weak: 0,
            gaps: 0,
            pct: 0.0,
        }
    }

    fn finish(mut self) -> Rollup {
        self.pct = pct(self.covered, self.standards);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Framework, Standard};

    #[test]
    fn segment_prefixes_end_at_dots_and_dashes() {
        let p: Vec<&str> = segment_prefixes("HSA-REI.B.3").collect();
        assert_eq!(p, ["HSA", "HSA-REI", "HSA-REI.B", "HSA-REI.B.3"]);
        assert_eq!(segment_prefixes("4").collect::<Vec<_>>(), ["4"]);
    }

    /// 50,000 standards in 5,000 domains of one cluster each, the domains in the document in an
    /// order that is not their codes' order: the roll-ups follow the document.
    #[test]
    fn rollups_of_a_large_scope_follow_the_document_order() {
        const DOMAINS: usize = 5_000;
        const PER: usize = 10;
        let mut standards = Vec::new();
        // A permutation of the domain numbers (7,919 is prime to 5,000).
        let order: Vec<usize> = (0..DOMAINS).map(|i| (i * 7_919) % DOMAINS).collect();
        for &d in &order {
            let dom = standards.len();
            let mut h = Standard::new(format!("urn:d{d}"), Kind::Domain, format!("Domain {d}"));
            h.code = Some(format!("X{d}"));
            standards.push(h);
            let cl = standards.len();
            let mut h = Standard::new(format!("urn:d{d}c"), Kind::Cluster, format!("Cluster {d}"));
            h.code = Some(format!("X{d}.A"));
            h.parent = Some(dom);
            standards.push(h);
            for k in 0..PER {
                let mut s = Standard::new(format!("urn:d{d}s{k}"), Kind::Standard, format!("Standard {d} {k}"));
                s.code = Some(format!("X{d}.A.{k}"));
                s.parent = Some(cl);
                s.grades = vec![Grade(4)];
                standards.push(s);
            }
        }
        let mut fw = Framework {
            id: "big".into(),
            title: "Big".into(),
            jurisdiction: String::new(),
            subject: "math".into(),
            source: String::new(),
            license: String::new(),
            standards,
            warnings: Vec::new(),
        };
        fw.link_children();
        let c = Corpus::new(vec![fw]);
        let cov = compute(&c, &[], &[], &[0], None, 0.4);
        assert_eq!(cov.total(), DOMAINS * PER);
        let want: Vec<String> = order.iter().map(|d| format!("X{d}")).collect();
        let got: Vec<&str> = cov.by_domain.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(got, want);
        let got: Vec<&str> = cov.by_cluster.iter().map(|r| r.key.as_str()).collect();
        let want: Vec<String> = order.iter().map(|d| format!("X{d}.A")).collect();
        assert_eq!(got, want);
        assert!(cov.by_domain.iter().all(|r| r.standards == PER && r.gaps == PER));
    }
}
