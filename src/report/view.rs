//! Serializable views of standards, shared by the JSON output of several commands.

use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{grades_label, Note};
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
        }
    }

    /// Same, without the notes and alternative codes (for lists).
    pub fn brief(c: &Corpus, r: Ref) -> StandardView {
        let mut v = StandardView::new(c, r);
        v.notes.clear();
        v.alt_codes.clear();
        v
    }
}

/// `K-5`, `4`, `9-12` for a standard.
pub fn grades_of(c: &Corpus, r: Ref) -> String {
    grades_label(&c.standard(r).grades)
}
