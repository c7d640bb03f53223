//! The index schema and its English analyzer.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};
use tantivy::Index;

/// Name under which the English analyzer is registered. It is not saved in the index, so
/// [`register`] must run on every `Index` value, after every open.
pub const ANALYZER: &str = "aligner_en";

/// Bump when the schema or the analyzer's code changes. An index records [`version`], which also
/// follows the analysis data (word forms, stems, aliases), and one of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 11;

/// The index version: [`SCHEMA_VERSION`] and a digest of the shipped lists that decide what is
/// indexed, so that editing `data/matching/word-forms.tsv`, `stems.tsv` or an alias list rebuilds
/// the index too.
pub fn version() -> u32 {
    let mut h = crate::shipped::Fnv1a::default();
    h.eat(SCHEMA_VERSION.to_le_bytes());
    // The stored sentence vectors follow the model.
    h.eat(crate::align::sentence::model_digest().to_le_bytes());
    for list in [WORD_FORMS, STEMS]
        .into_iter()
        .chain(crate::shipped::ALIASES.iter().map(|a| a.1))
    {
        h.eat(list.bytes());
    }
    let h = h.finish();
    (h ^ (h >> 32)) as u32
}

/// English analysis: words split at non-alphanumerics, lower-cased, stop words removed, irregular
/// forms replaced and stemmed ([`MathStemmer`]).
pub fn analyzer() -> TextAnalyzer {
    let mut b = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    b = b.filter_dynamic(StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string())));
    b.filter_dynamic(MathStemmer).build()
}

/// English stop words: the list tantivy's `StopWordFilter::new(Language::English)` uses (Apache
/// Lucene's `EnglishAnalyzer`), kept here so that tantivy builds without its stemmer languages.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
];

const WORD_FORMS: &str = include_str!("../../data/matching/word-forms.tsv");

/// `form -> base` from `data/matching/word-forms.tsv`.
fn word_forms() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| crate::text::list_pairs(WORD_FORMS).collect())
}

const STEMS: &str = include_str!("../../data/matching/stems.tsv");

/// `word -> stem` from `data/matching/stems.tsv`.
fn stem_overrides() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| crate::text::list_pairs(STEMS).collect())
}

/// Token filter: an irregular form first becomes the regular word the stemmer can meet
/// ("matrices" -> "matrix", "halves" -> "half", from `data/matching/word-forms.tsv`); then the
/// English (Snowball) stemmer, except for the words of `data/matching/stems.tsv`, whose stems it
/// gets wrong for mathematics: "numerals" and "numerators" kept apart, "multiplication" joined to
/// "multiplying". Expects lower-cased tokens, stop words removed (no word form is one, as a test checks).
#[derive(Clone)]
pub struct MathStemmer;

impl TokenFilter for MathStemmer {
    type Tokenizer<T: Tokenizer> = MathStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MathStemmerFilter<T> {
        MathStemmerFilter {
            inner: tokenizer,
            stems: StemCache::default(),
        }
    }
}

/// The stems already computed by one analyzer: a word recurs across a batch's texts, and the
/// Snowball stemmer was the largest single cost of analysing a lesson text.
#[derive(Clone, Default)]
struct StemCache {
    /// `word -> stem`, `None` when the stem is the word itself.
    map: HashMap<String, Option<String>>,
}

impl StemCache {
    /// Enough for a large batch's vocabulary; the cache starts over beyond it.
    const MAX_WORDS: usize = 100_000;

    fn stem(&mut self, word: &str) -> Option<&str> {
        if !self.map.contains_key(word) {
            if self.map.len() >= Self::MAX_WORDS {
                self.map.clear();
            }
            let base = word_forms().get(word).copied().unwrap_or(word);
            let stem = match stem_overrides().get(base) {
                Some(s) => Cow::Borrowed(*s),
                None => frostem::Stemmer::new(frostem::Algorithm::English).stem(base),
            };
            let stem = (stem != word).then(|| stem.into_owned());
            self.map.insert(word.to_string(), stem);
        }
        self.map.get(word).and_then(|s| s.as_deref())
    }
}

#[derive(Clone)]
pub struct MathStemmerFilter<T> {
    inner: T,
    stems: StemCache,
}

impl<T: Tokenizer> Tokenizer for MathStemmerFilter<T> {
    type TokenStream<'a> = MathStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MathStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

pub struct MathStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut StemCache,
}

impl<T: TokenStream> TokenStream for MathStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.stem(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

/// The fields of a standard's document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Framework id (exact).
    pub fw: Field,
    /// Position of the standard in its framework (to find it in the stored corpus).
    pub pos: Field,
    /// Node number in the engine store (`store.rs`), for its display row.
    pub node: Field,
    /// `1` on alignable standards (the docs the matcher ranks).
    pub alignable: Field,
    /// Doc number of an alignable standard in the engine store (fast field).
    pub doc: Field,
    /// The lookup keys of its code (`codes::keys`: every spelling of its code and alternative codes).
    pub code: Field,
    /// Framework position (fast field; on every document, groupings' code-only ones too).
    pub fwi: Field,
    /// Its published code's key alone (`codes::normalize`).
    pub primary: Field,
    /// Kind (`standard`, `component`, ...).
    pub kind: Field,
    /// Subject, lower-case.
    pub subject: Field,
    /// Grades, one value each (pre-K is -1).
    pub grade: Field,
    /// The statement.
    pub text: Field,
    /// The headings above it other than its domain (cluster, topic; a sub-standard's standard).
    pub cluster: Field,
    /// Its domain heading.
    pub domain: Field,
    /// Examples, clarification statements, assessment boundaries.
    pub notes: Field,
    /// The names lessons and textbooks give it (`data/matching/aliases/`).
    pub names: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut sb = Schema::builder();
        let english = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            fw: sb.add_text_field("fw", STRING | STORED),
            pos: sb.add_u64_field("pos", STORED | FAST),
            node: sb.add_u64_field("node", STORED | FAST),
            alignable: sb.add_text_field("alignable", STRING),
            doc: sb.add_u64_field("doc", FAST),
            code: sb.add_text_field("code", STRING),
            primary: sb.add_text_field("primary", STRING),
            fwi: sb.add_u64_field("fwi", FAST),
            kind: sb.add_text_field("kind", STRING),
            subject: sb.add_text_field("subject", STRING),
            grade: sb.add_i64_field("grade", INDEXED),
            text: sb.add_text_field("text", english.clone()),
            cluster: sb.add_text_field("cluster", english.clone()),
            domain: sb.add_text_field("domain", english.clone()),
            notes: sb.add_text_field("notes", english.clone()),
            names: sb.add_text_field("names", english),
        };
        (sb.build(), fields)
    }

    /// The fields of an opened index, by name.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |n: &str| schema.get_field(n);
        Ok(Fields {
            fw: f("fw")?,
            pos: f("pos")?,
            node: f("node")?,
            alignable: f("alignable")?,
            doc: f("doc")?,
            code: f("code")?,
            primary: f("primary")?,
            fwi: f("fwi")?,
            kind: f("kind")?,
            subject: f("subject")?,
            grade: f("grade")?,
            text: f("text")?,
            cluster: f("cluster")?,
            domain: f("domain")?,
            notes: f("notes")?,
            names: f("names")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenStream;

    fn stems(text: &str) -> Vec<String> {
        let mut a = super::analyzer();
        let mut ts = a.token_stream(text);
        let mut out = Vec::new();
        while ts.advance() {
            out.push(ts.token().text.clone());
        }
        out
    }

    #[test]
    fn irregular_forms_meet_their_regular_word() {
        assert_eq!(stems("matrices halves vertices feet"), stems("matrix half vertex foot"));
        assert_eq!(stems("Matrices"), stems("matrix"));
        // Regular plurals are the stemmer's job and stay as they were.
        assert_eq!(stems("fractions"), stems("fraction"));
    }

    #[test]
    fn every_listed_word_form_is_kept_and_analysed_as_its_base() {
        // The word forms are replaced after stop words are removed: no form or base may be one.
        for (form, base) in crate::text::list_pairs(super::WORD_FORMS) {
            assert!(!stems(form).is_empty() && !stems(base).is_empty(), "{form} -> {base}");
            assert_eq!(stems(form), stems(base), "{form} -> {base}");
        }
    }

    #[test]
    fn mathematics_keeps_its_own_words_apart_and_an_operation_together() {
        // Plain English stemming gives "numer" for both, and "mean" for "meaning".
        assert_ne!(stems("numerators"), stems("numerals"));
        assert_ne!(stems("meaning"), stems("mean"));
        assert_ne!(stems("distributive"), stems("distribution"));
        assert_eq!(stems("means"), stems("mean"));
        // ... and it splits an operation's verb from its noun.
        assert_eq!(stems("multiplying"), stems("multiplication"));
        assert_eq!(stems("dividing"), stems("division"));
        assert_eq!(stems("adding"), stems("addition"));
        // Every other word is stemmed as before.
        assert_eq!(stems("graphing rectangles"), vec!["graph", "rectangl"]);
    }

    #[test]
    fn one_analyzer_stems_a_word_it_met_before_and_after_its_cache_starts_over_as_a_new_one_does() {
        let text = "Multiplying fractions: numerators and numerals, graphing rectangles";
        let mut a = super::analyzer();
        let mut again = || {
            let mut ts = a.token_stream(text);
            let mut out = Vec::new();
            while ts.advance() {
                out.push(ts.token().text.clone());
            }
            out
        };
        assert_eq!(again(), stems(text));
        assert_eq!(again(), stems(text));
        let mut cache = super::StemCache::default();
        for i in 0..super::StemCache::MAX_WORDS + 10 {
            cache.stem(&format!("w{i}ing"));
        }
        assert!(cache.map.len() <= super::StemCache::MAX_WORDS);
        assert_eq!(cache.stem("rectangles"), Some("rectangl"));
        assert_eq!(cache.stem("graph"), None);
        assert_eq!(cache.stem("multiplication"), Some(stems("multiplying")[0].as_str()));
    }
}
