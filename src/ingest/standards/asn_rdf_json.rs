//! ASN RDF/JSON, as ASN exported state standards: one JSON object mapping each resource URI to its
//! properties (`{ "http://purl.org/dc/terms/description": [{ "value": ..., "type": "literal" }] }`).
//! One resource is the `asn:StandardDocument`; the statements hang from it through
//! `gemq:hasChild` (with `gemq:isChildOf` used when a statement is not listed by its parent).
//! A resource URI that is a key of the object twice is refused, with the line of the second:
//! a JSON object keeps only the last, and the first statement would be lost.
//!
//! Order: these exports carry no sequence or `asn:listID`, so children follow the order of the
//! parent's `hasChild` array, which is the publisher's order (`PK.NSO.1`, `PK.NSO.2`, ... `K.NSO-N.1`).
//!
//! Codes: `asn:statementNotation` when the set has it, with a trailing `.` removed (`PK.NSO.1.` ->
//! `PK.NSO.1`, the original kept in `alt_codes`; when the text repeats the code's last part, as
//! PA English does ("E. Expand ..." for `1.1.8.E`), that label is removed from the text).
//! Statements without a notation (all of MD, PA math, DC science) start the text with a label,
//! which is split off:
//! - a label that is already a full code (two or more dotted parts: `2.1.3.A`, `2.1.`, `K.1.`,
//!   `STANDARD 1.0`) becomes the code as written, without the trailing dot;
//! - a local label (`A.`, `2.`, `a)`, `a.`) is appended to the parent's code with a dot, so MD's
//!   "STANDARD 1.0" / "A." / "2." / "a)" give `1.0`, `1.A`, `1.A.2`, `1.A.2.a` (a parent code
//!   ending in `.0` contributes only its number, as MD writes it); under a parent without a code
//!   the local label alone is the code.
//!
//! The label as printed (`a)`) is kept in `alt_codes`. MD repeats objective letters per grade
//! under one indicator, so such codes are not unique; grades tell them apart.
//!
//! Leaves that are assessment limits (MD: "• Assessment limit: ...") are not standards: they
//! become `assessment_boundary` notes of their parent.
//!
//! Kinds (these exports carry no `asn:statementLabel`; when one is present it wins): top-level
//! nodes are [`Kind::Grouping`]; a node with a code whose children are all leaves is a
//! [`Kind::Standard`] and its children [`Kind::Component`]s; other leaves are
//! [`Kind::Standard`]s; other headings are [`Kind::Domain`] (depth 1) or [`Kind::Cluster`].
//!
//! Framework id: jurisdiction and subject slugged (`dc-math`, `dc-ela` for DC English, `md-math`,
//! `pa-math`); title: the document's `dc:title`; license: the ASN attribution.

use super::{finish, grade_from_label, tree_order, Json};
use crate::error::{Error, Location, Result};
use crate::model::{Framework, Kind, Note, Standard};
use crate::text::clean;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const ASN: &str = "http://purl.org/ASN/schema/core/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const HAS_CHILD: &str = "http://purl.org/gem/qualifiers/hasChild";
const IS_CHILD_OF: &str = "http://purl.org/gem/qualifiers/isChildOf";
const DC_TITLE: &str = "http://purl.org/dc/elements/1.1/title";

/// One resource: its URI, JSON path and properties.
struct Res<'v> {
    uri: &'v str,
    ptr: String,
    props: &'v Map<String, Value>,
}

/// Values of one property, each checked to be an object with a string `value`.
fn values<'v>(j: &Json, r: &Res<'v>, prop: &str) -> Result<Vec<&'v str>> {
    let ptr = format!("{}[{:?}]", r.ptr, prop);
    let Some(v) = r.props.get(prop) else {
        return Ok(Vec::new());
    };
    let arr = j.array(v, &ptr)?;
    let mut out = Vec::with_capacity(arr.len());
    for (i, item) in arr.iter().enumerate() {
        let p = format!("{ptr}[{i}]");
        let o = j.object(item, &p)?;
        match o.get("value") {
            Some(Value::String(s)) => out.push(s.as_str()),
            Some(other) => return Err(j.wrong(&format!("{p}.value"), "a string", other)),
            None => return Err(j.err(&p, "missing required field `value`")),
        }
    }
    Ok(out)
}

fn first<'v>(j: &Json, r: &Res<'v>, prop: &str) -> Result<Option<&'v str>> {
    Ok(values(j, r, prop)?.into_iter().next())
}

fn last_segment(u: &str) -> &str {
    u.trim_end_matches('/').rsplit('/').next().unwrap_or(u)
}

/// US state and territory names for ASN jurisdiction abbreviations.
fn jurisdiction_name(abbr: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("AL", "Alabama"),
        ("AK", "Alaska"),
        ("AZ", "Arizona"),
        ("AR", "Arkansas"),
        ("CA", "California"),
        ("CO", "Colorado"),
        ("CT", "Connecticut"),
        ("DE", "Delaware"),
        ("DC", "District of Columbia"),
        ("FL", "Florida"),
        ("GA", "Georgia"),
        ("HI", "Hawaii"),
        ("ID", "Idaho"),
        ("IL", "Illinois"),
        ("IN", "Indiana"),
        ("IA", "Iowa"),
        ("KS", "Kansas"),
        ("KY", "Kentucky"),
        ("LA", "Louisiana"),
        ("ME", "Maine"),
        ("MD", "Maryland"),
        ("MA", "Massachusetts"),
        ("MI", "Michigan"),
        ("MN", "Minnesota"),
        ("MS", "Mississippi"),
        ("MO", "Missouri"),
        ("MT", "Montana"),
        ("NE", "Nebraska"),
        ("NV", "Nevada"),
        ("NH", "New Hampshire"),
        ("NJ", "New Jersey"),
        ("NM", "New Mexico"),
        ("NY", "New York"),
        ("NC", "North Carolina"),
        ("ND", "North Dakota"),
        ("OH", "Ohio"),
        ("OK", "Oklahoma"),
        ("OR", "Oregon"),
        ("PA", "Pennsylvania"),
        ("RI", "Rhode Island"),
        ("SC", "South Carolina"),
        ("SD", "South Dakota"),
        ("TN", "Tennessee"),
        ("TX", "Texas"),
        ("UT", "Utah"),
        ("VT", "Vermont"),
        ("VA", "Virginia"),
        ("WA", "Washington"),
        ("WV", "West Virginia"),
        ("WI", "Wisconsin"),
        ("WY", "Wyoming"),
        ("PR", "Puerto Rico"),
    ];
    NAMES
        .iter()
        .find(|(a, _)| *a == abbr)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| abbr.to_string())
}

/// A label split off the start of a statement: `(label as printed, code part, is_full_code, rest)`.
/// See the module docs for the shapes recognised.
pub(crate) fn split_label(text: &str) -> Option<(String, String, bool, &str)> {
    let t = text.trim_start();
    let (word, rest) = t.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    // "STANDARD 1.0 KNOWLEDGE OF ..." (MD).
    if word.eq_ignore_ascii_case("standard") {
        let (num, rest2) = rest.split_once(char::is_whitespace)?;
        let code = num.trim_end_matches('.');
        let ok = code
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        return (ok && !rest2.trim().is_empty())
            .then(|| (format!("{word} {num}"), code.to_string(), true, rest2.trim_start()));
    }
    if rest.is_empty() {
        return None;
    }
    // "a)", "(a)", "1)", "iv)".
    if let Some(inner) = word.strip_suffix(')') {
        let inner = inner.strip_prefix('(').unwrap_or(inner);
        if (1..=3).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some((word.to_string(), inner.to_string(), false, rest));
        }
        return None;
    }
    let trailing_dot = word.ends_with('.');
    let body = word.trim_end_matches('.');
    if body.is_empty() {
        return None;
    }
    let parts: Vec<&str> = body.split('.').collect();
    let seg_ok = |p: &&str| {
        !p.is_empty()
            && p.len() <= 3
            && (p.chars().all(|c| c.is_ascii_digit())
                || (p.len() <= 2 && p.chars().all(|c| c.is_ascii_uppercase()))
                || (p.len() == 1 && p.chars().all(|c| c.is_ascii_lowercase())))
    };
    if !parts.iter().all(seg_ok) {
        return None;
    }
    if parts.len() >= 2 {
        // A full code has a number in it ("U.S." is not a code).
        if parts.iter().any(|p| p.chars().all(|c| c.is_ascii_digit())) {
            return Some((word.to_string(), body.to_string(), true, rest));
        }
        return None;
    }
    // `split` gives at least one part, and there are fewer than two.
    let &[p] = parts.as_slice() else {
        return None;
    };
    let digits = p.chars().all(|c| c.is_ascii_digit());
    if trailing_dot && (digits || p.len() == 1) {
        return Some((word.to_string(), p.to_string(), false, rest));
    }
    // "6 Plan and conduct ..." (a bare number before a capitalised sentence).
    if !trailing_dot && digits && p.len() <= 2 && rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Some((word.to_string(), p.to_string(), false, rest));
    }
    None
}

/// Text of an assessment-limit bullet, if the statement is one.
fn assessment_limit(text: &str) -> Option<String> {
    let t = text.trim_start_matches(|c: char| c == '•' || c == '·' || c == '-' || c == '*' || c.is_whitespace());
    let lower = t.to_ascii_lowercase();
    if !lower.starts_with("assessment limit") {
        return None;
    }
    let body = match t.split_once(':') {
        Some((head, body)) if head.len() < 20 => body,
        _ => t,
    };
    Some(body.trim().to_string())
}

/// Scans the keys of the top-level object (values skipped) and stops at the first subject seen
/// twice, leaving its URI in the slot; the error it stops with is only a carrier of the position.
struct SubjectKeys<'a>(&'a mut Option<String>);

impl<'de> serde::de::DeserializeSeed<'de> for SubjectKeys<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SubjectKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of subject URIs")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                *self.0 = Some(key);
                return Err(serde::de::Error::custom("a subject appears twice"));
            }
            seen.insert(key);
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Refuse a subject URI that is a key of the top-level object twice: serde_json keeps only the
/// last one, so the statements of the first would be lost without a word. The keys are read a
/// second time; serde_json puts the position where the scan stopped, just after the second
/// occurrence of the key, on the error, which gives its line.
fn check_unique_subjects(path: &Path, text: &str) -> Result<()> {
    use serde::de::DeserializeSeed;
    let mut dup = None;
    let scan = SubjectKeys(&mut dup).deserialize(&mut serde_json::Deserializer::from_str(text));
    match (dup, scan) {
        (Some(uri), Err(e)) => Err(Error::input(
            Location::line(path, e.line() as u64),
            format!(
                "subject {uri} appears twice as a key of the top-level object (a JSON object keeps \
                 only the last one, so the first would be lost); merge the two or remove one"
            ),
        )),
        // The text parsed as JSON already: the scan fails only at a duplicate.
        _ => Ok(()),
    }
}

pub fn read(path: &Path, text: &str) -> Result<Framework> {
    let root = super::parse_json(path, text)?;
    let j = Json { path };
    let top = j.object(&root, "$")?;
    check_unique_subjects(path, text)?;
    let mut doc: Option<Res> = None;
    let mut stmts: Vec<Res> = Vec::new();
    for (uri, v) in top {
        let ptr = format!("$[{uri:?}]");
        let props = j.object(v, &ptr)?;
        let r = Res { uri, ptr, props };
        let types = values(&j, &r, RDF_TYPE)?;
        if types.iter().any(|t| t.ends_with("StandardDocument")) {
            doc = Some(r);
        } else if types.iter().any(|t| t.ends_with("Statement"))
            || (types.is_empty() && props.contains_key(&format!("{DCTERMS}description")))
        {
            stmts.push(r);
        }
    }
    let Some(doc) = doc else {
        return Err(j.err("$", "no asn:StandardDocument resource (rdf:type .../StandardDocument)"));
    };

    let index: HashMap<&str, usize> = stmts.iter().enumerate().map(|(i, r)| (r.uri, i)).collect();
    let mut children: Vec<Vec<usize>> = Vec::with_capacity(stmts.len());
    let mut parent_hint: Vec<Option<usize>> = vec![None; stmts.len()];
    for r in &stmts {
        children.push(
            values(&j, r, HAS_CHILD)?
                .into_iter()
                .filter_map(|c| index.get(c).copied())
                .collect(),
        );
    }
    for (hint, r) in parent_hint.iter_mut().zip(&stmts) {
        if let Some(p) = first(&j, r, IS_CHILD_OF)?.and_then(|p| index.get(p).copied()) {
            *hint = Some(p);
        }
    }
    for (p, cs) in children.iter().enumerate() {
        for &c in cs {
            if let Some(hint) = parent_hint.get_mut(c) {
                hint.get_or_insert(p);
            }
        }
    }
    let roots: Vec<usize> = values(&j, &doc, HAS_CHILD)?
        .into_iter()
        .filter_map(|c| index.get(c).copied())
        .collect();
    let order = tree_order(&roots, &children, &parent_hint);

    let notation_prop = format!("{ASN}statementNotation");

    let mut out: Vec<Standard> = Vec::with_capacity(order.len());
    let mut placed: Vec<Option<usize>> = vec![None; stmts.len()];
    for (i, parent) in order {
        // tree_order gives only nodes below stmts.len(), the length of children, placed and stmts.
        let Some(r) = stmts.get(i) else { continue };
        let parent_out = parent.and_then(|p| placed.get(p).copied().flatten());
        let desc_prop = format!("{DCTERMS}description");
        let raw = match first(&j, r, &desc_prop)? {
            Some(t) => t,
            None => return Err(j.err(&r.ptr, format!("missing required property `{desc_prop}`"))),
        };
        let mut text = clean(raw);
        // Assessment limits become notes of the parent.
        if children.get(i).is_none_or(Vec::is_empty) {
            if let (Some(limit), Some(p)) = (assessment_limit(&text), parent_out) {
                if let Some(parent) = out.get_mut(p).filter(|_| !limit.is_empty()) {
                    parent.notes.push(Note {
                        kind: "assessment_boundary".into(),
                        text: limit,
                    });
                }
                continue;
            }
        }
        let mut code = None;
        let mut alt_codes = Vec::new();
        if let Some(n) = first(&j, r, &notation_prop)?.map(str::trim).filter(|n| !n.is_empty()) {
            let c = n.trim_end_matches('.').to_string();
            if c != n {
                alt_codes.push(n.to_string());
            }
            // PA writes the code's last part again at the start of the text ("E. Expand ...").
            if let Some((_, part, full, rest)) = split_label(&text) {
                let last = c.rsplit(['.', '-']).next().unwrap_or(&c);
                if (full && part == c) || (!full && part == last) {
                    text = rest.to_string();
                }
            }
            code = Some(c);
        } else if let Some((printed, part, full, rest)) = split_label(&text) {
            let c = if full {
                part
            } else {
                match parent_out.and_then(|p| out.get(p)).and_then(|p| p.code.as_deref()) {
                    Some(pc) => format!("{}.{part}", pc.strip_suffix(".0").unwrap_or(pc)),
                    None => part,
                }
            };
            alt_codes.push(printed);
            code = Some(c);
            text = rest.to_string();
        }
        let mut grades = Vec::new();
        let levels_ptr = format!("{}[{:?}]", r.ptr, format!("{DCTERMS}educationLevel"));
        for g in values(&j, r, &format!("{DCTERMS}educationLevel"))? {
            match grade_from_label(g) {
                Some(g) => grades.push(g),
                None => return Err(j.err(&levels_ptr, format!("not a grade level: {g:?}"))),
            }
        }
        let label = first(&j, r, &format!("{ASN}statementLabel"))?.map(clean);
        let notes = values(&j, r, &format!("{ASN}comment"))?
            .into_iter()
            .flat_map(super::asn_xml::comment_notes)
            .collect();
        let mut s = Standard::new(r.uri, Kind::Other, text);
        s.code = code;
        s.alt_codes = alt_codes;
        s.label = label;
        s.grades = grades;
        s.notes = notes;
        s.parent = parent_out;
        if let Some(slot) = placed.get_mut(i) {
            *slot = Some(out.len());
        }
        out.push(s);
    }

    // Kinds, from the shape of the tree once assessment limits are gone.
    let fixed: Vec<bool> = out
        .iter_mut()
        .map(|s| match s.label.as_deref().and_then(super::kind_from_label) {
            Some(k) => {
                s.kind = k;
                true
            }
            None => false,
        })
        .collect();
    // A "Standard" whose children are its "Indicators" (South Carolina): the indicators are what
    // a lesson addresses, and the standard heads them as a cluster does.
    let is_label = |s: &Standard, l: &str| s.label.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(l));
    let heads: Vec<usize> = out
        .iter()
        .filter(|s| is_label(s, "indicator"))
        .filter_map(|s| s.parent)
        .filter(|&p| out.get(p).is_some_and(|p| is_label(p, "standard")))
        .collect();
    for p in heads {
        if let Some(s) = out.get_mut(p) {
            s.kind = Kind::Cluster;
        }
    }
    super::infer_kinds(&mut out, &fixed);

    let jurisdiction_abbr = first(&j, &doc, &format!("{ASN}jurisdiction"))?
        .map(last_segment)
        .unwrap_or("");
    let subject_raw = first(&j, &doc, &format!("{DCTERMS}subject"))?
        .map(last_segment)
        .unwrap_or("");
    let subject = match subject_raw.to_ascii_lowercase().as_str() {
        "english" | "ela" | "reading" => "ela".to_string(),
        "math" | "mathematics" => "math".to_string(),
        "social studies" | "history" | "social" => "social-studies".to_string(),
        "" => crate::model::subject::from_hint(&path.to_string_lossy()),
        s => super::slug(s),
    };
    let title = first(&j, &doc, DC_TITLE)?.map(clean).unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let id = if jurisdiction_abbr.is_empty() {
        super::slug(
            &path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    } else {
        super::slug(&format!("{jurisdiction_abbr} {subject}"))
    };
    let rights = first(&j, &doc, &format!("{DCTERMS}rights"))?.map(clean);
    let license = match rights {
        Some(r) => format!("{r}\n{}", super::ASN_NOTICE),
        None => super::ASN_NOTICE.to_string(),
    };
    let fw = Framework {
        id,
        title,
        jurisdiction: jurisdiction_name(jurisdiction_abbr),
        subject,
        source: format!("{} ({})", path.display(), doc.uri),
        license,
        standards: out,
        warnings: Vec::new(),
    };
    finish(path, fw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Option<(String, bool, String)> {
        split_label(t).map(|(_, c, f, r)| (c, f, r.to_string()))
    }

    #[test]
    fn splits_labels() {
        assert_eq!(
            split("2.7.3.B Design a study"),
            Some(("2.7.3.B".into(), true, "Design a study".into()))
        );
        assert_eq!(
            split("2.2.5.D. Round numbers."),
            Some(("2.2.5.D".into(), true, "Round numbers.".into()))
        );
        assert_eq!(split("2.1. Numbers"), Some(("2.1".into(), true, "Numbers".into())));
        assert_eq!(
            split("K.1. Broad Concept"),
            Some(("K.1".into(), true, "Broad Concept".into()))
        );
        assert_eq!(split("f) Use a ruler"), Some(("f".into(), false, "Use a ruler".into())));
        assert_eq!(
            split("a. Identify the question"),
            Some(("a".into(), false, "Identify the question".into()))
        );
        assert_eq!(
            split("A. Patterns and Functions"),
            Some(("A".into(), false, "Patterns and Functions".into()))
        );
        assert_eq!(split("12. Count"), Some(("12".into(), false, "Count".into())));
        assert_eq!(
            split("STANDARD 1.0 KNOWLEDGE OF ALGEBRA"),
            Some(("1.0".into(), true, "KNOWLEDGE OF ALGEBRA".into()))
        );
        assert_eq!(split("A student counts"), None);
        assert_eq!(split("U.S. coins"), None);
        assert_eq!(split("e.g. coins"), None);
        assert_eq!(split("Numbers"), None);
        assert_eq!(split("2.1.3.A"), None);
    }

    #[test]
    fn refuses_a_subject_given_twice() {
        let doc = r#"{
  "http://x/D1": {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"value": "http://purl.org/ASN/schema/core/StandardDocument", "type": "uri"}],
    "http://purl.org/gem/qualifiers/hasChild": [{"value": "http://x/A1", "type": "uri"}]
  },
  "http://x/A1": {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"value": "http://purl.org/ASN/schema/core/Statement", "type": "uri"}],
    "http://purl.org/dc/terms/description": [{"value": "Count to 100.", "type": "literal"}]
  },
  "http:\/\/x\/A1": {
    "http://purl.org/dc/terms/description": [{"value": "Count to 20.", "type": "literal"}]
  }
}"#;
        let e = read(Path::new("dup.json"), doc).unwrap_err().to_string();
        assert!(e.contains("dup.json:10:"), "{e}");
        assert!(e.contains("subject http://x/A1 appears twice"), "{e}");
        // Under another URI, both statements are read.
        let once = doc.replace("http:\\/\\/x\\/A1", "http://x/A2");
        let fw = read(Path::new("once.json"), &once).unwrap();
        assert_eq!(fw.standards.len(), 2);
    }

    #[test]
    fn assessment_limits() {
        assert_eq!(
            assessment_limit("• Assessment limit: Use 2 or 5").as_deref(),
            Some("Use 2 or 5")
        );
        assert_eq!(assessment_limit("Assessment limits: a, b").as_deref(), Some("a, b"));
        assert_eq!(assessment_limit("Assess the claim"), None);
    }
}
