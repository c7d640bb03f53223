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

use crate::codes::looks_like_code;
use crate::error::{Error, Location, Result};
use crate::model::{GradeRange, Unit};
use std::collections::{HashMap, HashSet};
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

/// Numbering keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kw {
    Part,
    Unit,
    Module,
    Chapter,
    Topic,
    Section,
    Lesson,
}

impl Kw {
    fn slug(self) -> &'static str {
        match self {
            Kw::Part => "part",
            Kw::Unit => "unit",
            Kw::Module => "module",
            Kw::Chapter => "chapter",
            Kw::Topic => "topic",
            Kw::Section => "section",
            Kw::Lesson => "lesson",
        }
    }

    fn from_word(w: &str) -> Option<Kw> {
        Some(match w.to_ascii_lowercase().trim_end_matches('.') {
            "part" => Kw::Part,
            "unit" => Kw::Unit,
            "module" | "mod" => Kw::Module,
            "chapter" | "chap" | "ch" => Kw::Chapter,
            "topic" => Kw::Topic,
            "section" | "sec" => Kw::Section,
            "lesson" | "les" => Kw::Lesson,
            _ => return None,
        })
    }
}

/// The numbering class of an entry, used to rank entries without indentation or headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Kw(Kw),
    /// Decimal numbering with this many components.
    Dec(usize),
}

impl Class {
    /// Classes whose unnumbered followers (at the same indentation) are their children.
    fn is_container(self) -> bool {
        matches!(self, Class::Kw(k) if k != Kw::Lesson) || self == Class::Dec(1)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Numbering {
    class: Class,
    /// The number as written, normalised: `3`, `3.2`, `A`, `IV`.
    num: String,
    /// The label as written (`Chapter 3`), used as the title when there is none.
    label: String,
}

impl Numbering {
    fn id(&self) -> String {
        match self.class {
            Class::Kw(k) => format!("{}-{}", k.slug(), self.num.to_ascii_lowercase()),
            Class::Dec(_) => self.num.clone(),
        }
    }
}

/// One line of the file, cleaned.
#[derive(Debug, Default)]
struct Line {
    indent: usize,
    heading: Option<usize>,
    list: bool,
    num: Option<Numbering>,
    title: String,
    claimed: Vec<String>,
    had_page: bool,
    /// Column where the title starts (after the number), for aligning unnumbered lines.
    title_col: usize,
    /// The content after Markdown markers, before number/code/page handling.
    content: String,
}

const LEAF: u32 = u32::MAX;

struct Entry {
    unit: Unit,
    level: (usize, usize, u32),
    class: Option<Class>,
    needs_title: bool,
    had_page: bool,
    own_id: Option<String>,
    title_col: usize,
}

/// Whether a title stops where a phrase cannot: on a comma, a hyphen or dash, or a word such as
/// "and", "of", "with" that needs a following word.
fn ends_mid_phrase(title: &str) -> bool {
    let t = title.trim_end();
    if t.ends_with([',', '-', '\u{2013}', '\u{2014}', '&', '/']) {
        return true;
    }
    let last = t
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "a" | "an"
            | "and"
            | "as"
            | "at"
            | "by"
            | "for"
            | "from"
            | "in"
            | "into"
            | "of"
            | "on"
            | "or"
            | "than"
            | "the"
            | "to"
            | "using"
            | "with"
            | "within"
    )
}

/// Read a table of contents.
pub fn read_toc_with(path: &Path, text: &str, opts: &TocOptions) -> Result<Vec<Unit>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::input(Location::file(path), "file is empty"));
    }
    // Every line end counts, a lone `\r` (old Mac exports) too; control characters go.
    let clean = crate::text::strip_controls(text);
    let text: std::borrow::Cow<str> = if clean.contains('\r') {
        clean.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        clean
    };
    let text = text.as_ref();
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
    // When numbered lines sit at different indentations, the file shows its hierarchy by
    // indentation, and entries at the same indentation are siblings whatever their numbering.
    let numbered_indents: HashSet<usize> = text
        .lines()
        .filter_map(parse_line)
        .filter(|l| l.heading.is_none() && l.num.is_some())
        .map(|l| l.indent)
        .collect();
    let by_indent = numbered_indents.len() > 1;

    let mut grade: Option<GradeRange> = None;
    let mut subject: Option<String> = None;
    let mut entries: Vec<Entry> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut ranks: HashMap<Class, u32> = HashMap::new();
    let mut in_yaml = false;
    let mut seen_content = false;

    for (i, raw) in text.lines().enumerate() {
        let lineno = i as u64 + 1;
        let trimmed = raw.trim();
        // YAML front matter at the top of a Markdown file.
        if trimmed == "---" && (in_yaml || !seen_content) {
            in_yaml = !in_yaml;
            seen_content = true;
            continue;
        }
        seen_content |= !trimmed.is_empty();
        let Some(mut l) = parse_line(raw) else { continue };

        if entries.is_empty() || in_yaml {
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
                        grade = Some(g);
                    }
                    "subject" => subject = Some(v.trim().to_string()).filter(|s| !s.is_empty()),
                    _ => {
                        if grade.is_none() {
                            grade = find_grade(v);
                        }
                        if subject.is_none() {
                            subject = find_subject(v);
                        }
                    }
                }
                continue;
            }
            if in_yaml {
                continue;
            }
            if l.num.is_none() && !l.had_page && is_title_line(&l) {
                let g = find_grade(&l.content);
                let subj = find_subject(&l.content);
                let doc_title = md && l.heading == Some(1) && h1_count == 1 && has_deeper;
                // A book title: names a grade, or a subject on a line that is no section heading.
                if g.is_some() || doc_title || (subj.is_some() && l.heading.is_none_or(|h| h == 1)) {
                    if grade.is_none() {
                        grade = g;
                    }
                    if subject.is_none() {
                        subject = subj;
                    }
                    continue;
                }
            }
        }

        // "Chapter 1 Review" inside chapter 1 names its chapter; it is not a new chapter 1.
        if let Some(n) = l.num.as_ref().filter(|n| matches!(n.class, Class::Kw(_))) {
            let id = n.id();
            if on_stack(&stack, &entries).any(|e| e.own_id.as_deref() == Some(id.as_str())) {
                l.title = format!("{} {}", n.label, l.title).trim().to_string();
                l.num = None;
            }
        }
        let written_indent = l.indent;
        // An unnumbered line aligned with the title of a numbered line above is its sibling.
        if l.num.is_none() && l.heading.is_none() {
            if let Some(e) = on_stack(&stack, &entries)
                .rev()
                .find(|e| e.level.0 == 7 && e.own_id.is_some() && e.title_col == l.indent && e.level.1 < l.indent)
            {
                l.indent = e.level.1;
            }
        }
        if l.num.is_none() && l.heading.is_none() && !l.list {
            if let Some(last) = entries.last_mut() {
                // "CHAPTER 3" on one line, its name on the next.
                if last.needs_title && !l.title.is_empty() && l.indent <= last.level.1 {
                    last.unit.title = l.title;
                    last.unit.claimed.extend(l.claimed);
                    last.needs_title = false;
                    last.had_page |= l.had_page;
                    continue;
                }
                // A wrapped title: the previous line had no page number, this one starts in lower
                // case, and either it is indented under the previous title or that title stops
                // mid-phrase. (A list of lessons written in lower case is not one title.)
                if !last.had_page
                    && l.title.chars().next().is_some_and(|c| c.is_lowercase())
                    && (written_indent > last.level.1 || ends_mid_phrase(&last.unit.title))
                {
                    last.unit.title = format!("{} {}", last.unit.title, l.title);
                    last.unit.claimed.extend(l.claimed);
                    last.had_page = l.had_page;
                    continue;
                }
                // Markdown prose under an entry is its description.
                if md && is_prose(&l.title) && !l.had_page {
                    let t = &mut last.unit.text;
                    if !t.is_empty() {
                        t.push(' ');
                    }
                    t.push_str(&l.title);
                    last.unit.claimed.extend(l.claimed);
                    continue;
                }
            }
        }
        if l.num.is_none() && is_matter(&l.title) {
            continue;
        }
        if l.num.is_none() && l.title.is_empty() {
            // A line of codes only: claims of the entry above.
            if let Some(last) = entries.last_mut() {
                last.unit.claimed.extend(l.claimed);
            }
            continue;
        }

        // The level of this entry.
        let level = if let Some(h) = l.heading {
            (h, 0, 0)
        } else {
            let rank = match &l.num {
                Some(n) => {
                    let next = ranks.len() as u32;
                    *ranks.entry(n.class).or_insert(next)
                }
                None => {
                    let prev = stack.last().and_then(|&t| entries.get(t));
                    match prev {
                        Some(p)
                            if p.level.0 == 7 && p.level.1 == l.indent && p.class.is_some_and(Class::is_container) =>
                        {
                            LEAF
                        }
                        _ => on_stack(&stack, &entries)
                            .rev()
                            .find(|e| e.level.0 == 7 && e.level.1 == l.indent)
                            .map_or(LEAF, |e| e.level.2),
                    }
                }
            };
            (7, l.indent, if by_indent { 0 } else { rank })
        };
        while stack
            .last()
            .and_then(|&t| entries.get(t))
            .is_some_and(|e| e.level >= level)
        {
            stack.pop();
        }
        let parent = stack.last().copied();
        let context = match parent.and_then(|p| entries.get(p)) {
            Some(p) => {
                let mut c = p.unit.context.clone();
                c.push(p.unit.title.clone());
                c
            }
            None => Vec::new(),
        };
        let needs_title = l.title.is_empty() && l.num.is_some();
        let title = if needs_title {
            l.num.as_ref().map(|n| n.label.clone()).unwrap_or_default()
        } else {
            l.title
        };
        entries.push(Entry {
            unit: Unit {
                id: String::new(),
                title,
                text: String::new(),
                grade: None,
                subject: None,
                claimed: l.claimed,
                parent,
                context,
                origin: format!("{}:{lineno}", path.display()),
            },
            level,
            class: l.num.as_ref().map(|n| n.class),
            needs_title,
            had_page: l.had_page,
            own_id: l.num.as_ref().map(Numbering::id),
            title_col: l.title_col,
        });
        stack.push(entries.len() - 1);
    }

    if entries.is_empty() {
        return Err(Error::input(Location::file(path), "no table-of-contents entries found"));
    }
    let grade = opts.grade.or(grade);
    let subject = opts.subject.clone().or(subject);

    // Ids: the entry's own number (`3.2`, `lesson-4.2`); a keyword number without a dot is
    // qualified by the parent's id (`unit-2/lesson-4`); unnumbered entries are `entry-N`.
    let mut used: HashSet<String> = HashSet::new();
    let mut ids: Vec<String> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let mut id = match (&e.own_id, e.class) {
            // Parents come before children, so the parent's id is already in `ids`.
            (Some(own), Some(Class::Kw(_))) if !own.contains('.') => match e.unit.parent.and_then(|p| ids.get(p)) {
                Some(parent_id) => format!("{parent_id}/{own}"),
                None => own.clone(),
            },
            (Some(own), _) => own.clone(),
            (None, _) => format!("entry-{}", i + 1),
        };
        if used.contains(&id) {
            let base = id.clone();
            let mut k = 2;
            while used.contains(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
        }
        used.insert(id.clone());
        ids.push(id);
    }
    Ok(entries
        .into_iter()
        .zip(ids)
        .map(|(e, id)| {
            let mut u = e.unit;
            u.id = id;
            u.grade = grade;
            u.subject = subject.clone();
            let mut seen = HashSet::new();
            u.claimed.retain(|c| seen.insert(c.clone()));
            u
        })
        .collect())
}

/// The entries on the stack of open entries, outermost first (the stack holds indices of
/// `entries`).
fn on_stack<'a>(stack: &'a [usize], entries: &'a [Entry]) -> impl DoubleEndedIterator<Item = &'a Entry> {
    stack.iter().filter_map(|&t| entries.get(t))
}

// ---------------------------------------------------------------------------------------------
// line cleaning

/// `#`..`######` followed by a space (or nothing).
fn heading_level(s: &str) -> Option<usize> {
    let rest = s.trim_start_matches('#');
    let n = s.len() - rest.len(); // `#` is one byte
    if (1..=6).contains(&n) && rest.chars().next().is_none_or(|c| c == ' ' || c == '\t') {
        Some(n)
    } else {
        None
    }
}

fn indent_of(raw: &str) -> (usize, &str) {
    let is_blank = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t');
    let col = raw
        .chars()
        .take_while(|&c| is_blank(c))
        .fold(0, |col, c| if c == '\t' { (col / 4 + 1) * 4 } else { col + 1 });
    (col, raw.trim_start_matches(is_blank))
}

fn parse_line(raw: &str) -> Option<Line> {
    let (mut indent, rest) = indent_of(raw);
    let mut s = rest.trim_end().to_string();
    if s.is_empty() {
        return None;
    }
    // Markdown structure that is never an entry.
    if s.starts_with("<!--") || s.starts_with("```") || s.starts_with("~~~") {
        return None;
    }
    if s.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ' | '|' | ':')) {
        return None; // rules, setext underlines, table separators
    }
    if let Some(r) = s.strip_prefix('>') {
        s = r.trim_start().to_string();
    }
    if s.starts_with('|') {
        // A table row: cells become columns separated by wide gaps.
        s = s
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("   ");
    }
    let mut line = Line {
        indent,
        ..Line::default()
    };
    if let Some(h) = heading_level(&s) {
        line.heading = Some(h);
        // `heading_level` counted the leading `#`s.
        s = s
            .trim_start_matches('#')
            .trim()
            .trim_end_matches('#')
            .trim_end()
            .to_string();
    } else {
        for m in ["- ", "* ", "+ ", "• ", "· ", "◦ ", "▪ ", "‣ ", "○ ", "■ "] {
            if let Some(r) = s.strip_prefix(m) {
                line.list = true;
                s = r.trim_start().to_string();
                for cb in ["[ ] ", "[x] ", "[X] "] {
                    if let Some(r) = s.strip_prefix(cb) {
                        s = r.to_string();
                    }
                }
                break;
            }
        }
        if !line.list {
            // `1. Title` / `1) Title`: an ordered list item; its number stays as numbering.
            let after_digits = s.trim_start_matches(|c: char| c.is_ascii_digit());
            let digits = s.len() - after_digits.len(); // ASCII digits: bytes are chars
            if let Some((num, after)) = s.split_at_checked(digits).filter(|_| (1..=3).contains(&digits)) {
                if let Some(title) = after.strip_prefix(") ") {
                    line.list = true;
                    s = format!("{num}. {}", title.trim_start());
                } else if after.starts_with(". ") && indent > 0 {
                    line.list = true;
                }
            }
        }
    }
    if line.list || line.heading.is_some() {
        indent = line.indent;
    }
    line.indent = indent;
    let s = strip_inline_markdown(&s);
    let s = s.trim();
    line.content = s.to_string();
    if line.heading.is_none() && is_page_only(s) {
        return None;
    }
    let (s, p1) = strip_page(s);
    let (num, rest) = match parse_number(&s) {
        Some((n, r)) => (Some(n), r.to_string()),
        None => (None, s.clone()),
    };
    let title_start = s.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || ":.–—-".contains(c))
            .len();
    // `rest` is a suffix of `s`, so `title_start` is a char boundary of `s`.
    line.title_col = indent + s.get(..title_start).map_or(0, |p| p.chars().count());
    let (title, claimed) = extract_codes(&rest);
    let (title, p2) = strip_page(&title);
    line.had_page = p1 || p2;
    line.num = num;
    line.title = clean_title(&title);
    line.claimed = claimed;
    if line.title.is_empty() && line.num.is_none() && line.claimed.is_empty() {
        return None;
    }
    Some(line)
}

/// Links to their text; emphasis and code markers removed.
fn strip_inline_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after_open)) = rest.split_once('[') {
        let Some((link_text, after_close)) = after_open.split_once("](") else {
            break;
        };
        let Some((_target, tail)) = after_close.split_once(')') else {
            break;
        };
        out.push_str(before);
        out.push_str(link_text);
        rest = tail;
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "").replace(['`', '*'], "")
}

fn clean_title(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let seps: &[char] = &[' ', ':', '–', '—', '-', '|', ',', ';', '/', '·'];
    let t = t.trim_matches(seps);
    // A leading "." left from "3.2. Title" or "Lesson 4. Title".
    t.trim_start_matches(['.', ' ']).trim().to_string()
}

fn is_page_ref(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() {
        return false;
    }
    let parts: Vec<&str> = t.split(['-', '–', '—']).collect();
    if parts.len() > 2 {
        return false;
    }
    let all_digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()));
    let all_roman = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 6 && p.chars().all(|c| "ivxlc".contains(c)));
    all_digits || all_roman
}

/// A line that is only a page number, a page range, `p. 12`, or leader dots.
fn is_page_only(s: &str) -> bool {
    let t = s.trim().trim_matches(['.', '·', '…', ' ']);
    if t.is_empty() {
        return !s.trim().is_empty() && s.contains(['.', '·', '…']);
    }
    let lower = t.to_ascii_lowercase();
    let t = lower
        .strip_prefix("pp.")
        .or_else(|| lower.strip_prefix("p."))
        .or_else(|| lower.strip_prefix("pages"))
        .or_else(|| lower.strip_prefix("page"))
        .unwrap_or(&lower)
        .trim();
    if t.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '–' | ' '))
        && t.chars().any(|c| c.is_ascii_digit())
    {
        return true;
    }
    is_page_ref(t) && t.chars().all(|c| "ivxlc-–".contains(c)) && t.len() <= 6
}

/// Remove a trailing page reference with the leader or gap before it. Returns whether one was found.
fn strip_page(s: &str) -> (String, bool) {
    let mut t = s.trim_end();
    let mut found = false;
    // "(p. 112)" / "(pp. 112-118)"
    if let Some(inner) = t.strip_suffix(')') {
        if let Some((head, body)) = inner.rsplit_once('(') {
            let body = body.trim().to_ascii_lowercase();
            if let Some(r) = body.strip_prefix("pp.").or_else(|| body.strip_prefix("p.")) {
                if is_page_ref(r) {
                    t = head.trim_end();
                    found = true;
                }
            }
        }
    }
    if !found {
        let start = t
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || "ivxlc-–".contains(*c))
            .last()
            .map(|(i, _)| i);
        if let Some((before, num)) = start.and_then(|start| t.split_at_checked(start)) {
            if is_page_ref(num) && (before.is_empty() || !before.ends_with(|c: char| c.is_alphanumeric())) {
                let roman = !num.chars().any(|c| c.is_ascii_digit());
                let b = before.trim_end();
                // `pp. 12`, `page 12`, `p. 12` (`p.` alone or after a space)
                let page_word = strip_suffix_ignore_case(b, "pp.")
                    .or_else(|| strip_suffix_ignore_case(b, "page"))
                    .or_else(|| strip_suffix_ignore_case(b, "p.").filter(|h| h.is_empty() || h.ends_with(' ')));
                if let Some(head) = page_word {
                    t = head.trim_end().trim_end_matches([',', '—', '–', '-']);
                    found = true;
                } else {
                    let (head, leader) = b
                        .split_at_checked(b.trim_end_matches(['.', '·', '…', '_', ' ']).len())
                        .unwrap_or((b, ""));
                    let dots = leader.chars().filter(|c| matches!(c, '.' | '·' | '_')).count();
                    let gap = before.ends_with("  ") || before.ends_with('\t');
                    if dots >= 2 || leader.contains('…') {
                        t = head;
                        found = true;
                    } else if gap && !roman {
                        t = b;
                        found = true;
                    }
                }
            }
        }
    }
    // Leader dots with no number after them.
    if let Some((head, tail)) = t.split_at_checked(t.trim_end_matches(['.', '·', ' ']).len()) {
        if tail.matches('.').count() >= 4 {
            t = head;
        }
    }
    (t.trim_end().to_string(), found)
}

/// `s` without `suffix` at its end, compared ignoring ASCII case.
fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let (head, tail) = s.split_at_checked(s.len().checked_sub(suffix.len())?)?;
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.chars().all(|c| "IVX".contains(c))
}

/// `Chapter 3: Title`, `Unit 2 – Title`, `Part A`, `Lesson 4.`, `L4 Title`, `3.2 Title`, `5-1 Title`.
fn parse_number(s: &str) -> Option<(Numbering, &str)> {
    // The first word, and what follows it from the whitespace on.
    let (first, after_first) = s
        .find(char::is_whitespace)
        .and_then(|end| s.split_at_checked(end))
        .unwrap_or((s, ""));
    // Keyword + number.
    if let Some(kw) = Kw::from_word(first) {
        let after = after_first.trim_start();
        let (tok, rest) = after
            .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ')' | '—' | '–'))
            .and_then(|end| after.split_at_checked(end))
            .unwrap_or((after, ""));
        let tok_clean = tok.trim_end_matches(['.', '-']);
        if valid_kw_number(tok_clean) {
            let label = format!("{} {}", first, tok_clean);
            return Some((
                Numbering {
                    class: Class::Kw(kw),
                    num: tok_clean.to_string(),
                    label,
                },
                rest,
            ));
        }
        return None;
    }
    // `Ch.3`, `Ch3`, `L4`, `L4.2`
    for (prefix, kw) in [("Ch.", Kw::Chapter), ("Ch", Kw::Chapter), ("L", Kw::Lesson)] {
        if let Some(r) = first.strip_prefix(prefix) {
            let r = r.trim_end_matches([':', '.']);
            if !r.is_empty() && r.starts_with(|c: char| c.is_ascii_digit()) && valid_decimal(r).is_some() {
                let label = first.trim_end_matches([':', '.']).to_string();
                return Some((
                    Numbering {
                        class: Class::Kw(kw),
                        num: r.to_string(),
                        label,
                    },
                    after_first,
                ));
            }
        }
    }
    // Decimal.
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        let explicit = first.ends_with(['.', ':', ')']);
        let tok = first.trim_end_matches(['.', ':', ')']);
        let comps = valid_decimal(tok)?;
        let rest = after_first;
        if let [only] = comps.as_slice() {
            // A bare "12 Title" only with a capitalised title; "1000" is no chapter number.
            if only.len() > 2 {
                return None;
            }
            if !explicit && !rest.trim_start().starts_with(|c: char| c.is_uppercase()) {
                return None;
            }
        }
        if rest.trim().is_empty() && !explicit && comps.len() == 1 {
            return None;
        }
        let num = comps.join(".");
        return Some((
            Numbering {
                class: Class::Dec(comps.len()),
                num: num.clone(),
                label: num,
            },
            rest,
        ));
    }
    None
}

fn valid_kw_number(t: &str) -> bool {
    if t.is_empty() {
        return false;
    }
    if valid_decimal(t).is_some() {
        return true;
    }
    if t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    if is_roman(t) {
        return true;
    }
    // `1A`, `2B`
    let letter = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let d = t.len() - letter.len(); // ASCII digits: bytes are chars
    d > 0 && d <= 3 && letter.len() == 1 && letter.chars().all(|c| c.is_ascii_uppercase())
}

/// `3`, `3.2`, `3.2.1`, `5-1`: components of at most 3 digits.
fn valid_decimal(t: &str) -> Option<Vec<&str>> {
    let comps: Vec<&str> = t.split(['.', '-', '–']).collect();
    let ok = !comps.is_empty()
        && comps.len() <= 4
        && comps
            .iter()
            .all(|c| !c.is_empty() && c.len() <= 3 && c.chars().all(|ch| ch.is_ascii_digit()));
    ok.then_some(comps)
}

// ---------------------------------------------------------------------------------------------
// standard codes in titles

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';' | ':' | '"' | '\'' | '“' | '”'
        )
    })
    .trim_end_matches('.')
}

fn is_filler(t: &str) -> bool {
    let t = trim_token(t).to_ascii_lowercase();
    matches!(
        t.as_str(),
        "" | "ccss"
            | "ngss"
            | "teks"
            | "standard"
            | "standards"
            | "std"
            | "stds"
            | "and"
            | "&"
            | "/"
            | "—"
            | "–"
            | "-"
            | "|"
    )
}

/// Move standard codes out of a title. Returns the title without them and the codes as written.
fn extract_codes(s: &str) -> (String, Vec<String>) {
    let toks: Vec<&str> = s.split_whitespace().collect();
    let is_code: Vec<bool> = toks.iter().map(|t| looks_like_code(trim_token(t))).collect();
    if !is_code.iter().any(|&c| c) {
        return (s.to_string(), Vec::new());
    }
    // Codes go, and so does a run of fillers ("CCSS", "and", "—") that ends right before a code:
    // walking backwards, a filler goes when the first non-filler after its run is a code.
    let mut remove = is_code.clone();
    let mut code_follows = false;
    for ((t, &code), rm) in toks.iter().zip(&is_code).zip(remove.iter_mut()).rev() {
        if code {
            code_follows = true;
        } else if is_filler(t) {
            *rm = code_follows;
        } else {
            code_follows = false;
        }
    }
    let mut claimed = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for ((t, &code), &rm) in toks.iter().zip(&is_code).zip(&remove) {
        if code {
            claimed.push(trim_token(t).to_string());
        }
        if rm {
            let brackets: String = t
                .chars()
                .filter(|c| matches!(c, '(' | ')' | '[' | ']' | '{' | '}'))
                .collect();
            if !brackets.is_empty() {
                kept.push(brackets);
            }
        } else {
            kept.push(t.to_string());
        }
    }
    let mut out = kept.join(" ");
    // Drop bracket groups left empty.
    loop {
        let before = out.len();
        for (o, c) in [('(', ')'), ('[', ']'), ('{', '}')] {
            let mut res = String::with_capacity(out.len());
            let mut rest = out.as_str();
            while let Some((before, after)) = rest.split_once(o) {
                let inner = after.trim_start_matches([' ', ',', ';', ':']);
                res.push_str(before);
                match inner.strip_prefix(c) {
                    Some(tail) => rest = tail,
                    None => {
                        res.push(o);
                        rest = after;
                    }
                }
            }
            res.push_str(rest);
            out = res;
        }
        if out.len() == before {
            break;
        }
    }
    let out = out
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("[ ", "[")
        .replace(" ]", "]");
    (out, claimed)
}

// ---------------------------------------------------------------------------------------------
// front matter, metadata, grade

fn is_matter(title: &str) -> bool {
    let t = title.trim().trim_end_matches(':').trim().to_ascii_lowercase();
    matches!(
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

/// A grade named in a title line: `Grade 4`, `Grades 6-8`, `4th Grade`, `Kindergarten`. The
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
        if next.is_some_and(|n| n == "grade") && t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
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

/// A sentence rather than an entry title.
fn is_prose(s: &str) -> bool {
    (s.ends_with('.') && !s.ends_with("..")) || s.split_whitespace().count() > 14
}

#[cfg(test)]
mod tests {
    use super::*;

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
