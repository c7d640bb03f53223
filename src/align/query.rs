//! A unit's query: its title, its text and the titles of its ancestors (a lesson's chapter), each
//! with its own weight; words that every lesson text contains ("students", "launch") count for
//! little, the synonym list (`data/matching/synonyms.tsv`) adds the standards' words for the
//! field's everyday phrases ("times tables" -> multiplication), and notation adds the words a sign
//! stands for. Terms are the engine store's vocabulary.

use super::analyze::{notation_words, Analyzer, Tok, NOTATION};
use super::params::Params;
use crate::index::store::Store;
use crate::model::Unit;
use crate::text::{list_entries, list_pairs};
use rustc_hash::FxHashMap as HashMap;

const ROUTINE: &str = include_str!("../../data/matching/routine-words.txt");
const SYNONYMS: &str = include_str!("../../data/matching/synonyms.tsv");

/// An everyday phrase (stems) and the standards' words it adds to a query (analysed once).
struct Synonym {
    phrase: Vec<String>,
    adds: Vec<Tok>,
}

/// A unit's weighted query.
pub struct Query {
    /// (term, weight), sorted by term.
    pub terms: Vec<(u32, f32)>,
    /// Each term's first surface form in the unit.
    pub surface: HashMap<u32, String>,
    /// The unit's words in order (title, then text).
    pub seq: Vec<Tok>,
    /// Each word of `seq` as a term of the vocabulary, if it is one.
    pub seq_ids: Vec<Option<u32>>,
}

impl Query {
    pub fn weight(&self, t: u32) -> Option<f32> {
        self.terms
            .binary_search_by_key(&t, |x| x.0)
            .ok()
            .map(|i| self.terms[i].1)
    }
}

/// Builds queries: the shipped word lists, analysed once, and the batch's common words.
pub struct QueryBuilder {
    pub an: Analyzer,
    routine: std::collections::HashSet<String>,
    synonyms: Vec<Synonym>,
    /// First word of a phrase -> positions in `synonyms`.
    synonym_starts: HashMap<String, Vec<usize>>,
    notation: HashMap<&'static str, Vec<Tok>>,
    /// Per-term weights learned from the batch of units being matched (see `observe_batch`).
    batch: HashMap<u32, f32>,
    /// The same for synonym phrases (by position in `synonyms`).
    batch_synonyms: HashMap<usize, f32>,
}

impl Default for QueryBuilder {
    fn default() -> Self {
        let an = Analyzer::default();
        let routine = list_entries(ROUTINE)
            .flat_map(|l| an.tokens(l).into_iter().map(|t| t.stem))
            .collect();
        let mut synonyms: Vec<Synonym> = Vec::new();
        for (phrase, adds) in list_pairs(SYNONYMS) {
            let phrase: Vec<String> = an.tokens(phrase).into_iter().map(|t| t.stem).collect();
            // "bar graph" and "bar graphs" are one phrase once stemmed: the first entry wins.
            if !phrase.is_empty() && !synonyms.iter().any(|s| s.phrase == phrase) {
                synonyms.push(Synonym {
                    phrase,
                    adds: an.tokens(adds),
                });
            }
        }
        let mut synonym_starts: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, s) in synonyms.iter().enumerate() {
            synonym_starts.entry(s.phrase[0].clone()).or_default().push(i);
        }
        let notation = NOTATION.iter().map(|&(_, word)| (word, an.tokens(word))).collect();
        QueryBuilder {
            an,
            routine,
            synonyms,
            synonym_starts,
            notation,
            batch: HashMap::default(),
            batch_synonyms: HashMap::default(),
        }
    }
}

impl QueryBuilder {
    /// Learn from the units about to be matched which words are common to most of them (the
    /// language of the lesson template: "students", "launch", "groups of 2"), and count those
    /// less. Needs at least 20 units; does nothing for fewer.
    pub fn observe_batch(&mut self, store: &Store, units: &[Unit], p: &Params) {
        self.batch.clear();
        self.batch_synonyms.clear();
        if units.len() < 20 || p.batch_df <= 0.0 || p.batch_df >= 1.0 {
            return;
        }
        let mut df: HashMap<u32, usize> = HashMap::default();
        let mut phrase_df: HashMap<usize, usize> = HashMap::default();
        for u in units {
            let toks = self.an.tokens(&format!("{} {}", u.title, u.text));
            for (k, _) in self.find_synonyms(&toks) {
                *phrase_df.entry(k).or_default() += 1;
            }
            let mut seen: Vec<u32> = toks.iter().filter_map(|t| store.term(&t.stem)).collect();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_default() += 1;
            }
        }
        let n = units.len() as f32;
        let floor = p.batch_df;
        let weight = |d: usize| {
            let share = d as f32 / n;
            (share > floor).then(|| ((1.0 / share).ln() / (1.0 / floor).ln()).max(0.0))
        };
        self.batch = df.into_iter().filter_map(|(t, d)| Some((t, weight(d)?))).collect();
        self.batch_synonyms = phrase_df
            .into_iter()
            .filter_map(|(k, d)| Some((k, weight(d)?)))
            .collect();
    }

    /// The synonym phrases in a unit's words, each with the position of its first occurrence, in
    /// the order of the list. Phrases are matched on stems, so "bar graph" also finds "bar graphs".
    fn find_synonyms(&self, seq: &[Tok]) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (i, t) in seq.iter().enumerate() {
            for &k in self.synonym_starts.get(&t.stem).map(Vec::as_slice).unwrap_or(&[]) {
                let phrase = &self.synonyms[k].phrase;
                let here = phrase.len() <= seq.len() - i && phrase.iter().zip(&seq[i..]).all(|(a, b)| *a == b.stem);
                if here && !found.iter().any(|f| f.0 == k) {
                    found.push((k, i));
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// The weighted query of a unit.
    pub fn query(&self, store: &Store, unit: &Unit, p: &Params) -> Query {
        let mut w: HashMap<u32, f32> = HashMap::default();
        let mut surface: HashMap<u32, String> = HashMap::default();
        let mut ids: HashMap<String, Option<u32>> = HashMap::default();
        let mut term = |stem: &str| *ids.entry(stem.to_string()).or_insert_with(|| store.term(stem));
        let mut add = |toks: &[Tok],
                       weight: f32,
                       lead: f32,
                       w: &mut HashMap<u32, f32>,
                       term: &mut dyn FnMut(&str) -> Option<u32>| {
            for t in toks {
                // Lesson texts state their purpose first: later words count less.
                let weight = if lead > 0.0 {
                    weight * lead / (lead + t.pos as f32)
                } else {
                    weight
                };
                if let Some(id) = term(&t.stem) {
                    let routine = if self.routine.contains(&t.stem) {
                        p.q_routine
                    } else {
                        1.0
                    };
                    let common = self.batch.get(&id).copied().unwrap_or(1.0);
                    *w.entry(id).or_default() += weight * routine * common;
                    surface.entry(id).or_insert_with(|| t.surface.clone());
                }
            }
        };
        let mut seq = self.an.tokens(super::analyze::strip_sequence_number(&unit.title));
        let title_len = seq.len();
        seq.extend(self.an.tokens(&unit.text));
        add(&seq[..title_len], p.q_title, 0.0, &mut w, &mut term);
        add(&seq[title_len..], p.q_text, p.lead, &mut w, &mut term);
        for c in &unit.context {
            add(&self.an.tokens(c), p.q_context, 0.0, &mut w, &mut term);
        }
        // A phrase weighs as its words would where it first occurs (late in a long text, less),
        // and less when most of the batch's units use it (a lesson template's "compare and connect").
        for (k, i) in self.find_synonyms(&seq) {
            let lead = if i < title_len || p.lead <= 0.0 {
                1.0
            } else {
                p.lead / (p.lead + seq[i].pos as f32)
            };
            let common = self.batch_synonyms.get(&k).copied().unwrap_or(1.0);
            add(
                &self.synonyms[k].adds,
                p.q_synonym * lead * common,
                0.0,
                &mut w,
                &mut term,
            );
        }
        if p.q_notation > 0.0 {
            for word in notation_words(&[&unit.title, &unit.text]) {
                add(&self.notation[word], p.q_notation, 0.0, &mut w, &mut term);
            }
        }
        // Saturate repeated words in long texts: 1 + ln(w) above 1.
        let mut terms: Vec<(u32, f32)> = w
            .into_iter()
            .map(|(t, x)| (t, if x > 1.0 { 1.0 + x.ln() } else { x }))
            .collect();
        terms.sort_unstable_by_key(|x| x.0);
        let seq_ids = seq.iter().map(|t| term(&t.stem)).collect();
        Query {
            terms,
            surface,
            seq,
            seq_ids,
        }
    }
}
