//! The CSV standards readers (a district's own CSV, the OpenSALT export), each forced and by
//! detection.
#![no_main]
mod common;

use aligner::ingest::standards::{detect, read_framework_str, Format};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text("f.csv", data) else { return };
    let path = Path::new("f.csv");
    let _ = detect(path, &text);
    for format in [None, Some(Format::Csv), Some(Format::Opensalt)] {
        common::framework(&format!("{format:?}"), read_framework_str(path, &text, format));
    }
});
