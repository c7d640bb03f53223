//! Reports: coverage computation, then one renderer per output format. The generic [`Table`] is
//! what the listing commands (frameworks, show, search) render to table, CSV or Markdown; JSON
//! output is serialized from typed structs, every document and JSON Lines record with the
//! [`SCHEMA`] key first. Each command has its own `--format` enum (in `cli`), so it offers only
//! what it can write.

pub mod audit;
pub mod compare;
pub mod correlation;
pub mod coverage;
pub mod crosswalk;
pub mod emphasis;
pub mod html;
pub mod matches;
pub mod table;
pub mod view;

pub use table::Table;

/// The version of every JSON document and JSON Lines record aligner writes: the first key of
/// each, `"schema": "aligner/1"`. Adding a key keeps the version; renaming, removing or
/// retyping one changes it.
pub const SCHEMA: &str = "aligner/1";

/// A value with the schema key in front of its own keys (`value` must serialize as an object).
#[derive(Debug, serde::Serialize)]
pub struct Versioned<T> {
    pub schema: &'static str,
    #[serde(flatten)]
    pub body: T,
}

/// `value` with the schema key in front.
pub fn versioned<T>(body: T) -> Versioned<T> {
    Versioned { schema: SCHEMA, body }
}

/// One record of a JSON Lines stream that holds several kinds of record: `{"schema", "record":
/// KIND, ...value's keys}`.
#[derive(Debug, serde::Serialize)]
pub struct Record<T> {
    pub schema: &'static str,
    pub record: &'static str,
    #[serde(flatten)]
    pub body: T,
}

/// `value` as a record of kind `record`.
pub fn record<T>(record: &'static str, body: T) -> Record<T> {
    Record {
        schema: SCHEMA,
        record,
        body,
    }
}

/// Write JSON Lines: each value compact on its own line, with the schema key first (each value
/// must serialize as an object). serde_json's error converts back into the underlying
/// `io::Error`, so a closed pipe keeps its `BrokenPipe` kind.
pub fn write_jsonl<W, T, I>(out: &mut W, values: I) -> std::io::Result<()>
where
    W: std::io::Write + ?Sized,
    T: serde::Serialize,
    I: IntoIterator<Item = T>,
{
    write_json_lines(out, values.into_iter().map(versioned))
}

/// Write JSON Lines of values as they are (records that carry their schema already, or files
/// that are not aligner's output documents).
pub fn write_json_lines<W, T, I>(out: &mut W, values: I) -> std::io::Result<()>
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

/// Write one pretty JSON document with the schema key first, followed by a newline (`value` must
/// serialize as an object).
pub fn write_json<W: std::io::Write + ?Sized, T: serde::Serialize>(out: &mut W, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &versioned(value)).map_err(std::io::Error::from)?;
    writeln!(out)
}
