//! The policy of a matching run, as the commands apply it and tests call it without a process:
//! which framework a curriculum belongs to ([`guess_framework`]), the resolved [`Scope`] of a
//! request ([`ScopeRequest::resolve`]), matching a whole curriculum ([`align_all`]), and which
//! grades an audit covers ([`audit_grades`]).

use super::matcher::Prepared;
use super::scope::{StrandScope, Strands};
use super::{Matcher, Scope, UnitAlignment};
use crate::corpus::Corpus;
use crate::error::Result;
use crate::index::code_keys::CodeFrameworks;
use crate::index::Library;
use crate::model::{Grade, GradeRange, Unit};

/// What the user asked for: frameworks by id (none: guess), a grade band for every unit, a
/// subject, and strands (`--strand`: only these; `--exclude`: not these; see [`Strands`]).
#[derive(Debug, Clone, Default)]
pub struct ScopeRequest {
    pub frameworks: Vec<String>,
    pub grade: Option<GradeRange>,
    pub subject: Option<String>,
    pub strands: Vec<String>,
    pub exclude: Vec<String>,
    /// Match by words and the static vectors alone, without the sentence model (`--fast`).
    pub fast: bool,
}

impl ScopeRequest {
    /// The strand rule of the request: by default every strand but the literacy ones.
    pub fn strand_rule(&self) -> Strands {
        Strands::from_request(&self.strands, &self.exclude)
    }

    /// The strand rule resolved against the scope's frameworks (see [`StrandScope::resolve`]).
    pub fn resolve_strands(&self, lib: &Library, scope: &Scope) -> Result<StrandScope> {
        let fws = match &scope.frameworks {
            Some(f) => f.clone(),
            None => (0..lib.store.meta.frameworks.len()).collect(),
        };
        StrandScope::resolve(&lib.store, &fws, self.strand_rule())
    }

    /// Resolve to a matcher scope. Without frameworks, the framework the units' claimed codes
    /// name most, else the one their text matches best.
    pub fn resolve(&self, lib: &Library, m: &Matcher, units: &[Unit]) -> Result<Scope> {
        let frameworks = match lib.framework_filter(&self.frameworks)? {
            Some(f) => f,
            None => vec![guess_framework(lib, m, units, self.grade, self.subject.as_deref())],
        };
        Ok(Scope {
            frameworks: Some(frameworks),
            grades: self.grade,
            no_grade: false,
            subject: self.subject.clone(),
        })
    }
}

/// The framework the units belong to: the one most claimed codes resolve in (the first 500 units'
/// codes, each code voting once for each framework it names); else the one whose standards come
/// first most often when the first 200 units are matched against everything. Read from the index,
/// without the corpus.
pub fn guess_framework(
    lib: &Library,
    m: &Matcher,
    units: &[Unit],
    grades: Option<GradeRange>,
    subject: Option<&str>,
) -> usize {
    let n = lib.store.meta.frameworks.len();
    let mut votes = vec![0usize; n];
    let codes = CodeFrameworks::new(lib);
    let mut known: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for u in units.iter().take(500) {
        for code in &u.claimed {
            let fws = known.entry(code.as_str()).or_insert_with(|| codes.lookup(code));
            for &f in fws.iter() {
                if let Some(v) = votes.get_mut(f) {
                    *v += 1;
                }
            }
        }
    }
    if votes.iter().all(|&v| v == 0) {
        let scope = Scope {
            grades,
            subject: subject.map(String::from),
            ..Default::default()
        };
        for u in units.iter().take(200) {
            if let Some(best) = m.match_unit(u, &scope, 1).first() {
                votes[best.r.fw] += 1;
            }
        }
    }
    let best = votes.iter().copied().max().unwrap_or(0);
    votes.iter().position(|&v| v == best).unwrap_or(0)
}

/// Match every unit in the requested scope (the matcher first learns the batch's common words)
/// and check its claims. The corpus, which only the claim checks need, is read on a second thread
/// while the units are matched. The strand rule of the request leaves its strands out of every
/// unit's matches (see [`prepare_in_scope`]); the resolved rule comes back for coverage.
pub fn align_all(
    lib: &Library,
    req: &ScopeRequest,
    units: &[Unit],
    top: usize,
) -> Result<(Scope, StrandScope, Vec<UnitAlignment>)> {
    std::thread::scope(|sc| {
        let corpus = sc.spawn(|| lib.corpus().map(drop));
        let params = crate::align::Params::default();
        let mut m = Matcher::with_params(lib, if req.fast { params.fast() } else { params });
        m.observe_batch(units);
        let scope = req.resolve(lib, &m, units)?;
        let strands = req.resolve_strands(lib, &scope)?;
        let prepared: Vec<Prepared> = units
            .iter()
            .map(|u| prepare_in_scope(&m, u, &scope, &strands, top))
            .collect();
        corpus.join().expect("reading the corpus does not panic")?;
        let c = lib.corpus()?;
        let al = check_claims(&m, c, units, &scope, prepared);
        Ok((scope, strands, al))
    })
}

/// A unit's `top` matches within the scope and the strand rule: the matcher's ranking with the
/// standards of excluded strands taken out (the places they would hold go to the next
/// standards; see [`Matcher::prepare_where`]).
pub fn prepare_in_scope(m: &Matcher, u: &Unit, scope: &Scope, strands: &StrandScope, top: usize) -> Prepared {
    m.prepare_where(u, scope, top, |d| strands.admits_doc(d))
}

/// [`prepare_in_scope`]'s matches: what `match`, `audit` and `eval` rank for a unit.
pub fn match_in_scope(m: &Matcher, u: &Unit, scope: &Scope, strands: &StrandScope, top: usize) -> Vec<super::Match> {
    prepare_in_scope(m, u, scope, strands, top).matches
}

/// The claim checks of prepared matches (see [`super::align_units`]).
pub fn check_claims(
    m: &Matcher,
    c: &Corpus,
    units: &[Unit],
    scope: &Scope,
    prepared: Vec<Prepared>,
) -> Vec<UnitAlignment> {
    let claim_fw = scope.single_framework();
    units
        .iter()
        .zip(prepared)
        .enumerate()
        .map(|(i, (u, p))| {
            let resolved = c.resolve_unit_claims(u, claim_fw);
            let flat: Vec<_> = resolved.iter().flat_map(|c| c.refs.iter().copied()).collect();
            let scores = m.scores_of(&p, &flat);
            let matches = p.matches;
            let claims = super::claims::check(c, &resolved, &scores, &matches, scope.grades_for(u), claim_fw);
            let unclaimed = super::claims::unclaimed_strong(c, &resolved, &matches)
                .into_iter()
                .cloned()
                .collect();
            UnitAlignment {
                unit: i,
                matches,
                claims,
                unclaimed,
            }
        })
        .collect()
}

/// Where an audit's grades come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradesFrom {
    /// The request (`--grade`).
    Request,
    /// The span of the units' own grades.
    Units,
    /// The grade most of the units' best matches are in.
    Matches,
}

impl GradesFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            GradesFrom::Request => "--grade",
            GradesFrom::Units => "the units' grades",
            GradesFrom::Matches => "the units' best matches",
        }
    }
}

/// The grades an audit covers: the scope's, else the span of the units' grades, else the grade
/// most of their best matches are in.
pub fn audit_grades(
    c: &Corpus,
    scope: &Scope,
    units: &[Unit],
    al: &[UnitAlignment],
) -> (Option<GradeRange>, GradesFrom) {
    match scope.grades {
        Some(g) => (Some(g), GradesFrom::Request),
        None => match units_grades(units) {
            Some(g) => (Some(g), GradesFrom::Units),
            None => (matched_grade(c, al), GradesFrom::Matches),
        },
    }
}

/// The span of several grade ranges (`None`s ignored; `None` when all are).
pub fn span_of(ranges: impl IntoIterator<Item = Option<GradeRange>>) -> Option<GradeRange> {
    ranges.into_iter().flatten().reduce(|a, b| GradeRange {
        lo: a.lo.min(b.lo),
        hi: a.hi.max(b.hi),
    })
}

fn units_grades(units: &[Unit]) -> Option<GradeRange> {
    let lo = units.iter().filter_map(|u| u.grade.map(|g| g.lo)).min()?;
    let hi = units.iter().filter_map(|u| u.grade.map(|g| g.hi)).max()?;
    Some(GradeRange { lo, hi })
}

fn matched_grade(c: &Corpus, al: &[UnitAlignment]) -> Option<GradeRange> {
    let mut votes: std::collections::BTreeMap<Grade, usize> = Default::default();
    for a in al {
        if let Some(m) = a.matches.first() {
            for g in &c.standard(m.r).grades {
                *votes.entry(*g).or_default() += 1;
            }
        }
    }
    let best = votes.iter().max_by_key(|(g, n)| (**n, std::cmp::Reverse(**g)))?;
    Some(GradeRange::single(*best.0))
}
