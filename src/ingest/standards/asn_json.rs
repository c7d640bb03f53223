//! ASN JSON tree: a JSON array of nested nodes (`children`), as ASN exports CCSS.
//!
//! Per node:
//! - identity: the official `urn:guid:` from `skos_exactMatch` when present, else the ASN `id` URI
//!   (when two nodes carry one GUID, as the 5.MD.B cluster and standard 5.MD.B.2 do in the CCSS
//!   math export, the heading keeps its ASN id, and its copied code is cut back to the cluster's);
//! - code: `asn_statementNotation` with the `CCSS.Math.Content.` / `CCSS.Math.Practice.` /
//!   `CCSS.ELA-Literacy.` prefix removed, exactly as given otherwise (`4.NF.B.3`, `HSA-REI.B.3`,
//!   `3.NF.A.3a`); the full notation and `asn_altStatementNotation` (`4.NF.3`) go in `alt_codes`;
//! - kind from `asn_statementLabel`: Domain, Cluster, Standard, Component; a Standard whose code is a
//!   practice (`MP1`) or a college-and-career anchor (`CCRA.R.1`) is a [`Kind::Practice`]. Nodes
//!   without a label: top-level folders are [`Kind::Grouping`], deeper folders (ELA "Key Ideas and
//!   Details") [`Kind::Cluster`]. Unlabeled leaves in parentheses, the ELA placeholders
//!   "(Begins in grade 3)" and "(Not applicable to literature)", are kept as [`Kind::Grouping`] nodes
//!   labelled `Placeholder`, so they are neither aligned to nor counted as gaps;
//! - grades from `dcterms_educationLevel` (one object or an array);
//! - `asn_comment` as notes: kind `example` when it starts with "For example", "Example" or "e.g.",
//!   else `comment`.
//!
//! All text goes through [`crate::text::clean`] (the files carry `&lt;sup&gt;` and `&quot;`).

use super::{finish, grade_from_label, is_practice_code, split_code, Json};
use crate::error::Result;
use crate::model::{Framework, Kind, Note, Standard, StdIdx};
use crate::text::clean;
use serde_json::{Map, Value};
use std::path::Path;

pub fn read(path: &Path, text: &str) -> Result<Framework> {
    let root = super::parse_json(path, text)?;
    let j = Json { path };
    let top = j.array(&root, "$")?;
    let mut out: Vec<Standard> = Vec::new();
    let mut asn_ids: Vec<String> = Vec::new();
    let mut subject_label: Option<String> = None;
    let mut ccss = false;
    // Depth-first, parents before children; an explicit stack keeps deep input from overflowing.
    let mut stack: Vec<(&Value, String, Option<StdIdx>, usize)> = top
        .iter()
        .enumerate()
        .rev()
        .map(|(i, v)| (v, format!("$[{i}]"), None, 0))
        .collect();
    while let Some((v, ptr, parent, depth)) = stack.pop() {
        let obj = j.object(v, &ptr)?;
        let node = read_node(&j, obj, &ptr, depth)?;
        if subject_label.is_none() {
            subject_label = subject_of(obj);
        }
        if node.alt_codes.iter().any(|a| a.starts_with("CCSS.")) {
            ccss = true;
        }
        let mut node = node;
        node.parent = parent;
        asn_ids.push(j.req_str(obj, "id", &ptr)?.to_string());
        let idx = out.len();
        out.push(node);
        if let Some(children) = j.opt_array(obj, "children", &ptr)? {
            for (i, c) in children.iter().enumerate().rev() {
                stack.push((c, format!("{ptr}.children[{i}]"), Some(idx), depth + 1));
            }
        }
    }
    // ASN gives the 5.MD.B cluster the notation and GUID of its standard 5.MD.B.2: when two nodes
    // claim one GUID, the heading falls back to its ASN id, and a cluster that repeats its
    // standard's code gets the cluster code (the standard's code without its last part).
    let mut owner: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    #[allow(
        clippy::indexing_slicing,
        reason = "i < out.len(); owner holds only indices already visited (first, heading and other \
                  are i or below it); asn_ids has one entry per node of out (pushed together above)"
    )]
    for i in 0..out.len() {
        let Some(&first) = owner.get(&out[i].uri) else {
            owner.insert(out[i].uri.clone(), i);
            continue;
        };
        let (heading, other) = if out[first].kind.is_heading() {
            (first, i)
        } else {
            (i, first)
        };
        out[heading].uri = asn_ids[heading].clone();
        if out[heading].kind == Kind::Cluster && out[heading].code.is_some() && out[heading].code == out[other].code {
            let code = out[heading].code.take().unwrap_or_default();
            out[heading].code = code.rsplit_once('.').map(|(c, _)| c.to_string());
            out[heading].alt_codes.clear();
        }
        owner.insert(out[other].uri.clone(), other);
        owner.insert(out[heading].uri.clone(), heading);
    }
    // A folder with children is never a placeholder; fix up kinds that depend on children.
    let mut has_child = vec![false; out.len()];
    for s in &out {
        if let Some(h) = s.parent.and_then(|p| has_child.get_mut(p)) {
            *h = true;
        }
    }
    for (s, &has_child) in out.iter_mut().zip(&has_child) {
        if s.label.as_deref() == Some("Placeholder") && has_child {
            s.label = None;
        }
    }

    let subject = match subject_label.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("math") | Some("mathematics") => "math".to_string(),
        Some("english") | Some("english language arts") | Some("ela") => "ela".to_string(),
        Some(other) => super::slug(other),
        None => crate::model::subject::from_hint(&stem(path)),
    };
    let doc_uri = document_uri(path);
    let (id, title, jurisdiction, license) = if ccss {
        let title = match subject.as_str() {
            "math" => "Common Core State Standards for Mathematics".to_string(),
            "ela" => "Common Core State Standards for English Language Arts & Literacy in History/Social Studies, Science, and Technical Subjects".to_string(),
            _ => "Common Core State Standards".to_string(),
        };
        (
            format!("ccss-{subject}"),
            title,
            "CCSS".to_string(),
            format!("{}\n{}", super::CCSS_NOTICE, super::ASN_NOTICE),
        )
    } else {
        (
            super::slug(&stem(path)),
            stem(path),
            String::new(),
            super::ASN_NOTICE.to_string(),
        )
    };
    let source = match doc_uri {
        Some(u) => format!("{} ({u})", path.display()),
        None => path.display().to_string(),
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

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `ccss_math_D10003FB.json` -> `http://asn.jesandco.org/resources/D10003FB`.
fn document_uri(path: &Path) -> Option<String> {
    let s = stem(path);
    let d = s.rsplit(['_', '-']).next()?;
    d.strip_prefix('D')
        .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("http://asn.jesandco.org/resources/{d}"))
}

fn subject_of(obj: &Map<String, Value>) -> Option<String> {
    let v = obj.get("dcterms_subject")?;
    let v = match v {
        Value::Array(a) => a.first()?,
        v => v,
    };
    v.get("prefLabel").and_then(Value::as_str).map(str::to_string)
}

/// A literal that ASN writes as a plain string or as `{ "literal": ... }` / `{ "prefLabel": ... }`.
fn literal<'v>(j: &Json, v: &'v Value, ptr: &str) -> Result<&'v str> {
    match v {
        Value::String(s) => Ok(s),
        Value::Object(o) => match o.get("literal").or_else(|| o.get("prefLabel")) {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(j.wrong(&format!("{ptr}.literal"), "a string", other)),
            None => Err(j.err(ptr, "missing required field `literal`")),
        },
        other => Err(j.wrong(ptr, "a string or an object with `literal`", other)),
    }
}

fn read_node(j: &Json, obj: &Map<String, Value>, ptr: &str, depth: usize) -> Result<Standard> {
    let id = j.req_str(obj, "id", ptr)?;
    let raw_text = match j.opt_str(obj, "text", ptr)? {
        Some(t) => t.to_string(),
        None => match obj.get("dcterms_description") {
            Some(v) => literal(j, v, &format!("{ptr}.dcterms_description"))?.to_string(),
            None => return Err(j.err(ptr, "missing required field `text`")),
        },
    };
    let text = clean(&raw_text);

    let mut uri = id.to_string();
    for (v, p) in j.one_or_many(obj, "skos_exactMatch", ptr) {
        let u = match v {
            Value::String(s) => s.as_str(),
            Value::Object(o) => match o.get("uri") {
                Some(Value::String(s)) => s.as_str(),
                Some(other) => return Err(j.wrong(&format!("{p}.uri"), "a string", other)),
                None => continue,
            },
            other => return Err(j.wrong(&p, "an object with `uri`", other)),
        };
        if u.starts_with("urn:guid:") {
            uri = u.to_string();
        }
    }

    let notation = j.opt_str(obj, "asn_statementNotation", ptr)?;
    let alt = j.opt_str(obj, "asn_altStatementNotation", ptr)?;
    let (code, mut alt_codes) = match notation {
        Some(n) if !n.trim().is_empty() => {
            let (c, a) = split_code(n);
            (Some(c), a)
        }
        _ => (None, Vec::new()),
    };
    if let Some(a) = alt.map(str::trim).filter(|a| !a.is_empty()) {
        alt_codes.push(a.to_string());
    }

    let label = match obj.get("asn_statementLabel") {
        None | Some(Value::Null) => None,
        Some(v) => Some(literal(j, v, &format!("{ptr}.asn_statementLabel"))?.trim().to_string()),
    };
    let has_children = obj
        .get("children")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let (kind, label) = match label.as_deref() {
        Some("Standard") if code.as_deref().is_some_and(is_practice_code) => (Kind::Practice, label),
        Some(l) => (super::kind_from_label(l).unwrap_or(Kind::Other), label),
        None if has_children && depth == 0 => (Kind::Grouping, None),
        None if has_children => (Kind::Cluster, None),
        None if text.starts_with('(') && text.ends_with(')') => (Kind::Grouping, Some("Placeholder".to_string())),
        None => (Kind::Other, None),
    };

    let mut grades = Vec::new();
    for (v, p) in j.one_or_many(obj, "dcterms_educationLevel", ptr) {
        let l = match v {
            Value::String(s) => s.as_str(),
            Value::Object(o) => match o.get("prefLabel").or_else(|| o.get("uri")) {
                Some(Value::String(s)) => s.as_str(),
                Some(other) => return Err(j.wrong(&format!("{p}.prefLabel"), "a string", other)),
                None => return Err(j.err(&p, "missing required field `prefLabel`")),
            },
            other => return Err(j.wrong(&p, "an object with `prefLabel`", other)),
        };
        match grade_from_label(l) {
            Some(g) => grades.push(g),
            None => return Err(j.err(&p, format!("not a grade level: {l:?}"))),
        }
    }

    let mut notes = Vec::new();
    for (v, p) in j.one_or_many(obj, "asn_comment", ptr) {
        let t = clean(literal(j, v, &p)?);
        if t.is_empty() {
            continue;
        }
        let kind = super::note_kind(&t);
        notes.push(Note {
            kind: kind.to_string(),
            text: t,
        });
    }

    let mut s = Standard::new(uri, kind, text);
    s.code = code;
    s.alt_codes = alt_codes;
    s.label = label;
    s.grades = grades;
    s.notes = notes;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[{"id":"http://asn/S1","text":"Operations &amp; Algebra","dcterms_subject":{"prefLabel":"Math"},"asn_statementLabel":{"literal":"Domain"},
      "dcterms_educationLevel":{"prefLabel":"4"},"children":[
        {"id":"http://asn/S2","text":"Use the four operations.","asn_statementLabel":{"literal":"Cluster"},
         "asn_statementNotation":"CCSS.Math.Content.4.OA.A","dcterms_educationLevel":[{"prefLabel":"4"}],"children":[
           {"id":"http://asn/S3","text":"Interpret 35 = 5 &#215; 7 &lt;sup&gt;*&lt;/sup&gt;","asn_statementLabel":{"literal":"Standard"},
            "asn_statementNotation":"CCSS.Math.Content.4.OA.A.1","asn_altStatementNotation":"4.OA.1",
            "skos_exactMatch":[{"uri":"http://corestandards.org/Math/Content/4/OA/A/1"},{"uri":"urn:guid:ABC"}],
            "asn_comment":{"literal":"For example, 35 = 5 &#215; 7."},
            "dcterms_educationLevel":[{"prefLabel":"4"},{"prefLabel":"4"}]}]}]}]"#;

    #[test]
    fn reads_a_small_tree() {
        let fw = read(Path::new("t.json"), SAMPLE).unwrap();
        assert_eq!(fw.id, "ccss-math");
        assert_eq!(fw.standards.len(), 3);
        let s = &fw.standards[2];
        assert_eq!(s.uri, "urn:guid:ABC");
        assert_eq!(s.code.as_deref(), Some("4.OA.A.1"));
        assert_eq!(s.alt_codes, vec!["CCSS.Math.Content.4.OA.A.1", "4.OA.1"]);
        assert_eq!(s.text, "Interpret 35 = 5 × 7 *");
        assert_eq!(s.kind, Kind::Standard);
        assert_eq!(s.parent, Some(1));
        assert_eq!(s.grades.len(), 1);
        assert_eq!(s.notes[0].kind, "example");
        assert_eq!(fw.standards[0].text, "Operations & Algebra");
        assert_eq!(fw.standards[0].children, vec![1]);
    }

    #[test]
    fn wrong_type_names_the_path() {
        let bad = r#"[{"id":"a","text":"x","children":[{"id":"b","text":7}]}]"#;
        let e = read(Path::new("bad.json"), bad).unwrap_err().to_string();
        assert!(e.contains("bad.json") && e.contains("$[0].children[0].text"), "{e}");
    }
}
