//! The ASN RDF/XML standards reader, forced and by detection.
#![no_main]
mod common;

use aligner::ingest::standards::{detect, read_framework_str, Format};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text("f.xml", data) else { return };
    let path = Path::new("f.xml");
    let _ = detect(path, &text);
    for format in [None, Some(Format::AsnXml)] {
        common::framework(&format!("{format:?}"), read_framework_str(path, &text, format));
    }
});
