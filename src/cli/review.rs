//! `aligner review FILE...`: the starting decisions file of a run, for a committee to fill in;
//! and `--decisions FILE` of `match` and `audit` ([`apply_file`]).

use super::matching::{options, ScopeArgs};
use super::{CmdOutcome, Ctx, Outcome};
use aligner::align::UnitAlignment;
use aligner::corpus::Corpus;
use aligner::error::Error;
use aligner::ingest::curriculum::read_many;
use aligner::model::Unit;
use aligner::review::{self, Decisions};
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write a decisions file to fill in: one row per unit and proposed match, and per claimed code,
/// with the decision, reviewer and date empty and the note holding the unit's title and the score.
/// Fill in `decision` (accept or reject), then give the file to `match` or `audit` with
/// --decisions.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner review examples/grade4-math-toc.txt --output decisions.csv\n  \
aligner audit examples/grade4-math-toc.txt --decisions decisions.csv\n\n\
The unit column holds each unit's id: a unit list's `id`, or for a table of contents the id\n\
its reader gives (`3.2`, `lesson-4`, `chapter-3`, `entry-7` for an unnumbered entry)."
)]
pub struct Args {
    /// Units (CSV, JSON, JSONL) or tables of contents (.txt, .md), each once; - reads standard
    /// input
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// How many standards each unit may address (1 to 10000)
    #[arg(long, default_value_t = 5, value_parser = super::top_parser())]
    pub top: usize,
    /// Write the CSV here instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let curriculum = read_many(&a.files, &options(a.scope.grade()?, a.scope.subject.as_deref()))?;
    ctx.warn_all(&curriculum.warnings);
    let units = curriculum.units;
    let lib = ctx.library()?;
    let (scope, _, mut al) = aligner::align::plan::align_all(lib, &a.scope.request()?, &units, a.top)?;
    let c = lib.corpus()?;
    if let Some(f) = aligner::align::claims::foreign_codes(c, &mut al, scope.single_framework()) {
        super::say(&format!("note: {}", f.message()));
    }
    let t = review::template(c, &units, &al);
    match &a.output {
        Some(path) => {
            let mut buf = Vec::new();
            t.write_csv(&mut buf)?;
            std::fs::write(path, buf).map_err(|e| Error::io(path, e))?;
            super::say(&format!("wrote {} pairs to review to {}", t.rows.len(), path.display()));
        }
        None => t.write_csv(out)?,
    }
    Ok(Outcome::Success)
}

/// `--decisions FILE`: read the file (an error stops the command, exit 2), apply it to the run,
/// and warn on stderr about each row naming an unknown unit or code, and each rejection of a
/// pair the run did not propose (these do not stop it).
pub fn apply_file(
    ctx: &Ctx,
    path: &Path,
    c: &Corpus,
    units: &[Unit],
    al: &mut [UnitAlignment],
) -> Result<review::Applied, Error> {
    let d = Decisions::read(path)?;
    let applied = review::apply(&d, c, units, al);
    ctx.warn_all(&applied.warnings(path));
    let undecided = if applied.undecided > 0 {
        format!(" ({} rows undecided)", applied.undecided)
    } else {
        String::new()
    };
    super::say(&format!(
        "note: applied {} decisions from {}{undecided}",
        applied.applied.len(),
        path.display()
    ));
    Ok(applied)
}
