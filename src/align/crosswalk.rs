//! Crosswalks between frameworks: for each counted standard of one framework, its ranked
//! counterparts in another, each with a calibrated score and a relation ([`Relation`]:
//! `exact_match` from [`EXACT_MATCH`], `related` from [`RELATED`]; below that a counterpart is not
//! listed); and, for prospective coverage, a program's claimed codes carried over through the
//! crosswalk into the audited framework ([`carry_claims`]).
//!
//! Method: each source standard becomes a synthetic [`Unit`] (id = its code, title = its
//! statement, context = its headings, outermost first, grade = its grade band, no subject: the
//! scope names the target framework) and the batch is matched with [`plan::align_all`] against
//! the target framework, every strand of it in scope (a science expectation's counterparts are
//! often in the literacy strands RST and WHST, which an audit leaves out by default). The engine
//! is the one `match` and `audit` run; no rule is specific to a pair of frameworks.

use super::plan::{self, ScopeRequest};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::index::Library;
use crate::model::{grades_label, GradeRange, Kind, Unit, UnitRole};
use crate::report::coverage::{counted_standards, pct};

/// A counterpart's calibrated score from which it is an `exact_match`: the score of a `strong`
/// match. Two folds of the NGSS -> CCSS links (`examples/crosswalk_agreement.rs`, README
/// "aligner crosswalk") hold too few pairs this high to move it.
pub const EXACT_MATCH: f32 = 0.6;

/// A counterpart's calibrated score from which it is `related` (the score of a `moderate` match,
/// which the two folds' choices, 0.35 and 0.45, bracket from below); below it a counterpart is
/// not listed.
pub const RELATED: f32 = 0.35;

/// How a source standard relates to a counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// The counterpart states the same expectation: score at least [`EXACT_MATCH`].
    ExactMatch,
    /// The counterpart addresses part of it or something near it: at least [`RELATED`].
    Related,
}

impl Relation {
    /// The name in aligner's own formats: `exact_match`, `related`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::ExactMatch => "exact_match",
            Relation::Related => "related",
        }
    }

    /// The CASE 1.0 association type: `exactMatchOf`, `isRelatedTo`.
    pub fn case_type(self) -> &'static str {
        match self {
            Relation::ExactMatch => "exactMatchOf",
            Relation::Related => "isRelatedTo",
        }
    }
}

/// The score thresholds of the relations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub exact: f32,
    pub related: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            exact: EXACT_MATCH,
            related: RELATED,
        }
    }
}

impl Thresholds {
    /// The relation a score earns, if any.
    pub fn relation(&self, score: f32) -> Option<Relation> {
        if score >= self.exact {
            Some(Relation::ExactMatch)
        } else if score >= self.related {
            Some(Relation::Related)
        } else {
            None
        }
    }
}

/// One ranked counterpart of a source standard.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterpart {
    pub r: Ref,
    /// Calibrated, 0..1.
    pub score: f32,
    /// `None` below [`Thresholds::related`]: ranked, but not listed. A reviewer's rejection
    /// unlists it; an acceptance lists it (at least `related`) whatever its score.
    pub relation: Option<Relation>,
    /// A reviewer's decision on the pair (`--decisions`, the source standard's code as `unit`).
    pub reviewed: Option<crate::review::Reviewed>,
}

/// A source standard and its counterparts, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub standard: Ref,
    /// Every ranked counterpart (at most `top`), the unlisted ones too.
    pub ranked: Vec<Counterpart>,
}

impl Row {
    /// The listed counterparts: those with a relation.
    pub fn listed(&self) -> impl Iterator<Item = &Counterpart> {
        self.ranked.iter().filter(|c| c.relation.is_some())
    }

    pub fn matched(&self) -> bool {
        self.listed().next().is_some()
    }

    pub fn exact(&self) -> bool {
        self.ranked.iter().any(|c| c.relation == Some(Relation::ExactMatch))
    }
}

/// A crosswalk request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Source framework id.
    pub from: String,
    /// Target framework id.
    pub to: String,
    /// Only the source standards of these grades.
    pub grades: Option<GradeRange>,
    /// How many counterparts to rank per standard.
    pub top: usize,
    pub thresholds: Thresholds,
}

/// A crosswalk from one framework to another.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    pub from: usize,
    pub to: usize,
    pub grades: Option<GradeRange>,
    pub thresholds: Thresholds,
    /// One per counted source standard, in the source framework's order.
    pub rows: Vec<Row>,
    /// What the reviewers' decisions did, when some were given.
    pub applied: Option<crate::review::Applied>,
}

/// A roll-up row: the share of source standards with a listed counterpart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Share {
    pub key: String,
    pub label: String,
    pub standards: usize,
    pub matched: usize,
    pub exact: usize,
    /// matched / standards x 100, one decimal.
    pub pct: f64,
}

impl Crosswalk {
    /// The whole crosswalk as one roll-up row.
    pub fn summary(&self) -> Share {
        share(String::new(), String::new(), self.rows.iter())
    }

    /// Per top-level heading of the source framework (its domain, strand or topic: the outermost
    /// heading above a standard), in the framework's order.
    pub fn by_domain(&self, c: &Corpus) -> Vec<Share> {
        self.rollup(|r| domain_of(c, r.standard))
    }

    /// Per grade label of the source standards (`4`, `6-8`, `9-12`), lowest first.
    pub fn by_grade(&self, c: &Corpus) -> Vec<Share> {
        let mut rows = self.rollup(|r| {
            let l = grades_label(&c.standard(r.standard).grades);
            (l.clone(), l)
        });
        let first = |s: &Share| {
            self.rows
                .iter()
                .filter(|r| grades_label(&c.standard(r.standard).grades) == s.key)
                .filter_map(|r| c.standard(r.standard).grades.first().copied())
                .min()
        };
        rows.sort_by_key(|s| (first(s), s.key.clone()));
        rows
    }

    fn rollup(&self, key: impl Fn(&Row) -> (String, String)) -> Vec<Share> {
        let mut order: Vec<(String, String)> = Vec::new();
        for r in &self.rows {
            let k = key(r);
            if !order.contains(&k) {
                order.push(k);
            }
        }
        order
            .into_iter()
            .map(|(k, label)| share(k.clone(), label, self.rows.iter().filter(|r| key(r).0 == k)))
            .collect()
    }
}

fn share<'a>(key: String, label: String, rows: impl Iterator<Item = &'a Row>) -> Share {
    let (mut standards, mut matched, mut exact) = (0, 0, 0);
    for r in rows {
        standards += 1;
        matched += usize::from(r.matched());
        exact += usize::from(r.exact());
    }
    Share {
        key,
        label,
        standards,
        matched,
        exact,
        pct: pct(matched, standards),
    }
}

/// The outermost heading above a standard (key: its code, else its text; label: its text).
pub fn domain_of(c: &Corpus, r: Ref) -> (String, String) {
    let fw = &c.frameworks[r.fw];
    match fw.parents(r.idx).filter(|&a| fw.standards[a].kind.is_heading()).last() {
        Some(h) => {
            let s = &fw.standards[h];
            let label = s.text.clone();
            (s.code.clone().unwrap_or_else(|| label.clone()), label)
        }
        None => (String::new(), String::new()),
    }
}

/// Run a crosswalk: the counted standards of `from` (as coverage counts them, with the default
/// strand rule; within `grades`) matched against `to`. Unknown ids and an empty source scope are
/// errors.
pub fn crosswalk(lib: &Library, req: &Request, decisions: Option<&crate::review::Decisions>) -> Result<Crosswalk> {
    let c = lib.corpus()?;
    let from = c.framework_pos(&req.from)?;
    let to = c.framework_pos(&req.to)?;
    let strands = super::scope::Strands::from_request(&[], &[]);
    let refs = counted_standards(c, &[from], req.grades, &strands);
    if refs.is_empty() {
        return Err(Error::Usage(format!(
            "no standard of {}{} to crosswalk: the scope is empty; choose another --from or --grade",
            c.frameworks[from].id,
            req.grades.map(|g| format!(" in grade {g}")).unwrap_or_default()
        )));
    }
    let (rows, applied) = counterparts(lib, &refs, to, req.top, req.thresholds, decisions)?;
    Ok(Crosswalk {
        from,
        to,
        grades: req.grades,
        thresholds: req.thresholds,
        rows,
        applied,
    })
}

/// The synthetic unit a source standard is matched as.
pub fn unit_of(c: &Corpus, r: Ref) -> Unit {
    let fw = &c.frameworks[r.fw];
    let s = c.standard(r);
    let mut context: Vec<String> = fw
        .headings(r.idx)
        .map(|h| fw.standards[h].text.clone())
        .filter(|t| !t.trim().is_empty())
        .collect();
    context.reverse();
    let grade = match (s.grades.first(), s.grades.last()) {
        (Some(&lo), Some(&hi)) => Some(GradeRange { lo, hi }),
        _ => None,
    };
    Unit {
        id: s.display_code().to_string(),
        title: s.text.clone(),
        text: String::new(),
        grade,
        subject: None,
        claimed: Vec::new(),
        parent: None,
        context,
        origin: format!("{}:{}", fw.id, s.display_code()),
        page: None,
        role: UnitRole::Lesson,
    }
}

/// The ranked counterparts in framework `to` of each standard of `refs`, in order, with the
/// reviewers' decisions applied (each source standard is a unit whose id is its code).
pub fn counterparts(
    lib: &Library,
    refs: &[Ref],
    to: usize,
    top: usize,
    th: Thresholds,
    decisions: Option<&crate::review::Decisions>,
) -> Result<(Vec<Row>, Option<crate::review::Applied>)> {
    let c = lib.corpus()?;
    let units: Vec<Unit> = refs.iter().map(|&r| unit_of(c, r)).collect();
    let req = ScopeRequest {
        frameworks: vec![c.frameworks[to].id.clone()],
        grade: None,
        subject: None,
        strands: vec!["all".to_string()],
        exclude: Vec::new(),
        fast: false,
    };
    let (_, _, mut al) = plan::align_all(lib, &req, &units, top)?;
    let applied = decisions.map(|d| crate::review::apply(d, c, &units, &mut al));
    let rows = refs
        .iter()
        .zip(al)
        .map(|(&standard, a)| Row {
            standard,
            ranked: a
                .matches
                .iter()
                .map(|m| Counterpart {
                    r: m.r,
                    score: m.score,
                    relation: match &m.reviewed {
                        Some(r) if r.rejected() => None,
                        Some(r) if r.accepted() => Some(th.relation(m.score).unwrap_or(Relation::Related)),
                        _ => th.relation(m.score),
                    },
                    reviewed: m.reviewed.clone(),
                })
                .collect(),
        })
        .collect();
    Ok((rows, applied))
}

/// A program's claims carried through a crosswalk: the units with their claims replaced, and
/// what was carried.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    pub units: Vec<Unit>,
    /// Per unit: (carried code in the audited framework, the code it was carried from).
    pub via: Vec<Vec<(String, String)>>,
    /// (unit, claimed code of the `via` framework) for codes with no listed counterpart.
    pub no_counterpart: Vec<(usize, String)>,
    /// How many claimed codes were codes of the `via` framework.
    pub carried: usize,
}

impl Carried {
    /// The code a unit's claim was carried from, if it was.
    pub fn origin_of(&self, unit: usize, claimed: &str) -> Option<&str> {
        self.via
            .get(unit)?
            .iter()
            .find(|(to, _)| to == claimed)
            .map(|(_, from)| from.as_str())
    }

    /// Mark each claim check that was carried with the code it came from.
    pub fn mark(&self, al: &mut [super::UnitAlignment]) {
        for a in al {
            for k in &mut a.claims {
                k.via = self.origin_of(a.unit, &k.claimed).map(String::from);
            }
        }
    }
}

/// The alignable standards a claimed ref stands for: itself, or for a heading (a claimed cluster
/// or domain) the counted standards under it.
fn claimable(c: &Corpus, r: Ref) -> Vec<Ref> {
    if c.standard(r).kind.is_alignable() {
        return vec![r];
    }
    let fw = &c.frameworks[r.fw];
    let mut out = Vec::new();
    let mut stack = vec![r.idx];
    let mut seen = 0usize;
    while let Some(i) = stack.pop() {
        seen += 1;
        if seen > fw.standards.len() {
            break;
        }
        for &ch in fw.standards[i].children.iter().rev() {
            let s = &fw.standards[ch];
            if s.kind.is_alignable() && s.kind != Kind::Component {
                out.push(Ref { fw: r.fw, idx: ch });
            } else if s.kind.is_heading() {
                stack.push(ch);
            }
        }
    }
    out
}

/// Carry every claimed code of framework `via` over to framework `to`: each becomes its
/// `exact_match` counterparts, else its best `related` one, which the unit then claims in its
/// place (a claimed heading is carried standard by standard). Codes of other frameworks stay as
/// they are; a `via` code without a listed counterpart is dropped from the claims and reported in
/// [`Carried::no_counterpart`].
pub fn carry_claims(lib: &Library, units: &[Unit], via: &str, to: &str, th: Thresholds) -> Result<Carried> {
    let c = lib.corpus()?;
    let via_fw = c.framework_pos(via)?;
    let to_fw = c.framework_pos(to)?;
    // Each unit's claims: Ok((code, standards of `via`)), or Err(a code of another framework).
    type Claims = Vec<std::result::Result<(String, Vec<Ref>), String>>;
    let mut per_unit: Vec<Claims> = Vec::new();
    let mut sources: Vec<Ref> = Vec::new();
    for u in units {
        let mut claims = Vec::new();
        for code in &u.claimed {
            let refs: Vec<Ref> = c
                .codes
                .lookup(code.trim(), Some(via_fw))
                .into_iter()
                .flat_map(|r| claimable(c, r))
                .collect();
            if refs.is_empty() {
                claims.push(Err(code.clone()));
            } else {
                sources.extend(refs.iter().copied());
                claims.push(Ok((code.clone(), refs)));
            }
        }
        per_unit.push(claims);
    }
    sources.sort();
    sources.dedup();
    let rows = if sources.is_empty() {
        Vec::new()
    } else {
        counterparts(lib, &sources, to_fw, 5, th, None)?.0
    };
    let carried_of = |r: Ref| -> Vec<Ref> {
        let Ok(i) = sources.binary_search(&r) else {
            return Vec::new();
        };
        let row = &rows[i];
        let exact: Vec<Ref> = row
            .ranked
            .iter()
            .filter(|k| k.relation == Some(Relation::ExactMatch))
            .map(|k| k.r)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        row.listed().take(1).map(|k| k.r).collect()
    };
    let mut out = Carried::default();
    for (ui, (u, claims)) in units.iter().zip(per_unit).enumerate() {
        let mut unit = u.clone();
        unit.claimed.clear();
        let mut via_codes = Vec::new();
        for cl in claims {
            match cl {
                Err(code) => unit.claimed.push(code),
                Ok((code, refs)) => {
                    out.carried += 1;
                    let mut targets: Vec<Ref> = refs.iter().flat_map(|&r| carried_of(r)).collect();
                    targets.sort();
                    targets.dedup();
                    if targets.is_empty() {
                        out.no_counterpart.push((ui, code));
                        continue;
                    }
                    for t in targets {
                        let tc = c.standard(t).display_code().to_string();
                        if !unit.claimed.contains(&tc) {
                            unit.claimed.push(tc.clone());
                            via_codes.push((tc, code.clone()));
                        }
                    }
                }
            }
        }
        out.units.push(unit);
        out.via.push(via_codes);
    }
    Ok(out)
}

/// A deterministic UUID (RFC 9562 version 8, the variant bits set) from a text: two 64-bit FNV-1a
/// hashes of it with different offsets. The same text always gives the same identifier.
pub fn uuid_of(text: &str) -> String {
    fn fnv(seed: u64, s: &str) -> u64 {
        let mut h = seed;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    }
    let a = fnv(0xcbf2_9ce4_8422_2325, text);
    let b = fnv(0x6c62_272e_07bb_0142, text) ^ a.rotate_left(29);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_by_threshold() {
        let th = Thresholds::default();
        assert_eq!(th.relation(EXACT_MATCH), Some(Relation::ExactMatch));
        assert_eq!(th.relation(RELATED), Some(Relation::Related));
        assert_eq!(th.relation(RELATED - 0.001), None);
    }

    #[test]
    fn uuid_is_deterministic_and_shaped() {
        let a = uuid_of("x|y|exactMatchOf");
        assert_eq!(a, uuid_of("x|y|exactMatchOf"));
        assert_ne!(a, uuid_of("x|y|isRelatedTo"));
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'8');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    }
}
