//! Curriculum readers: unit lists (CSV, JSON, JSONL) and textbook tables of contents.
//!
//! [`read_curriculum`] picks the reader from the extension and, failing that, from the content:
//! `.csv`/`.tsv`/`.json`/`.jsonl`/`.ndjson` are unit lists ([`units`]), `.txt`/`.md`/`.markdown`
//! are tables of contents ([`toc`]). Other files are sniffed: a first non-space character `[` or
//! `{` means JSON, a first line with commas (or tabs) and a `title`/`text`/`description` column
//! means CSV, anything else is a table of contents.

pub mod toc;
pub mod units;

pub use toc::{read_toc, read_toc_with, TocOptions};
pub use units::{read_units, split_codes, UnitsFormat};

use crate::error::{read_text, Error, Location, Result};
use crate::model::{GradeRange, Unit};
use std::path::Path;

/// What a curriculum file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurriculumKind {
    Units(UnitsFormat),
    Toc,
}

/// Options the caller can set for any curriculum file.
#[derive(Debug, Clone, Default)]
pub struct CurriculumOptions {
    /// For a table of contents: the grade of every entry (overrides the file). For a unit list:
    /// the grade of units that have none.
    pub grade: Option<GradeRange>,
    /// As `grade`, for the subject.
    pub subject: Option<String>,
    /// Skip detection.
    pub kind: Option<CurriculumKind>,
}

/// Decide what `text` (read from `path`) is.
pub fn detect(path: &Path, text: &str) -> CurriculumKind {
    if let Some(f) = UnitsFormat::from_path(path) {
        return CurriculumKind::Units(f);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(ext.as_str(), "txt" | "md" | "markdown" | "text") {
        return CurriculumKind::Toc;
    }
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('[') || t.starts_with('{') {
        return CurriculumKind::Units(UnitsFormat::Json);
    }
    let header = t.lines().next().unwrap_or("");
    for delim in [',', '\t'] {
        if header.contains(delim) {
            let has_col = header.split(delim).any(|c| {
                let c = c.trim().trim_matches('"').trim().to_ascii_lowercase();
                c == "title" || c == "text" || c == "description"
            });
            if has_col {
                return CurriculumKind::Units(UnitsFormat::Csv);
            }
        }
    }
    CurriculumKind::Toc
}

/// Read a curriculum file of any supported kind.
pub fn read_curriculum(path: &Path) -> Result<Vec<Unit>> {
    read_curriculum_with(path, &CurriculumOptions::default())
}

/// Read a curriculum file with options.
pub fn read_curriculum_with(path: &Path, opts: &CurriculumOptions) -> Result<Vec<Unit>> {
    let text = read_text(path)?;
    read_curriculum_str_with(path, &text, opts)
}

/// Read curriculum text already in memory; `path` names it in errors and origins and its
/// extension takes part in detection.
pub fn read_curriculum_str(path: &Path, text: &str) -> Result<Vec<Unit>> {
    read_curriculum_str_with(path, text, &CurriculumOptions::default())
}

/// As [`read_curriculum_str`], with options.
pub fn read_curriculum_str_with(path: &Path, text: &str, opts: &CurriculumOptions) -> Result<Vec<Unit>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::input(Location::file(path), "file is empty"));
    }
    let kind = opts.kind.unwrap_or_else(|| detect(path, text));
    let mut units = match kind {
        CurriculumKind::Units(f) => units::read_units(path, text, f)?,
        CurriculumKind::Toc => {
            let o = TocOptions {
                grade: opts.grade,
                subject: opts.subject.clone(),
                markdown: None,
            };
            toc::read_toc_with(path, text, &o)?
        }
    };
    if units.is_empty() {
        return Err(Error::input(Location::file(path), "no curriculum entries found"));
    }
    if let CurriculumKind::Units(_) = kind {
        for u in &mut units {
            if u.grade.is_none() {
                u.grade = opts.grade;
            }
            if u.subject.is_none() {
                u.subject.clone_from(&opts.subject);
            }
        }
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let d = |p: &str, t: &str| detect(Path::new(p), t);
        assert_eq!(d("a.csv", "x"), CurriculumKind::Units(UnitsFormat::Csv));
        assert_eq!(d("a.ndjson", "x"), CurriculumKind::Units(UnitsFormat::Jsonl));
        assert_eq!(d("a.md", "[x]"), CurriculumKind::Toc);
        assert_eq!(d("a", "  [ {}]"), CurriculumKind::Units(UnitsFormat::Json));
        assert_eq!(d("a", "{\"title\":\"x\"}"), CurriculumKind::Units(UnitsFormat::Json));
        assert_eq!(d("a", "id,Title,grade\n1,x,4"), CurriculumKind::Units(UnitsFormat::Csv));
        assert_eq!(
            d("a.dat", "\"ID\"\t\"Description\"\n"),
            CurriculumKind::Units(UnitsFormat::Csv)
        );
        assert_eq!(d("a", "Chapter 1, Numbers\n1.1 Place value"), CurriculumKind::Toc);
    }

    #[test]
    fn options_fill_units_and_override_toc() {
        let g = GradeRange::parse("5");
        let o = CurriculumOptions {
            grade: g,
            subject: Some("math".into()),
            kind: None,
        };
        let u = read_curriculum_str_with(Path::new("u.csv"), "title,grade\nA,\nB,3\n", &o).unwrap();
        assert_eq!(u[0].grade, g);
        assert_eq!(u[1].grade, GradeRange::parse("3"));
        assert_eq!(u[0].subject.as_deref(), Some("math"));
        let t = read_curriculum_str_with(Path::new("t.txt"), "Grade 3\nChapter 1 A\n", &o).unwrap();
        assert_eq!(t[0].grade, g);
    }

    #[test]
    fn empty_is_error() {
        let e = read_curriculum_str(Path::new("e.txt"), " \n\n").unwrap_err();
        assert_eq!(e.to_string(), "e.txt: file is empty");
        let e = read_curriculum_str(Path::new("e.txt"), "Contents\n\nIndex ..... 400\n").unwrap_err();
        assert_eq!(e.to_string(), "e.txt: no table-of-contents entries found");
    }
}
