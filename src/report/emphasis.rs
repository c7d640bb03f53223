//! Emphasis: where a program spends its time. For each counted standard, and each roll-up row,
//! how many lessons address it and how many pages those lessons fill, so a committee sees how
//! much of a book goes to a standard, not only whether it is touched.
//!
//! A lesson addresses a standard when one of its matches reaches the audit's minimum score or it
//! claims the standard and its text supports the claim. A chapter and a lesson under it that both
//! address a standard count once (the lesson). Reviews and assessments teach nothing new and are
//! not counted. A lesson's pages are its printed range (`112-118`: 7 pages), else the pages up to
//! the next entry that is not under it (a table of contents gives start pages), else its start
//! page alone (the book's last entry); entries without an arabic page number have no pages.

use crate::model::Unit;

/// The first page of a printed page reference and the last, when it is a range: `112` ->
/// (112, None), `112-118` / `112–118` / `pp. 112-18` -> (112, Some(118)); `xi`, `R12` -> None.
pub fn page_numbers(page: &str) -> Option<(u32, Option<u32>)> {
    let p = page
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '.' || c == ' ');
    let (a, b) = match p.split_once(['-', '–', '—']) {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (p, None),
    };
    let first: u32 = a.parse().ok().filter(|&n| n > 0)?;
    let last = b.and_then(|b| {
        let n: u32 = b.parse().ok()?;
        // `112-18`: the end written with its last digits only.
        let digits = b.len() as u32;
        let n = if n < first && digits < a.len() as u32 {
            let m = 10u32.pow(digits);
            first - first % m + n
        } else {
            n
        };
        (n >= first).then_some(n)
    });
    Some((first, last))
}

/// Whether unit `d` is `a` or under it.
fn is_within(units: &[Unit], mut d: usize, a: usize) -> bool {
    for _ in 0..=units.len() {
        if d == a {
            return true;
        }
        match units[d].parent {
            Some(p) if p < d => d = p,
            _ => return false,
        }
    }
    false
}

/// Each unit's number of pages (see the module's header), `None` without an arabic page.
pub fn page_spans(units: &[Unit]) -> Vec<Option<u32>> {
    let starts: Vec<Option<(u32, Option<u32>)>> =
        units.iter().map(|u| u.page.as_deref().and_then(page_numbers)).collect();
    (0..units.len())
        .map(|i| {
            let (first, last) = starts[i]?;
            if let Some(l) = last {
                return Some(l - first + 1);
            }
            let next = (i + 1..units.len())
                .filter(|&j| !is_within(units, j, i))
                .find_map(|j| starts[j].map(|s| s.0));
            Some(match next {
                Some(n) if n > first => n - first,
                _ => 1,
            })
        })
        .collect()
}

/// The lessons among `addressing` (unit positions) that count: no review or assessment, and no
/// entry that has another of them under it. Sorted, each once.
pub fn counted_lessons(units: &[Unit], addressing: &[usize]) -> Vec<usize> {
    let mut v: Vec<usize> = addressing
        .iter()
        .copied()
        .filter(|&u| u < units.len() && units[u].role.is_lesson())
        .collect();
    v.sort_unstable();
    v.dedup();
    let keep: Vec<usize> = v
        .iter()
        .copied()
        .filter(|&a| !v.iter().any(|&d| d != a && is_within(units, d, a)))
        .collect();
    keep
}

/// The pages of a set of lessons, each once; `None` when none of them has pages.
pub fn pages_of(spans: &[Option<u32>], lessons: &[usize]) -> Option<u32> {
    let known: Vec<u32> = lessons
        .iter()
        .filter_map(|&u| spans.get(u).copied().flatten())
        .collect();
    (!known.is_empty()).then(|| known.iter().sum())
}

/// A program's pages: from the first page an entry gives to the end of the last entry.
pub fn book_pages(units: &[Unit], spans: &[Option<u32>]) -> Option<u32> {
    let mut first = u32::MAX;
    let mut end = 0;
    for (u, span) in units.iter().zip(spans) {
        if let (Some((start, _)), Some(n)) = (u.page.as_deref().and_then(page_numbers), span) {
            first = first.min(start);
            end = end.max(start + n - 1);
        }
    }
    (end >= first).then(|| end - first + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(page: Option<&str>, parent: Option<usize>) -> Unit {
        Unit {
            id: String::new(),
            title: String::new(),
            text: String::new(),
            grade: None,
            subject: None,
            claimed: vec![],
            parent,
            context: vec![],
            origin: String::new(),
            page: page.map(String::from),
            role: Default::default(),
        }
    }

    #[test]
    fn page_references_as_printed() {
        assert_eq!(page_numbers("112"), Some((112, None)));
        assert_eq!(page_numbers("112-118"), Some((112, Some(118))));
        assert_eq!(page_numbers("112–18"), Some((112, Some(118))));
        assert_eq!(page_numbers("pp. 40-42"), Some((40, Some(42))));
        assert_eq!(page_numbers("xi"), None);
        assert_eq!(page_numbers("0"), None);
        assert_eq!(page_numbers("50-40"), Some((50, None)));
    }

    #[test]
    fn a_lesson_runs_to_the_next_entry_not_under_it() {
        // Chapter 1 (p. 10) > lessons at 10 and 14; chapter 2 at 20 > lesson at 20-29.
        let units = vec![
            unit(Some("10"), None),
            unit(Some("10"), Some(0)),
            unit(Some("14"), Some(0)),
            unit(Some("20"), None),
            unit(Some("20-29"), Some(3)),
            unit(Some("xi"), None),
        ];
        assert_eq!(
            page_spans(&units),
            vec![Some(10), Some(4), Some(6), Some(1), Some(10), None]
        );
        // The chapter and its lesson count once, as the lesson.
        assert_eq!(counted_lessons(&units, &[0, 1, 4, 4]), vec![1, 4]);
        assert_eq!(pages_of(&page_spans(&units), &[1, 4, 5]), Some(14));
        assert_eq!(pages_of(&page_spans(&units), &[5]), None);
        assert_eq!(book_pages(&units, &page_spans(&units)), Some(20));
        assert_eq!(book_pages(&units[5..], &page_spans(&units[5..])), None);
    }
}
