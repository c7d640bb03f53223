//! `aligner audit FILE...`: coverage of a scope of standards by a curriculum, with gaps, and exit
//! codes for review pipelines.

use super::matching::{read_units, ScopeArgs};
use super::{CmdResult, Ctx};
use crate::error::Error;
use crate::model::{Grade, GradeRange, Unit};
use crate::report::{audit, coverage, write_json, OutputFormat};
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Audit curricula or textbook tables of contents against a scope of standards: each standard
/// covered, weak or a gap, with the units that address it; roll-ups per cluster, domain and grade;
/// the gap list; units aligned to nothing; claims to review.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner audit examples/grade4-math-toc.txt\n  \
aligner audit unit1.csv unit2.csv --framework ccss-math --grade 3 --format md > minutes.md\n  \
aligner audit toc.txt --fail-under 80 --fail-on-gaps --format json   # in a review pipeline\n\n\
Scope: --framework, else the framework the units' codes (or texts) point to; --grade, else the\n\
grades of the units, else the grade most of their best matches are in.\n\
Exit codes: 0 all right, 1 coverage below --fail-under or a gap with --fail-on-gaps, 2 usage or input error.")]
pub struct Args {
    /// Units (CSV, JSON, JSONL) or tables of contents (.txt, .md)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Score a unit's match must reach for the standard to count as covered (0..1)
    #[arg(long, default_value_t = 0.4)]
    pub min_score: f32,
    /// Exit 1 when the covered percentage is below this (0..100)
    #[arg(long, value_name = "PCT")]
    pub fail_under: Option<f64>,
    /// Exit 1 when any standard of the scope is a gap
    #[arg(long)]
    pub fail_on_gaps: bool,
    /// How many standards each unit may address
    #[arg(long, default_value_t = 5, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    if !(0.0..=1.0).contains(&a.min_score) {
        return Err(Error::Usage(format!("--min-score {} is not between 0 and 1", a.min_score)).into());
    }
    if let Some(p) = a.fail_under {
        if !(0.0..=100.0).contains(&p) {
            return Err(Error::Usage(format!("--fail-under {p} is not a percentage between 0 and 100")).into());
        }
    }
    let grade = a.scope.grade()?;
    let mut units: Vec<Unit> = Vec::new();
    for f in &a.files {
        let mut us = read_units(f, grade, a.scope.subject.as_deref())?;
        let base = units.len();
        for u in &mut us {
            u.parent = u.parent.map(|p| p + base);
        }
        units.extend(us);
    }
    let lib = ctx.library()?;
    let c = &lib.corpus;
    let (scope, al) = super::matching::align_all(c, &a.scope, &units, a.top)?;
    let grades = scope
        .grades
        .or_else(|| units_grades(&units))
        .or_else(|| matched_grade(c, &al));
    let frameworks = scope.frameworks.clone().unwrap_or_default();
    let cov = coverage::compute(c, &units, &al, &frameworks, grades, a.min_score);
    let files: Vec<String> = a.files.iter().map(|f| f.display().to_string()).collect();
    let j = audit::build(c, &units, &al, &cov, &files);
    match a.format {
        OutputFormat::Json | OutputFormat::Jsonl => write_json(out, &j)?,
        OutputFormat::Csv => audit::csv_table(c, &cov, &units).write_csv(out)?,
        OutputFormat::Md => audit::write_markdown(out, c, &j, &cov)?,
        OutputFormat::Table => audit::write_text(out, c, &j, &cov, &al, &units)?,
    }
    let below = a.fail_under.is_some_and(|p| cov.pct() < p);
    let gaps = a.fail_on_gaps && cov.gaps().next().is_some();
    Ok(if below || gaps { 1 } else { 0 })
}

/// The span of the units' own grades.
fn units_grades(units: &[Unit]) -> Option<GradeRange> {
    let lo = units.iter().filter_map(|u| u.grade.map(|g| g.lo)).min()?;
    let hi = units.iter().filter_map(|u| u.grade.map(|g| g.hi)).max()?;
    Some(GradeRange { lo, hi })
}

/// The grade most of the units' best matches are in.
fn matched_grade(c: &crate::corpus::Corpus, al: &[crate::align::UnitAlignment]) -> Option<GradeRange> {
    let mut votes: std::collections::BTreeMap<Grade, usize> = Default::default();
    for a in al {
        if let Some(m) = a.matches.first() {
            for g in &c.standard(m.r).grades {
                *votes.entry(*g).or_default() += 1;
            }
        }
    }
    let best = votes.iter().max_by_key(|(g, n)| (**n, std::cmp::Reverse(**g)))?;
    Some(GradeRange::single(*best.0))
}
