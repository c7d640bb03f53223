//! The correlation check of an audit (`audit --correlation`): the `correlation` object of the
//! audit's JSON document, its `citation` JSON Lines records, and its table and Markdown sections.

use crate::align::citations::{CitationCheck, Verdict};
use crate::model::Unit;
use crate::report::table::clip;
use crate::report::Table;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `correlation` in the audit document.
#[derive(Debug, Serialize)]
pub struct CorrelationJson {
    /// The sheet, as named on the command line.
    pub file: String,
    /// Every (code, citation) pair, in the sheet's order.
    pub citations: Vec<CitationJson>,
    /// Per code of the sheet (as written, first seen first): how many citations, and whether at
    /// least one is supported.
    pub standards: Vec<CodeJson>,
    /// Citations per verdict.
    pub summary: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Serialize)]
pub struct CitationJson {
    pub line: u64,
    pub code: String,
    pub citation: String,
    pub entry: Option<EntryJson>,
    /// `supported`, `weak`, `no_evidence`, `unsupported`, `off_grade`, `unknown_code`,
    /// `not_found`.
    pub verdict: &'static str,
    pub score: Option<f32>,
    pub evidence: String,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct EntryJson {
    pub id: String,
    pub title: String,
    pub page: Option<String>,
    pub origin: String,
    /// How the citation named it: `number`, `page` or `title`.
    pub by: crate::align::citations::Located,
}

#[derive(Debug, Serialize)]
pub struct CodeJson {
    pub code: String,
    pub citations: usize,
    pub supported: bool,
}

/// The correlation object of checked citations.
pub fn build(file: &str, units: &[Unit], checks: &[CitationCheck]) -> CorrelationJson {
    let citations = checks
        .iter()
        .map(|k| CitationJson {
            line: k.line,
            code: k.code.clone(),
            citation: k.citation.clone(),
            entry: k.entry.and_then(|(u, by)| {
                units.get(u).map(|u| EntryJson {
                    id: u.id.clone(),
                    title: u.title.clone(),
                    page: u.page.clone(),
                    origin: u.origin.clone(),
                    by,
                })
            }),
            verdict: k.verdict.as_str(),
            score: k.score.map(|s| (s * 1000.0).round() / 1000.0),
            evidence: k.evidence.clone(),
            suggestions: k.suggestions.clone(),
        })
        .collect();
    let mut standards: Vec<CodeJson> = Vec::new();
    let mut summary: BTreeMap<&'static str, usize> = BTreeMap::new();
    for k in checks {
        *summary.entry(k.verdict.as_str()).or_default() += 1;
        let key = crate::codes::normalize(&k.code);
        let supported = k.verdict == Verdict::Supported;
        match standards.iter_mut().find(|s| crate::codes::normalize(&s.code) == key) {
            Some(s) => {
                s.citations += 1;
                s.supported |= supported;
            }
            None => standards.push(CodeJson {
                code: k.code.clone(),
                citations: 1,
                supported,
            }),
        }
    }
    CorrelationJson {
        file: file.to_string(),
        citations,
        standards,
        summary,
    }
}

/// `correlation: 9 citations: 5 supported, 1 unsupported, ...; 6 of 8 codes supported`.
fn headline(j: &CorrelationJson) -> String {
    let parts: Vec<String> = j
        .summary
        .iter()
        .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
        .collect();
    format!(
        "{} citations: {}; {} of {} codes have a supported citation",
        j.citations.len(),
        parts.join(", "),
        j.standards.iter().filter(|s| s.supported).count(),
        j.standards.len()
    )
}

fn table(j: &CorrelationJson, width: usize) -> Table {
    let mut t = Table::new(["line", "code", "citation", "entry", "verdict", "evidence"]).wrap(["evidence", "citation"]);
    for c in &j.citations {
        let detail = if c.suggestions.is_empty() {
            c.evidence.clone()
        } else {
            format!("{}; did you mean {}?", c.evidence, c.suggestions.join(", "))
        };
        t.row([
            c.line.to_string(),
            c.code.clone(),
            clip(&c.citation, 30),
            c.entry.as_ref().map_or_else(|| "-".to_string(), |e| e.id.clone()),
            c.verdict.replace('_', " "),
            clip(&detail, width),
        ]);
    }
    t
}

/// The table report's section.
pub fn write_text<W: Write + ?Sized>(out: &mut W, j: &CorrelationJson) -> io::Result<()> {
    writeln!(out, "Correlation check ({})", j.file)?;
    writeln!(out, "{}", headline(j))?;
    table(j, 60).write_text(out)
}

/// The Markdown report's section.
pub fn write_markdown<W: Write + ?Sized>(out: &mut W, j: &CorrelationJson) -> io::Result<()> {
    writeln!(out, "\n## Correlation check\n")?;
    writeln!(out, "Sheet: {}  ", j.file)?;
    writeln!(out, "{}\n", headline(j))?;
    table(j, 400).write_markdown(out)
}
