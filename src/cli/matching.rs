//! `aligner match FILE`: the ranked standards of every unit, with evidence and claim checks.

use super::{CmdResult, Ctx};
use crate::align::{align_units, Matcher, Scope};
use crate::corpus::Corpus;
use crate::error::Error;
use crate::ingest::curriculum::{read_curriculum_with, CurriculumOptions};
use crate::model::{GradeRange, Unit};
use crate::report::matches::{self, UnitReport};
use crate::report::{write_json, write_jsonl, OutputFormat};
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Match each unit or table-of-contents entry to the standards it addresses: ranked, with a score
/// in 0..1, a strength label and the evidence; and check the codes the publisher claims.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner match examples/grade4-math-toc.txt\n  \
aligner match units.jsonl --framework ccss-math --format jsonl\n  \
aligner match lessons.csv --grade K-5 --top 3 --format csv\n\n\
Without --grade, a unit's own grade (or band) limits its candidates.")]
pub struct Args {
    /// Units (CSV, JSON, JSONL) or a table of contents (.txt, .md)
    pub file: PathBuf,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// How many standards per unit
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

/// Options that choose which standards units are matched against.
#[derive(Debug, Clone, ClapArgs)]
pub struct ScopeArgs {
    /// Frameworks to match against (repeat or comma-separate; default: guessed from the units)
    #[arg(long, short = 'f', value_delimiter = ',')]
    pub framework: Vec<String>,
    /// Grade or band for every unit: 4, K, K-5, 9-12, HS (default: each unit's own grade)
    #[arg(long, short = 'g')]
    pub grade: Option<String>,
    /// Subject: math, ela, science ... (default: each unit's own subject)
    #[arg(long, short = 's')]
    pub subject: Option<String>,
}

impl ScopeArgs {
    pub fn grade(&self) -> Result<Option<GradeRange>, Error> {
        self.grade.as_deref().map(super::search::parse_grade).transpose()
    }

    /// Resolve to a matcher scope. Without `--framework`, the framework the units' claimed codes
    /// name most, else the one their text matches best.
    pub fn scope(&self, c: &Corpus, m: &Matcher, units: &[Unit]) -> Result<Scope, Error> {
        let grades = self.grade()?;
        let frameworks = match c.framework_filter(&self.framework)? {
            Some(f) => f,
            None => vec![guess_framework(c, m, units, grades, self.subject.as_deref())],
        };
        Ok(Scope {
            frameworks: Some(frameworks),
            grades,
            no_grade: false,
            subject: self.subject.clone(),
        })
    }
}

/// The framework the units belong to: the one most claimed codes resolve in; else the one whose
/// standards come first most often when matching against everything.
pub fn guess_framework(
    c: &Corpus,
    m: &Matcher,
    units: &[Unit],
    grades: Option<GradeRange>,
    subject: Option<&str>,
) -> usize {
    let mut votes = vec![0usize; c.frameworks.len()];
    for u in units.iter().take(500) {
        for code in &u.claimed {
            let mut fws: Vec<usize> = c.codes.lookup(code, None).into_iter().map(|r| r.fw).collect();
            fws.sort();
            fws.dedup();
            for f in fws {
                votes[f] += 1;
            }
        }
    }
    if votes.iter().all(|&v| v == 0) {
        let scope = Scope {
            grades,
            subject: subject.map(String::from),
            ..Default::default()
        };
        for u in units.iter().take(200) {
            if let Some(best) = m.match_unit(u, &scope, 1).first() {
                votes[best.r.fw] += 1;
            }
        }
    }
    let best = votes.iter().copied().max().unwrap_or(0);
    votes.iter().position(|&v| v == best).unwrap_or(0)
}

pub fn read_units(
    file: &std::path::Path,
    grade: Option<GradeRange>,
    subject: Option<&str>,
) -> Result<Vec<Unit>, Error> {
    let opts = CurriculumOptions {
        grade,
        subject: subject.map(String::from),
        kind: None,
    };
    read_curriculum_with(file, &opts)
}

/// Match every unit in the scope the options give (the matcher first learns the file's common
/// words) and check its claims.
pub fn align_all(
    c: &Corpus,
    scope: &ScopeArgs,
    units: &[Unit],
    top: usize,
) -> Result<(Scope, Vec<crate::align::UnitAlignment>), Error> {
    let mut m = Matcher::new(c);
    m.observe_batch(units);
    let scope = scope.scope(c, &m, units)?;
    let al = align_units(&m, units, &scope, top);
    Ok((scope, al))
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    let units = read_units(&a.file, a.scope.grade()?, a.scope.subject.as_deref())?;
    let lib = ctx.library()?;
    let c = &lib.corpus;
    let (_, al) = align_all(c, &a.scope, &units, a.top)?;
    match a.format {
        OutputFormat::Table => matches::write_text(out, c, &units, &al)?,
        f => {
            let reports: Vec<UnitReport> = al.iter().map(|x| matches::unit_report(c, &units, x)).collect();
            match f {
                OutputFormat::Json => write_json(out, &reports)?,
                OutputFormat::Csv => matches::csv_table(&reports).write_csv(out)?,
                OutputFormat::Md => matches::csv_table(&reports).write_markdown(out)?,
                _ => write_jsonl(out, &reports)?,
            }
        }
    }
    Ok(0)
}
