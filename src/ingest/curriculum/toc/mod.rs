//! Textbook tables of contents, as plain text or Markdown outlines copied from a publisher's
//! document.
//!
//! Every entry (chapter, unit, lesson, ...) becomes a [`Unit`] whose `parent` is the index of its
//! parent entry (parents come before children) and whose `context` lists the ancestor titles,
//! outermost first. The hierarchy comes from, in order of strength:
//!
//! 1. Markdown heading level (`#`, `##`, ...): a heading contains everything below it up to the
//!    next heading of the same or a higher level;
//! 2. indentation (tabs count to the next multiple of 4 columns) of plain lines and list items;
//! 3. numbering: `Part`/`Unit`/`Module`/`Chapter`/`Topic`/`Section`/`Lesson` keywords and decimal
//!    numbers (`3`, `3.2`, `3.2.1`, `5-1`). Keywords rank in the order they first appear (so
//!    `Unit > Part > Lesson` and `Part > Unit > Lesson` books both work); `3.2` nests below `3`.
//!
//! An unnumbered line right after a chapter-like heading at the same indentation is its child;
//! otherwise it is a sibling of the entry before it at the same indentation.
//!
//! Dot leaders and page numbers are removed, and standard codes written in an entry (`(4.NF.3)`,
//! `[4.NF.B.3, 4.NF.B.4]`, `— CCSS 4.NF.3`) move from the title to `claimed`.
//!
//! The reader's parts: [`line`] cleans one line, [`numbering`] reads its number, [`claims`] takes
//! the codes out of its title, [`front_matter`] reads what comes before the first entry, and
//! [`outline`] places the entries; this module runs them over the file.

mod claims;
mod front_matter;
mod line;
mod numbering;
mod outline;

use crate::error::{Error, Location, Result};
use crate::model::{GradeRange, Unit};
use front_matter::FrontMatter;
use line::{heading_level, parse_line};
use outline::Outline;
pub(crate) use outline::CONTEXT_DEPTH;
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

/// Options for reading a table of contents.
#[derive(Debug, Clone, Default)]
pub struct TocOptions {
    /// Grade for every entry; overrides a `Grade 4` title line or a `grade:` line in the file.
    pub grade: Option<GradeRange>,
    /// Subject for every entry; overrides a `subject:` line or one detected from the title line.
    pub subject: Option<String>,
    /// Force Markdown handling on or off; by default `.md`/`.markdown` files and files with `#`
    /// headings are Markdown. In Markdown, prose lines (ending with a full stop, or long) under an
    /// entry become that entry's `text` instead of entries of their own.
    pub markdown: Option<bool>,
}

/// Read a table of contents with default options.
pub fn read_toc(path: &Path, text: &str) -> Result<Vec<Unit>> {
    read_toc_with(path, text, &TocOptions::default())
}

/// Read a table of contents.
pub fn read_toc_with(path: &Path, text: &str, opts: &TocOptions) -> Result<Vec<Unit>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::input(Location::file(path), "file is empty"));
    }
    let text = clean_text(text);
    let layout = Layout::of(path, &text, opts);
    let mut front = FrontMatter::default();
    let mut outline = Outline::new(layout.md, layout.by_indent);
    for (i, raw) in text.lines().enumerate() {
        let lineno = i as u64 + 1;
        if front.fence(raw.trim()) {
            continue;
        }
        let Some(l) = parse_line(raw) else { continue };
        if outline.is_empty() || front.in_yaml() {
            let doc_title = layout.md && l.heading == Some(1) && layout.one_h1_over_deeper;
            if front.read(&l, doc_title, path, lineno)? {
                continue;
            }
        }
        outline.add(l, || format!("{}:{lineno}", path.display()));
    }
    if outline.is_empty() {
        return Err(Error::input(Location::file(path), "no table-of-contents entries found"));
    }
    let grade = opts.grade.or(front.grade);
    let subject = opts.subject.clone().or(front.subject);
    Ok(outline.into_units(grade, subject))
}

/// The text with every line end a `\n` (a lone `\r` of old Mac exports counts too), without
/// control characters, and with what PDFs paste folded ([`crate::text::fold_pasted`]: ligatures,
/// zero-width spaces, odd hyphens); borrowed when there was nothing to change.
fn clean_text(text: &str) -> Cow<'_, str> {
    let clean = match crate::text::strip_controls(text) {
        Cow::Borrowed(b) => crate::text::fold_pasted(b),
        Cow::Owned(o) => Cow::Owned(crate::text::fold_pasted(&o).into_owned()),
    };
    if clean.contains('\r') {
        clean.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        clean
    }
}

/// What the whole file shows about how to read it.
struct Layout {
    /// Markdown: forced by the options, else a `.md`/`.markdown` file or one with `#` headings.
    md: bool,
    /// One `#` heading and deeper ones: that heading is the book's title.
    one_h1_over_deeper: bool,
    /// Numbered lines sit at different indentations: the file shows its hierarchy by
    /// indentation, and entries at the same indentation are siblings whatever their numbering.
    by_indent: bool,
}

impl Layout {
    fn of(path: &Path, text: &str, opts: &TocOptions) -> Layout {
        let md = opts.markdown.unwrap_or_else(|| {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            ext == "md" || ext == "markdown" || text.lines().any(|l| heading_level(l.trim_start()).is_some())
        });
        let h1_count = text
            .lines()
            .filter(|l| heading_level(l.trim_start()) == Some(1))
            .count();
        let has_deeper = text
            .lines()
            .any(|l| heading_level(l.trim_start()).is_some_and(|h| h > 1));
        let numbered_indents: HashSet<usize> = text
            .lines()
            .filter_map(parse_line)
            .filter(|l| l.heading.is_none() && l.num.is_some())
            .map(|l| l.indent)
            .collect();
        Layout {
            md,
            one_h1_over_deeper: h1_count == 1 && has_deeper,
            by_indent: numbered_indents.len() > 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::claims::extract_codes;
    use super::line::{clean_title, heading_level, indent_of, is_page_only, strip_inline_markdown, strip_page};
    use super::numbering::parse_number;
    use super::*;
    use crate::codes::looks_like_code;

    fn toc(text: &str) -> Vec<Unit> {
        read_toc(Path::new("t.txt"), text).unwrap()
    }

    #[test]
    fn page_stripping() {
        let cases = [
            ("Adding Fractions ........ 112", "Adding Fractions", true),
            ("Adding Fractions  112", "Adding Fractions", true),
            ("Adding Fractions\t112", "Adding Fractions", true),
            ("Adding Fractions . . . . 112", "Adding Fractions", true),
            ("Adding Fractions p. 112", "Adding Fractions", true),
            ("Adding Fractions, pp. 112-118", "Adding Fractions", true),
            ("Adding Fractions (pp. 112–118)", "Adding Fractions", true),
            ("Adding Fractions…112", "Adding Fractions", true),
            ("Preface ....... xi", "Preface", true),
            ("Numbers to 100", "Numbers to 100", false),
            ("Count to 20", "Count to 20", false),
            ("Multiply by 10 and 100", "Multiply by 10 and 100", false),
            ("Unit V", "Unit V", false),
            ("Adding Fractions .........", "Adding Fractions", false),
        ];
        for (i, want, found) in cases {
            assert_eq!(strip_page(i), (want.to_string(), found), "{i}");
        }
        assert!(is_page_only("112"));
        assert!(is_page_only("p. 12"));
        assert!(is_page_only("112-118"));
        assert!(is_page_only("xii"));
        assert!(!is_page_only("3 Fractions"));
    }

    #[test]
    fn numbering_styles() {
        let n = |s: &str| parse_number(s).map(|(n, r)| (n.id(), clean_title(r)));
        assert_eq!(n("Chapter 3"), Some(("chapter-3".into(), "".into())));
        assert_eq!(
            n("Chapter 3: Fractions"),
            Some(("chapter-3".into(), "Fractions".into()))
        );
        assert_eq!(n("CHAPTER 3 Fractions"), Some(("chapter-3".into(), "Fractions".into())));
        assert_eq!(n("Unit 2 – Ratios"), Some(("unit-2".into(), "Ratios".into())));
        assert_eq!(n("Module 4 Fractions"), Some(("module-4".into(), "Fractions".into())));
        assert_eq!(n("Topic 5: Data"), Some(("topic-5".into(), "Data".into())));
        assert_eq!(n("Part A Basics"), Some(("part-a".into(), "Basics".into())));
        assert_eq!(n("Part IV — Basics"), Some(("part-iv".into(), "Basics".into())));
        assert_eq!(n("Lesson 4: Adding"), Some(("lesson-4".into(), "Adding".into())));
        assert_eq!(n("Lesson 4. Adding"), Some(("lesson-4".into(), "Adding".into())));
        assert_eq!(n("Lesson 4.2 Adding"), Some(("lesson-4.2".into(), "Adding".into())));
        assert_eq!(n("L4 Adding"), Some(("lesson-4".into(), "Adding".into())));
        assert_eq!(n("Ch. 3 Adding"), Some(("chapter-3".into(), "Adding".into())));
        assert_eq!(n("3.2 Adding"), Some(("3.2".into(), "Adding".into())));
        assert_eq!(n("3.2.1 Adding"), Some(("3.2.1".into(), "Adding".into())));
        assert_eq!(n("3.2. Adding"), Some(("3.2".into(), "Adding".into())));
        assert_eq!(n("5-1 Adding"), Some(("5.1".into(), "Adding".into())));
        assert_eq!(n("3 Fractions"), Some(("3".into(), "Fractions".into())));
        assert_eq!(n("100 Days of school"), None);
        assert_eq!(n("4.NF.3 Adding"), None);
        assert_eq!(n("Unit fractions"), None);
        assert_eq!(n("Lesson plans"), None);
    }

    #[test]
    fn ch_abbreviation() {
        let u = toc("Ch. 3 Adding\nCh4 Subtracting\n");
        assert_eq!(u[0].id, "chapter-3");
        assert_eq!(u[0].title, "Adding");
        assert_eq!(u[1].id, "chapter-4");
    }

    #[test]
    fn code_extraction_variants() {
        let cases: [(&str, &str, &[&str]); 8] = [
            ("Adding Fractions (4.NF.3)", "Adding Fractions", &["4.NF.3"]),
            (
                "Adding Fractions [4.NF.B.3, 4.NF.B.4]",
                "Adding Fractions",
                &["4.NF.B.3", "4.NF.B.4"],
            ),
            ("Adding Fractions — CCSS 4.NF.3", "Adding Fractions", &["4.NF.3"]),
            ("MS-PS1-1 Structure of Matter", "Structure of Matter", &["MS-PS1-1"]),
            (
                "Equations (CCSS: 7.EE.B.4a and 7.EE.B.4b)",
                "Equations",
                &["7.EE.B.4a", "7.EE.B.4b"],
            ),
            ("Solving (see 4.NF.3) problems", "Solving (see) problems", &["4.NF.3"]),
            ("Add and subtract (4.NF.3)", "Add and subtract", &["4.NF.3"]),
            ("Numbers to 1,000", "Numbers to 1,000", &[]),
        ];
        for (i, t, c) in cases {
            let (title, claimed) = extract_codes(i);
            assert_eq!(
                (
                    clean_title(&title).as_str(),
                    claimed.iter().map(String::as_str).collect::<Vec<_>>()
                ),
                (t, c.to_vec()),
                "{i}"
            );
        }
    }

    #[test]
    fn wrapped_title_and_split_heading() {
        let u = toc("CHAPTER 3\nFractions\n3.1 Adding fractions with like\n   denominators ....... 112\n");
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].title, "Fractions");
        assert_eq!(u[1].title, "Adding fractions with like denominators");
        assert_eq!(u[1].parent, Some(0));
    }

    #[test]
    fn multibyte_text_next_to_markers() {
        assert_eq!(strip_page("Brüche ……… 12"), ("Brüche".to_string(), true));
        assert_eq!(strip_page("Brüche (pp. 12–14)"), ("Brüche".to_string(), true));
        assert_eq!(strip_page("Brüche PAGE 12"), ("Brüche".to_string(), true));
        assert_eq!(strip_page("é p. 3"), ("é".to_string(), true));
        assert_eq!(strip_page("ép. 3"), ("ép. 3".to_string(), false));
        assert_eq!(strip_page("日本...."), ("日本".to_string(), false));
        assert_eq!(strip_inline_markdown("[é](x) ü [ö]("), "é ü [ö](");
        assert_eq!(indent_of("\u{a0}\té"), (4, "é"));
        assert_eq!(heading_level("##é"), None);
        assert!(parse_number("Chapter é").is_none());
        assert_eq!(
            parse_number("3.2\u{a0}Brüche").map(|(n, r)| (n.id(), r)),
            Some(("3.2".into(), "\u{a0}Brüche"))
        );
        assert!(!looks_like_code("ccss.é"));
        assert!(!looks_like_code("4.NF.3é"));
        let (title, claimed) = extract_codes("Brüche (é 4.NF.3) [ ]");
        assert_eq!((title.as_str(), claimed), ("Brüche (é) ", vec!["4.NF.3".to_string()]));
        let u = toc("1) Zählen\n\t2) Brüche ……… 12\n# Ü\n");
        assert_eq!(
            u.iter().map(|u| u.title.as_str()).collect::<Vec<_>>(),
            ["Zählen", "Brüche", "Ü"]
        );
    }

    #[test]
    fn grade_metadata_error() {
        let e = read_toc(Path::new("g.txt"), "grade: fourteen\nChapter 1 A\n").unwrap_err();
        assert_eq!(e.to_string(), "g.txt:1: not a grade or grade band: \"fourteen\"");
    }
}
