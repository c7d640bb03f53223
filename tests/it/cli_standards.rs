//! The standards commands run as a user runs them: index, frameworks, show, search.

use crate::common::{aligner, data, json_of, stdout_of};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn search_ranks_the_fraction_standard_first() {
    let v = json_of(aligner().args([
        "search",
        "add and subtract fractions with like denominators",
        "--grade",
        "4",
        "--framework",
        "ccss-math",
        "--format",
        "json",
    ]))["results"]
        .clone();
    let first = v[0]["code"].as_str().unwrap();
    assert!(first.starts_with("4.NF.B.3"), "first hit was {first}");
    assert_eq!(v[0]["framework"], "ccss-math");
    assert_eq!(v[0]["rank"], 1);
}

#[test]
fn search_finds_a_standard_by_the_name_lessons_give_it() {
    // "Subtracting across zeros" is how lessons name 2.NBT.B.7, whose statement says "Add and
    // subtract within 1000 ... composing or decomposing tens or hundreds": the name comes from
    // data/matching/aliases/ccss-math.tsv.
    let v = json_of(aligner().args([
        "search",
        "subtracting across zeros",
        "--grade",
        "2",
        "-f",
        "ccss-math",
        "--format",
        "json",
    ]))["results"]
        .clone();
    assert_eq!(v[0]["code"], "2.NBT.B.7", "{v}");
}

#[test]
fn search_filters_by_grade_and_framework() {
    let v = json_of(aligner().args([
        "search",
        "fractions",
        "--grade",
        "5",
        "-f",
        "ccss-math",
        "-n",
        "20",
        "--format",
        "json",
    ]));
    assert_eq!(v["query"], "fractions");
    let hits = v["results"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        assert_eq!(h["framework"], "ccss-math");
        assert!(h["grades"].as_array().unwrap().iter().any(|g| g == "5"), "{h}");
    }
}

#[test]
fn show_accepts_every_spelling_of_a_code() {
    let a = stdout_of(aligner().args(["show", "4.NF.3", "--format", "json"]));
    for spelling in ["CCSS.Math.Content.4.NF.B.3", "4.nf.b.3", "4.NF.B.3"] {
        let b: Value = json_of(aligner().args(["show", spelling, "--format", "json"]));
        assert_eq!(b["code"], spelling);
        assert_eq!(
            serde_json::from_str::<Value>(&a).unwrap()["found"],
            b["found"],
            "{spelling} shows something else"
        );
    }
    let v: Value = serde_json::from_str(&a).unwrap();
    let v = &v["found"];
    assert_eq!(v[0]["standard"]["code"], "4.NF.B.3");
    assert_eq!(v[0]["standard"]["kind"], "standard");
    // Ancestors: cluster then domain; children: the components a-d.
    assert_eq!(v[0]["ancestors"][0]["kind"], "cluster");
    assert_eq!(v[0]["children"].as_array().unwrap().len(), 4);
}

#[test]
fn show_table_names_the_standard_and_its_cluster() {
    aligner()
        .args(["show", "A-REI.3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("HSA-REI.B.3"))
        .stdout(predicate::str::contains(
            "Solve linear equations and inequalities in one variable",
        ));
}

#[test]
fn unknown_code_exits_2_with_suggestions() {
    aligner()
        .args(["show", "4.NF.Z.9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown standard code"))
        .stderr(predicate::str::contains("did you mean"))
        .stderr(predicate::str::contains("4.NF."));
}

#[test]
fn unknown_framework_is_named() {
    aligner()
        .args(["show", "4.NF.3", "--framework", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown framework \"nope\""))
        .stderr(predicate::str::contains("ccss-math"));
}

#[test]
fn frameworks_json_lists_the_shipped_sets_with_counts() {
    let v = json_of(aligner().args(["frameworks", "--format", "json"]))["frameworks"].clone();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in ["ccss-math", "ccss-ela", "ngss"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let states = ids
        .iter()
        .filter(|i| i.starts_with("dc-") || i.starts_with("md-") || i.starts_with("pa-"))
        .count();
    assert!(states >= 3, "{ids:?}");
    let math = v.as_array().unwrap().iter().find(|f| f["id"] == "ccss-math").unwrap();
    assert_eq!(math["by_kind"]["component"], 124);
    assert_eq!(math["by_kind"]["cluster"], 147);
    assert_eq!(math["by_grade"]["4"], 28 + 9); // 28 standards and 9 components in grade 4
    let ngss = v.as_array().unwrap().iter().find(|f| f["id"] == "ngss").unwrap();
    // 207 labelled expectations, plus HS-PS2-1 which the export labels "Benchmark".
    assert_eq!(ngss["by_kind"]["performance_expectation"], 208);
}

#[test]
fn frameworks_csv_has_a_header_and_a_row_per_framework() {
    let out = stdout_of(aligner().args(["frameworks", "--format", "csv"]));
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("id,title,jurisdiction,subject"));
    assert!(lines.count() >= 6);
}

#[test]
fn index_of_given_files_then_search() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    aligner()
        .args(["index", "--only", "--index"])
        .arg(&ix)
        .arg(data("standards/springfield_math.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("indexed"));
    let v = json_of(
        aligner()
            .args(["search", "fractions", "--format", "json", "--index"])
            .arg(&ix),
    )["results"]
        .clone();
    assert!(!v.as_array().unwrap().is_empty());
    assert_eq!(v[0]["framework"], "springfield-math");
}

#[test]
fn a_failed_build_leaves_the_previous_index() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    aligner()
        .args(["index", "--index"])
        .arg(&ix)
        .arg(data("standards/springfield_math.csv"))
        .assert()
        .success();
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "[{\"id\": \"x\", \"children\": [").unwrap();
    aligner()
        .args(["index", "--index"])
        .arg(&ix)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json"));
    aligner()
        .args(["search", "fractions", "--index"])
        .arg(&ix)
        .assert()
        .success();
    // No temporary directory left behind.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().contains(".tmp-")), "{left:?}");
}

#[test]
fn a_second_concurrent_build_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let _held = aligner::index::build::lock(&ix).unwrap();
    aligner()
        .args(["index", "--index"])
        .arg(&ix)
        .arg(data("standards/springfield_math.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("index is busy"));
}

#[test]
fn a_directory_that_is_not_an_index_is_not_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("precious.txt"), "keep me").unwrap();
    aligner()
        .args(["index", "--index"])
        .arg(tmp.path())
        .arg(data("standards/springfield_math.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an aligner index"));
    assert!(tmp.path().join("precious.txt").exists());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    // Every writer: csv and table go through the csv crate, json and jsonl through serde_json.
    for format in ["csv", "table", "json", "jsonl", "md"] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("aligner"))
            .env("ALIGNER_INDEX", crate::common::shipped_index())
            .args(["search", "fractions", "-n", "200", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{format}: {err}");
        assert!(err.is_empty(), "{format}: {err}");
    }
}

#[test]
fn help_has_examples() {
    for cmd in ["index", "frameworks", "show", "search"] {
        aligner()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn index_format_takes_the_ids_the_library_records() {
    let ids: Vec<&str> = aligner::ingest::standards::Format::ALL.iter().map(|f| f.id()).collect();
    aligner()
        .args(["index", "--format", "bogus", "x.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "[possible values: {}]",
            ids.join(", ")
        )));
}
