//! The outline: where each line of a table of contents goes. Every entry gets a [`Level`] (its
//! Markdown heading level, else its indentation and the rank of its numbering class) and hangs
//! under the nearest open entry of a lower level; a line that is no entry of its own may finish
//! the entry above it (a title on the next line, a wrapped title, Markdown prose as its text, a
//! line of codes as its claims). At the end every entry gets its id.
//!
//! An entry's `context` holds the titles of its nearest ancestors, at most [`CONTEXT_DEPTH`] of
//! them, outermost first, so that a very deep outline costs time and memory linear in its length.

use super::front_matter::is_matter;
use super::line::{is_lettered_page, Line};
use super::numbering::{Class, Numbering};
use crate::model::{GradeRange, Unit, UnitRole};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How many ancestor titles an entry keeps as context, the nearest ones. Real books nest three
/// deep (module > topic > lesson, chapter > section > lesson, a title heading over units, topics
/// and lessons), so every ancestor of theirs is kept; an outline nested thousands deep costs
/// linear, not quadratic, time and memory.
pub(crate) const CONTEXT_DEPTH: usize = 4;

/// The rank of an unnumbered line that starts no group of its own: below every numbering class.
const LEAF: u32 = u32::MAX;

/// How deep an entry sits. Levels compare as the nesting goes: a heading of a lower level
/// contains everything after it up to the next heading of its level or a higher one; a line that
/// is no heading sits below every heading, nested by indentation, then by the rank of its
/// numbering class. An entry contains the entries after it of a greater level.
#[derive(Debug, Clone, Copy)]
struct Level {
    /// The Markdown heading level, 1 to 6; `None` for a line that is no heading.
    heading: Option<u8>,
    /// Indentation in columns (0 for a heading).
    indent: usize,
    /// Rank of the numbering class in the order the book first uses the classes (0 for a heading,
    /// and for every line when the file shows its hierarchy by indentation), or [`LEAF`].
    rank: u32,
}

impl Level {
    fn heading(h: u8) -> Level {
        Level {
            heading: Some(h),
            indent: 0,
            rank: 0,
        }
    }

    /// What the level compares by: a line that is no heading counts as a heading level below
    /// the deepest Markdown one (6).
    fn key(&self) -> (u8, usize, u32) {
        (self.heading.unwrap_or(7), self.indent, self.rank)
    }
}

impl PartialEq for Level {
    fn eq(&self, other: &Level) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Level {}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Level) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Level {
    fn cmp(&self, other: &Level) -> Ordering {
        self.key().cmp(&other.key())
    }
}

struct Entry {
    unit: Unit,
    level: Level,
    class: Option<Class>,
    needs_title: bool,
    had_page: bool,
    own_id: Option<String>,
    title_col: usize,
}

/// The entries read so far and the stack of open ones.
pub(super) struct Outline {
    entries: Vec<Entry>,
    /// Indices of the open entries in `entries`, outermost first.
    stack: Vec<usize>,
    /// The rank of each numbering class, in the order the book first uses them.
    ranks: HashMap<Class, u32>,
    md: bool,
    by_indent: bool,
}

impl Outline {
    /// `md`: prose lines are descriptions. `by_indent`: numbered lines sit at several
    /// indentations, so the file shows its hierarchy by indentation, and entries at the same
    /// indentation are siblings whatever their numbering.
    pub(super) fn new(md: bool, by_indent: bool) -> Outline {
        Outline {
            entries: Vec::new(),
            stack: Vec::new(),
            ranks: HashMap::new(),
            md,
            by_indent,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Place a line of the outline; `origin` is its `file:line`.
    pub(super) fn add(&mut self, mut l: Line, origin: impl FnOnce() -> String) {
        // "Chapter 1 Review" inside chapter 1 names its chapter; it is not a new chapter 1.
        if let Some(n) = l.num.as_ref().filter(|n| matches!(n.class, Class::Kw(_))) {
            let id = n.id();
            if self.open().any(|e| e.own_id.as_deref() == Some(id.as_str())) {
                l.title = format!("{} {}", n.label, l.title).trim().to_string();
                l.num = None;
            }
        }
        let written_indent = l.indent;
        // An unnumbered line aligned with the title of a numbered line above is its sibling.
        if l.num.is_none() && l.heading.is_none() {
            if let Some(e) = self.open().rev().find(|e| {
                e.level.heading.is_none() && e.own_id.is_some() && e.title_col == l.indent && e.level.indent < l.indent
            }) {
                l.indent = e.level.indent;
            }
        }
        let Some(l) = self.finish_last(l, written_indent) else {
            return;
        };
        // Front and back matter, by name or by a lettered page (`Glossary H1`, `Handbook R24`).
        if l.num.is_none() && (is_matter(&l.title) || l.page.as_deref().is_some_and(is_lettered_page)) {
            return;
        }
        // "Essential Question: ..." says what the entry above is about: its text, not an entry.
        if l.num.is_none() && l.heading.is_none() && is_framing(&l.title) {
            if let Some(e) = self.stack.last().and_then(|&t| self.entries.get_mut(t)) {
                let t = &mut e.unit.text;
                if !t.is_empty() {
                    t.push(' ');
                }
                t.push_str(l.title.split_once(':').map_or("", |(_, q)| q.trim()));
                e.unit.claimed.extend(l.claimed);
            }
            return;
        }
        if l.num.is_none() && l.title.is_empty() {
            // A line of codes only: claims of the entry above.
            if let Some(last) = self.entries.last_mut() {
                last.unit.claimed.extend(l.claimed);
            }
            return;
        }
        let level = self.level_of(&l);
        while self
            .stack
            .last()
            .and_then(|&t| self.entries.get(t))
            .is_some_and(|e| e.level >= level)
        {
            self.stack.pop();
        }
        self.push(l, level, origin());
    }

    /// The open entries, outermost first.
    fn open(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.stack.iter().filter_map(|&t| self.entries.get(t))
    }

    /// An unnumbered plain line that finishes the entry before it: its title on the next line, a
    /// wrapped title, or Markdown prose as its text. `None` when it did; else the line back.
    fn finish_last(&mut self, l: Line, written_indent: usize) -> Option<Line> {
        if l.num.is_some() || l.heading.is_some() || l.list {
            return Some(l);
        }
        let md = self.md;
        let Some(last) = self.entries.last_mut() else {
            return Some(l);
        };
        // "CHAPTER 3" on one line, its name on the next.
        if last.needs_title && !l.title.is_empty() && l.indent <= last.level.indent {
            last.unit.title = l.title;
            last.unit.claimed.extend(l.claimed);
            last.needs_title = false;
            last.had_page |= l.had_page;
            if last.unit.page.is_none() {
                last.unit.page = l.page;
            }
            return None;
        }
        // A wrapped title: the previous line had no page number, this one starts in lower
        // case, and either it is indented under the previous title or that title stops
        // mid-phrase. (A list of lessons written in lower case is not one title.)
        if !last.had_page
            && l.title.chars().next().is_some_and(|c| c.is_lowercase())
            && (written_indent > last.level.indent || ends_mid_phrase(&last.unit.title))
        {
            last.unit.title = format!("{} {}", last.unit.title, l.title);
            last.unit.claimed.extend(l.claimed);
            last.had_page = l.had_page;
            if last.unit.page.is_none() {
                last.unit.page = l.page;
            }
            return None;
        }
        // Markdown prose under an entry is its description.
        if md && is_prose(&l.title) && !l.had_page {
            let t = &mut last.unit.text;
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(&l.title);
            last.unit.claimed.extend(l.claimed);
            return None;
        }
        Some(l)
    }

    /// The level of a new entry.
    fn level_of(&mut self, l: &Line) -> Level {
        if let Some(h) = l.heading {
            return Level::heading(h);
        }
        let rank = match &l.num {
            Some(n) => {
                let next = self.ranks.len() as u32;
                *self.ranks.entry(n.class).or_insert(next)
            }
            None => {
                let prev = self.stack.last().and_then(|&t| self.entries.get(t));
                match prev {
                    Some(p)
                        if p.level.heading.is_none()
                            && p.level.indent == l.indent
                            && p.class.is_some_and(Class::is_container) =>
                    {
                        LEAF
                    }
                    _ => self
                        .open()
                        .rev()
                        .find(|e| e.level.heading.is_none() && e.level.indent == l.indent)
                        .map_or(LEAF, |e| e.level.rank),
                }
            }
        };
        Level {
            heading: None,
            indent: l.indent,
            rank: if self.by_indent { 0 } else { rank },
        }
    }

    /// Open a new entry under the innermost open one.
    fn push(&mut self, l: Line, level: Level, origin: String) {
        let parent = self.stack.last().copied();
        // The parent's context without its outermost title when it is full, then the parent.
        let context = match parent.and_then(|p| self.entries.get(p)) {
            Some(p) => {
                let c = &p.unit.context;
                c.iter()
                    .skip((c.len() + 1).saturating_sub(CONTEXT_DEPTH))
                    .chain(std::iter::once(&p.unit.title))
                    .cloned()
                    .collect()
            }
            None => Vec::new(),
        };
        let needs_title = l.title.is_empty() && l.num.is_some();
        let title = if needs_title {
            l.num.as_ref().map(|n| n.label.clone()).unwrap_or_default()
        } else {
            l.title
        };
        self.entries.push(Entry {
            unit: Unit {
                id: String::new(),
                title,
                text: String::new(),
                grade: None,
                subject: None,
                claimed: l.claimed,
                parent,
                context,
                origin,
                page: l.page,
                role: UnitRole::Lesson,
            },
            level,
            class: l.num.as_ref().map(|n| n.class),
            needs_title,
            had_page: l.had_page,
            own_id: l.num.as_ref().map(Numbering::id),
            title_col: l.title_col,
        });
        self.stack.push(self.entries.len() - 1);
    }

    /// The units, with their ids and the grade and subject of the whole book.
    pub(super) fn into_units(self, grade: Option<GradeRange>, subject: Option<String>) -> Vec<Unit> {
        let entries = self.entries;
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
        entries
            .into_iter()
            .zip(ids)
            .map(|(e, id)| {
                let mut u = e.unit;
                u.id = id;
                u.grade = grade;
                u.subject = subject.clone();
                u.role = UnitRole::of_title(&u.title);
                let mut seen = HashSet::new();
                u.claimed.retain(|c| seen.insert(c.clone()));
                u
            })
            .collect()
    }
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

/// A line that frames the entry above it (`Essential Question: How do our experiences shape who
/// we are?`, `Critical Area: ...`, `Big Idea: ...`) rather than naming an entry of its own.
fn is_framing(title: &str) -> bool {
    let Some((label, rest)) = title.split_once(':') else {
        return false;
    };
    let label = label.trim().to_ascii_lowercase();
    !rest.trim().is_empty()
        && matches!(
            label.as_str(),
            "essential question"
                | "essential questions"
                | "critical area"
                | "big idea"
                | "big ideas"
                | "enduring understanding"
                | "guiding question"
                | "focus question"
                | "key question"
                | "unit question"
        )
}

/// A sentence rather than an entry title.
fn is_prose(s: &str) -> bool {
    (s.ends_with('.') && !s.ends_with("..")) || s.split_whitespace().count() > 14
}
