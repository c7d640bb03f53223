//! `aligner eval GOLD`: measure the matcher against a publisher's alignments.

use super::{CmdResult, Ctx};
use crate::align::{Matcher, Params, Scope};
use crate::error::Error;
use crate::eval::{evaluate, EvalReport, ItemOutcome, Metrics};
use crate::ingest::curriculum::read_curriculum;
use crate::report::table::clip;
use crate::report::{write_json, write_jsonl, OutputFormat, Table};
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Measure how often aligner's suggestions agree with a publisher's alignments (recall@1/5/10,
/// MRR, near misses), overall and per grade.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner eval correlation.jsonl\n  aligner eval correlation.jsonl --no-grade --format json\n  \
aligner eval correlation.jsonl --items          # which items aligner reads differently\n\n\
GOLD is a unit list (JSONL, JSON or CSV) whose `standards` are the publisher's codes.\n\
A publisher's correlation file has exactly this shape, so this is also how a committee checks one."
)]
pub struct Args {
    /// The alignments: id, title, text, grade, standards
    pub gold: PathBuf,
    /// Framework of the codes (default: the one most of the codes resolve in)
    #[arg(long, short = 'f')]
    pub framework: Option<String>,
    /// Do not limit each item's candidates to its own grade
    #[arg(long)]
    pub no_grade: bool,
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
    pub format: OutputFormat,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    let items = read_curriculum(&a.gold)?;
    let lib = ctx.library()?;
    let c = &lib.corpus;
    let params = match std::env::var("ALIGNER_PARAMS") {
        Ok(spec) => Params::default()
            .with_overrides(&spec)
            .map_err(|e| Error::Usage(format!("ALIGNER_PARAMS: {e}")))?,
        Err(_) => Params::default(),
    };
    let mut m = Matcher::with_params(c, params);
    m.observe_batch(&items);
    let fw = match &a.framework {
        Some(f) => c.framework_pos(f)?,
        None => super::matching::guess_framework(c, &m, &items, None, None),
    };
    let scope = Scope {
        frameworks: Some(vec![fw]),
        no_grade: a.no_grade,
        ..Default::default()
    };
    if let Some(path) = &a.dump_features {
        let rows = crate::eval::feature_rows(&m, &items, &scope, 0);
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| Error::io(path, e))?);
        write_jsonl(&mut w, &rows)?;
        w.flush()?;
    }
    let report = evaluate(&m, &items, &scope, a.items);
    if let (Some(items), OutputFormat::Csv) = (&report.items, a.format) {
        return write_items_csv(out, items);
    }
    match a.format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                framework: &'a str,
                grade_filter: bool,
                #[serde(flatten)]
                report: &'a EvalReport,
            }
            write_json(
                out,
                &Out {
                    framework: &c.frameworks[fw].id,
                    grade_filter: !a.no_grade,
                    report: &report,
                },
            )?;
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
                "recall@1",
                "recall@5",
                "recall@10",
                "MRR",
                "near miss",
            ]);
            let row = |t: &mut Table, g: &str, m: &Metrics| {
                t.row([
                    g.to_string(),
                    m.items.to_string(),
                    format!("{:.3}", m.recall_at_1),
                    format!("{:.3}", m.recall_at_5),
                    format!("{:.3}", m.recall_at_10),
                    format!("{:.3}", m.mrr),
                    format!("{:.3}", m.near_miss),
                ])
            };
            for (g, m) in &report.by_grade {
                row(&mut t, g, m);
            }
            row(&mut t, "all", &report.overall);
            match a.format {
                OutputFormat::Csv => t.write_csv(out)?,
                OutputFormat::Md => t.write_markdown(out)?,
                _ => t.write_text(out)?,
            }
            if let Some(items) = &report.items {
                write_disagreements(out, items, a.format)?;
            }
            if !report.unresolved.is_empty() {
                writeln!(
                    out,
                    "{} left out: their codes name no standard of {}",
                    match report.unresolved.len() {
                        1 => "1 item".to_string(),
                        n => format!("{n} items"),
                    },
                    c.frameworks[fw].id
                )?;
            }
        }
    }
    Ok(0)
}

/// Table and Markdown: the items whose first suggestion is not one of the publisher's standards.
fn write_disagreements(out: &mut dyn Write, items: &[ItemOutcome], format: OutputFormat) -> CmdResult {
    let differ: Vec<&ItemOutcome> = items.iter().filter(|o| o.first_agreeing != Some(1)).collect();
    writeln!(
        out,
        "\n{} of {} items where aligner's first suggestion is not the publisher's \
         (rank: where the publisher's came; -: not in the first 10)",
        differ.len(),
        items.len()
    )?;
    if differ.is_empty() {
        return Ok(0);
    }
    let mut t = Table::new(["item", "publisher", "aligner", "rank"]);
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
        OutputFormat::Md => t.write_markdown(out)?,
        _ => t.write_text(out)?,
    }
    Ok(0)
}

/// CSV with `--items`: one row per item, every item.
fn write_items_csv(out: &mut dyn Write, items: &[ItemOutcome]) -> CmdResult {
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
    t.write_csv(out)?;
    Ok(0)
}
