//! Which standards a unit may match: frameworks, grades, subject and strands, resolved against the
//! engine store into the docs a unit's candidates come from.
//!
//! The strand rule ([`Strands`]) is the one `match`, `audit` and `eval` share: a standard's strand
//! is read from its code ([`strand_of`]: `RL` for `RL.7.2`, `WHST` for `WHST.6-8.1`, `PS` for
//! `MS-PS1-1`). By default every strand is in scope except the literacy-in-history/science/technical
//! strands of CCSS ELA (`RH`, `RST`, `WHST`), which an ELA course is not held to: they are a
//! separate scope, chosen with `--strand literacy` (or `--strand RH,RST,WHST`). `--strand` names
//! the only strands in scope (`all`: every strand); `--exclude` leaves strands out.

use crate::error::{Error, Result};
use crate::index::store::Store;
use crate::model::{GradeRange, Unit};

/// The literacy-in-history/social studies, science and technical subjects strands of CCSS ELA,
/// out of scope unless asked for.
pub const LITERACY_STRANDS: [&str; 3] = ["RH", "RST", "WHST"];

/// Which strands are in scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strands {
    /// Only these strands (upper case), when given; standards without a strand are then out too.
    pub only: Option<Vec<String>>,
    /// These strands are out (upper case).
    pub exclude: Vec<String>,
}

impl Default for Strands {
    /// Every strand but the literacy ones.
    fn default() -> Strands {
        Strands {
            only: None,
            exclude: LITERACY_STRANDS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Strands {
    /// Every standard, whatever its strand.
    pub fn all() -> Strands {
        Strands {
            only: None,
            exclude: Vec::new(),
        }
    }

    /// The strands of `--strand` and `--exclude`: names or codes, case-insensitive, `literacy`
    /// standing for RH, RST, WHST and `all` for every strand. Without `--strand`, the default
    /// (every strand but the literacy ones); `--exclude` then leaves more out.
    pub fn from_request(only: &[String], exclude: &[String]) -> Strands {
        let expand = |names: &[String]| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for n in names
                .iter()
                .flat_map(|n| n.split(','))
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                if n.eq_ignore_ascii_case("literacy") {
                    out.extend(LITERACY_STRANDS.iter().map(|s| s.to_string()));
                } else {
                    out.push(n.to_ascii_uppercase());
                }
            }
            out.sort();
            out.dedup();
            out
        };
        let only = expand(only);
        let mut s = if only.is_empty() {
            Strands::default()
        } else if only.iter().any(|n| n == "ALL") {
            Strands::all()
        } else {
            Strands {
                only: Some(only),
                exclude: Vec::new(),
            }
        };
        s.exclude.extend(expand(exclude));
        s.exclude.sort();
        s.exclude.dedup();
        s
    }

    /// The strands named by the request (to check that they exist), other than `all`.
    pub fn named(&self) -> impl Iterator<Item = &str> {
        self.only.iter().flatten().map(String::as_str)
    }

    /// Whether a standard with this code is in scope.
    pub fn admits(&self, code: &str) -> bool {
        match strand_of(code) {
            Some(s) => {
                self.only.as_ref().is_none_or(|o| o.iter().any(|x| x == s)) && !self.exclude.iter().any(|x| x == s)
            }
            None => self.only.is_none(),
        }
    }
}

/// The strand of a standard, read from its code: the first segment when it is a word of capital
/// letters (`RL.7.2` -> `RL`, `WHST.6-8.1` -> `WHST`, `CCRA.R.1` -> `CCRA`; not the grade `K` of
/// `K.CC.A.1`), else the letters of the first `-` segment of letters and digits (NGSS `MS-PS1-1`
/// -> `PS`, `K-2-ETS1-1` -> `ETS`). `None` for other codes (`4.NF.B.3`, `HSA-REI.B.3`).
pub fn strand_of(code: &str) -> Option<&str> {
    let code = code.trim();
    let first = code.split('.').next().unwrap_or("");
    if code.contains('.')
        && !first.is_empty()
        && first.len() <= 5
        && first.bytes().all(|b| b.is_ascii_uppercase())
        && first != "K"
        && first != "PK"
    {
        return Some(first);
    }
    code.split('-').find_map(|seg| {
        let letters = seg.bytes().take_while(u8::is_ascii_uppercase).count();
        let rest = &seg[letters..];
        (letters > 0 && letters <= 4 && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
            .then(|| &seg[..letters])
    })
}

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

/// The strand rule resolved against the engine store: the docs of the scope's frameworks it
/// leaves out. Matching drops them from a unit's matches, coverage does not count them.
#[derive(Debug, Clone, Default)]
pub struct StrandScope {
    pub rule: Strands,
    /// Docs out of scope, ascending.
    pub excluded: Vec<u32>,
}

impl StrandScope {
    /// The rule applied to the docs of `frameworks`, in one pass over them (once per command). A
    /// strand the request names that no standard of these frameworks has is a usage error that
    /// lists the strands they have.
    pub fn resolve(store: &Store, frameworks: &[usize], rule: Strands) -> Result<StrandScope> {
        let mut excluded = Vec::new();
        let mut seen: std::collections::BTreeSet<&str> = Default::default();
        for &f in frameworks {
            for d in store.fw_docs(f) {
                let code = store.node_code(store.doc_node(d));
                seen.extend(strand_of(code));
                if !rule.admits(code) {
                    excluded.push(d);
                }
            }
        }
        let ids: Vec<&str> = frameworks
            .iter()
            .filter_map(|&f| store.meta.frameworks.get(f).map(|m| m.id.as_str()))
            .collect();
        let unknown: Vec<&str> = rule
            .named()
            .chain(rule.exclude.iter().map(String::as_str))
            .filter(|s| !seen.contains(s) && !LITERACY_STRANDS.contains(s))
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Usage(format!(
                "no strand {} in {}; {}",
                unknown.join(", "),
                ids.join(", "),
                if seen.is_empty() {
                    "its standards have no strands".to_string()
                } else {
                    format!("strands: {}", seen.into_iter().collect::<Vec<_>>().join(", "))
                }
            )));
        }
        let asked_literacy = rule.named().any(|s| LITERACY_STRANDS.contains(&s));
        if asked_literacy && !LITERACY_STRANDS.iter().any(|s| seen.contains(s)) {
            return Err(Error::Usage(format!(
                "no literacy strand (RH, RST, WHST) in {}",
                ids.join(", ")
            )));
        }
        excluded.sort_unstable();
        Ok(StrandScope { rule, excluded })
    }

    /// Whether the rule keeps this doc.
    pub fn admits_doc(&self, d: u32) -> bool {
        self.excluded.binary_search(&d).is_err()
    }

    /// Whether the rule keeps the standard with this code (for the corpus's standards).
    pub fn admits_code(&self, code: &str) -> bool {
        self.rule.admits(code)
    }
}

/// Map a subject label to the corpus's subject ids (`mathematics` -> `math`): the model's one
/// vocabulary of subjects.
pub fn normalize_subject(s: &str) -> String {
    crate::model::subject::normalize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strands_are_read_from_codes() {
        for (code, want) in [
            ("RL.7.2", Some("RL")),
            ("W.7.3a", Some("W")),
            ("L.7.1", Some("L")),
            ("RH.6-8.1", Some("RH")),
            ("WHST.6-8.10", Some("WHST")),
            ("RST.11-12.3", Some("RST")),
            ("CCRA.R.1", Some("CCRA")),
            ("MS-PS1-1", Some("PS")),
            ("HS-LS2-7", Some("LS")),
            ("K-2-ETS1-1", Some("ETS")),
            ("3-5-ETS1-2", Some("ETS")),
            ("MS-ESS3-5", Some("ESS")),
            ("4.NF.B.3", None),
            ("K.CC.A.1", None),
            ("HSA-REI.B.3", None),
            ("A-REI.3", None),
            ("", None),
        ] {
            assert_eq!(strand_of(code), want, "{code}");
        }
    }

    #[test]
    fn literacy_is_out_by_default_and_in_on_request() {
        let d = Strands::default();
        assert!(d.admits("RL.7.2") && d.admits("4.NF.B.3") && d.admits("MS-PS1-1"));
        assert!(!d.admits("RH.6-8.1") && !d.admits("RST.6-8.2") && !d.admits("WHST.6-8.8"));
        let lit = Strands::from_request(&["literacy".into()], &[]);
        assert!(lit.admits("RH.6-8.1") && lit.admits("WHST.6-8.8"));
        assert!(!lit.admits("RL.7.2") && !lit.admits("4.NF.B.3"));
        assert_eq!(Strands::from_request(&["rh,RST".into(), "whst".into()], &[]), lit);
        let all = Strands::from_request(&["all".into()], &[]);
        assert!(all.admits("RH.6-8.1") && all.admits("RL.7.2"));
        let no_l = Strands::from_request(&[], &["l".into()]);
        assert!(!no_l.admits("L.7.1") && !no_l.admits("RH.6-8.1") && no_l.admits("RL.7.1"));
        let sci = Strands::from_request(&["PS".into()], &["ETS".into()]);
        assert!(sci.admits("MS-PS1-1") && !sci.admits("MS-LS1-1") && !sci.admits("MS-ETS1-1"));
    }
}
