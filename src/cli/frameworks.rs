//! `aligner frameworks`: the indexed frameworks with their counts.

use super::{CmdOutcome, Ctx, Outcome};
use aligner::index::{Meta, SHIPPED_ORIGIN};
use aligner::model::{Framework, Kind};
use aligner::report::{write_json, write_jsonl, Table};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// List the indexed frameworks: id, title, jurisdiction, subject, where each came from (shipped or
/// the file), counts by kind and grade.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner frameworks\n  aligner frameworks --format json | jq '.frameworks[].id'")]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people
    Table,
    /// One JSON document: {"schema", "frameworks": [summary...]}
    Json,
    /// JSON Lines: one framework summary per line
    Jsonl,
    /// One row per framework, with a header row
    Csv,
    /// Markdown table
    Md,
}

/// `frameworks --format json`.
#[derive(Debug, Serialize)]
struct Listing {
    frameworks: Vec<FrameworkSummary>,
}

#[derive(Debug, Serialize)]
pub struct FrameworkSummary {
    pub id: String,
    pub title: String,
    pub jurisdiction: String,
    pub subject: String,
    pub source: String,
    /// `shipped`, or the file it was indexed from (absolute path).
    pub origin: String,
    pub license: String,
    /// All nodes, headings included.
    pub nodes: usize,
    /// Nodes a curriculum aligns to (standards, components, performance expectations).
    pub alignable: usize,
    pub by_kind: BTreeMap<String, usize>,
    /// Alignable nodes per grade label (a standard for grades 9-12 counts in each).
    pub by_grade: BTreeMap<String, usize>,
}

/// Where a framework came from: `shipped` or its file, as the index recorded it (an index that
/// recorded no origins: its `source`).
fn origin(meta: &Meta, fw: &Framework) -> String {
    meta.origin(&fw.id).unwrap_or(&fw.source).to_string()
}

pub fn summarize(fw: &Framework, meta: &Meta) -> FrameworkSummary {
    let mut by_grade: BTreeMap<String, usize> = BTreeMap::new();
    for s in fw.standards.iter().filter(|s| s.kind.is_alignable()) {
        for g in &s.grades {
            *by_grade.entry(g.label()).or_default() += 1;
        }
    }
    FrameworkSummary {
        id: fw.id.clone(),
        title: fw.title.clone(),
        jurisdiction: fw.jurisdiction.clone(),
        subject: fw.subject.clone(),
        source: fw.source.clone(),
        origin: origin(meta, fw),
        license: fw.license.clone(),
        nodes: fw.standards.len(),
        alignable: fw.standards.iter().filter(|s| s.kind.is_alignable()).count(),
        by_kind: fw
            .counts_by_kind()
            .into_iter()
            .map(|(k, n)| (k.as_str().to_string(), n))
            .collect(),
        by_grade,
    }
}

fn grade_span(fw: &Framework) -> String {
    let mut gs: Vec<_> = fw
        .standards
        .iter()
        .filter(|s| s.kind.is_alignable())
        .flat_map(|s| s.grades.iter().copied())
        .collect();
    gs.sort();
    gs.dedup();
    aligner::model::grades_label(&gs)
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let lib = ctx.library()?;
    let fws = &lib.corpus()?.frameworks;
    if a.format == Format::Json || a.format == Format::Jsonl {
        let frameworks: Vec<FrameworkSummary> = fws.iter().map(|f| summarize(f, &lib.meta)).collect();
        if a.format == Format::Json {
            write_json(out, &Listing { frameworks })?;
        } else {
            write_jsonl(out, &frameworks)?;
        }
        return Ok(Outcome::Success);
    }
    let count =
        |fw: &Framework, pred: &dyn Fn(Kind) -> bool| fw.standards.iter().filter(|s| pred(s.kind)).count().to_string();
    let standards = |fw: &Framework| count(fw, &|k| k.is_alignable() && k != Kind::Component);
    let components = |fw: &Framework| count(fw, &|k| k == Kind::Component);
    if a.format == Format::Table {
        // For 80 columns: the jurisdiction joins the title, the subject and the heading count are
        // left to the other formats, and a framework's components (sub-standards) join its
        // standards' count (`385 + 124`), so the title has half the width and wraps between words.
        let mut t = Table::new(["id", "title", "grades", "standards"]).wrap(["title"]);
        let mut any_components = false;
        for fw in fws {
            let title = if fw.jurisdiction.is_empty() || fw.title.contains(&fw.jurisdiction) {
                fw.title.clone()
            } else {
                format!("{} ({})", fw.title, fw.jurisdiction)
            };
            let parts = components(fw);
            any_components |= parts != "0";
            t.row([
                fw.id.clone(),
                title,
                grade_span(fw),
                if parts == "0" {
                    standards(fw)
                } else {
                    format!("{} + {parts}", standards(fw))
                },
            ]);
        }
        t.write_text(out)?;
        if any_components {
            writeln!(
                out,
                "N + M: N standards and M components (sub-standards such as 4.NF.B.3a)."
            )?;
            writeln!(out, "Subjects and heading counts: --format md, csv or json.")?;
        }
        // Where they came from, below the table (a path is too wide for a column).
        let from_files: Vec<(&str, String)> = fws
            .iter()
            .map(|fw| (fw.id.as_str(), origin(&lib.meta, fw)))
            .filter(|(_, o)| o != SHIPPED_ORIGIN)
            .collect();
        let shipped = fws.len() - from_files.len();
        match (shipped, from_files.is_empty()) {
            (_, true) => writeln!(out, "All {shipped} frameworks are shipped with aligner.")?,
            (0, false) => writeln!(out, "From your files:")?,
            (n, false) => writeln!(
                out,
                "{n} framework{} shipped with aligner; from your files:",
                if n == 1 { "" } else { "s" }
            )?,
        }
        for (id, o) in from_files {
            writeln!(out, "  {id}: {o}")?;
        }
        return Ok(Outcome::Success);
    }
    let mut t = Table::new([
        "id",
        "title",
        "jurisdiction",
        "subject",
        "grades",
        "standards",
        "components",
        "headings",
        "from",
    ]);
    for fw in fws {
        t.row([
            fw.id.clone(),
            fw.title.clone(),
            fw.jurisdiction.clone(),
            fw.subject.clone(),
            grade_span(fw),
            standards(fw),
            components(fw),
            count(fw, &|k| k.is_heading()),
            origin(&lib.meta, fw),
        ]);
    }
    if a.format == Format::Csv {
        t.write_csv(out)?;
    } else {
        t.write_markdown(out)?;
    }
    Ok(Outcome::Success)
}
