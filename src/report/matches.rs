//! The per-unit match report (`aligner match`): serializable rows and their renderers. The JSONL
//! form is a contract documented in the README: one line per unit.

use crate::align::{ClaimCheck, Match, UnitAlignment};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{Kind, Unit};
use crate::report::table::clip;
use crate::report::Table;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug, Serialize)]
pub struct UnitRef {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// `file:line` where the unit was read.
    pub origin: String,
    /// Titles of the enclosing entries (a lesson's chapter), outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// The page the book gives for it (`112`, `112-118`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// `review` or `assessment`; absent for a lesson.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct MatchRow {
    /// The standard's code as its framework publishes it.
    pub code: String,
    pub framework: String,
    /// 0..1, rounded to 3 decimals.
    pub score: f32,
    /// `strong`, `moderate` or `weak`.
    pub strength: &'static str,
    /// For a sub-standard (4.MD.C.5a), the code of the standard it is part of and implies; the
    /// standard is then not listed again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Words and phrases the unit shares with the standard and its headings.
    pub evidence: Vec<String>,
    pub text: String,
    /// A reviewer's decision on the pair (`--decisions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<crate::review::Reviewed>,
}

#[derive(Debug, Serialize)]
pub struct ClaimRow {
    /// The code as the publisher wrote it.
    pub code: String,
    /// `supported`, `unknown`, `ambiguous`, `off_grade`, `unsupported`, `no_evidence`.
    pub status: &'static str,
    /// Codes of the standards it names.
    pub resolved: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// A reviewer's decision on the claim (`--decisions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<crate::review::Reviewed>,
    /// For a claim carried through a crosswalk (`audit --via`): the code it was carried from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// One line of `aligner match --format jsonl`.
#[derive(Debug, Serialize)]
pub struct UnitReport {
    pub unit: UnitRef,
    pub matches: Vec<MatchRow>,
    pub claims: Vec<ClaimRow>,
    /// Standards the text strongly supports that no claim covers (only when the unit claims some).
    pub unclaimed: Vec<MatchRow>,
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

pub fn code_of(c: &Corpus, r: Ref) -> String {
    c.standard(r).display_code().to_string()
}

/// The standard a sub-standard is part of, by code.
fn part_of(c: &Corpus, r: Ref) -> Option<String> {
    let s = c.standard(r);
    let p = s.parent.filter(|_| s.kind == Kind::Component)?;
    Some(code_of(c, Ref { fw: r.fw, idx: p }))
}

pub fn match_row(c: &Corpus, m: &Match) -> MatchRow {
    MatchRow {
        code: code_of(c, m.r),
        framework: c.frameworks[m.r.fw].id.clone(),
        score: round3(m.score),
        strength: m.strength.as_str(),
        standard: part_of(c, m.r),
        evidence: m.evidence.clone(),
        text: c.standard(m.r).text.clone(),
        reviewed: m.reviewed.clone(),
    }
}

pub fn claim_row(c: &Corpus, k: &ClaimCheck) -> ClaimRow {
    ClaimRow {
        code: k.claimed.clone(),
        status: k.status.as_str(),
        resolved: k.resolved.iter().map(|r| code_of(c, *r)).collect(),
        score: k.score.map(round3),
        suggestions: k.suggestions.clone(),
        reviewed: k.reviewed.clone(),
        via: k.via.clone(),
    }
}

pub fn unit_ref(u: &Unit) -> UnitRef {
    UnitRef {
        id: u.id.clone(),
        title: u.title.clone(),
        grade: u.grade.map(|g| g.to_string()),
        origin: u.origin.clone(),
        context: u.context.clone(),
        page: u.page.clone(),
        role: role_of(u),
    }
}

/// A unit's role for a report: `review` or `assessment`, nothing for a lesson.
pub fn role_of(u: &Unit) -> Option<&'static str> {
    (!u.role.is_lesson()).then(|| u.role.as_str())
}

/// ` p. 112` when the unit has a page, else nothing.
pub fn page_suffix(u: &Unit) -> String {
    match u.page.as_deref() {
        Some(p) if p.contains('-') => format!(" pp. {p}"),
        Some(p) => format!(" p. {p}"),
        None => String::new(),
    }
}

pub fn unit_report(c: &Corpus, units: &[Unit], a: &UnitAlignment) -> UnitReport {
    UnitReport {
        unit: unit_ref(&units[a.unit]),
        matches: a.matches.iter().map(|m| match_row(c, m)).collect(),
        claims: a.claims.iter().map(|k| claim_row(c, k)).collect(),
        unclaimed: a.unclaimed.iter().map(|m| match_row(c, m)).collect(),
    }
}

/// A unit's display name: its title, or the start of its text.
pub fn unit_name(u: &Unit) -> String {
    if u.title.trim().is_empty() {
        clip(u.text.trim(), 60)
    } else {
        u.title.clone()
    }
}

/// CSV: one row per unit and suggested standard (a unit with no match gets one row with empty
/// match columns); claims in their own columns on the unit's first row. A `reviewed` column
/// (`accept`, `reject`) closes each row when some pair was reviewed.
pub fn csv_table(reports: &[UnitReport]) -> Table {
    let reviewed = reports.iter().any(|r| r.matches.iter().any(|m| m.reviewed.is_some()));
    let mut headers = vec![
        "unit_id",
        "unit_title",
        "rank",
        "code",
        "framework",
        "score",
        "strength",
        "evidence",
        "claims",
        "unit_page",
    ];
    if reviewed {
        headers.push("reviewed");
    }
    let mut t = Table::new(headers);
    let cells = |mut row: Vec<String>, m: Option<&MatchRow>| {
        if reviewed {
            row.push(
                m.and_then(|m| m.reviewed.as_ref())
                    .map_or("", |r| r.decision.as_str())
                    .to_string(),
            );
        }
        row
    };
    for r in reports {
        let claims = r
            .claims
            .iter()
            .map(|c| format!("{}:{}", c.code, c.status))
            .collect::<Vec<_>>()
            .join(" ");
        if r.matches.is_empty() {
            t.row(cells(
                vec![
                    r.unit.id.clone(),
                    r.unit.title.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    claims.clone(),
                    r.unit.page.clone().unwrap_or_default(),
                ],
                None,
            ));
        }
        for (i, m) in r.matches.iter().enumerate() {
            t.row(cells(
                vec![
                    r.unit.id.clone(),
                    r.unit.title.clone(),
                    (i + 1).to_string(),
                    m.code.clone(),
                    m.framework.clone(),
                    format!("{:.3}", m.score),
                    m.strength.to_string(),
                    m.evidence.join("; "),
                    if i == 0 { claims.clone() } else { String::new() },
                    r.unit.page.clone().unwrap_or_default(),
                ],
                Some(m),
            ));
        }
    }
    t
}

/// For people: per unit, its matches with evidence, then claim problems.
pub fn write_text<W: Write + ?Sized>(out: &mut W, c: &Corpus, units: &[Unit], al: &[UnitAlignment]) -> io::Result<()> {
    for a in al {
        let u = &units[a.unit];
        let grade = u.grade.map(|g| format!(" (grade {g})")).unwrap_or_default();
        let role = role_of(u).map(|r| format!(" [{r}]")).unwrap_or_default();
        writeln!(out, "{} {}{}{}{}", u.id, unit_name(u), grade, page_suffix(u), role)?;
        if a.matches.is_empty() {
            writeln!(out, "  no standard matches")?;
        }
        let mut t = Table::new(["code", "score", "strength", "evidence"]).wrap(["evidence"]);
        for m in &a.matches {
            t.row([
                code_of(c, m.r),
                format!("{:.2}", m.score),
                match &m.reviewed {
                    Some(r) => format!("{} {}", m.strength.as_str(), r.decision.marker()),
                    None => m.strength.as_str().to_string(),
                },
                clip(&m.evidence.join(", "), 60),
            ]);
        }
        if !a.matches.is_empty() {
            t.write_text(out)?;
        }
        for k in &a.claims {
            let detail = match k.status {
                crate::align::ClaimStatus::Unknown if !k.suggestions.is_empty() => {
                    format!(" (did you mean {}?)", k.suggestions.join(", "))
                }
                crate::align::ClaimStatus::Ambiguous => {
                    format!(
                        " (names {})",
                        k.resolved.iter().map(|r| code_of(c, *r)).collect::<Vec<_>>().join(", ")
                    )
                }
                _ => k.score.map(|s| format!(" (score {s:.2})")).unwrap_or_default(),
            };
            let review = k
                .reviewed
                .as_ref()
                .map(|r| format!(" {}", r.decision.marker()))
                .unwrap_or_default();
            writeln!(
                out,
                "  claim {}: {}{}{review}",
                k.claimed,
                k.status.as_str().replace('_', " "),
                detail
            )?;
        }
        for m in &a.unclaimed {
            writeln!(
                out,
                "  not claimed but strongly supported: {} ({:.2})",
                code_of(c, m.r),
                m.score
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// What to tell about a claim that is not supported: the suggestions for an unknown code, the
/// standard's grade for an off-grade one, the codes an ambiguous one names, or its score.
pub fn claim_detail(c: &Corpus, k: &ClaimCheck) -> String {
    if !k.suggestions.is_empty() {
        format!("did you mean {}?", k.suggestions.join(", "))
    } else if k.status == crate::align::ClaimStatus::OffGrade {
        format!(
            "standard is grade {}",
            k.resolved
                .first()
                .map(|r| crate::model::grades_label(&c.standard(*r).grades))
                .unwrap_or_default()
        )
    } else if k.resolved.len() > 1 {
        k.resolved.iter().map(|r| code_of(c, *r)).collect::<Vec<_>>().join(" ")
    } else if k.status == crate::align::ClaimStatus::NoEvidence {
        "the entry's words name no standard".to_string()
    } else {
        k.score.map(|s| format!("score {s:.2}")).unwrap_or_default()
    }
}
