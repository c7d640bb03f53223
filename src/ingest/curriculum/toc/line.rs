//! One line of a table of contents, cleaned: indentation, Markdown (headings, list markers,
//! quotes, tables, links and emphasis), the entry's number, dot leaders and page numbers
//! ([`strip_page`], [`is_page_only`], [`is_page_ref`]) and the codes in its title. [`parse_line`]
//! makes a [`Line`]; the outline decides where it goes.

use super::claims::extract_codes;
use super::numbering::{parse_number, Numbering};

/// One line of the file, cleaned.
#[derive(Debug, Default)]
pub(super) struct Line {
    pub(super) indent: usize,
    /// The Markdown heading level, 1 to 6.
    pub(super) heading: Option<u8>,
    pub(super) list: bool,
    pub(super) num: Option<Numbering>,
    pub(super) title: String,
    pub(super) claimed: Vec<String>,
    pub(super) had_page: bool,
    /// The page the line gives, as printed (`112`, `112-118`, `xi`, `R12`).
    pub(super) page: Option<String>,
    /// Column where the title starts (after the number), for aligning unnumbered lines.
    pub(super) title_col: usize,
    /// The content after Markdown markers, before number/code/page handling.
    pub(super) content: String,
}

/// `#`..`######` followed by a space (or nothing).
pub(super) fn heading_level(s: &str) -> Option<u8> {
    let rest = s.trim_start_matches('#');
    let n = s.len() - rest.len(); // `#` is one byte
    if rest.chars().next().is_none_or(|c| c == ' ' || c == '\t') {
        u8::try_from(n).ok().filter(|n| (1..=6).contains(n))
    } else {
        None
    }
}

pub(super) fn indent_of(raw: &str) -> (usize, &str) {
    let is_blank = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t');
    let col = raw
        .chars()
        .take_while(|&c| is_blank(c))
        .fold(0, |col, c| if c == '\t' { (col / 4 + 1) * 4 } else { col + 1 });
    (col, raw.trim_start_matches(is_blank))
}

pub(super) fn parse_line(raw: &str) -> Option<Line> {
    let (mut indent, rest) = indent_of(raw);
    let mut s = rest.trim_end().to_string();
    if s.is_empty() {
        return None;
    }
    // Markdown structure that is never an entry.
    if s.starts_with("<!--") || s.starts_with("```") || s.starts_with("~~~") {
        return None;
    }
    if s.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ' | '|' | ':')) {
        return None; // rules, setext underlines, table separators
    }
    if let Some(r) = s.strip_prefix('>') {
        s = r.trim_start().to_string();
    }
    if s.starts_with('|') {
        // A table row: cells become columns separated by wide gaps.
        s = s
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("   ");
    }
    let mut line = Line {
        indent,
        ..Line::default()
    };
    if let Some(h) = heading_level(&s) {
        line.heading = Some(h);
        // `heading_level` counted the leading `#`s.
        s = s
            .trim_start_matches('#')
            .trim()
            .trim_end_matches('#')
            .trim_end()
            .to_string();
    } else {
        for m in ["- ", "* ", "+ ", "• ", "· ", "◦ ", "▪ ", "‣ ", "○ ", "■ "] {
            if let Some(r) = s.strip_prefix(m) {
                line.list = true;
                s = r.trim_start().to_string();
                for cb in ["[ ] ", "[x] ", "[X] "] {
                    if let Some(r) = s.strip_prefix(cb) {
                        s = r.to_string();
                    }
                }
                break;
            }
        }
        if !line.list {
            // `1. Title` / `1) Title`: an ordered list item; its number stays as numbering.
            let after_digits = s.trim_start_matches(|c: char| c.is_ascii_digit());
            let digits = s.len() - after_digits.len(); // ASCII digits: bytes are chars
            if let Some((num, after)) = s.split_at_checked(digits).filter(|_| (1..=3).contains(&digits)) {
                if let Some(title) = after.strip_prefix(") ") {
                    line.list = true;
                    s = format!("{num}. {}", title.trim_start());
                } else if after.starts_with(". ") && indent > 0 {
                    line.list = true;
                }
            }
        }
    }
    if line.list || line.heading.is_some() {
        indent = line.indent;
    }
    line.indent = indent;
    let s = strip_inline_markdown(&s);
    let s = s.trim();
    line.content = s.to_string();
    if line.heading.is_none() && is_page_only(s) {
        return None;
    }
    let (s, p1) = take_page(s);
    let (num, rest) = match parse_number(&s) {
        Some((n, r)) => (Some(n), r.to_string()),
        None => (None, s.clone()),
    };
    let title_start = s.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || ":.–—-".contains(c))
            .len();
    // `rest` is a suffix of `s`, so `title_start` is a char boundary of `s`.
    line.title_col = indent + s.get(..title_start).map_or(0, |p| p.chars().count());
    let (title, claimed) = extract_codes(&rest);
    let (title, p2) = take_page(&title);
    line.had_page = p1.is_some() || p2.is_some();
    line.page = p1.or(p2);
    line.num = num;
    line.title = clean_title(&title);
    line.claimed = claimed;
    if line.title.is_empty() && line.num.is_none() && line.claimed.is_empty() {
        return None;
    }
    Some(line)
}

/// Links to their text; emphasis and code markers removed.
pub(super) fn strip_inline_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after_open)) = rest.split_once('[') {
        let Some((link_text, after_close)) = after_open.split_once("](") else {
            break;
        };
        let Some((_target, tail)) = after_close.split_once(')') else {
            break;
        };
        out.push_str(before);
        out.push_str(link_text);
        rest = tail;
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "").replace(['`', '*'], "")
}

pub(super) fn clean_title(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let seps: &[char] = &[' ', ':', '–', '—', '-', '|', ',', ';', '/', '·'];
    let t = t.trim_matches(seps);
    // A leading "." left from "3.2. Title" or "Lesson 4. Title".
    t.trim_start_matches(['.', ' ']).trim().to_string()
}

pub(super) fn is_page_ref(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() {
        return false;
    }
    let parts: Vec<&str> = t.split(['-', '–', '—']).collect();
    if parts.len() > 2 {
        return false;
    }
    let all_digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()));
    let all_roman = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 6 && p.chars().all(|c| "ivxlc".contains(c)));
    all_digits || all_roman
}

/// A line that is only a page number, a page range, `p. 12`, or leader dots.
pub(super) fn is_page_only(s: &str) -> bool {
    let t = s.trim().trim_matches(['.', '·', '…', ' ']);
    if t.is_empty() {
        return !s.trim().is_empty() && s.contains(['.', '·', '…']);
    }
    let lower = t.to_ascii_lowercase();
    let t = lower
        .strip_prefix("pp.")
        .or_else(|| lower.strip_prefix("p."))
        .or_else(|| lower.strip_prefix("pages"))
        .or_else(|| lower.strip_prefix("page"))
        .unwrap_or(&lower)
        .trim();
    if t.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '–' | ' '))
        && t.chars().any(|c| c.is_ascii_digit())
    {
        return true;
    }
    is_page_ref(t) && t.chars().all(|c| "ivxlc-–".contains(c)) && t.len() <= 6
}

/// Remove a trailing page reference with the leader or gap before it. Returns whether one was found.
#[cfg(test)]
pub(super) fn strip_page(s: &str) -> (String, bool) {
    let (t, page) = take_page(s);
    (t, page.is_some())
}

/// A lettered page of a handbook or back matter (`H1`, `R12`, `A5`, `EM3`, `R12-R15`): one or two
/// capital letters and up to four digits, or a range of two.
pub(super) fn is_lettered_page(t: &str) -> bool {
    let one = |p: &str| {
        let digits = p.trim_start_matches(|c: char| c.is_ascii_uppercase());
        let letters = p.len() - digits.len();
        (1..=2).contains(&letters) && (1..=4).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    };
    let parts: Vec<&str> = t.split(['-', '–']).collect();
    parts.len() <= 2 && parts.iter().all(|p| one(p))
}

/// Remove a trailing page reference with the leader or gap before it; the page as printed (a
/// range with `-`), when there was one. A lettered page (`R12`) counts only after a leader or a
/// wide gap, so `Vitamin B12` keeps its name.
pub(super) fn take_page(s: &str) -> (String, Option<String>) {
    let mut t = s.trim_end();
    let mut found = false;
    let mut page: Option<String> = None;
    // "(p. 112)" / "(pp. 112-118)"
    if let Some(inner) = t.strip_suffix(')') {
        if let Some((head, body)) = inner.rsplit_once('(') {
            let body = body.trim().to_ascii_lowercase();
            if let Some(r) = body.strip_prefix("pp.").or_else(|| body.strip_prefix("p.")) {
                if is_page_ref(r) {
                    t = head.trim_end();
                    found = true;
                    page = Some(r.trim().to_string());
                }
            }
        }
    }
    if !found {
        let start = t
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || "ivxlc-–".contains(*c))
            .last()
            .map(|(i, _)| i);
        if let Some((before, num)) = start.and_then(|start| t.split_at_checked(start)) {
            if is_page_ref(num) && (before.is_empty() || !before.ends_with(|c: char| c.is_alphanumeric())) {
                let roman = !num.chars().any(|c| c.is_ascii_digit());
                let b = before.trim_end();
                // `pp. 12`, `page 12`, `p. 12` (`p.` alone or after a space)
                let page_word = strip_suffix_ignore_case(b, "pp.")
                    .or_else(|| strip_suffix_ignore_case(b, "page"))
                    .or_else(|| strip_suffix_ignore_case(b, "p.").filter(|h| h.is_empty() || h.ends_with(' ')));
                if let Some(head) = page_word {
                    t = head.trim_end().trim_end_matches([',', '—', '–', '-']);
                    found = true;
                    page = Some(num.to_string());
                } else {
                    let (head, leader) = b
                        .split_at_checked(b.trim_end_matches(['.', '·', '…', '_', ' ']).len())
                        .unwrap_or((b, ""));
                    let dots = leader.chars().filter(|c| matches!(c, '.' | '·' | '_')).count();
                    let gap = before.ends_with("  ") || before.ends_with('\t');
                    if dots >= 2 || leader.contains('…') {
                        t = head;
                        found = true;
                        page = Some(num.to_string());
                    } else if gap && !roman {
                        t = b;
                        found = true;
                        page = Some(num.to_string());
                    }
                }
            }
        }
    }
    if !found {
        // `Glossary ....... H1`, `Index of Titles and Authors      R12`
        let num = t.rsplit([' ', '\t', '.', '…', '·', '_']).next().unwrap_or("");
        if let Some(before) = t.strip_suffix(num).filter(|_| is_lettered_page(num)) {
            let head = before.trim_end_matches(['.', '·', '…', '_', ' ', '\t']);
            let leader = before.get(head.len()..).unwrap_or("");
            let dots = leader.chars().filter(|c| matches!(c, '.' | '·' | '_')).count();
            if !head.is_empty() && (leader.contains(['\t', '…']) || leader.contains("  ") || dots >= 2) {
                t = head;
                page = Some(num.to_string());
            }
        }
    }
    // Leader dots with no number after them.
    if let Some((head, tail)) = t.split_at_checked(t.trim_end_matches(['.', '·', ' ']).len()) {
        if tail.matches('.').count() >= 4 {
            t = head;
        }
    }
    (t.trim_end().to_string(), page.map(|p| p.replace(['–', '—'], "-")))
}

/// `s` without `suffix` at its end, compared ignoring ASCII case.
fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let (head, tail) = s.split_at_checked(s.len().checked_sub(suffix.len())?)?;
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}
