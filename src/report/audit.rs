//! The audit report: the JSON document (schema in the README), its JSON Lines record stream, and
//! its table, CSV and Markdown renderings.

use super::coverage::{Coverage, Rollup, Status};

/// The version of the audit's JSON document and JSON Lines records (the other commands' are
/// [`super::SCHEMA`]): `aligner/2` since the roll-ups became a list of the framework's own levels.
pub const AUDIT_SCHEMA: &str = "aligner/2";
use super::matches::{claim_row, code_of, role_of, unit_name, ClaimRow};
use super::table::{clip, Table};
use crate::align::UnitAlignment;
use crate::corpus::Corpus;
use crate::model::{grades_label, Unit};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Debug, Serialize)]
pub struct AuditJson<'a> {
    pub scope: ScopeJson,
    pub summary: Summary,
    /// The roll-ups, `grade` first, then the framework's levels outermost first.
    pub rollup: Vec<LevelJson>,
    pub standards: Vec<StandardJson<'a>>,
    /// Codes of the standards nothing addresses.
    pub gaps: Vec<String>,
    /// Lessons aligned to nothing (reviews and assessments are in `reviews`).
    pub unaligned_units: Vec<UnitJson>,
    /// The reviews and assessments (`Chapter 3 Review`, `Mid-Chapter Checkpoint`), which teach
    /// nothing new and are not counted among the units aligned to nothing.
    pub reviews: Vec<UnitJson>,
    pub off_grade: Vec<OffGradeJson>,
    pub units: Vec<UnitCoverageJson>,
    /// The correlation sheet's check (`--correlation`), when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation: Option<super::correlation::CorrelationJson>,
    /// With `--via`: the claims carried through the crosswalk (set by the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<ViaJson>,
}

/// A reviewed pair of a unit: `{"code", "decision", "reviewer", "date", "note"}`.
#[derive(Debug, Serialize)]
pub struct ReviewedPair {
    pub code: String,
    #[serde(flatten)]
    pub reviewed: crate::review::Reviewed,
}

/// `audit --via F`: claimed codes of framework F carried to the audited framework's
/// counterparts (each carried claim's row in `units[].claims` has `"via": the original code`).
#[derive(Debug, Serialize)]
pub struct ViaJson {
    /// The framework the claimed codes were carried from.
    pub framework: String,
    /// Claimed codes of that framework.
    pub carried: usize,
    /// The claimed codes with no counterpart (not checked), with their unit's id.
    pub no_counterpart: Vec<NoCounterpartJson>,
}

#[derive(Debug, Serialize)]
pub struct NoCounterpartJson {
    pub unit: String,
    pub code: String,
}

/// The carried claims (`unit`, `3-2.4 (via 3.NBT.A.1)`, verdict) and the line on codes without a
/// counterpart, for the table and Markdown.
fn via_section(j: &AuditJson) -> Option<(String, Table)> {
    let v = j.via.as_ref()?;
    let mut line = format!(
        "Claims carried from {} through the crosswalk: {}",
        v.framework, v.carried
    );
    if !v.no_counterpart.is_empty() {
        let codes: Vec<String> = v
            .no_counterpart
            .iter()
            .map(|n| format!("{} ({})", n.code, n.unit))
            .collect();
        line.push_str(&format!("; no counterpart: {}", codes.join(", ")));
    }
    let mut t = Table::new(["unit", "claimed", "verdict"]);
    for u in &j.units {
        for k in u.claims.iter().filter(|k| k.via.is_some()) {
            t.row([
                u.id.clone(),
                format!("{} (via {})", k.code, k.via.as_deref().unwrap_or_default()),
                k.status.replace('_', " "),
            ]);
        }
    }
    Some((line, t))
}

#[derive(Debug, Serialize)]
pub struct ScopeJson {
    pub frameworks: Vec<String>,
    /// `4`, `K-5`, or null for all grades.
    pub grades: Option<String>,
    pub min_score: f32,
    pub files: Vec<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Summary {
    pub standards: usize,
    pub covered: usize,
    pub weak: usize,
    pub gaps: usize,
    /// covered / standards x 100, one decimal.
    pub coverage_pct: f64,
    pub units: usize,
    /// Lessons aligned to nothing (reviews and assessments not counted).
    pub unaligned_units: usize,
    /// Reviews and assessments among the units.
    pub review_units: usize,
    /// The lessons that teach (no chapter with lessons under it, no review or assessment).
    pub lessons: usize,
    /// The program's pages, when its table of contents gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// Claimed codes per verdict: supported, unknown, ambiguous, off_grade, unsupported,
    /// no_evidence.
    pub claims: BTreeMap<&'static str, usize>,
}

/// One level of roll-up: `{"level": "grade" | "strand" | "domain" | "discipline" | "topic" |
/// "cluster", "rows": [rollup...]}`.
#[derive(Debug, Serialize)]
pub struct LevelJson {
    pub level: &'static str,
    pub rows: Vec<Rollup>,
}

#[derive(Debug, Serialize)]
pub struct StandardJson<'a> {
    pub code: &'a str,
    pub framework: &'a str,
    pub grades: String,
    /// `covered`, `weak` or `gap`.
    pub status: &'static str,
    pub best_score: f32,
    /// Ids of the units that address it, best first.
    pub units: Vec<&'a str>,
    /// Emphasis: how many lessons address it (with at least the minimum score, or a supported
    /// claim; a chapter and its lesson once; reviews and assessments not counted).
    pub lessons: usize,
    /// The pages of those lessons, when the book gives pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct UnitJson {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// `review` or `assessment`; absent for a lesson.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    pub origin: String,
}

#[derive(Debug, Serialize)]
pub struct OffGradeJson {
    pub unit: String,
    pub code: String,
    pub unit_grade: Option<String>,
    pub standard_grades: String,
}

#[derive(Debug, Serialize)]
pub struct UnitCoverageJson {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// `review` or `assessment`; absent for a lesson.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// Standards (counted level) this unit addresses with at least the minimum score.
    pub standards: Vec<String>,
    /// The verdict on each code the unit claims (as in `match`), in the order written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimRow>,
    /// The reviewers' decisions on this unit's matches (`--decisions`; claims carry theirs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviewed: Vec<ReviewedPair>,
}

fn unit_json(u: &Unit) -> UnitJson {
    UnitJson {
        id: u.id.clone(),
        title: unit_name(u),
        page: u.page.clone(),
        role: role_of(u),
        origin: u.origin.clone(),
    }
}

fn r3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// The lessons aligned to nothing: coverage finds no match of them (or of an entry under them),
/// neither they nor an entry under them has a supported claim (which covers a standard), and they
/// are no review or assessment.
fn unaligned_lessons(units: &[Unit], al: &[UnitAlignment], cov: &Coverage) -> Vec<usize> {
    let mut supported = vec![false; units.len()];
    for a in al {
        if a.claims
            .iter()
            .any(|k| k.status == crate::align::ClaimStatus::Supported && !crate::review::is_rejected(&k.reviewed))
        {
            let mut u = Some(a.unit);
            while let Some(i) = u.filter(|&i| !supported[i]) {
                supported[i] = true;
                u = units[i].parent.filter(|&p| p < i);
            }
        }
    }
    cov.unaligned
        .iter()
        .copied()
        .filter(|&u| units[u].role.is_lesson() && !supported[u])
        .collect()
}

pub fn build<'a>(
    c: &'a Corpus,
    units: &'a [Unit],
    al: &[UnitAlignment],
    cov: &Coverage,
    files: &[String],
) -> AuditJson<'a> {
    // Rows borrow their strings from the corpus and the units: an audit of 200,000 standards
    // copies none of them.
    let std_json = |sc: &super::coverage::StandardCoverage| StandardJson {
        code: c.standard(sc.r).display_code(),
        framework: c.frameworks[sc.r.fw].id.as_str(),
        grades: grades_label(&c.standard(sc.r).grades),
        status: sc.status.as_str(),
        best_score: r3(sc.best),
        units: sc.units.iter().map(|(u, _)| units[*u].id.as_str()).collect(),
        lessons: sc.lessons.len(),
        pages: sc.pages,
    };
    let unaligned = unaligned_lessons(units, al, cov);
    AuditJson {
        scope: ScopeJson {
            frameworks: cov.frameworks.iter().map(|&f| c.frameworks[f].id.clone()).collect(),
            grades: cov.grades.map(|g| g.to_string()),
            min_score: cov.min_score,
            files: files.to_vec(),
        },
        summary: Summary {
            standards: cov.total(),
            covered: cov.count(Status::Covered),
            weak: cov.count(Status::Weak),
            gaps: cov.count(Status::Gap),
            coverage_pct: cov.pct(),
            units: units.len(),
            unaligned_units: unaligned.len(),
            review_units: units.iter().filter(|u| !u.role.is_lesson()).count(),
            lessons: cov.lessons,
            pages: cov.pages,
            claims: cov.claims.clone(),
        },
        rollup: std::iter::once(LevelJson {
            level: "grade",
            rows: cov.by_grade.clone(),
        })
        .chain(cov.levels.iter().map(|l| LevelJson {
            level: l.name(),
            rows: l.rows.clone(),
        }))
        .collect(),
        standards: cov.standards.iter().map(std_json).collect(),
        gaps: cov.gaps_in_order(c).map(|sc| code_of(c, sc.r)).collect(),
        unaligned_units: unaligned.iter().map(|&u| unit_json(&units[u])).collect(),
        reviews: units.iter().filter(|u| !u.role.is_lesson()).map(unit_json).collect(),
        off_grade: cov
            .off_grade
            .iter()
            .map(|&(u, k)| {
                let a = al.iter().find(|a| a.unit == u).expect("alignment of unit");
                let ch = &a.claims[k];
                OffGradeJson {
                    unit: units[u].id.clone(),
                    code: ch.claimed.clone(),
                    unit_grade: units[u].grade.map(|g| g.to_string()),
                    standard_grades: ch
                        .resolved
                        .first()
                        .map(|r| grades_label(&c.standard(*r).grades))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        units: al
            .iter()
            .map(|a| {
                let u = &units[a.unit];
                let mut s: Vec<String> = a
                    .matches
                    .iter()
                    .filter(|m| m.score >= cov.min_score || crate::review::is_accepted(&m.reviewed))
                    .filter(|m| !crate::review::is_rejected(&m.reviewed))
                    .map(|m| code_of(c, super::coverage::counted_node(c, m.r)))
                    .collect();
                // Two sub-standards of one standard count for it once, where it first comes.
                let mut seen = std::collections::HashSet::new();
                s.retain(|code| seen.insert(code.clone()));
                UnitCoverageJson {
                    id: u.id.clone(),
                    title: unit_name(u),
                    parent: u.parent.map(|p| units[p].id.clone()),
                    page: u.page.clone(),
                    role: role_of(u),
                    standards: s,
                    claims: a.claims.iter().map(|k| claim_row(c, k)).collect(),
                    reviewed: a
                        .matches
                        .iter()
                        .filter_map(|m| {
                            m.reviewed.clone().map(|reviewed| ReviewedPair {
                                code: code_of(c, m.r),
                                reviewed,
                            })
                        })
                        .collect(),
                }
            })
            .collect(),
        correlation: None,
        via: None,
    }
}

/// CSV: one row per counted standard.
pub fn csv_table(c: &Corpus, cov: &Coverage, units: &[Unit]) -> Table {
    let mut t = Table::new([
        "framework",
        "code",
        "grades",
        "domain",
        "cluster",
        "status",
        "best_score",
        "units",
        "unit_pages",
        "lessons",
        "pages",
        "text",
    ]);
    // `domain` is the outermost level's row (a strand, a domain, a discipline), `cluster` the
    // innermost's (a cluster, a topic).
    let label_at = |level: Option<&super::coverage::Level>, i: usize| {
        level
            .and_then(|l| l.row_of[i].map(|r| l.rows[r].label.clone()))
            .unwrap_or_default()
    };
    let (outer, inner) = match cov.levels.as_slice() {
        [] => (None, None),
        [one] => (Some(one), None),
        [first, .., last] => (Some(first), Some(last)),
    };
    for (i, sc) in cov.standards.iter().enumerate() {
        let fw = &c.frameworks[sc.r.fw];
        t.row([
            fw.id.clone(),
            code_of(c, sc.r),
            grades_label(&c.standard(sc.r).grades),
            label_at(outer, i),
            label_at(inner, i),
            sc.status.as_str().to_string(),
            format!("{:.3}", sc.best),
            sc.units
                .iter()
                .map(|(u, _)| units[*u].id.clone())
                .collect::<Vec<_>>()
                .join(" "),
            sc.units
                .iter()
                .filter_map(|(u, _)| units[*u].page.as_ref().map(|p| format!("{}:{p}", units[*u].id)))
                .collect::<Vec<_>>()
                .join(" "),
            sc.lessons.len().to_string(),
            sc.pages.map(|p| p.to_string()).unwrap_or_default(),
            c.standard(sc.r).text.clone(),
        ]);
    }
    t
}

/// A level's rows: counts, the covered share, and the emphasis (lessons, and pages when the book
/// gives them).
fn rollup_table(rows: &[Rollup], key: &str, width: usize) -> Table {
    let paged = rows.iter().any(|r| r.pages.is_some());
    let mut head = vec![
        key,
        "title",
        "standards",
        "covered",
        "weak",
        "gaps",
        "covered %",
        "lessons",
    ];
    if paged {
        head.push("pages");
    }
    let mut t = Table::new(head).wrap(["title"]);
    for r in rows {
        let mut cells = vec![
            r.key.clone(),
            clip(&r.label, width),
            r.standards.to_string(),
            r.covered.to_string(),
            r.weak.to_string(),
            r.gaps.to_string(),
            format!("{:.1}", r.pct),
            r.lessons.to_string(),
        ];
        if paged {
            cells.push(r.pages.map(|p| p.to_string()).unwrap_or_default());
        }
        t.row(cells);
    }
    t
}

fn gap_table(c: &Corpus, cov: &Coverage, width: usize) -> Table {
    let mut t = Table::new(["gap", "grades", "standard"]).wrap(["standard"]);
    for sc in cov.gaps_in_order(c) {
        t.row([
            code_of(c, sc.r),
            grades_label(&c.standard(sc.r).grades),
            clip(&c.standard(sc.r).text, width),
        ]);
    }
    t
}

/// `16 of 28 standards covered (57.1%), 4 weak, 8 gaps` (within 80 columns).
fn headline(j: &AuditJson) -> String {
    format!(
        "{} of {} standards covered ({:.1}%), {} weak, {} {}",
        j.summary.covered,
        j.summary.standards,
        j.summary.coverage_pct,
        j.summary.weak,
        j.summary.gaps,
        if j.summary.gaps == 1 { "gap" } else { "gaps" },
    )
}

/// `ccss-math grade 4, 33 units`.
fn scope_line(j: &AuditJson) -> String {
    format!(
        "{}{}, {} units",
        j.scope.frameworks.join(", "),
        j.scope
            .grades
            .as_ref()
            .map(|g| format!(" grade {g}"))
            .unwrap_or_default(),
        j.summary.units,
    )
}

fn claims_line(j: &AuditJson) -> Option<String> {
    if j.summary.claims.is_empty() {
        return None;
    }
    let parts: Vec<String> = j
        .summary
        .claims
        .iter()
        .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
        .collect();
    Some(format!("claimed codes: {}", parts.join(", ")))
}

/// The cells of a row whose cell `at` is its page, without that cell when `paged` is false.
fn with_page<S: Clone>(paged: bool, at: usize, cells: &[S]) -> Vec<S> {
    cells
        .iter()
        .enumerate()
        .filter(|(i, _)| paged || *i != at)
        .map(|(_, c)| c.clone())
        .collect()
}

/// `12 reviews and assessments, not counted among the units aligned to nothing`.
fn reviews_line(j: &AuditJson) -> Option<String> {
    match j.summary.review_units {
        0 => None,
        1 => Some("1 review or assessment, not counted among the units aligned to nothing".into()),
        n => Some(format!(
            "{n} reviews and assessments, not counted among the units aligned to nothing"
        )),
    }
}

/// The table for people: headline, per-domain roll-up, per-cluster roll-up, gaps, unaligned
/// units, claim problems.
pub fn write_text<W: Write + ?Sized>(
    out: &mut W,
    c: &Corpus,
    j: &AuditJson,
    cov: &Coverage,
    al: &[UnitAlignment],
    units: &[Unit],
) -> io::Result<()> {
    writeln!(out, "{}", headline(j))?;
    writeln!(out, "scope: {}", scope_line(j))?;
    if let Some(l) = claims_line(j) {
        writeln!(out, "{l}")?;
    }
    writeln!(out)?;
    if cov.by_grade.len() > 1 {
        writeln!(out, "By grade")?;
        rollup_table(&cov.by_grade, "grade", 30).write_text(out)?;
    }
    for l in &cov.levels {
        writeln!(out, "By {}", l.name())?;
        rollup_table(&l.rows, l.name(), 200).write_text(out)?;
    }
    if cov.gaps().next().is_some() {
        writeln!(out, "Gaps: standards nothing addresses")?;
        gap_table(c, cov, 400).write_text(out)?;
    } else {
        writeln!(out, "No gaps.")?;
    }
    if !j.unaligned_units.is_empty() {
        writeln!(out, "Units aligned to nothing")?;
        // A page column when the book gives pages.
        let paged = j.unaligned_units.iter().any(|u| u.page.is_some());
        let mut t = Table::new(with_page(paged, 2, &["unit", "title", "page", "where"])).wrap(["title"]);
        for u in &j.unaligned_units {
            t.row(with_page(
                paged,
                2,
                &[
                    u.id.clone(),
                    clip(&u.title, 200),
                    u.page.clone().unwrap_or_default(),
                    u.origin.clone(),
                ],
            ));
        }
        t.write_text(out)?;
    }
    if let Some(l) = reviews_line(j) {
        writeln!(out, "{l}")?;
    }
    if let Some((l, t)) = via_section(j) {
        writeln!(out, "{l}")?;
        t.write_text(out)?;
    }
    if let Some(t) = claims_table(c, al, units) {
        writeln!(out, "Claims to review")?;
        t.write_text(out)?;
    }
    if crate::review::any_reviewed(al) {
        writeln!(out, "Reviewed decisions")?;
        crate::review::reviewed_table(c, units, al).write_text(out)?;
    }
    if let Some(cj) = &j.correlation {
        super::correlation::write_text(out, cj)?;
    }
    Ok(())
}

/// The claims whose verdict is not `supported`, one row each with why; `None` without any.
fn claims_table(c: &Corpus, al: &[UnitAlignment], units: &[Unit]) -> Option<Table> {
    let problems: Vec<(usize, &crate::align::ClaimCheck)> = al
        .iter()
        .flat_map(|a| a.claims.iter().map(move |k| (a.unit, k)))
        .filter(|(_, k)| k.status != crate::align::ClaimStatus::Supported)
        .collect();
    if problems.is_empty() {
        return None;
    }
    {
        let paged = problems.iter().any(|(u, _)| units[*u].page.is_some());
        let mut t = Table::new(with_page(paged, 1, &["unit", "page", "claimed", "verdict", "detail"])).wrap(["detail"]);
        for (u, k) in problems {
            let detail = super::matches::claim_detail(c, k);
            t.row(with_page(
                paged,
                1,
                &[
                    units[u].id.clone(),
                    units[u].page.clone().unwrap_or_default(),
                    match &k.via {
                        Some(v) => format!("{} (via {v})", k.claimed),
                        None => k.claimed.clone(),
                    },
                    k.status.as_str().replace('_', " "),
                    detail,
                ],
            ));
        }
        Some(t)
    }
}

/// `audit --format json`: the document, pretty, with the audit's schema key first.
pub fn write_json<W: Write + ?Sized>(out: &mut W, j: &AuditJson) -> io::Result<()> {
    let mut v = super::versioned(j);
    v.schema = AUDIT_SCHEMA;
    serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::from)?;
    writeln!(out)
}

/// Markdown for a committee's minutes.
pub fn write_markdown<W: Write + ?Sized>(
    out: &mut W,
    c: &Corpus,
    j: &AuditJson,
    cov: &Coverage,
    al: &[UnitAlignment],
    units: &[Unit],
) -> io::Result<()> {
    writeln!(out, "# Standards coverage audit\n")?;
    writeln!(out, "Files: {}  ", j.scope.files.join(", "))?;
    writeln!(
        out,
        "Scope: {}{}  ",
        j.scope.frameworks.join(", "),
        j.scope
            .grades
            .as_ref()
            .map(|g| format!(", grade {g}"))
            .unwrap_or_default()
    )?;
    writeln!(out, "Minimum score: {}\n", j.scope.min_score)?;
    writeln!(out, "**{}** — {}\n", headline(j), scope_line(j))?;
    if let Some(l) = claims_line(j) {
        writeln!(out, "{l}\n")?;
    }
    if cov.by_grade.len() > 1 {
        writeln!(out, "## By grade\n")?;
        rollup_table(&cov.by_grade, "grade", 200).write_markdown(out)?;
        writeln!(out)?;
    }
    for l in &cov.levels {
        writeln!(out, "## By {}\n", l.name())?;
        rollup_table(&l.rows, l.name(), 200).write_markdown(out)?;
        writeln!(out)?;
    }
    writeln!(out, "## Gaps\n")?;
    if cov.gaps().next().is_some() {
        gap_table(c, cov, 400).write_markdown(out)?;
    } else {
        writeln!(out, "None.")?;
    }
    if cov.count(Status::Weak) > 0 {
        writeln!(out, "\n## Weak standards\n")?;
        writeln!(
            out,
            "Addressed, but no unit's match reaches the minimum score {}: a reviewer's call.\n",
            cov.min_score
        )?;
        weak_table(c, cov, units).write_markdown(out)?;
    }
    if let Some(t) = claims_table(c, al, units) {
        writeln!(out, "\n## Claims to review\n")?;
        t.write_markdown(out)?;
    }
    writeln!(out, "\n## Lessons per standard\n")?;
    lessons_table(c, cov, units, 5).write_markdown(out)?;
    if !j.unaligned_units.is_empty() {
        writeln!(out, "\n## Units aligned to nothing\n")?;
        for u in &j.unaligned_units {
            let page = u.page.as_deref().map(|p| format!(", p. {p}")).unwrap_or_default();
            writeln!(out, "- {} {} ({}{page})", u.id, u.title, u.origin)?;
        }
    }
    if let Some(l) = reviews_line(j) {
        writeln!(out, "\n{l}")?;
    }
    let reviewed: Vec<(&str, &str, &crate::review::Reviewed)> = j
        .units
        .iter()
        .flat_map(|u| {
            let ms = u
                .reviewed
                .iter()
                .map(move |p| (u.id.as_str(), p.code.as_str(), &p.reviewed));
            let ks = u
                .claims
                .iter()
                .filter_map(move |k| k.reviewed.as_ref().map(|r| (u.id.as_str(), k.code.as_str(), r)));
            ms.chain(ks)
        })
        .collect();
    if !reviewed.is_empty() {
        writeln!(out, "\n## Reviewed decisions\n")?;
        let mut t = Table::new(["unit", "code", "review", "reviewer", "date", "note"]);
        for (u, code, r) in reviewed {
            t.row([
                u.to_string(),
                code.to_string(),
                r.decision.marker().to_string(),
                r.reviewer.clone(),
                r.date.clone(),
                r.note.clone(),
            ]);
        }
        t.write_markdown(out)?;
    }
    if let Some(cj) = &j.correlation {
        super::correlation::write_markdown(out, cj)?;
    }
    if let Some((l, t)) = via_section(j) {
        writeln!(out, "\n## Claims carried through the crosswalk\n\n{l}\n")?;
        t.write_markdown(out)?;
    }
    Ok(())
}

/// The weak standards: addressed below the minimum score, with the best unit.
fn weak_table(c: &Corpus, cov: &Coverage, units: &[Unit]) -> Table {
    let mut t = Table::new(["weak", "grades", "best score", "best unit", "standard"]).wrap(["standard", "best unit"]);
    for sc in cov.standards.iter().filter(|s| s.status == Status::Weak) {
        t.row([
            code_of(c, sc.r),
            grades_label(&c.standard(sc.r).grades),
            format!("{:.2}", sc.best),
            sc.units
                .first()
                .map(|(u, _)| format!("{} {}", units[*u].id, unit_name(&units[*u])))
                .unwrap_or_default(),
            c.standard(sc.r).text.clone(),
        ]);
    }
    t
}

/// Emphasis per standard: its status, how many lessons (and pages) address it, and the first
/// `shown` of them.
fn lessons_table(c: &Corpus, cov: &Coverage, units: &[Unit], shown: usize) -> Table {
    let paged = cov.standards.iter().any(|s| s.pages.is_some());
    let mut head = vec!["standard", "status", "lessons"];
    if paged {
        head.push("pages");
    }
    head.push("where taught");
    let mut t = Table::new(head).wrap(["where taught"]);
    for sc in &cov.standards {
        let mut w: Vec<String> = sc
            .lessons
            .iter()
            .take(shown)
            .map(|&u| {
                let page = units[u]
                    .page
                    .as_deref()
                    .map(|p| format!(" (p. {p})"))
                    .unwrap_or_default();
                format!("{} {}{page}", units[u].id, unit_name(&units[u]))
            })
            .collect();
        if sc.lessons.len() > shown {
            w.push(format!("and {} more", sc.lessons.len() - shown));
        }
        let mut cells = vec![
            code_of(c, sc.r),
            sc.status.as_str().to_string(),
            sc.lessons.len().to_string(),
        ];
        if paged {
            cells.push(sc.pages.map(|p| p.to_string()).unwrap_or_default());
        }
        cells.push(w.join("; "));
        t.row(cells);
    }
    t
}

/// `{"schema", "record": "summary", "scope", "summary"}`.
#[derive(Debug, Serialize)]
struct SummaryRecord<'a> {
    scope: &'a ScopeJson,
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a ViaJson>,
}

/// `{"schema", "record": "rollup", "level": "grade" | "strand" | "domain" | "discipline" | "topic"
/// | "cluster", ...Rollup}`.
#[derive(Debug, Serialize)]
struct RollupRecord<'a> {
    level: &'static str,
    #[serde(flatten)]
    rollup: &'a Rollup,
}

/// `{"schema", "record": "unit", "id", "title", "parent"?, "standards", "origin", "aligned"}`.
#[derive(Debug, Serialize)]
struct UnitRecord<'a> {
    #[serde(flatten)]
    unit: &'a UnitCoverageJson,
    origin: &'a str,
    /// False for a lesson aligned to nothing (listed under `unaligned_units` in the document).
    aligned: bool,
}

/// `audit --format jsonl`: the document as a stream of records, one compact JSON object per line,
/// each `{"schema", "record": KIND, ...}`: first one `summary` (scope and summary), then the
/// `rollup`s (grades, then each level of the framework, in the document's order), one `standard` per counted
/// standard, one `unit` per unit, and one `off_grade` per claim of a standard off the unit's
/// grade. Gaps are the `standard` records whose status is `gap`; unaligned units the `unit`
/// records with `aligned: false`.
pub fn write_jsonl<W: Write + ?Sized>(
    out: &mut W,
    j: &AuditJson,
    units: &[Unit],
    al: &[UnitAlignment],
    cov: &Coverage,
) -> io::Result<()> {
    fn line<W: Write + ?Sized, T: Serialize>(out: &mut W, kind: &'static str, body: T) -> io::Result<()> {
        let mut r = super::record(kind, body);
        r.schema = AUDIT_SCHEMA;
        serde_json::to_writer(&mut *out, &r).map_err(io::Error::from)?;
        writeln!(out)
    }
    line(
        out,
        "summary",
        SummaryRecord {
            scope: &j.scope,
            summary: &j.summary,
            via: j.via.as_ref(),
        },
    )?;
    for l in &j.rollup {
        for rollup in &l.rows {
            line(out, "rollup", RollupRecord { level: l.level, rollup })?;
        }
    }
    for sj in &j.standards {
        line(out, "standard", sj)?;
    }
    let unaligned: std::collections::HashSet<usize> = unaligned_lessons(units, al, cov).into_iter().collect();
    for (u, a) in j.units.iter().zip(al) {
        line(
            out,
            "unit",
            UnitRecord {
                unit: u,
                origin: &units[a.unit].origin,
                aligned: !unaligned.contains(&a.unit),
            },
        )?;
    }
    for o in &j.off_grade {
        line(out, "off_grade", o)?;
    }
    if let Some(cj) = &j.correlation {
        for ct in &cj.citations {
            line(out, "citation", ct)?;
        }
    }
    Ok(())
}
