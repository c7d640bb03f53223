//! The index schema and its English analyzer.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::Index;

/// Name under which the English analyzer is registered. It is not saved in the index, so
/// [`register`] must run on every `Index` value, after every open.
pub const ANALYZER: &str = "aligner_en";

/// Bump when the schema or the analyzer changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

/// English analysis: words split at non-alphanumerics, lower-cased, stop words removed, stemmed.
pub fn analyzer() -> TextAnalyzer {
    let mut b = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    if let Some(stop) = StopWordFilter::new(Language::English) {
        b = b.filter_dynamic(stop);
    }
    b.filter_dynamic(Stemmer::new(Language::English)).build()
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
    /// Normalized code key.
    pub code: Field,
    /// Kind (`standard`, `component`, ...).
    pub kind: Field,
    /// Subject, lower-case.
    pub subject: Field,
    /// Grades, one value each (pre-K is -1).
    pub grade: Field,
    /// The statement.
    pub text: Field,
    /// The headings above it (cluster, domain, topic).
    pub heads: Field,
    /// Examples, clarification statements, assessment boundaries.
    pub notes: Field,
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
            code: sb.add_text_field("code", STRING),
            kind: sb.add_text_field("kind", STRING),
            subject: sb.add_text_field("subject", STRING),
            grade: sb.add_i64_field("grade", INDEXED),
            text: sb.add_text_field("text", english.clone()),
            heads: sb.add_text_field("heads", english.clone()),
            notes: sb.add_text_field("notes", english),
        };
        (sb.build(), fields)
    }

    /// The fields of an opened index, by name.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |n: &str| schema.get_field(n);
        Ok(Fields {
            fw: f("fw")?,
            pos: f("pos")?,
            code: f("code")?,
            kind: f("kind")?,
            subject: f("subject")?,
            grade: f("grade")?,
            text: f("text")?,
            heads: f("heads")?,
            notes: f("notes")?,
        })
    }
}
