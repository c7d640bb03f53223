//! Correlation checks, citation by citation: each citation of a publisher's correlation sheet
//! ([`crate::ingest::curriculum::correlation`]) is located in the book's table of contents
//! ([`locate`]: by number, by page, or by title), and the entry's text is weighed against the
//! cited standard with the claim checks of [`super::claims`], as if the entry claimed the code.
//!
//! Verdicts: `supported` (the claim check supports it), `weak` (the check finds the text
//! supports other standards, but the entry still scores the cited one at least [`WEAK_SCORE`]),
//! `unsupported`, `no_evidence` (the entry's words name no standard, a bare "Review"),
//! `off_grade`, `unknown_code` (with suggestions; a grade-relative code naming several standards
//! too, with those as suggestions), `not_found` (the citation names no entry).

use super::claims::{self, ClaimStatus};
use super::matcher::Match;
use super::scope::StrandScope;
use super::{Matcher, Scope};
use crate::corpus::Corpus;
use crate::index::Library;
use crate::ingest::curriculum::correlation::Correlation;
use crate::model::Unit;
use serde::Serialize;

/// Below the support score, a cited standard the entry still scores at least this is `weak`.
pub const WEAK_SCORE: f32 = 0.1;

/// The verdict on one citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Supported,
    Weak,
    NoEvidence,
    Unsupported,
    OffGrade,
    UnknownCode,
    NotFound,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Weak => "weak",
            Verdict::NoEvidence => "no_evidence",
            Verdict::Unsupported => "unsupported",
            Verdict::OffGrade => "off_grade",
            Verdict::UnknownCode => "unknown_code",
            Verdict::NotFound => "not_found",
        }
    }
}

/// How a citation named its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Located {
    Number,
    Page,
    Title,
}

/// One (code, citation) pair, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CitationCheck {
    /// The sheet's line.
    pub line: u64,
    pub code: String,
    pub citation: String,
    /// The entry (position in the units) and how it was found.
    pub entry: Option<(usize, Located)>,
    pub verdict: Verdict,
    /// The entry's score for the cited standard.
    pub score: Option<f32>,
    /// Why, for people: the shared words, the standards the entry addresses instead, the grades.
    pub evidence: String,
    /// For an unknown code: the closest existing codes.
    pub suggestions: Vec<String>,
}

/// Every citation of a sheet, checked against `units` (the book), in the sheet's order.
pub fn check(
    lib: &Library,
    corpus: &Corpus,
    scope: &Scope,
    strands: &StrandScope,
    units: &[Unit],
    sheet: &Correlation,
    top: usize,
) -> Vec<CitationCheck> {
    let mut m = Matcher::new(lib);
    m.observe_batch(units);
    let fw = scope.single_framework();
    let mut prepared: rustc_hash::FxHashMap<usize, super::matcher::Prepared> = Default::default();
    let mut out = Vec::new();
    for row in &sheet.rows {
        for cite in &row.citations {
            let found = locate(units, cite);
            for code in &row.codes {
                let Some((u, how)) = found else {
                    out.push(CitationCheck {
                        line: row.line,
                        code: code.clone(),
                        citation: cite.clone(),
                        entry: None,
                        verdict: Verdict::NotFound,
                        score: None,
                        evidence: not_found_why(units, cite),
                        suggestions: Vec::new(),
                    });
                    continue;
                };
                let unit = &units[u];
                let p = prepared
                    .entry(u)
                    .or_insert_with(|| super::plan::prepare_in_scope(&m, unit, scope, strands, top));
                let grade = unit.grade.filter(|g| g.lo == g.hi).map(|g| g.lo);
                let resolved = corpus.resolve_claims(std::slice::from_ref(code), grade, fw);
                let flat: Vec<_> = resolved.iter().flat_map(|c| c.refs.iter().copied()).collect();
                let scores = m.scores_of(p, &flat);
                let k = claims::check(corpus, &resolved, &scores, &p.matches, scope.grades_for(unit), fw);
                let (verdict, evidence, suggestions) = match k.first() {
                    None => (Verdict::UnknownCode, "no code".to_string(), Vec::new()),
                    Some(k) => judge(corpus, k, &p.matches, unit),
                };
                out.push(CitationCheck {
                    line: row.line,
                    code: code.clone(),
                    citation: cite.clone(),
                    entry: Some((u, how)),
                    verdict,
                    score: k.first().and_then(|k| k.score),
                    evidence,
                    suggestions,
                });
            }
        }
    }
    out
}

fn codes_of(corpus: &Corpus, refs: impl IntoIterator<Item = crate::codes::Ref>) -> Vec<String> {
    refs.into_iter()
        .map(|r| corpus.standard(r).display_code().to_string())
        .collect()
}

/// A claim check's verdict as a citation's, with its evidence.
fn judge(corpus: &Corpus, k: &claims::ClaimCheck, matches: &[Match], unit: &Unit) -> (Verdict, String, Vec<String>) {
    let instead = || {
        let v: Vec<String> = matches
            .iter()
            .filter(|m| !m.evidence.is_empty() && m.score >= claims::SUPPORT_SCORE)
            .take(3)
            .map(|m| format!("{} ({:.2})", corpus.standard(m.r).display_code(), m.score))
            .collect();
        v.join(", ")
    };
    let score = k.score.unwrap_or(0.0);
    match k.status {
        ClaimStatus::Supported => {
            let shared: Vec<String> = matches
                .iter()
                .filter(|m| k.resolved.iter().any(|r| claims::covers(corpus, *r, m.r)))
                .flat_map(|m| m.evidence.iter().take(4).cloned())
                .collect();
            let ev = if shared.is_empty() {
                format!("score {score:.2}")
            } else {
                format!("score {score:.2}; shares: {}", shared.join(", "))
            };
            (Verdict::Supported, ev, Vec::new())
        }
        ClaimStatus::Unsupported if score >= WEAK_SCORE => (
            Verdict::Weak,
            format!("score {score:.2}; the entry addresses {} more", instead()),
            Vec::new(),
        ),
        ClaimStatus::Unsupported => (
            Verdict::Unsupported,
            format!("score {score:.2}; the entry addresses {} instead", instead()),
            Vec::new(),
        ),
        ClaimStatus::NoEvidence => (
            Verdict::NoEvidence,
            "the entry's words name no standard".to_string(),
            Vec::new(),
        ),
        ClaimStatus::OffGrade => {
            let g = k
                .resolved
                .first()
                .map(|r| crate::model::grades_label(&corpus.standard(*r).grades))
                .unwrap_or_default();
            let ug = unit.grade.map(|g| format!(", the entry grade {g}")).unwrap_or_default();
            (Verdict::OffGrade, format!("standard is grade {g}{ug}"), Vec::new())
        }
        ClaimStatus::Unknown => (
            Verdict::UnknownCode,
            "no standard has this code".to_string(),
            k.suggestions.clone(),
        ),
        ClaimStatus::Ambiguous => (
            Verdict::UnknownCode,
            "the code names several standards".to_string(),
            codes_of(corpus, k.resolved.iter().copied()),
        ),
    }
}

fn not_found_why(units: &[Unit], cite: &str) -> String {
    if let Some(p) = page_of(cite) {
        let pages = page_spans(units);
        match (pages.first(), pages.last()) {
            (Some(a), Some(b)) => format!("no entry holds page {p} (the entries run from page {} to {})", a.1, b.2),
            _ => format!("no entry holds page {p} (the table of contents gives no pages)"),
        }
    } else {
        "no entry has this number or title".to_string()
    }
}

/// Lower-case words of letters and digits, one space apart.
fn normalized(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Numbering keywords a citation or an entry id may carry.
const KEYWORDS: [(&str, &str); 12] = [
    ("lesson", "lesson"),
    ("les", "lesson"),
    ("l", "lesson"),
    ("chapter", "chapter"),
    ("ch", "chapter"),
    ("unit", "unit"),
    ("module", "module"),
    ("mod", "module"),
    ("topic", "topic"),
    ("section", "section"),
    ("sec", "section"),
    ("part", "part"),
];

/// A number as compared: `3-2`, `3.2`, `3–2` all `3.2`, lower case, without a closing dot.
fn number_key(s: &str) -> String {
    s.trim()
        .trim_end_matches(['.', ':'])
        .chars()
        .map(|c| if matches!(c, '-' | '–' | '—') { '.' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && s.len() <= 12
}

/// A citation as a number: (keyword, number), `Lesson 3-2` -> (lesson, 3.2), `3.2` -> (none,
/// 3.2).
fn cited_number(cite: &str) -> Option<(Option<&'static str>, String)> {
    let t = cite.trim();
    let mut words = t.split_whitespace();
    let first = words.next()?;
    let rest: Vec<&str> = words.collect();
    let kw = KEYWORDS
        .iter()
        .find(|(w, _)| first.trim_end_matches('.').eq_ignore_ascii_case(w))
        .map(|x| x.1);
    let num = match (kw, rest.as_slice()) {
        (Some(_), [n]) => number_key(n),
        (None, []) => number_key(first),
        _ => return None,
    };
    is_number(&num).then_some((kw, num))
}

/// An entry's number from its id (the last part of a nested one, `2.1/lesson-4`): `lesson-4` ->
/// (lesson, 4), `3.2` -> (none, 3.2).
fn entry_number(id: &str) -> Option<(Option<&'static str>, String)> {
    let id = id.rsplit('/').next().unwrap_or(id);
    if let Some((k, n)) = id.split_once('-') {
        if let Some(kw) = KEYWORDS.iter().find(|(w, _)| *w == k).map(|x| x.1) {
            let n = number_key(n);
            return is_number(&n).then_some((Some(kw), n));
        }
    }
    let n = number_key(id);
    is_number(&n).then_some((None, n))
}

/// A citation as a page: `p. 112`, `pp. 112-118`, `page 112`, `pages 112–118`, or a bare `112`:
/// its first page.
fn page_of(cite: &str) -> Option<u32> {
    let t = cite.trim().to_lowercase();
    let marked = ["pages", "page", "pp.", "pp", "p.", "p"].iter().find_map(|p| {
        t.strip_prefix(p)
            .filter(|r| r.starts_with([' ', '.']) || r.starts_with(|c: char| c.is_ascii_digit()))
    });
    let rest = marked.map(|r| r.trim_start_matches(['.', ' '])).unwrap_or(&t);
    let first: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest.get(first.len()..).unwrap_or("").trim();
    let to = after.trim_start_matches(['-', '–', '—', ' ']);
    if first.is_empty() || !(after.is_empty() || to.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let from: u32 = first.parse().ok()?;
    // Without `p.`/`pp.`, `a-b` is a range of pages only when it runs forward (`112-118`); `3-2`
    // or `9-9` is a lesson's number.
    if marked.is_none() && to.parse::<u32>().is_ok_and(|b| b <= from) {
        return None;
    }
    Some(from)
}

/// The entries with a page: (unit, first page, last page), in the book's order of pages. An
/// entry's range ends before the next entry's start; the last one's spans as many pages as the
/// longest other entry's.
fn page_spans(units: &[Unit]) -> Vec<(usize, u32, u32)> {
    let mut starts: Vec<(usize, u32, Option<u32>)> = units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let p = u.page.as_deref()?;
            let (a, b) = match p.split_once(['-', '–']) {
                Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()),
                None => (p.trim().parse().ok()?, None),
            };
            Some((i, a, b))
        })
        .collect();
    starts.sort_by_key(|x| (x.1, x.0));
    let mut out: Vec<(usize, u32, u32)> = Vec::new();
    let mut longest = 1;
    for (k, &(i, a, b)) in starts.iter().enumerate() {
        let next = starts.get(k + 1..).unwrap_or(&[]).iter().find(|x| x.1 > a).map(|x| x.1);
        let end = match (b, next) {
            (Some(b), _) => b.max(a),
            (None, Some(n)) => n - 1,
            (None, None) => a + longest - 1,
        };
        if next.is_some() || b.is_some() {
            longest = longest.max(end - a + 1);
        }
        out.push((i, a, end));
    }
    // The last entries' ranges, computed before the longest was known, get it now.
    if let Some(last) = out.last_mut() {
        if starts.last().is_some_and(|x| x.2.is_none()) {
            last.2 = last.1 + longest - 1;
        }
    }
    out
}

/// The entry a citation names, and how: by number (`3-2`, `Lesson 4`), by page (the entry whose
/// range holds it; of entries that start on the same page, the last in the book, a chapter's
/// first lesson rather than the chapter), or by title (the most similar title, normalized, at
/// least 0.8 alike).
pub fn locate(units: &[Unit], cite: &str) -> Option<(usize, Located)> {
    let lower = cite.trim().to_lowercase();
    let explicit_page = lower.starts_with("p.") || lower.starts_with("pp") || lower.starts_with("page");
    if !explicit_page {
        if let Some((kw, n)) = cited_number(cite) {
            let hits: Vec<(usize, Option<&'static str>)> = units
                .iter()
                .enumerate()
                .filter_map(|(i, u)| entry_number(&u.id).filter(|e| e.1 == n).map(|e| (i, e.0)))
                // A bare whole number (`112`) names a numbered entry only when one is numbered so
                // without a keyword (`4 Angles`); else it is a page.
                .filter(|h| kw.is_some() || n.contains('.') || h.1.is_none())
                .collect();
            let best = hits
                .iter()
                .find(|h| h.1 == kw)
                .or_else(|| hits.iter().find(|h| kw.is_none() || h.1.is_none()));
            if let Some(&(i, _)) = best {
                return Some((i, Located::Number));
            }
        }
    }
    if let Some(p) = page_of(cite) {
        let spans = page_spans(units);
        return spans
            .iter()
            .filter(|s| s.1 <= p && p <= s.2)
            .max_by_key(|s| (s.1, s.0))
            .map(|s| (s.0, Located::Page));
    }
    let want = normalized(cite);
    if want.is_empty() {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    for (i, u) in units.iter().enumerate() {
        let t = normalized(&u.title);
        if t.is_empty() {
            continue;
        }
        let sim = strsim::normalized_levenshtein(&want, &t).max(strsim::sorensen_dice(&want, &t));
        if sim >= 0.8 && best.is_none_or(|b| sim > b.1) {
            best = Some((i, sim));
        }
    }
    best.map(|b| (b.0, Located::Title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn book() -> Vec<Unit> {
        crate::ingest::curriculum::read_toc(
            Path::new("t.txt"),
            "Grade 4\nChapter 1 Place Value ..... 2\n1.1 Understanding place value ..... 2\n1.2 Rounding whole numbers ..... 10\nChapter 2 Fractions ..... 18\n2.1 Equivalent fractions ..... 18\nLesson 4 Angles ..... 30\n",
        )
        .unwrap()
    }

    fn at(units: &[Unit], cite: &str) -> Option<(String, Located)> {
        locate(units, cite).map(|(i, h)| (units[i].id.clone(), h))
    }

    #[test]
    fn citations_name_entries_by_number_page_and_title() {
        let u = book();
        let ids: Vec<&str> = u.iter().map(|x| x.id.as_str()).collect();
        assert!(ids.contains(&"1.2") && ids.contains(&"2.1/lesson-4"), "{ids:?}");
        assert_eq!(at(&u, "1-2"), Some(("1.2".into(), Located::Number)));
        assert_eq!(at(&u, "Lesson 1.2"), Some(("1.2".into(), Located::Number)));
        assert_eq!(at(&u, "Lesson 4"), Some(("2.1/lesson-4".into(), Located::Number)));
        assert_eq!(at(&u, "Chapter 2"), Some(("chapter-2".into(), Located::Number)));
        assert_eq!(at(&u, "p. 12"), Some(("1.2".into(), Located::Page)));
        assert_eq!(at(&u, "pp. 18-20"), Some(("2.1".into(), Located::Page)));
        assert_eq!(at(&u, "2"), Some(("1.1".into(), Located::Page)));
        assert_eq!(at(&u, "31"), Some(("2.1/lesson-4".into(), Located::Page)));
        assert_eq!(at(&u, "p. 412"), None);
        assert_eq!(at(&u, "p. 1"), None);
        assert_eq!(at(&u, "rounding whole number"), Some(("1.2".into(), Located::Title)));
        assert_eq!(at(&u, "Multiplying decimals"), None);
        assert_eq!(at(&u, "9-9"), None);
        assert_eq!(at(&u, "10-12"), Some(("1.2".into(), Located::Page)));
    }
}
