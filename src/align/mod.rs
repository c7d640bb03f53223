//! Matching units to standards: text analysis ([`analyze`]), retrieval and scoring with evidence
//! ([`matcher`]), and checks of the codes a publisher claims ([`claims`]). [`align_units`] runs all
//! three over a curriculum.

pub mod analyze;
pub mod claims;
pub mod embed;
pub mod matcher;
pub mod semantic;

pub use claims::{ClaimCheck, ClaimStatus};
pub use matcher::{Match, Matcher, Params, Scope, Strength};

use crate::model::Unit;

/// Everything aligner says about one unit.
#[derive(Debug, Clone)]
pub struct UnitAlignment {
    /// Position of the unit in its list.
    pub unit: usize,
    pub matches: Vec<Match>,
    pub claims: Vec<ClaimCheck>,
    /// Strong matches no claim covers (empty when the unit claims nothing).
    pub unclaimed: Vec<Match>,
}

/// Match every unit and check its claims. Call [`Matcher::observe_batch`] first to let the
/// batch's common words count less.
pub fn align_units(m: &Matcher, units: &[Unit], scope: &Scope, top: usize) -> Vec<UnitAlignment> {
    let claim_fw = scope.frameworks.as_ref().filter(|f| f.len() == 1).map(|f| f[0]);
    units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let grade = u.grade.map(|g| g.lo).filter(|_| u.grade.is_some_and(|g| g.lo == g.hi));
            let resolved = m.corpus.resolve_claims(&u.claimed, grade, claim_fw);
            let flat: Vec<_> = resolved.iter().flat_map(|c| c.refs.iter().copied()).collect();
            let (matches, scores) = m.match_unit_with(u, scope, top, &flat);
            let unit_grade = scope.grades.or(if scope.no_grade { None } else { u.grade });
            let claims = claims::check(m.corpus, &resolved, &scores, &matches, unit_grade, claim_fw);
            let unclaimed = claims::unclaimed_strong(m.corpus, &resolved, &matches)
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
