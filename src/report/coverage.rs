//! Coverage: which standards of a scope (frameworks x grades x strands) a curriculum addresses, how
//! strongly, and by which units; rolled up per grade and per level of the framework's own
//! hierarchy ([`Level`]); the gaps; the units that address nothing; the claims that are off grade.
//!
//! Counting rules:
//! - The counted standards are the alignable nodes of the scope (standards, NGSS performance
//!   expectations, state objectives), not sub-standards: a match to 4.MD.C.5a counts for 4.MD.C.5.
//!   Practices (CCSS math practices, the ELA College and Career Readiness anchor standards) and
//!   headings are not counted, nor the standards of strands the scope leaves out
//!   ([`crate::align::scope::Strands`]: by default the ELA literacy strands RH, RST, WHST).
//! - A standard is *covered* when some unit matches it (or one of its sub-standards) with a score
//!   of at least `min_score`, or claims it with a text that supports the claim; *weak* when its
//!   best score is at least [`WEAK_FLOOR`] but below `min_score`; otherwise it is a *gap*.
//! - A unit is *unaligned* when neither it nor any entry under it (a chapter's lessons) reaches
//!   `min_score` for any standard.
//! - Percentages are covered / counted standards x 100, rounded to one decimal.
//! - Reviewed pairs ([`crate::review`]): a rejected match or claim does not count at all; an
//!   accepted one covers its standard whatever its score.

use crate::align::scope::{strand_of, Strands};
use crate::align::{ClaimStatus, UnitAlignment};
use crate::codes::Ref;
use crate::corpus::Corpus;
use crate::model::{grades_label, Grade, GradeRange, Kind, Unit};
use serde::Serialize;
use std::collections::BTreeMap;

/// The default `--min-score` of an audit: the calibrated score (the chance that a publisher
/// aligns the standard) a unit's match must reach for the standard to count as covered.
pub const MIN_SCORE: f32 = 0.35;

/// Best scores below this do not count as addressing a standard at all: the score at which a
/// text supports a claim.
pub const WEAK_FLOOR: f32 = crate::align::claims::SUPPORT_SCORE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Gap,
    Weak,
    Covered,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Weak => "weak",
            Status::Gap => "gap",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StandardCoverage {
    pub r: Ref,
    pub status: Status,
    pub best: f32,
    /// Units that address it (score >= WEAK_FLOOR, or a supported claim), best first:
    /// (unit position, score).
    pub units: Vec<(usize, f32)>,
    /// Some unit claims it and its text supports the claim, or a reviewer accepted a unit's
    /// match or claim of it.
    pub claimed: bool,
    /// Emphasis: the lessons that address it with at least the minimum score or a supported
    /// claim (see [`super::emphasis`]), in the units' order.
    pub lessons: Vec<usize>,
    /// The pages of those lessons, when the book gives pages.
    pub pages: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rollup {
    /// Unique within its level: the heading's code (`4.NF.B`, `MS-PS1`), a strand or discipline
    /// code (`RL`, `PS`), for a heading without a code the range of its standards' codes
    /// (`RL.7.4-6`), or the grade label (`4`, `6-8`).
    pub key: String,
    /// The heading's text (`Reading: Literature`, `RL · Craft and Structure`, `Grade 4`).
    pub label: String,
    /// The key of the row of the level above that holds this one (a cluster's strand or domain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub standards: usize,
    pub covered: usize,
    pub weak: usize,
    pub gaps: usize,
    /// covered / standards x 100.
    pub pct: f64,
    /// Emphasis: lessons that address a standard of the row (each once).
    pub lessons: usize,
    /// The pages of those lessons, when the book gives pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Coverage {
    pub frameworks: Vec<usize>,
    pub grades: Option<GradeRange>,
    pub min_score: f32,
    pub standards: Vec<StandardCoverage>,
    /// Per grade, or per band for a band's standards (a 6-8 standard counts once, under `6-8`).
    pub by_grade: Vec<Rollup>,
    /// The levels of the frameworks' own hierarchy, outermost first: math `domain`, `cluster`;
    /// CCSS ELA `strand`, `cluster`; NGSS `discipline`, `topic`.
    pub levels: Vec<Level>,
    /// Units that address nothing (themselves and their sub-entries).
    pub unaligned: Vec<usize>,
    /// (unit, claim) for claims of a standard off the unit's grade.
    pub off_grade: Vec<(usize, usize)>,
    /// Count of claims per status.
    pub claims: BTreeMap<&'static str, usize>,
    /// Each unit's pages (see [`super::emphasis::page_spans`]).
    pub unit_pages: Vec<Option<u32>>,
    /// The lessons (reviews and assessments not counted) and the pages of the whole program.
    pub lessons: usize,
    pub pages: Option<u32>,
}

impl Coverage {
    pub fn total(&self) -> usize {
        self.standards.len()
    }
    pub fn count(&self, s: Status) -> usize {
        self.standards.iter().filter(|x| x.status == s).count()
    }
    pub fn pct(&self) -> f64 {
        pct(self.count(Status::Covered), self.total())
    }
    /// The gaps, framework by framework, domain (or strand) by domain in the framework's order,
    /// and within one in code order (digits by value: 4.MD.A.3 before 4.MD.B.4), whatever order
    /// the framework's file lists them in.
    pub fn gaps_in_order<'a>(&'a self, c: &Corpus) -> impl Iterator<Item = &'a StandardCoverage> {
        let outer = self.levels.first();
        let mut v: Vec<(usize, &StandardCoverage)> = self
            .standards
            .iter()
            .enumerate()
            .filter(|(_, x)| x.status == Status::Gap)
            .collect();
        let row = |i: usize| {
            outer
                .and_then(|l| l.row_of.get(i).copied().flatten())
                .unwrap_or(usize::MAX)
        };
        v.sort_by(|(i, a), (j, b)| {
            a.r.fw
                .cmp(&b.r.fw)
                .then(row(*i).cmp(&row(*j)))
                .then_with(|| natural_cmp(c.standard(a.r).display_code(), c.standard(b.r).display_code()))
        });
        v.into_iter().map(|(_, x)| x)
    }

    pub fn gaps(&self) -> impl Iterator<Item = &StandardCoverage> {
        self.standards.iter().filter(|x| x.status == Status::Gap)
    }
}

pub fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 * 1000.0 / d as f64).round() / 10.0
    }
}

/// The node a match counts for: a sub-standard counts for its parent standard.
pub fn counted_node(c: &Corpus, r: Ref) -> Ref {
    let s = c.standard(r);
    if s.kind == Kind::Component {
        if let Some(p) = s.parent {
            if c.frameworks[r.fw].standards[p].kind.is_alignable() {
                return Ref { fw: r.fw, idx: p };
            }
        }
    }
    r
}

/// The standards that coverage counts in a scope, in the frameworks' order.
pub fn counted_standards(c: &Corpus, frameworks: &[usize], grades: Option<GradeRange>, strands: &Strands) -> Vec<Ref> {
    let mut out = Vec::new();
    for &f in frameworks {
        for (i, s) in c.frameworks[f].standards.iter().enumerate() {
            let r = Ref { fw: f, idx: i };
            if s.kind.is_alignable()
                && counted_node(c, r) == r
                && grades.is_none_or(|g| g.overlaps(&s.grades))
                && strands.admits(s.code.as_deref().unwrap_or(""))
            {
                out.push(r);
            }
        }
    }
    out
}

/// Compute coverage of `frameworks` x `grades` x `strands` by the aligned units.
pub fn compute(
    c: &Corpus,
    units: &[Unit],
    al: &[UnitAlignment],
    frameworks: &[usize],
    grades: Option<GradeRange>,
    strands: &Strands,
    min_score: f32,
) -> Coverage {
    let counted = counted_standards(c, frameworks, grades, strands);
    let pos: rustc_hash::FxHashMap<Ref, usize> = counted.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut cov: Vec<StandardCoverage> = counted
        .iter()
        .map(|&r| StandardCoverage {
            r,
            status: Status::Gap,
            best: 0.0,
            units: Vec::new(),
            claimed: false,
            lessons: Vec::new(),
            pages: None,
        })
        .collect();
    let mut unit_best = vec![0f32; units.len()];
    for a in al {
        for m in a.matches.iter().filter(|m| !crate::review::is_rejected(&m.reviewed)) {
            let accepted = crate::review::is_accepted(&m.reviewed);
            let score = if accepted { m.score.max(min_score) } else { m.score };
            unit_best[a.unit] = unit_best[a.unit].max(score);
            let Some(&i) = pos.get(&counted_node(c, m.r)) else {
                continue;
            };
            let sc = &mut cov[i];
            sc.best = sc.best.max(m.score);
            sc.claimed |= accepted;
            if m.score >= min_score || accepted {
                sc.lessons.push(a.unit);
            }
            if m.score >= WEAK_FLOOR || accepted {
                match sc.units.iter_mut().find(|(u, _)| *u == a.unit) {
                    Some(x) => x.1 = x.1.max(m.score),
                    None => sc.units.push((a.unit, m.score)),
                }
            }
        }
    }
    // A claim the unit's text supports counts too: the publisher says the unit teaches it and the
    // text agrees.
    for a in al {
        let counts = |ch: &&crate::align::ClaimCheck| {
            !crate::review::is_rejected(&ch.reviewed)
                && (ch.status == ClaimStatus::Supported || crate::review::is_accepted(&ch.reviewed))
        };
        for ch in a.claims.iter().filter(counts) {
            for r in &ch.resolved {
                let Some(&i) = pos.get(&counted_node(c, *r)) else {
                    continue;
                };
                let sc = &mut cov[i];
                sc.claimed = true;
                sc.lessons.push(a.unit);
                if !sc.units.iter().any(|(u, _)| *u == a.unit) {
                    sc.units.push((a.unit, ch.score.unwrap_or(0.0)));
                }
            }
        }
    }
    for sc in &mut cov {
        sc.status = if sc.best >= min_score || sc.claimed {
            Status::Covered
        } else if sc.best >= WEAK_FLOOR {
            Status::Weak
        } else {
            Status::Gap
        };
        sc.units.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    // A unit's best includes its sub-entries' (a chapter is aligned when its lessons are).
    let mut rolled = unit_best.clone();
    for i in (0..units.len()).rev() {
        if let Some(p) = units[i].parent.filter(|&p| p < units.len()) {
            rolled[p] = rolled[p].max(rolled[i]);
        }
    }
    let unaligned = (0..units.len()).filter(|&i| rolled[i] < min_score).collect();
    let mut off_grade = Vec::new();
    let mut claims: BTreeMap<&'static str, usize> = BTreeMap::new();
    for a in al {
        for (k, ch) in a.claims.iter().enumerate() {
            *claims.entry(ch.status.as_str()).or_default() += 1;
            if ch.status == ClaimStatus::OffGrade {
                off_grade.push((a.unit, k));
            }
        }
    }
    let unit_pages = super::emphasis::page_spans(units);
    for sc in &mut cov {
        sc.lessons = super::emphasis::counted_lessons(units, &sc.lessons);
        sc.pages = super::emphasis::pages_of(&unit_pages, &sc.lessons);
    }
    let mut by_grade = grade_rollup(c, &cov);
    let mut levels = levels(c, &cov);
    let grade_row: Vec<Option<usize>> = cov
        .iter()
        .map(|sc| {
            let key = grades_label(&c.standard(sc.r).grades);
            by_grade.iter().position(|r| r.key == key)
        })
        .collect();
    emphasize(units, &unit_pages, &cov, &grade_row, &mut by_grade);
    for l in &mut levels {
        emphasize(units, &unit_pages, &cov, &l.row_of, &mut l.rows);
    }
    let all: Vec<usize> = (0..units.len()).collect();
    let lessons = super::emphasis::counted_lessons(units, &all);
    let pages = super::emphasis::book_pages(units, &unit_pages);
    Coverage {
        frameworks: frameworks.to_vec(),
        grades,
        min_score,
        standards: cov,
        by_grade,
        levels,
        unaligned,
        off_grade,
        claims,
        unit_pages,
        lessons: lessons.len(),
        pages,
    }
}

/// Each row's lessons and pages: the lessons of its standards, each once.
fn emphasize(
    units: &[Unit],
    spans: &[Option<u32>],
    cov: &[StandardCoverage],
    row_of: &[Option<usize>],
    rows: &mut [Rollup],
) {
    let mut per_row: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, sc) in cov.iter().enumerate() {
        if let Some(r) = row_of.get(i).copied().flatten().filter(|&r| r < rows.len()) {
            per_row[r].extend_from_slice(&sc.lessons);
        }
    }
    for (row, ls) in rows.iter_mut().zip(per_row) {
        let ls = super::emphasis::counted_lessons(units, &ls);
        row.lessons = ls.len();
        row.pages = super::emphasis::pages_of(spans, &ls);
    }
}

/// Per grade: each standard once, under its own grade or band (`4`, `6-8`, `9-12`), grades in
/// order (a band after its first grade).
fn grade_rollup(c: &Corpus, cov: &[StandardCoverage]) -> Vec<Rollup> {
    let mut m: BTreeMap<(Grade, Grade), Rollup> = BTreeMap::new();
    for sc in cov {
        let g = &c.standard(sc.r).grades;
        let (Some(&lo), Some(&hi)) = (g.first(), g.last()) else {
            continue;
        };
        let row = m.entry((lo, hi)).or_insert_with(|| {
            let key = grades_label(g);
            let label = if lo == hi {
                format!("Grade {key}")
            } else {
                match (lo.0, hi.0) {
                    (6, 8) => format!("Grades {key} (middle school)"),
                    (9, 12) => format!("Grades {key} (high school)"),
                    _ => format!("Grades {key}"),
                }
            };
            Rollup::new(key, label, None)
        });
        tally(row, sc.status);
    }
    m.into_values().map(Rollup::finish).collect()
}

/// A level of roll-up, read from the framework's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LevelKind {
    /// Top-level groupings of a framework without domains: the strands of CCSS ELA.
    Strand,
    Domain,
    /// The discipline an NGSS topic's code names (`MS-PS1` -> `PS`, Physical Sciences).
    Discipline,
    Topic,
    Cluster,
}

impl LevelKind {
    const ALL: [LevelKind; 5] = [
        LevelKind::Strand,
        LevelKind::Domain,
        LevelKind::Discipline,
        LevelKind::Topic,
        LevelKind::Cluster,
    ];

    /// The level's name: in JSON and in the table's `By strand` heading.
    pub fn as_str(self) -> &'static str {
        match self {
            LevelKind::Strand => "strand",
            LevelKind::Domain => "domain",
            LevelKind::Discipline => "discipline",
            LevelKind::Topic => "topic",
            LevelKind::Cluster => "cluster",
        }
    }

    fn heading_kind(self) -> Kind {
        match self {
            LevelKind::Strand => Kind::Grouping,
            LevelKind::Domain => Kind::Domain,
            LevelKind::Discipline | LevelKind::Topic => Kind::Topic,
            LevelKind::Cluster => Kind::Cluster,
        }
    }
}

/// The disciplines of NGSS, by the code their topics carry.
const DISCIPLINES: [(&str, &str); 4] = [
    ("PS", "Physical Sciences"),
    ("LS", "Life Sciences"),
    ("ESS", "Earth and Space Sciences"),
    ("ETS", "Engineering, Technology, and Applications of Science"),
];

/// One level of roll-up: its rows in the framework's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub kind: LevelKind,
    pub rows: Vec<Rollup>,
    /// Per counted standard (by position in [`Coverage::standards`]), its row, if it has one.
    pub row_of: Vec<Option<usize>>,
}

impl Level {
    pub fn name(&self) -> &'static str {
        self.kind.as_str()
    }
}

/// A row being gathered: its first standard, its lowest and highest codes (for a range key) and
/// whether its key is a range.
struct Gather {
    first: usize,
    first_code: String,
    last_code: String,
    range_key: bool,
    row: Rollup,
}

/// The roll-up levels of the counted standards' frameworks, outermost first. A framework has the
/// levels its headings give: domains and clusters (CCSS math: grade > domain > cluster; its
/// high-school conceptual categories are groupings above domains, not a level), strands and
/// clusters (CCSS ELA, whose top-level groupings are the strands), topics (NGSS), and the
/// disciplines NGSS topic codes name. Rows follow the framework's order (by their first standard).
fn levels(c: &Corpus, cov: &[StandardCoverage]) -> Vec<Level> {
    // The levels present, per framework.
    let mut present: BTreeMap<usize, [bool; 5]> = BTreeMap::new();
    for sc in cov {
        let fw = &c.frameworks[sc.r.fw];
        let p = present.entry(sc.r.fw).or_default();
        for (k, lk) in LevelKind::ALL.iter().enumerate() {
            if p[k] {
                continue;
            }
            p[k] = match fw.ancestor_of_kind(sc.r.idx, lk.heading_kind()) {
                None => false,
                Some(h) if *lk == LevelKind::Discipline => discipline_of(&fw.standards[h]).is_some(),
                Some(_) => true,
            };
        }
    }
    for p in present.values_mut() {
        // Groupings above domains are folders (CCSS math's conceptual categories), not strands.
        if p[1] {
            p[0] = false;
        }
    }
    let mut out = Vec::new();
    for (k, &lk) in LevelKind::ALL.iter().enumerate() {
        if !present.values().any(|p| p[k]) {
            continue;
        }
        let mut groups: rustc_hash::FxHashMap<(usize, String), usize> = Default::default();
        let mut gathered: Vec<Gather> = Vec::new();
        let mut row_of = vec![None; cov.len()];
        for (i, sc) in cov.iter().enumerate() {
            if !present[&sc.r.fw][k] {
                continue;
            }
            // The row of the level above, for a heading named within it.
            let parent = out
                .iter()
                .rev()
                .find_map(|l: &Level| l.row_of[i].map(|r| l.rows[r].key.clone()));
            let Some((id, key, label)) = row_id(c, sc.r, lk, parent.as_deref()) else {
                continue;
            };
            let code = c.standard(sc.r).display_code();
            let g = *groups.entry((sc.r.fw, id)).or_insert_with(|| {
                gathered.push(Gather {
                    first: i,
                    first_code: code.to_string(),
                    last_code: code.to_string(),
                    range_key: key.is_none(),
                    row: Rollup::new(key.unwrap_or_default(), label, parent),
                });
                gathered.len() - 1
            });
            // The range runs from the lowest code to the highest, whatever the document order.
            let e = &mut gathered[g];
            if natural_cmp(code, &e.first_code).is_lt() {
                e.first_code = code.to_string();
            }
            if natural_cmp(code, &e.last_code).is_gt() {
                e.last_code = code.to_string();
            }
            tally(&mut e.row, sc.status);
            row_of[i] = Some(g);
        }
        // In the framework's order: a row under its parent row (in the parent's order), rows of
        // one parent in their codes' order (digits by value: `RL.7.4-6` before `RL.7.10`), rows
        // without a parent by their first standard. Row positions follow.
        let parent_first =
            |g: &Gather| -> usize { out.last().and_then(|l: &Level| l.row_of[g.first]).unwrap_or(usize::MAX) };
        let mut order: Vec<usize> = (0..gathered.len()).collect();
        order.sort_by(|&a, &b| {
            let (ga, gb) = (&gathered[a], &gathered[b]);
            let key = |g: &Gather| {
                if g.range_key {
                    g.first_code.clone()
                } else {
                    g.row.key.clone()
                }
            };
            match (parent_first(ga), parent_first(gb)) {
                (usize::MAX, usize::MAX) => ga.first.cmp(&gb.first),
                (pa, pb) => pa
                    .cmp(&pb)
                    .then_with(|| natural_cmp(&key(ga), &key(gb)))
                    .then(ga.first.cmp(&gb.first)),
            }
        });
        let mut new_pos = vec![0usize; gathered.len()];
        for (p, &g) in order.iter().enumerate() {
            new_pos[g] = p;
        }
        for r in row_of.iter_mut().flatten() {
            *r = new_pos[*r];
        }
        let mut seen: rustc_hash::FxHashMap<String, usize> = Default::default();
        let rows = order
            .into_iter()
            .map(|g| {
                let e = &gathered[g];
                let mut row = e.row.clone();
                if e.range_key {
                    row.key = code_range(&e.first_code, &e.last_code);
                }
                // Keys are unique within a level (two frameworks may share a code).
                let n = seen.entry(row.key.clone()).or_default();
                *n += 1;
                if *n > 1 {
                    row.key = format!("{} ({})", row.key, n);
                }
                row.finish()
            })
            .collect();
        out.push(Level { kind: lk, rows, row_of });
    }
    out
}

/// The row a standard belongs to at a level: a grouping id (unique in the framework), its key
/// (`None`: the range of its standards' codes) and its label.
fn row_id(c: &Corpus, r: Ref, lk: LevelKind, parent: Option<&str>) -> Option<(String, Option<String>, String)> {
    let fw = &c.frameworks[r.fw];
    let h = fw.ancestor_of_kind(r.idx, lk.heading_kind())?;
    let head = &fw.standards[h];
    let hr = Ref { fw: r.fw, idx: h };
    let code = c.standard(r).code.as_deref().unwrap_or("");
    Some(match lk {
        LevelKind::Discipline => {
            let (d, name) = discipline_of(head)?;
            (d.to_string(), Some(d.to_string()), name.to_string())
        }
        LevelKind::Domain => {
            let key = heading_key(c, hr, r, Kind::Domain);
            (key.clone(), Some(key), head.text.clone())
        }
        _ if head.code.is_some() => {
            let key = head.code.clone().unwrap_or_default();
            (format!("c:{key}"), Some(key), head.text.clone())
        }
        LevelKind::Strand => match strand_of(code) {
            Some(s) => (format!("s:{s}"), Some(s.to_string()), strand_title(&head.text)),
            None => (format!("t:{}", head.text), Some(head.text.clone()), head.text.clone()),
        },
        _ => {
            // A heading without a code, one row per heading and code stem (a grade's standards
            // under a heading shared by grades), named within the level above.
            let stem = code.rsplit_once('.').map_or("", |x| x.0);
            let label = match parent {
                Some(p) => format!("{p} · {}", head.text),
                None => head.text.clone(),
            };
            (format!("n:{h}:{stem}"), None, label)
        }
    })
}

/// The NGSS discipline a topic's code names: `MS-PS1` -> (`PS`, Physical Sciences).
fn discipline_of(topic: &crate::model::Standard) -> Option<(&'static str, &'static str)> {
    let s = strand_of(topic.code.as_deref()?)?;
    DISCIPLINES.iter().find(|(d, _)| *d == s).copied()
}

/// A strand's heading as the framework's readers name it: `Reading Standards for Literature` ->
/// `Reading: Literature`, `Writing Standards` -> `Writing`, `Reading Standards: Foundational
/// Skills` -> `Reading: Foundational Skills`; a closing grade band (`6—12`) is dropped.
fn strand_title(text: &str) -> String {
    let mut t = text.trim().to_string();
    if let Some((head, last)) = t.rsplit_once(' ') {
        let band = last.split(['-', '–', '—']).collect::<Vec<_>>();
        if band.len() == 2
            && band
                .iter()
                .all(|p| !p.is_empty() && (*p == "K" || p.bytes().all(|b| b.is_ascii_digit())))
        {
            t = head.trim_end().to_string();
        }
    }
    if let Some((a, b)) = t.split_once(" Standards for ") {
        return format!("{a}: {b}");
    }
    if let Some((a, b)) = t.split_once(" Standards: ") {
        return format!("{a}: {b}");
    }
    t.strip_suffix(" Standards").map_or(t.clone(), str::to_string)
}

/// `RL.7.1` .. `RL.7.3` -> `RL.7.1-3`; one code -> itself; codes that differ before their last
/// segment -> `A..B`.
fn code_range(first: &str, last: &str) -> String {
    if first == last {
        return first.to_string();
    }
    match (first.rsplit_once('.'), last.rsplit_once('.')) {
        (Some((a, _)), Some((b, end))) if a == b => format!("{first}-{end}"),
        _ => format!("{first}..{last}"),
    }
}

/// Codes compared with their runs of digits by value: `RL.7.4` < `RL.7.10`, `MS-PS2` < `MS-PS10`.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let b = s.as_bytes();
        for i in 1..=b.len() {
            if i == b.len() || b[i].is_ascii_digit() != b[start].is_ascii_digit() {
                out.push((b[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(&rb) {
        let o = match (x, y) {
            ((true, p), (true, q)) => {
                let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                p.len().cmp(&q.len()).then_with(|| p.cmp(q))
            }
            ((_, p), (_, q)) => p.cmp(q),
        };
        if o.is_ne() {
            return o;
        }
    }
    ra.len().cmp(&rb.len()).then_with(|| a.cmp(b))
}

fn tally(e: &mut Rollup, s: Status) {
    e.standards += 1;
    match s {
        Status::Covered => e.covered += 1,
        Status::Weak => e.weak += 1,
        Status::Gap => e.gaps += 1,
    }
}

/// Code for a heading; for a heading without one, the first segments of the standard's code.
fn heading_key(c: &Corpus, h: Ref, s: Ref, kind: Kind) -> String {
    if let Some(code) = &c.standard(h).code {
        return code.clone();
    }
    let code = c.standard(s).display_code();
    let keep = if kind == Kind::Domain { 2 } else { 3 };
    let segs: Vec<&str> = code.split('.').collect();
    if segs.len() > keep {
        segs[..keep].join(".")
    } else {
        c.standard(h).text.clone()
    }
}

impl Rollup {
    fn new(key: String, label: String, parent: Option<String>) -> Rollup {
        Rollup {
            key,
            label,
            parent,
            standards: 0,
            covered: 0,
            weak: 0,
            gaps: 0,
            pct: 0.0,
            lessons: 0,
            pages: None,
        }
    }

    fn finish(mut self) -> Rollup {
        self.pct = pct(self.covered, self.standards);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Framework, Standard};

    #[test]
    fn strand_titles_read_like_the_framework() {
        for (text, want) in [
            ("Reading Standards for Literature", "Reading: Literature"),
            (
                "Reading Standards for Informational Text",
                "Reading: Informational Text",
            ),
            ("Reading Standards: Foundational Skills", "Reading: Foundational Skills"),
            ("Writing Standards", "Writing"),
            ("Speaking and Listening Standards", "Speaking and Listening"),
            ("Language Standards", "Language"),
            (
                "Reading Standards for Literacy in History/Social Studies 6—12",
                "Reading: Literacy in History/Social Studies",
            ),
            ("Fractions", "Fractions"),
        ] {
            assert_eq!(strand_title(text), want, "{text}");
        }
    }

    #[test]
    fn codes_compare_by_the_value_of_their_numbers() {
        let mut v = [
            "RL.7.10", "RL.7.4-6", "RL.7.1-3", "MS-PS10", "MS-PS2", "4.NBT.B", "4.NBT.A",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["4.NBT.A", "4.NBT.B", "MS-PS2", "MS-PS10", "RL.7.1-3", "RL.7.4-6", "RL.7.10"]
        );
    }

    #[test]
    fn code_ranges_name_a_clusters_standards() {
        assert_eq!(code_range("RL.7.4", "RL.7.6"), "RL.7.4-6");
        assert_eq!(code_range("RL.7.10", "RL.7.10"), "RL.7.10");
        assert_eq!(code_range("RH.6-8.1", "RH.6-8.3"), "RH.6-8.1-3");
        assert_eq!(code_range("X.1", "Y.2"), "X.1..Y.2");
    }

    /// 50,000 standards in 5,000 domains of one cluster each, the domains in the document in an
    /// order that is not their codes' order: the roll-ups follow the document.
    #[test]
    fn rollups_of_a_large_scope_follow_the_document_order() {
        const DOMAINS: usize = 5_000;
        const PER: usize = 10;
        let mut standards = Vec::new();
        // A permutation of the domain numbers (7,919 is prime to 5,000).
        let order: Vec<usize> = (0..DOMAINS).map(|i| (i * 7_919) % DOMAINS).collect();
        for &d in &order {
            let dom = standards.len();
            let mut h = Standard::new(format!("urn:d{d}"), Kind::Domain, format!("Domain {d}"));
            h.code = Some(format!("X{d}"));
            standards.push(h);
            let cl = standards.len();
            let mut h = Standard::new(format!("urn:d{d}c"), Kind::Cluster, format!("Cluster {d}"));
            h.code = Some(format!("X{d}.A"));
            h.parent = Some(dom);
            standards.push(h);
            for k in 0..PER {
                let mut s = Standard::new(format!("urn:d{d}s{k}"), Kind::Standard, format!("Standard {d} {k}"));
                s.code = Some(format!("X{d}.A.{k}"));
                s.parent = Some(cl);
                s.grades = vec![Grade(4)];
                standards.push(s);
            }
        }
        let mut fw = Framework {
            id: "big".into(),
            title: "Big".into(),
            jurisdiction: String::new(),
            subject: "math".into(),
            source: String::new(),
            license: String::new(),
            standards,
            warnings: Vec::new(),
        };
        fw.link_children();
        let c = Corpus::new(vec![fw]);
        let cov = compute(&c, &[], &[], &[0], None, &Strands::all(), 0.4);
        assert_eq!(cov.total(), DOMAINS * PER);
        let want: Vec<String> = order.iter().map(|d| format!("X{d}")).collect();
        let names: Vec<&str> = cov.levels.iter().map(Level::name).collect();
        assert_eq!(names, ["domain", "cluster"]);
        let got: Vec<&str> = cov.levels[0].rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(got, want);
        let got: Vec<&str> = cov.levels[1].rows.iter().map(|r| r.key.as_str()).collect();
        let want: Vec<String> = order.iter().map(|d| format!("X{d}.A")).collect();
        assert_eq!(got, want);
        assert!(cov.levels[0].rows.iter().all(|r| r.standards == PER && r.gaps == PER));
        assert!(cov.levels[1]
            .rows
            .iter()
            .zip(&order)
            .all(|(r, d)| r.parent == Some(format!("X{d}"))));
    }
}
