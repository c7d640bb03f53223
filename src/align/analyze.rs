//! Text analysis for matching: the index's English analyzer (stems without stop words), with each
//! stem's surface word kept for evidence; a title's closing sequence number; and the words that a
//! text's notation stands for. Every slice of user text here is taken at a char boundary.

// User text is sliced only at char boundaries and indexed only where the index is proven in
// range; the lints make every exception say why.
#![cfg_attr(not(test), warn(clippy::string_slice, clippy::indexing_slicing))]

use crate::index::schema;
use std::cell::RefCell;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// One analysed word.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub stem: String,
    /// The word as written, lower-cased.
    pub surface: String,
    /// Word position (stop words count), for phrase evidence.
    pub pos: usize,
}

pub struct Analyzer {
    inner: RefCell<TextAnalyzer>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            inner: RefCell::new(schema::analyzer()),
        }
    }
}

impl Analyzer {
    /// Call `f` with each stem of the text, in order: the stems of [`tokens`](Self::tokens),
    /// without building the tokens (the index build analyses every standard this way).
    pub fn for_each_stem(&self, text: &str, mut f: impl FnMut(&str)) {
        let mut a = self.inner.borrow_mut();
        let mut ts = a.token_stream(text);
        while ts.advance() {
            let t = ts.token();
            let surface = text.get(t.offset_from..t.offset_to).unwrap_or(&t.text);
            let mut chars = surface.chars();
            if chars.next().is_some_and(|c| c.is_alphabetic()) && chars.next().is_none() {
                continue;
            }
            f(&t.text);
        }
    }

    pub fn tokens(&self, text: &str) -> Vec<Tok> {
        let mut a = self.inner.borrow_mut();
        let mut ts = a.token_stream(text);
        let mut out = Vec::new();
        while ts.advance() {
            let t = ts.token();
            let surface = text.get(t.offset_from..t.offset_to).unwrap_or(&t.text).to_lowercase();
            // Single letters (variable names, the "e" and "g" of "e.g.") say nothing of a topic.
            let mut chars = surface.chars();
            if chars.next().is_some_and(|c| c.is_alphabetic()) && chars.next().is_none() {
                continue;
            }
            out.push(Tok {
                stem: t.text.clone(),
                surface,
                pos: t.position,
            });
        }
        out
    }
}

/// Words after which a closing number is part of the topic ("within 20", "powers of 10",
/// "count to 100"), not an exercise's sequence number.
const NUMBER_GOVERNORS: &[&str] = &[
    "about",
    "after",
    "and",
    "as",
    "before",
    "between",
    "beyond",
    "by",
    "count",
    "counting",
    "divide",
    "dividing",
    "from",
    "into",
    "make",
    "making",
    "minus",
    "multiply",
    "multiplying",
    "nearest",
    "of",
    "or",
    "over",
    "past",
    "per",
    "plus",
    "round",
    "rounding",
    "than",
    "through",
    "times",
    "to",
    "under",
    "up",
    "with",
    "within",
];

/// Words that introduce a sequence number: "Level 2", "Part 1", "Lesson 3".
const SEQUENCE_WORDS: &[&str] = &[
    "exercise", "lesson", "level", "part", "practice", "set", "unit", "week", "day",
];

/// A title without its closing sequence number: tables of contents and exercise lists number
/// their parts ("Teen numbers 2", "Adding decimals 0.5", "Subtract within 100: Level 2"), and that
/// number says nothing of the topic. A number that closes a phrase such as "within 20" or
/// "powers of 10" is kept, and so is a title that is only a number.
pub fn strip_sequence_number(title: &str) -> &str {
    // What may stand between the words of a title and its number: "Teen numbers 2", "... : Level 2".
    let gap = |c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-' | '\u{2013}' | '\u{2014}');
    let t = title.trim_end();
    // Byte positions come from `char_indices`, so a separator of several bytes (a no-break or an
    // ideographic space) is stepped over whole.
    let Some((cut, sep)) = t
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == ':' || c == ',')
    else {
        return title;
    };
    let (head, last) = (t.get(..cut).unwrap_or(""), t.get(cut + sep.len_utf8()..).unwrap_or(""));
    if !last.starts_with(|c: char| c.is_ascii_digit()) || !last.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return title;
    }
    let head = head.trim_end_matches(gap);
    let prev_start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric() && c != '-')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (before, prev) = (
        head.get(..prev_start).unwrap_or(""),
        head.get(prev_start..).unwrap_or(""),
    );
    let prev = prev.to_lowercase();
    if !prev.chars().any(char::is_alphabetic) || NUMBER_GOVERNORS.contains(&prev.as_str()) {
        return title;
    }
    if !SEQUENCE_WORDS.contains(&prev.as_str()) {
        return head;
    }
    let rest = before.trim_end_matches(gap);
    if rest.chars().any(char::is_alphabetic) {
        rest
    } else {
        title
    }
}

/// Signs that lesson texts write where the standards write a word: `25%` for "percent". (Other
/// symbols were measured and left out: decimals, fractions, exponents, negatives, roots,
/// inequalities, pi, degrees and `f(x)` moved no publisher's standard up on the dev lesson texts,
/// and exponents moved some down.)
pub const NOTATION: &[(char, &str)] = &[('%', "percent")];

/// The words that the signs of [`NOTATION`] found in any of `texts` stand for, each once.
pub fn notation_words<'a>(texts: &'a [&str]) -> impl Iterator<Item = &'static str> + 'a {
    NOTATION
        .iter()
        .filter(|(sign, _)| texts.iter().any(|t| t.contains(*sign)))
        .map(|(_, word)| *word)
}

#[cfg(test)]
mod tests {
    use super::notation_words;
    use super::strip_sequence_number as s;

    #[test]
    fn a_percent_sign_says_percent() {
        assert_eq!(notation_words(&["Find 25% of 80."]).collect::<Vec<_>>(), ["percent"]);
        assert!(notation_words(&["Find a quarter of 80."]).next().is_none());
        // Once, wherever the sign appears.
        assert_eq!(notation_words(&["Percents: 10%", "Find 25% of 80."]).count(), 1);
    }

    #[test]
    fn sequence_numbers_go_topic_numbers_stay() {
        assert_eq!(s("Teen numbers 2"), "Teen numbers");
        assert_eq!(s("Adding decimals 0.5"), "Adding decimals");
        assert_eq!(s("Subtract within 100: Level 2"), "Subtract within 100");
        assert_eq!(s("Addition using groups of 10: Level 2"), "Addition using groups of 10");
        assert_eq!(s("Fractions, part 3"), "Fractions");
        assert_eq!(s("Subtraction within 20"), "Subtraction within 20");
        assert_eq!(s("Multiplying by powers of 10"), "Multiplying by powers of 10");
        assert_eq!(s("Count to 100"), "Count to 100");
        assert_eq!(s("Making 10"), "Making 10");
        assert_eq!(s("Lesson 4"), "Lesson 4");
        assert_eq!(s("Grade 4"), "Grade");
        assert_eq!(s("2019"), "2019");
        assert_eq!(s("Place value"), "Place value");
        assert_eq!(s("Version 1.2.3 of x"), "Version 1.2.3 of x");
    }

    #[test]
    fn separators_of_several_bytes_are_stepped_over() {
        // No-break, ideographic and thin spaces before the number; dashes and accents around it.
        assert_eq!(s("Teen numbers\u{a0}2"), "Teen numbers");
        assert_eq!(s("Teen numbers\u{3000}2"), "Teen numbers");
        assert_eq!(s("Fractions\u{2009}part 3"), "Fractions");
        assert_eq!(s("Fractions\u{2014}Level 2"), "Fractions");
        assert_eq!(s("1.1 Fractions \u{2013} Level 2"), "1.1 Fractions");
        assert_eq!(s("Caf\u{e9} numbers\u{a0}\u{a0}2"), "Caf\u{e9} numbers");
        assert_eq!(s("Ne\u{301}e\u{a0}2"), "Ne\u{301}e");
        assert_eq!(s("\u{a0}2"), "\u{a0}2");
        assert_eq!(s("\u{feff}2"), "\u{feff}2");
    }
}
