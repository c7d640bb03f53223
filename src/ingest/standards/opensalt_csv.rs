//! OpenSALT spreadsheet CSV export: one row per CFItem with the columns `identifier`,
//! `fullStatement`, `humanCodingScheme`, `smartLevel`, `listEnumeration`, `notes`,
//! `educationLevel`, `CFItemType` (others ignored; names case-insensitive).
//!
//! The hierarchy is only in the dotted `smartLevel` (`1`, `1.2`, `1.2.3`): rows are put in
//! smartLevel order (numerically, so `1.10` follows `1.9`), and a row's parent is the row whose
//! smartLevel is its own minus the last part (the nearest existing ancestor if a level is missing).
//! `identifier`, `fullStatement` and `smartLevel` are required; a missing column, an empty
//! identifier, a malformed or repeated smartLevel or a bad grade is an error naming the line.
//!
//! Text is cleaned of HTML (`<br />`). Exports saved through a Mac spreadsheet carry Mac Roman
//! punctuation read as Latin-1 (`grades 9Ñ10`); when a file shows that defect
//! ([`crate::text::looks_mac_roman`]) it is undone.
//!
//! Codes go through the same CCSS prefix stripping as the other readers; CCSS anchor standards
//! (`CCRA.R.1`) are [`Kind::Practice`]. Untyped rows are inferred from the tree. Framework id: the
//! file stem slugged (`ccsso-ela-item`).

use super::{finish, split_code};
use crate::error::{Error, Location, Result};
use crate::ingest::csv_guard;
use crate::model::{Framework, Grade, Kind, Note, Standard};
use crate::text::{clean, fix_mac_roman, looks_mac_roman};
use std::collections::HashMap;
use std::path::Path;

struct Row {
    line: u64,
    level: Vec<u32>,
    standard: Standard,
    typed: bool,
}

pub(crate) fn csv_error(path: &Path, e: &::csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(1);
    // (The csv crate's line: its error carries no text to count byte offsets in.)
    let msg = match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("invalid CSV: expected {expected_len} fields, found {len}")
        }
        ::csv::ErrorKind::Utf8 { .. } => "invalid CSV: not valid UTF-8".to_string(),
        _ => format!("invalid CSV: {e}"),
    };
    Error::input(Location::line(path, line), msg)
}

pub fn read(path: &Path, text: &str) -> Result<Framework> {
    let mut rdr = ::csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            csv_guard::check_quotes(path, text, b',', 0, false, &|_| false)?;
            return Err(csv_error(path, &e));
        }
    };
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let require = |name: &str| {
        col(name).ok_or_else(|| Error::input(Location::line(path, 1), format!("missing required column `{name}`")))
    };
    let c_id = require("identifier")?;
    let c_text = require("fullStatement")?;
    let c_level = require("smartLevel")?;
    let c_code = col("humanCodingScheme");
    let c_notes = col("notes");
    let c_grade = col("educationLevel");
    let c_type = col("CFItemType");
    // A line that looks like a row: a one-word identifier and a dotted smartLevel.
    let looks_like_row = |cells: &[&str]| {
        cells
            .get(c_id)
            .is_some_and(|c| !c.is_empty() && !c.contains(char::is_whitespace))
            && cells.get(c_level).is_some_and(|l| {
                !l.is_empty()
                    && l.split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
    };
    csv_guard::check_quotes(path, text, b',', headers.len(), true, &looks_like_row)?;
    let mac = looks_mac_roman(text);
    let fix = |s: &str| if mac { clean(&fix_mac_roman(s)) } else { clean(s) };

    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashMap<Vec<u32>, u64> = HashMap::new();
    let lines = csv_guard::Lines::new(text);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, &e))?;
        let line = rec.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let err = |msg: String| Error::input(Location::line(path, line), msg);
        let id = get(Some(c_id));
        if id.is_empty() {
            return Err(err("empty `identifier`".into()));
        }
        let level_s = get(Some(c_level));
        let level: Option<Vec<u32>> = level_s.split('.').map(|p| p.trim().parse::<u32>().ok()).collect();
        let level = match level {
            Some(l) if !l.is_empty() => l,
            _ => {
                return Err(err(format!(
                    "`smartLevel` must be dotted numbers like 1.2.3, found {level_s:?}"
                )))
            }
        };
        if let Some(first) = seen.insert(level.clone(), line) {
            return Err(err(format!("smartLevel {level_s} repeats line {first}")));
        }
        let text = fix(get(Some(c_text)));
        if text.is_empty() {
            return Err(err("empty `fullStatement`".into()));
        }
        let (code, alt_codes) = match get(c_code) {
            "" => (None, Vec::new()),
            c => {
                let (c, a) = split_code(c);
                (Some(c), a)
            }
        };
        let grades = match get(c_grade) {
            "" => Vec::new(),
            g => Grade::parse_list(g).ok_or_else(|| err(format!("not a grade level: {g:?}")))?,
        };
        let label = Some(get(c_type).to_string()).filter(|l| !l.is_empty());
        let practice = code.as_deref().is_some_and(super::is_practice_code);
        let (kind, typed) = match label.as_deref().map(super::kind_from_label) {
            _ if practice => (Kind::Practice, true),
            Some(Some(k)) => (k, true),
            Some(None) => (Kind::Other, true),
            None => (Kind::Other, false),
        };
        let mut s = Standard::new(id, kind, text);
        s.code = code;
        s.alt_codes = alt_codes;
        s.label = label;
        s.grades = grades;
        let notes = fix(get(c_notes));
        if !notes.is_empty() {
            s.notes.push(Note {
                kind: super::note_kind(&notes).to_string(),
                text: notes,
            });
        }
        rows.push(Row {
            line,
            level,
            standard: s,
            typed,
        });
    }
    rows.sort_by(|a, b| a.level.cmp(&b.level));
    let pos: HashMap<Vec<u32>, usize> = rows.iter().enumerate().map(|(i, r)| (r.level.clone(), i)).collect();
    let mut standards = Vec::with_capacity(rows.len());
    let mut fixed = Vec::with_capacity(rows.len());
    let mut ids: HashMap<String, u64> = HashMap::new();
    for r in rows {
        if let Some(first) = ids.insert(r.standard.uri.clone(), r.line) {
            return Err(Error::input(
                Location::line(path, r.line),
                format!("identifier {} repeats line {first}", r.standard.uri),
            ));
        }
        let mut s = r.standard;
        s.parent = (1..r.level.len())
            .rev()
            .find_map(|n| r.level.get(..n).and_then(|up| pos.get(up)).copied());
        fixed.push(r.typed);
        standards.push(s);
    }
    super::infer_kinds(&mut standards, &fixed);

    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ccss = stem.to_ascii_lowercase().contains("ccss")
        || standards
            .iter()
            .any(|s| s.code.as_deref().is_some_and(|c| c.starts_with("CCRA.")));
    let fw = Framework {
        id: super::slug(&stem),
        title: stem.clone(),
        jurisdiction: if ccss { "CCSS".into() } else { String::new() },
        subject: crate::model::subject::from_hint(&stem),
        source: path.display().to_string(),
        license: if ccss {
            super::CCSS_NOTICE.to_string()
        } else {
            String::new()
        },
        standards,
        warnings: Vec::new(),
    };
    finish(path, fw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_from_smart_level() {
        let csv = "identifier,fullStatement,humanCodingScheme,smartLevel,educationLevel,CFItemType\n\
                   c,Child <br />two,RL.1.1,1.10,01,Standard\n\
                   p,Parent,,1,\"KG,01\",Grade Level\n\
                   d,Earlier child,RL.1.2,1.9,01,Standard\n";
        let fw = read(Path::new("x.csv"), csv).unwrap();
        let texts: Vec<_> = fw.standards.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Parent", "Earlier child", "Child two"]);
        assert_eq!(fw.standards[2].parent, Some(0));
        assert_eq!(fw.standards[0].kind, Kind::Grade);
    }

    #[test]
    fn bad_smart_level_names_the_line() {
        let csv = "identifier,fullStatement,smartLevel\na,A,1\nb,B,1.x\n";
        let e = read(Path::new("x.csv"), csv).unwrap_err().to_string();
        assert!(e.starts_with("x.csv:3:"), "{e}");
    }
}
