//! Standards readers: one module per published format, and detection of the format from content.
//!
//! Every reader turns one file into a [`Framework`]: nodes in document order (parents before
//! children), each with the publisher's identity in `uri`, text cleaned with [`crate::text::clean`],
//! grades sorted and deduplicated, and children lists built by [`Framework::link_children`].
//! Malformed input is an [`Error::Input`] naming the file and the line (CSV, XML, JSON syntax) or
//! the JSON path (`$[0].children[3].text`) of the problem; readers never panic on input.
//!
//! | format | module | detected by |
//! |---|---|---|
//! | [`Format::AsnJson`] | [`asn_json`] | JSON array of nodes with `children` / `asn_*` keys |
//! | [`Format::AsnXml`] | [`asn_xml`] | XML with an `rdf:RDF` root |
//! | [`Format::AsnRdfJson`] | [`asn_rdf_json`] | JSON object of URI -> `http://purl.org/...` properties |
//! | [`Format::Case`] | [`case`] | JSON object with `CFDocument` / `CFItems` |
//! | [`Format::Opensalt`] | [`opensalt_csv`] | CSV header with `smartLevel` |
//! | [`Format::Csv`] | [`csv`] | CSV header with `code` and `text` (or an alias) |

pub mod asn_json;
pub mod asn_rdf_json;
pub mod asn_xml;
pub mod case;
pub mod csv;
pub mod opensalt_csv;

use crate::error::{Error, Location, Result};
use crate::model::{Framework, Grade, Kind};
use serde_json::{Map, Value};
use std::path::Path;

/// The formats standards are published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ASN JSON tree (nested `children`), e.g. CCSS from ASN.
    AsnJson,
    /// ASN RDF/XML, e.g. NGSS.
    AsnXml,
    /// ASN RDF/JSON (flat object of URI -> properties), e.g. state sets.
    AsnRdfJson,
    /// 1EdTech CASE JSON package (CFDocument / CFItems / CFAssociations).
    Case,
    /// OpenSALT spreadsheet CSV export (hierarchy from `smartLevel`).
    Opensalt,
    /// Plain CSV of a district's own standards.
    Csv,
}

impl Format {
    /// Every format, in the order of [`Format`].
    pub const ALL: [Format; 6] = [
        Format::AsnJson,
        Format::AsnXml,
        Format::AsnRdfJson,
        Format::Case,
        Format::Opensalt,
        Format::Csv,
    ];

    /// The format's identifier, as `--format` takes it and an index records it: `asn-json`,
    /// `asn-xml`, `asn-rdf-json`, `case`, `opensalt`, `csv`.
    pub fn id(self) -> &'static str {
        match self {
            Format::AsnJson => "asn-json",
            Format::AsnXml => "asn-xml",
            Format::AsnRdfJson => "asn-rdf-json",
            Format::Case => "case",
            Format::Opensalt => "opensalt",
            Format::Csv => "csv",
        }
    }

    /// The format of an [`id`](Format::id), in any case.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id().eq_ignore_ascii_case(id))
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::AsnJson => "ASN JSON",
            Format::AsnXml => "ASN RDF/XML",
            Format::AsnRdfJson => "ASN RDF/JSON",
            Format::Case => "CASE JSON",
            Format::Opensalt => "OpenSALT CSV",
            Format::Csv => "standards CSV",
        }
    }
}

/// Read one framework file, detecting its format unless `format` is given.
pub fn read_framework(path: &Path, format: Option<Format>) -> Result<Framework> {
    let text = crate::error::read_text(path)?;
    read_framework_str(path, &text, format)
}

/// Read a framework from text already in memory (shipped data, stdin). `path` names the input in
/// messages and in [`Framework::source`].
pub fn read_framework_str(path: &Path, text: &str, format: Option<Format>) -> Result<Framework> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::input(Location::file(path), "file is empty"));
    }
    let format = match format {
        Some(f) => f,
        None => detect(path, text)?,
    };
    match format {
        Format::AsnJson => asn_json::read(path, text),
        Format::AsnXml => asn_xml::read(path, text),
        Format::AsnRdfJson => asn_rdf_json::read(path, text),
        Format::Case => case::read(path, text),
        Format::Opensalt => opensalt_csv::read(path, text),
        Format::Csv => csv::read(path, text),
    }
}

/// Tell the format of a standards file from its content.
pub fn detect(path: &Path, text: &str) -> Result<Format> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    let fail = |msg: &str| Err(Error::input(Location::file(path), msg.to_string()));
    if t.is_empty() {
        return fail("file is empty");
    }
    // Keys and URIs are looked for near the start: the first nodes say what the file is.
    let head = prefix(t, 64 * 1024);
    match t.as_bytes().first().copied().unwrap_or(b' ') {
        b'<' => {
            if t.contains("<rdf:RDF") || t.contains(":RDF ") || t.contains("<RDF") {
                Ok(Format::AsnXml)
            } else {
                fail("XML, but not ASN RDF/XML (no rdf:RDF element); use --format to force one")
            }
        }
        b'[' => {
            if head.contains("\"children\"") || head.contains("\"asn_") {
                Ok(Format::AsnJson)
            } else {
                fail("a JSON array, but not an ASN JSON tree (no `children` or `asn_statementNotation` keys)")
            }
        }
        b'{' => {
            if t.contains("\"CFDocument\"") || t.contains("\"CFItems\"") {
                Ok(Format::Case)
            } else if head.contains("\"http://purl.org/") {
                Ok(Format::AsnRdfJson)
            } else {
                fail("a JSON object, but neither a CASE package (CFDocument/CFItems) nor ASN RDF/JSON (http://purl.org/ properties)")
            }
        }
        _ => {
            let header = csv_header(t);
            let has = |name: &str| header.iter().any(|h| h == name);
            if has("smartlevel") {
                Ok(Format::Opensalt)
            } else if has("code") || (header.len() > 1 && (has("text") || has("description") || has("statement"))) {
                // The reader names a missing column.
                Ok(Format::Csv)
            } else {
                fail("cannot tell the format: not JSON, not XML, and not a CSV with a `smartLevel` column or `code` and `text` columns")
            }
        }
    }
}

fn prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

/// The lower-cased, trimmed fields of a CSV's first record.
fn csv_header(text: &str) -> Vec<String> {
    let delim = crate::ingest::csv_guard::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    match rdr.records().next() {
        Some(Ok(rec)) => rec.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Notices

/// The CCSS copyright notice that must accompany CCSS text.
pub const CCSS_NOTICE: &str = "© Copyright 2010. National Governors Association Center for Best Practices and Council of Chief State School Officers. All rights reserved.";

/// Attribution for data from the Achievement Standards Network.
pub const ASN_NOTICE: &str = "Data from the Achievement Standards Network (ASN), © JES & Co., licensed under Creative Commons Attribution 3.0 United States (CC BY 3.0 US, http://creativecommons.org/licenses/by/3.0/us/). Attribution: JES & Co.";

/// The NGSS copyright and trademark notice.
pub const NGSS_NOTICE: &str = "© Copyright 2013 Achieve, Inc. All rights reserved. NGSS (Next Generation Science Standards) is a registered trademark of Achieve. Neither Achieve nor the lead states and partners that developed the Next Generation Science Standards were involved in the production of, and do not endorse, this product.";

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// A short id: lower case ASCII letters and digits, runs of anything else as one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// CCSS dot-notation prefixes that ASN and CASE put before the code.
const CCSS_PREFIXES: &[&str] = &["CCSS.Math.Content.", "CCSS.Math.Practice.", "CCSS.ELA-Literacy."];

/// `CCSS.Math.Content.4.NF.B.3` -> `4.NF.B.3`; `None` when the code has no CCSS prefix.
pub fn strip_ccss_prefix(code: &str) -> Option<&str> {
    CCSS_PREFIXES
        .iter()
        .find_map(|p| code.strip_prefix(p))
        .filter(|rest| !rest.is_empty())
}

/// Code and alternative spellings for a published code: the CCSS prefix removed when there is one,
/// the original kept in the alternatives.
pub(crate) fn split_code(raw: &str) -> (String, Vec<String>) {
    let raw = raw.trim();
    match strip_ccss_prefix(raw) {
        Some(short) => (short.to_string(), vec![raw.to_string()]),
        None => (raw.to_string(), Vec::new()),
    }
}

/// True for CCSS practice / anchor codes (after the prefix is removed): `MP1`, `CCRA.R.1`.
pub(crate) fn is_practice_code(code: &str) -> bool {
    code.starts_with("CCRA.")
        || code
            .strip_prefix("MP")
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// One grade from an ASN education level: a label in the vocabulary of [`Grade::parse`] (`K`,
/// `Pre-K`, `09`, `Grade 4`), or an education-level URI, whose last segment is the label
/// (`.../ASNEducationLevel/K`).
pub fn grade_from_label(label: &str) -> Option<Grade> {
    let l = label.trim();
    Grade::parse(l.rsplit('/').next().unwrap_or(l))
}

/// Map a publisher's kind label to a [`Kind`]. `None` for labels aligner does not know.
pub fn kind_from_label(label: &str) -> Option<Kind> {
    let l = label.trim().to_ascii_lowercase();
    Some(match l.as_str() {
        "domain" | "conceptual category" => Kind::Domain,
        "cluster" => Kind::Cluster,
        "standard" | "content standard" | "indicator" | "objective" | "benchmark" | "expectation"
        | "learning target" => Kind::Standard,
        "component" | "substandard" | "sub-standard" => Kind::Component,
        "grade level" | "grade" | "grade band" => Kind::Grade,
        "strand" | "category" | "section" | "grouping" | "subject" | "course" => Kind::Grouping,
        "topic" | "disciplinary core idea" => Kind::Topic,
        "performance expectation" => Kind::PerformanceExpectation,
        "element" | "supporting element" => Kind::Element,
        "practice" | "standard for mathematical practice" | "anchor standard" => Kind::Practice,
        _ => return None,
    })
}

/// Note kind for a publisher's comment: `example` when it starts like one ("For example",
/// "Example:", "e.g."), else `comment`.
pub(crate) fn note_kind(text: &str) -> &'static str {
    let lower = text.trim_start().to_ascii_lowercase();
    if lower.starts_with("for example") || lower.starts_with("example") || lower.starts_with("e.g.") {
        "example"
    } else {
        "comment"
    }
}

/// Kinds for nodes whose publisher gave none (`fixed[i]` false), from the shape of the tree:
/// top-level nodes with children are [`Kind::Grouping`]; a node with a parent, a code and only
/// leaf children is a [`Kind::Standard`] (its children [`Kind::Component`]s); other nodes with
/// children are [`Kind::Domain`] at depth 1 and [`Kind::Cluster`] deeper; leaves are
/// [`Kind::Standard`] unless their parent is a standard. Parents must come before children.
pub(crate) fn infer_kinds(standards: &mut [crate::model::Standard], fixed: &[bool]) {
    let n = standards.len();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut depth = vec![0usize; n];
    for (i, s) in standards.iter().enumerate() {
        if let Some(p) = s.parent {
            if let Some(k) = kids.get_mut(p) {
                k.push(i);
            }
            let d = depth.get(p).map_or(1, |d| d + 1);
            if let Some(slot) = depth.get_mut(i) {
                *slot = d;
            }
        }
    }
    let leaf = |c: usize| kids.get(c).is_none_or(Vec::is_empty);
    // Kinds are set in document order: a node's parent has its kind when the node is looked at.
    for (i, (own_kids, &d)) in kids.iter().zip(&depth).enumerate() {
        if fixed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Some(s) = standards.get(i) else { break };
        let kind = if !own_kids.is_empty() {
            if d == 0 {
                Kind::Grouping
            } else if s.code.is_some() && own_kids.iter().all(|&c| leaf(c)) {
                Kind::Standard
            } else if d == 1 {
                Kind::Domain
            } else {
                Kind::Cluster
            }
        } else {
            match s.parent.and_then(|p| standards.get(p)) {
                Some(p) if p.kind == Kind::Standard => Kind::Component,
                _ => Kind::Standard,
            }
        };
        if let Some(s) = standards.get_mut(i) {
            s.kind = kind;
        }
    }
}

/// Final checks shared by all readers: every node has a uri, parents come before children, grades
/// are sorted and deduplicated; then children lists are built.
pub(crate) fn finish(path: &Path, mut fw: Framework) -> Result<Framework> {
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, s) in fw.standards.iter_mut().enumerate() {
        if s.uri.trim().is_empty() {
            return Err(Error::input(
                Location::file(path),
                format!(
                    "node {} ({}) has no identifier",
                    i + 1,
                    s.code.as_deref().unwrap_or(&s.text)
                ),
            ));
        }
        if !seen.insert(s.uri.clone()) {
            return Err(Error::input(
                Location::file(path),
                format!("identifier {} is used by more than one node", s.uri),
            ));
        }
        if let Some(p) = s.parent {
            if p >= i {
                return Err(Error::input(
                    Location::file(path),
                    format!("node {} is listed before its parent", s.uri),
                ));
            }
        }
        s.grades.sort();
        s.grades.dedup();
        if let Some(c) = &s.code {
            s.alt_codes.retain(|a| a != c);
        }
        let mut seen_alt = rustc_hash::FxHashSet::default();
        s.alt_codes.retain(|a| !a.is_empty() && seen_alt.insert(a.clone()));
    }
    if fw.standards.is_empty() {
        return Err(Error::input(Location::file(path), "no standards in the file"));
    }
    // A code that names two nodes: a claim of it resolves to both. Said, not refused (the CSV
    // reader refuses it, as its codes are the only identifiers).
    let mut by_code: rustc_hash::FxHashMap<&str, Vec<&str>> = Default::default();
    for s in &fw.standards {
        if let Some(c) = s.code.as_deref() {
            by_code.entry(c).or_default().push(&s.uri);
        }
    }
    let mut dups: Vec<(&str, Vec<&str>)> = by_code.into_iter().filter(|(_, v)| v.len() > 1).collect();
    dups.sort();
    let dup_warnings: Vec<String> = dups
        .iter()
        .map(|(c, uris)| {
            format!(
                "{}: code {c} is used by {} nodes ({}); a claim of {c} names all of them",
                path.display(),
                uris.len(),
                uris.join(", ")
            )
        })
        .collect();
    fw.warnings.extend(dup_warnings);
    fw.link_children();
    Ok(fw)
}

// ---------------------------------------------------------------------------------------------
// JSON helpers: serde_json errors with line numbers, typed access with JSON paths.

/// Parse JSON text; syntax errors name the file and line.
pub(crate) fn parse_json(path: &Path, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; the line goes into the location.
        let msg = match msg.rfind(" at line ") {
            _ if msg.starts_with("recursion limit exceeded") => format!(
                "the JSON is nested more than 127 arrays and objects deep (column {}); aligner reads up to 127 (an ASN tree about 63 levels deep)",
                e.column()
            ),
            Some(i) => format!("invalid JSON: {} (column {})", msg.get(..i).unwrap_or(&msg), e.column()),
            None => format!("invalid JSON: {msg}"),
        };
        Error::input(Location::line(path, e.line() as u64), msg)
    })
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Typed access to JSON values that reports the JSON path of a wrong type or a missing field.
pub(crate) struct Json<'a> {
    pub path: &'a Path,
}

impl<'a> Json<'a> {
    pub fn err(&self, ptr: &str, msg: impl Into<String>) -> Error {
        Error::input(Location::pointer(self.path, ptr), msg)
    }

    pub fn wrong(&self, ptr: &str, expected: &str, v: &Value) -> Error {
        self.err(ptr, format!("expected {expected}, found {}", json_type(v)))
    }

    pub fn object<'v>(&self, v: &'v Value, ptr: &str) -> Result<&'v Map<String, Value>> {
        v.as_object().ok_or_else(|| self.wrong(ptr, "an object", v))
    }

    pub fn array<'v>(&self, v: &'v Value, ptr: &str) -> Result<&'v Vec<Value>> {
        v.as_array().ok_or_else(|| self.wrong(ptr, "an array", v))
    }

    /// An optional string field; null counts as absent.
    pub fn opt_str<'v>(&self, obj: &'v Map<String, Value>, key: &str, ptr: &str) -> Result<Option<&'v str>> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong(&format!("{ptr}.{key}"), "a string", v)),
        }
    }

    /// A required string field.
    pub fn req_str<'v>(&self, obj: &'v Map<String, Value>, key: &str, ptr: &str) -> Result<&'v str> {
        self.opt_str(obj, key, ptr)?
            .ok_or_else(|| self.err(ptr, format!("missing required field `{key}`")))
    }

    /// An optional array field; null counts as absent.
    pub fn opt_array<'v>(&self, obj: &'v Map<String, Value>, key: &str, ptr: &str) -> Result<Option<&'v Vec<Value>>> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(self.wrong(&format!("{ptr}.{key}"), "an array", v)),
        }
    }

    /// A field that may be one value or an array of values (ASN does both): the values with their
    /// paths.
    pub fn one_or_many<'v>(&self, obj: &'v Map<String, Value>, key: &str, ptr: &str) -> Vec<(&'v Value, String)> {
        match obj.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (v, format!("{ptr}.{key}[{i}]")))
                .collect(),
            Some(v) => vec![(v, format!("{ptr}.{key}"))],
        }
    }
}

/// Document order for a hierarchy given as child lists and parent links: a depth-first walk from
/// `roots` in the publisher's child order, where a node linked to its parent only by
/// `parent_hint` (`isChildOf` without the matching `hasChild`) is a child too, after the listed
/// ones; then any node not reached (a parent cycle that no root leads into), from the highest
/// unplaced node above it. Every node appears exactly once, after its parent, whatever the order
/// of parents and children in the file; cycles and repeated children are cut (see
/// [`parent_cycles`] to report them). Linear in the number of nodes and links. Returns
/// `(node, parent)` pairs.
pub(crate) fn tree_order(
    roots: &[usize],
    children: &[Vec<usize>],
    parent_hint: &[Option<usize>],
) -> Vec<(usize, Option<usize>)> {
    let n = children.len();
    let mut hinted: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (c, p) in parent_hint.iter().enumerate() {
        if let Some(p) = *p {
            if p < n && p != c {
                if let Some(list) = hinted.get_mut(p) {
                    list.push(c);
                }
            }
        }
    }
    let mut placed = vec![false; n];
    let mut out = Vec::with_capacity(n);
    let walk = |start: usize, parent: Option<usize>, placed: &mut [bool], out: &mut Vec<(usize, Option<usize>)>| {
        let mut stack = vec![(start, parent)];
        while let Some((node, parent)) = stack.pop() {
            let Some(slot) = placed.get_mut(node).filter(|done| !**done) else {
                continue;
            };
            *slot = true;
            out.push((node, parent));
            let listed = children.get(node).map(Vec::as_slice).unwrap_or(&[]);
            let hint = hinted.get(node).map(Vec::as_slice).unwrap_or(&[]);
            for &c in listed.iter().chain(hint).rev() {
                if !placed.get(c).copied().unwrap_or(true) {
                    stack.push((c, Some(node)));
                }
            }
        }
    };
    for &r in roots {
        walk(r, None, &mut placed, &mut out);
    }
    // Nodes no root leads to: climb to the highest unplaced node above (stopping where the climb
    // meets itself, in a cycle) and walk from there, so a detached subtree keeps its shape.
    // `placed` and `climbed` have a slot per node: `get` is `None` exactly for `p >= n`.
    let mut climbed = vec![usize::MAX; n];
    for i in 0..n {
        if placed.get(i).copied().unwrap_or(true) {
            continue;
        }
        let mut top = i;
        if let Some(c) = climbed.get_mut(top) {
            *c = i;
        }
        while let Some(p) = parent_hint.get(top).copied().flatten() {
            // Out of range counts as placed: the climb stops.
            if placed.get(p).copied().unwrap_or(true) || climbed.get(p) == Some(&i) {
                break;
            }
            if let Some(c) = climbed.get_mut(p) {
                *c = i;
            }
            top = p;
        }
        let parent = parent_hint
            .get(top)
            .copied()
            .flatten()
            .filter(|&p| placed.get(p).copied().unwrap_or(false));
        walk(top, parent, &mut placed, &mut out);
    }
    debug_assert_eq!(out.len(), n, "tree_order places every node once");
    out
}

/// The cycles of parent links (`parent_hint[i]` is `i`'s parent): each as its nodes in link
/// order, starting from the lowest index. A self-parent is a cycle of one. Linear time.
pub(crate) fn parent_cycles(parent_hint: &[Option<usize>]) -> Vec<Vec<usize>> {
    let n = parent_hint.len();
    // 0: not seen; k + 1: seen in the walk that started at node k.
    let mut seen = vec![0usize; n];
    let mut cycles = Vec::new();
    // `seen` has a slot per node: `seen.get(p)` is `None` exactly for `p >= n`.
    let parent_of = |x: usize| parent_hint.get(x).copied().flatten();
    for start in 0..n {
        if seen.get(start) != Some(&0) {
            continue;
        }
        let mut x = start;
        loop {
            if let Some(s) = seen.get_mut(x) {
                *s = start + 1;
            }
            match parent_of(x) {
                Some(p) if seen.get(p) == Some(&0) => x = p,
                Some(p) if seen.get(p) == Some(&(start + 1)) => {
                    // p is on this walk's path: the cycle runs from p back to p.
                    let mut cyc = vec![p];
                    let mut y = parent_of(p).unwrap_or(p);
                    while y != p {
                        cyc.push(y);
                        y = parent_of(y).unwrap_or(p);
                    }
                    let low = cyc.iter().enumerate().min_by_key(|(_, &v)| v).map_or(0, |(k, _)| k);
                    cyc.rotate_left(low);
                    cycles.push(cyc);
                    break;
                }
                _ => break,
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("DC english"), "dc-english");
        assert_eq!(slug("  What Standards Could Be! "), "what-standards-could-be");
        assert_eq!(slug("ccsso_ela_item"), "ccsso-ela-item");
    }

    #[test]
    fn grade_labels_and_uris() {
        assert_eq!(grade_from_label("K"), Some(Grade::K));
        assert_eq!(
            grade_from_label("http://purl.org/ASN/scheme/ASNEducationLevel/K"),
            Some(Grade::K)
        );
        assert_eq!(grade_from_label(".../ASNEducationLevel/09"), Some(Grade(9)));
        assert_eq!(grade_from_label(".../ASNEducationLevel/Pre-K"), Some(Grade::PK));
        assert_eq!(grade_from_label("higher education"), Some(Grade::ADULT));
        assert_eq!(grade_from_label(".../ASNEducationLevel/X"), None);
    }

    #[test]
    fn ccss_prefixes() {
        assert_eq!(strip_ccss_prefix("CCSS.Math.Content.4.NF.B.3"), Some("4.NF.B.3"));
        assert_eq!(strip_ccss_prefix("CCSS.ELA-Literacy.RL.K.1"), Some("RL.K.1"));
        assert_eq!(strip_ccss_prefix("CCSS.Math.Practice.MP1"), Some("MP1"));
        assert_eq!(strip_ccss_prefix("4.NF.3"), None);
        assert!(is_practice_code("MP1") && is_practice_code("CCRA.R.1") && !is_practice_code("MD.1"));
    }

    #[test]
    fn detects_formats() {
        let p = Path::new("x");
        assert_eq!(detect(p, "[{\"id\":\"a\",\"children\":[]}]").unwrap(), Format::AsnJson);
        assert_eq!(detect(p, "{\"CFDocument\":{}}").unwrap(), Format::Case);
        assert_eq!(
            detect(p, "{\"http://x\":{\"http://purl.org/dc/terms/description\":[]}}").unwrap(),
            Format::AsnRdfJson
        );
        assert_eq!(
            detect(p, "<?xml version=\"1.0\"?><rdf:RDF></rdf:RDF>").unwrap(),
            Format::AsnXml
        );
        assert_eq!(
            detect(p, "identifier,smartLevel,fullStatement\n").unwrap(),
            Format::Opensalt
        );
        assert_eq!(detect(p, "Code,Description,Grade\n").unwrap(), Format::Csv);
        let e = detect(Path::new("odd.txt"), "hello world").unwrap_err().to_string();
        assert!(e.contains("odd.txt"), "{e}");
    }

    #[test]
    fn format_ids_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_id(f.id()), Some(f));
            assert_eq!(Format::from_id(&f.id().to_ascii_uppercase()), Some(f));
        }
        assert_eq!(Format::from_id("asn_json"), None);
    }
}
