//! Full-text search over the index: BM25 over the statement, its headings, its notes and the names
//! lessons give it, filtered by framework, grade, subject and kind.

use super::Library;
use crate::codes::Ref;
use crate::error::{Error, Result};
use crate::model::{GradeRange, Kind};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, QueryParserError, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

/// Weights of the text fields in a search.
pub const BOOST_TEXT: f32 = 1.0;
pub const BOOST_HEADS: f32 = 0.35;
pub const BOOST_NOTES: f32 = 0.25;
pub const BOOST_NAMES: f32 = 0.5;

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub text: String,
    /// Framework positions to keep (all when `None`).
    pub frameworks: Option<Vec<usize>>,
    pub grades: Option<GradeRange>,
    pub subject: Option<String>,
    /// Include headings (domains, clusters, topics) and elements, not only alignable standards.
    pub all_kinds: bool,
    pub top: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub r: Ref,
    pub score: f32,
}

impl Library {
    /// Ranked standards for a free-text query. Query syntax (quoted phrases, `+must`, `-not`) is
    /// understood; text that does not parse is searched as plain words.
    pub fn search(&self, s: &Search) -> Result<Vec<Hit>> {
        if s.top == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let mut qp = QueryParser::for_index(&self.index, vec![f.text, f.heads, f.notes, f.names]);
        qp.set_field_boost(f.text, BOOST_TEXT);
        qp.set_field_boost(f.heads, BOOST_HEADS);
        qp.set_field_boost(f.notes, BOOST_NOTES);
        qp.set_field_boost(f.names, BOOST_NAMES);
        let (mut q, errs) = qp.parse_query_lenient(&s.text);
        if let Some(e) = errs
            .iter()
            .find(|e| matches!(e, QueryParserError::UnknownTokenizer { .. }))
        {
            return Err(Error::Index {
                dir: self.dir.clone(),
                msg: format!("analyzer missing: {e}"),
            });
        }
        if !errs.is_empty() {
            // Not valid query syntax: search the words alone.
            // Lower-cased, so that AND, OR and NOT are words too.
            let plain: String = s
                .text
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        ' '
                    }
                })
                .collect();
            let (q2, errs2) = qp.parse_query_lenient(&plain);
            if !errs2.is_empty() {
                return Err(Error::Usage(format!(
                    "no searchable words in {:?} (only stop words or operators): {}",
                    s.text, errs2[0]
                )));
            }
            q = q2;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, q)];
        if let Some(fws) = &s.frameworks {
            let ids: Vec<String> = fws.iter().map(|&i| self.corpus.frameworks[i].id.clone()).collect();
            clauses.push((
                Occur::Must,
                any_of(ids.iter().map(|id| Term::from_field_text(f.fw, id))),
            ));
        }
        if let Some(g) = s.grades {
            clauses.push((
                Occur::Must,
                any_of((g.lo.0..=g.hi.0).map(|g| Term::from_field_i64(f.grade, g as i64))),
            ));
        }
        if let Some(sub) = &s.subject {
            clauses.push((
                Occur::Must,
                any_of(std::iter::once(Term::from_field_text(
                    f.subject,
                    &sub.to_ascii_lowercase(),
                ))),
            ));
        }
        if !s.all_kinds {
            clauses.push((
                Occur::Must,
                any_of(
                    Kind::ALL
                        .iter()
                        .filter(|k| k.is_alignable())
                        .map(|k| Term::from_field_text(f.kind, k.as_str())),
                ),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        // TopDocs reserves room for `top` hits up front: never more than there are documents
        // (`--top 4294967296` would allocate 34 GB, and 2^60 overflows).
        let limit = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX).min(s.top);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let fw_id = d.get_first(f.fw).and_then(|v| v.as_str()).unwrap_or_default();
            let pos = d.get_first(f.pos).and_then(|v| v.as_u64()).unwrap_or_default() as usize;
            let Some(fw) = self.corpus.frameworks.iter().position(|x| x.id == fw_id) else {
                continue;
            };
            if pos < self.corpus.frameworks[fw].standards.len() {
                out.push(Hit {
                    r: Ref { fw, idx: pos },
                    score,
                });
            }
        }
        Ok(out)
    }
}

fn any_of(terms: impl Iterator<Item = Term>) -> Box<dyn Query> {
    let subs: Vec<(Occur, Box<dyn Query>)> = terms
        .map(|t| {
            (
                Occur::Should,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(subs))
}
