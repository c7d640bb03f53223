//! The unit-list readers (CSV, JSON, JSON Lines), by extension and by content sniffing, and the
//! per-unit analysis done before matching.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text("u.csv", data) else { return };
    // `u` has no extension: the content decides (JSON, CSV or a table of contents).
    for path in ["u.csv", "u.json", "u.jsonl", "u"] {
        common::read_curriculum(path, &text);
    }
});
