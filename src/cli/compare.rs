//! `aligner compare A B [C...]`: several programs side by side against one scope of standards.

use super::matching::{options, ScopeArgs};
use super::{CmdOutcome, Ctx, Outcome};
use aligner::error::Error;
use aligner::ingest::curriculum::{input_label, read_one};
use aligner::report::compare::{self, Program};
use aligner::report::coverage;
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Compare programs (curricula or textbook tables of contents) against one scope of standards:
/// coverage per grade, domain or strand and cluster for each, the standards one covers and
/// another does not, each program's unsupported claims, lessons (and pages) per standard, and a
/// ranking with its reason.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner compare book-a-toc.txt book-b-toc.txt --framework ccss-math --grade 4\n  \
aligner compare a.txt b.txt c.csv -f ccss-math -g 4 --format md > comparison.md\n  \
aligner compare a.txt b.txt -f ccss-math -g 4 --format json | jq '.ranking'\n  \
aligner compare a.txt b.txt -f ccss-math -g 4 --decisions a-reviewed.csv --decisions b-reviewed.csv\n\n\
Each program is matched on its own: its scores do not depend on the other programs of the run, and\n\
its unit ids stay its own. Scope: --framework, else the framework every program's codes (or\n\
texts) point to (programs that point to different frameworks are an error); --grade, else the\n\
span of the grades of every program. Ranking: more standards covered, then fewer gaps, then a\n\
smaller share of unsupported claims.\n\
Exit codes: 0 compared, 2 usage or input error."
)]
pub struct Args {
    /// Two or more programs: units (CSV, JSON, JSONL) or tables of contents (.txt, .md), each once
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Score a unit's match must reach for the standard to count as covered (0..1)
    #[arg(long, default_value_t = aligner::report::coverage::MIN_SCORE, value_parser = super::unit_interval)]
    pub min_score: f32,
    /// How many standards each unit may address (1 to 10000)
    #[arg(long, default_value_t = 5, value_parser = super::top_parser())]
    pub top: usize,
    /// Reviewers' decisions (CSV: unit,code,decision,reviewer,date,note; see `aligner review`),
    /// one file per program in the programs' order (repeat the flag; unit ids are each
    /// program's own); programs after the last file have none
    #[arg(long, value_name = "FILE")]
    pub decisions: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The ranking with its reasons, roll-ups side by side, differences, lessons per standard
    Table,
    /// One JSON document: {"schema", "scope", "programs", "ranking", "rollup", "standards",
    /// "differences"}
    Json,
    /// One row per standard and program, with a header row
    Csv,
    /// Markdown for a committee's minutes
    Md,
    /// One self-contained HTML page (no network, no script) with a heatmap of coverage by
    /// domain and program; prints legibly
    Html,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let opts = options(a.scope.grade()?, a.scope.subject.as_deref());
    // Each file once, as `audit` wants it; the programs are read before anything is matched, so
    // a bad file stops the run before the index is opened.
    aligner::ingest::curriculum::distinct_inputs(&a.files)?;
    let mut read = Vec::new();
    for f in &a.files {
        let c = read_one(f, &opts)?;
        ctx.warn_all(&c.warnings);
        read.push((input_label(f), c.units));
    }
    let lib = ctx.library()?;
    let req = a.scope.request()?;
    let c = lib.corpus()?;
    let mut runs = Vec::new();
    if a.decisions.len() > a.files.len() {
        return Err(Error::Usage(format!(
            "{} --decisions files for {} programs: give at most one per program, in the programs' order",
            a.decisions.len(),
            a.files.len()
        ))
        .into());
    }
    for (k, (file, units)) in read.iter().enumerate() {
        let (scope, strands, mut al) = aligner::align::plan::align_all(lib, &req, units, a.top)?;
        if let Some(f) = aligner::align::claims::foreign_codes(c, &mut al, scope.single_framework()) {
            super::say(&format!("note: {file}: {}", f.message()));
        }
        if let Some(d) = a.decisions.get(k) {
            super::review::apply_file(ctx, d, c, units, &mut al)?;
        }
        let (grades, _) = aligner::align::plan::audit_grades(c, &scope, units, &al);
        runs.push((scope, strands, al, grades));
    }
    let frameworks = runs[0].0.frameworks.clone().unwrap_or_default();
    if let Some(k) = runs
        .iter()
        .position(|r| r.0.frameworks.clone().unwrap_or_default() != frameworks)
    {
        let name = |fws: &[usize]| {
            fws.iter()
                .map(|&f| c.frameworks[f].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(Error::Usage(format!(
            "the programs point to different frameworks ({}: {}; {}: {}); choose one with --framework",
            read[0].0,
            name(&frameworks),
            read[k].0,
            name(&runs[k].0.frameworks.clone().unwrap_or_default())
        ))
        .into());
    }
    let grades = aligner::align::plan::span_of(runs.iter().map(|r| r.3));
    let strands = runs[0].1.rule.clone();
    let covs: Vec<coverage::Coverage> = read
        .iter()
        .zip(&runs)
        .map(|((_, units), r)| coverage::compute(c, units, &r.2, &frameworks, grades, &strands, a.min_score))
        .collect();
    if covs[0].total() == 0 {
        let fws: Vec<&str> = frameworks.iter().map(|&f| c.frameworks[f].id.as_str()).collect();
        return Err(Error::Usage(format!(
            "no standard of {}{} to compare against: the scope is empty; choose another --framework or --grade",
            fws.join(", "),
            grades.map(|g| format!(" in grade {g}")).unwrap_or_default(),
        ))
        .into());
    }
    let programs: Vec<Program> = read
        .iter()
        .zip(&runs)
        .zip(&covs)
        .map(|(((file, units), r), cov)| Program {
            file: file.clone(),
            units,
            al: &r.2,
            cov,
        })
        .collect();
    let j = compare::build(c, &programs);
    match a.format {
        Format::Json => compare::write_json(out, &j)?,
        Format::Csv => compare::csv_table(&j).write_csv(out)?,
        Format::Md => compare::write_markdown(out, &j)?,
        Format::Table => compare::write_text(out, &j)?,
        Format::Html => compare::write_html(out, &j)?,
    }
    Ok(Outcome::Success)
}
