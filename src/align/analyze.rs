//! Text analysis for matching: the index's English analyzer (stems without stop words), with each
//! stem's surface word kept for evidence.

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
