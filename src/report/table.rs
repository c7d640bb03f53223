//! A plain table of strings rendered for people (comfy-table), as CSV, or as Markdown.
//!
//! For people, codes, ids and numbers are never broken across lines: only the columns marked as
//! free text ([`Table::wrap`]) wrap, between words, to fit the width.

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

/// Width for tables: the terminal's when stdout is one, else 80 columns.
pub fn width() -> u16 {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| w.0)
        .unwrap_or(80)
        .max(40)
}

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

    pub fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        writeln!(out, "{}", self.render(width()))
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

/// Shorten text to at most `n` characters, with an ellipsis.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
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
}
