//! Retrieval and scoring: a unit's query against the BM25F index of the standards
//! ([`super::bm25f`]), candidates by words and by meaning ([`super::semantic`]), their features and
//! score, and the evidence of a match.
//!
//! A unit's query is its title, its text and the titles of its ancestors (a lesson's chapter), each
//! with its own weight; words that every lesson text contains ("students", "launch") count for
//! little, and the synonym list (`data/matching/synonyms.tsv`) adds the standards' words for the
//! field's everyday phrases ("times tables" -> multiplication). The raw BM25F score `r` becomes a
//! score in 0..1 as `r / (r + K)`.

use super::analyze::{notation_words, Analyzer, Tok, NOTATION};
use super::bm25f::{pack, Doc, MatchIndex};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{GradeRange, Kind, Unit};
use crate::text::{list_entries, list_pairs};
use rustc_hash::FxHashMap as HashMap;

/// Tunable weights. The defaults are documented in the README ("How a match is scored").
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Params {
    pub k1: f32,
    pub b: f32,
    pub w_text: f32,
    pub w_children: f32,
    pub w_cluster: f32,
    pub w_domain: f32,
    pub w_notes: f32,
    /// Weight of the names lessons give a standard (`data/matching/aliases/`).
    pub w_alias: f32,
    pub q_title: f32,
    pub q_text: f32,
    pub q_context: f32,
    pub q_synonym: f32,
    /// Weight of words from the routine-words list.
    pub q_routine: f32,
    /// Words in more than this share of a batch's units (`Matcher::observe_batch`) count less:
    /// their weight is `ln(1/share) / ln(1/batch_df)`.
    pub batch_df: f32,
    /// Lead weighting of a unit's text: the word at position `p` weighs `lead / (lead + p)`
    /// (0 turns it off).
    pub lead: f32,
    /// Weight of meaning (static embeddings) in the final score, 0..1 (0 turns embeddings off).
    pub w_embed: f32,
    /// Weight of meaning for a unit that has only a title (short texts say little in words).
    pub w_embed_title: f32,
    /// Weight of a unit's title against its text in the unit's embedding.
    pub e_title: f32,
    /// Weight of a standard's headings against its statement in the standard's embedding.
    pub e_heads: f32,
    /// Weight of the names lessons give a standard in its embedding.
    pub e_alias: f32,
    /// Use the shipped reranker (1) or the fixed blend (0).
    pub use_model: f32,
    /// Weight of shared word pairs (adjacent words of the unit that are adjacent in the standard).
    pub w_phrase: f32,
    /// How many BM25F candidates the second stage reranks.
    pub rerank: f32,
    /// `K` in `score = r / (r + K)`.
    pub squash: f32,
    /// The least word evidence a candidate is credited with, so that a standard found by meaning
    /// alone still ranks (as a weak match: at most `lex_floor` x its meaning).
    pub lex_floor: f32,
    /// Weight of the words a unit's notation stands for (`analyze::notation_words`): a sign
    /// states the topic plainly (cross-validated: every fold chose a weight of 4 or more).
    pub q_notation: f32,
    pub strong: f32,
    pub moderate: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            k1: 1.2,
            b: 0.5,
            w_text: 1.0,
            w_children: 0.0,
            w_cluster: 0.6,
            w_domain: 0.3,
            w_notes: 0.3,
            w_alias: 1.5,
            q_title: 1.5,
            q_text: 1.0,
            q_context: 0.4,
            q_synonym: 0.7,
            q_routine: 0.1,
            batch_df: 0.05,
            w_phrase: 1.0,
            lead: 80.0,
            w_embed: 0.7,
            use_model: 1.0,
            w_embed_title: 0.8,
            e_title: 1.0,
            e_heads: 0.5,
            e_alias: 1.5,
            rerank: 30.0,
            squash: 10.0,
            lex_floor: 0.3,
            q_notation: 4.0,
            strong: 0.6,
            moderate: 0.4,
        }
    }
}

impl Params {
    /// Override weights from a `name=value,name=value` list (the `ALIGNER_PARAMS` environment
    /// variable that `aligner eval` reads, for tuning). Unknown names are an error.
    pub fn with_overrides(self, spec: &str) -> Result<Params, String> {
        // By field name, through serde: a new field needs no edit here.
        let mut fields = match serde_json::to_value(self).map_err(|e| e.to_string())? {
            serde_json::Value::Object(m) => m,
            _ => return Err("parameters are not a record".into()),
        };
        for kv in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').ok_or_else(|| format!("{kv:?} is not name=value"))?;
            let v: f32 = v.trim().parse().map_err(|_| format!("{kv:?}: not a number"))?;
            let slot = fields
                .get_mut(k.trim())
                .ok_or_else(|| format!("unknown parameter {:?}", k.trim()))?;
            *slot = serde_json::json!(v);
        }
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| e.to_string())
    }
}

/// How strongly a unit addresses a standard, from its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Weak,
    Moderate,
    Strong,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Moderate => "moderate",
            Strength::Weak => "weak",
        }
    }
}

/// Which standards a unit may match.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Framework positions (all when `None`).
    pub frameworks: Option<Vec<usize>>,
    /// Grades; when `None`, the unit's own grade (if any) limits its candidates.
    pub grades: Option<GradeRange>,
    /// Ignore the unit's own grade too.
    pub no_grade: bool,
    pub subject: Option<String>,
}

impl Scope {
    /// The one framework in scope, if only one is.
    pub fn single_framework(&self) -> Option<usize> {
        self.frameworks.as_ref().filter(|f| f.len() == 1).map(|f| f[0])
    }

    /// The grades a unit's candidates are limited to: the scope's, else the unit's own (unless
    /// `no_grade`).
    pub fn grades_for(&self, unit: &Unit) -> Option<GradeRange> {
        self.grades.or(if self.no_grade { None } else { unit.grade })
    }
}

/// One suggested standard for a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub r: Ref,
    pub score: f32,
    pub strength: Strength,
    /// Shared words and phrases, as the unit writes them, most telling first.
    pub evidence: Vec<String>,
}

/// Scores below this are not reported as matches.
pub const MIN_SCORE: f32 = 0.01;

/// Number of reranker features.
pub const NF: usize = 15;

/// The reranker's features of a (unit, standard) candidate, in order.
pub const FEATURES: [&str; NF] = [
    "lex_rel",   // words: BM25F + pairs, relative to the unit's best candidate
    "lex_abs",   // words: squash(BM25F + pairs)
    "sem_rel",   // meaning: cosine above the scope's mean, 0..1
    "cos",       // meaning: raw cosine
    "q_cov",     // share of the unit's weighted words found anywhere in the standard's document
    "own_cov",   // ... found in its own statement
    "doc_cov",   // share of the statement's words found in the unit
    "pairs",     // shared word pairs, squashed
    "component", // is a sub-standard
    "lex_rank",  // 1 / (1 + rank by words)
    "sem_rank",  // 1 / (1 + rank by meaning)
    "head_cov",  // share of the unit's weighted words found in the headings
    "short",     // 1 / (1 + ln(1 + number of distinct query words)): titles near 0.4, texts near 0.15
    "sem_short", // sem_rel x short: meaning counts more for short units
    "lex_short", // lex_rel x short
];

/// A shipped reranker: logistic regression over [`FEATURES`].
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Reranker {
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

const RERANKER: &str = include_str!("../../data/matching/reranker.json");

struct Cand {
    d: u32,
    f: [f32; NF],
}

/// Keep the `k` best of `(doc, score)`, best first (on a tie, the lower doc first). A lesson text
/// shares a word with most standards: selecting before sorting spares sorting them all.
fn best_first(v: &mut Vec<(u32, f32)>, k: usize) {
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if k == 0 {
        v.clear();
        return;
    }
    if v.len() > k {
        v.select_nth_unstable_by(k - 1, order);
        v.truncate(k);
    }
    v.sort_by(order);
}

/// A unit's candidates and what was computed on the way.
struct CandSet {
    cands: Vec<Cand>,
    qset: HashMap<u32, f32>,
    surface: HashMap<u32, String>,
    seq: Vec<Tok>,
    /// Each word of `seq` as a term of the standards' vocabulary, if it is one.
    seq_ids: Vec<Option<u32>>,
    qpairs: Vec<(u64, f32)>,
    acc: Vec<f32>,
    sem: Option<HashMap<u32, (f32, f32)>>,
    lex_max: f32,
    /// Per doc already scored: (lexical, pairs).
    lex_cache: HashMap<u32, (f32, f32)>,
    lex_rank: HashMap<u32, usize>,
    sem_rank: HashMap<u32, usize>,
    /// Sum of the query's weight x idf.
    qidf: f32,
}

/// A unit's query: (term, weight), each term's surface word, and the unit's words in order.
type Query = (Vec<(u32, f32)>, HashMap<u32, String>, Vec<Tok>);

/// Map a subject label to the corpus's subject ids (`mathematics` -> `math`).
pub fn normalize_subject(s: &str) -> String {
    crate::model::subject::normalize(s)
}

/// An everyday phrase (stems) and the standards' words it adds to a query (analysed once).
struct Synonym {
    phrase: Vec<String>,
    adds: Vec<Tok>,
}

const ROUTINE: &str = include_str!("../../data/matching/routine-words.txt");
const SYNONYMS: &str = include_str!("../../data/matching/synonyms.tsv");

pub struct Matcher<'c> {
    pub corpus: &'c Corpus,
    pub params: Params,
    ix: MatchIndex,
    an: Analyzer,
    routine: std::collections::HashSet<String>,
    /// The everyday phrases of `data/matching/synonyms.tsv`, analysed.
    synonyms: Vec<Synonym>,
    /// First word of a phrase -> positions in `synonyms`.
    synonym_starts: HashMap<String, Vec<usize>>,
    /// The words of `analyze::NOTATION`, analysed.
    notation: HashMap<&'static str, Vec<Tok>>,
    /// Per-term weights learned from the batch of units being matched (see `observe_batch`).
    batch: HashMap<u32, f32>,
    /// The same for synonym phrases (by position in `synonyms`).
    batch_synonyms: HashMap<usize, f32>,
    /// The standards' embeddings, when `w_embed > 0`.
    emb: Option<super::semantic::DocVectors>,
    /// Mean cosine between a unit and a standard, for a scope of one.
    emb_mean: f32,
    /// The shipped reranker, when it has weights for exactly [`FEATURES`].
    model: Option<Reranker>,
}

impl<'c> Matcher<'c> {
    pub fn new(corpus: &'c Corpus) -> Matcher<'c> {
        Matcher::with_params(corpus, Params::default())
    }

    pub fn with_params(corpus: &'c Corpus, params: Params) -> Matcher<'c> {
        let an = Analyzer::default();
        let ix = MatchIndex::build(corpus, &an, &params);
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
        let emb = (params.w_embed > 0.0).then(|| {
            let docs = ix.docs.iter().zip(&ix.names).map(|(d, names)| {
                let fw = &corpus.frameworks[d.r.fw];
                let heads: Vec<&str> = fw.headings(d.r.idx).map(|a| a.text.as_str()).collect();
                (fw.standards[d.r.idx].text.as_str(), heads.join(". "), names.as_str())
            });
            super::semantic::DocVectors::build(docs, params.e_heads, params.e_alias)
        });
        let emb_mean = emb.as_ref().map(|e| e.mean_similarity(200)).unwrap_or(0.0);
        let model = serde_json::from_str::<Reranker>(RERANKER)
            .ok()
            .filter(|m| m.weights.len() == NF && m.features.iter().map(String::as_str).eq(FEATURES))
            .filter(|_| params.use_model > 0.0);
        let mut synonym_starts: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, s) in synonyms.iter().enumerate() {
            synonym_starts.entry(s.phrase[0].clone()).or_default().push(i);
        }
        let notation = NOTATION.iter().map(|&(_, word)| (word, an.tokens(word))).collect();
        Matcher {
            corpus,
            params,
            ix,
            an,
            routine,
            synonyms,
            synonym_starts,
            notation,
            batch: HashMap::default(),
            batch_synonyms: HashMap::default(),
            emb,
            emb_mean,
            model,
        }
    }

    /// Learn from the units about to be matched which words are common to most of them (the
    /// language of the lesson template: "students", "launch", "groups of 2"), and count those
    /// less. Needs at least 20 units; does nothing for fewer.
    pub fn observe_batch(&mut self, units: &[Unit]) {
        self.batch.clear();
        self.batch_synonyms.clear();
        if units.len() < 20 || self.params.batch_df <= 0.0 || self.params.batch_df >= 1.0 {
            return;
        }
        let mut df: HashMap<u32, usize> = HashMap::default();
        let mut phrase_df: HashMap<usize, usize> = HashMap::default();
        for u in units {
            let toks = self.an.tokens(&format!("{} {}", u.title, u.text));
            for (k, _) in self.find_synonyms(&toks) {
                *phrase_df.entry(k).or_default() += 1;
            }
            let mut seen: Vec<u32> = toks
                .iter()
                .filter_map(|t| self.ix.vocab.get(&t.stem).copied())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_default() += 1;
            }
        }
        let n = units.len() as f32;
        let floor = self.params.batch_df;
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

    /// The weighted query of a unit: stem -> weight, and each stem's first surface form.
    fn query(&self, unit: &Unit) -> Query {
        let p = &self.params;
        let mut w: HashMap<u32, f32> = HashMap::default();
        let mut surface: HashMap<u32, String> = HashMap::default();
        let mut add = |toks: &[Tok], weight: f32, lead: f32, w: &mut HashMap<u32, f32>| {
            for t in toks {
                // Lesson texts state their purpose first: later words count less.
                let weight = if lead > 0.0 {
                    weight * lead / (lead + t.pos as f32)
                } else {
                    weight
                };
                if let Some(&id) = self.ix.vocab.get(&t.stem) {
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
        add(&seq[..title_len], p.q_title, 0.0, &mut w);
        add(&seq[title_len..], p.q_text, p.lead, &mut w);
        for c in &unit.context {
            add(&self.an.tokens(c), p.q_context, 0.0, &mut w);
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
            add(&self.synonyms[k].adds, p.q_synonym * lead * common, 0.0, &mut w);
        }
        if p.q_notation > 0.0 {
            for word in notation_words(&[&unit.title, &unit.text]) {
                add(&self.notation[word], p.q_notation, 0.0, &mut w);
            }
        }
        // Saturate repeated words in long texts: 1 + ln(w) above 1.
        let q: Vec<(u32, f32)> = w
            .into_iter()
            .map(|(t, x)| (t, if x > 1.0 { 1.0 + x.ln() } else { x }))
            .collect();
        (q, surface, seq)
    }

    fn in_scope(&self, d: &Doc, grades: Option<GradeRange>, subject: Option<&str>, scope: &Scope) -> bool {
        scope.frameworks.as_ref().is_none_or(|f| f.contains(&d.r.fw))
            && grades.is_none_or(|g| g.overlaps(&d.grades))
            && subject.is_none_or(|s| d.subject == s)
    }

    fn subject_of(&self, unit: &Unit, scope: &Scope) -> Option<String> {
        let s = scope.subject.as_deref().or(unit.subject.as_deref())?;
        let s = normalize_subject(s);
        // A unit subject that names no framework's subject does not filter.
        self.corpus.frameworks.iter().any(|f| f.subject == s).then_some(s)
    }

    pub fn score_to_unit(&self, raw: f32) -> f32 {
        raw / (raw + self.params.squash)
    }

    pub fn strength(&self, score: f32) -> Strength {
        if score >= self.params.strong {
            Strength::Strong
        } else if score >= self.params.moderate {
            Strength::Moderate
        } else {
            Strength::Weak
        }
    }

    /// The `top` best standards for a unit, best first.
    pub fn match_unit(&self, unit: &Unit, scope: &Scope, top: usize) -> Vec<Match> {
        self.match_unit_with(unit, scope, top, &[]).0
    }

    /// As [`match_unit`](Self::match_unit), also returning the scores of the `extra` standards
    /// (claimed ones), whether or not they are in scope or among the top.
    pub fn match_unit_with(&self, unit: &Unit, scope: &Scope, top: usize, extra: &[Ref]) -> (Vec<Match>, Vec<f32>) {
        let cs = self.candidates(unit, scope, top);
        let w = self.embed_weight(unit);
        let mut scored: Vec<(u32, f32)> = cs.cands.iter().map(|c| (c.d, self.model_score(&c.f, w))).collect();
        self.inherit_to_parts(&mut scored);
        // A standard the unit shares no evidence with is no match.
        scored.retain(|x| x.1 >= MIN_SCORE);
        // On a tie, a sub-standard before its standard (see `inherit_to_parts`).
        let part = |d: u32| self.ix.parent_doc[d as usize].is_some();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(part(b.0).cmp(&part(a.0))).then(a.0.cmp(&b.0)));
        // A standard after one of its own sub-standards says nothing new (the part implies it): it
        // leaves its place to the next standard.
        let mut implied: Vec<u32> = Vec::new();
        scored.retain(|&(d, _)| {
            if implied.contains(&d) {
                return false;
            }
            implied.extend(self.ix.parent_doc[d as usize]);
            true
        });
        scored.truncate(top);
        let matches = scored
            .into_iter()
            .map(|(d, score)| Match {
                r: self.ix.docs[d as usize].r,
                score,
                strength: self.strength(score),
                evidence: self.evidence(d, &cs),
            })
            .collect();
        let extra_scores = extra
            .iter()
            .map(|r| match self.ix.doc_of.get(r) {
                Some(&d) => match cs.cands.iter().find(|c| c.d == d) {
                    Some(c) => self.model_score(&c.f, w),
                    None => self.model_score(&self.features_of(&cs, d), w),
                },
                None => 0.0,
            })
            .collect();
        (matches, extra_scores)
    }

    /// A unit that addresses a standard addresses at least one of its parts: the best-scored
    /// sub-standard among the candidates takes its standard's score when that is higher, so it
    /// ranks in the standard's place (on the tie, before it; the standard is then not listed again).
    /// The sub-standard names the part the unit addresses, and an alignment to it implies its
    /// standard.
    fn inherit_to_parts(&self, scored: &mut [(u32, f32)]) {
        let at: HashMap<u32, usize> = scored.iter().enumerate().map(|(i, x)| (x.0, i)).collect();
        let mut best_part: HashMap<u32, usize> = HashMap::default();
        for (i, &(d, s)) in scored.iter().enumerate() {
            if let Some(p) = self.ix.parent_doc[d as usize].filter(|p| at.contains_key(p)) {
                let e = best_part.entry(p).or_insert(i);
                if s > scored[*e].1 {
                    *e = i;
                }
            }
        }
        for (p, i) in best_part {
            let ps = scored[at[&p]].1;
            if scored[i].1 < ps {
                scored[i].1 = ps;
            }
        }
    }

    /// Every candidate of a unit with its features (for training the reranker: see
    /// `scripts/train-reranker.py`).
    pub fn candidate_features(&self, unit: &Unit, scope: &Scope, keep: usize) -> Vec<(Ref, [f32; NF])> {
        self.candidates(unit, scope, keep)
            .cands
            .into_iter()
            .map(|c| (self.ix.docs[c.d as usize].r, c.f))
            .collect()
    }

    /// First stage: the best `max(keep, rerank)` standards by words, and as many by meaning, each
    /// with its features.
    fn candidates(&self, unit: &Unit, scope: &Scope, keep: usize) -> CandSet {
        let p = &self.params;
        let (q, surface, seq) = self.query(unit);
        let acc = self.ix.raw_scores(&q, self.params.k1);
        let grades = scope.grades_for(unit);
        let subject = self.subject_of(unit, scope);
        let in_scope: Vec<u32> = (0..self.ix.docs.len() as u32)
            .filter(|&d| {
                let doc = &self.ix.docs[d as usize];
                self.in_scope(doc, grades, subject.as_deref(), scope)
            })
            .collect();
        let sem = self.semantic(unit, &in_scope);
        let keep = keep.max(p.rerank as usize);
        let qset: HashMap<u32, f32> = q.iter().copied().collect();
        let seq_ids: Vec<Option<u32>> = seq.iter().map(|t| self.ix.vocab.get(&t.stem).copied()).collect();
        let qpairs = self.query_pairs(&seq_ids, &qset);
        // Word pairs only for the best by BM25F (pairs cost a lookup per pair and standard).
        let mut by_lex: Vec<(u32, f32)> = in_scope
            .iter()
            .filter(|&&d| acc[d as usize] > 0.0)
            .map(|&d| (d, acc[d as usize]))
            .collect();
        best_first(&mut by_lex, 2 * keep);
        let mut lex_cache = HashMap::default();
        for x in by_lex.iter_mut() {
            let pairs = self.pairs(x.0, &qpairs);
            lex_cache.insert(x.0, (x.1 + p.w_phrase * pairs, pairs));
            x.1 += p.w_phrase * pairs;
        }
        by_lex.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let lex_rank: HashMap<u32, usize> = by_lex.iter().take(keep).enumerate().map(|(i, x)| (x.0, i)).collect();
        let lex_max = by_lex.first().map(|x| x.1).unwrap_or(0.0);
        let mut sem_rank: HashMap<u32, usize> = HashMap::default();
        let mut ids: Vec<u32> = by_lex.iter().take(keep).map(|x| x.0).collect();
        if let Some(sem) = &sem {
            let mut by_sem: Vec<(u32, f32)> = sem.iter().map(|(&d, &(c, _))| (d, c)).collect();
            best_first(&mut by_sem, keep);
            for (i, (d, _)) in by_sem.into_iter().enumerate() {
                sem_rank.insert(d, i);
                if !ids.contains(&d) {
                    ids.push(d);
                }
            }
        }
        let qidf: f32 = q.iter().map(|(t, w)| w * self.ix.idf[*t as usize]).sum();
        let mut cs = CandSet {
            cands: Vec::new(),
            qset,
            surface,
            seq,
            seq_ids,
            qpairs,
            acc,
            sem,
            lex_max,
            lex_cache,
            lex_rank,
            sem_rank,
            qidf,
        };
        let cands: Vec<Cand> = ids
            .iter()
            .map(|&d| Cand {
                d,
                f: self.features_of(&cs, d),
            })
            .collect();
        cs.cands = cands;
        cs
    }

    /// The features of standard `d` for a unit (see [`FEATURES`]).
    fn features_of(&self, cs: &CandSet, d: u32) -> [f32; NF] {
        let (lex, pairs) = match cs.lex_cache.get(&d) {
            Some(&x) => x,
            None => {
                let pairs = self.pairs(d, &cs.qpairs);
                (cs.acc[d as usize] + self.params.w_phrase * pairs, pairs)
            }
        };
        let (cos, rel) = match &cs.sem {
            Some(s) => s.get(&d).copied().unwrap_or((0.0, 0.0)),
            None => (0.0, 0.0),
        };
        let share = |terms: &[u32]| -> f32 {
            if cs.qidf <= 0.0 {
                return 0.0;
            }
            let hit: f32 = terms
                .iter()
                .filter_map(|t| cs.qset.get(t).map(|w| w * self.ix.idf[*t as usize]))
                .sum();
            hit / cs.qidf
        };
        let own = &self.ix.own_terms[d as usize];
        let doc_cov = {
            let all: f32 = own.iter().map(|t| self.ix.idf[*t as usize]).sum();
            let hit: f32 = own
                .iter()
                .filter(|t| cs.qset.contains_key(t))
                .map(|t| self.ix.idf[*t as usize])
                .sum();
            if all > 0.0 {
                hit / all
            } else {
                0.0
            }
        };
        let inv = |r: Option<&usize>| r.map(|&r| 1.0 / (1.0 + r as f32)).unwrap_or(0.0);
        let s = self.corpus.standard(self.ix.docs[d as usize].r);
        let short = 1.0 / (1.0 + (1.0 + cs.qset.len() as f32).ln());
        let lex_rel = if cs.lex_max > 0.0 { lex / cs.lex_max } else { 0.0 };
        [
            lex_rel,
            self.score_to_unit(lex),
            rel,
            cos,
            share(&self.ix.all_terms[d as usize]),
            share(own),
            doc_cov,
            pairs / (pairs + 5.0),
            if s.kind == Kind::Component { 1.0 } else { 0.0 },
            inv(cs.lex_rank.get(&d)),
            inv(cs.sem_rank.get(&d)),
            share(&self.ix.head_terms[d as usize]),
            short,
            rel * short,
            lex_rel * short,
        ]
    }

    /// Shared word pairs of the unit and standard `d`, weighted.
    fn pairs(&self, d: u32, qpairs: &[(u64, f32)]) -> f32 {
        let set = &self.ix.pairs[d as usize];
        qpairs
            .iter()
            .filter(|(x, _)| set.binary_search(x).is_ok())
            .map(|(_, w)| w)
            .sum()
    }

    /// The score in 0..1 of a candidate from its features: the reranker's probability when a
    /// model is shipped (`data/matching/reranker.json`), else a fixed blend of words and meaning.
    /// The weight of meaning for this unit: `w_embed_title` when it has only a title.
    fn embed_weight(&self, unit: &Unit) -> f32 {
        if self.emb.is_none() {
            0.0
        } else if unit.text.trim().is_empty() {
            self.params.w_embed_title
        } else {
            self.params.w_embed
        }
    }

    fn model_score(&self, f: &[f32; NF], w: f32) -> f32 {
        match &self.model {
            Some(m) => {
                let z = m.bias + m.weights.iter().zip(f).map(|(w, x)| w * x).sum::<f32>();
                1.0 / (1.0 + (-z).exp())
            }
            None => f[1].max(self.params.lex_floor) * ((1.0 - w) * f[0] + w * f[2]),
        }
    }

    /// Per in-scope doc: (cosine with the unit, how much more similar in meaning it is than the
    /// scope's average standard in 0..1). `None` when embeddings are off.
    fn semantic(&self, unit: &Unit, docs: &[u32]) -> Option<HashMap<u32, (f32, f32)>> {
        let emb = self.emb.as_ref()?;
        if docs.is_empty() {
            return Some(HashMap::default());
        }
        let qv = emb.unit_vector(unit, self.params.e_title);
        if qv.iter().all(|x| *x == 0.0) {
            return Some(HashMap::default());
        }
        let cos: Vec<f32> = docs.iter().map(|&d| emb.dot(d, &qv)).collect();
        let mean = if docs.len() > 1 {
            cos.iter().sum::<f32>() / cos.len() as f32
        } else {
            self.emb_mean
        };
        let span = (1.0 - mean).max(1e-3);
        Some(
            docs.iter()
                .zip(cos)
                .map(|(&d, c)| (d, (c, ((c - mean) / span).clamp(0.0, 1.0))))
                .collect(),
        )
    }

    /// The unit's adjacent word pairs with their weights.
    fn query_pairs(&self, seq_ids: &[Option<u32>], q: &HashMap<u32, f32>) -> Vec<(u64, f32)> {
        let ids: Vec<u32> = seq_ids.iter().flatten().copied().collect();
        let mut qpairs: Vec<(u64, f32)> = Vec::new();
        for w in ids.windows(2) {
            if w[0] == w[1] {
                continue;
            }
            let pk = pack(w[0], w[1]);
            if qpairs.iter().any(|(x, _)| *x == pk) {
                continue;
            }
            // A pair weighs the mean idf of its words, scaled by their query weights (so the
            // batch's template words count little here too).
            let wq = q
                .get(&w[0])
                .copied()
                .unwrap_or(0.0)
                .min(q.get(&w[1]).copied().unwrap_or(0.0))
                .min(1.0);
            let idf = 0.5 * (self.ix.idf[w[0] as usize] + self.ix.idf[w[1] as usize]);
            qpairs.push((pk, wq * idf));
        }
        qpairs
    }

    /// Shared words and phrases between the query and a document, most informative first.
    fn evidence(&self, d: u32, cs: &CandSet) -> Vec<String> {
        let (q, surface, seq) = (&cs.qset, &cs.surface, &cs.seq);
        let in_doc = |t: u32| self.ix.postings[t as usize].binary_search_by_key(&d, |p| p.0).is_ok();
        let mut shared: Vec<(u32, f32)> = q
            .iter()
            .filter(|(t, _)| in_doc(**t))
            .map(|(t, w)| (*t, self.ix.idf[*t as usize] * w.min(2.0)))
            .collect();
        shared.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Phrases: two adjacent words of the unit that are adjacent in the statement too.
        let own = &self.ix.own_seq[d as usize];
        let mut phrases: Vec<String> = Vec::new();
        let mut in_phrase: Vec<u32> = Vec::new();
        for (w, ids) in seq.windows(2).zip(cs.seq_ids.windows(2)) {
            let (Some(a), Some(b)) = (ids[0], ids[1]) else {
                continue;
            };
            if w[1].pos == w[0].pos + 1 && a != b && own.windows(2).any(|o| o[0] == a && o[1] == b) {
                let p = format!("{} {}", w[0].surface, w[1].surface);
                if !phrases.contains(&p) && phrases.len() < 3 {
                    phrases.push(p);
                    in_phrase.extend([a, b]);
                }
            }
        }
        let mut out = phrases;
        for (t, _) in shared {
            if out.len() >= 8 {
                break;
            }
            if in_phrase.contains(&t) {
                continue;
            }
            if let Some(s) = surface.get(&t) {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn best_first_keeps_what_a_full_sort_would_keep_in_its_order_ties_by_doc() {
        let all: Vec<(u32, f32)> = (0..200u32).map(|d| (d, ((d * 37) % 11) as f32 / 4.0)).collect();
        for k in [0, 1, 5, 11, 199, 200, 300] {
            let mut sorted = all.clone();
            sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            sorted.truncate(k);
            let mut v = all.clone();
            super::best_first(&mut v, k);
            assert_eq!(v, sorted, "k = {k}");
        }
    }

    #[test]
    fn overrides_set_fields_by_name_and_refuse_unknown_ones() {
        let p = Params::default().with_overrides("k1=0.9, w_embed=0.25").unwrap();
        assert_eq!((p.k1, p.w_embed), (0.9, 0.25));
        assert_eq!(p.lex_floor, Params::default().lex_floor);
        assert!(Params::default().with_overrides("nope=1").unwrap_err().contains("nope"));
        assert!(Params::default().with_overrides("k1").is_err());
        assert!(Params::default().with_overrides("k1=x").is_err());
    }
}
