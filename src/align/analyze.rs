//! Text analysis for matching: the index's English analyzer (stems without stop words), with each
//! stem's surface word kept for evidence; number words; a title's closing sequence number; and the
//! words that a text's notation stands for.

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

/// The numeral of a number word (`ten`, `tens` -> `10`).
pub fn number_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "zero" => "0",
        "one" | "ones" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" | "tens" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "twenty" => "20",
        "hundred" | "hundreds" => "100",
        "thousand" | "thousands" => "1000",
        "million" | "millions" => "1000000",
        _ => return None,
    })
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
    let gap = |c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-');
    let t = title.trim_end();
    let Some(cut) = t.rfind(|c: char| c.is_whitespace() || c == ':' || c == ',') else {
        return title;
    };
    let last = &t[cut + 1..];
    if !last.starts_with(|c: char| c.is_ascii_digit()) || !last.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return title;
    }
    let head = t[..cut].trim_end_matches(gap);
    let prev_start = head
        .rfind(|c: char| !c.is_alphanumeric() && c != '-')
        .map_or(0, |i| i + 1);
    let prev = head[prev_start..].to_lowercase();
    if !prev.chars().any(char::is_alphabetic) || NUMBER_GOVERNORS.contains(&prev.as_str()) {
        return title;
    }
    if !SEQUENCE_WORDS.contains(&prev.as_str()) {
        return head;
    }
    let rest = head[..prev_start].trim_end_matches(gap);
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
}
