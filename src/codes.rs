//! Standard codes: parsing, normalizing and resolving the many spellings of a code.
//!
//! Every spelling of a code is reduced to a *key*: publisher prefixes removed
//! (`CCSS.Math.Content.`, `CCSS.ELA-Literacy.`), upper-cased, split into segments at `.`, `-`, `_`,
//! spaces and at every letter/digit boundary, then joined with `.`. So `4.NF.B.3`, `4.nf.b.3` and
//! `CCSS.Math.Content.4.NF.B.3` all give `4.NF.B.3`; `4.MD.C.5a` and `4.MD.C.5.a` give `4.MD.C.5.A`;
//! `HSA-REI.B.3` and `HSA.REI.B.3` give `HSA.REI.B.3`.
//!
//! Each standard is then registered under several keys: its code, its alternative codes, and the
//! variants a reader meets in the wild — without the cluster letter (`4.NF.3`, `A-REI.3`) and, for
//! high-school codes, without the `HS` prefix (`A-REI.B.3`). A key may name standards in several
//! frameworks (a state that adopted CCSS codes); the caller narrows with a framework.
//!
//! Headings that the publisher left without a code (the CCSS math domains) get one derived from
//! their children (`5.MD` from `5.MD.A`, `5.MD.B`, ...), see [`derive_heading_codes`].

use crate::model::{Framework, Grade, StdIdx};
use rustc_hash::FxHashMap as HashMap;

/// A standard in a corpus: framework position and standard position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref {
    pub fw: usize,
    pub idx: StdIdx,
}

const PREFIXES: &[&str] = &[
    "ccss.math.content.",
    "ccss.math.practice.",
    "ccss.ela-literacy.",
    "ccss.ela.literacy.",
    "math.content.",
    "ela-literacy.",
    "ccss.",
    "ccss ",
    "ccssm ",
    "ccss-",
];

/// Segments of a code spelling (see the module header).
pub fn segments(raw: &str) -> Vec<String> {
    let mut s = raw
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | ';' | ':' | '"' | '\''));
    let lower = s.to_ascii_lowercase();
    for p in PREFIXES {
        if lower.starts_with(p) && s.len() > p.len() {
            s = &s[p.len()..];
            break;
        }
    }
    let mut out = Vec::new();
    for part in s.split(['.', '-', '_', ' ', '/', '–', '—']) {
        let mut cur = String::new();
        let mut prev: Option<bool> = None; // was the previous char a digit?
        for ch in part.chars() {
            if !ch.is_alphanumeric() {
                continue;
            }
            let digit = ch.is_ascii_digit();
            if prev.is_some_and(|p| p != digit) && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.extend(ch.to_uppercase());
            prev = Some(digit);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// The lookup key of a code spelling: its segments joined with `.`.
pub fn normalize(raw: &str) -> String {
    segments(raw).join(".")
}

/// True when a token has the shape of a standard code, to tell a claimed code from a word (a
/// TOC title's `(4.NF.3)`). A loose test: at least three `.`/`-` separated parts, a
/// digit, and an upper-case domain part (`4.NF.3`, `K.CC.B.4`, `HSA-REI.B.3`, `A-REI.3`,
/// `6.EE.A.2c`, `MS-PS1-1`, `3-LS4-1`, `RL.4.1`, `CCSS.Math.Content.4.NF.B.3`).
pub fn looks_like_code(t: &str) -> bool {
    let body = match t.split_at_checked(5) {
        Some((p, rest)) if !rest.is_empty() && p.eq_ignore_ascii_case("ccss.") => rest,
        _ => t,
    };
    if !body.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        return false;
    }
    let segs: Vec<&str> = body.split(['.', '-']).collect();
    let has_digit = body.chars().any(|c| c.is_ascii_digit()) || segs.first() == Some(&"K");
    if segs.len() < 3 || segs.iter().any(|s| s.is_empty()) || !has_digit {
        return false;
    }
    let is_ccss_prefixed = body.len() != t.len();
    let n = segs.len();
    let mut domain = false;
    for (i, s) in segs.iter().enumerate() {
        let upper_word = s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if upper_word && *s != "K" {
            domain = true;
        }
        let lower_ok = if is_ccss_prefixed {
            true
        } else {
            // a sub-standard letter: `2c`, a final `a`
            let lowers = s.chars().filter(|c| c.is_ascii_lowercase()).count();
            lowers == 0
                || (lowers == 1
                    && s.strip_suffix(|c: char| c.is_ascii_lowercase())
                        .is_some_and(|head| head.is_empty() && i == n - 1 || head.chars().all(|c| c.is_ascii_digit())))
        };
        if !lower_ok {
            return false;
        }
    }
    domain
}

/// A code as PDFs paste it, with a space after each separator (`5. NF. B. 5`, `RL. 7. 2`,
/// `(5- NF- B- 7)`), closed up (`5.NF.B.5`), so that [`looks_like_code`] sees one token. A run of
/// short tokens (at most 8 letters and digits each) in which every token but the last ends with
/// `.` or `-` is joined when the joined run has the shape of a code; every other space stays.
/// Borrowed when there was nothing to join.
pub fn join_spaced_codes(s: &str) -> std::borrow::Cow<'_, str> {
    let toks: Vec<&str> = s.split(' ').collect();
    if toks.len() < 2 || !toks.iter().any(|t| t.ends_with(['.', '-'])) {
        return std::borrow::Cow::Borrowed(s);
    }
    let edge = |c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | ';' | ':');
    let short = |t: &str| {
        let core = t.trim_matches(edge);
        !core.is_empty()
            && core.chars().filter(|c| c.is_ascii_alphanumeric()).count() <= 8
            && core.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let open = |t: &str| short(t) && t.ends_with(['.', '-']) && !t.trim_end_matches(['.', '-']).ends_with(edge);
    let mut out: Vec<String> = Vec::with_capacity(toks.len());
    let mut i = 0;
    let mut joined = false;
    while i < toks.len() {
        // The longest run from `i` whose joined text has the shape of a code.
        let mut end = i;
        while end + 1 < toks.len() && open(toks[end]) && short(toks[end + 1]) {
            end += 1;
        }
        let found = (i + 1..=end).rev().find_map(|j| {
            let cat: String = toks[i..=j].concat();
            let core = cat.trim_matches(edge).trim_end_matches('.');
            looks_like_code(core).then_some((j, cat))
        });
        match found {
            Some((j, cat)) => {
                out.push(cat);
                joined = true;
                i = j + 1;
            }
            None => {
                out.push(toks[i].to_string());
                i += 1;
            }
        }
    }
    if joined {
        std::borrow::Cow::Owned(out.join(" "))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The key variants under which a standard with code segments `segs` is registered.
fn variants(segs: &[String]) -> Vec<String> {
    let mut out = vec![segs.to_vec()];
    // Without the cluster letter: a single-letter segment at position >= 2 followed by a number.
    let is_num = |s: &String| s.chars().all(|c| c.is_ascii_digit());
    if let Some(pos) = (2..segs.len().saturating_sub(1))
        .find(|&i| segs[i].len() == 1 && segs[i].chars().all(|c| c.is_ascii_alphabetic()) && is_num(&segs[i + 1]))
    {
        let mut v = segs.to_vec();
        v.remove(pos);
        out.push(v);
    }
    // Without the HS prefix of a high-school conceptual category (HSA -> A).
    if let Some(first) = segs.first() {
        if first.len() == 3 && first.starts_with("HS") && first.chars().all(|c| c.is_ascii_alphabetic()) {
            let extra: Vec<Vec<String>> = out
                .iter()
                .map(|v| {
                    let mut v = v.clone();
                    v[0] = v[0][2..].to_string();
                    v
                })
                .collect();
            out.extend(extra);
        }
    }
    out.into_iter().map(|v| v.join(".")).collect()
}

/// The lookup keys of a standard's code (its segments `segs`) and its alternative codes: every
/// variant spelling, sorted, each once.
fn keys_of(segs: &[String], alt_codes: &[String]) -> Vec<String> {
    let mut keys = variants(segs);
    for alt in alt_codes {
        keys.extend(variants(&segments(alt)));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The lookup keys of a standard (empty when it has no code): what [`CodeIndex::lookup`] finds it
/// by.
pub fn keys(s: &crate::model::Standard) -> Vec<String> {
    match s.code.as_deref().map(segments) {
        Some(segs) if !segs.is_empty() => keys_of(&segs, &s.alt_codes),
        _ => Vec::new(),
    }
}

/// Give headings without a code (CCSS math domains) the code their children share: the children's
/// codes with the last segment removed, when that is the same for all of them.
pub fn derive_heading_codes(fw: &mut Framework) {
    for i in 0..fw.standards.len() {
        let s = &fw.standards[i];
        if s.code.is_some() || !s.kind.is_heading() || s.children.is_empty() {
            continue;
        }
        let mut common: Option<String> = None;
        let mut ok = true;
        for &c in &s.children {
            let Some(code) = fw.standards[c].code.as_deref() else {
                ok = false;
                break;
            };
            let Some(cut) = code.rfind(['.', '-']) else {
                ok = false;
                break;
            };
            let prefix = &code[..cut];
            match &common {
                None => common = Some(prefix.to_string()),
                Some(p) if p == prefix => {}
                Some(_) => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            if let Some(p) = common.filter(|p| !p.is_empty()) {
                fw.standards[i].code = Some(p);
            }
        }
    }
}

/// Every code key of a set of frameworks, for resolution and suggestions.
#[derive(Debug, Default, Clone)]
pub struct CodeIndex {
    by_key: HashMap<String, Vec<Ref>>,
    /// (key of the published code, the standard) for suggestions and suffix matches.
    primary: Vec<(String, Ref)>,
    /// Per standard with a code, its position in `primary`.
    primary_of: HashMap<Ref, u32>,
    /// Suggestions already computed, per (key, framework, count): an audit of a publisher's
    /// sheet repeats the same unknown codes on many rows, and each costs a pass over every code.
    suggested: Cache<(String, Option<usize>, usize), Vec<String>>,
    /// Grade-relative lookups already made, per (key, grade, framework), for the same reason.
    partial: Cache<(String, String, Option<usize>), Vec<Ref>>,
}

/// A memo shared by the clones of a [`CodeIndex`].
type Cache<K, V> = std::sync::Arc<std::sync::Mutex<HashMap<K, V>>>;

/// The longest spelling compared when suggesting: no published code is near this long, and a
/// longer text (a sentence pasted into a code column) would only cost time.
const SUGGEST_MAX_LEN: usize = 48;

impl CodeIndex {
    pub fn build(frameworks: &[Framework]) -> CodeIndex {
        // (The index build stores the same keys in tantivy's `code` field: see `keys`.)
        let mut ix = CodeIndex::default();
        let n: usize = frameworks.iter().map(|f| f.standards.len()).sum();
        ix.primary.reserve(n);
        ix.primary_of.reserve(n);
        ix.by_key.reserve(2 * n);
        for (f, fw) in frameworks.iter().enumerate() {
            for (i, s) in fw.standards.iter().enumerate() {
                let r = Ref { fw: f, idx: i };
                let Some(code) = s.code.as_deref() else { continue };
                let segs = segments(code);
                if segs.is_empty() {
                    continue;
                }
                ix.primary_of.insert(r, ix.primary.len() as u32);
                ix.primary.push((segs.join("."), r));
                for k in keys_of(&segs, &s.alt_codes) {
                    let v = ix.by_key.entry(k).or_default();
                    if !v.contains(&r) {
                        v.push(r);
                    }
                }
            }
        }
        ix
    }

    /// Standards whose code is this spelling, in any framework (or only framework `fw`).
    pub fn lookup(&self, raw: &str, fw: Option<usize>) -> Vec<Ref> {
        let key = normalize(raw);
        let mut found: Vec<Ref> = self
            .by_key
            .get(&key)
            .map(|v| v.iter().copied().filter(|r| fw.is_none_or(|f| r.fw == f)).collect())
            .unwrap_or_default();
        if found.is_empty() {
            // A heading the publisher did not make a node of (CCSS math groups domains across
            // grades, so `5.MD` is no node): the nodes one level below it (5.MD.A, 5.MD.B, ...).
            let depth = key.split('.').count() + 1;
            let prefix = format!("{key}.");
            found = self
                .primary
                .iter()
                .filter(|(k, r)| {
                    k.starts_with(&prefix) && k.split('.').count() == depth && fw.is_none_or(|f| r.fw == f)
                })
                .map(|(_, r)| *r)
                .collect();
            return found;
        }
        // Within one framework, a match on a published code wins over a match through a variant.
        let exact: Vec<Ref> = found
            .iter()
            .copied()
            .filter(|r| self.primary_of.get(r).map(|&i| &self.primary[i as usize].0) == Some(&key))
            .collect();
        found.retain(|r| exact.contains(r) || !exact.iter().any(|e| e.fw == r.fw));
        found
    }

    /// A code written relative to a grade (`C.6` in kindergarten, as some exports split
    /// `K.CC.C.6` into `K` and `C.6`): the standards of that grade whose code ends with these
    /// segments. Several may match; the caller decides.
    pub fn lookup_partial(&self, frameworks: &[Framework], raw: &str, grade: Grade, fw: Option<usize>) -> Vec<Ref> {
        let short: String = raw.chars().take(SUGGEST_MAX_LEN).collect();
        let segs = segments(&short);
        if segs.is_empty() {
            return Vec::new();
        }
        let cache_key = (segs.join("."), grade.label().to_string(), fw);
        if let Some(hit) = self.partial.lock().ok().and_then(|c| c.get(&cache_key).cloned()) {
            return hit;
        }
        let out = self.lookup_partial_uncached(frameworks, &segs, grade, fw);
        if let Ok(mut c) = self.partial.lock() {
            c.insert(cache_key, out.clone());
        }
        out
    }

    fn lookup_partial_uncached(
        &self,
        frameworks: &[Framework],
        segs: &[String],
        grade: Grade,
        fw: Option<usize>,
    ) -> Vec<Ref> {
        let grade_seg = grade.label().to_ascii_uppercase();
        let mut out = Vec::new();
        for (key, r) in &self.primary {
            if fw.is_some_and(|f| r.fw != f) {
                continue;
            }
            let ks: Vec<&str> = key.split('.').collect();
            if ks.len() <= segs.len() || ks[0] != grade_seg {
                continue;
            }
            if ks[ks.len() - segs.len()..]
                .iter()
                .zip(segs)
                .all(|(a, b)| *a == b.as_str())
                && frameworks[r.fw].standards[r.idx].grades.contains(&grade)
            {
                out.push(*r);
            }
        }
        out
    }

    /// Up to `n` published codes closest to the spelling `raw` (restricted to framework `fw`).
    pub fn suggest(&self, frameworks: &[Framework], raw: &str, fw: Option<usize>, n: usize) -> Vec<String> {
        let short: String = raw.chars().take(SUGGEST_MAX_LEN).collect();
        let key = normalize(&short);
        if key.is_empty() {
            return Vec::new();
        }
        let cache_key = (key, fw, n);
        if let Some(hit) = self.suggested.lock().ok().and_then(|c| c.get(&cache_key).cloned()) {
            return hit;
        }
        let out = self.suggest_uncached(frameworks, &cache_key.0, fw, n);
        if let Ok(mut c) = self.suggested.lock() {
            c.insert(cache_key, out.clone());
        }
        out
    }

    fn suggest_uncached(&self, frameworks: &[Framework], key: &str, fw: Option<usize>, n: usize) -> Vec<String> {
        let mut scored: Vec<(f64, String)> = self
            .primary
            .iter()
            .filter(|(_, r)| fw.is_none_or(|f| r.fw == f))
            .map(|(k, r)| {
                let sim = strsim::jaro_winkler(key, k) + 0.5 * strsim::normalized_levenshtein(key, k);
                (sim, frameworks[r.fw].standards[r.idx].display_code().to_string())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, c) in scored {
            if !out.contains(&c) {
                out.push(c);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
}

/// The anchor of an anchored code (a framework whose standards repeat one anchor at every grade,
/// as CCSS ELA's: the strand and number, the grade left out): `RL.9-10.2` → `RL.2`, `L.3.4a` → `L.4`, `RF.K.1b` → `RF.1`,
/// `W.11-12.9a` → `W.9`. None for a code of another shape.
pub fn anchor_of_code(code: &str) -> Option<String> {
    let parts: Vec<&str> = code.split('.').collect();
    let (strand, last) = match parts.as_slice() {
        [s, _grade, last] | [s, _grade, last, _] => (*s, *last),
        _ => return None,
    };
    if strand.is_empty() || !strand.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let digits: String = last.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &last[digits.len()..];
    if digits.is_empty() || !rest.chars().all(|c| c.is_ascii_lowercase()) || rest.len() > 1 {
        return None;
    }
    let grade = parts[1];
    if !grade.chars().all(|c| c.is_ascii_digit() || c == '-' || c == 'K') {
        return None;
    }
    Some(format!("{strand}.{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_of_ela_codes_and_none_for_other_shapes() {
        assert_eq!(anchor_of_code("RL.9-10.2").as_deref(), Some("RL.2"));
        assert_eq!(anchor_of_code("L.3.4a").as_deref(), Some("L.4"));
        assert_eq!(anchor_of_code("RF.K.1b").as_deref(), Some("RF.1"));
        assert_eq!(anchor_of_code("W.11-12.10").as_deref(), Some("W.10"));
        assert_eq!(anchor_of_code("WHST.6-8.1e").as_deref(), Some("WHST.1"));
        assert_eq!(anchor_of_code("4.NF.B.3"), None);
        assert_eq!(anchor_of_code("MS-PS1-4"), None);
        assert_eq!(anchor_of_code("HSA-REI.B.4"), None);
    }

    #[test]
    fn codes_pasted_with_spaces_close_up() {
        let j = |s: &str| join_spaced_codes(s).into_owned();
        assert_eq!(j("Divide Decimals (5. NF. B. 5)"), "Divide Decimals (5.NF.B.5)");
        assert_eq!(j("Theme (RL. 7. 2, RL. 7. 3)"), "Theme (RL.7.2, RL.7.3)");
        assert_eq!(j("Fractions (5- NF- B- 7) 12"), "Fractions (5-NF-B-7) 12");
        assert_eq!(
            j("Lesson 4. Adding and subtracting"),
            "Lesson 4. Adding and subtracting"
        );
        assert_eq!(j("Count to 100. Then count back."), "Count to 100. Then count back.");
        assert_eq!(j("Grade 5. Math"), "Grade 5. Math");
        assert_eq!(j("5.NF.B.5 already closed"), "5.NF.B.5 already closed");
        assert!(looks_like_code(&j("5. NF. B. 5")));
        assert_eq!(normalize(&j("RL. 7. 2")), normalize("RL.7.2"));
    }

    #[test]
    fn spellings_normalize_alike() {
        for (a, b) in [
            ("4.NF.B.3", "4.nf.b.3"),
            ("4.NF.B.3", "CCSS.Math.Content.4.NF.B.3"),
            ("4.MD.C.5a", "4.MD.C.5.a"),
            ("6.NS.C.7.C", "6.NS.C.7c"),
            ("HSA-REI.B.3", "HSA.REI.B.3"),
            ("MP1", "MP.1"),
        ] {
            assert_eq!(normalize(a), normalize(b), "{a} vs {b}");
        }
        assert_ne!(normalize("4.NF.B.3"), normalize("4.NF.B.4"));
    }

    #[test]
    fn variants_drop_cluster_and_hs() {
        let v = variants(&segments("HSA-REI.B.3"));
        for k in ["HSA.REI.B.3", "HSA.REI.3", "A.REI.B.3", "A.REI.3"] {
            assert!(v.contains(&k.to_string()), "{k} missing from {v:?}");
        }
        let v = variants(&segments("4.MD.C.5a"));
        assert!(v.contains(&"4.MD.5.A".to_string()));
        // NGSS codes have no cluster letter to drop.
        assert_eq!(variants(&segments("MS-PS1-1")), vec!["MS.PS.1.1".to_string()]);
    }

    #[test]
    fn code_shapes() {
        for c in [
            "4.NF.3",
            "K.CC.B.4",
            "HSA-REI.B.3",
            "A-REI.3",
            "6.EE.A.2c",
            "MS-PS1-1",
            "3-LS4-1",
            "RL.4.1",
            "4.MD.C.5.a",
            "6.G.A.1",
            "K-PS2-1",
            "CCSS.Math.Content.4.NF.B.3",
            "HS-LS1-1",
            "K.CC.B",
            "W.3.2",
        ] {
            assert!(looks_like_code(c), "{c}");
        }
        for c in [
            "3.2",
            "3.2.1",
            "COVID-19",
            "U.S.A",
            "K-2",
            "2024-01-05",
            "e.g.",
            "Grade-4-math",
            "K-2-3",
            "Fractions",
            "ccss.é",
            "4.NF.3é",
        ] {
            assert!(!looks_like_code(c), "{c}");
        }
    }

    #[test]
    fn suggestions_are_cached_and_long_spellings_cut() {
        let fw = crate::ingest::standards::read_framework_str(
            std::path::Path::new("d.csv"),
            "code,text\nAB.1,Add\nAB.2,Subtract\nCD.1,Count\n",
            None,
        )
        .unwrap();
        let fws = vec![fw];
        let ix = CodeIndex::build(&fws);
        let first = ix.suggest(&fws, "AB.3", None, 2);
        assert_eq!(first, ["AB.1", "AB.2"]);
        assert_eq!(ix.suggest(&fws, "AB.3", None, 2), first);
        assert_eq!(ix.suggested.lock().unwrap().len(), 1);
        let long = format!("AB.3{}", "x".repeat(100_000));
        assert_eq!(ix.suggest(&fws, &long, None, 2).len(), 2);
    }
}
