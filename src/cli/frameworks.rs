//! `aligner frameworks`: the indexed frameworks with their counts.

use super::{CmdResult, Ctx};
use crate::model::{Framework, Kind};
use crate::report::{write_json, write_jsonl, OutputFormat, Table};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// List the indexed frameworks: id, title, jurisdiction, subject, counts by kind and grade.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner frameworks\n  aligner frameworks --format json | jq '.[].id'")]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

#[derive(Debug, Serialize)]
pub struct FrameworkSummary {
    pub id: String,
    pub title: String,
    pub jurisdiction: String,
    pub subject: String,
    pub source: String,
    pub license: String,
    /// All nodes, headings included.
    pub nodes: usize,
    /// Nodes a curriculum aligns to (standards, components, performance expectations).
    pub alignable: usize,
    pub by_kind: BTreeMap<String, usize>,
    /// Alignable nodes per grade label (a standard for grades 9-12 counts in each).
    pub by_grade: BTreeMap<String, usize>,
}

pub fn summarize(fw: &Framework) -> FrameworkSummary {
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
    crate::model::grades_label(&gs)
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    let lib = ctx.library()?;
    let fws = &lib.corpus.frameworks;
    if a.format == OutputFormat::Json || a.format == OutputFormat::Jsonl {
        let sums: Vec<FrameworkSummary> = fws.iter().map(summarize).collect();
        if a.format == OutputFormat::Json {
            write_json(out, &sums)?;
        } else {
            write_jsonl(out, &sums)?;
        }
        return Ok(0);
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
    ]);
    for fw in fws {
        let count = |pred: &dyn Fn(Kind) -> bool| fw.standards.iter().filter(|s| pred(s.kind)).count().to_string();
        t.row([
            fw.id.clone(),
            fw.title.clone(),
            fw.jurisdiction.clone(),
            fw.subject.clone(),
            grade_span(fw),
            count(&|k| k.is_alignable() && k != Kind::Component),
            count(&|k| k == Kind::Component),
            count(&|k| k.is_heading()),
        ]);
    }
    match a.format {
        OutputFormat::Csv => t.write_csv(out)?,
        OutputFormat::Md => t.write_markdown(out)?,
        _ => t.write_text(out)?,
    }
    Ok(0)
}
