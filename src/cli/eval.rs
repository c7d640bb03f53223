//! `aligner eval GOLD`: measure the matcher against a publisher's alignments.

use super::matching::read_units_warned;
use super::{CmdOutcome, Ctx, Outcome};
use aligner::align::{Matcher, Params, Scope};
use aligner::error::{Error, Location};
use aligner::eval::{evaluate, EvalReport, ItemOutcome, Metrics};
use aligner::report::table::clip;
use aligner::report::{record, write_json, write_json_lines, Table};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Measure how often aligner's suggestions agree with a publisher's alignments (recall@1/5/10,
/// MRR, near misses, strand accuracy), overall and per grade, and how an audit of the items
/// compares with the standards the publisher names (coverage recall and precision).
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner eval correlation.jsonl\n  aligner eval correlation.jsonl --no-grade --format json\n  \
aligner eval correlation.jsonl --items          # which items aligner reads differently\n\n\
GOLD is a unit list (JSONL, JSON or CSV) whose `standards` are the publisher's codes.\n\
A publisher's correlation file has exactly this shape, so this is also how a committee checks one.\n\
Items without codes, or whose codes name no standard, are left out; when no item is left, eval exits 2."
)]
pub struct Args {
    /// The alignments: id, title, text, grade, standards; - reads standard input
    pub gold: PathBuf,
    /// Framework of the codes (default: the one most of the codes resolve in)
    #[arg(long, short = 'f')]
    pub framework: Option<String>,
    /// Do not limit each item's candidates to its own grade
    #[arg(long)]
    pub no_grade: bool,
    /// Match as `match --fast` does: words and the static word vectors, no sentence model
    #[arg(long)]
    pub fast: bool,
    /// Score a match must reach for its standard to count as covered in the coverage comparison
    /// (as `audit --min-score`)
    #[arg(long, default_value_t = aligner::report::coverage::MIN_SCORE, value_parser = super::unit_interval)]
    pub min_score: f32,
    /// Only these strands (as for `match`; default: every strand but RH, RST, WHST)
    #[arg(long, value_delimiter = ',', value_name = "STRAND")]
    pub strand: Vec<String>,
    /// Leave these strands out
    #[arg(long, value_delimiter = ',', value_name = "STRAND")]
    pub exclude: Vec<String>,
    /// Also report each item: its publisher codes, aligner's suggestions and the rank at which
    /// they first agree (table and md: the items where aligner's first suggestion differs; json:
    /// every item; csv: one row per item instead of the summary)
    #[arg(long)]
    pub items: bool,
    /// Write every item's candidate standards with their reranker features to this JSONL file
    /// (for scripts/train-reranker.py)
    #[arg(long, hide = true, value_name = "FILE")]
    pub dump_features: Option<PathBuf>,
    /// Output format (csv and md: the per-grade table; with --items, csv gives one row per item)
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The per-grade metrics (with --items, the items that differ), for people
    Table,
    /// One JSON document: {"schema", "framework", "grade_filter", "overall", "by_grade",
    /// "unresolved", "no_codes", "items" (with --items)}
    Json,
    /// JSON Lines: a "summary" record, then (with --items) one "item" record per scored item
    Jsonl,
    /// The per-grade table with a header row (with --items: one row per item instead)
    Csv,
    /// Markdown tables
    Md,
}

/// `eval --format json` (with `items` only on request) and the `summary` record of `jsonl`
/// (without them).
#[derive(Debug, Serialize)]
struct EvalJson<'a> {
    framework: &'a str,
    grade_filter: bool,
    overall: &'a Metrics,
    by_grade: &'a BTreeMap<String, Metrics>,
    unresolved: &'a [String],
    no_codes: &'a [String],
    coverage: &'a BTreeMap<String, aligner::eval::CoverageAgreement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<&'a [ItemOutcome]>,
}

/// "1 item", "3 items".
fn items_n(n: usize) -> String {
    if n == 1 {
        "1 item".to_string()
    } else {
        format!("{n} items")
    }
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let items = read_units_warned(ctx, &a.gold, None, None)?;
    let lib = ctx.library()?;
    let c = lib.corpus()?;
    let params = match std::env::var("ALIGNER_PARAMS") {
        Ok(spec) => Params::default()
            .with_overrides(&spec)
            .map_err(|e| Error::Usage(format!("ALIGNER_PARAMS: {e}")))?,
        Err(_) => Params::default(),
    };
    let mut m = Matcher::with_params(lib, if a.fast { params.fast() } else { params });
    // For fitting the calibration (scripts/fit-calibration.py): the raw scores.
    if std::env::var("ALIGNER_CALIBRATION").is_ok_and(|v| v == "none") {
        m.calibration = aligner::align::calibrate::Calibration::none();
    }
    // For training the lesson models (scripts/train-lesson-model.py): another model file, or
    // `none` for none.
    if let Ok(spec) = std::env::var("ALIGNER_LESSON_MODEL") {
        let models = if spec == "none" {
            Vec::new()
        } else {
            let path = PathBuf::from(&spec);
            let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            vec![aligner::align::lesson::LessonModel::parse(&spec, &src)?]
        };
        m = m.with_lesson_models(models);
    }
    m.observe_batch(&items);
    let fw = match &a.framework {
        Some(f) => c.framework_pos(f)?,
        None => aligner::align::plan::guess_framework(lib, &m, &items, None, None),
    };
    let scope = Scope {
        frameworks: Some(vec![fw]),
        no_grade: a.no_grade,
        ..Default::default()
    };
    if let Some(path) = &a.dump_features {
        let rows = aligner::eval::feature_rows(&m, c, &items, &scope, 0);
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| Error::io(path, e))?);
        write_json_lines(&mut w, &rows)?;
        w.flush()?;
    }
    let strands = aligner::align::scope::StrandScope::resolve(
        &lib.store,
        &[fw],
        aligner::align::scope::Strands::from_request(&a.strand, &a.exclude),
    )?;
    let report = evaluate(&m, c, &items, &scope, &strands, a.min_score, a.items);
    let fw_id = &c.frameworks[fw].id;
    if report.overall.items == 0 {
        return Err(nothing_to_score(&a.gold, &report, fw_id).into());
    }
    if let (Some(items), Format::Csv) = (&report.items, a.format) {
        write_items_csv(out, items)?;
        return Ok(Outcome::Success);
    }
    let doc = |items| EvalJson {
        framework: fw_id,
        grade_filter: !a.no_grade,
        overall: &report.overall,
        by_grade: &report.by_grade,
        unresolved: &report.unresolved,
        no_codes: &report.no_codes,
        coverage: &report.coverage,
        items,
    };
    match a.format {
        Format::Json => write_json(out, &doc(report.items.as_deref()))?,
        Format::Jsonl => {
            write_json_lines(out, [record("summary", doc(None))])?;
            write_json_lines(out, report.items.iter().flatten().map(|o| record("item", o)))?;
        }
        _ => {
            writeln!(
                out,
                "{} items against {}, {}",
                report.overall.items,
                c.frameworks[fw].id,
                if a.no_grade {
                    "no grade filter"
                } else {
                    "each item's grade as filter"
                }
            )?;
            let mut t = Table::new([
                "grade",
                "items",
                "r@1",
                "r@5",
                "r@10",
                "MRR",
                "near",
                "strand",
                "audit R/P",
            ]);
            let cov = |g: &str| {
                report
                    .coverage
                    .get(g)
                    .map(|c| format!("{:.2}/{:.2}", c.recall, c.precision))
                    .unwrap_or_else(|| "-".to_string())
            };
            let row = |t: &mut Table, g: &str, m: &Metrics, audit: String| {
                t.row([
                    g.to_string(),
                    m.items.to_string(),
                    format!("{:.3}", m.recall_at_1),
                    format!("{:.3}", m.recall_at_5),
                    format!("{:.3}", m.recall_at_10),
                    format!("{:.3}", m.mrr),
                    format!("{:.3}", m.near_miss),
                    format!("{:.3}", m.strand_accuracy),
                    audit,
                ])
            };
            for (g, m) in &report.by_grade {
                row(&mut t, g, m, cov(g));
            }
            row(&mut t, "all", &report.overall, "-".to_string());
            match a.format {
                Format::Csv => t.write_csv(out)?,
                Format::Md => t.write_markdown(out)?,
                _ => t.write_text(out)?,
            }
            if let Some(items) = &report.items {
                write_disagreements(out, items, a.format)?;
            }
            if !report.unresolved.is_empty() {
                writeln!(
                    out,
                    "{} left out: their codes name no standard of {fw_id}",
                    items_n(report.unresolved.len())
                )?;
            }
            if !report.no_codes.is_empty() {
                let n = report.no_codes.len();
                writeln!(
                    out,
                    "{n} {} no codes (left out)",
                    if n == 1 { "entry has" } else { "entries have" }
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}

/// No item can be scored: say why, in numbers.
fn nothing_to_score(gold: &std::path::Path, report: &EvalReport, fw: &str) -> Error {
    let mut why = Vec::new();
    if !report.no_codes.is_empty() {
        let n = report.no_codes.len();
        why.push(format!(
            "{} no codes",
            if n == 1 {
                "1 entry has".to_string()
            } else {
                format!("{n} entries have")
            }
        ));
    }
    if !report.unresolved.is_empty() {
        why.push(format!(
            "the codes of {} name no standard of {fw}",
            items_n(report.unresolved.len())
        ));
    }
    Error::input(
        Location::file(std::path::Path::new(&aligner::ingest::curriculum::input_label(gold))),
        format!(
            "no item can be scored: {} (eval needs the publisher's codes in a `standards` column or field; --framework chooses the framework they belong to)",
            why.join(", ")
        ),
    )
}

/// Table and Markdown: the items whose first suggestion is not one of the publisher's standards.
fn write_disagreements(out: &mut dyn Write, items: &[ItemOutcome], format: Format) -> std::io::Result<()> {
    let differ: Vec<&ItemOutcome> = items.iter().filter(|o| o.first_agreeing != Some(1)).collect();
    writeln!(
        out,
        "\n{} of {} items where aligner's first suggestion is not the publisher's \
         (rank: where the publisher's came; -: not in the first 10)",
        differ.len(),
        items.len()
    )?;
    if differ.is_empty() {
        return Ok(());
    }
    let mut t = Table::new(["item", "publisher", "aligner", "rank"]).wrap(["item", "publisher", "aligner"]);
    for o in differ {
        let name = if o.title.is_empty() { &o.id } else { &o.title };
        t.row([
            clip(name, 40),
            o.publisher.join(" "),
            o.suggested.iter().take(3).cloned().collect::<Vec<_>>().join(" "),
            o.first_agreeing.map_or_else(|| "-".to_string(), |r| r.to_string()),
        ]);
    }
    match format {
        Format::Md => t.write_markdown(out),
        _ => t.write_text(out),
    }
}

/// CSV with `--items`: one row per item, every item.
fn write_items_csv(out: &mut dyn Write, items: &[ItemOutcome]) -> std::io::Result<()> {
    let mut t = Table::new(["id", "title", "publisher", "suggested", "first_agreeing", "near_miss"]);
    for o in items {
        t.row([
            o.id.clone(),
            o.title.clone(),
            o.publisher.join(" "),
            o.suggested.join(" "),
            o.first_agreeing.map(|r| r.to_string()).unwrap_or_default(),
            o.near_miss.to_string(),
        ]);
    }
    t.write_csv(out)
}
