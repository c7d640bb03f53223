//! Plain CSV of a district's (or a school's) own standards.
//!
//! A header row is required. Column names are matched case-insensitively, surrounding spaces
//! ignored; columns not listed here are ignored.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `code` | yes | the standard's code, unique in the file (`ALG.1`, `4.NF.3a`) |
//! | `text` | yes | the statement; `description` or `statement` are accepted instead |
//! | `grade` or `grades` | no | `4`, `K`, `K-2`, `K;1;2`, `9-12`, `HS`; empty: the parent's grades |
//! | `subject` | no | `math`, `ela`, ...; the most common value becomes the framework's subject |
//! | `parent` | no | the parent's code; the parent may be anywhere in the file |
//! | `kind` | no | `domain`, `cluster`, `standard`, `component`, `practice`, `grouping`, `topic`, ... |
//! | `notes` or `note` | no | a note shown with the standard (an example, an age period, the standard it adapts) |
//!
//! Without a `kind`, a node is inferred from the tree: a top-level row with children is a
//! grouping, a row whose children are all leaves a standard (its children components), other rows
//! with children domains or clusters, leaves standards.
//!
//! The framework id is the file stem slugged (`Springfield Math.csv` -> `springfield-math`), and
//! each node's identity is `urn:aligner:<framework-id>:<code>`.
//!
//! Errors name the file and line: a missing required column (by name), an empty code or text, a
//! duplicate code, an unknown parent code, a parent cycle, a bad grade, an unknown kind.

use super::opensalt_csv::csv_error;
use super::{finish, slug};
use crate::error::{Error, Location, Result};
use crate::ingest::csv_guard;
use crate::model::{Framework, Grade, Kind, Note, Standard};
use crate::text::clean;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

fn parse_kind(s: &str) -> Option<Kind> {
    let l = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    Some(match l.as_str() {
        "grouping" | "group" | "heading" => Kind::Grouping,
        "grade" => Kind::Grade,
        "domain" => Kind::Domain,
        "cluster" => Kind::Cluster,
        "topic" => Kind::Topic,
        "standard" => Kind::Standard,
        "component" | "substandard" | "sub_standard" => Kind::Component,
        "performance_expectation" | "pe" => Kind::PerformanceExpectation,
        "element" => Kind::Element,
        "practice" => Kind::Practice,
        "other" => Kind::Other,
        _ => return super::kind_from_label(s),
    })
}

struct Row {
    line: u64,
    code: String,
    text: String,
    grades: Option<Vec<Grade>>,
    subject: String,
    parent: Option<(String, u64)>,
    kind: Option<Kind>,
    note: String,
}

pub fn read(path: &Path, text: &str) -> Result<Framework> {
    let delim = csv_guard::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            csv_guard::check_quotes(path, text, delim, 0, false, &|_| false)?;
            return Err(csv_error(path, &e));
        }
    };
    let col = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
    };
    let missing = |name: &str| Error::input(Location::line(path, 1), format!("missing required column `{name}`"));
    let c_code = col(&["code"]).ok_or_else(|| missing("code"))?;
    let c_text =
        col(&["text", "description", "statement"]).ok_or_else(|| missing("text` (or `description`, `statement`)"))?;
    let c_grade = col(&["grade", "grades"]);
    let c_subject = col(&["subject"]);
    let c_parent = col(&["parent"]);
    let c_kind = col(&["kind"]);
    let c_note = col(&["notes", "note"]);
    // A line that looks like a row: a code of one word, and a grade where the file has grades.
    let looks_like_row = |cells: &[&str]| {
        cells
            .get(c_code)
            .is_some_and(|c| !c.is_empty() && !c.contains(char::is_whitespace))
            && c_grade.is_none_or(|g| {
                cells
                    .get(g)
                    .is_some_and(|g| g.is_empty() || Grade::parse_list(g).is_some())
            })
    };
    csv_guard::check_quotes(path, text, delim, headers.len(), c_grade.is_some(), &looks_like_row)?;

    let mut rows: Vec<Row> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::default();
    let lines = csv_guard::Lines::new(text);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, &e))?;
        let line = rec.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let err = |msg: String| Error::input(Location::line(path, line), msg);
        if rec.len() > headers.len() && rec.iter().skip(headers.len()).any(|c| !c.trim().is_empty()) {
            return Err(err(format!(
                "row has {} cells but the header has {} (quote cells that contain the delimiter)",
                rec.len(),
                headers.len()
            )));
        }
        let code = get(Some(c_code)).to_string();
        if code.is_empty() {
            return Err(err("empty `code`".into()));
        }
        let text = clean(get(Some(c_text)));
        if text.is_empty() {
            return Err(err(format!("empty text for code {code}")));
        }
        let grades = match get(c_grade) {
            "" => None,
            g => Some(Grade::parse_list(g).ok_or_else(|| err(format!("not a grade or grade range: {g:?}")))?),
        };
        let kind = match get(c_kind) {
            "" => None,
            k => Some(parse_kind(k).ok_or_else(|| err(format!("unknown kind {k:?}")))?),
        };
        let parent = Some(get(c_parent))
            .filter(|p| !p.is_empty())
            .map(|p| (p.to_string(), line));
        if let Some(first) = by_code.get(&code).and_then(|&first| rows.get(first)) {
            return Err(err(format!("duplicate code {code} (first on line {})", first.line)));
        }
        by_code.insert(code.clone(), rows.len());
        rows.push(Row {
            line,
            code,
            text,
            grades,
            subject: get(c_subject).to_string(),
            parent,
            kind,
            note: clean(get(c_note)),
        });
    }
    if rows.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "no standards: the file has a header but no rows",
        ));
    }

    // Resolve parents and check for cycles.
    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    for r in &rows {
        parent_of.push(match &r.parent {
            None => None,
            Some((p, line)) => match by_code.get(p) {
                Some(&i) => Some(i),
                None => {
                    return Err(Error::input(
                        Location::line(path, *line),
                        format!("unknown parent code {p}"),
                    ))
                }
            },
        });
    }
    if let Some(cycle) = super::parent_cycles(&parent_of).into_iter().min() {
        // parent_cycles gives indices of parent_of, which has a slot per row.
        let codes: Vec<&str> = cycle
            .iter()
            .filter_map(|&i| rows.get(i))
            .map(|r| r.code.as_str())
            .collect();
        let first = cycle.first().copied().unwrap_or(0);
        let (line, code) = rows.get(first).map_or((0, ""), |r| (r.line, r.code.as_str()));
        return Err(Error::input(
            Location::line(path, line),
            format!("code {code} is its own ancestor (parent cycle: {})", codes.join(" -> ")),
        ));
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, p) in parent_of.iter().enumerate() {
        if let Some(c) = p.and_then(|p| children.get_mut(p)) {
            c.push(i);
        }
    }
    let roots: Vec<usize> = parent_of
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| i)
        .collect();
    let order = super::tree_order(&roots, &children, &parent_of);

    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = {
        let s = slug(&stem);
        if s.is_empty() {
            "standards".to_string()
        } else {
            s
        }
    };
    let mut new_pos = vec![0usize; rows.len()];
    // tree_order gives each row index once: new_pos has a slot for it.
    for (pos, &(i, _)) in order.iter().enumerate() {
        if let Some(slot) = new_pos.get_mut(i) {
            *slot = pos;
        }
    }
    let mut standards: Vec<Standard> = Vec::with_capacity(rows.len());
    let mut fixed = Vec::with_capacity(rows.len());
    let mut subjects: HashMap<String, usize> = HashMap::default();
    for (i, parent) in order {
        let Some(r) = rows.get(i) else { continue };
        let parent = parent.and_then(|p| new_pos.get(p).copied());
        let grades = match &r.grades {
            Some(g) => g.clone(),
            // A parent comes before its children: it is in standards already.
            None => parent
                .and_then(|p| standards.get(p))
                .map(|p| p.grades.clone())
                .unwrap_or_default(),
        };
        let mut s = Standard::new(
            format!("urn:aligner:{id}:{}", r.code),
            r.kind.unwrap_or(Kind::Other),
            r.text.clone(),
        );
        s.code = Some(r.code.clone());
        s.grades = grades;
        s.parent = parent;
        if !r.note.is_empty() {
            s.notes.push(Note {
                kind: "comment".into(),
                text: r.note.clone(),
            });
        }
        fixed.push(r.kind.is_some());
        standards.push(s);
        if !r.subject.is_empty() {
            *subjects.entry(slug(&r.subject)).or_default() += 1;
        }
    }
    super::infer_kinds(&mut standards, &fixed);
    let subject = subjects
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(s, _)| s)
        .unwrap_or_else(|| crate::model::subject::from_hint(&stem));
    let fw = Framework {
        id,
        title: stem,
        jurisdiction: String::new(),
        subject,
        source: path.display().to_string(),
        license: String::new(),
        standards,
        warnings: Vec::new(),
    };
    finish(path, fw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_may_come_later() {
        let csv = "Code,Description,Grades,Parent\nA.1,First,K-2,A\nA,Strand A,,\n";
        let fw = read(Path::new("my district.csv"), csv).unwrap();
        assert_eq!(fw.id, "my-district");
        assert_eq!(fw.standards[0].code.as_deref(), Some("A"));
        assert_eq!(fw.standards[1].parent, Some(0));
        assert_eq!(fw.standards[1].uri, "urn:aligner:my-district:A.1");
        assert_eq!(fw.standards[1].grades.len(), 3);
    }

    #[test]
    fn cycle_is_an_error() {
        let csv = "code,text,parent\nA,a,B\nB,b,A\n";
        let e = read(Path::new("c.csv"), csv).unwrap_err().to_string();
        assert!(e.starts_with("c.csv:2:") && e.contains("cycle"), "{e}");
    }
}
