//! Curriculum readers: unit lists (CSV, JSON, JSONL) and textbook tables of contents.
//!
//! [`read_curriculum`] picks the reader from the extension and, failing that, from the content:
//! `.csv`/`.tsv`/`.json`/`.jsonl`/`.ndjson` are unit lists ([`units`]), `.txt`/`.md`/`.markdown`
//! are tables of contents ([`toc`]). Other files are sniffed: a first non-space character `[` or
//! `{` means JSON, a first line with commas (or tabs) and a `title`/`text`/`description` column
//! means CSV, anything else is a table of contents.
//!
//! [`read_input`] also reads standard input (the argument `-`), and [`read_many`] reads several
//! inputs into one list, as `audit` does.

pub mod correlation;
pub mod toc;
pub mod units;

pub use toc::{read_toc, read_toc_with, TocOptions};
pub use units::{read_units, split_codes, UnitsFormat};

use crate::error::{read_text, text_from_bytes, Error, Location, Result};
use crate::model::{GradeRange, Unit};
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// The name standard input goes by in messages and units' origins (`<stdin>:3`).
pub const STDIN_NAME: &str = "<stdin>";

/// Is this input argument `-`, standard input?
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How an input argument is named in messages: `<stdin>` for `-`.
pub fn input_label(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    }
}

/// Read all of `reader` (standard input) as a curriculum named `name`: there is no extension, so
/// the format is told from the content.
pub fn read_curriculum_from(name: &Path, mut reader: impl Read, opts: &CurriculumOptions) -> Result<Vec<Unit>> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| Error::io(name, e))?;
    let text = text_from_bytes(name, bytes)?;
    read_curriculum_str_with(name, &text, opts)
}

/// Read one input argument: a curriculum file, or all of standard input for `-` (named
/// [`STDIN_NAME`]).
pub fn read_input(path: &Path, opts: &CurriculumOptions) -> Result<Vec<Unit>> {
    if is_stdin(path) {
        read_curriculum_from(Path::new(STDIN_NAME), std::io::stdin().lock(), opts)
    } else {
        read_curriculum_with(path, opts)
    }
}

/// Units read from one or more inputs, and what a reader should be told about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Curriculum {
    /// Every input's units in order; each `parent` indexes this list.
    pub units: Vec<Unit>,
    /// Unit ids that repeat within one input ([`repeated_ids`]), for stderr.
    pub warnings: Vec<String>,
}

impl Curriculum {
    /// Append one input's units (`parent` indexing `units`), rebasing their parents onto the
    /// whole list.
    pub fn push(&mut self, mut units: Vec<Unit>) {
        let base = self.units.len();
        for u in &mut units {
            u.parent = u.parent.map(|p| p + base);
        }
        self.units.extend(units);
    }
}

/// Read one input ([`read_input`]) and warn about the unit ids that repeat in it.
pub fn read_one(path: &Path, opts: &CurriculumOptions) -> Result<Curriculum> {
    read_many(std::slice::from_ref(&path.to_path_buf()), opts)
}

/// Read several inputs ([`read_input`]) into one list, each unit's `parent` rebased onto it,
/// with a warning for each unit id that repeats within an input. Each input once: the same file
/// twice (under any name, or `-` twice) is a usage error, since its units would count twice.
pub fn read_many(paths: &[PathBuf], opts: &CurriculumOptions) -> Result<Curriculum> {
    distinct_inputs(paths)?;
    let mut c = Curriculum::default();
    for p in paths {
        let units = read_input(p, opts)?;
        c.warnings.extend(repeated_ids(&input_label(p), &units));
        c.push(units);
    }
    Ok(c)
}

/// Each input once (compared by canonical path; `-` is standard input).
pub fn distinct_inputs(paths: &[PathBuf]) -> Result<()> {
    let key = |f: &Path| {
        if is_stdin(f) {
            PathBuf::from("-")
        } else {
            std::fs::canonicalize(f).unwrap_or_else(|_| f.to_path_buf())
        }
    };
    let mut seen: Vec<(PathBuf, &PathBuf)> = Vec::new();
    for f in paths {
        let k = key(f);
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == k) {
            let msg = if *first == f {
                format!("{} is given twice; give each file once", input_label(f))
            } else {
                format!(
                    "{} and {} are the same file; give each file once",
                    first.display(),
                    f.display()
                )
            };
            return Err(Error::Usage(msg));
        }
        seen.push((k, f));
    }
    Ok(())
}

/// Warnings for unit ids that repeat within one input: one line per id, with the lines it is on
/// (`FILE: unit id X repeats (lines 2, 5)`), or how many times when an origin has no line.
pub fn repeated_ids(file: &str, units: &[Unit]) -> Vec<String> {
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    let mut groups: Vec<(&str, Vec<&Unit>)> = Vec::new();
    for u in units {
        match seen.get(u.id.as_str()) {
            Some(&g) => {
                if let Some((_, us)) = groups.get_mut(g) {
                    us.push(u);
                }
            }
            None => {
                seen.insert(&u.id, groups.len());
                groups.push((&u.id, vec![u]));
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, us)| us.len() > 1)
        .map(|(id, us)| {
            let lines: Option<Vec<&str>> = us
                .iter()
                .map(|u| {
                    u.origin
                        .rsplit_once(':')
                        .map(|(_, l)| l)
                        .filter(|l| l.parse::<u64>().is_ok())
                })
                .collect();
            match lines {
                Some(ls) => format!("{file}: unit id {id} repeats (lines {})", ls.join(", ")),
                None => format!("{file}: unit id {id} repeats ({} times)", us.len()),
            }
        })
        .collect()
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

    #[test]
    fn stdin_is_read_from_its_content() {
        let u = read_curriculum_from(
            Path::new(STDIN_NAME),
            &b"{\"id\":\"a\",\"title\":\"Add fractions\"}\n"[..],
            &CurriculumOptions::default(),
        )
        .unwrap();
        assert_eq!(u.len(), 1);
        assert!(u[0].origin.starts_with(STDIN_NAME), "{}", u[0].origin);
        let e = read_curriculum_from(Path::new(STDIN_NAME), &b"  \n"[..], &CurriculumOptions::default()).unwrap_err();
        assert_eq!(e.to_string(), "<stdin>: file is empty");
        assert_eq!(input_label(Path::new("-")), STDIN_NAME);
        assert_eq!(input_label(Path::new("a/b.csv")), "a/b.csv");
    }

    #[test]
    fn repeated_ids_name_their_lines() {
        let u = read_curriculum_str(Path::new("u.csv"), "id,title\nA,x\nB,y\nA,z\nB,w\nC,v\n").unwrap();
        assert_eq!(
            repeated_ids("u.csv", &u),
            [
                "u.csv: unit id A repeats (lines 2, 4)",
                "u.csv: unit id B repeats (lines 3, 5)"
            ]
        );
        let mut u = u;
        for x in &mut u {
            x.origin = "somewhere".into();
        }
        assert_eq!(repeated_ids("f", &u[..3]), ["f: unit id A repeats (2 times)"]);
        assert!(repeated_ids("f", &u[..2]).is_empty());
    }

    #[test]
    fn many_inputs_are_one_list_with_parents_rebased() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "Chapter 1 Place value\n1.1 Round numbers\n").unwrap();
        std::fs::write(
            &b,
            "Chapter 2 Fractions\n2.1 Equivalent fractions\n2.2 Compare fractions\n",
        )
        .unwrap();
        let one = read_curriculum(&b).unwrap();
        let c = read_many(&[a.clone(), b.clone()], &CurriculumOptions::default()).unwrap();
        let n = read_curriculum(&a).unwrap().len();
        assert_eq!(c.units.len(), n + one.len());
        for (i, u) in one.iter().enumerate() {
            assert_eq!(c.units[n + i].parent, u.parent.map(|p| p + n), "{}", u.title);
        }
        assert!(
            c.units[n..].iter().any(|u| u.parent.is_some()),
            "b has a chapter with lessons"
        );
        assert!(c.warnings.is_empty());
    }

    #[test]
    fn an_input_given_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "Chapter 1 Place value\n").unwrap();
        let o = CurriculumOptions::default();
        let e = read_many(&[a.clone(), a.clone()], &o).unwrap_err();
        assert!(e.to_string().contains("is given twice"), "{e}");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let other = dir.path().join("sub").join("..").join("a.txt");
        let e = read_many(&[a.clone(), other], &o).unwrap_err();
        assert!(e.to_string().contains("are the same file"), "{e}");
        let e = read_many(&["-".into(), "-".into()], &o).unwrap_err();
        assert_eq!(e.to_string(), "<stdin> is given twice; give each file once");
    }

    #[test]
    fn repeated_ids_are_warned_per_input() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "id,title\nX,one\nX,two\n").unwrap();
        std::fs::write(&b, "id,title\nX,three\n").unwrap();
        let c = read_many(&[a.clone(), b], &CurriculumOptions::default()).unwrap();
        assert_eq!(c.units.len(), 3);
        assert_eq!(c.warnings, [format!("{}: unit id X repeats (lines 2, 3)", a.display())]);
        assert_eq!(
            read_one(&a, &CurriculumOptions::default()).unwrap().warnings,
            c.warnings
        );
    }
}
