//! Reviewers' decisions on unit x standard pairs: reading a decisions file
//! ([`Decisions::read`]), applying it to a run's alignments ([`apply`]), and the starting file a
//! committee fills in ([`template`]).
//!
//! A decisions file is CSV with a header naming at least `unit`, `code` and `decision` (also
//! `reviewer`, `date`, `note`; other columns are ignored). `decision` is `accept` or `reject`
//! (any case); an empty one is a pair nobody has decided yet and is left alone.
//!
//! Applied to a run: a rejected pair no longer counts toward coverage (neither the unit's match
//! of the standard nor its claim of the code), an accepted one counts whatever its score (a match
//! is added when the engine did not propose it); both carry the decision
//! ([`Reviewed`], `"reviewed": {"decision", "reviewer", "date", "note"}` in JSON). Any command
//! that holds a `Vec<UnitAlignment>` can call [`apply`]: for a crosswalk the `unit` is the source
//! standard's code.

use crate::align::claims::covers;
use crate::align::{Match, Strength, UnitAlignment};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::error::{read_text, Error, Location, Result};
use crate::ingest::csv_guard;
use crate::model::Unit;
use crate::report::Table;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A reviewer's verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accept,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Reject => "reject",
        }
    }

    /// `✓ reviewed` or `✗ rejected`, as tables show it.
    pub fn marker(self) -> &'static str {
        match self {
            Decision::Accept => "✓ reviewed",
            Decision::Reject => "✗ rejected",
        }
    }

    fn parse(s: &str) -> Option<Decision> {
        match s.trim().to_ascii_lowercase().as_str() {
            "accept" | "accepted" => Some(Decision::Accept),
            "reject" | "rejected" => Some(Decision::Reject),
            _ => None,
        }
    }
}

/// The decision a match or a claim carries once reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewed {
    pub decision: Decision,
    pub reviewer: String,
    pub date: String,
    pub note: String,
}

impl Reviewed {
    pub fn rejected(&self) -> bool {
        self.decision == Decision::Reject
    }
    pub fn accepted(&self) -> bool {
        self.decision == Decision::Accept
    }
}

/// Whether an optional review rejects its pair.
pub fn is_rejected(r: &Option<Reviewed>) -> bool {
    r.as_ref().is_some_and(Reviewed::rejected)
}

/// Whether an optional review accepts its pair.
pub fn is_accepted(r: &Option<Reviewed>) -> bool {
    r.as_ref().is_some_and(Reviewed::accepted)
}

/// One row of a decisions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub line: u64,
    pub unit: String,
    pub code: String,
    /// `None`: not decided yet (an empty cell).
    pub decision: Option<Decision>,
    pub reviewer: String,
    pub date: String,
    pub note: String,
}

impl DecisionRow {
    fn reviewed(&self, d: Decision) -> Reviewed {
        Reviewed {
            decision: d,
            reviewer: self.reviewer.clone(),
            date: self.date.clone(),
            note: self.note.clone(),
        }
    }
}

/// A decisions file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decisions {
    pub path: PathBuf,
    pub rows: Vec<DecisionRow>,
}

/// A header cell as compared: lower case, without spaces, underscores and hyphens.
fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Decisions {
    /// Read a decisions file. A missing `unit`, `code` or `decision` column, malformed CSV, text
    /// that is not UTF-8, a decision other than accept/reject, a row without its unit or code, and
    /// one pair decided both ways are errors naming the file and line.
    pub fn read(path: &Path) -> Result<Decisions> {
        let text = read_text(path)?;
        Decisions::parse(path, &text)
    }

    /// As [`Decisions::read`], for text in memory (`path` names it in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Decisions> {
        let csv_guard::HeadedCsv {
            text,
            delim,
            lines,
            header_line,
            headers,
            reader: mut rdr,
        } = csv_guard::HeadedCsv::open(path, text)?;
        let csv_err = |e: csv::Error| csv_guard::malformed(path, &lines, e);
        let col = |name: &str| headers.iter().position(|h| header_key(h) == name);
        let need = |name: &str| {
            col(name).ok_or_else(|| {
                Error::input(
                    Location::line(path, header_line),
                    format!(
                        "missing required column `{name}` (a decisions file's header is unit,code,decision,reviewer,date,note; this one has: {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
        };
        let (c_unit, c_code, c_dec) = (need("unit")?, need("code")?, need("decision")?);
        let (c_rev, c_date, c_note) = (col("reviewer"), col("date"), col("note"));
        let n = headers.len();
        csv_guard::check_quotes(path, text, delim, n, false, &|cells: &[&str]| {
            cells.get(c_dec).is_some_and(|d| Decision::parse(d).is_some())
        })?;
        let mut rows: Vec<DecisionRow> = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(csv_err)?;
            let line = rec.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
            if rec.iter().all(str::is_empty) {
                continue;
            }
            let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").to_string();
            let at = Location::line(path, line);
            let (unit, code, dec) = (cell(Some(c_unit)), cell(Some(c_code)), cell(Some(c_dec)));
            if unit.is_empty() || code.is_empty() {
                let missing = if unit.is_empty() { "unit" } else { "code" };
                return Err(Error::input(at, format!("row has no {missing}")));
            }
            let decision = if dec.is_empty() {
                None
            } else {
                Some(Decision::parse(&dec).ok_or_else(|| {
                    Error::input(
                        at.clone(),
                        format!("decision {dec:?} is neither accept nor reject (or empty: not decided)"),
                    )
                })?)
            };
            let key = crate::codes::normalize(&code);
            if let Some(d) = decision {
                if let Some(prev) = rows.iter().find(|r| {
                    r.unit == unit && crate::codes::normalize(&r.code) == key && r.decision.is_some_and(|x| x != d)
                }) {
                    return Err(Error::input(
                        at,
                        format!(
                            "unit {unit} x {code} is decided both ways: {} here, {} on line {}",
                            d.as_str(),
                            prev.decision.map_or("", Decision::as_str),
                            prev.line
                        ),
                    ));
                }
            }
            rows.push(DecisionRow {
                line,
                unit,
                code,
                decision,
                reviewer: cell(c_rev),
                date: cell(c_date),
                note: cell(c_note),
            });
        }
        if rows.is_empty() {
            return Err(Error::input(
                Location::line(path, header_line),
                "no decisions after the header",
            ));
        }
        Ok(Decisions {
            path: path.to_path_buf(),
            rows,
        })
    }

    /// The rows that carry a decision.
    pub fn decided(&self) -> impl Iterator<Item = (&DecisionRow, Decision)> {
        self.rows.iter().filter_map(|r| r.decision.map(|d| (r, d)))
    }
}

/// One decision as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedDecision {
    pub line: u64,
    pub unit: String,
    pub code: String,
    pub decision: Decision,
    /// Matches it marked.
    pub matches: usize,
    /// Claims it marked.
    pub claims: usize,
    /// An accepted pair the engine had not proposed: a match was added.
    pub added: bool,
}

/// What [`apply`] did, and what it could not do (for warnings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub applied: Vec<AppliedDecision>,
    /// Rows whose unit id names no unit: (line, unit).
    pub unknown_units: Vec<(u64, String)>,
    /// Rows whose code names no standard: (line, code, suggestions).
    pub unknown_codes: Vec<(u64, String, Vec<String>)>,
    /// Rejections of a pair the run neither matched nor claimed: (line, unit, code).
    pub unmatched: Vec<(u64, String, String)>,
    /// Rows left undecided.
    pub undecided: usize,
}

impl Applied {
    /// One message per problem, `FILE:LINE: ...`, in the file's order.
    pub fn warnings(&self, file: &Path) -> Vec<String> {
        let f = file.display();
        let mut w: Vec<(u64, String)> = Vec::new();
        for (l, u) in &self.unknown_units {
            w.push((
                *l,
                format!("{f}:{l}: decision for unit {u:?}, which no unit of the input has; not applied"),
            ));
        }
        for (l, c, s) in &self.unknown_codes {
            let hint = if s.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", s.join(", "))
            };
            w.push((
                *l,
                format!("{f}:{l}: decision for code {c:?}, which names no standard{hint}; not applied"),
            ));
        }
        for (l, u, c) in &self.unmatched {
            w.push((
                *l,
                format!("{f}:{l}: rejection of unit {u} x {c}, which the run neither matched nor claimed"),
            ));
        }
        w.sort_by_key(|x| x.0);
        w.into_iter().map(|x| x.1).collect()
    }
}

/// Whether a match is of the standard(s) `refs` name: the standard itself, a part of it, or the
/// standard a named part belongs to.
fn match_hits(corpus: &Corpus, refs: &[Ref], m: &Match) -> bool {
    refs.iter().any(|&r| covers(corpus, r, m.r))
}

/// Apply the decisions to a run's alignments (see the module's header). Codes are looked up in
/// every framework; an accepted pair the run did not propose gets a match in the framework the
/// run's matches are in.
pub fn apply(decisions: &Decisions, corpus: &Corpus, units: &[Unit], alignments: &mut [UnitAlignment]) -> Applied {
    let mut out = Applied {
        undecided: decisions.rows.iter().filter(|r| r.decision.is_none()).count(),
        ..Default::default()
    };
    let mut run_fws: Vec<usize> = alignments
        .iter()
        .flat_map(|a| a.matches.iter().map(|m| m.r.fw))
        .collect();
    run_fws.sort_unstable();
    run_fws.dedup();
    for (row, d) in decisions.decided() {
        let targets: Vec<usize> = alignments
            .iter()
            .enumerate()
            .filter(|(_, a)| units.get(a.unit).is_some_and(|u| u.id == row.unit))
            .map(|(i, _)| i)
            .collect();
        if targets.is_empty() {
            out.unknown_units.push((row.line, row.unit.clone()));
            continue;
        }
        let all = corpus.codes.lookup(&row.code, None);
        let in_run: Vec<Ref> = all.iter().copied().filter(|r| run_fws.contains(&r.fw)).collect();
        let refs = if in_run.is_empty() { all } else { in_run };
        let key = crate::codes::normalize(&row.code);
        let mut applied = AppliedDecision {
            line: row.line,
            unit: row.unit.clone(),
            code: row.code.clone(),
            decision: d,
            matches: 0,
            claims: 0,
            added: false,
        };
        for &t in &targets {
            let a = &mut alignments[t];
            for m in a.matches.iter_mut().filter(|m| match_hits(corpus, &refs, m)) {
                m.reviewed = Some(row.reviewed(d));
                applied.matches += 1;
            }
            for k in a
                .claims
                .iter_mut()
                .filter(|k| crate::codes::normalize(&k.claimed) == key || k.resolved.iter().any(|r| refs.contains(r)))
            {
                k.reviewed = Some(row.reviewed(d));
                applied.claims += 1;
            }
        }
        if refs.is_empty() && applied.claims == 0 {
            let fw = run_fws.first().copied();
            out.unknown_codes.push((
                row.line,
                row.code.clone(),
                corpus.codes.suggest(&corpus.frameworks, &row.code, fw, 3),
            ));
            continue;
        }
        if applied.matches == 0 && applied.claims == 0 {
            match d {
                Decision::Reject => {
                    out.unmatched.push((row.line, row.unit.clone(), row.code.clone()));
                    continue;
                }
                Decision::Accept => {
                    for &t in &targets {
                        alignments[t].matches.push(Match {
                            r: refs[0],
                            score: 0.0,
                            strength: Strength::Weak,
                            evidence: Vec::new(),
                            reviewed: Some(row.reviewed(d)),
                        });
                    }
                    applied.added = true;
                }
            }
        }
        out.applied.push(applied);
    }
    out
}

/// The starting decisions file of a run: one row per unit x proposed match and per claimed code
/// (a claim of a standard already matched shares its row), decision, reviewer and date empty,
/// the note holding the unit's title, the score and where the pair comes from.
pub fn template(corpus: &Corpus, units: &[Unit], alignments: &[UnitAlignment]) -> Table {
    let mut t = Table::new(["unit", "code", "decision", "reviewer", "date", "note"]);
    for a in alignments {
        let Some(u) = units.get(a.unit) else { continue };
        let title = crate::report::matches::unit_name(u);
        let mut seen: Vec<String> = Vec::new();
        let mut rows: Vec<(String, String)> = Vec::new();
        for m in &a.matches {
            let code = corpus.standard(m.r).display_code().to_string();
            if seen.contains(&code) {
                continue;
            }
            let claim = a.claims.iter().find(|k| {
                k.resolved.contains(&m.r) || crate::codes::normalize(&k.claimed) == crate::codes::normalize(&code)
            });
            let from = match claim {
                Some(k) => format!(
                    "match {:.2} {}; claimed {}",
                    m.score,
                    m.strength.as_str(),
                    k.status.as_str()
                ),
                None => format!("match {:.2} {}", m.score, m.strength.as_str()),
            };
            seen.push(code.clone());
            if let Some(k) = claim {
                seen.push(k.claimed.clone());
            }
            rows.push((code, from));
        }
        for k in &a.claims {
            if seen.contains(&k.claimed) {
                continue;
            }
            let score = k.score.map(|s| format!(" {s:.2}")).unwrap_or_default();
            rows.push((k.claimed.clone(), format!("claimed {}{score}", k.status.as_str())));
            seen.push(k.claimed.clone());
        }
        for (code, from) in rows {
            t.row([
                u.id.clone(),
                code,
                String::new(),
                String::new(),
                String::new(),
                format!("{title}; {from}"),
            ]);
        }
    }
    t
}

/// The reviewed pairs of a run, for the table and Markdown reports: unit, code, decision marker,
/// reviewer, date, note.
pub fn reviewed_table(corpus: &Corpus, units: &[Unit], alignments: &[UnitAlignment]) -> Table {
    let mut t = Table::new(["unit", "code", "review", "reviewer", "date", "note"]).wrap(["note"]);
    let mut rows: Vec<[String; 6]> = Vec::new();
    for a in alignments {
        let id = units.get(a.unit).map_or("", |u| u.id.as_str());
        let ms = a.matches.iter().filter_map(|m| {
            m.reviewed
                .as_ref()
                .map(|r| (corpus.standard(m.r).display_code().to_string(), r))
        });
        let ks = a
            .claims
            .iter()
            .filter_map(|k| k.reviewed.as_ref().map(|r| (k.claimed.clone(), r)));
        for (code, r) in ms.chain(ks) {
            let row = [
                id.to_string(),
                code,
                r.decision.marker().to_string(),
                r.reviewer.clone(),
                r.date.clone(),
                r.note.clone(),
            ];
            if !rows.contains(&row) {
                rows.push(row);
            }
        }
    }
    for r in rows {
        t.row(r);
    }
    t
}

/// Whether any match or claim of a run carries a review.
pub fn any_reviewed(alignments: &[UnitAlignment]) -> bool {
    alignments
        .iter()
        .any(|a| a.matches.iter().any(|m| m.reviewed.is_some()) || a.claims.iter().any(|k| k.reviewed.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Decisions> {
        Decisions::parse(Path::new("d.csv"), t)
    }

    #[test]
    fn reads_decisions_any_case_and_leaves_empty_ones_undecided() {
        let d = parse("Unit,Code,Decision,Reviewer,Date,Note,extra\n1.1,4.NBT.A.1,ACCEPT,ak,2026-01-02,ok,x\n1.2,4.NBT.A.3,,,,\n1.3,4.NF.A.1,reject,,,\n").unwrap();
        assert_eq!(d.rows.len(), 3);
        assert_eq!(d.rows[0].decision, Some(Decision::Accept));
        assert_eq!(d.rows[0].reviewer, "ak");
        assert_eq!(d.rows[1].decision, None);
        assert_eq!(d.rows[2].decision, Some(Decision::Reject));
        assert_eq!(d.rows[2].line, 4);
        assert_eq!(d.decided().count(), 2);
    }

    #[test]
    fn bad_files_name_their_line() {
        let e = parse("unit,code\n1.1,4.NBT.A.1\n").unwrap_err().to_string();
        assert!(e.starts_with("d.csv:1: missing required column `decision`"), "{e}");
        let e = parse("unit,code,decision\n1.1,4.NBT.A.1,accept\n1.2,4.NBT.A.2,maybe\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.csv:3: decision \"maybe\""), "{e}");
        let e = parse("unit,code,decision\n1.1,,accept\n").unwrap_err().to_string();
        assert!(e.starts_with("d.csv:2: row has no code"), "{e}");
        let e = parse("unit,code,decision\n1.1,4.NBT.A.1,accept\n1.1,4.nbt.a.1,reject\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.csv:3:") && e.contains("line 2"), "{e}");
        let e = parse("unit,code,decision\n1.1,\"4.NBT.A.1,accept\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.csv:2: malformed CSV"), "{e}");
        assert!(parse("  \n").unwrap_err().to_string().contains("empty"));
        assert!(parse("unit,code,decision\n")
            .unwrap_err()
            .to_string()
            .contains("no decisions"));
    }
}
