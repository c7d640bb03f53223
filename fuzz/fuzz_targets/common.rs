//! Shared by the fuzz targets: bytes to text the way the CLI reads files, and the cheap
//! follow-up work done on what a reader returns, so that readers' outputs are exercised too.
#![allow(dead_code)]

use aligner::align::analyze::{notation_words, strip_sequence_number, Analyzer};
use aligner::codes;
use aligner::ingest::curriculum::{self, CurriculumOptions};
use aligner::model::{grades_label, Framework, Unit};
use std::path::Path;

/// With `FUZZ_VERBOSE` set, each reader's result is printed (to check what seeds reach).
pub fn verbose() -> bool {
    static V: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *V.get_or_init(|| std::env::var_os("FUZZ_VERBOSE").is_some())
}

/// Say what a reader returned, when [`verbose`].
pub fn report<T>(what: &str, r: &aligner::Result<Vec<T>>) {
    if verbose() {
        match r {
            Ok(v) => eprintln!("{what}: ok, {} items", v.len()),
            Err(e) => eprintln!("{what}: {e}"),
        }
    }
}

/// The bytes as the CLI would read them from `path` (encoding checks, BOM); `None` on an error.
pub fn text(path: &str, data: &[u8]) -> Option<String> {
    let r = aligner::error::text_from_bytes(Path::new(path), data.to_vec());
    if verbose() {
        if let Err(e) = &r {
            eprintln!("text: {e}");
        }
    }
    r.ok()
}

/// A framework reader's result: reported, and on success exercised.
pub fn framework(what: &str, r: aligner::Result<Framework>) {
    let r = r.map(|fw| {
        if verbose() {
            eprintln!("{what}: ok, {} standards", fw.standards.len());
        }
        fw
    });
    match r {
        Ok(fw) => exercise_framework(fw),
        Err(e) => {
            if verbose() {
                eprintln!("{what}: {e}");
            }
        }
    }
}

thread_local! {
    static ANALYZER: Analyzer = Analyzer::default();
}

/// What the aligner does with a unit before matching it: the title without its sequence number,
/// the analysed words, notation, the claimed codes' keys and the grade.
pub fn exercise_units(units: &[Unit]) {
    for u in units {
        let stripped = strip_sequence_number(&u.title);
        ANALYZER.with(|a| {
            for text in [stripped, u.title.as_str(), u.text.as_str()] {
                let _ = a.tokens(text);
            }
            for c in &u.context {
                let _ = a.tokens(c);
            }
        });
        let _ = notation_words(&[u.title.as_str(), u.text.as_str()]).count();
        for c in &u.claimed {
            let _ = codes::segments(c);
            let _ = codes::normalize(c);
            let _ = codes::looks_like_code(c);
            let _ = curriculum::split_codes(c);
        }
        if let Some(p) = u.parent {
            assert!(p < units.len(), "unit parent out of range");
        }
        let _ = aligner::model::GradeRange::parse(&u.title);
    }
}

/// Read a curriculum with default options and with a grade and subject given, exercising the units.
pub fn read_curriculum(path: &str, text: &str) {
    let p = Path::new(path);
    let r = curriculum::read_curriculum_str_with(p, text, &CurriculumOptions::default());
    report(path, &r);
    if let Ok(units) = r {
        exercise_units(&units);
    }
}

/// What the aligner does with a framework it has read: navigation, codes and their index.
pub fn exercise_framework(mut fw: Framework) {
    let n = fw.standards.len();
    for i in 0..n {
        let _ = fw.ancestors(i);
        let _ = fw.headings(i).count();
        let s = &fw.standards[i];
        let _ = s.display_code();
        let _ = grades_label(&s.grades);
        for &c in &s.children {
            assert!(c < n, "child out of range");
        }
    }
    let _ = fw.counts_by_kind();
    let _ = fw.warnings.iter().map(String::len).sum::<usize>();
    codes::derive_heading_codes(&mut fw);
    let fws = [fw];
    let ix = codes::CodeIndex::build(&fws);
    for s in fws[0].standards.iter().take(64) {
        if let Some(c) = &s.code {
            let _ = ix.lookup(c, None);
            let _ = ix.lookup(c, Some(0));
        }
    }
}
