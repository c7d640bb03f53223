//! Serializable views of standards, shared by the JSON output of several commands.

use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{grades_label, Association, Note};
use serde::Serialize;

/// A standard as JSON output shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StandardView {
    /// The code as the framework publishes it (`4.NF.B.3`), or null for nodes without one.
    pub code: Option<String>,
    pub framework: String,
    /// The publisher's GUID or URI.
    pub uri: String,
    pub kind: String,
    /// Grade labels: `K`, `1` ... `12`.
    pub grades: Vec<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alt_codes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Typed links the publisher gave (CASE associations, NGSS supporting elements and CCSS
    /// connections).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub associations: Vec<Association>,
}

impl StandardView {
    pub fn new(c: &Corpus, r: Ref) -> StandardView {
        let s = c.standard(r);
        StandardView {
            code: s.code.clone(),
            framework: c.frameworks[r.fw].id.clone(),
            uri: s.uri.clone(),
            kind: s.kind.as_str().to_string(),
            grades: s.grades.iter().map(|g| g.label()).collect(),
            text: s.text.clone(),
            alt_codes: s.alt_codes.clone(),
            notes: s.notes.clone(),
            associations: s.associations.clone(),
        }
    }

    /// A node as the engine store shows it (code, framework, URI, kind, grades, text), without
    /// reading the corpus.
    pub fn from_store(st: &crate::index::store::Store, node: u32) -> StandardView {
        let code = st.node_code(node);
        StandardView {
            code: (!code.is_empty()).then(|| code.to_string()),
            framework: st
                .meta
                .frameworks
                .get(st.node_fw(node))
                .map(|f| f.id.clone())
                .unwrap_or_default(),
            uri: st.node_uri(node).to_string(),
            kind: st.node_kind(node).as_str().to_string(),
            grades: st.node_grades(node).iter().map(|g| g.label()).collect(),
            text: st.node_text(node).to_string(),
            alt_codes: Vec::new(),
            notes: Vec::new(),
            associations: Vec::new(),
        }
    }

    /// Same, without the notes and alternative codes (for lists).
    pub fn brief(c: &Corpus, r: Ref) -> StandardView {
        let mut v = StandardView::new(c, r);
        v.notes.clear();
        v.alt_codes.clear();
        v.associations.clear();
        v
    }
}

/// `K-5`, `4`, `9-12` for a standard.
pub fn grades_of(c: &Corpus, r: Ref) -> String {
    grades_label(&c.standard(r).grades)
}

/// The code in a corestandards.org URI (`http://corestandards.org/Math/Content/6/RP/A/3` ->
/// `6.RP.A.3`), as NGSS links to CCSS.
pub fn code_from_ccss_uri(uri: &str) -> Option<String> {
    let rest = uri.split("corestandards.org/").nth(1)?;
    let rest = rest
        .strip_prefix("Math/Content/")
        .or_else(|| rest.strip_prefix("Math/Practice/"))
        .or_else(|| rest.strip_prefix("ELA-Literacy/"))?;
    let code = rest.trim_end_matches('/').replace('/', ".");
    (!code.is_empty()).then_some(code)
}
