//! The front matter of a table of contents: what comes before the first entry and says what the
//! book is, not what is in it. YAML front matter (`---` fences), metadata lines (`grade: 4`,
//! `Subject: Math`, `title: ...`), and a book-title line (`Grade 4 Mathematics`, a lone `#`
//! heading over deeper ones) give the grade and subject of every entry; front and back matter
//! titles (Contents, Glossary, Index, ...) are no entries ([`is_matter`]). Grades and subjects are
//! read in the vocabulary of [`crate::model`].

use super::line::Line;
use crate::error::{Error, Location, Result};
use crate::model::GradeRange;
use std::path::Path;

/// What the front matter said, and where the reader is in it.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    pub(super) grade: Option<GradeRange>,
    pub(super) subject: Option<String>,
    in_yaml: bool,
    seen_content: bool,
}

impl FrontMatter {
    /// Whether this raw line opens or closes YAML front matter at the top of the file (it is then
    /// no line of the outline).
    pub(super) fn fence(&mut self, trimmed: &str) -> bool {
        if trimmed == "---" && (self.in_yaml || !self.seen_content) {
            self.in_yaml = !self.in_yaml;
            self.seen_content = true;
            return true;
        }
        self.seen_content |= !trimmed.is_empty();
        false
    }

    /// Inside YAML front matter, where every line is metadata.
    pub(super) fn in_yaml(&self) -> bool {
        self.in_yaml
    }

    /// Read a line before the first entry (or inside YAML front matter). True when it was front
    /// matter: a metadata line, a YAML line, or the book's title. `doc_title` tells that the
    /// line is the one `#` heading of a Markdown file with deeper headings.
    pub(super) fn read(&mut self, l: &Line, doc_title: bool, path: &Path, lineno: u64) -> Result<bool> {
        if let Some((k, v)) = metadata(&l.content) {
            match k.as_str() {
                "grade" | "grades" | "grade level" => {
                    let v = v.trim_matches(|c: char| matches!(c, '[' | ']' | '"' | '\'' | ' '));
                    let g = GradeRange::parse(v).ok_or_else(|| {
                        Error::input(
                            Location::line(path, lineno),
                            format!("not a grade or grade band: {v:?}"),
                        )
                    })?;
                    self.grade = Some(g);
                }
                "subject" => self.subject = Some(v.trim().to_string()).filter(|s| !s.is_empty()),
                _ => {
                    if self.grade.is_none() {
                        self.grade = find_grade(v);
                    }
                    if self.subject.is_none() {
                        self.subject = find_subject(v);
                    }
                }
            }
            return Ok(true);
        }
        if self.in_yaml {
            return Ok(true);
        }
        if l.num.is_none() && !l.had_page && is_title_line(l) {
            let g = find_grade(&l.content);
            let subj = find_subject(&l.content);
            // A book title: names a grade, or a subject on a line that is no section heading.
            if g.is_some() || doc_title || (subj.is_some() && l.heading.is_none_or(|h| h == 1)) {
                if self.grade.is_none() {
                    self.grade = g;
                }
                if self.subject.is_none() {
                    self.subject = subj;
                }
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// A title of front or back matter: contents, glossaries, indexes, acknowledgments, credits,
/// handbooks and the like, named alone ("Glossary") or with what they list ("Glossary of Literary
/// Terms", "Index of Titles and Authors", "English-Spanish Glossary", "Photo Credits").
pub(super) fn is_matter(title: &str) -> bool {
    let t = title.trim().trim_end_matches(':').trim().to_ascii_lowercase();
    let first = t.split_whitespace().next().unwrap_or("");
    let last = t.split_whitespace().last().unwrap_or("");
    let of = t.split_whitespace().nth(1) == Some("of");
    matches!(
        first,
        "glossary" | "acknowledgments" | "acknowledgements" | "credits" | "bibliography"
    ) || (matches!(first, "index" | "list") && of)
        || matches!(last, "glossary" | "credits" | "acknowledgments" | "acknowledgements")
        || t == "table of measures"
        || t == "selected answers"
        || t == "answer key"
        || matches!(
            t.as_str(),
            "contents"
                | "table of contents"
                | "contents page"
                | "glossary"
                | "english-spanish glossary"
                | "index"
                | "acknowledgments"
                | "acknowledgements"
                | "credits"
                | "photo credits"
                | "copyright"
                | "about the authors"
                | "preface"
                | "foreword"
                | "page"
                | "pages"
        )
}

/// `grade: 4`, `Subject: Math`, `title: ...` (only known keys).
fn metadata(s: &str) -> Option<(String, &str)> {
    let (k, v) = s.split_once(':')?;
    let k = k.trim().to_ascii_lowercase();
    let known = [
        "grade",
        "grades",
        "grade level",
        "subject",
        "title",
        "course",
        "publisher",
        "author",
        "edition",
        "isbn",
    ];
    known.contains(&k.as_str()).then_some((k, v.trim()))
}

/// A line that may be the book's title: a heading, a line starting with the grade
/// (`Grade 4 ...`, `4th Grade ...`, `Kindergarten ...`), or one naming a subject.
fn is_title_line(l: &Line) -> bool {
    let c = l.content.to_ascii_lowercase();
    let first = c.split_whitespace().next().unwrap_or("");
    let second = c.split_whitespace().nth(1).unwrap_or("");
    l.heading.is_some()
        || matches!(first, "grade" | "grades" | "kindergarten")
        || second == "grade"
        || find_subject(&c).is_some()
}

/// A grade named in a title line: `Grade 4`, `Grades 6-8`, `4th Grade`, `Seventh Grade`, `Grade
/// Five`, `Kindergarten`. The
/// phrase found is read by [`GradeRange::parse`], the vocabulary of every reader.
fn find_grade(s: &str) -> Option<GradeRange> {
    let toks: Vec<String> = s
        .split_whitespace()
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '–')
                .to_ascii_lowercase()
        })
        .collect();
    for (i, t) in toks.iter().enumerate() {
        let next = toks.get(i + 1);
        if t == "grade" || t == "grades" || t == "gr" {
            if let Some(g) = next.and_then(|n| GradeRange::parse(&format!("{t} {n}"))) {
                return Some(g);
            }
        }
        if t == "kindergarten" {
            return GradeRange::parse(t);
        }
        if next.is_some_and(|n| n == "grade")
            && (t.chars().next().is_some_and(|c| c.is_ascii_digit()) || crate::model::grade_word(t).is_some())
        {
            if let Some(g) = GradeRange::parse(&format!("{t} grade")) {
                return Some(g);
            }
        }
    }
    None
}

/// The subject a title line names, in the vocabulary of [`crate::model::subject`].
fn find_subject(s: &str) -> Option<String> {
    crate::model::subject::named_in(s).map(str::to_string)
}
