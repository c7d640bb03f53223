//! 1EdTech CASE JSON package: `CFDocument`, `CFItems`, `CFAssociations` (and `CFDefinitions`,
//! ignored). Both the early OpenSALT form (`educationalLevel` as a string such as `"KG"` or
//! `"09,10"`, no `sequenceNumber`) and CASE 1.0 (`educationLevel` as an array of strings,
//! `sequenceNumber` on associations) are read.
//!
//! - Identity: the CFItem `identifier` (a GUID, or whatever the publisher used).
//! - Code: `humanCodingScheme`, with the CCSS prefix removed exactly as for ASN JSON
//!   (`CCSS.Math.Content.6.RP.A.3a` -> `6.RP.A.3a`), the original kept in `alt_codes`.
//! - Text: `fullStatement`; `notes` become a note (`example` or `comment`).
//! - Kind: `CFItemType` (Domain, Cluster, Standard, Component, Grade Level, Strand, ...); a CCSS
//!   practice or anchor code is a [`Kind::Practice`]; untyped items are inferred from the tree.
//! - Hierarchy: `isChildOf` associations (origin = child, destination = parent item or the
//!   document). Siblings are ordered by `sequenceNumber` when present, then by their position in
//!   `CFItems`. Items no `isChildOf` reaches are kept at the top level.
//! - Every other association (exactMatchOf, isRelatedTo, precedes, exemplar, ...) is kept on its
//!   origin item with the destination's identifier as target (for an `exemplar` whose URI wraps a
//!   web address, that address), and the destination's code when it is an item of this package.
//! - Framework id: the slug of the CFDocument title (`what-standards-could-be`). A CASE copy of CCSS
//!   math is not given the id `ccss-math`: that id belongs to the shipped ASN edition, and two
//!   frameworks must not share an id. Jurisdiction `CCSS` when the title says "Common Core", else
//!   the document's publisher or creator.

use super::{finish, split_code, Json};
use crate::error::Result;
use crate::model::{Association, Framework, Grade, Kind, Note, Standard};
use crate::text::clean;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// One end of an association: its identifier and, when given, its URI.
fn node_ref<'v>(j: &Json, a: &'v Map<String, Value>, which: &str, ptr: &str) -> Result<(&'v str, Option<&'v str>)> {
    let uri_key = format!("{which}NodeURI");
    let id_key = format!("{which}NodeIdentifier");
    let mut id = j.opt_str(a, &id_key, ptr)?;
    let mut uri = None;
    if let Some(v) = a.get(&uri_key) {
        let p = format!("{ptr}.{uri_key}");
        match v {
            Value::Null => {}
            Value::String(s) => uri = Some(s.as_str()),
            Value::Object(o) => {
                if id.is_none() {
                    id = j.opt_str(o, "identifier", &p)?;
                }
                uri = j.opt_str(o, "uri", &p)?;
            }
            other => return Err(j.wrong(&p, "an object", other)),
        }
    }
    match id.or(uri) {
        Some(id) => Ok((id, uri)),
        None => Err(j.err(
            ptr,
            format!("missing required field `{id_key}` or `{uri_key}.identifier`"),
        )),
    }
}

struct Item {
    standard: Standard,
    typed: bool,
}

pub fn read(path: &Path, text: &str) -> Result<Framework> {
    let root = super::parse_json(path, text)?;
    let j = Json { path };
    let top = j.object(&root, "$")?;
    let doc_v = top
        .get("CFDocument")
        .ok_or_else(|| j.err("$", "missing required field `CFDocument`"))?;
    let doc = j.object(doc_v, "$.CFDocument")?;
    let doc_id = j.req_str(doc, "identifier", "$.CFDocument")?;
    let title = clean(j.req_str(doc, "title", "$.CFDocument")?);

    let empty = Vec::new();
    let items_v = j.opt_array(top, "CFItems", "$")?.unwrap_or(&empty);
    if items_v.is_empty() {
        return Err(j.err("$.CFItems", "the package has no items (CFItems is missing or empty)"));
    }
    let mut items: Vec<Item> = Vec::with_capacity(items_v.len());
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, v) in items_v.iter().enumerate() {
        let ptr = format!("$.CFItems[{i}]");
        let o = j.object(v, &ptr)?;
        let id = j.req_str(o, "identifier", &ptr)?;
        if id.trim().is_empty() {
            return Err(j.err(&format!("{ptr}.identifier"), "empty identifier"));
        }
        let text = clean(j.req_str(o, "fullStatement", &ptr)?);
        let (code, alt_codes) = match j.opt_str(o, "humanCodingScheme", &ptr)?.map(str::trim) {
            Some(c) if !c.is_empty() => {
                let (c, a) = split_code(c);
                (Some(c), a)
            }
            _ => (None, Vec::new()),
        };
        let label = j.opt_str(o, "CFItemType", &ptr)?.map(clean).filter(|l| !l.is_empty());
        let mut grades = Vec::new();
        for key in ["educationLevel", "educationalLevel"] {
            let vals: Vec<(&Value, String)> = j.one_or_many(o, key, &ptr);
            for (v, p) in vals {
                let s = match v {
                    Value::String(s) => s.as_str(),
                    other => return Err(j.wrong(&p, "a string", other)),
                };
                if s.trim().is_empty() {
                    continue;
                }
                match Grade::parse_list(s) {
                    Some(g) => grades.extend(g),
                    None => return Err(j.err(&p, format!("not a grade level: {s:?}"))),
                }
            }
        }
        let mut notes = Vec::new();
        if let Some(n) = j.opt_str(o, "notes", &ptr)? {
            let n = clean(n);
            if !n.is_empty() {
                notes.push(Note {
                    kind: super::note_kind(&n).to_string(),
                    text: n,
                });
            }
        }
        let practice = code.as_deref().is_some_and(super::is_practice_code)
            && label.as_deref().is_none_or(|l| l.eq_ignore_ascii_case("standard"));
        let (kind, typed) = match label.as_deref().and_then(super::kind_from_label) {
            _ if practice => (Kind::Practice, true),
            Some(k) => (k, true),
            None if label.is_some() => (Kind::Other, true),
            None => (Kind::Other, false),
        };
        let mut s = Standard::new(id, kind, text);
        s.code = code;
        s.alt_codes = alt_codes;
        s.label = label;
        s.grades = grades;
        s.notes = notes;
        if index.insert(id, items.len()).is_some() {
            return Err(j.err(&format!("{ptr}.identifier"), format!("duplicate item identifier {id}")));
        }
        items.push(Item { standard: s, typed });
    }

    // Associations: isChildOf builds the tree, the rest are kept.
    let assocs_v = j.opt_array(top, "CFAssociations", "$")?.unwrap_or(&empty);
    // (child, sequence, association position) per parent; usize::MAX stands for the document.
    let mut child_links: HashMap<usize, Vec<(usize, Option<f64>, usize)>> = HashMap::new();
    let mut parent_hint: Vec<Option<usize>> = vec![None; items.len()];
    let mut has_parent = vec![false; items.len()];
    let mut others: Vec<(usize, Association)> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    for (ai, v) in assocs_v.iter().enumerate() {
        let ptr = format!("$.CFAssociations[{ai}]");
        let a = j.object(v, &ptr)?;
        let kind = j.req_str(a, "associationType", &ptr)?.trim();
        let (origin, _) = node_ref(&j, a, "origin", &ptr)?;
        let (dest, dest_uri) = node_ref(&j, a, "destination", &ptr)?;
        let seq = match a.get("sequenceNumber") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            // OpenSALT has written it as a string ("1").
            Some(Value::String(s)) if s.trim().parse::<f64>().is_ok() => s.trim().parse::<f64>().ok(),
            Some(other) => return Err(j.wrong(&format!("{ptr}.sequenceNumber"), "a number", other)),
        };
        let Some(&o) = index.get(origin) else {
            continue; // an association from outside this package
        };
        if kind.eq_ignore_ascii_case("isChildOf") {
            // index holds positions in items; has_parent and parent_hint have a slot per item.
            if has_parent.get(o).copied().unwrap_or(false) {
                // A second parent: the first one wins.
                warnings.push(format!(
                    "{}: {ptr}: item {} has a second parent ({dest}); the first one is kept",
                    path.display(),
                    name_at(&items, o)
                ));
                continue;
            }
            let parent = if dest == doc_id {
                usize::MAX
            } else if let Some(&p) = index.get(dest) {
                if let Some(hint) = parent_hint.get_mut(o) {
                    *hint = Some(p);
                }
                p
            } else {
                warnings.push(format!(
                    "{}: {ptr}: the parent {dest} of item {} is not in the package; the item is read at the top level",
                    path.display(),
                    name_at(&items, o)
                ));
                continue;
            };
            if let Some(has) = has_parent.get_mut(o) {
                *has = true;
            }
            child_links.entry(parent).or_default().push((o, seq, o));
        } else {
            let target = match dest_uri.and_then(|u| u.split_once("/uri/")).map(|(_, rest)| rest) {
                Some(rest) if rest.starts_with("http://") || rest.starts_with("https://") => rest,
                _ => dest,
            };
            let target_code = index
                .get(dest)
                .and_then(|&d| items.get(d))
                .and_then(|d| d.standard.code.clone());
            others.push((
                o,
                Association {
                    kind: kind.to_string(),
                    target: target.to_string(),
                    target_code,
                },
            ));
        }
    }
    for links in child_links.values_mut() {
        links.sort_by(|a, b| {
            let sa = a.1.unwrap_or(f64::INFINITY);
            let sb = b.1.unwrap_or(f64::INFINITY);
            sa.partial_cmp(&sb)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.2.cmp(&b.2))
        });
    }
    let children: Vec<Vec<usize>> = (0..items.len())
        .map(|i| {
            child_links
                .get(&i)
                .map(|l| l.iter().map(|x| x.0).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut roots: Vec<usize> = child_links
        .get(&usize::MAX)
        .map(|l| l.iter().map(|x| x.0).collect())
        .unwrap_or_default();
    roots.extend(has_parent.iter().enumerate().filter(|(_, &has)| !has).map(|(i, _)| i));
    for (o, a) in others {
        if let Some(it) = items.get_mut(o) {
            it.standard.associations.push(a);
        }
    }

    let cycles = super::parent_cycles(&parent_hint);
    let order = super::tree_order(&roots, &children, &parent_hint);
    for cycle in cycles {
        let names: Vec<String> = cycle.iter().map(|&i| name_at(&items, i)).collect();
        let top = order
            .iter()
            .find(|(i, p)| p.is_none() && cycle.contains(i))
            .map(|&(i, _)| name_at(&items, i))
            .unwrap_or_default();
        warnings.push(if names.len() == 1 {
            format!(
                "{}: item {top} is its own parent (isChildOf); it is read at the top level",
                path.display()
            )
        } else {
            format!(
                "{}: the isChildOf links of items {} form a cycle; it is broken above {top}, which is read at the top level",
                path.display(),
                names.join(" -> ")
            )
        });
    }
    let mut new_pos = vec![0usize; items.len()];
    // tree_order gives each node below items.len() once: new_pos and slots have a slot for it.
    for (pos, &(i, _)) in order.iter().enumerate() {
        if let Some(slot) = new_pos.get_mut(i) {
            *slot = pos;
        }
    }
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut standards = Vec::with_capacity(order.len());
    let mut fixed = Vec::with_capacity(order.len());
    for (i, parent) in order {
        let Some(mut it) = slots.get_mut(i).and_then(Option::take) else {
            continue;
        };
        it.standard.parent = parent.and_then(|p| new_pos.get(p).copied());
        fixed.push(it.typed);
        standards.push(it.standard);
    }
    super::infer_kinds(&mut standards, &fixed);

    let ccss = title.to_ascii_lowercase().contains("common core");
    let jurisdiction = if ccss {
        "CCSS".to_string()
    } else {
        j.opt_str(doc, "publisher", "$.CFDocument")?
            .or(j.opt_str(doc, "creator", "$.CFDocument")?)
            .map(clean)
            .unwrap_or_default()
    };
    let subject_hint = match doc.get("subject") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
        _ => String::new(),
    };
    let mut subject = crate::model::subject::from_hint(&subject_hint);
    if subject.is_empty() {
        subject = crate::model::subject::from_hint(&title);
    }
    if subject.is_empty() {
        let codes: Vec<&str> = standards
            .iter()
            .filter_map(|s| s.alt_codes.first().map(String::as_str))
            .collect();
        if codes.iter().any(|c| c.starts_with("CCSS.Math.")) {
            subject = "math".into();
        } else if codes.iter().any(|c| c.starts_with("CCSS.ELA")) {
            subject = "ela".into();
        }
    }
    let mut license = Vec::new();
    if ccss
        || standards
            .iter()
            .any(|s| s.alt_codes.iter().any(|c| c.starts_with("CCSS.")))
    {
        license.push(super::CCSS_NOTICE.to_string());
    }
    if let Some(Value::Object(l)) = doc.get("licenseURI") {
        if let Some(t) = l.get("title").and_then(Value::as_str) {
            license.push(clean(t));
        }
    }
    let doc_uri = j.opt_str(doc, "uri", "$.CFDocument")?.unwrap_or(doc_id);
    let id = {
        let s = super::slug(&title);
        if s.is_empty() {
            super::slug(
                &path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
        } else {
            s
        }
    };
    let fw = Framework {
        id,
        title,
        jurisdiction,
        subject,
        source: format!("{} ({doc_uri})", path.display()),
        license: license.join("\n"),
        standards,
        warnings,
    };
    finish(path, fw)
}

/// An item as a warning names it: its code and identifier, or its identifier.
fn item_name(s: &Standard) -> String {
    match &s.code {
        Some(c) => format!("{c} ({})", s.uri),
        None => s.uri.clone(),
    }
}

/// [`item_name`] of `items[i]`; empty when there is no such item.
fn name_at(items: &[Item], i: usize) -> String {
    items.get(i).map(|it| item_name(&it.standard)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_sequence_number() {
        let pkg = r#"{"CFDocument":{"identifier":"D","title":"Tiny Math"},
          "CFItems":[
            {"identifier":"b","fullStatement":"B","humanCodingScheme":"X.2","CFItemType":"Standard","educationLevel":["04"]},
            {"identifier":"a","fullStatement":"A","humanCodingScheme":"X.1","CFItemType":"Standard","educationLevel":["04"]},
            {"identifier":"c","fullStatement":"C &amp; D","humanCodingScheme":"X.1a","CFItemType":"Component"}],
          "CFAssociations":[
            {"associationType":"isChildOf","originNodeURI":{"identifier":"b"},"destinationNodeURI":{"identifier":"D"},"sequenceNumber":2},
            {"associationType":"isChildOf","originNodeURI":{"identifier":"a"},"destinationNodeURI":{"identifier":"D"},"sequenceNumber":1},
            {"associationType":"isChildOf","originNodeURI":{"identifier":"c"},"destinationNodeURI":{"identifier":"a"}},
            {"associationType":"precedes","originNodeURI":{"identifier":"a"},"destinationNodeURI":{"identifier":"b"}}]}"#;
        let fw = read(Path::new("tiny.json"), pkg).unwrap();
        let codes: Vec<_> = fw.standards.iter().map(|s| s.code.clone().unwrap()).collect();
        assert_eq!(codes, ["X.1", "X.1a", "X.2"]);
        assert_eq!(fw.standards[1].parent, Some(0));
        assert_eq!(fw.standards[1].text, "C & D");
        assert_eq!(fw.standards[0].associations[0].kind, "precedes");
        assert_eq!(fw.standards[0].associations[0].target_code.as_deref(), Some("X.2"));
        assert_eq!(fw.id, "tiny-math");
        assert_eq!(fw.subject, "math");
    }

    #[test]
    fn missing_statement_names_the_path() {
        let pkg = r#"{"CFDocument":{"identifier":"D","title":"T"},"CFItems":[{"identifier":"a"}]}"#;
        let e = read(Path::new("p.json"), pkg).unwrap_err().to_string();
        assert!(
            e.contains("p.json at $.CFItems[0]") && e.contains("fullStatement"),
            "{e}"
        );
    }
}
