//! The comparison of several programs against one scope (`aligner compare`): each program's
//! coverage, claims and emphasis side by side, per roll-up row (grade, domain or strand, cluster)
//! and per standard, the standards one program covers and another does not, and a ranking with
//! its reason. Built from each program's own [`Coverage`] over the same scope, so the standards
//! and the roll-up rows line up; each program was matched on its own.

use super::coverage::{Coverage, Rollup, Status};
use super::matches::{code_of, unit_name};
use super::table::{clip, Table};
use crate::align::{ClaimStatus, UnitAlignment};
use crate::corpus::Corpus;
use crate::model::{grades_label, Unit};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The version of the comparison's JSON document.
pub const COMPARE_SCHEMA: &str = "aligner/compare-1";

/// One program of a comparison: its file, its units and their alignment, and its coverage of the
/// common scope.
pub struct Program<'a> {
    pub file: String,
    pub units: &'a [Unit],
    pub al: &'a [UnitAlignment],
    pub cov: &'a Coverage,
}

#[derive(Debug, Serialize)]
pub struct CompareJson {
    pub scope: ScopeJson,
    /// The programs in the order given on the command line.
    pub programs: Vec<ProgramJson>,
    /// Best first, each with the reason for its place.
    pub ranking: Vec<RankJson>,
    /// Roll-ups, `grade` first, then the framework's levels outermost first; each row holds one
    /// cell per program, in the programs' order.
    pub rollup: Vec<LevelJson>,
    /// Every counted standard, with one cell per program.
    pub standards: Vec<StandardJson>,
    /// The standards some programs cover and others do not.
    pub differences: Vec<DifferenceJson>,
    /// Codes of the standards no program covers.
    pub covered_by_none: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ScopeJson {
    pub frameworks: Vec<String>,
    pub grades: Option<String>,
    pub min_score: f32,
    pub standards: usize,
}

#[derive(Debug, Serialize)]
pub struct ProgramJson {
    pub file: String,
    pub units: usize,
    /// Lessons that teach (see `audit`'s summary).
    pub lessons: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    pub covered: usize,
    pub weak: usize,
    pub gaps: usize,
    pub coverage_pct: f64,
    pub claims: ClaimsJson,
}

#[derive(Debug, Serialize)]
pub struct ClaimsJson {
    /// Codes the program claims (each unit's codes, as written).
    pub total: usize,
    pub supported: usize,
    /// Claims whose verdict is `unsupported`: the entry's text addresses other standards.
    pub unsupported: usize,
    /// unsupported / total x 100 (0 without claims).
    pub unsupported_pct: f64,
    /// Claims whose verdict is anything but `supported` (unsupported, no evidence, off grade,
    /// unknown, ambiguous) / total x 100: the share a reviewer has to look at.
    pub to_review_pct: f64,
    /// Claims per verdict.
    pub by_status: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Serialize)]
pub struct RankJson {
    pub rank: usize,
    pub file: String,
    pub coverage_pct: f64,
    /// Why it is placed here: its figures, and what puts it above the next program.
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct LevelJson {
    pub level: &'static str,
    pub rows: Vec<RowJson>,
}

#[derive(Debug, Serialize)]
pub struct RowJson {
    pub key: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub standards: usize,
    /// One cell per program.
    pub programs: Vec<CellJson>,
}

#[derive(Debug, Serialize)]
pub struct CellJson {
    pub covered: usize,
    pub weak: usize,
    pub gaps: usize,
    pub pct: f64,
    pub lessons: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct StandardJson {
    pub code: String,
    pub framework: String,
    pub grades: String,
    /// One cell per program.
    pub programs: Vec<StandardCellJson>,
}

#[derive(Debug, Serialize)]
pub struct StandardCellJson {
    /// `covered`, `weak` or `gap`.
    pub status: &'static str,
    pub best_score: f32,
    pub lessons: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// Ids of the program's units that address it, best first (ids are the program's own).
    pub units: Vec<String>,
    /// The reviewers' decisions on this program's pairs of the standard (`--decisions`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviewed: Vec<ReviewedJson>,
    /// The unit that addresses it best: where a reader turns to in the book.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_unit: Option<BestUnitJson>,
}

#[derive(Debug, Serialize)]
pub struct ReviewedJson {
    pub unit: String,
    #[serde(flatten)]
    pub reviewed: crate::review::Reviewed,
}

/// The reviewed pairs of a program whose match or claim names standard `r` (or a part of it).
fn reviewed_of(c: &Corpus, p: &Program, r: crate::codes::Ref) -> Vec<ReviewedJson> {
    let mut out = Vec::new();
    for a in p.al {
        let id = &p.units[a.unit].id;
        let from_matches = a
            .matches
            .iter()
            .filter(|m| super::coverage::counted_node(c, m.r) == r)
            .filter_map(|m| m.reviewed.clone());
        let from_claims = a
            .claims
            .iter()
            .filter(|k| k.resolved.iter().any(|x| super::coverage::counted_node(c, *x) == r))
            .filter_map(|k| k.reviewed.clone());
        for rv in from_matches.chain(from_claims) {
            if !out.iter().any(|x: &ReviewedJson| x.unit == *id && x.reviewed == rv) {
                out.push(ReviewedJson {
                    unit: id.clone(),
                    reviewed: rv,
                });
            }
        }
    }
    out
}

#[derive(Debug, Serialize)]
pub struct BestUnitJson {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DifferenceJson {
    pub code: String,
    pub covered_by: Vec<String>,
    pub not_covered_by: Vec<String>,
}

fn r3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

fn claims_json(al: &[UnitAlignment]) -> ClaimsJson {
    let mut by_status: BTreeMap<&'static str, usize> = BTreeMap::new();
    for ch in al.iter().flat_map(|a| &a.claims) {
        *by_status.entry(ch.status.as_str()).or_default() += 1;
    }
    let total: usize = by_status.values().sum();
    let supported = by_status.get(ClaimStatus::Supported.as_str()).copied().unwrap_or(0);
    let unsupported = by_status.get(ClaimStatus::Unsupported.as_str()).copied().unwrap_or(0);
    ClaimsJson {
        total,
        supported,
        unsupported,
        unsupported_pct: super::coverage::pct(unsupported, total),
        to_review_pct: super::coverage::pct(total - supported, total),
        by_status,
    }
}

fn cell(r: &Rollup) -> CellJson {
    CellJson {
        covered: r.covered,
        weak: r.weak,
        gaps: r.gaps,
        pct: r.pct,
        lessons: r.lessons,
        pages: r.pages,
    }
}

/// The programs best first: more standards covered, then fewer gaps, then a smaller share of
/// unsupported claims, then more lessons on the scope's standards; ties keep the command line's
/// order.
fn ranking(programs: &[ProgramJson]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..programs.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&programs[a], &programs[b]);
        y.covered
            .cmp(&x.covered)
            .then(x.gaps.cmp(&y.gaps))
            .then(x.claims.unsupported_pct.total_cmp(&y.claims.unsupported_pct))
            .then(a.cmp(&b))
    });
    order
}

/// `covers 25 of 28 standards (89.3%), 1 weak, 2 gaps; 1 of 14 claims unsupported (7.1%)`, and
/// what puts it above the next: `3 more standards covered than b.txt`.
fn reason(p: &ProgramJson, standards: usize, next: Option<&ProgramJson>) -> String {
    let mut s = format!(
        "covers {} of {standards} standards ({:.1}%), {} weak, {} {}",
        p.covered,
        p.coverage_pct,
        p.weak,
        p.gaps,
        if p.gaps == 1 { "gap" } else { "gaps" }
    );
    if p.claims.total > 0 {
        s.push_str(&format!(
            "; {} of {} claims unsupported ({:.1}%)",
            p.claims.unsupported, p.claims.total, p.claims.unsupported_pct
        ));
    }
    if let Some(n) = next {
        let why = if p.covered != n.covered {
            let d = p.covered - n.covered;
            format!(
                "{d} more {} covered than {}",
                if d == 1 { "standard" } else { "standards" },
                n.file
            )
        } else if p.gaps != n.gaps {
            format!("as many covered as {}, {} fewer gaps", n.file, n.gaps - p.gaps)
        } else if p.claims.unsupported_pct != n.claims.unsupported_pct {
            format!(
                "as many covered and gaps as {}, fewer unsupported claims ({:.1}% against {:.1}%)",
                n.file, p.claims.unsupported_pct, n.claims.unsupported_pct
            )
        } else {
            format!("ties with {} (listed first on the command line)", n.file)
        };
        s.push_str("; ");
        s.push_str(&why);
    }
    s
}

/// The comparison document. Every program's coverage must be of the same scope (the same counted
/// standards in the same order), as `aligner compare` computes them.
pub fn build(c: &Corpus, programs: &[Program]) -> CompareJson {
    let first = programs.first().map(|p| p.cov);
    let pj: Vec<ProgramJson> = programs
        .iter()
        .map(|p| ProgramJson {
            file: p.file.clone(),
            units: p.units.len(),
            lessons: p.cov.lessons,
            pages: p.cov.pages,
            covered: p.cov.count(Status::Covered),
            weak: p.cov.count(Status::Weak),
            gaps: p.cov.count(Status::Gap),
            coverage_pct: p.cov.pct(),
            claims: claims_json(p.al),
        })
        .collect();
    let total = first.map_or(0, |c| c.total());
    let order = ranking(&pj);
    let ranking = order
        .iter()
        .enumerate()
        .map(|(k, &i)| RankJson {
            rank: k + 1,
            file: pj[i].file.clone(),
            coverage_pct: pj[i].coverage_pct,
            reason: reason(&pj[i], total, order.get(k + 1).map(|&n| &pj[n])),
        })
        .collect();
    let mut rollup = Vec::new();
    if let Some(f) = first {
        let level = |name: &'static str, rows_of: &dyn Fn(&Coverage) -> &[Rollup]| LevelJson {
            level: name,
            rows: rows_of(f)
                .iter()
                .enumerate()
                .map(|(i, r)| RowJson {
                    key: r.key.clone(),
                    label: r.label.clone(),
                    parent: r.parent.clone(),
                    standards: r.standards,
                    programs: programs
                        .iter()
                        .map(|p| rows_of(p.cov).get(i).map(cell).unwrap_or_else(|| cell(r)))
                        .collect(),
                })
                .collect(),
        };
        rollup.push(level("grade", &|c: &Coverage| c.by_grade.as_slice()));
        for (k, l) in f.levels.iter().enumerate() {
            rollup.push(level(l.name(), &|c: &Coverage| {
                c.levels.get(k).map(|l| l.rows.as_slice()).unwrap_or(&[])
            }));
        }
    }
    let mut standards = Vec::new();
    let mut differences = Vec::new();
    let mut covered_by_none = Vec::new();
    if let Some(f) = first {
        for (i, sc) in f.standards.iter().enumerate() {
            let code = code_of(c, sc.r);
            let cells: Vec<StandardCellJson> = programs
                .iter()
                .map(|p| {
                    let s = &p.cov.standards[i];
                    StandardCellJson {
                        status: s.status.as_str(),
                        best_score: r3(s.best),
                        lessons: s.lessons.len(),
                        pages: s.pages,
                        units: s.units.iter().map(|(u, _)| p.units[*u].id.clone()).collect(),
                        reviewed: reviewed_of(c, p, sc.r),
                        best_unit: s.units.first().map(|(u, _)| BestUnitJson {
                            id: p.units[*u].id.clone(),
                            title: unit_name(&p.units[*u]),
                            page: p.units[*u].page.clone(),
                        }),
                    }
                })
                .collect();
            let covered_by: Vec<String> = programs
                .iter()
                .filter(|p| p.cov.standards[i].status == Status::Covered)
                .map(|p| p.file.clone())
                .collect();
            if covered_by.is_empty() {
                covered_by_none.push(code.clone());
            } else if covered_by.len() < programs.len() {
                differences.push(DifferenceJson {
                    code: code.clone(),
                    not_covered_by: programs
                        .iter()
                        .filter(|p| p.cov.standards[i].status != Status::Covered)
                        .map(|p| p.file.clone())
                        .collect(),
                    covered_by,
                });
            }
            standards.push(StandardJson {
                code,
                framework: c.frameworks[sc.r.fw].id.clone(),
                grades: grades_label(&c.standard(sc.r).grades),
                programs: cells,
            });
        }
    }
    CompareJson {
        scope: ScopeJson {
            frameworks: first
                .map(|f| f.frameworks.iter().map(|&i| c.frameworks[i].id.clone()).collect())
                .unwrap_or_default(),
            grades: first.and_then(|f| f.grades).map(|g| g.to_string()),
            min_score: first.map_or(0.0, |f| f.min_score),
            standards: total,
        },
        programs: pj,
        ranking,
        rollup,
        standards,
        differences,
        covered_by_none,
    }
}

/// `compare --format json`: the document, pretty, with its schema first.
pub fn write_json<W: Write + ?Sized>(out: &mut W, j: &CompareJson) -> io::Result<()> {
    let mut v = super::versioned(j);
    v.schema = COMPARE_SCHEMA;
    serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::from)?;
    writeln!(out)
}

/// Short names for the programs' columns: each file's name without its directory, unless two
/// programs share it.
pub fn column_names(j: &CompareJson) -> Vec<String> {
    let short: Vec<String> = j
        .programs
        .iter()
        .map(|p| {
            std::path::Path::new(&p.file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.file.clone())
        })
        .collect();
    let unique = short.iter().all(|s| short.iter().filter(|t| *t == s).count() == 1);
    if unique {
        short
    } else {
        j.programs.iter().map(|p| p.file.clone()).collect()
    }
}

/// `5/7 71%`.
fn cell_text(c: &CellJson, standards: usize) -> String {
    format!("{}/{standards} {:.0}%", c.covered, c.pct)
}

/// The programs' summary table, in ranking order.
fn summary_table(j: &CompareJson) -> Table {
    let names = column_names(j);
    let paged = j.programs.iter().any(|p| p.pages.is_some());
    let mut head = vec!["rank", "program", "covered", "%", "weak", "gaps", "lessons"];
    if paged {
        head.push("pages");
    }
    head.extend(["claims", "unsupported"]);
    let mut t = Table::new(head);
    for r in &j.ranking {
        let Some(i) = j.programs.iter().position(|p| p.file == r.file) else {
            continue;
        };
        let p = &j.programs[i];
        let mut cells = vec![
            r.rank.to_string(),
            names[i].clone(),
            format!("{}/{}", p.covered, j.scope.standards),
            format!("{:.1}", p.coverage_pct),
            p.weak.to_string(),
            p.gaps.to_string(),
            p.lessons.to_string(),
        ];
        if paged {
            cells.push(p.pages.map(|x| x.to_string()).unwrap_or_default());
        }
        cells.push(p.claims.total.to_string());
        cells.push(if p.claims.total == 0 {
            "-".to_string()
        } else {
            format!("{} ({:.1}%)", p.claims.unsupported, p.claims.unsupported_pct)
        });
        t.row(cells);
    }
    t
}

/// One roll-up level: a row per heading, a column per program (`covered/standards pct`).
fn level_table(j: &CompareJson, l: &LevelJson, width: usize) -> Table {
    let names = column_names(j);
    let mut head = vec![l.level.to_string(), "title".to_string()];
    head.extend(names.iter().cloned());
    let mut t = Table::new(head).wrap(["title"]);
    for r in &l.rows {
        let mut cells = vec![r.key.clone(), clip(&r.label, width)];
        cells.extend(r.programs.iter().map(|c| cell_text(c, r.standards)));
        t.row(cells);
    }
    t
}

/// A table of standards with one column per program, each cell `cell` of that program's cell.
fn per_program<'a>(
    j: &CompareJson,
    standards: impl Iterator<Item = &'a StandardJson>,
    cell: impl Fn(&StandardCellJson) -> String,
) -> Table {
    let mut head = vec!["standard".to_string()];
    head.extend(column_names(j));
    let mut t = Table::new(head);
    for s in standards {
        let mut cells = vec![s.code.clone()];
        cells.extend(s.programs.iter().map(&cell));
        t.row(cells);
    }
    t
}

/// The standards some cover and others do not: a column per program with its status.
fn differences_table(j: &CompareJson) -> Table {
    let differing = j
        .differences
        .iter()
        .filter_map(|d| j.standards.iter().find(|s| s.code == d.code));
    per_program(j, differing, |p| {
        if p.reviewed.is_empty() {
            p.status.to_string()
        } else {
            format!("{} (reviewed)", p.status)
        }
    })
}

/// Emphasis per standard: a column per program with its lessons (and pages).
fn lessons_table(j: &CompareJson) -> Table {
    per_program(j, j.standards.iter(), |p| {
        let mark = if p.reviewed.is_empty() { "" } else { " ✓" };
        match (p.status, p.pages) {
            ("gap", _) => format!("gap{mark}"),
            (_, Some(pages)) => format!("{} ({pages} p.){mark}", p.lessons),
            _ => format!("{}{mark}", p.lessons),
        }
    })
}

/// A text bar of `width` cells for a percentage: `██████░░░░`.
pub fn bar(pct: f64, width: usize) -> String {
    let full = ((pct.clamp(0.0, 100.0) / 100.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

/// Per standard, each program's best unit and its page (`gap` where it has none).
fn best_table(j: &CompareJson) -> Table {
    per_program(j, j.standards.iter(), |p| match &p.best_unit {
        Some(b) if p.status != "gap" => {
            let page = b.page.as_deref().map(|x| format!(", p. {x}")).unwrap_or_default();
            format!("{} {} ({}{page})", b.id, b.title, p.status)
        }
        _ => "gap".to_string(),
    })
}

fn headline(j: &CompareJson) -> String {
    format!(
        "{} programs against {}{} ({} standards)",
        j.programs.len(),
        j.scope.frameworks.join(", "),
        j.scope
            .grades
            .as_ref()
            .map(|g| format!(" grade {g}"))
            .unwrap_or_default(),
        j.scope.standards
    )
}

/// The table for people: the ranking and why, the roll-ups side by side, the standards that
/// differ, and the lessons per standard.
pub fn write_text<W: Write + ?Sized>(out: &mut W, j: &CompareJson) -> io::Result<()> {
    writeln!(out, "{}", headline(j))?;
    writeln!(out)?;
    summary_table(j).write_text(out)?;
    for r in &j.ranking {
        writeln!(out, "{}. {}: {}", r.rank, r.file, r.reason)?;
    }
    writeln!(out)?;
    for l in &j.rollup {
        if l.level == "grade" && l.rows.len() < 2 {
            continue;
        }
        writeln!(out, "By {}", l.level)?;
        level_table(j, l, 40).write_text(out)?;
    }
    if j.differences.is_empty() {
        writeln!(out, "Every program covers the same standards.")?;
    } else {
        writeln!(out, "Standards some programs cover and others do not")?;
        differences_table(j).write_text(out)?;
    }
    if !j.covered_by_none.is_empty() {
        writeln!(out, "Covered by no program: {}", j.covered_by_none.join(" "))?;
    }
    writeln!(out, "Lessons per standard")?;
    lessons_table(j).write_text(out)?;
    Ok(())
}

/// Markdown for a committee's minutes: the same sections as the table.
pub fn write_markdown<W: Write + ?Sized>(out: &mut W, j: &CompareJson) -> io::Result<()> {
    writeln!(out, "# Program comparison\n")?;
    writeln!(out, "**{}**  ", headline(j))?;
    writeln!(out, "Minimum score: {}\n", j.scope.min_score)?;
    writeln!(out, "## Ranking\n")?;
    summary_table(j).write_markdown(out)?;
    writeln!(out)?;
    for r in &j.ranking {
        writeln!(out, "{}. **{}**: {}", r.rank, r.file.replace('|', "\\|"), r.reason)?;
    }
    if let Some(top) = j.rollup.iter().find(|l| l.level != "grade") {
        writeln!(out, "\n## Coverage by {}\n", top.level)?;
        writeln!(out, "```text")?;
        let names = column_names(j);
        let w = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        for r in &top.rows {
            writeln!(out, "{} {}", r.key, r.label)?;
            for (n, c) in names.iter().zip(&r.programs) {
                writeln!(out, "  {n:<w$}  {} {:>5.1}%", bar(c.pct, 20), c.pct)?;
            }
        }
        writeln!(out, "```")?;
    }
    for l in &j.rollup {
        if l.level == "grade" && l.rows.len() < 2 {
            continue;
        }
        writeln!(out, "\n## By {}\n", l.level)?;
        level_table(j, l, 200).write_markdown(out)?;
    }
    writeln!(out, "\n## Standards some programs cover and others do not\n")?;
    if j.differences.is_empty() {
        writeln!(out, "None: every program covers the same standards.")?;
    } else {
        differences_table(j).write_markdown(out)?;
    }
    writeln!(out, "\n## Covered by no program\n")?;
    if j.covered_by_none.is_empty() {
        writeln!(out, "None.")?;
    } else {
        writeln!(out, "{}", j.covered_by_none.join(", "))?;
    }
    writeln!(out, "\n## Lessons per standard\n")?;
    lessons_table(j).write_markdown(out)?;
    writeln!(out, "\n## Where each standard is taught\n")?;
    writeln!(out, "The unit that addresses it best in each program, with its page.\n")?;
    best_table(j).write_markdown(out)?;
    Ok(())
}

/// CSV: one row per standard and program.
pub fn csv_table(j: &CompareJson) -> Table {
    let mut t = Table::new([
        "framework",
        "code",
        "grades",
        "program",
        "status",
        "best_score",
        "lessons",
        "pages",
        "units",
    ]);
    for s in &j.standards {
        for (p, cell) in j.programs.iter().zip(&s.programs) {
            t.row([
                s.framework.clone(),
                s.code.clone(),
                s.grades.clone(),
                p.file.clone(),
                cell.status.to_string(),
                format!("{:.3}", cell.best_score),
                cell.lessons.to_string(),
                cell.pages.map(|x| x.to_string()).unwrap_or_default(),
                cell.units.join(" "),
            ]);
        }
    }
    t
}

/// `compare --format html`: one self-contained page (see [`super::html`]): the ranking and its
/// reasons, a heatmap of domains (or strands) by program, the other roll-ups, the standards some
/// programs cover and others do not, and per standard each program's lessons and best lesson.
pub fn html_page(j: &CompareJson) -> String {
    use super::html::{escape, heatmap, page, pct_cell, table, td, HeatCell, HeatRow};
    use std::fmt::Write as _;
    let names = column_names(j);
    let mut b = String::new();
    b.push_str("<header>\n<h1>Program comparison</h1>\n<dl class=\"scope\">");
    let _ = write!(
        b,
        "<dt>Programs</dt><dd>{}</dd><dt>Scope</dt><dd>{}</dd><dt>Minimum score</dt><dd>{}</dd>",
        escape(
            &j.programs
                .iter()
                .map(|p| p.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        escape(&headline(j)),
        j.scope.min_score
    );
    b.push_str("</dl>\n</header>\n");
    b.push_str("<section class=\"first\" id=\"ranking\">\n<h2>Ranking</h2>\n");
    let rows: Vec<String> = j
        .ranking
        .iter()
        .filter_map(|r| {
            let i = j.programs.iter().position(|p| p.file == r.file)?;
            let p = &j.programs[i];
            Some(format!(
                "{}{}{}{}{}{}{}{}",
                td("num", &r.rank.to_string()),
                td("code", &names[i]),
                pct_cell(p.coverage_pct),
                td("num", &format!("{} of {}", p.covered, j.scope.standards)),
                td("num", &p.gaps.to_string()),
                td("num", &p.lessons.to_string()),
                td("num", &format!("{} of {}", p.claims.unsupported, p.claims.total)),
                td("text", &r.reason),
            ))
        })
        .collect();
    b.push_str(&table(
        &[
            "rank",
            "program",
            "covered",
            "standards",
            "gaps",
            "lessons",
            "unsupported claims",
            "why",
        ],
        &rows,
    ));
    b.push_str("</section>\n");
    b.push_str("<section id=\"heatmap\">\n<h2>Coverage by program</h2>\n");
    for l in &j.rollup {
        if l.level == "grade" && l.rows.len() < 2 {
            continue;
        }
        let rows: Vec<HeatRow> = l
            .rows
            .iter()
            .map(|r| HeatRow {
                key: r.key.clone(),
                label: r.label.clone(),
                cells: r
                    .programs
                    .iter()
                    .map(|c| {
                        (r.standards > 0).then(|| HeatCell {
                            pct: c.pct,
                            detail: format!("{} of {}, {} lessons", c.covered, r.standards, c.lessons),
                        })
                    })
                    .collect(),
            })
            .collect();
        b.push_str(&heatmap(
            &format!("Standards covered, by {} and program", l.level),
            l.level,
            &names,
            &rows,
        ));
    }
    b.push_str("</section>\n");
    b.push_str("<section id=\"differences\">\n<h2>Standards some programs cover and others do not</h2>\n");
    if j.differences.is_empty() {
        b.push_str("<p>None: every program covers the same standards.</p>\n");
    } else {
        let mut head = vec!["standard"];
        head.extend(names.iter().map(String::as_str));
        let rows: Vec<String> = j
            .differences
            .iter()
            .filter_map(|d| {
                let s = j.standards.iter().find(|s| s.code == d.code)?;
                let mut r = td("code", &s.code);
                for p in &s.programs {
                    r.push_str(&td(&format!("status-{}", p.status), p.status));
                }
                Some(r)
            })
            .collect();
        b.push_str(&table(&head, &rows));
    }
    if !j.covered_by_none.is_empty() {
        let _ = writeln!(
            b,
            "<p><strong>Covered by no program:</strong> {}</p>",
            escape(&j.covered_by_none.join(", "))
        );
    }
    b.push_str("</section>\n");
    b.push_str("<section id=\"standards\">\n<h2>Where each standard is taught</h2>\n");
    let mut head = vec!["standard", "grades"];
    head.extend(names.iter().map(String::as_str));
    let rows: Vec<String> = j
        .standards
        .iter()
        .map(|s| {
            let mut r = td("code", &s.code) + &td("", &s.grades);
            for p in &s.programs {
                let text = match &p.best_unit {
                    Some(u) if p.status != "gap" => {
                        let page = u.page.as_deref().map(|x| format!(", p. {x}")).unwrap_or_default();
                        let pages = p.pages.map(|x| format!(", {x} pages")).unwrap_or_default();
                        let mark = if p.reviewed.is_empty() { "" } else { "; reviewed" };
                        format!(
                            "{}: {} lessons{pages}; best {} {}{page}{mark}",
                            p.status, p.lessons, u.id, u.title
                        )
                    }
                    _ => "gap".to_string(),
                };
                r.push_str(&td(&format!("text status-{}", p.status), &text));
            }
            r
        })
        .collect();
    b.push_str(&table(&head, &rows));
    b.push_str("</section>\n");
    page(&format!("Program comparison: {}", headline(j)), &b)
}

/// Write [`html_page`].
pub fn write_html<W: Write + ?Sized>(out: &mut W, j: &CompareJson) -> io::Result<()> {
    out.write_all(html_page(j).as_bytes())
}
