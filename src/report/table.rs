//! A plain table of strings rendered for people (comfy-table), as CSV, or as Markdown.

use comfy_table::{presets, ContentArrangement, Table as Comfy};
use std::io::{self, Write};

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Width for tables: the terminal's when stdout is one, else 80 columns.
pub fn width() -> u16 {
    comfy_table::Table::new().width().unwrap_or(80).max(40)
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    pub fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        let mut t = Comfy::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width())
            .set_header(&self.headers);
        for r in &self.rows {
            t.add_row(r);
        }
        writeln!(out, "{t}")
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
