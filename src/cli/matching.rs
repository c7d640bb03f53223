//! `aligner match FILE`: the ranked standards of every unit, with evidence and claim checks.

use super::{CmdOutcome, Ctx, Outcome};
use aligner::align::plan::{align_all, ScopeRequest};
use aligner::error::Error;
use aligner::ingest::curriculum::{read_one, CurriculumOptions};
use aligner::model::{GradeRange, Unit};
use aligner::report::matches::{self, UnitReport};
use aligner::report::{write_json, write_jsonl};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Match each unit or table-of-contents entry to the standards it addresses: ranked, with a score
/// in 0..1, a strength label and the evidence; and check the codes the publisher claims.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner match examples/grade4-math-toc.txt\n  \
aligner match units.jsonl --framework ccss-math --format jsonl\n  \
aligner match lessons.csv --grade K-5 --top 3 --format csv\n  \
some-export | aligner match - --format jsonl   # - reads standard input\n\n\
Without --grade, a unit's own grade (or band) limits its candidates. The literacy strands of\n\
CCSS ELA (RH, RST, WHST) are out unless --strand names them (--strand literacy).")]
pub struct Args {
    /// Units (CSV, JSON, JSONL) or a table of contents (.txt, .md); - reads standard input
    pub file: PathBuf,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// How many standards per unit (1 to 10000)
    #[arg(long, short = 'n', default_value_t = 5, value_parser = super::top_parser())]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Reviewers' decisions (CSV: unit,code,decision,reviewer,date,note; see `aligner review`):
    /// each reviewed pair is marked, an accepted one the engine did not propose is added
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each unit's matches and claim verdicts, for people
    Table,
    /// One JSON document: {"schema", "units": [unit report...]}
    Json,
    /// JSON Lines: one unit report per line, in input order
    Jsonl,
    /// One row per unit and suggested standard, with a header row
    Csv,
    /// Markdown table, as csv
    Md,
}

/// `match --format json`.
#[derive(Debug, Serialize)]
struct MatchJson<'a> {
    units: &'a [UnitReport],
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
    /// Only these strands (repeat or comma-separate): RL, RI, RF, W, SL, L; RH, RST, WHST (or
    /// `literacy` for those three); NGSS PS, LS, ESS, ETS; `all` for every strand (default: every
    /// strand but the literacy ones, RH, RST, WHST)
    #[arg(long, value_delimiter = ',', value_name = "STRAND")]
    pub strand: Vec<String>,
    /// Leave these strands out (repeat or comma-separate)
    #[arg(long, value_delimiter = ',', value_name = "STRAND")]
    pub exclude: Vec<String>,
    /// Match by words and the static word vectors alone, without the sentence model: several
    /// times faster on long lists, a few points less accurate (README, "Accuracy")
    #[arg(long)]
    pub fast: bool,
}

impl ScopeArgs {
    pub fn grade(&self) -> Result<Option<GradeRange>, Error> {
        self.grade.as_deref().map(super::search::parse_grade).transpose()
    }

    /// The request this command line makes.
    pub fn request(&self) -> Result<ScopeRequest, Error> {
        Ok(ScopeRequest {
            frameworks: self.framework.clone(),
            grade: self.grade()?,
            subject: self.subject.clone(),
            strands: self.strand.clone(),
            exclude: self.exclude.clone(),
            fast: self.fast,
        })
    }
}

/// Read one input (a file, or `-` for standard input) and warn (stderr) about repeated unit ids.
pub fn read_units_warned(
    ctx: &Ctx,
    file: &Path,
    grade: Option<GradeRange>,
    subject: Option<&str>,
) -> Result<Vec<Unit>, Error> {
    let c = read_one(file, &options(grade, subject))?;
    ctx.warn_all(&c.warnings);
    Ok(c.units)
}

/// The reading options of `--grade` and `--subject`.
pub fn options(grade: Option<GradeRange>, subject: Option<&str>) -> CurriculumOptions {
    CurriculumOptions {
        grade,
        subject: subject.map(String::from),
        kind: None,
    }
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let units = read_units_warned(ctx, &a.file, a.scope.grade()?, a.scope.subject.as_deref())?;
    let lib = ctx.library()?;
    let (_, _, mut al) = align_all(lib, &a.scope.request()?, &units, a.top)?;
    let c = lib.corpus()?;
    if let Some(d) = &a.decisions {
        super::review::apply_file(ctx, d, c, &units, &mut al)?;
    }
    match a.format {
        Format::Table => matches::write_text(out, c, &units, &al)?,
        f => {
            let reports: Vec<UnitReport> = al.iter().map(|x| matches::unit_report(c, &units, x)).collect();
            match f {
                Format::Json => write_json(out, &MatchJson { units: &reports })?,
                Format::Csv => matches::csv_table(&reports).write_csv(out)?,
                Format::Md => matches::csv_table(&reports).write_markdown(out)?,
                Format::Jsonl | Format::Table => write_jsonl(out, &reports)?,
            }
        }
    }
    Ok(Outcome::Success)
}
