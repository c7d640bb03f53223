//! `aligner search`: plain words are ranked by the matcher, as a one-unit match of a unit titled
//! with the query (without a batch's word counts), so `search "x"` and `match` of a unit titled
//! "x" agree. Query syntax (quoted phrases, `+must`, `-not`) and `--all-kinds` (headings too) are
//! ranked by tantivy's BM25 over the same fields with the matcher's field weights. Results are
//! shown from the engine store, without reading the corpus.

use super::Library;
use crate::codes::Ref;
use crate::error::{Error, Result};
use crate::model::{GradeRange, Unit};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, QueryParserError, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

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
    /// Rank plain words as the fast path matches (no sentence model).
    pub fast: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub r: Ref,
    /// Node number in the engine store, for display.
    pub node: u32,
    pub score: f32,
}

/// Does the text use query syntax: a quoted phrase, a `+required` or `-excluded` word?
pub fn has_syntax(text: &str) -> bool {
    text.contains('"')
        || text
            .split_whitespace()
            .any(|w| w.len() > 1 && (w.starts_with('+') || w.starts_with('-')))
}

impl Library {
    /// Ranked standards for a free-text query. Query syntax (quoted phrases, `+must`, `-not`) is
    /// understood; text that does not parse is searched as plain words.
    pub fn search(&self, s: &Search) -> Result<Vec<Hit>> {
        if s.top == 0 {
            return Ok(Vec::new());
        }
        if !s.all_kinds && !has_syntax(&s.text) {
            return self.search_as_match(s);
        }
        let f = self.fields;
        let p = crate::align::Params::default();
        let mut qp = QueryParser::for_index(&self.index, vec![f.text, f.cluster, f.domain, f.notes, f.names]);
        qp.set_field_boost(f.text, p.w_text);
        qp.set_field_boost(f.cluster, p.w_cluster);
        qp.set_field_boost(f.domain, p.w_domain);
        qp.set_field_boost(f.notes, p.w_notes);
        qp.set_field_boost(f.names, p.w_alias);
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
            let ids: Vec<String> = fws
                .iter()
                .filter_map(|&i| self.store.meta.frameworks.get(i).map(|f| f.id.clone()))
                .collect();
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
                any_of(std::iter::once(Term::from_field_text(f.alignable, "1"))),
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
            let Some(node) = d.get_first(f.node).and_then(|v| v.as_u64()) else {
                continue;
            };
            let node = node as u32;
            if (node as usize) < self.store.n_nodes() {
                out.push(Hit {
                    r: Ref {
                        fw: self.store.node_fw(node),
                        idx: self.store.node_pos(node),
                    },
                    node,
                    score,
                });
            }
        }
        Ok(out)
    }
}

impl Library {
    /// Plain words: the matcher's ranking of a unit titled with them.
    fn search_as_match(&self, s: &Search) -> Result<Vec<Hit>> {
        let p = crate::align::Params::default();
        let m = crate::align::Matcher::with_params(self, if s.fast { p.fast() } else { p });
        let unit = Unit {
            id: String::new(),
            title: s.text.clone(),
            text: String::new(),
            grade: None,
            subject: None,
            claimed: Vec::new(),
            parent: None,
            context: Vec::new(),
            origin: String::new(),
            page: None,
            role: Default::default(),
        };
        let scope = crate::align::Scope {
            frameworks: s.frameworks.clone(),
            grades: s.grades,
            no_grade: true,
            subject: s.subject.clone(),
        };
        let top = s.top.min(self.store.n_docs());
        Ok(m.match_unit(&unit, &scope, top)
            .into_iter()
            .filter_map(|x| {
                let node = self.store.node_of(x.r.fw, x.r.idx)?;
                Some(Hit {
                    r: x.r,
                    node,
                    score: x.score,
                })
            })
            .collect())
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
