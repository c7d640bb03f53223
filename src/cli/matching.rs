//! `aligner match FILE`: the ranked standards of every unit, with evidence and claim checks.

use super::{CmdOutcome, Ctx, Outcome};
use crate::align::plan::{align_all, ScopeRequest};
use crate::error::Error;
use crate::ingest::curriculum::{read_curriculum_str_with, read_curriculum_with, CurriculumOptions};
use crate::model::{GradeRange, Unit};
use crate::report::matches::{self, UnitReport};
use crate::report::{write_json, write_jsonl};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Match each unit or table-of-contents entry to the standards it addresses: ranked, with a score
/// in 0..1, a strength label and the evidence; and check the codes the publisher claims.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner match examples/grade4-math-toc.txt\n  \
aligner match units.jsonl --framework ccss-math --format jsonl\n  \
aligner match lessons.csv --grade K-5 --top 3 --format csv\n  \
some-export | aligner match - --format jsonl   # - reads standard input\n\n\
Without --grade, a unit's own grade (or band) limits its candidates.")]
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
        })
    }
}

/// The name standard input goes by in messages and units' origins (`<stdin>:3`).
pub const STDIN_NAME: &str = "<stdin>";

/// Is this file argument `-`, standard input?
pub fn is_stdin(file: &Path) -> bool {
    file.as_os_str() == "-"
}

/// How a file argument is named in messages: `<stdin>` for `-`.
pub fn file_label(file: &Path) -> String {
    if is_stdin(file) {
        STDIN_NAME.to_string()
    } else {
        file.display().to_string()
    }
}

/// Read a curriculum file; `-` reads all of standard input, then tells its format from the
/// content.
pub fn read_units(file: &Path, grade: Option<GradeRange>, subject: Option<&str>) -> Result<Vec<Unit>, Error> {
    let opts = CurriculumOptions {
        grade,
        subject: subject.map(String::from),
        kind: None,
    };
    if !is_stdin(file) {
        return read_curriculum_with(file, &opts);
    }
    let name = Path::new(STDIN_NAME);
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(name, e))?;
    let text = crate::error::text_from_bytes(name, bytes)?;
    read_curriculum_str_with(name, &text, &opts)
}

/// Warnings for unit ids that repeat within one file: one line per id, with the lines it is on
/// (`FILE: unit id X repeats (lines 2, 5)`).
pub fn repeated_ids(file: &str, units: &[Unit]) -> Vec<String> {
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    let mut groups: Vec<(&str, Vec<&Unit>)> = Vec::new();
    for u in units {
        match seen.get(u.id.as_str()) {
            Some(&g) => groups[g].1.push(u),
            None => {
                seen.insert(&u.id, groups.len());
                groups.push((&u.id, vec![u]));
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, us)| us.len() > 1)
        .map(|(id, us)| {
            let lines: Option<Vec<&str>> = us
                .iter()
                .map(|u| {
                    u.origin
                        .rsplit_once(':')
                        .map(|(_, l)| l)
                        .filter(|l| l.parse::<u64>().is_ok())
                })
                .collect();
            match lines {
                Some(ls) => format!("{file}: unit id {id} repeats (lines {})", ls.join(", ")),
                None => format!("{file}: unit id {id} repeats ({} times)", us.len()),
            }
        })
        .collect()
}

/// Read a curriculum file as [`read_units`] does and warn (stderr) about repeated unit ids.
pub fn read_units_warned(
    ctx: &Ctx,
    file: &Path,
    grade: Option<GradeRange>,
    subject: Option<&str>,
) -> Result<Vec<Unit>, Error> {
    let units = read_units(file, grade, subject)?;
    for w in repeated_ids(&file_label(file), &units) {
        ctx.warn(&w);
    }
    Ok(units)
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let units = read_units_warned(ctx, &a.file, a.scope.grade()?, a.scope.subject.as_deref())?;
    let lib = ctx.library()?;
    let (_, al) = align_all(&lib, &a.scope.request()?, &units, a.top)?;
    let c = lib.corpus()?;
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
