//! The JSON standards readers (CASE, ASN JSON, ASN RDF/JSON), each forced and by detection.
#![no_main]
mod common;

use aligner::ingest::standards::{detect, read_framework_str, Format};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text("f.json", data) else { return };
    let path = Path::new("f.json");
    let _ = detect(path, &text);
    for format in [None, Some(Format::Case), Some(Format::AsnJson), Some(Format::AsnRdfJson)] {
        common::framework(&format!("{format:?}"), read_framework_str(path, &text, format));
    }
});
