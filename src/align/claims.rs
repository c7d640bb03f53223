//! Claim checks: every code a publisher claims for a unit is looked up (does it exist?), compared
//! with the unit's grade (is it on grade?) and with the unit's text (does the text support it, or
//! say nothing either way?); and standards that the text strongly supports but nobody claimed are
//! reported.
//!
//! A claim the text does not support is `unsupported` only when the text offers evidence: its best
//! match in scope, found through words the unit shares with that standard, scores at least
//! [`SUPPORT_SCORE`] (the text supports *some* standard, and not the claimed one). Otherwise the
//! text speaks of nothing the standards speak of (a selection title such as "Thank You, Ma'am", a
//! "Chapter 3 Review", a title whose only words are routine or stop words, which leave a unit
//! without word evidence and so at most a weak match by meaning): the claim is `no_evidence`,
//! neither confirmed nor contradicted.

use super::matcher::{Match, Strength};
use crate::codes::Ref;
use crate::corpus::{Claim, Corpus};
use crate::model::{GradeRange, Kind};
use serde::Serialize;

/// The verdict on one claimed code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Exists, on grade, and the text supports it.
    Supported,
    /// No standard has this code.
    Unknown,
    /// Names several standards (a grade-relative code such as `A.2`).
    Ambiguous,
    /// Exists, but not for the unit's grade.
    OffGrade,
    /// Exists and is on grade, but the unit's text supports other standards and not it.
    Unsupported,
    /// Exists and is on grade, and the unit's text says nothing either way: no standard in scope
    /// reaches [`SUPPORT_SCORE`] through words the unit shares with it.
    NoEvidence,
}

impl ClaimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Supported => "supported",
            ClaimStatus::Unknown => "unknown",
            ClaimStatus::Ambiguous => "ambiguous",
            ClaimStatus::OffGrade => "off_grade",
            ClaimStatus::Unsupported => "unsupported",
            ClaimStatus::NoEvidence => "no_evidence",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    /// The code as the publisher wrote it.
    pub claimed: String,
    pub status: ClaimStatus,
    /// What it resolved to.
    pub resolved: Vec<Ref>,
    /// The unit's score for the (best) resolved standard.
    pub score: Option<f32>,
    /// For unknown codes: the closest existing codes.
    pub suggestions: Vec<String>,
    /// A reviewer's decision on this claim ([`crate::review`]).
    pub reviewed: Option<crate::review::Reviewed>,
    /// For a claim carried through a crosswalk (`audit --via`): the code it was carried from.
    pub via: Option<String>,
}

/// A claimed standard is supported when its score reaches this, or half the unit's best score, or
/// when it (or a standard under it) is among the unit's matches.
pub const SUPPORT_SCORE: f32 = 0.2;

/// Check a unit's claims. `resolved` comes from [`Corpus::resolve_claims`]; `scores` holds the
/// unit's score for each standard of `flat` (the resolved refs, flattened in order).
pub fn check(
    corpus: &Corpus,
    resolved: &[Claim],
    scores: &[f32],
    matches: &[Match],
    grade: Option<GradeRange>,
    fw: Option<usize>,
) -> Vec<ClaimCheck> {
    // The unit's best match through shared words, and whether its text offers evidence at all
    // (being among weak matches is no support when the text supports nothing).
    let top = matches
        .iter()
        .filter(|m| !m.evidence.is_empty())
        .map(|m| m.score)
        .fold(0f32, f32::max);
    let evidence = text_offers_evidence(matches);
    let mut out = Vec::new();
    let mut k = 0;
    for Claim {
        spelled: claimed,
        refs,
        relative,
    } in resolved
    {
        let my_scores = &scores[k..k + refs.len()];
        k += refs.len();
        if refs.is_empty() {
            out.push(ClaimCheck {
                claimed: claimed.clone(),
                status: ClaimStatus::Unknown,
                resolved: Vec::new(),
                score: None,
                suggestions: corpus.codes.suggest(&corpus.frameworks, claimed, fw, 3),
                reviewed: None,
                via: None,
            });
            continue;
        }
        let best = my_scores.iter().copied().fold(0f32, f32::max);
        let on_grade = grade.is_none_or(|g| refs.iter().any(|r| g.overlaps(&corpus.standard(*r).grades)));
        // Among the unit's matches that share words with it (a match by meaning alone is no
        // evidence), or scored at least half as well as its best match.
        let in_matches = refs.iter().any(|r| {
            matches
                .iter()
                .filter(|m| !m.evidence.is_empty())
                .any(|m| m.r == *r || covers(corpus, *r, m.r))
        });
        let relative_support = top > 0.0 && best >= 0.5 * top;
        let status = if *relative && refs.len() > 1 {
            ClaimStatus::Ambiguous
        } else if !on_grade {
            ClaimStatus::OffGrade
        } else if best >= SUPPORT_SCORE || (evidence && (in_matches || relative_support)) {
            ClaimStatus::Supported
        } else if evidence {
            ClaimStatus::Unsupported
        } else {
            ClaimStatus::NoEvidence
        };
        out.push(ClaimCheck {
            claimed: claimed.clone(),
            status,
            resolved: refs.clone(),
            score: Some(best),
            suggestions: Vec::new(),
            reviewed: None,
            via: None,
        });
    }
    out
}

/// Whether a unit's text offers evidence a claim can be weighed against: some match in scope that
/// shares words with the unit (meaning alone is no evidence: a standard found only by meaning is
/// at most a weak match) scores at least [`SUPPORT_SCORE`], the score at which a text supports a
/// claim.
pub fn text_offers_evidence(matches: &[Match]) -> bool {
    matches
        .iter()
        .any(|m| !m.evidence.is_empty() && m.score >= SUPPORT_SCORE)
}

/// True when `claimed` is `m` or an ancestor of it (a claimed cluster covers its standards; a
/// claimed standard covers its components), or `m` is the parent standard of a claimed component.
pub fn covers(corpus: &Corpus, claimed: Ref, m: Ref) -> bool {
    if claimed.fw != m.fw {
        return false;
    }
    if claimed == m || corpus.ancestors(m).contains(&claimed) {
        return true;
    }
    let c = corpus.standard(claimed);
    c.kind == Kind::Component && c.parent == Some(m.idx)
}

/// Strong matches that no claim covers.
pub fn unclaimed_strong<'m>(corpus: &Corpus, resolved: &[Claim], matches: &'m [Match]) -> Vec<&'m Match> {
    if resolved.is_empty() {
        return Vec::new();
    }
    matches
        .iter()
        .filter(|m| m.strength == Strength::Strong)
        .filter(|m| {
            !resolved
                .iter()
                .flat_map(|c| &c.refs)
                .any(|c| covers(corpus, *c, m.r) || covers(corpus, m.r, *c))
        })
        .collect()
}

/// A run whose claimed codes all belong to frameworks other than the audited one (a Common Core
/// textbook audited against a district's set): one note says whose codes they are, instead of a
/// list of `unknown` claims with suggestions from the wrong framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignCodes {
    /// The audited framework's id.
    pub framework: String,
    /// Distinct claimed codes (as written).
    pub claimed: usize,
    /// The frameworks the codes name standards in, with how many of the codes each holds, most
    /// first.
    pub elsewhere: Vec<(String, usize)>,
}

impl ForeignCodes {
    /// "none of the 54 claimed codes belong to springfield-math: they are ccss-math codes".
    pub fn message(&self) -> String {
        let whose: Vec<&str> = self.elsewhere.iter().map(|(id, _)| id.as_str()).collect();
        let whose = match whose.as_slice() {
            [] => String::new(),
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let (n, codes) = if self.claimed == 1 {
            ("the 1 claimed code".to_string(), "code")
        } else {
            (format!("the {} claimed codes", self.claimed), "codes")
        };
        format!(
            "none of {n} belong to {}: they are {whose} {codes}, so they were not checked (audit against their framework with --framework to check them)",
            self.framework
        )
    }
}

/// When `fw` is the one framework checked and not one claimed code names a standard of it, while
/// some name standards of other frameworks: the note, and those claims taken out of the checks
/// (they are no claims about `fw`). `None`, and nothing changed, otherwise.
pub fn foreign_codes(corpus: &Corpus, al: &mut [super::UnitAlignment], fw: Option<usize>) -> Option<ForeignCodes> {
    let fw = fw?;
    let claims = || al.iter().flat_map(|a| a.claims.iter());
    if claims().next().is_none() || claims().any(|k| !k.resolved.is_empty()) {
        return None;
    }
    let mut codes: Vec<&str> = claims().map(|k| k.claimed.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut per_fw: std::collections::BTreeMap<usize, usize> = Default::default();
    for code in &codes {
        let mut fws: Vec<usize> = corpus.codes.lookup(code, None).iter().map(|r| r.fw).collect();
        fws.sort_unstable();
        fws.dedup();
        for f in fws.into_iter().filter(|&f| f != fw) {
            *per_fw.entry(f).or_default() += 1;
        }
    }
    if per_fw.is_empty() {
        return None;
    }
    let mut elsewhere: Vec<(String, usize)> = per_fw
        .into_iter()
        .map(|(f, n)| (corpus.frameworks[f].id.clone(), n))
        .collect();
    elsewhere.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // Named: the frameworks that hold at least a tenth as many of the codes as the first.
    let most = elsewhere.first().map_or(0, |e| e.1);
    elsewhere.retain(|e| e.1 * 10 >= most);
    elsewhere.truncate(3);
    let claimed = codes.len();
    for a in al.iter_mut() {
        a.claims.clear();
    }
    Some(ForeignCodes {
        framework: corpus.frameworks[fw].id.clone(),
        claimed,
        elsewhere,
    })
}
