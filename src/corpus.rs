//! A loaded set of frameworks and the code index over them: the object every command asks for
//! standards, codes and hierarchy.

use crate::codes::{self, CodeIndex, Ref};
use crate::error::{Error, Result};
use crate::model::{Framework, Grade, Standard, Unit};

/// A claimed code and what it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The code as written (`K C.6` when a grade and a relative code were joined).
    pub spelled: String,
    /// The standards it names; empty when unknown. Several for a heading without a node of its
    /// own (`5.MD`) or for a grade-relative code.
    pub refs: Vec<Ref>,
    /// Resolved relative to the grade (`C.6` in kindergarten): several refs mean it is ambiguous.
    pub relative: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub frameworks: Vec<Framework>,
    pub codes: CodeIndex,
}

impl Corpus {
    /// Take frameworks as read (heading codes are derived here) and index their codes.
    pub fn new(mut frameworks: Vec<Framework>) -> Corpus {
        for fw in &mut frameworks {
            codes::derive_heading_codes(fw);
        }
        let codes = CodeIndex::build(&frameworks);
        Corpus { frameworks, codes }
    }

    pub fn standard(&self, r: Ref) -> &Standard {
        &self.frameworks[r.fw].standards[r.idx]
    }

    pub fn framework_of(&self, r: Ref) -> &Framework {
        &self.frameworks[r.fw]
    }

    /// Position of the framework with this id (case-insensitive).
    pub fn framework_pos(&self, id: &str) -> Result<usize> {
        framework_pos(self.frameworks.iter().map(|f| f.id.as_str()), id)
    }

    /// Positions of frameworks selected by an optional id list.
    pub fn framework_filter(&self, ids: &[String]) -> Result<Option<Vec<usize>>> {
        framework_filter(self.frameworks.iter().map(|f| f.id.as_str()), ids)
    }

    /// The standards a code names. Unknown codes are an error with suggestions.
    pub fn resolve(&self, code: &str, fw: Option<usize>) -> Result<Vec<Ref>> {
        let found = self.codes.lookup(code, fw);
        if found.is_empty() {
            return Err(Error::UnknownCode {
                code: code.to_string(),
                suggestions: self.codes.suggest(&self.frameworks, code, fw, 5),
            });
        }
        Ok(found)
    }

    /// Resolve the codes a unit claims, with its grade when it has a single one (for codes
    /// relative to it, see [`resolve_claims`](Self::resolve_claims)).
    pub fn resolve_unit_claims(&self, unit: &Unit, fw: Option<usize>) -> Vec<Claim> {
        let grade = unit.grade.filter(|g| g.lo == g.hi).map(|g| g.lo);
        self.resolve_claims(&unit.claimed, grade, fw)
    }

    /// Resolve a list of claimed codes as a publisher wrote them. A bare grade (`K`) followed by a
    /// code relative to it (`C.6`) is read as one grade-relative code, as some exports split
    /// `K.CC.C.6`; `grade` is the unit's grade, used for such relative codes.
    pub fn resolve_claims(&self, claims: &[String], grade: Option<Grade>, fw: Option<usize>) -> Vec<Claim> {
        let mut out = Vec::new();
        let mut ctx_grade = grade;
        let mut pending_grade: Option<String> = None;
        for c in claims {
            let c = c.trim();
            if c.is_empty() {
                continue;
            }
            if codes::segments(c).len() == 1 {
                if let Some(g) = Grade::parse(c) {
                    ctx_grade = Some(g);
                    pending_grade = Some(c.to_string());
                    continue;
                }
            }
            let mut claim = Claim {
                spelled: c.to_string(),
                refs: self.codes.lookup(c, fw),
                relative: false,
            };
            if claim.refs.is_empty() {
                if let Some(g) = ctx_grade {
                    claim.refs = self.codes.lookup_partial(&self.frameworks, c, g, fw);
                    claim.relative = !claim.refs.is_empty();
                    if let Some(p) = &pending_grade {
                        claim.spelled = format!("{p} {c}");
                    }
                }
            }
            pending_grade = None;
            out.push(claim);
        }
        if let Some(p) = pending_grade {
            out.push(Claim {
                spelled: p,
                refs: Vec::new(),
                relative: false,
            });
        }
        out
    }

    /// Ancestors of a standard, nearest first.
    pub fn ancestors(&self, r: Ref) -> Vec<Ref> {
        self.frameworks[r.fw]
            .ancestors(r.idx)
            .into_iter()
            .map(|idx| Ref { fw: r.fw, idx })
            .collect()
    }
}

/// Position of the framework with this id (case-insensitive) among `known`, the frameworks' ids in
/// index order; an unknown id is an error listing them.
pub fn framework_pos<'a>(known: impl Iterator<Item = &'a str> + Clone, id: &str) -> Result<usize> {
    known
        .clone()
        .position(|f| f.eq_ignore_ascii_case(id.trim()))
        .ok_or_else(|| Error::UnknownFramework {
            id: id.to_string(),
            known: known.map(String::from).collect(),
        })
}

/// Positions of the frameworks an optional id list selects (`None` for an empty list: all).
pub fn framework_filter<'a>(
    known: impl Iterator<Item = &'a str> + Clone,
    ids: &[String],
) -> Result<Option<Vec<usize>>> {
    if ids.is_empty() {
        return Ok(None);
    }
    ids.iter()
        .map(|id| framework_pos(known.clone(), id))
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
