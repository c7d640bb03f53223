//! Matching units to standards. A unit's query ([`query`]) goes to the first stage
//! ([`candidates`]): tantivy's persistent index by words, the stored embeddings by meaning, within
//! the unit's [`scope`]. The second stage scores the candidates ([`features`]: BM25F from stored
//! per-field counts, word pairs, meaning) and says why ([`evidence`]); [`matcher`] ties them
//! together, with the weights of [`params`]. [`claims`] checks the codes a publisher claims.
//! [`align_units`] runs them over a curriculum. Text analysis is [`analyze`]; the static word
//! embeddings are [`embed`] and [`semantic`]; the sentence model is [`encoder`], its vectors (cached for the
//! shipped corpus) [`sentence`].

pub mod analyze;
pub mod calibrate;
pub mod candidates;
pub mod citations;
pub mod claims;
pub mod crosswalk;
pub mod embed;
pub mod encoder;
pub mod evidence;
pub mod features;
pub mod lesson;
pub mod matcher;
pub mod params;
pub mod plan;
pub mod query;
pub mod scope;
pub mod semantic;
pub mod sentence;

pub use claims::{ClaimCheck, ClaimStatus};
pub use features::pack;
pub use matcher::{Match, Matcher, Strength};
pub use params::Params;
pub use scope::{normalize_subject, Scope};

use crate::corpus::Corpus;
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

/// Match every unit and check its claims against `corpus` (the frameworks the matcher's index
/// was built from). Call [`Matcher::observe_batch`] first to let the batch's common words count
/// less.
pub fn align_units(m: &Matcher, corpus: &Corpus, units: &[Unit], scope: &Scope, top: usize) -> Vec<UnitAlignment> {
    let prepared = units.iter().map(|u| m.prepare(u, scope, top)).collect();
    plan::check_claims(m, corpus, units, scope, prepared)
}
