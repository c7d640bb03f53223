//! Reports: coverage computation, then one renderer per output format. The generic [`Table`] is
//! what the listing commands (frameworks, show, search) render to table, CSV or Markdown; JSON
//! output is serialized from typed structs.

pub mod audit;
pub mod coverage;
pub mod matches;
pub mod table;
pub mod view;

pub use table::Table;

/// Output formats. Not every command offers every one (`--help` lists what each takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned text table for people.
    Table,
    /// One JSON document.
    Json,
    /// JSON Lines: one object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// Markdown, for minutes and issue trackers.
    Md,
}

/// Write JSON Lines: each value on its own line. serde_json's error converts back into the
/// underlying `io::Error`, so a closed pipe keeps its `BrokenPipe` kind.
pub fn write_jsonl<W, T, I>(out: &mut W, values: I) -> std::io::Result<()>
where
    W: std::io::Write + ?Sized,
    T: serde::Serialize,
    I: IntoIterator<Item = T>,
{
    for v in values {
        serde_json::to_writer(&mut *out, &v).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Write JSON followed by a newline.
pub fn write_json<W: std::io::Write + ?Sized, T: serde::Serialize>(out: &mut W, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)
}
