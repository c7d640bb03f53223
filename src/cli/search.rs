//! `aligner search TEXT`: ranked standards for free text.

use super::{CmdOutcome, Ctx, Outcome};
use aligner::error::Error;
use aligner::index::search::Search;
use aligner::model::GradeRange;
use aligner::report::table::clip;
use aligner::report::view::StandardView;
use aligner::report::{write_json, write_jsonl, Table};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::io::Write;

/// Search standards by text, ranked by relevance (BM25 over statement, headings and notes).
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner search \"add and subtract fractions with like denominators\" --grade 4 --framework ccss-math\n  \
aligner search photosynthesis --subject science --top 5\n  aligner search \"\\\"main idea\\\"\" --grade 3-5 --format json"
)]
pub struct Args {
    /// What to look for; quoted phrases ("main idea"), +required and -excluded words work
    pub text: String,
    /// Only these frameworks (repeat or comma-separate)
    #[arg(long, short = 'f', value_delimiter = ',')]
    pub framework: Vec<String>,
    /// Only standards for this grade or band: 4, K, K-5, 9-12, HS
    #[arg(long, short = 'g')]
    pub grade: Option<String>,
    /// Only this subject: math, ela, science ...
    #[arg(long, short = 's')]
    pub subject: Option<String>,
    /// How many results (1 to 10000)
    #[arg(long, short = 'n', default_value_t = 10, value_parser = super::top_parser())]
    pub top: usize,
    /// Also return headings (domains, clusters, topics) and NGSS supporting elements
    #[arg(long)]
    pub all_kinds: bool,
    /// Rank as `match --fast` does: words and the static word vectors, no sentence model
    #[arg(long)]
    pub fast: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Ranked table for people
    Table,
    /// One JSON document: {"schema", "query", "results": [{rank, score, standard's keys}...]}
    Json,
    /// JSON Lines: one line per result, best first
    Jsonl,
    /// One row per result, with a header row
    Csv,
    /// Markdown table
    Md,
}

/// `search --format json`.
#[derive(Debug, Serialize)]
struct SearchJson<'a> {
    query: &'a str,
    results: Vec<Row>,
}

#[derive(Debug, Serialize)]
struct Row {
    rank: usize,
    score: f32,
    #[serde(flatten)]
    standard: StandardView,
}

/// `--grade`: one grade parser for every command ([`GradeRange::parse_user`]).
pub fn parse_grade(g: &str) -> Result<GradeRange, Error> {
    GradeRange::parse_user(g, "--grade")
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    if a.text.trim().is_empty() {
        return Err(Error::Usage("the search text is empty".into()).into());
    }
    let grades = a.grade.as_deref().map(parse_grade).transpose()?;
    let lib = ctx.library()?;
    let frameworks = lib.framework_filter(&a.framework)?;
    let hits = lib.search(&Search {
        text: a.text.clone(),
        frameworks,
        grades,
        // `mathematics` is `math`, as in `match`.
        subject: a.subject.as_deref().map(aligner::align::normalize_subject),
        all_kinds: a.all_kinds,
        top: a.top,
        fast: a.fast,
    })?;
    match a.format {
        Format::Json | Format::Jsonl => {
            let rows: Vec<Row> = hits
                .iter()
                .enumerate()
                .map(|(i, h)| Row {
                    rank: i + 1,
                    score: (h.score * 1000.0).round() / 1000.0,
                    standard: StandardView::from_store(&lib.store, h.node),
                })
                .collect();
            if a.format == Format::Json {
                write_json(
                    out,
                    &SearchJson {
                        query: &a.text,
                        results: rows,
                    },
                )?;
            } else {
                write_jsonl(out, &rows)?;
            }
        }
        _ => {
            let mut t = Table::new(["#", "code", "framework", "grades", "score", "text"]).wrap(["text"]);
            let wide = a.format != Format::Table;
            for (i, h) in hits.iter().enumerate() {
                let s = StandardView::from_store(&lib.store, h.node);
                t.row([
                    (i + 1).to_string(),
                    s.code.clone().unwrap_or_else(|| s.uri.clone()),
                    s.framework.clone(),
                    aligner::model::grades_label(&lib.store.node_grades(h.node)),
                    format!("{:.2}", h.score),
                    if wide { s.text.clone() } else { clip(&s.text, 160) },
                ]);
            }
            match a.format {
                Format::Csv => t.write_csv(out)?,
                Format::Md => t.write_markdown(out)?,
                _ => {
                    if hits.is_empty() {
                        writeln!(out, "no standard matches {:?}", a.text)?;
                    } else {
                        t.write_text(out)?
                    }
                }
            }
        }
    }
    Ok(Outcome::Success)
}
