//! Code spellings: segments, keys, the code test, and resolution against the shipped corpus
//! (exact, relative to a grade, and suggestions).
#![no_main]
mod common;

use aligner::codes::{self, CodeIndex};
use aligner::model::{Framework, Grade};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

// Read once, before the first input (in libFuzzer's init, so that its seconds do not count against
// the first input's -timeout).
static CORPUS: OnceLock<(Vec<Framework>, CodeIndex)> = OnceLock::new();

fn corpus() -> &'static (Vec<Framework>, CodeIndex) {
    CORPUS.get_or_init(|| {
        let mut fws = aligner::index::read_shipped().expect("shipped corpus reads");
        for fw in &mut fws {
            codes::derive_heading_codes(fw);
        }
        let ix = CodeIndex::build(&fws);
        (fws, ix)
    })
}

fuzz_target!(init: { corpus(); }, |data: &[u8]| {
    // First byte: framework and grade choice; the rest: the spelling.
    let Some((&sel, rest)) = data.split_first() else { return };
    let Some(raw) = common::text("code.txt", rest) else { return };
    let (fws, ix) = corpus();
    let _ = codes::segments(&raw);
    let _ = codes::normalize(&raw);
    let _ = codes::looks_like_code(&raw);
    let _ = aligner::model::GradeRange::parse(&raw);
    let _ = aligner::model::Grade::parse_list(&raw);
    let _ = aligner::model::subject::normalize(&raw);
    let _ = aligner::model::subject::named_in(&raw);
    let _ = aligner::model::subject::from_hint(&raw);
    let _ = aligner::ingest::curriculum::split_codes(&raw);
    let fw = match sel as usize % (fws.len() + 1) {
        0 => None,
        i => Some(i - 1),
    };
    let grade = Grade((sel / 16) as i8 - 1); // PK .. 14
    for r in ix.lookup(&raw, fw) {
        assert!(r.fw < fws.len() && r.idx < fws[r.fw].standards.len());
    }
    for r in ix.lookup_partial(fws, &raw, grade, fw) {
        assert!(r.fw < fws.len() && r.idx < fws[r.fw].standards.len());
    }
    let s = ix.suggest(fws, &raw, fw, 5);
    assert!(s.len() <= 5);
});
