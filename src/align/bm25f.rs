//! The in-memory BM25F index the matcher retrieves from, built from the corpus when a matcher is
//! made: one document per alignable standard, with weighted fields (its statement, its
//! sub-standards' statements, its cluster and domain headings, its notes, and the names lessons
//! give it, from `data/matching/aliases/`), the postings and idf of every stem, and per document
//! the stems and word pairs that phrase evidence and features read.

use super::analyze::{Analyzer, Tok};
use super::matcher::Params;
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{Grade, Kind};
use rustc_hash::FxHashMap as HashMap;

/// One indexed standard: which it is, its grades and its framework's subject.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) r: Ref,
    pub(super) grades: Vec<Grade>,
    pub(super) subject: String,
}

/// The in-memory retrieval index.
pub(super) struct MatchIndex {
    pub(super) vocab: HashMap<String, u32>,
    /// Per term: (doc, saturated-ready pseudo term frequency).
    pub(super) postings: Vec<Vec<(u32, f32)>>,
    pub(super) idf: Vec<f32>,
    pub(super) docs: Vec<Doc>,
    pub(super) doc_of: HashMap<Ref, u32>,
    /// Per doc: the doc of its parent standard, for a sub-standard.
    pub(super) parent_doc: Vec<Option<u32>>,
    /// Per doc: its own statement's stems in order (for phrase evidence).
    pub(super) own_seq: Vec<Vec<u32>>,
    /// Per doc, sorted term ids: of its own statement, of its headings, of its whole document.
    pub(super) own_terms: Vec<Vec<u32>>,
    pub(super) head_terms: Vec<Vec<u32>>,
    pub(super) all_terms: Vec<Vec<u32>>,
    /// Per doc: adjacent word pairs of its statement and its sub-standards', packed `a << 32 | b`.
    pub(super) pairs: Vec<Vec<u64>>,
    /// Per doc: the names lessons give it (`data/matching/aliases/`), joined by ". ".
    pub(super) names: Vec<String>,
}

/// Two term ids as one key.
pub(super) fn pack(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

impl MatchIndex {
    /// Index every alignable standard of the corpus with the field weights of `p`.
    pub(super) fn build(corpus: &Corpus, an: &Analyzer, p: &Params) -> MatchIndex {
        let mut vocab: HashMap<String, u32> = HashMap::default();
        let intern = |s: &str, vocab: &mut HashMap<String, u32>| -> u32 {
            let n = vocab.len() as u32;
            *vocab.entry(s.to_string()).or_insert(n)
        };
        // Per doc, per field: term counts and length.
        /// Fields of a document: statement, sub-standards, cluster, domain, notes, aliases.
        const FIELDS: usize = 6;
        let weights = [p.w_text, p.w_children, p.w_cluster, p.w_domain, p.w_notes, p.w_alias];
        let mut docs = Vec::new();
        let mut fields: Vec<[HashMap<u32, u32>; FIELDS]> = Vec::new();
        let mut lens: Vec<[u32; FIELDS]> = Vec::new();
        let mut own_seq = Vec::new();
        let mut all_names = Vec::new();
        let mut pairs = Vec::new();
        let (mut own_terms, mut head_terms, mut all_terms) = (Vec::new(), Vec::new(), Vec::new());
        for (f, fw) in corpus.frameworks.iter().enumerate() {
            let by_uri: HashMap<&str, usize> = fw
                .standards
                .iter()
                .enumerate()
                .map(|(i, s)| (s.uri.as_str(), i))
                .collect();
            let aliases = crate::shipped::aliases(&fw.id);
            for (i, s) in fw.standards.iter().enumerate() {
                if !s.kind.is_alignable() {
                    continue;
                }
                let names: &[&str] = s
                    .code
                    .as_deref()
                    .and_then(|c| aliases.get(c))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let r = Ref { fw: f, idx: i };
                let mut texts: [String; FIELDS] = Default::default();
                texts[0] = s.text.clone();
                texts[1] = s
                    .children
                    .iter()
                    .map(|&c| fw.standards[c].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                for x in fw.headings(i) {
                    // A component's parent standard reads as its cluster heading does.
                    let k = if x.kind == Kind::Domain { 3 } else { 2 };
                    texts[k].push_str(&format!(" {}", x.text));
                }
                texts[4] = s
                    .notes
                    .iter()
                    .map(|n| n.text.as_str())
                    .chain(
                        // NGSS: the supporting elements an expectation is comprised of.
                        s.associations
                            .iter()
                            .filter(|a| a.kind == "comprisedOf")
                            .filter_map(|a| by_uri.get(a.target.as_str()).map(|&t| fw.standards[t].text.as_str())),
                    )
                    .collect::<Vec<_>>()
                    .join(" ");
                // Each name alone, so that word pairs do not span two names.
                let name_toks: Vec<Vec<Tok>> = names.iter().map(|n| an.tokens(n)).collect();
                all_names.push(names.join(". "));
                let mut counts: [HashMap<u32, u32>; FIELDS] = Default::default();
                let mut l = [0u32; FIELDS];
                for (k, t) in texts.iter().enumerate() {
                    let toks = if k == FIELDS - 1 {
                        name_toks.concat()
                    } else {
                        an.tokens(t)
                    };
                    l[k] = toks.len() as u32;
                    for tok in &toks {
                        let id = intern(&tok.stem, &mut vocab);
                        *counts[k].entry(id).or_default() += 1;
                    }
                    if k == 0 {
                        own_seq.push(toks.iter().map(|t| vocab[&t.stem]).collect());
                    }
                    if k <= 1 {
                        let ids: Vec<u32> = toks.iter().map(|t| vocab[&t.stem]).collect();
                        if k == 0 {
                            pairs.push(Vec::new());
                        }
                        let set = pairs.last_mut().expect("pushed for k == 0");
                        for w in ids.windows(2) {
                            set.push(pack(w[0], w[1]));
                        }
                    }
                    if k == FIELDS - 1 {
                        let set = pairs.last_mut().expect("pushed for k == 0");
                        for name in &name_toks {
                            let ids: Vec<u32> = name.iter().map(|t| vocab[&t.stem]).collect();
                            for w in ids.windows(2) {
                                set.push(pack(w[0], w[1]));
                            }
                        }
                        set.sort_unstable();
                        set.dedup();
                    }
                }
                docs.push(Doc {
                    r,
                    grades: s.grades.clone(),
                    subject: fw.subject.clone(),
                });
                let sorted = |ks: &mut Vec<u32>| {
                    ks.sort_unstable();
                    ks.dedup();
                };
                let mut own: Vec<u32> = counts[0].keys().copied().collect();
                sorted(&mut own);
                let mut head: Vec<u32> = counts[2].keys().chain(counts[3].keys()).copied().collect();
                sorted(&mut head);
                let mut all: Vec<u32> = counts.iter().flat_map(|c| c.keys().copied()).collect();
                sorted(&mut all);
                own_terms.push(own);
                head_terms.push(head);
                all_terms.push(all);
                fields.push(counts);
                lens.push(l);
            }
        }
        let n = docs.len().max(1) as f32;
        let mut avg = [0f32; FIELDS];
        for l in &lens {
            for k in 0..FIELDS {
                avg[k] += l[k] as f32 / n;
            }
        }
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocab.len()];
        for (d, counts) in fields.iter().enumerate() {
            let mut tfp: HashMap<u32, f32> = HashMap::default();
            for k in 0..FIELDS {
                let norm = 1.0 - p.b + p.b * lens[d][k] as f32 / avg[k].max(1.0);
                for (&t, &c) in &counts[k] {
                    *tfp.entry(t).or_default() += weights[k] * c as f32 / norm;
                }
            }
            for (t, x) in tfp {
                postings[t as usize].push((d as u32, x));
            }
        }
        for p in &mut postings {
            p.sort_by_key(|x| x.0);
        }
        let idf = postings
            .iter()
            .map(|p| {
                let df = p.len() as f32;
                ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
            })
            .collect();
        let doc_of: HashMap<Ref, u32> = docs.iter().enumerate().map(|(i, d)| (d.r, i as u32)).collect();
        let parent_doc = docs
            .iter()
            .map(|d| {
                let s = &corpus.frameworks[d.r.fw].standards[d.r.idx];
                let p = s.parent.filter(|_| s.kind == Kind::Component)?;
                doc_of.get(&Ref { fw: d.r.fw, idx: p }).copied()
            })
            .collect();
        MatchIndex {
            parent_doc,
            vocab,
            postings,
            idf,
            docs,
            doc_of,
            own_seq,
            own_terms,
            head_terms,
            all_terms,
            pairs,
            names: all_names,
        }
    }

    /// BM25F scores of every document for a weighted query (dense, by doc).
    pub(super) fn raw_scores(&self, q: &[(u32, f32)], k1: f32) -> Vec<f32> {
        let mut acc = vec![0f32; self.docs.len()];
        for &(t, qw) in q {
            let idf = self.idf[t as usize];
            for &(d, tf) in &self.postings[t as usize] {
                acc[d as usize] += qw * idf * tf * (k1 + 1.0) / (tf + k1);
            }
        }
        acc
    }
}
