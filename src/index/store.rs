//! The engine store (`engine.bin` in the index directory): everything the matcher's second stage
//! and the display of results need, computed once by `aligner index` and opened by memory map, so
//! that opening costs the same for 5,000 standards as for 200,000 and a command reads only the rows
//! of the standards it scores or shows.
//!
//! It holds, per indexed node (every node but groupings): its framework, position, kind, grades,
//! code, URI and text, for output without reading the corpus. Per *doc* (an alignable node, the
//! unit of matching): its node, its parent doc (for a sub-standard), per-field term counts and
//! field lengths (BM25F is computed from them at query time, with the weights of the run), its
//! statement's stems in order (phrase evidence), its word pairs, and its embedding. Globally: the
//! stem vocabulary (sorted, with document frequencies), each framework's range of docs, and per
//! framework and grade the docs in scope.
//!
//! Layout: a header (magic, an endianness check, the section table), then little-endian sections,
//! each 8-byte aligned, read in place as `&[u32]`, `&[u64]`, `&[f32]` or bytes. Small metadata
//! (field length means, frameworks' ids and subjects) is in `engine.json` next to it.

use crate::error::{Error, Result};
use crate::model::{Grade, Kind};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const STORE_FILE: &str = "engine.bin";
pub const STORE_META_FILE: &str = "engine.json";

const MAGIC: &[u8; 8] = b"ALGNENG1";
const ENDIAN: u32 = 0x0102_0304;

/// Fields of a doc, in order: statement, sub-standards' statements, cluster headings, domain
/// headings, notes, the names lessons give it.
pub const N_FIELDS: usize = 6;
pub const F_TEXT: usize = 0;
pub const F_CHILDREN: usize = 1;
pub const F_CLUSTER: usize = 2;
pub const F_DOMAIN: usize = 3;
pub const F_NOTES: usize = 4;
pub const F_NAMES: usize = 5;

/// Grade buckets of the scope lists: infant/toddler (-2) to adult-education level E (18).
pub const GRADE_LO: i8 = -2;
pub const GRADE_HI: i8 = 18;
const BUCKETS: usize = (GRADE_HI - GRADE_LO + 1) as usize;

/// "No parent doc".
pub const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
enum Sec {
    NodeFw,
    NodePos,
    NodeKind,
    NodeGradesOff,
    NodeGrades,
    CodeOff,
    Code,
    UriOff,
    Uri,
    TextOff,
    Text,
    DocNode,
    DocParent,
    FwdOff,
    FwdTerm,
    FwdFieldCount,
    FieldLen,
    SeqOff,
    Seq,
    PairsOff,
    Pairs,
    Emb,
    VocabOff,
    Vocab,
    Df,
    FwDocs,
    ScopeOff,
    Scope,
    FwNodes,
    EmbScale,
    /// Per framework, the sum of its docs' embeddings; then per framework and grade bucket.
    EmbSumFw,
    EmbSumBucket,
}
const SECTIONS: usize = Sec::EmbSumBucket as usize + 1;

/// The store's small metadata (`engine.json`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct StoreMeta {
    pub nodes: usize,
    pub docs: usize,
    /// Length of an embedding row: its static part, then its sentence vector.
    pub dims: usize,
    /// Length of a row's static part.
    pub static_dims: usize,
    /// Mean length of each field over the docs.
    pub avg_len: [f32; N_FIELDS],
    /// Mean cosine between two standards' embeddings (a baseline for a scope of one).
    pub emb_mean: f32,
    /// The same for the sentence vectors.
    pub sent_mean: f32,
    pub frameworks: Vec<StoreFramework>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct StoreFramework {
    pub id: String,
    pub subject: String,
}

/// Everything a doc contributes, as the builder collects it.
#[derive(Debug, Default)]
pub struct DocRow {
    pub node: u32,
    pub parent: u32,
    /// (term, field, count), any order.
    pub terms: Vec<(u32, u8, u32)>,
    pub field_len: [u32; N_FIELDS],
    pub seq: Vec<u32>,
    pub pairs: Vec<u64>,
}

/// A node's display row.
#[derive(Debug)]
pub struct NodeRow {
    pub fw: u32,
    pub pos: u32,
    pub kind: Kind,
    pub grades: Vec<Grade>,
    pub code: String,
    pub uri: String,
    pub text: String,
}

/// What the store is written from.
#[derive(Clone, Copy)]
pub struct StoreRows<'a> {
    pub nodes: &'a [NodeRow],
    pub docs: &'a [DocRow],
    /// Sorted; a term's id is its position.
    pub vocab: &'a [String],
    /// Per term, the number of docs that contain it.
    pub df: &'a [u32],
    /// Each framework's first doc, then the number of docs.
    pub fw_docs: &'a [u32],
    /// Each framework's first node, then the number of nodes.
    pub fw_nodes: &'a [u32],
    /// Per doc, its grades.
    pub doc_grades: &'a [Vec<Grade>],
    /// The docs' embeddings, row-major, `dims` per row.
    pub emb: &'a [f32],
    pub dims: usize,
}

/// Builds `engine.bin` in memory.
#[derive(Default)]
pub struct StoreWriter {
    sec: Vec<Vec<u8>>,
}

fn put_u32s(v: &mut Vec<u8>, xs: impl IntoIterator<Item = u32>) {
    let xs = xs.into_iter();
    v.reserve(4 * xs.size_hint().0);
    for x in xs {
        v.extend_from_slice(&x.to_le_bytes());
    }
}

impl StoreWriter {
    /// Lay out the store from the collected rows. `vocab` is sorted and `df` follows it; the docs
    /// are in framework order, and `fw_docs`/`fw_nodes` give each framework's first doc/node.
    pub fn write(path: &Path, rows: &StoreRows) -> std::io::Result<()> {
        let StoreRows {
            nodes,
            docs,
            vocab,
            df,
            fw_docs,
            fw_nodes,
            doc_grades: grades_of_doc,
            emb,
            dims: _,
        } = *rows;
        let mut w = StoreWriter {
            sec: vec![Vec::new(); SECTIONS],
        };
        let s = &mut w.sec;
        put_u32s(&mut s[Sec::NodeFw as usize], nodes.iter().map(|n| n.fw));
        put_u32s(&mut s[Sec::NodePos as usize], nodes.iter().map(|n| n.pos));
        s[Sec::NodeKind as usize] = nodes.iter().map(|n| kind_byte(n.kind)).collect();
        let grades: Vec<Vec<u8>> = nodes.iter().map(|n| grade_bytes(&n.grades)).collect();
        strings(
            s,
            Sec::NodeGradesOff,
            Sec::NodeGrades,
            grades.iter().map(|g| g.as_slice()),
        );
        strings(s, Sec::CodeOff, Sec::Code, nodes.iter().map(|n| n.code.as_bytes()));
        strings(s, Sec::UriOff, Sec::Uri, nodes.iter().map(|n| n.uri.as_bytes()));
        strings(s, Sec::TextOff, Sec::Text, nodes.iter().map(|n| n.text.as_bytes()));
        put_u32s(&mut s[Sec::DocNode as usize], docs.iter().map(|d| d.node));
        put_u32s(&mut s[Sec::DocParent as usize], docs.iter().map(|d| d.parent));
        let mut off = 0u32;
        put_u32s(&mut s[Sec::FwdOff as usize], [0]);
        for d in docs {
            // Sorted by the collector.
            let t = &d.terms;
            off += t.len() as u32;
            put_u32s(&mut s[Sec::FwdOff as usize], [off]);
            put_u32s(&mut s[Sec::FwdTerm as usize], t.iter().map(|x| x.0));
            put_u32s(
                &mut s[Sec::FwdFieldCount as usize],
                t.iter().map(|x| ((x.1 as u32) << 24) | x.2.min(0x00ff_ffff)),
            );
            put_u32s(&mut s[Sec::FieldLen as usize], d.field_len);
        }
        lists(s, Sec::SeqOff, Sec::Seq, docs.iter().map(|d| d.seq.as_slice()));
        let mut off = 0u32;
        put_u32s(&mut s[Sec::PairsOff as usize], [0]);
        for d in docs {
            off += d.pairs.len() as u32;
            put_u32s(&mut s[Sec::PairsOff as usize], [off]);
            for p in &d.pairs {
                s[Sec::Pairs as usize].extend_from_slice(&p.to_le_bytes());
            }
        }
        strings(s, Sec::VocabOff, Sec::Vocab, vocab.iter().map(|v| v.as_bytes()));
        put_u32s(&mut s[Sec::Df as usize], df.iter().copied());
        put_u32s(&mut s[Sec::FwDocs as usize], fw_docs.iter().copied());
        put_u32s(&mut s[Sec::FwNodes as usize], fw_nodes.iter().copied());
        // Scope lists: per framework, per grade bucket, the docs whose grades include it.
        let n_fw = fw_docs.len().saturating_sub(1);
        let mut lists_v: Vec<Vec<u32>> = vec![Vec::new(); n_fw * BUCKETS];
        for f in 0..n_fw {
            for d in fw_docs[f]..fw_docs[f + 1] {
                for g in &grades_of_doc[d as usize] {
                    if (GRADE_LO..=GRADE_HI).contains(&g.0) {
                        let b = (g.0 - GRADE_LO) as usize;
                        let l = &mut lists_v[f * BUCKETS + b];
                        if l.last() != Some(&d) {
                            l.push(d);
                        }
                    }
                }
            }
        }
        lists(s, Sec::ScopeOff, Sec::Scope, lists_v.iter().map(|l| l.as_slice()));
        // Sums of the embeddings, per framework and per scope list: a scope's mean cosine with a
        // unit is the unit's vector times the scope's mean vector.
        let dims = rows.dims;
        let sum = |ds: &mut dyn Iterator<Item = u32>| -> Vec<f32> {
            let mut acc = vec![0f64; dims];
            for d in ds {
                if let Some(row) = emb.get(d as usize * dims..(d as usize + 1) * dims) {
                    for (a, x) in acc.iter_mut().zip(row) {
                        *a += *x as f64;
                    }
                }
            }
            acc.into_iter().map(|x| x as f32).collect()
        };
        for f in 0..n_fw {
            let v = sum(&mut (fw_docs[f]..fw_docs[f + 1]));
            s[Sec::EmbSumFw as usize].extend_from_slice(bytemuck::cast_slice(&v));
        }
        for l in &lists_v {
            let v = sum(&mut l.iter().copied());
            s[Sec::EmbSumBucket as usize].extend_from_slice(bytemuck::cast_slice(&v));
        }
        w.finish(path, emb, rows.dims)
    }

    /// Write the header and the sections; the embeddings quantized to `i8`, a scale per row.
    fn finish(mut self, path: &Path, emb: &[f32], dims: usize) -> std::io::Result<()> {
        use std::io::Write;
        let mut q: Vec<u8> = Vec::with_capacity(emb.len());
        for row in emb.chunks(dims.max(1)) {
            let max = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            q.extend(
                row.iter()
                    .map(|x| ((x / scale).round().clamp(-127.0, 127.0) as i8) as u8),
            );
            self.sec[Sec::EmbScale as usize].extend_from_slice(&scale.to_le_bytes());
        }
        let emb: &[u8] = &q;
        let section = |i: usize| -> &[u8] {
            if i == Sec::Emb as usize {
                emb
            } else {
                &self.sec[i]
            }
        };
        let header_len = 16 + SECTIONS * 16;
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&ENDIAN.to_le_bytes());
        out.extend_from_slice(&(SECTIONS as u32).to_le_bytes());
        let mut off = header_len as u64;
        let mut table = Vec::new();
        for i in 0..SECTIONS {
            off = off.div_ceil(8) * 8;
            table.push((off, section(i).len() as u64));
            off += section(i).len() as u64;
        }
        for (o, l) in &table {
            out.extend_from_slice(&o.to_le_bytes());
            out.extend_from_slice(&l.to_le_bytes());
        }
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        f.write_all(&out)?;
        let mut at = out.len() as u64;
        for (i, (o, l)) in table.iter().enumerate() {
            f.write_all(&vec![0u8; (*o - at) as usize])?;
            f.write_all(section(i))?;
            at = o + l;
        }
        f.flush()
    }
}

fn strings<'a>(s: &mut [Vec<u8>], off: Sec, data: Sec, items: impl Iterator<Item = &'a [u8]>) {
    let mut o = 0u32;
    put_u32s(&mut s[off as usize], [0]);
    for b in items {
        o += b.len() as u32;
        put_u32s(&mut s[off as usize], [o]);
        s[data as usize].extend_from_slice(b);
    }
}

fn lists<'a>(s: &mut [Vec<u8>], off: Sec, data: Sec, items: impl Iterator<Item = &'a [u32]>) {
    let mut o = 0u32;
    put_u32s(&mut s[off as usize], [0]);
    for l in items {
        o += l.len() as u32;
        put_u32s(&mut s[off as usize], [o]);
        s[data as usize].extend_from_slice(bytemuck::cast_slice(l));
    }
}

fn grade_bytes(g: &[Grade]) -> Vec<u8> {
    g.iter().map(|g| g.0 as u8).collect()
}

fn kind_byte(k: Kind) -> u8 {
    Kind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u8
}

/// The opened store: the memory map and the section table.
pub struct Store {
    map: memmap2::Mmap,
    secs: [(usize, usize); SECTIONS],
    pub meta: StoreMeta,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("meta", &self.meta).finish()
    }
}

fn damaged(path: &Path, why: &str) -> Error {
    Error::Index {
        dir: path.parent().unwrap_or(path).to_path_buf(),
        msg: format!("{} is damaged ({why}); run `aligner index --rebuild`", path.display()),
    }
}

impl Store {
    /// Open `engine.bin` and `engine.json` in `dir`. Checks the header and that every section
    /// lies in the file and is aligned; the contents are trusted as written by [`StoreWriter`]
    /// (an index is only ever replaced whole), but every access is bounds-checked all the same.
    pub fn open(dir: &Path) -> Result<Store> {
        let path = dir.join(STORE_FILE);
        let meta_path = dir.join(STORE_META_FILE);
        let meta: StoreMeta = serde_json::from_slice(&std::fs::read(&meta_path).map_err(|e| Error::io(&meta_path, e))?)
            .map_err(|e| damaged(&meta_path, &e.to_string()))?;
        let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        // SAFETY: the index directory is only ever replaced whole (a new directory renamed into
        // place), never written in place, so the mapped file does not change while it is open.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(&path, e))?;
        let b = &map[..];
        if b.len() < 16 || &b[..8] != MAGIC {
            return Err(damaged(&path, "not an engine store"));
        }
        let u32_at = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().expect("4 bytes"));
        if u32_at(8) != ENDIAN {
            return Err(damaged(&path, "written on a machine of other byte order"));
        }
        if u32_at(12) as usize != SECTIONS || b.len() < 16 + SECTIONS * 16 {
            return Err(damaged(&path, "unexpected section table"));
        }
        let mut secs = [(0usize, 0usize); SECTIONS];
        for (i, s) in secs.iter_mut().enumerate() {
            let at = 16 + i * 16;
            let o = u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes")) as usize;
            let l = u64::from_le_bytes(b[at + 8..at + 16].try_into().expect("8 bytes")) as usize;
            if !o.is_multiple_of(8) || o.checked_add(l).is_none_or(|e| e > b.len()) {
                return Err(damaged(&path, "a section lies outside the file"));
            }
            *s = (o, l);
        }
        let st = Store { map, secs, meta };
        if st.u32s(Sec::DocNode).len() != st.meta.docs
            || st.u32s(Sec::NodeFw).len() != st.meta.nodes
            || st.bytes(Sec::Emb).len() != st.meta.docs * st.meta.dims
            || st.f32s(Sec::EmbScale).len() != st.meta.docs
            || st.u32s(Sec::FwDocs).len() != st.meta.frameworks.len() + 1
        {
            return Err(damaged(&path, "its sections disagree with engine.json"));
        }
        Ok(st)
    }

    fn bytes(&self, s: Sec) -> &[u8] {
        let (o, l) = self.secs[s as usize];
        &self.map[o..o + l]
    }

    fn u32s(&self, s: Sec) -> &[u32] {
        bytemuck::cast_slice(trim4(self.bytes(s)))
    }

    fn u64s(&self, s: Sec) -> &[u64] {
        let b = self.bytes(s);
        bytemuck::cast_slice(&b[..b.len() / 8 * 8])
    }

    fn f32s(&self, s: Sec) -> &[f32] {
        bytemuck::cast_slice(trim4(self.bytes(s)))
    }

    /// Item `i` of a list section with its offsets section.
    fn range(&self, off: Sec, i: usize) -> std::ops::Range<usize> {
        let o = self.u32s(off);
        match (o.get(i), o.get(i + 1)) {
            (Some(&a), Some(&b)) if a <= b => a as usize..b as usize,
            _ => 0..0,
        }
    }

    fn str_at(&self, off: Sec, data: Sec, i: usize) -> &str {
        let r = self.range(off, i);
        std::str::from_utf8(self.bytes(data).get(r).unwrap_or(&[])).unwrap_or("")
    }

    pub fn n_docs(&self) -> usize {
        self.meta.docs
    }

    pub fn n_nodes(&self) -> usize {
        self.meta.nodes
    }

    // --- nodes ---

    /// Node number of (framework, position), if that node is indexed.
    pub fn node_of(&self, fw: usize, pos: usize) -> Option<u32> {
        let starts = self.u32s(Sec::FwNodes);
        let (a, b) = (*starts.get(fw)? as usize, *starts.get(fw + 1)? as usize);
        let poss = self.u32s(Sec::NodePos).get(a..b)?;
        poss.binary_search(&(pos as u32)).ok().map(|i| (a + i) as u32)
    }

    pub fn node_fw(&self, n: u32) -> usize {
        self.u32s(Sec::NodeFw).get(n as usize).copied().unwrap_or(0) as usize
    }

    pub fn node_pos(&self, n: u32) -> usize {
        self.u32s(Sec::NodePos).get(n as usize).copied().unwrap_or(0) as usize
    }

    pub fn node_kind(&self, n: u32) -> Kind {
        let k = self.bytes(Sec::NodeKind).get(n as usize).copied().unwrap_or(0);
        Kind::ALL.get(k as usize).copied().unwrap_or(Kind::Standard)
    }

    pub fn node_grades(&self, n: u32) -> Vec<Grade> {
        let r = self.range(Sec::NodeGradesOff, n as usize);
        self.bytes(Sec::NodeGrades)
            .get(r)
            .unwrap_or(&[])
            .iter()
            .map(|&b| Grade(b as i8))
            .collect()
    }

    pub fn node_code(&self, n: u32) -> &str {
        self.str_at(Sec::CodeOff, Sec::Code, n as usize)
    }

    pub fn node_uri(&self, n: u32) -> &str {
        self.str_at(Sec::UriOff, Sec::Uri, n as usize)
    }

    pub fn node_text(&self, n: u32) -> &str {
        self.str_at(Sec::TextOff, Sec::Text, n as usize)
    }

    // --- docs ---

    pub fn doc_node(&self, d: u32) -> u32 {
        self.u32s(Sec::DocNode).get(d as usize).copied().unwrap_or(0)
    }

    /// The doc of (framework, position), if it is an alignable standard.
    pub fn doc_of(&self, fw: usize, pos: usize) -> Option<u32> {
        let n = self.node_of(fw, pos)?;
        let fd = self.u32s(Sec::FwDocs);
        let (a, b) = (*fd.get(fw)? as usize, *fd.get(fw + 1)? as usize);
        let nodes = self.u32s(Sec::DocNode).get(a..b)?;
        nodes.binary_search(&n).ok().map(|i| (a + i) as u32)
    }

    /// The parent standard's doc of a sub-standard.
    pub fn parent_doc(&self, d: u32) -> Option<u32> {
        self.u32s(Sec::DocParent)
            .get(d as usize)
            .copied()
            .filter(|&p| p != NONE)
    }

    /// The doc's terms, sorted, with (field, count) of each occurrence field.
    pub fn fwd(&self, d: u32) -> (&[u32], &[u32]) {
        let r = self.range(Sec::FwdOff, d as usize);
        (
            self.u32s(Sec::FwdTerm).get(r.clone()).unwrap_or(&[]),
            self.u32s(Sec::FwdFieldCount).get(r).unwrap_or(&[]),
        )
    }

    /// Does the doc contain the term in any field?
    pub fn has_term(&self, d: u32, t: u32) -> bool {
        self.fwd(d).0.binary_search(&t).is_ok()
    }

    pub fn field_len(&self, d: u32) -> [u32; N_FIELDS] {
        let l = self.u32s(Sec::FieldLen);
        let at = d as usize * N_FIELDS;
        let mut out = [0; N_FIELDS];
        if let Some(s) = l.get(at..at + N_FIELDS) {
            out.copy_from_slice(s);
        }
        out
    }

    /// The doc's statement stems in order.
    pub fn seq(&self, d: u32) -> &[u32] {
        let r = self.range(Sec::SeqOff, d as usize);
        self.u32s(Sec::Seq).get(r).unwrap_or(&[])
    }

    /// The doc's adjacent word pairs, sorted.
    pub fn pairs(&self, d: u32) -> &[u64] {
        let r = self.range(Sec::PairsOff, d as usize);
        self.u64s(Sec::Pairs).get(r).unwrap_or(&[])
    }

    /// Cosine of doc `d`'s embedding (stored as `i8` with a scale per row) with a unit vector, over
    /// the unit vector's length (the fast path's vector is a row's static part alone).
    pub fn cos(&self, d: u32, q: &[f32]) -> f32 {
        let k = self.meta.dims;
        let n = q.len().min(k);
        let at = d as usize * k;
        let (Some(row), Some(&scale)) = (
            self.bytes(Sec::Emb).get(at..at + n),
            self.f32s(Sec::EmbScale).get(d as usize),
        ) else {
            return 0.0;
        };
        // Eight partial sums: the loop vectorizes.
        let mut acc = [0f32; 8];
        for (x, y) in row.chunks_exact(8).zip(q.chunks_exact(8)) {
            for i in 0..8 {
                acc[i] += (x[i] as i8) as f32 * y[i];
            }
        }
        let mut s: f32 = acc.iter().sum();
        let tail = n / 8 * 8;
        for (x, y) in row[tail..].iter().zip(&q[tail..n]) {
            s += (*x as i8) as f32 * y;
        }
        s * scale
    }

    /// The mean cosine of a unit vector with the docs of framework `fw` (all of them when
    /// `grade` is `None`, else those of that grade), from the stored sums: exact, and one dot
    /// product whatever the number of docs. `None` when the set is empty.
    pub fn mean_cos(&self, fws: &[usize], grade: Option<Grade>, q: &[f32]) -> Option<f32> {
        let k = self.meta.dims;
        let mut acc = vec![0f32; k];
        let mut n = 0usize;
        for &f in fws {
            let (sec, at, count) = match grade {
                None => (Sec::EmbSumFw, f, self.fw_docs(f).len()),
                Some(g) if (GRADE_LO..=GRADE_HI).contains(&g.0) => {
                    let b = f * BUCKETS + (g.0 - GRADE_LO) as usize;
                    (Sec::EmbSumBucket, b, self.range(Sec::ScopeOff, b).len())
                }
                Some(_) => continue,
            };
            let row = self.f32s(sec).get(at * k..(at + 1) * k)?;
            for (a, x) in acc.iter_mut().zip(row) {
                *a += x;
            }
            n += count;
        }
        (n > 0).then(|| crate::align::semantic::dot(&acc, q) / n as f32)
    }

    // --- vocabulary ---

    pub fn vocab_len(&self) -> usize {
        self.u32s(Sec::Df).len()
    }

    /// The term id of a stem.
    pub fn term(&self, stem: &str) -> Option<u32> {
        let n = self.vocab_len();
        let (mut lo, mut hi) = (0usize, n);
        let key = stem.as_bytes();
        while lo < hi {
            let mid = (lo + hi) / 2;
            let r = self.range(Sec::VocabOff, mid);
            let w = self.bytes(Sec::Vocab).get(r).unwrap_or(&[]);
            match w.cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    pub fn stem(&self, t: u32) -> &str {
        self.str_at(Sec::VocabOff, Sec::Vocab, t as usize)
    }

    /// BM25 idf of a term over the docs.
    pub fn idf(&self, t: u32) -> f32 {
        let n = self.meta.docs.max(1) as f32;
        let df = self.u32s(Sec::Df).get(t as usize).copied().unwrap_or(0) as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    // --- scope ---

    /// The docs of framework `fw`.
    pub fn fw_docs(&self, fw: usize) -> std::ops::Range<u32> {
        let fd = self.u32s(Sec::FwDocs);
        match (fd.get(fw), fd.get(fw + 1)) {
            (Some(&a), Some(&b)) if a <= b => a..b,
            _ => 0..0,
        }
    }

    /// The docs of framework `fw` with a grade in `lo..=hi`, ascending, each once.
    pub fn docs_in_grades(&self, fw: usize, lo: Grade, hi: Grade) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let (lo, hi) = (lo.0.max(GRADE_LO), hi.0.min(GRADE_HI));
        let mut buckets = 0;
        for g in lo..=hi {
            let b = fw * BUCKETS + (g - GRADE_LO) as usize;
            let r = self.range(Sec::ScopeOff, b);
            out.extend_from_slice(self.u32s(Sec::Scope).get(r).unwrap_or(&[]));
            buckets += 1;
        }
        if buckets > 1 {
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

fn trim4(b: &[u8]) -> &[u8] {
    &b[..b.len() / 4 * 4]
}
