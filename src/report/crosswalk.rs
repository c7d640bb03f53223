//! `crosswalk`'s output: the records of schema [`SCHEMA`] (one per source standard, with its
//! listed counterparts), the JSON document with its summary and roll-ups, the CSV rows, the table
//! for people, and a CASE 1.0 package whose `CFAssociations` are the listed counterparts with the
//! issuers' identifiers, for OpenSALT or any CASE tool to import.

use super::table::{clip, Table};
use crate::align::crosswalk::{uuid_of, Crosswalk, Row, Share};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::grades_label;
use serde::Serialize;
use std::io::{self, Write};

/// The schema of every crosswalk document and record.
pub const SCHEMA: &str = "aligner/crosswalk-1";

/// The `lastChangeDateTime` of every CASE object aligner writes: a constant, so that the same
/// crosswalk gives the same bytes.
pub const CASE_DATE: &str = "2025-01-01T00:00:00+00:00";

/// A source standard.
#[derive(Debug, Serialize)]
pub struct StandardRef {
    pub code: String,
    /// The publisher's GUID or URI.
    pub uri: String,
    pub framework: String,
    pub grade: String,
    pub text: String,
}

/// A listed counterpart.
#[derive(Debug, Serialize)]
pub struct MatchRef {
    pub code: String,
    pub uri: String,
    pub framework: String,
    pub score: f32,
    /// `exact_match` or `related`.
    pub relation: &'static str,
    /// A reviewer's decision on the pair (`--decisions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<crate::review::Reviewed>,
}

/// One source standard and its listed counterparts, best first.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub standard: StandardRef,
    pub matches: Vec<MatchRef>,
}

/// A JSON Lines record: an [`Entry`] with the schema key first.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub schema: &'static str,
    #[serde(flatten)]
    pub entry: &'a Entry,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub standards: usize,
    pub matched: usize,
    pub exact: usize,
    pub unmatched: usize,
    pub pct: f64,
}

#[derive(Debug, Serialize)]
pub struct Rollups {
    pub domain: Vec<Share>,
    pub grade: Vec<Share>,
}

/// `crosswalk --format json`.
#[derive(Debug, Serialize)]
pub struct Document {
    pub schema: &'static str,
    pub from: String,
    pub to: String,
    pub grades: Option<String>,
    /// The relations' score thresholds.
    pub thresholds: Thresholds,
    pub summary: Summary,
    pub rollup: Rollups,
    pub standards: Vec<Entry>,
    pub unmatched: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Thresholds {
    pub exact_match: f32,
    pub related: f32,
}

fn r3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

fn standard_ref(c: &Corpus, r: Ref) -> StandardRef {
    let s = c.standard(r);
    StandardRef {
        code: s.display_code().to_string(),
        uri: s.uri.clone(),
        framework: c.frameworks[r.fw].id.clone(),
        grade: grades_label(&s.grades),
        text: s.text.clone(),
    }
}

pub fn entry(c: &Corpus, row: &Row) -> Entry {
    Entry {
        standard: standard_ref(c, row.standard),
        matches: row
            .listed()
            .map(|k| {
                let s = c.standard(k.r);
                MatchRef {
                    code: s.display_code().to_string(),
                    uri: s.uri.clone(),
                    framework: c.frameworks[k.r.fw].id.clone(),
                    score: r3(k.score),
                    relation: k.relation.map(|r| r.as_str()).unwrap_or_default(),
                    reviewed: k.reviewed.clone(),
                }
            })
            .collect(),
    }
}

pub fn entries(c: &Corpus, x: &Crosswalk) -> Vec<Entry> {
    x.rows.iter().map(|r| entry(c, r)).collect()
}

pub fn document(c: &Corpus, x: &Crosswalk) -> Document {
    let s = x.summary();
    Document {
        schema: SCHEMA,
        from: c.frameworks[x.from].id.clone(),
        to: c.frameworks[x.to].id.clone(),
        grades: x.grades.map(|g| g.to_string()),
        thresholds: Thresholds {
            exact_match: x.thresholds.exact,
            related: x.thresholds.related,
        },
        summary: Summary {
            standards: s.standards,
            matched: s.matched,
            exact: s.exact,
            unmatched: s.standards - s.matched,
            pct: s.pct,
        },
        rollup: Rollups {
            domain: x.by_domain(c),
            grade: x.by_grade(c),
        },
        standards: entries(c, x),
        unmatched: x
            .rows
            .iter()
            .filter(|r| !r.matched())
            .map(|r| c.standard(r.standard).display_code().to_string())
            .collect(),
    }
}

pub fn write_jsonl<W: Write + ?Sized>(out: &mut W, c: &Corpus, x: &Crosswalk) -> io::Result<()> {
    for e in entries(c, x) {
        serde_json::to_writer(
            &mut *out,
            &Record {
                schema: SCHEMA,
                entry: &e,
            },
        )
        .map_err(io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

pub fn write_json<W: Write + ?Sized>(out: &mut W, c: &Corpus, x: &Crosswalk) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(c, x)).map_err(io::Error::from)?;
    writeln!(out)
}

/// One row per (source standard, listed counterpart), and one with empty counterpart columns per
/// source standard without any.
pub fn csv_table(c: &Corpus, x: &Crosswalk) -> Table {
    let mut t = Table::new([
        "code",
        "uri",
        "framework",
        "grade",
        "match_rank",
        "match_code",
        "match_uri",
        "match_framework",
        "score",
        "relation",
        "reviewed",
    ]);
    for e in entries(c, x) {
        let s = &e.standard;
        let head = [s.code.clone(), s.uri.clone(), s.framework.clone(), s.grade.clone()];
        if e.matches.is_empty() {
            t.row(head.iter().cloned().chain(std::iter::repeat_n(String::new(), 7)));
        }
        for (i, m) in e.matches.iter().enumerate() {
            t.row(
                head.iter().cloned().chain([
                    (i + 1).to_string(),
                    m.code.clone(),
                    m.uri.clone(),
                    m.framework.clone(),
                    format!("{:.3}", m.score),
                    m.relation.to_string(),
                    m.reviewed
                        .as_ref()
                        .map(|r| r.decision.as_str().to_string())
                        .unwrap_or_default(),
                ]),
            );
        }
    }
    t
}

fn share_table(rows: &[Share], key: &str, width: usize) -> Table {
    let mut t = Table::new([key, "title", "standards", "matched", "exact", "matched %"]).wrap(["title"]);
    for r in rows {
        t.row([
            r.key.clone(),
            if r.label == r.key {
                String::new()
            } else {
                clip(&r.label, width)
            },
            r.standards.to_string(),
            r.matched.to_string(),
            r.exact.to_string(),
            format!("{:.1}", r.pct),
        ]);
    }
    t
}

/// The headline, the shares per domain and grade, then each standard with its best counterparts.
pub fn write_text<W: Write + ?Sized>(out: &mut W, c: &Corpus, x: &Crosswalk) -> io::Result<()> {
    let d = document(c, x);
    writeln!(
        out,
        "Crosswalk {} -> {}{}\n{} of {} standards have a counterpart ({:.1}%), {} an exact match; {} none",
        d.from,
        d.to,
        d.grades.as_ref().map(|g| format!(" (grade {g})")).unwrap_or_default(),
        d.summary.matched,
        d.summary.standards,
        d.summary.pct,
        d.summary.exact,
        d.summary.unmatched,
    )?;
    writeln!(
        out,
        "exact_match: score >= {}; related: score >= {}",
        x.thresholds.exact, x.thresholds.related
    )?;
    writeln!(out, "\nBy domain")?;
    share_table(&d.rollup.domain, "domain", 60).write_text(out)?;
    if d.rollup.grade.len() > 1 {
        writeln!(out, "\nBy grade")?;
        share_table(&d.rollup.grade, "grade", 60).write_text(out)?;
    }
    writeln!(out, "\nStandards")?;
    let mut t =
        Table::new(["standard", "grade", "counterparts (score, relation)"]).wrap(["counterparts (score, relation)"]);
    for e in &d.standards {
        let best: Vec<String> = e
            .matches
            .iter()
            .take(3)
            .map(|m| {
                let rel = if m.relation == "exact_match" {
                    "exact"
                } else {
                    "related"
                };
                let mark = m
                    .reviewed
                    .as_ref()
                    .map(|r| format!(" {}", r.decision.marker()))
                    .unwrap_or_default();
                format!("{} {:.2} {rel}{mark}", m.code, m.score)
            })
            .collect();
        t.row([
            e.standard.code.clone(),
            e.standard.grade.clone(),
            if best.is_empty() {
                "-".to_string()
            } else {
                best.join(", ")
            },
        ]);
    }
    t.write_text(out)
}

/// A CASE `LinkURI`/`LinkGenURI`: `{"title", "identifier", "uri"}`.
#[derive(Debug, Serialize)]
pub struct Link {
    pub title: String,
    pub identifier: String,
    pub uri: String,
}

/// The CASE identifier of a standard: its GUID (`urn:guid:` taken off, hyphenated as a UUID when
/// it is 32 hex digits), else its URI as the publisher wrote it.
pub fn case_identifier(uri: &str) -> String {
    let Some(g) = uri.strip_prefix("urn:guid:") else {
        return uri.to_string();
    };
    if g.len() == 32 && g.bytes().all(|b| b.is_ascii_hexdigit()) {
        let l = g.to_ascii_lowercase();
        format!(
            "{}-{}-{}-{}-{}",
            &l[0..8],
            &l[8..12],
            &l[12..16],
            &l[16..20],
            &l[20..32]
        )
    } else {
        g.to_string()
    }
}

fn node_link(c: &Corpus, r: Ref) -> Link {
    let s = c.standard(r);
    Link {
        title: s.display_code().to_string(),
        identifier: case_identifier(&s.uri),
        uri: s.uri.clone(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CfDocument {
    pub identifier: String,
    pub uri: String,
    pub creator: String,
    pub title: String,
    pub last_change_date_time: &'static str,
    pub description: String,
    #[serde(rename = "CFPackageURI")]
    pub cf_package_uri: Link,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CfAssociation {
    pub identifier: String,
    pub uri: String,
    pub association_type: &'static str,
    #[serde(rename = "originNodeURI")]
    pub origin_node_uri: Link,
    #[serde(rename = "destinationNodeURI")]
    pub destination_node_uri: Link,
    #[serde(rename = "CFDocumentURI")]
    pub cf_document_uri: Link,
    pub last_change_date_time: &'static str,
}

/// `crosswalk --format case`: a CASE 1.0 package.
#[derive(Debug, Serialize)]
pub struct CasePackage {
    #[serde(rename = "CFDocument")]
    pub document: CfDocument,
    #[serde(rename = "CFItems")]
    pub items: Vec<serde_json::Value>,
    #[serde(rename = "CFAssociations")]
    pub associations: Vec<CfAssociation>,
}

pub fn case_package(c: &Corpus, x: &Crosswalk) -> CasePackage {
    let from = &c.frameworks[x.from];
    let to = &c.frameworks[x.to];
    let grades = x.grades.map(|g| g.to_string()).unwrap_or_default();
    let doc_id = uuid_of(&format!("aligner crosswalk|{}|{}|{grades}", from.id, to.id));
    let doc_uri = format!("urn:uuid:{doc_id}");
    let title = format!(
        "Crosswalk {} → {}{}",
        from.id,
        to.id,
        if grades.is_empty() {
            String::new()
        } else {
            format!(" (grade {grades})")
        }
    );
    let doc_link = Link {
        title: title.clone(),
        identifier: doc_id.clone(),
        uri: doc_uri.clone(),
    };
    let mut associations = Vec::new();
    for row in &x.rows {
        let origin = node_link(c, row.standard);
        for k in row.listed() {
            let Some(rel) = k.relation else { continue };
            let dest = node_link(c, k.r);
            let id = uuid_of(&format!("{}|{}|{}", origin.uri, dest.uri, rel.case_type()));
            associations.push(CfAssociation {
                uri: format!("urn:uuid:{id}"),
                identifier: id,
                association_type: rel.case_type(),
                origin_node_uri: node_link(c, row.standard),
                destination_node_uri: dest,
                cf_document_uri: Link {
                    title: doc_link.title.clone(),
                    identifier: doc_link.identifier.clone(),
                    uri: doc_link.uri.clone(),
                },
                last_change_date_time: CASE_DATE,
            });
        }
    }
    CasePackage {
        document: CfDocument {
            identifier: doc_id,
            uri: doc_uri,
            creator: "aligner".to_string(),
            title,
            last_change_date_time: CASE_DATE,
            description: format!(
                "Machine crosswalk of {} to {} by aligner: exactMatchOf from score {}, isRelatedTo from {}",
                from.title, to.title, x.thresholds.exact, x.thresholds.related
            ),
            cf_package_uri: doc_link,
        },
        items: Vec::new(),
        associations,
    }
}

pub fn write_case<W: Write + ?Sized>(out: &mut W, c: &Corpus, x: &Crosswalk) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &case_package(c, x)).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_becomes_a_uuid_and_a_uri_stays() {
        assert_eq!(
            case_identifier("urn:guid:76D9105C412B45739450D4FAF3667D6B"),
            "76d9105c-412b-4573-9450-d4faf3667d6b"
        );
        assert_eq!(
            case_identifier("http://asn.jesandco.org/resources/S1041EB7"),
            "http://asn.jesandco.org/resources/S1041EB7"
        );
    }
}
