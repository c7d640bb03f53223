//! The table-of-contents reader, as plain text and as Markdown, with and without a grade and
//! subject given, and the per-unit analysis done before matching.
#![no_main]
mod common;

use aligner::codes::looks_like_code;
use aligner::ingest::curriculum::{read_toc_with, TocOptions};
use aligner::model::GradeRange;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text("toc.txt", data) else { return };
    for path in ["toc.txt", "toc.md"] {
        common::read_curriculum(path, &text);
    }
    let given = TocOptions {
        grade: GradeRange::parse("4"),
        subject: Some("math".to_string()),
        markdown: Some(true),
    };
    let r = read_toc_with(Path::new("toc.txt"), &text, &given);
    common::report("toc.txt, grade 4 math, markdown", &r);
    if let Ok(units) = r {
        common::exercise_units(&units);
    }
    for line in text.lines().take(256) {
        let _ = looks_like_code(line.trim());
    }
});
