//! Typed errors for the library. Every error that comes from an input names the file and, where it
//! can, the line (CSV, text, XML, JSON Lines) or the JSON path (`$[3].children[2].text`).
//! Library code never prints; the binary maps every error to exit code 2.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<u64>,
    /// A JSON path such as `$[0].children[3]`, or an XML element path.
    pub pointer: Option<String>,
}

impl Location {
    pub fn file(path: &Path) -> Location {
        Location {
            path: path.to_path_buf(),
            line: None,
            pointer: None,
        }
    }
    pub fn line(path: &Path, line: u64) -> Location {
        Location {
            path: path.to_path_buf(),
            line: Some(line),
            pointer: None,
        }
    }
    pub fn pointer(path: &Path, pointer: impl Into<String>) -> Location {
        Location {
            path: path.to_path_buf(),
            line: None,
            pointer: Some(pointer.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(p) = &self.pointer {
            write!(f, " at {p}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    /// Malformed or unusable input: bad JSON/CSV/XML, wrong encoding, empty file, missing column.
    #[error("{loc}: {msg}")]
    Input { loc: Location, msg: String },

    #[error("unknown standard code {:?}{}", shorten(code), suggest_suffix(suggestions))]
    UnknownCode { code: String, suggestions: Vec<String> },

    #[error("unknown framework {id:?}; known: {}", known.join(", "))]
    UnknownFramework { id: String, known: Vec<String> },

    #[error("index is busy: another aligner process is building {}; try again when it has finished", dir.display())]
    IndexBusy { dir: PathBuf },

    #[error("index at {}: {msg}", dir.display())]
    Index { dir: PathBuf, msg: String },

    #[error("search engine: {0}")]
    Tantivy(#[from] tantivy::TantivyError),

    /// A request that cannot be carried out as given (bad option value, empty query).
    #[error("{0}")]
    Usage(String),
}

/// A user's text as a message quotes it: at most 60 characters, then `...`.
fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(60).collect::<String>())
    }
}

fn suggest_suffix(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

impl Error {
    pub fn input(loc: Location, msg: impl Into<String>) -> Error {
        Error::Input { loc, msg: msg.into() }
    }
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Read a whole file as UTF-8 text (a leading BOM removed). Empty files and invalid UTF-8 are
/// input errors naming the file and the line of the first bad byte.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    text_from_bytes(path, bytes)
}

/// As [`read_text`], for bytes already in memory (shipped data, stdin).
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::input(Location::file(path), "file is empty"));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let enc = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                " (it looks like UTF-16; save it as UTF-8)"
            } else {
                " (save it as UTF-8)"
            };
            Err(Error::input(
                Location::line(path, line),
                format!("not valid UTF-8 text at byte {good}{enc}"),
            ))
        }
    }
}
