//! Correlation sheets: the CSV a publisher hands in with a book, one row per standard and where
//! the book teaches it. This module reads the sheet into rows of codes and citations; checking
//! each citation against the book is [`crate::align::citations`].
//!
//! Columns (header required; names compared without case, spaces, underscores or hyphens):
//! - the standard: `standard`, `code`, `standard code`, `standard_id`, `ccss`, `standards`
//!   (a cell may hold several codes separated by `,` or `;`);
//! - the citation: `citation`, `lesson`, `location`, `reference`, `where taught`, `page`,
//!   `pages`, `student edition`, or a name ending in `page`/`pages` (several such columns are all read; a cell may hold several
//!   citations separated by `;`);
//! - optionally `note`, `notes` or `comment`.
//!
//! A sheet without a code or citation column, malformed CSV, text that is not UTF-8 and a sheet
//! without rows are errors naming the file and line; a row whose code or citation cell is empty
//! is kept as a warning with its line.

use crate::error::{read_text, Error, Location, Result};
use crate::ingest::csv_guard;
use std::path::Path;

/// Header names of the code column.
pub const CODE_COLUMNS: [&str; 6] = ["standard", "code", "standardcode", "standardid", "ccss", "standards"];
/// Header names of citation columns.
pub const CITATION_COLUMNS: [&str; 8] = [
    "citation",
    "lesson",
    "location",
    "reference",
    "wheretaught",
    "page",
    "pages",
    "studentedition",
];
/// Header names of the note column.
pub const NOTE_COLUMNS: [&str; 3] = ["note", "notes", "comment"];

/// One row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrelationRow {
    pub line: u64,
    pub codes: Vec<String>,
    pub citations: Vec<String>,
    pub note: Option<String>,
}

/// A sheet, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correlation {
    /// The file as named on the command line.
    pub file: String,
    /// Rows with at least one code and one citation.
    pub rows: Vec<CorrelationRow>,
    /// Rows left out (an empty code or citation cell), `FILE:LINE: ...`.
    pub warnings: Vec<String>,
}

/// A citation column: one of [`CITATION_COLUMNS`], or a name that starts with `student edition`
/// or ends with `page`/`pages` (`Student Edition Pages`, `SE page`).
fn is_citation_column(key: &str) -> bool {
    CITATION_COLUMNS.contains(&key)
        || key.starts_with("studentedition")
        || key.ends_with("page")
        || key.ends_with("pages")
}

fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Read a correlation sheet.
pub fn read_correlation(path: &Path) -> Result<Correlation> {
    let text = read_text(path)?;
    parse_correlation(path, &text)
}

/// As [`read_correlation`], for text in memory.
pub fn parse_correlation(path: &Path, text: &str) -> Result<Correlation> {
    let csv_guard::HeadedCsv {
        text,
        delim,
        lines,
        header_line,
        headers,
        reader: mut rdr,
    } = csv_guard::HeadedCsv::open(path, text)?;
    let csv_err = |e: csv::Error| csv_guard::malformed(path, &lines, e);
    let keys: Vec<String> = headers.iter().map(header_key).collect();
    let shown = || headers.iter().collect::<Vec<_>>().join(", ");
    let c_code = CODE_COLUMNS
        .iter()
        .find_map(|n| keys.iter().position(|k| k == n))
        .ok_or_else(|| {
            Error::input(
                Location::line(path, header_line),
                format!(
                    "no standard code column (standard, code, standard code, standard_id, ccss or standards); the header has: {}",
                    shown()
                ),
            )
        })?;
    let c_cites: Vec<usize> = keys
        .iter()
        .enumerate()
        .filter(|(i, k)| *i != c_code && is_citation_column(k))
        .map(|(i, _)| i)
        .collect();
    if c_cites.is_empty() {
        return Err(Error::input(
            Location::line(path, header_line),
            format!(
                "no citation column (citation, lesson, location, reference, where taught, page, pages or student edition); the header has: {}",
                shown()
            ),
        ));
    }
    let c_note = NOTE_COLUMNS.iter().find_map(|n| keys.iter().position(|k| k == n));
    csv_guard::check_quotes(path, text, delim, headers.len(), false, &|cells: &[&str]| {
        cells.get(c_code).is_some_and(|c| crate::codes::looks_like_code(c))
    })?;
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(csv_err)?;
        let line = rec.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let codes: Vec<String> = rec
            .get(c_code)
            .unwrap_or("")
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let citations: Vec<String> = c_cites
            .iter()
            .filter_map(|&i| rec.get(i))
            .flat_map(|c| c.split(';'))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let missing = match (codes.is_empty(), citations.is_empty()) {
            (true, true) => Some("no standard code and no citation"),
            (true, false) => Some("no standard code"),
            (false, true) => Some("no citation"),
            (false, false) => None,
        };
        if let Some(m) = missing {
            warnings.push(format!(
                "{}:{line}: correlation row has {m}; not checked",
                path.display()
            ));
            continue;
        }
        rows.push(CorrelationRow {
            line,
            codes,
            citations,
            note: c_note
                .and_then(|i| rec.get(i))
                .filter(|s| !s.is_empty())
                .map(String::from),
        });
    }
    if rows.is_empty() && warnings.is_empty() {
        return Err(Error::input(
            Location::line(path, header_line),
            "no rows after the header",
        ));
    }
    Ok(Correlation {
        file: crate::ingest::curriculum::input_label(path),
        rows,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Result<Correlation> {
        parse_correlation(Path::new("c.csv"), t)
    }

    #[test]
    fn headers_in_any_spelling_and_several_per_cell() {
        let c = p("Standard Code,Where_Taught,Pages,Notes\n\"4.NF.A.1, 4.NF.A.2\",Lesson 3-2; 3.4,p. 58,x\n4.MD.C.5,,,\n,5.1,,\n").unwrap();
        assert_eq!(c.rows.len(), 1);
        let r = &c.rows[0];
        assert_eq!(r.codes, ["4.NF.A.1", "4.NF.A.2"]);
        assert_eq!(r.citations, ["Lesson 3-2", "3.4", "p. 58"]);
        assert_eq!(r.note.as_deref(), Some("x"));
        assert_eq!(
            c.warnings,
            [
                "c.csv:3: correlation row has no citation; not checked",
                "c.csv:4: correlation row has no standard code; not checked"
            ]
        );
    }

    #[test]
    fn bad_sheets_name_file_and_line() {
        let e = p("lesson,page\n1.1,2\n").unwrap_err().to_string();
        assert!(e.starts_with("c.csv:1: no standard code column"), "{e}");
        let e = p("ccss,comment\n4.NF.A.1,x\n").unwrap_err().to_string();
        assert!(e.starts_with("c.csv:1: no citation column"), "{e}");
        let e = p("code,lesson\n4.NF.A.1,\"3.2\n4.NF.A.2,3.4\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.csv:2: malformed CSV"), "{e}");
        assert!(p("\n \n").unwrap_err().to_string().contains("empty"));
        assert!(p("code,lesson\n").unwrap_err().to_string().contains("no rows"));
    }
}
