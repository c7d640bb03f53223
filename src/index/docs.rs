//! What each standard contributes to the index, computed in one pass over the corpus: the texts
//! of its fields (the same texts go into tantivy and into the engine store, so the first stage and
//! the second score the same words), and the store's rows (per-field term counts, word pairs,
//! statement stems, embedding).
//!
//! Depth costs linear time: a node reads under at most [`MAX_HEADINGS`] headings, the nearest, so
//! a 5,000-deep chain of parents does not copy every ancestor's text into every descendant.

use super::store::{
    DocRow, NodeRow, StoreMeta, F_CHILDREN, F_CLUSTER, F_DOMAIN, F_NAMES, F_NOTES, F_TEXT, NONE, N_FIELDS,
};
use crate::align::analyze::Analyzer;
use crate::align::semantic::{DocText, DocVectors};
use crate::model::{Framework, Kind, StdIdx};
use rustc_hash::FxHashMap as HashMap;

/// The most headings a node reads under (its nearest ancestors of a heading kind). Real
/// frameworks have at most four (a sub-standard's standard, cluster, domain, strand).
pub const MAX_HEADINGS: usize = 6;

/// The headings a standard reads under, nearest first, at most [`MAX_HEADINGS`].
pub fn headings(fw: &Framework, idx: StdIdx) -> Vec<StdIdx> {
    fw.headings(idx).take(MAX_HEADINGS).collect()
}

/// The field texts of one node.
pub struct NodeTexts<'a> {
    pub fw: usize,
    pub pos: usize,
    pub texts: [String; N_FIELDS],
    /// The names lessons give it, each alone (word pairs do not span two names).
    pub names: Vec<&'a str>,
    /// Its headings' texts, nearest first (for its embedding).
    pub heads: Vec<&'a str>,
}

/// The field texts of node `pos` of framework `f`.
pub fn node_texts<'a>(
    fws: &'a [Framework],
    f: usize,
    pos: usize,
    by_uri: &HashMap<&str, usize>,
    aliases: &std::collections::HashMap<&'static str, Vec<&'static str>>,
) -> NodeTexts<'a> {
    let fw = &fws[f];
    let s = &fw.standards[pos];
    let names: Vec<&str> = s
        .code
        .as_deref()
        .and_then(|c| crate::shipped::names_for(aliases, c))
        .map(|v| v.to_vec())
        .unwrap_or_default();
    let mut texts: [String; N_FIELDS] = Default::default();
    texts[F_TEXT] = s.text.clone();
    texts[F_CHILDREN] = s
        .children
        .iter()
        .map(|&c| fw.standards[c].text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let heads = headings(fw, pos);
    for &h in &heads {
        let x = &fw.standards[h];
        // A component's parent standard reads as its cluster heading does.
        let k = if x.kind == Kind::Domain { F_DOMAIN } else { F_CLUSTER };
        texts[k].push(' ');
        texts[k].push_str(&x.text);
    }
    texts[F_NOTES] = s
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
    texts[F_NAMES] = names.join(". ");
    NodeTexts {
        fw: f,
        pos,
        texts,
        names,
        heads: heads.iter().map(|&h| fw.standards[h].text.as_str()).collect(),
    }
}

/// The texts every doc's (alignable node's) embeddings read, in doc order: its statement, its
/// headings and the names lessons give it.
pub fn doc_texts(fws: &[Framework]) -> Vec<DocText<'_>> {
    fws.iter()
        .flat_map(|fw| {
            let aliases = crate::shipped::aliases(&fw.id);
            fw.standards
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind.is_alignable())
                .map(move |(pos, s)| {
                    let heads: Vec<&str> = headings(fw, pos)
                        .iter()
                        .map(|&h| fw.standards[h].text.as_str())
                        .collect();
                    let names = s
                        .code
                        .as_deref()
                        .and_then(|c| crate::shipped::names_for(&aliases, c))
                        .map(|v| v.join(". "))
                        .unwrap_or_default();
                    DocText {
                        own: s.text.as_str(),
                        heads: heads.join(". "),
                        names,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The distinct texts an index of these frameworks encodes with the sentence model, sorted (what
/// `data/encoder/vectors.bin` holds for the shipped corpus).
pub fn sentence_texts(fws: &[Framework], p: &crate::align::Params) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in doc_texts(fws) {
        out.push(d.own.to_string());
        if p.s_heads > 0.0 && !d.heads.is_empty() {
            out.push(d.heads);
        }
        if p.s_alias > 0.0 && !d.names.is_empty() {
            out.push(d.names);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The embeddings of every doc, in doc order ([`DocVectors::build`]). Independent of the rest of
/// the build, so it runs on its own thread.
pub fn embed_docs(fws: &[Framework], p: &crate::align::Params) -> DocVectors {
    DocVectors::build(&doc_texts(fws), p, crate::align::sentence::threads())
}

/// Collects the store's rows while the build walks the corpus.
pub struct Collector {
    an: Analyzer,
    vocab: HashMap<String, u32>,
    pub nodes: Vec<NodeRow>,
    pub docs: Vec<DocRow>,
    pub doc_grades: Vec<Vec<crate::model::Grade>>,
    pub fw_docs: Vec<u32>,
    pub fw_nodes: Vec<u32>,
    /// Per doc: the (framework, position) of its parent standard, for a sub-standard.
    parent_of: Vec<Option<(usize, usize)>>,
    doc_at: HashMap<(usize, usize), u32>,
}

impl Default for Collector {
    fn default() -> Self {
        Collector {
            an: Analyzer::default(),
            vocab: HashMap::default(),
            nodes: Vec::new(),
            docs: Vec::new(),
            doc_grades: Vec::new(),
            fw_docs: vec![0],
            fw_nodes: vec![0],
            parent_of: Vec::new(),
            doc_at: HashMap::default(),
        }
    }
}

impl Collector {
    /// The text's stems as term ids (new stems get the next id).
    fn stems_into(&mut self, text: &str, out: &mut Vec<u32>) {
        let vocab = &mut self.vocab;
        self.an.for_each_stem(text, |stem| {
            let id = match vocab.get(stem) {
                Some(&id) => id,
                None => {
                    let id = vocab.len() as u32;
                    vocab.insert(stem.to_string(), id);
                    id
                }
            };
            out.push(id);
        });
    }

    /// Add a node; returns its node number.
    pub fn add(&mut self, fws: &[Framework], nt: &NodeTexts) -> u32 {
        let fw = &fws[nt.fw];
        let s = &fw.standards[nt.pos];
        let node = self.nodes.len() as u32;
        self.nodes.push(NodeRow {
            fw: nt.fw as u32,
            pos: nt.pos as u32,
            kind: s.kind,
            grades: s.grades.clone(),
            code: s.code.clone().unwrap_or_default(),
            uri: s.uri.clone(),
            text: s.text.clone(),
        });
        if !s.kind.is_alignable() {
            return node;
        }
        let mut row = DocRow {
            node,
            parent: NONE,
            ..Default::default()
        };
        let mut counts: HashMap<(u32, u8), u32> = HashMap::default();
        let mut ids: Vec<u32> = Vec::new();
        for k in 0..N_FIELDS {
            ids.clear();
            if k == F_NAMES {
                // Each name alone: word pairs do not span two names.
                for name in &nt.names {
                    let start = ids.len();
                    self.stems_into(name, &mut ids);
                    row.pairs
                        .extend(ids[start..].windows(2).map(|w| crate::align::pack(w[0], w[1])));
                }
            } else {
                self.stems_into(&nt.texts[k], &mut ids);
            }
            row.field_len[k] = ids.len() as u32;
            for &id in &ids {
                *counts.entry((id, k as u8)).or_default() += 1;
            }
            if k == F_TEXT {
                row.seq = ids.clone();
            }
            if k == F_TEXT || k == F_CHILDREN {
                row.pairs.extend(ids.windows(2).map(|w| crate::align::pack(w[0], w[1])));
            }
        }
        row.terms = counts.into_iter().map(|((t, k), c)| (t, k, c)).collect();
        let d = self.docs.len() as u32;
        self.doc_at.insert((nt.fw, nt.pos), d);
        self.parent_of
            .push(s.parent.filter(|_| s.kind == Kind::Component).map(|p| (nt.fw, p)));
        self.docs.push(row);
        self.doc_grades.push(s.grades.clone());
        node
    }

    /// Close a framework (docs and nodes added so far belong to it).
    pub fn end_framework(&mut self) {
        self.fw_docs.push(self.docs.len() as u32);
        self.fw_nodes.push(self.nodes.len() as u32);
    }

    /// Renumber terms in sorted order, link parents, embed, and write the store.
    pub fn write(mut self, dir: &std::path::Path, fws: &[Framework], vecs: DocVectors) -> std::io::Result<()> {
        let mut vocab: Vec<(String, u32)> = std::mem::take(&mut self.vocab).into_iter().collect();
        vocab.sort_unstable();
        let mut new_id = vec![0u32; vocab.len()];
        for (i, (_, old)) in vocab.iter().enumerate() {
            new_id[*old as usize] = i as u32;
        }
        let mut df = vec![0u32; vocab.len()];
        for (i, d) in self.docs.iter_mut().enumerate() {
            for t in &mut d.terms {
                t.0 = new_id[t.0 as usize];
            }
            d.terms.sort_unstable();
            let mut last = None;
            for t in &d.terms {
                if last != Some(t.0) {
                    df[t.0 as usize] += 1;
                    last = Some(t.0);
                }
            }
            for x in &mut d.seq {
                *x = new_id[*x as usize];
            }
            for p in &mut d.pairs {
                let (a, b) = ((*p >> 32) as usize, (*p & 0xffff_ffff) as usize);
                *p = crate::align::pack(new_id[a], new_id[b]);
            }
            d.pairs.sort_unstable();
            d.pairs.dedup();
            d.parent = self.parent_of[i]
                .and_then(|k| self.doc_at.get(&k).copied())
                .unwrap_or(NONE);
        }
        let dims = vecs.dims();
        let sd = vecs.static_dims();
        let emb_mean = vecs.mean_similarity(200, 0..sd);
        let sent_mean = vecs.mean_similarity(200, sd..dims);
        let n = self.docs.len().max(1) as f32;
        let mut avg = [0f32; N_FIELDS];
        for d in &self.docs {
            for (k, a) in avg.iter_mut().enumerate() {
                *a += d.field_len[k] as f32 / n;
            }
        }
        let meta = StoreMeta {
            nodes: self.nodes.len(),
            docs: self.docs.len(),
            dims,
            static_dims: sd,
            avg_len: avg,
            emb_mean,
            sent_mean,
            frameworks: fws
                .iter()
                .map(|f| super::store::StoreFramework {
                    id: f.id.clone(),
                    subject: f.subject.clone(),
                })
                .collect(),
        };
        let words: Vec<String> = vocab.into_iter().map(|(w, _)| w).collect();
        super::store::StoreWriter::write(
            &dir.join(super::store::STORE_FILE),
            &super::store::StoreRows {
                nodes: &self.nodes,
                docs: &self.docs,
                vocab: &words,
                df: &df,
                fw_docs: &self.fw_docs,
                fw_nodes: &self.fw_nodes,
                doc_grades: &self.doc_grades,
                emb: vecs.matrix(),
                dims,
            },
        )?;
        std::fs::write(
            dir.join(super::store::STORE_META_FILE),
            serde_json::to_vec(&meta).map_err(std::io::Error::other)?,
        )?;
        // As the build does with the corpus: the rows are freed on a thread of their own.
        let _ = std::thread::Builder::new().spawn(move || drop((self, vecs, words)));
        Ok(())
    }
}
