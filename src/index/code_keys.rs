//! Code lookups from the index alone: which frameworks a claimed code names, read from tantivy's
//! `code` and `primary` fields (every key the code index finds a standard by, and its published
//! code's key), so that guessing a curriculum's framework does not wait for the corpus.

use super::Library;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Which frameworks a claimed code names, from the index alone (the `code` field holds every key
/// the code index finds a standard by): as [`crate::codes::CodeIndex::lookup`] would say, without
/// reading the corpus. A code naming no node matches the nodes one level below it (`5.MD`).
pub struct CodeFrameworks<'l> {
    lib: &'l Library,
    searcher: tantivy::Searcher,
    nodes: Vec<Option<tantivy::columnar::Column<u64>>>,
}

impl<'l> CodeFrameworks<'l> {
    pub fn new(lib: &'l Library) -> CodeFrameworks<'l> {
        let searcher = lib.reader.searcher();
        let nodes = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("fwi").ok())
            .collect();
        CodeFrameworks { lib, searcher, nodes }
    }

    fn frameworks_of(&self, q: &dyn Query) -> Vec<usize> {
        let Ok(found) = self.searcher.search(q, &tantivy::collector::DocSetCollector) else {
            return Vec::new();
        };
        let mut fws: Vec<usize> = found
            .into_iter()
            .filter_map(|a| {
                let col = self.nodes.get(a.segment_ord as usize)?.as_ref()?;
                Some(col.first(a.doc_id)? as usize)
            })
            .collect();
        fws.sort_unstable();
        fws.dedup();
        fws
    }

    /// The frameworks (positions, ascending) with a standard this code names.
    pub fn lookup(&self, raw: &str) -> Vec<usize> {
        let key = crate::codes::normalize(raw);
        if key.is_empty() {
            return Vec::new();
        }
        let f = self.lib.fields.code;
        let fws = self.frameworks_of(&TermQuery::new(
            Term::from_field_text(f, &key),
            IndexRecordOption::Basic,
        ));
        if !fws.is_empty() {
            return fws;
        }
        // Keys are upper-case letters, digits and dots: nothing to escape but the dots.
        let pattern = format!("{}\\.[^.]+", key.replace('.', "\\."));
        match tantivy::query::RegexQuery::from_pattern(&pattern, self.lib.fields.primary) {
            Ok(q) => self.frameworks_of(&q),
            Err(_) => Vec::new(),
        }
    }
}
