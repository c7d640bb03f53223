//! The corpus of bad inputs in `tests/data/bad/`, one test each, run through the binary as a user
//! would: every file is either refused (exit 2, the message naming the file and its line or JSON
//! path) or read whole (every row it has), and nothing panics.
//!
//! Encodings: aligner reads UTF-8 (a BOM is fine) and refuses Latin-1, Windows-1252 and UTF-16
//! with the line of the first bad byte and the advice to save the file as UTF-8.

use crate::common::{data, riverside};
use assert_cmd::Command;
use std::path::PathBuf;

fn bad(name: &str) -> PathBuf {
    data(&format!("bad/{name}"))
}

fn no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "panic: {stderr}");
}

/// `aligner index FILE` into a fresh directory: (exit code, stdout, stderr).
fn index(name: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("aligner")
        .unwrap()
        .args(["index", "--only"])
        .arg("--index")
        .arg(dir.path().join("ix"))
        .arg(bad(name))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    no_panic(&stderr);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// The standards file is refused: exit 2, a message that starts with the file (and its line or
/// JSON path, `at`) and says `what`.
fn refused_standards(name: &str, at: &str, what: &str) {
    let (code, _, err) = index(name);
    assert_eq!(code, 2, "{name}: {err}");
    let loc = format!("{name}{at}");
    assert!(err.contains(&loc), "{name}: expected {loc:?} in {err}");
    assert!(err.contains(what), "{name}: expected {what:?} in {err}");
}

/// The standards file is read whole: `n` standards indexed. Returns stderr (warnings).
fn standards_read_whole(name: &str, n: usize) -> String {
    let (code, out, err) = index(name);
    assert_eq!(code, 0, "{name}: {err}");
    assert!(out.contains(&format!("indexed {n} standards")), "{name}: {out}");
    err
}

/// `aligner match FILE --format jsonl` against the small Riverside index.
fn run_match(file: &std::path::Path) -> (i32, Vec<serde_json::Value>, String) {
    let out = riverside()
        .arg("match")
        .arg(file)
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    no_panic(&stderr);
    let units = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("each JSONL line is JSON"))
        .filter(|v| v.get("unit").is_some())
        .collect();
    (out.status.code().unwrap_or(-1), units, stderr)
}

fn refused_units(name: &str, at: &str, what: &str) {
    let (code, _, err) = run_match(&bad(name));
    assert_eq!(code, 2, "{name}: {err}");
    let loc = format!("{name}{at}");
    assert!(err.contains(&loc), "{name}: expected {loc:?} in {err}");
    assert!(err.contains(what), "{name}: expected {what:?} in {err}");
}

/// The unit list is read whole; returns the units' titles.
fn units_read_whole(name: &str, n: usize) -> Vec<String> {
    let (code, units, err) = run_match(&bad(name));
    assert_eq!(code, 0, "{name}: {err}");
    let titles: Vec<String> = units
        .iter()
        .map(|u| u["unit"]["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(titles.len(), n, "{name}: {titles:?}");
    titles
}

// ------------------------------------------------------------------------------------------
// Standards: district CSV

#[test]
fn std_unclosed_quote_names_the_line_where_it_opens() {
    refused_standards("std-unclosed-quote.csv", ":2:", "never closed");
}

#[test]
fn std_quote_pair_that_swallows_rows_is_refused() {
    refused_standards("std-quote-pair-swallows.csv", ":2:", "runs on to line 4");
}

#[test]
fn std_inch_mark_is_a_character() {
    standards_read_whole("std-inch-mark.csv", 3);
}

#[test]
fn std_ragged_row_is_refused() {
    refused_standards("std-ragged-row.csv", ":2:", "row has 7 cells but the header has 5");
}

#[test]
fn std_missing_text_column_is_named() {
    refused_standards("std-missing-text.csv", ":1:", "missing required column `text`");
}

#[test]
fn std_semicolon_and_tab_delimiters_are_read() {
    standards_read_whole("std-semicolon.csv", 3);
    standards_read_whole("std-tab.csv", 2);
}

#[test]
fn std_duplicate_code_is_refused() {
    refused_standards("std-duplicate-code.csv", ":4:", "duplicate code A (first on line 2)");
}

#[test]
fn std_parent_cycle_is_refused() {
    refused_standards("std-parent-cycle.csv", ":2:", "parent cycle: A -> B");
}

#[test]
fn std_latin1_windows1252_and_utf16_are_refused_with_advice() {
    refused_standards("std-latin1.csv", ":3:", "save it as UTF-8");
    refused_standards("std-windows1252.csv", ":3:", "save it as UTF-8");
    refused_standards("std-utf16.csv", ":1:", "UTF-16");
}

#[test]
fn std_bom_crlf_and_cr_only_are_read() {
    standards_read_whole("std-bom-crlf.csv", 3);
    standards_read_whole("std-cr-only.csv", 3);
}

#[test]
fn empty_and_whitespace_only_files_are_refused() {
    refused_standards("empty.csv", "", "file is empty");
    refused_standards("whitespace-only.csv", "", "file is empty");
    refused_units("empty.csv", "", "file is empty");
    refused_units("whitespace-only.csv", "", "file is empty");
}

// ------------------------------------------------------------------------------------------
// Standards: CASE, ASN JSON, ASN RDF/XML, ASN RDF/JSON

#[test]
fn case_truncated_names_the_line() {
    refused_standards("case-truncated.json", ":5:", "invalid JSON");
}

#[test]
fn case_wrong_type_names_the_json_path() {
    refused_standards(
        "case-wrong-type.json",
        " at $.CFItems[1].fullStatement",
        "expected a string",
    );
}

#[test]
fn case_without_items_is_refused() {
    refused_standards("case-no-items.json", " at $.CFItems", "no items");
}

#[test]
fn case_duplicate_identifier_is_refused() {
    refused_standards(
        "case-duplicate-identifier.json",
        " at $.CFItems[1].identifier",
        "duplicate",
    );
}

#[test]
fn case_duplicate_code_is_read_with_a_warning() {
    let err = standards_read_whole("case-duplicate-code.json", 3);
    // Each of the readers' warnings is one whole line of its own.
    assert!(
        err.lines()
            .any(|l| l.starts_with("aligner: warning: ") && l.contains("code T.1 is used by 2 nodes")),
        "{err}"
    );
}

#[test]
fn case_parent_cycle_is_read_with_a_warning_naming_the_items() {
    let err = standards_read_whole("case-cycle.json", 4);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("form a cycle"), "{err}");
    for code in ["C.1 (a)", "C.1.1 (b)", "C.1.2 (c)"] {
        assert!(err.contains(code), "{code} not named: {err}");
    }
}

#[test]
fn asn_json_deeper_than_the_limit_says_so() {
    refused_standards("asn-deep.json", ":1:", "nested more than 127");
}

#[test]
fn asn_json_truncated_names_the_line() {
    refused_standards("asn-truncated.json", ":4:", "invalid JSON");
}

#[test]
fn rdf_xml_child_before_its_parent_is_kept() {
    // Both statements (the document is not a standard); one was lost before.
    standards_read_whole("rdf-ischildof-child-first.xml", 2);
}

#[test]
fn rdf_xml_cycle_out_of_reach_keeps_both_statements() {
    standards_read_whole("rdf-ischildof-cycle.xml", 3);
}

#[test]
fn rdf_json_child_sorting_before_its_parent_is_kept() {
    standards_read_whole("rdfjson-ischildof-child-first.json", 2);
}

#[test]
fn xml_truncated_names_the_line() {
    refused_standards("xml-truncated.xml", ":", "invalid XML");
}

// ------------------------------------------------------------------------------------------
// Curriculum: unit lists

#[test]
fn units_inch_mark_is_a_character() {
    let titles = units_read_whole("units-inch-mark.csv", 3);
    assert_eq!(titles, ["Measuring", "Angles", "Area"]);
}

#[test]
fn units_unclosed_quote_after_an_inch_mark_is_refused() {
    refused_units("units-inch-then-unclosed.csv", ":3:", "never closed");
}

#[test]
fn units_quote_pair_that_swallows_rows_is_refused() {
    refused_units("units-quote-pair-swallows.csv", ":2:", "runs on to line 4");
}

#[test]
fn units_ragged_row_is_refused() {
    refused_units("units-ragged-row.csv", ":2:", "row has 4 cells but the header has 3");
}

#[test]
fn units_missing_columns_are_named() {
    refused_units("units-missing-columns.csv", ":1:", "missing required column `title`");
}

#[test]
fn units_nul_bytes_are_dropped() {
    let titles = units_read_whole("units-nul.csv", 2);
    assert_eq!(titles, ["Adding fractions", "Fractions on a number line"]);
}

#[test]
fn units_duplicate_ids_are_read_whole() {
    units_read_whole("units-duplicate-ids.csv", 2);
}

#[test]
fn units_latin1_windows1252_and_utf16_are_refused_with_advice() {
    refused_units("units-latin1.csv", ":2:", "save it as UTF-8");
    refused_units("units-windows1252.csv", ":3:", "save it as UTF-8");
    refused_units("units-utf16.csv", ":1:", "UTF-16");
}

#[test]
fn units_bom_and_crlf_are_read() {
    units_read_whole("units-bom-crlf.csv", 2);
}

#[test]
fn jsonl_bad_line_is_named() {
    let (code, _, err) = run_match(&bad("units-bad-line.jsonl"));
    assert_eq!(code, 2);
    assert!(err.contains("units-bad-line.jsonl:3:"), "{err}");
    assert!(
        !err.contains("at line 1 column"),
        "serde's own position repeated: {err}"
    );
}

#[test]
fn json_truncated_and_wrong_types_are_refused() {
    refused_units("units-truncated.json", ":2:", "JSON");
    refused_units("units-wrong-type.json", ":2 at $[1].title", "must be a string");
    refused_units("units-not-an-array.json", " at $.units", "must be an array");
}

// ------------------------------------------------------------------------------------------
// Curriculum: tables of contents

#[test]
fn toc_cr_only_line_ends_keep_every_entry() {
    let titles = units_read_whole("toc-cr-only.txt", 3);
    assert_eq!(titles, ["Fractions", "Adding fractions", "Comparing fractions"]);
}

#[test]
fn toc_lessons_in_lower_case_are_not_one_title() {
    units_read_whole("toc-lower-case.txt", 3);
}

#[test]
fn toc_without_entries_is_refused() {
    refused_units("toc-no-entries.txt", "", "no table-of-contents entries");
}

#[test]
fn toc_with_dashes_and_no_break_spaces_is_read() {
    let titles = units_read_whole("toc-em-dash.txt", 4);
    assert_eq!(titles[1], "Fractions\u{2014}Level 2");
    // And the audit built on it runs (this crashed with exit 101).
    let out = riverside().arg("audit").arg(bad("toc-em-dash.txt")).output().unwrap();
    no_panic(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 1), "{out:?}");
}

#[test]
fn toc_nested_deep_is_read_whole() {
    units_read_whole("toc-deep.txt", 59);
}

// ------------------------------------------------------------------------------------------
// Things that are not files

#[test]
fn a_directory_given_as_a_curriculum_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("units.csv");
    std::fs::create_dir(&d).unwrap();
    let (code, _, err) = run_match(&d);
    assert_eq!(code, 2);
    assert!(
        err.contains("units.csv") && err.to_lowercase().contains("directory"),
        "{err}"
    );
}

#[test]
fn a_fifo_with_a_writer_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("units.csv");
    let st = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(&fifo, "id,title,grade\nu1,Adding fractions,4\nu2,Angles,4\n").unwrap();
        })
    };
    let (code, units, err) = run_match(&fifo);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(units.len(), 2);
}

#[test]
fn rdf_json_subject_given_twice_is_refused() {
    // serde_json would keep the last `http://x/A1` and lose the first statement without a word.
    refused_standards(
        "rdfjson-duplicate-subject.json",
        ":17:",
        "subject http://x/A1 appears twice",
    );
}
