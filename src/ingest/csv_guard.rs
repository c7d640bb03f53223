//! What every CSV reader checks before it trusts the csv crate with a file: the delimiter, quotes
//! that would swallow rows, and line numbers from byte offsets.
//!
//! The csv crate reads quotes as RFC 4180 says: a `"` opens a quoted cell only at the start of a
//! cell, so `Measure with a 12" ruler` is read as written. A quoted cell that is never closed
//! runs to the end of the file, and a quote closed a few lines later swallows the rows between
//! into one cell; both would lose rows without an error. [`check_quotes`] scans the text the way
//! the csv crate does and refuses both, naming the line where the quoted cell starts. A quoted
//! cell may still hold line breaks (a description of several lines): it is refused only when a
//! line inside it looks like a row of the file (as many cells as the header, and cells that the
//! reader's `looks_like_row` accepts).

use crate::error::{Error, Location, Result};
use std::path::Path;

/// The delimiter of a CSV text, told from its header (its first non-blank line; lines end at
/// `\n`, `\r\n` or a lone `\r`): a tab or a semicolon when the header has one of those and no
/// comma, else a comma.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let header = text.split(['\n', '\r']).find(|l| !l.trim().is_empty()).unwrap_or("");
    if header.contains('\t') && !header.contains(',') {
        b'\t'
    } else if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    }
}

/// The line (from 1) of byte `at`, counting `\n`, `\r\n` and a lone `\r` as one line end each.
/// Line ends at `at` itself are stepped over, so a record's offset gives the record's line. For
/// many offsets in one text, build [`Lines`] once instead.
pub(crate) fn line_at(text: &str, at: usize) -> u64 {
    Lines::new(text).line_at(at)
}

/// Where the lines of a text start, found once, so that the line of each of a file's records
/// costs a binary search rather than a scan from the start (which made reading a long CSV
/// quadratic).
pub(crate) struct Lines<'t> {
    bytes: &'t [u8],
    /// Byte offsets where lines start: 0, then after every `\n`, `\r\n` or lone `\r`.
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Lines<'t> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut it = bytes.iter().enumerate().peekable();
        while let Some((i, &b)) = it.next() {
            match b {
                b'\r' if it.peek().is_some_and(|(_, &n)| n == b'\n') => {}
                b'\n' | b'\r' => starts.push(i + 1),
                _ => {}
            }
        }
        Lines { bytes, starts }
    }

    /// As [`line_at`].
    pub(crate) fn line_at(&self, at: usize) -> u64 {
        let mut at = at.min(self.bytes.len());
        while self.bytes.get(at).is_some_and(|&b| b == b'\r' || b == b'\n') {
            at += 1;
        }
        self.starts.partition_point(|&s| s <= at) as u64
    }
}

/// A quoted cell: the byte of its opening quote and of its closing one (`None`: never closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Quoted {
    open: usize,
    close: Option<usize>,
}

/// The quoted cells of `text` as the csv crate reads them: a quote opens a cell only as the
/// cell's first character; inside, `""` is a quote and a lone `"` closes the cell.
fn quoted_cells(text: &str, delim: u8) -> Vec<Quoted> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut cell_start = true;
    while let Some(&c) = b.get(i) {
        if c == b'"' && cell_start {
            let open = i;
            let mut j = i + 1;
            let close = loop {
                match b.get(j) {
                    None => break None,
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => j += 2,
                    Some(b'"') => break Some(j),
                    Some(_) => j += 1,
                }
            };
            out.push(Quoted { open, close });
            let Some(close) = close else { break };
            i = close + 1;
            cell_start = false;
            continue;
        }
        cell_start = c == delim || c == b'\n' || c == b'\r';
        i += 1;
    }
    out
}

/// Refuse a CSV whose quotes would lose rows: a quoted cell that is never closed, or one that
/// holds lines that look like rows of the file. `header_len` is the number of header cells;
/// `looks_like_row` gets a line's cells (split at the delimiter, trimmed) when their number is
/// `header_len`, and says whether they look like one of the file's rows. The opening line of a
/// quoted cell is checked too when `check_opening_line` is set (the reader has a column, such as a
/// grade, that prose rarely fills by chance).
pub(crate) fn check_quotes(
    path: &Path,
    text: &str,
    delim: u8,
    header_len: usize,
    check_opening_line: bool,
    looks_like_row: &dyn Fn(&[&str]) -> bool,
) -> Result<()> {
    let d = char::from(delim);
    let row_like = |line: &str| {
        let cells: Vec<&str> = line.split(d).map(str::trim).collect();
        cells.len() == header_len && looks_like_row(&cells)
    };
    let lines = Lines::new(text);
    for q in quoted_cells(text, delim) {
        let open_line = lines.line_at(q.open);
        let Some(close) = q.close else {
            return Err(Error::input(
                Location::line(path, open_line),
                "malformed CSV: the quoted cell that starts here is never closed, so every later row \
                 would be read into it; close the quote (a quote inside a quoted cell is written \"\")",
            ));
        };
        let inner = text.get(q.open + 1..close).unwrap_or("");
        if !inner.contains(['\n', '\r']) {
            continue;
        }
        // The whole lines inside the cell (not its first and last, which it shares with cells
        // outside it).
        let parts: Vec<&str> = inner.split(['\n', '\r']).collect();
        let whole = parts.get(1..parts.len().saturating_sub(1)).unwrap_or(&[]);
        let mut suspect = whole.iter().find(|l| !l.trim().is_empty() && row_like(l)).copied();
        if suspect.is_none() && check_opening_line {
            let line_start = text
                .get(..q.open)
                .and_then(|t| t.rfind(['\n', '\r']))
                .map_or(0, |i| i + 1);
            let opening = text.get(line_start..q.open).unwrap_or("").to_string() + parts.first().copied().unwrap_or("");
            if row_like(&opening) {
                suspect = parts.first().copied();
            }
        }
        if let Some(line) = suspect {
            let close_line = lines.line_at(close);
            let shown: String = line.trim().chars().take(60).collect();
            return Err(Error::input(
                Location::line(path, open_line),
                format!(
                    "malformed CSV: the quoted cell that starts here runs on to line {close_line} and holds \
                     what looks like rows of the file (\"{shown}\"); a closing quote is probably missing"
                ),
            ));
        }
    }
    Ok(())
}

/// A CSV text with a header row, opened as the sheets of this crate are read (a correlation
/// sheet, a decisions file): byte-order mark dropped, an empty text refused, the delimiter
/// sniffed, cells trimmed, rows of any length, and a header that cannot be read reported at the
/// line of an unclosed quote if there is one.
pub struct HeadedCsv<'t> {
    /// The text without its byte-order mark.
    pub text: &'t str,
    pub delim: u8,
    pub lines: Lines<'t>,
    /// The line of the header row.
    pub header_line: u64,
    pub headers: csv::StringRecord,
    pub reader: csv::Reader<&'t [u8]>,
}

impl<'t> HeadedCsv<'t> {
    pub fn open(path: &Path, text: &'t str) -> Result<HeadedCsv<'t>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(Error::input(Location::file(path), "file is empty"));
        }
        let delim = sniff_delimiter(text);
        let lines = Lines::new(text);
        let header_line = lines.line_at(text.find(|c: char| !c.is_whitespace()).unwrap_or(0));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                check_quotes(path, text, delim, 0, false, &|_| false)?;
                return Err(malformed(path, &lines, e));
            }
        };
        Ok(HeadedCsv {
            text,
            delim,
            lines,
            header_line,
            headers,
            reader,
        })
    }
}

/// `FILE:LINE: malformed CSV: ...` for a reader's error.
pub fn malformed(path: &Path, lines: &Lines<'_>, e: csv::Error) -> Error {
    let line = e.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(1);
    Error::input(Location::line(path, line), format!("malformed CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<()> {
        // A unit list's shape: id,title,text,grade; a row's grade is a number.
        check_quotes(Path::new("u.csv"), text, b',', 4, true, &|c: &[&str]| {
            c.get(3).is_some_and(|g| g.parse::<u8>().is_ok())
        })
    }

    #[test]
    fn inch_marks_are_characters() {
        assert!(check("id,title,text,grade\nu1,Measuring,Measure a 5\" line,4\nu2,A,B,4\n").is_ok());
        assert!(check("id,title,text,grade\nu1,12\" ruler,x,4\nu2,\"quoted, fine\",y,4\n").is_ok());
    }

    #[test]
    fn an_unclosed_quote_names_its_line_even_after_an_inch_mark() {
        let t = "id,title,text,grade\nu1,Measuring a 5\" segment,Measure,4\nu2,\"Comparing decimals,Compare,4\nu3,Area,Area,4\n";
        let e = check(t).unwrap_err().to_string();
        assert!(e.starts_with("u.csv:3: malformed CSV"), "{e}");
        assert!(e.contains("never closed"), "{e}");
    }

    #[test]
    fn a_quote_pair_that_swallows_rows_is_refused() {
        let t = "id,title,text,grade\nu1,\"Adding fractions,Add fractions,4\nu2,Comparing decimals,Compare decimals,4\nu3,Area\",Area formulas,4\nu4,Angles,Measure angles,4\n";
        let e = check(t).unwrap_err().to_string();
        assert!(e.starts_with("u.csv:2:") && e.contains("line 4"), "{e}");
        // Two lines only: the opening line looks like a whole row.
        let t = "id,title,text,grade\nu1,\"Adding,Add,4\nu2,Compare\",x,4\n";
        assert!(check(t).is_err());
    }

    #[test]
    fn a_description_of_several_lines_is_fine() {
        let t =
            "id,title,text,grade\nu1,Title,\"First line, with a comma\nsecond line, and more, and more\",4\nu2,B,C,4\n";
        assert!(check(t).is_ok());
    }

    #[test]
    fn escaped_quotes_and_lone_carriage_returns() {
        assert!(check("id,title,text,grade\ru1,\"say \"\"hi\"\"\",x,4\ru2,b,c,4\r").is_ok());
        let e = check("id,title,text,grade\ru1,a,b,4\ru2,\"open,x,4\r")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("u.csv:3:"), "{e}");
    }

    #[test]
    fn lines_count_every_kind_of_line_end() {
        let t = "a\r\nb\rc\nd";
        assert_eq!(line_at(t, 0), 1);
        assert_eq!(line_at(t, 3), 2);
        assert_eq!(line_at(t, 5), 3);
        assert_eq!(line_at(t, 7), 4);
        assert_eq!(line_at(t, 1), 2, "a line end at the offset is stepped over");
        assert_eq!(line_at("é\n", 99), 2);
        let lines = Lines::new(t);
        for at in 0..=t.len() + 2 {
            assert_eq!(lines.line_at(at), line_at(t, at), "offset {at}");
        }
        assert_eq!(Lines::new("").line_at(0), 1);
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("code;text"), b';');
        assert_eq!(sniff_delimiter("code\ttext"), b'\t');
        assert_eq!(sniff_delimiter("code,text;x"), b',');
        assert_eq!(sniff_delimiter("\r\n  \rcode;text\rA;b,c"), b';');
    }
}
