//! `aligner audit FILE...`: coverage of a scope of standards by a curriculum, with gaps, and exit
//! codes for review pipelines.

use super::matching::{options, ScopeArgs};
use super::{despite_closed_pipe, CmdOutcome, Ctx, Outcome};
use aligner::error::Error;
use aligner::ingest::curriculum::{input_label, read_many};
use aligner::report::coverage::{Coverage, Status};
use aligner::report::{audit, coverage};
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Audit curricula or textbook tables of contents against a scope of standards: each standard
/// covered, weak or a gap, with the units that address it; roll-ups per grade and per level of the
/// framework (domain and cluster; ELA strand and cluster; NGSS discipline and topic); the gap list;
/// units aligned to nothing; claims to review.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner audit examples/grade4-math-toc.txt\n  \
aligner audit unit1.csv unit2.csv --framework ccss-math --grade 3 --format md > minutes.md\n  \
aligner audit toc.txt --fail-under 80 --fail-on-gaps --format json   # in a review pipeline\n\n\
Scope: --framework, else the framework the units' codes (or texts) point to; --grade, else the\n\
grades of the units, else the grade most of their best matches are in; --strand and --exclude\n\
choose strands (default: all but the ELA literacy strands RH, RST, WHST: --strand literacy\n\
audits those). A scope without any standard is an error.\n\
Exit codes: 0 all right, 1 coverage below --fail-under or a gap with --fail-on-gaps (also when\n\
stdout is a closed pipe; the verdict is one line on stderr), 2 usage or input error.")]
pub struct Args {
    /// Units (CSV, JSON, JSONL) or tables of contents (.txt, .md), each once; - reads standard
    /// input
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Score a unit's match must reach for the standard to count as covered (0..1)
    #[arg(long, default_value_t = aligner::report::coverage::MIN_SCORE, value_parser = super::unit_interval)]
    pub min_score: f32,
    /// Exit 1 when the covered percentage is below this (0..100)
    #[arg(long, value_name = "PCT", value_parser = super::percentage)]
    pub fail_under: Option<f64>,
    /// Exit 1 when any standard of the scope is a gap
    #[arg(long)]
    pub fail_on_gaps: bool,
    /// How many standards each unit may address (1 to 10000)
    #[arg(long, default_value_t = 5, value_parser = super::top_parser())]
    pub top: usize,
    /// Carry claimed codes of this framework (a CCSS program audited against a state's set) to
    /// their crosswalk counterparts in the --framework audited, and check those (needs one
    /// --framework)
    #[arg(long, value_name = "FRAMEWORK")]
    pub via: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// A publisher's correlation sheet (CSV: standard code, citation, note): each citation is
    /// located in the table of contents and checked against the entry's text
    #[arg(long, value_name = "FILE")]
    pub correlation: Option<PathBuf>,
    /// Reviewers' decisions (CSV: unit,code,decision,reviewer,date,note; see `aligner review`): a
    /// rejected pair does not count toward coverage, an accepted one counts whatever its score
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Headline, roll-ups, gaps, unaligned units and claims to review, for people
    Table,
    /// One JSON document: {"schema", "scope", "summary", "rollup", "standards", "gaps",
    /// "unaligned_units", "off_grade", "units"}
    Json,
    /// JSON Lines, each line a record: "summary" first, then "rollup", "standard", "unit" and
    /// "off_grade" records
    Jsonl,
    /// One row per counted standard, with a header row
    Csv,
    /// Markdown for a committee's minutes
    Md,
    /// One self-contained HTML page (heatmap, roll-ups, gaps, claims, each unit's matches) that
    /// prints on paper
    Html,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let curriculum = read_many(&a.files, &options(a.scope.grade()?, a.scope.subject.as_deref()))?;
    ctx.warn_all(&curriculum.warnings);
    let mut units = curriculum.units;
    // The sheet is read before the (slow) alignment: a bad sheet stops the audit at once.
    let sheet = a
        .correlation
        .as_deref()
        .map(aligner::ingest::curriculum::correlation::read_correlation)
        .transpose()?;
    if let Some(s) = &sheet {
        ctx.warn_all(&s.warnings);
    }
    let lib = ctx.library()?;
    let carried = match &a.via {
        Some(via) => Some(carry(ctx, lib, &a, via, &mut units)?),
        None => None,
    };
    let (scope, strands, mut al) = aligner::align::plan::align_all(lib, &a.scope.request()?, &units, a.top)?;
    let c = lib.corpus()?;
    if let Some(k) = &carried {
        k.mark(&mut al);
    }
    if let Some(f) = aligner::align::claims::foreign_codes(c, &mut al, scope.single_framework()) {
        super::say(&format!("note: {}", f.message()));
    }
    if let Some(d) = &a.decisions {
        super::review::apply_file(ctx, d, c, &units, &mut al)?;
    }
    let (grades, grades_from) = aligner::align::plan::audit_grades(c, &scope, &units, &al);
    let grades_from = grades_from.as_str();
    let frameworks = scope.frameworks.clone().unwrap_or_default();
    let cov = coverage::compute(c, &units, &al, &frameworks, grades, &strands.rule, a.min_score);
    if cov.total() == 0 {
        let fws: Vec<&str> = frameworks.iter().map(|&f| c.frameworks[f].id.as_str()).collect();
        let mut from = vec![format!(
            "framework {}",
            if a.scope.framework.is_empty() {
                "guessed from the units"
            } else {
                "from --framework"
            }
        )];
        if grades.is_some() {
            from.push(format!("grade from {grades_from}"));
        }
        if let Some(s) = &a.scope.subject {
            from.push(format!("subject {s} from --subject"));
        }
        if !a.scope.strand.is_empty() || !a.scope.exclude.is_empty() {
            from.push("strands from --strand/--exclude".to_string());
        }
        return Err(Error::Usage(format!(
            "no standard of {}{} to audit: the scope is empty ({}); choose another --framework or --grade",
            fws.join(", "),
            grades.map(|g| format!(" in grade {g}")).unwrap_or_default(),
            from.join(", ")
        ))
        .into());
    }
    let files: Vec<String> = a.files.iter().map(|f| input_label(f)).collect();
    let mut j = audit::build(c, &units, &al, &cov, &files);
    if let Some(s) = &sheet {
        let checks = aligner::align::citations::check(lib, c, &scope, &strands, &units, s, a.top);
        j.correlation = Some(aligner::report::correlation::build(&s.file, &units, &checks));
    }
    j.via = carried.map(|k| audit::ViaJson {
        framework: a.via.clone().unwrap_or_default(),
        carried: k.carried,
        no_counterpart: k
            .no_counterpart
            .iter()
            .map(|(u, code)| audit::NoCounterpartJson {
                unit: units[*u].id.clone(),
                code: code.clone(),
            })
            .collect(),
    });
    // The verdict is decided before anything is written: a reader that goes away early (`| head`)
    // does not change it.
    let verdict = verdict(&a, &cov);
    let written = match a.format {
        Format::Json => audit::write_json(out, &j),
        Format::Jsonl => audit::write_jsonl(out, &j, &units, &al, &cov),
        Format::Csv => audit::csv_table(c, &cov, &units).write_csv(out),
        Format::Md => audit::write_markdown(out, c, &j, &cov, &al, &units),
        Format::Table => audit::write_text(out, c, &j, &cov, &al, &units),
        Format::Html => aligner::report::html::write_audit(out, c, &j, &cov, &al, &units),
    }
    .and_then(|()| out.flush());
    let outcome = match verdict {
        Some((outcome, line)) => {
            super::say(&line);
            outcome
        }
        None => Outcome::Success,
    };
    // The process ends after this command: what the report holds (a row per standard of the
    // scope) is left to the exit rather than freed piece by piece.
    std::mem::forget((j, cov, al));
    std::mem::forget(units);
    despite_closed_pipe(outcome, written)
}

/// `--via F`: the units' claimed codes of F carried to their counterparts in the one
/// `--framework` (see [`aligner::align::crosswalk::carry_claims`]); a code without a counterpart
/// is a warning.
fn carry(
    ctx: &Ctx,
    lib: &aligner::index::Library,
    a: &Args,
    via: &str,
    units: &mut Vec<aligner::model::Unit>,
) -> Result<aligner::align::crosswalk::Carried, Error> {
    let [to] = a.scope.framework.as_slice() else {
        return Err(Error::Usage(format!(
            "--via {via} carries claims to the one framework audited: give exactly one --framework"
        )));
    };
    let th = aligner::align::crosswalk::Thresholds::default();
    let mut k = aligner::align::crosswalk::carry_claims(lib, units, via, to, th)?;
    for (u, code) in &k.no_counterpart {
        ctx.warn(&format!(
            "{}: claimed {code} has no counterpart in {to} through the crosswalk from {via}; not checked",
            units[*u].id
        ));
    }
    *units = std::mem::take(&mut k.units);
    Ok(k)
}

/// The checks' verdict, when one was asked for: the outcome and its line for stderr
/// (`check failed: coverage 57.1% is below --fail-under 90; 8 gaps (--fail-on-gaps)`).
fn verdict(a: &Args, cov: &Coverage) -> Option<(Outcome, String)> {
    let mut failed = Vec::new();
    let mut passed = Vec::new();
    if let Some(p) = a.fail_under {
        let pct = cov.pct();
        if pct < p {
            failed.push(format!("coverage {pct:.1}% is below --fail-under {p}"));
        } else {
            passed.push(format!("coverage {pct:.1}% is not below --fail-under {p}"));
        }
    }
    if a.fail_on_gaps {
        match cov.count(Status::Gap) {
            0 => passed.push("no gaps (--fail-on-gaps)".to_string()),
            1 => failed.push("1 gap (--fail-on-gaps)".to_string()),
            n => failed.push(format!("{n} gaps (--fail-on-gaps)")),
        }
    }
    if !failed.is_empty() {
        Some((Outcome::CheckFailed, format!("check failed: {}", failed.join("; "))))
    } else if !passed.is_empty() {
        Some((Outcome::Success, format!("check passed: {}", passed.join("; "))))
    } else {
        None
    }
}
