//! Matching units to standards: text analysis ([`analyze`]), the BM25F index of the standards
//! ([`bm25f`]), meaning from static word embeddings ([`embed`], [`semantic`]), retrieval and scoring
//! with evidence ([`matcher`]), and checks of the codes a publisher claims ([`claims`]).
//! [`align_units`] runs them over a curriculum.

pub mod analyze;
pub mod bm25f;
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
    let claim_fw = scope.single_framework();
    units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let resolved = m.corpus.resolve_unit_claims(u, claim_fw);
            let flat: Vec<_> = resolved.iter().flat_map(|c| c.refs.iter().copied()).collect();
            let (matches, scores) = m.match_unit_with(u, scope, top, &flat);
            let claims = claims::check(m.corpus, &resolved, &scores, &matches, scope.grades_for(u), claim_fw);
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
