//! A plain table of strings rendered for people (comfy-table), as CSV, or as Markdown.
//!
//! For people, codes, ids and numbers are never broken across lines: only the columns marked as
//! free text ([`Table::wrap`]) wrap, between words, to fit the width ([`width`]); without a width
//! (a file or a pipe) nothing wraps.

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table as Comfy, Width};
use std::io::{self, Write};

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns (by header) of free text, which may wrap.
    pub wrapping: Vec<String>,
}

/// Words of free text longer than this may still be broken, rather than widen the table.
const LONGEST_UNBROKEN_WORD: usize = 24;

/// Width for tables: the terminal's when stdout is one, else `COLUMNS` when it is a positive
/// integer, else none: in a file or a pipe a table keeps its natural width (no wrapping), so
/// `> report.txt` is not the 80-column version.
pub fn width() -> Option<u16> {
    let term = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0);
    width_from(term, std::env::var("COLUMNS").ok().as_deref())
}

/// [`width`] from the terminal's width and the value of `COLUMNS`.
pub fn width_from(terminal: Option<u16>, columns: Option<&str>) -> Option<u16> {
    terminal
        .filter(|&w| w > 0)
        .or_else(|| columns.and_then(|c| c.trim().parse::<u16>().ok()).filter(|&w| w > 0))
        .map(|w| w.max(MIN_WIDTH))
}

/// Narrower widths are taken as this: a table needs some room for its borders and codes.
const MIN_WIDTH: u16 = 40;

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            wrapping: Vec::new(),
        }
    }

    /// Mark the columns with these headers as free text: they wrap between words when the table
    /// is too wide. The other columns keep their cells on one line.
    pub fn wrap<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Table {
        self.wrapping.extend(headers.into_iter().map(Into::into));
        self
    }

    /// Per column: its widest cell (header included), and its longest word.
    fn widths(&self, col: usize) -> (usize, usize) {
        let cells = std::iter::once(&self.headers[col]).chain(self.rows.iter().filter_map(|r| r.get(col)));
        let mut widest = 0;
        let mut word = 0;
        for c in cells {
            for line in c.lines() {
                widest = widest.max(line.chars().count());
                word = word.max(line.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0));
            }
        }
        (widest, word)
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table for people at [`width`]: wrapped to it, or at its natural width.
    pub fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        match width() {
            Some(w) => writeln!(out, "{}", self.render(w)),
            None => writeln!(out, "{}", self.render_natural()),
        }
    }

    /// The table for people with every cell on one line, as wide as its cells make it.
    pub fn render_natural(&self) -> String {
        let mut t = Comfy::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(&self.headers);
        for r in &self.rows {
            t.add_row(r);
        }
        t.to_string()
    }

    /// The table for people, at most `width` columns wide unless its unbroken cells need more.
    pub fn render(&self, width: u16) -> String {
        let mut t = Comfy::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(&self.headers);
        for r in &self.rows {
            t.add_row(r);
        }
        for (i, h) in self.headers.iter().enumerate() {
            let (widest, word) = self.widths(i);
            let keep = if self.wrapping.contains(h) {
                word.min(LONGEST_UNBROKEN_WORD)
            } else {
                widest
            };
            // The width includes the padding, one space each side.
            let w = u16::try_from(keep + 2).unwrap_or(u16::MAX);
            if let Some(col) = t.column_mut(i) {
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            }
        }
        t.to_string()
    }

    pub fn write_csv<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.headers).map_err(csv_io)?;
        for r in &self.rows {
            w.write_record(r).map_err(csv_io)?;
        }
        w.flush()
    }

    pub fn write_markdown<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        writeln!(
            out,
            "| {} |",
            self.headers.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | ")
        )?;
        writeln!(out, "|{}", "---|".repeat(self.headers.len()))?;
        for r in &self.rows {
            writeln!(out, "| {} |", r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | "))?;
        }
        Ok(())
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        k => io::Error::other(format!("{k:?}")),
    }
}

/// Shorten text to at most `n` characters, with an ellipsis, between words: a word is kept whole
/// or left out (a single word longer than `n` is cut).
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let keep: String = s.chars().take(n.saturating_sub(1)).collect();
    let cut_mid_word = s.chars().nth(keep.chars().count()).is_some_and(|c| !c.is_whitespace());
    let mut t = match keep.rfind(char::is_whitespace) {
        Some(i) if cut_mid_word => keep[..i].trim_end().to_string(),
        _ => keep.trim_end().to_string(),
    };
    if t.is_empty() {
        t = keep;
    }
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(["code", "framework", "text"]).wrap(["text"]);
        t.row([
            "CCSS.Math.Content.4.NF.B.3",
            "ccss-math",
            "Understand a fraction a/b with a > 1 as a sum of fractions 1/b, and decompose it in more than one way",
        ]);
        t.row(["4.NF.B.3b", "ccss-math", "Decompose a fraction"]);
        t
    }

    /// Every line's cells, split at the table's borders and column separators.
    fn cells(rendered: &str) -> Vec<Vec<String>> {
        rendered
            .lines()
            .filter(|l| l.starts_with('│'))
            .map(|l| l.split(['│', '┆']).map(|c| c.trim().to_string()).collect())
            .collect()
    }

    #[test]
    fn codes_stay_whole_and_text_wraps() {
        for width in [40, 60, 80] {
            let r = sample().render(width);
            let cells = cells(&r);
            for code in ["CCSS.Math.Content.4.NF.B.3", "4.NF.B.3b", "ccss-math"] {
                assert!(
                    cells.iter().flatten().any(|c| c == code),
                    "{code} broken at {width}:\n{r}"
                );
            }
            // Words of the text are never cut, only moved to the next line.
            let words: Vec<String> = sample()
                .rows
                .iter()
                .flat_map(|row| row[2].split_whitespace().map(String::from).collect::<Vec<_>>())
                .chain(["text".to_string()])
                .collect();
            for w in cells.iter().flat_map(|row| row[3].split_whitespace()) {
                assert!(words.iter().any(|x| x == w), "{w:?} cut at {width}:\n{r}");
            }
        }
        // At 80 columns the text wraps so the table fits.
        assert!(sample().render(80).lines().all(|l| l.chars().count() <= 80));
    }

    #[test]
    fn clip_keeps_words_whole() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("using visual fraction models", 20), "using visual…");
        assert_eq!(clip("using visual fraction models", 14), "using visual…");
        assert_eq!(clip("using visual fraction models", 13), "using visual…");
        assert_eq!(clip("using visual fraction models", 12), "using…");
        assert_eq!(clip("Supercalifragilistic", 6), "Super…");
        assert_eq!(clip("a b", 2), "a…");
        assert!(clip("éé éé éé", 5).chars().count() <= 5);
    }

    #[test]
    fn width_is_the_terminal_then_columns_then_natural() {
        assert_eq!(width_from(Some(120), Some("60")), Some(120));
        assert_eq!(width_from(None, Some("60")), Some(60));
        assert_eq!(width_from(None, Some(" 100 ")), Some(100));
        assert_eq!(width_from(None, Some("20")), Some(MIN_WIDTH));
        for bad in ["0", "-5", "wide", "", "99999999"] {
            assert_eq!(width_from(None, Some(bad)), None, "{bad}");
        }
        assert_eq!(width_from(None, None), None);
        // At natural width every cell is on one line.
        let r = sample().render_natural();
        assert_eq!(r.lines().count(), 2 + 3 + 1);
        assert!(r.contains(
            "Understand a fraction a/b with a > 1 as a sum of fractions 1/b, and decompose it in more than one way"
        ));
    }
}
