//! ASN RDF/XML, as ASN exports NGSS: an `rdf:RDF` root holding one `asn:StandardDocument` and flat
//! `asn:Statement` elements linked by `gemq:hasChild` / `gemq:isChildOf` (rdf:resource URIs).
//!
//! Per statement: identity `rdf:about`; code `asn:statementNotation` as given (`MS-PS1-1`); text
//! `dcterms:description`; grades from `dcterms:educationLevel`; kind from `asn:statementLabel`
//! ("Performance Expectation", "Disciplinary Core Idea" -> [`Kind::Topic`]).
//!
//! NGSS specifics, decided from the 2013 export:
//! - Children follow the publisher's `gemq:hasChild` order.
//! - The 61 intermediate "Students who demonstrate understanding can:" nodes are dropped; their
//!   expectations hang directly under the topic.
//! - `HS-PS2-1` is labelled "Benchmark" in the export (an ASN slip); in an NGSS document a Benchmark
//!   is read as a [`Kind::PerformanceExpectation`], its label kept.
//! - The supporting elements (practices, core ideas, crosscutting concepts) are unlabeled leaves
//!   under the three headings "Science and Engineering Practices", "Disciplinary Core Ideas",
//!   "Crosscutting Concepts"; they are [`Kind::Element`] and stay there. Many elements support
//!   several expectations (one is shared by 12), so they cannot be children of "their" expectation;
//!   each expectation instead lists them as `comprisedOf` associations, in the publisher's order.
//!   Unlabeled nodes with children (those headings and their sub-headings) are
//!   [`Kind::Grouping`].
//! - `asn:comment` text becomes notes: "Clarification Statement: ..." -> `clarification`,
//!   "Assessment Boundary: ..." -> `assessment_boundary` (a comment holding both, bracketed, is
//!   split; the export's misspellings "larification"/"Clarifcation" are recognised); anything else
//!   `comment`.
//! - `asn:alignTo` links (to corestandards.org URIs) are associations of kind `alignTo`; an exact
//!   duplicate on the same statement is kept once.
//!
//! XML errors name the file and the line.

use super::{finish, grade_from_label, tree_order};
use crate::error::{Error, Location, Result};
use crate::model::{Association, Framework, Kind, Note, Standard};
use crate::text::clean;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One `rdf:about` resource: its element name and its properties in file order.
struct Resource {
    elem: String,
    about: String,
    line: u64,
    props: Vec<(String, String)>,
}

impl Resource {
    fn first(&self, name: &str) -> Option<&str> {
        self.props.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.props
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Line numbers from byte offsets, counted incrementally.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
}

impl Lines<'_> {
    fn at(&mut self, pos: u64) -> u64 {
        let pos = (pos as usize).min(self.text.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        // self.pos <= pos <= text.len(): the range is always there.
        self.line += self
            .text
            .as_bytes()
            .get(self.pos..pos)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.pos = pos;
        self.line
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attr(path: &Path, e: &BytesStart, want: &str, line: u64) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a.map_err(|err| Error::input(Location::line(path, line), format!("invalid XML attribute: {err}")))?;
        if local(a.key.as_ref()) == want {
            let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|err| {
                Error::input(
                    Location::line(path, line),
                    format!("invalid XML attribute value: {err}"),
                )
            })?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

fn entity(name: &str) -> Option<String> {
    if name.starts_with('#') {
        return quick_xml::events::BytesRef::new(name)
            .resolve_char_ref()
            .ok()
            .flatten()
            .map(String::from);
    }
    Some(
        match name {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => return None,
        }
        .to_string(),
    )
}

/// Parse the RDF/XML into resources (children of the root that carry `rdf:about`).
fn parse(path: &Path, text: &str) -> Result<Vec<Resource>> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut lines = Lines { text, pos: 0, line: 1 };
    let mut out: Vec<Resource> = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut cur: Option<Resource> = None;
    let mut prop: Option<(String, String)> = None;
    let mut saw_root = false;
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let line = lines.at(reader.error_position());
                return Err(Error::input(Location::line(path, line), format!("invalid XML: {e}")));
            }
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(ev, Event::Empty(_));
                let line = lines.at(reader.buffer_position());
                let name = e.name().as_ref().to_string();
                let depth = open.len();
                if depth == 0 {
                    if local(&name) != "RDF" {
                        return Err(Error::input(
                            Location::line(path, line),
                            format!("expected an rdf:RDF root element, found <{name}>"),
                        ));
                    }
                    saw_root = true;
                } else if depth == 1 {
                    let about = attr(path, e, "about", line)?.unwrap_or_default();
                    cur = Some(Resource {
                        elem: local(&name).to_string(),
                        about,
                        line,
                        props: Vec::new(),
                    });
                    if is_empty {
                        out.extend(cur.take());
                    }
                } else if depth == 2 {
                    let pname = local(&name).to_string();
                    match attr(path, e, "resource", line)? {
                        Some(r) => {
                            if let Some(c) = cur.as_mut() {
                                c.props.push((pname, r));
                            }
                        }
                        None if !is_empty => prop = Some((pname, String::new())),
                        None => {}
                    }
                }
                if !is_empty {
                    open.push(name);
                }
            }
            Event::End(_) => {
                open.pop();
                match open.len() {
                    2 => {
                        if let (Some((n, v)), Some(c)) = (prop.take(), cur.as_mut()) {
                            c.props.push((n, v));
                        }
                    }
                    1 => {
                        prop = None;
                        out.extend(cur.take());
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, v)) = prop.as_mut() {
                    v.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, v)) = prop.as_mut() {
                    v.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                let line = lines.at(reader.buffer_position());
                let name: &str = &r;
                match entity(name) {
                    Some(s) => {
                        if let Some((_, v)) = prop.as_mut() {
                            v.push_str(&s);
                        }
                    }
                    None => {
                        return Err(Error::input(
                            Location::line(path, line),
                            format!("invalid XML: unknown entity &{name};"),
                        ))
                    }
                }
            }
            Event::Eof => {
                if let Some(name) = open.last() {
                    let line = lines.at(text.len() as u64);
                    return Err(Error::input(
                        Location::line(path, line),
                        format!("invalid XML: unexpected end of file, <{name}> is not closed"),
                    ));
                }
                if !saw_root {
                    return Err(Error::input(
                        Location::file(path),
                        "invalid XML: no rdf:RDF root element",
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Split an `asn:comment` into notes.
pub(crate) fn comment_notes(raw: &str) -> Vec<Note> {
    let t = clean(raw);
    let mut parts: Vec<(&str, &str)> = Vec::new();
    match t.split_once("Assessment Boundary:") {
        Some((before, boundary)) => {
            parts.push(("", before));
            parts.push(("assessment_boundary", boundary));
        }
        None => parts.push(("", &t)),
    }
    let mut out = Vec::new();
    for (kind, text) in parts {
        let text = text
            .trim()
            .trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace());
        if text.is_empty() {
            continue;
        }
        let (kind, text) = if kind.is_empty() {
            match clarification_body(text) {
                Some(body) => ("clarification", body),
                None => ("comment", text),
            }
        } else {
            (kind, text)
        };
        let text = text
            .trim()
            .trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace());
        if !text.is_empty() {
            out.push(Note {
                kind: kind.to_string(),
                text: text.to_string(),
            });
        }
    }
    out
}

/// The text after "Clarification Statement:" (or a misspelling of it), if it starts that way.
fn clarification_body(t: &str) -> Option<&str> {
    let (before, body) = t.split_once("Statement:")?;
    let head = before.trim().to_ascii_lowercase();
    (before.len() <= 20 && head.contains("larif") && !head.contains(' ')).then_some(body)
}

pub fn read(path: &Path, text: &str) -> Result<Framework> {
    let resources = parse(path, text)?;
    let doc = resources.iter().find(|r| r.elem == "StandardDocument");
    let statements: Vec<&Resource> = resources.iter().filter(|r| r.elem == "Statement").collect();
    for s in &statements {
        if s.about.trim().is_empty() {
            return Err(Error::input(
                Location::line(path, s.line),
                "asn:Statement without rdf:about",
            ));
        }
    }
    let index: HashMap<&str, usize> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.about.as_str(), i))
        .collect();
    let last = |u: &str| u.rsplit('/').next().unwrap_or(u).to_string();
    let jurisdiction = doc.and_then(|d| d.first("jurisdiction")).map(last).unwrap_or_default();
    let ngss = jurisdiction == "NGSS";

    let children: Vec<Vec<usize>> = statements
        .iter()
        .map(|s| s.all("hasChild").filter_map(|c| index.get(c).copied()).collect())
        .collect();
    let parent_hint: Vec<Option<usize>> = statements
        .iter()
        .map(|s| s.first("isChildOf").and_then(|p| index.get(p).copied()))
        .collect();
    let roots: Vec<usize> = match doc {
        Some(d) => d.all("hasChild").filter_map(|c| index.get(c).copied()).collect(),
        None => parent_hint
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_none())
            .map(|(i, _)| i)
            .collect(),
    };
    let element_targets: HashSet<&str> = statements.iter().flat_map(|s| s.all("comprisedOf")).collect();

    let order = tree_order(&roots, &children, &parent_hint);
    let mut out: Vec<Standard> = Vec::with_capacity(order.len());
    // Statement index -> output index (a dropped intro node maps to its own parent's output).
    let mut placed: Vec<Option<usize>> = vec![None; statements.len()];
    for (i, parent) in order {
        // tree_order gives only nodes below statements.len(), the length of children and placed.
        let Some(&s) = statements.get(i) else { continue };
        let parent_out = parent.and_then(|p| placed.get(p).copied().flatten());
        let raw_text = s.first("description").or_else(|| s.first("title")).unwrap_or("");
        let text = clean(raw_text);
        let label = s.first("statementLabel").map(clean).filter(|l| !l.is_empty());
        let has_children = children.get(i).is_some_and(|c| !c.is_empty());
        if label.is_none()
            && has_children
            && text
                .to_ascii_lowercase()
                .starts_with("students who demonstrate understanding")
        {
            if let Some(slot) = placed.get_mut(i) {
                *slot = parent_out;
            }
            continue;
        }
        let code = s
            .first("statementNotation")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let kind = match label.as_deref() {
            Some(l) if ngss && l.eq_ignore_ascii_case("benchmark") => Kind::PerformanceExpectation,
            Some(l) => super::kind_from_label(l).unwrap_or(Kind::Other),
            None if has_children => Kind::Grouping,
            None if element_targets.contains(s.about.as_str()) => Kind::Element,
            None => Kind::Standard,
        };
        let mut grades = Vec::new();
        for g in s.all("educationLevel") {
            match grade_from_label(g) {
                Some(g) => grades.push(g),
                None => {
                    return Err(Error::input(
                        Location::line(path, s.line),
                        format!("not a grade level: {g:?} in {}", s.about),
                    ))
                }
            }
        }
        let notes = s.all("comment").flat_map(comment_notes).collect();
        let mut associations: Vec<Association> = Vec::new();
        for (name, kind) in [("comprisedOf", "comprisedOf"), ("alignTo", "alignTo")] {
            for target in s.all(name) {
                let target_code = index
                    .get(target)
                    .and_then(|&t| statements.get(t))
                    .and_then(|t| t.first("statementNotation"))
                    .map(str::to_string);
                let a = Association {
                    kind: kind.to_string(),
                    target: target.to_string(),
                    target_code,
                };
                if !associations.contains(&a) {
                    associations.push(a);
                }
            }
        }
        let mut st = Standard::new(s.about.clone(), kind, text);
        st.code = code;
        st.label = label;
        st.grades = grades;
        st.notes = notes;
        st.associations = associations;
        st.parent = parent_out;
        if let Some(slot) = placed.get_mut(i) {
            *slot = Some(out.len());
        }
        out.push(st);
    }

    let title = doc.and_then(|d| d.first("title")).map(clean).unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let subject = doc.and_then(|d| d.first("subject")).map(last).unwrap_or_default();
    let subject = match subject.as_str() {
        "english" => "ela".to_string(),
        s => s.to_string(),
    };
    let id = if ngss {
        "ngss".to_string()
    } else if !jurisdiction.is_empty() {
        super::slug(&format!("{jurisdiction} {subject}"))
    } else {
        super::slug(&title)
    };
    let license = if ngss {
        format!("{}\n{}", super::NGSS_NOTICE, super::ASN_NOTICE)
    } else {
        let rights = doc.and_then(|d| d.first("rights")).map(clean);
        match rights {
            Some(r) => format!("{r}\n{}", super::ASN_NOTICE),
            None => super::ASN_NOTICE.to_string(),
        }
    };
    let source = match doc {
        Some(d) if !d.about.is_empty() => format!("{} ({})", path.display(), d.about),
        _ => path.display().to_string(),
    };
    let fw = Framework {
        id,
        title,
        jurisdiction,
        subject,
        source,
        license,
        standards: out,
        warnings: Vec::new(),
    };
    finish(path, fw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_comments() {
        let n = comment_notes("Clarification Statement: Examples include a.] [Assessment Boundary: No b.");
        assert_eq!(n.len(), 2);
        assert_eq!(
            n[0],
            Note {
                kind: "clarification".into(),
                text: "Examples include a.".into()
            }
        );
        assert_eq!(
            n[1],
            Note {
                kind: "assessment_boundary".into(),
                text: "No b.".into()
            }
        );
        let n = comment_notes("larification Statement: Typo kept.");
        assert_eq!(n[0].kind, "clarification");
        let n = comment_notes("Just a remark.");
        assert_eq!(n[0].kind, "comment");
    }

    #[test]
    fn reports_the_line_of_bad_xml() {
        let xml = "<rdf:RDF xmlns:rdf=\"r\" xmlns:asn=\"a\">\n<asn:Statement rdf:about=\"x\">\n<asn:foo>bar</asn:baz>\n</asn:Statement></rdf:RDF>";
        let e = read(Path::new("bad.xml"), xml).unwrap_err().to_string();
        assert!(e.starts_with("bad.xml:3"), "{e}");
    }
}
