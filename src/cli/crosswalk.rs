//! `aligner crosswalk --from F1 --to F2`: each counted standard of one framework with its ranked
//! counterparts in another, a score and a relation, the share matched per domain and grade, and a
//! CASE package of the pairs.

use super::{CmdOutcome, Ctx, Outcome};
use aligner::align::crosswalk::{crosswalk, Request, Thresholds};
use aligner::report::crosswalk as report;
use clap::Args as ClapArgs;
use std::io::Write;

/// Crosswalk one framework to another: for each standard of --from (within --grade), its
/// counterparts in --to, with a calibrated score and a relation (exact_match, related).
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner crosswalk --from sc-math --to ccss-math --grade 3\n  \
aligner crosswalk --from ngss --to ccss-math --format jsonl\n  \
aligner crosswalk --from dc-math --to ccss-math --format case > dc-ccss.case.json\n\n\
Relations: exact_match from score 0.6, related from 0.35; a counterpart below 0.35 is not listed.\n\
Exit codes: 0 done, 2 an unknown framework or an empty scope."
)]
pub struct Args {
    /// The framework whose standards are crosswalked (see `aligner frameworks`)
    #[arg(long)]
    pub from: String,
    /// The framework their counterparts come from
    #[arg(long)]
    pub to: String,
    /// Only the --from standards of this grade or band: 4, K-5, HS
    #[arg(long, short = 'g')]
    pub grade: Option<String>,
    /// How many counterparts to rank per standard (1 to 10000); only those with a relation are
    /// listed
    #[arg(long, short = 'n', default_value_t = 5, value_parser = super::top_parser())]
    pub top: usize,
    /// Reviewers' decisions (CSV: unit,code,decision,reviewer,date,note; `unit` is the --from
    /// standard's code): a rejected pair is not listed, an accepted one is listed (at least
    /// `related`) whatever its score; both are marked reviewed
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<std::path::PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Headline, shares per domain and grade, each standard's best counterparts
    Table,
    /// One JSON document: {"schema", "from", "to", "grades", "thresholds", "summary", "rollup",
    /// "standards", "unmatched"}
    Json,
    /// JSON Lines: one {"schema", "standard", "matches"} per standard
    Jsonl,
    /// One row per standard and counterpart (and per standard without one), with a header row
    Csv,
    /// A CASE 1.0 package (CFDocument, CFAssociations exactMatchOf / isRelatedTo)
    Case,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let grades = a.grade.as_deref().map(super::search::parse_grade).transpose()?;
    let lib = ctx.library()?;
    let req = Request {
        from: a.from,
        to: a.to,
        grades,
        top: a.top,
        thresholds: Thresholds::default(),
    };
    let decisions = a
        .decisions
        .as_deref()
        .map(aligner::review::Decisions::read)
        .transpose()?;
    let x = crosswalk(lib, &req, decisions.as_ref())?;
    if let (Some(path), Some(applied)) = (&a.decisions, &x.applied) {
        ctx.warn_all(&applied.warnings(path));
        super::say(&format!(
            "note: applied {} decisions from {}",
            applied.applied.len(),
            path.display()
        ));
    }
    let c = lib.corpus()?;
    match a.format {
        Format::Table => report::write_text(out, c, &x)?,
        Format::Json => report::write_json(out, c, &x)?,
        Format::Jsonl => report::write_jsonl(out, c, &x)?,
        Format::Csv => report::csv_table(c, &x).write_csv(out)?,
        Format::Case => report::write_case(out, c, &x)?,
    }
    Ok(Outcome::Success)
}
