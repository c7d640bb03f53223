//! Which standards a unit may match: frameworks, grades and subject, resolved against the engine
//! store into the docs a unit's candidates come from.

use crate::index::store::Store;
use crate::model::{GradeRange, Unit};

/// Which standards a unit may match.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Framework positions (all when `None`).
    pub frameworks: Option<Vec<usize>>,
    /// Grades; when `None`, the unit's own grade (if any) limits its candidates.
    pub grades: Option<GradeRange>,
    /// Ignore the unit's own grade too.
    pub no_grade: bool,
    pub subject: Option<String>,
}

impl Scope {
    /// The one framework in scope, if only one is.
    pub fn single_framework(&self) -> Option<usize> {
        self.frameworks.as_ref().filter(|f| f.len() == 1).map(|f| f[0])
    }

    /// The grades a unit's candidates are limited to: the scope's, else the unit's own (unless
    /// `no_grade`).
    pub fn grades_for(&self, unit: &Unit) -> Option<GradeRange> {
        self.grades.or(if self.no_grade { None } else { unit.grade })
    }

    /// The frameworks a unit's candidates come from: those of the scope with the subject of the
    /// scope (else of the unit). A subject that names no framework's subject does not filter.
    pub fn frameworks_for(&self, store: &Store, unit: &Unit) -> Vec<usize> {
        let fws = &store.meta.frameworks;
        let subject = self
            .subject
            .as_deref()
            .or(unit.subject.as_deref())
            .map(normalize_subject)
            .filter(|s| fws.iter().any(|f| &f.subject == s));
        (0..fws.len())
            .filter(|f| self.frameworks.as_ref().is_none_or(|x| x.contains(f)))
            .filter(|&f| subject.as_deref().is_none_or(|s| fws[f].subject == s))
            .collect()
    }

    /// The docs a unit's candidates come from, ascending.
    pub fn docs_for(&self, store: &Store, unit: &Unit) -> Vec<u32> {
        let grades = self.grades_for(unit);
        let mut out = Vec::new();
        for f in self.frameworks_for(store, unit) {
            match grades {
                Some(g) => out.extend(store.docs_in_grades(f, g.lo, g.hi)),
                None => out.extend(store.fw_docs(f)),
            }
        }
        out
    }
}

/// Map a subject label to the corpus's subject ids (`mathematics` -> `math`): the model's one
/// vocabulary of subjects.
pub fn normalize_subject(s: &str) -> String {
    crate::model::subject::normalize(s)
}
