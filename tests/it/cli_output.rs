//! What a pipeline relies on: exit codes that survive a closed pipe, range-checked options,
//! JSON and JSON Lines with a schema key first and the same bytes on every run, `-` for standard
//! input, and the messages for an empty scope, a repeated file and nothing to evaluate.

use crate::common::{aligner, data, riverside, stdout_of};
use predicates::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const UNITS: &str = "tests/data/audit/riverside-units.csv";

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn path_str(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// Run `aligner ARGS` with the shipped index and its stdout a pipe closed before anything is
/// written (as `| head` does once it has its lines): (exit code, stderr).
fn with_closed_stdout(args: &[String]) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("aligner"))
        .env("ALIGNER_INDEX", crate::common::shipped_index())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_failed_check_exits_1_through_a_closed_pipe() {
    let toc = path_str(&example("grade4-math-toc.txt"));
    for format in ["table", "json", "jsonl", "csv", "md"] {
        for check in [&["--fail-under", "100"][..], &["--fail-on-gaps"][..]] {
            let mut args = strings(&["audit", &toc, "--format", format]);
            args.extend(strings(check));
            let (code, err) = with_closed_stdout(&args);
            assert_eq!(code, Some(1), "{args:?}: {err}");
            // One line: the verdict, and no complaint about the pipe.
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.starts_with("aligner: check failed: "), "{args:?}: {err}");
        }
    }
}

#[test]
fn the_verdict_is_one_line_on_stderr() {
    // Riverside: 3 of 6 standards covered.
    riverside()
        .args(["audit", UNITS, "--fail-under", "60", "--format", "json"])
        .assert()
        .code(1)
        .stderr("aligner: check failed: coverage 50.0% is below --fail-under 60\n");
    riverside()
        .args(["audit", UNITS, "--fail-under", "50", "--format", "json"])
        .assert()
        .code(0)
        .stderr("aligner: check passed: coverage 50.0% is not below --fail-under 50\n");
    let out = riverside()
        .args([
            "audit",
            UNITS,
            "--fail-under",
            "60",
            "--fail-on-gaps",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let gaps = v["summary"]["gaps"].as_u64().unwrap();
    assert!(gaps > 0);
    let want = format!(
        "aligner: check failed: coverage 50.0% is below --fail-under 60; {gaps} gap{} (--fail-on-gaps)\n",
        if gaps == 1 { "" } else { "s" }
    );
    assert_eq!(String::from_utf8(out.stderr).unwrap(), want);
    // Without a check, nothing is said.
    riverside()
        .args(["audit", UNITS, "--format", "json"])
        .assert()
        .code(0)
        .stderr("");
}

#[test]
fn an_empty_scope_is_an_error_naming_it() {
    aligner()
        .arg("audit")
        .arg(example("grade4-math-toc.txt"))
        .args(["--framework", "pa-math", "--grade", "12", "--fail-on-gaps"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no standard of pa-math in grade 12 to audit"))
        .stderr(predicate::str::contains("from --framework"))
        .stderr(predicate::str::contains("grade from --grade"));
}

#[test]
fn out_of_range_options_are_usage_errors() {
    let toc = path_str(&example("grade4-math-toc.txt"));
    let cases: Vec<Vec<String>> = vec![
        strings(&["search", "fractions", "--top", "0"]),
        strings(&["search", "fractions", "--top", "99999999999"]),
        strings(&["search", "fractions", "--top", "4294967296"]),
        strings(&["search", "fractions", "--top", "1152921504606846976"]),
        strings(&["search", "fractions", "--top", "10001"]),
        strings(&["match", &toc, "--top", "0"]),
        strings(&["match", &toc, "--top", "99999999999"]),
        strings(&["audit", &toc, "--top", "99999999999"]),
        strings(&["audit", &toc, "--min-score", "2"]),
        strings(&["audit", &toc, "--min-score", "NaN"]),
        strings(&["audit", &toc, "--min-score=-0.1"]),
        strings(&["audit", &toc, "--min-score", "inf"]),
        strings(&["audit", &toc, "--fail-under", "101"]),
        strings(&["audit", &toc, "--fail-under", "NaN"]),
        strings(&["search", "fractions", "--format", "xml"]),
    ];
    for args in cases {
        let out = aligner().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: invalid value"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_largest_top_is_served() {
    let v = crate::common::json_of(aligner().args(["search", "fraction", "--top", "10000", "--format", "json"]));
    let n = v["results"].as_array().unwrap().len();
    // More than the default, fewer than asked: every math standard about fractions.
    assert!(n > 10 && n < 10_000, "{n}");
}

/// Every command's JSON and JSON Lines outputs on the shipped examples.
fn json_runs() -> Vec<(Vec<String>, bool)> {
    let toc = path_str(&example("grade4-math-toc.txt"));
    let units = path_str(&example("grade3-units.csv"));
    let gold = path_str(&data("curriculum/mathfish-sample.jsonl"));
    let mut runs = Vec::new();
    for (format, lines) in [("json", false), ("jsonl", true)] {
        for args in [
            strings(&["frameworks"]),
            strings(&["show", "4.NF.3"]),
            strings(&["show", "5.MD"]),
            strings(&["search", "add fractions with like denominators", "--grade", "4"]),
            strings(&[
                "search",
                "add fractions with like denominators",
                "--grade",
                "4",
                "--fast",
            ]),
            strings(&["match", &units]),
            strings(&["match", &units, "--fast"]),
            strings(&["match", &toc]),
            strings(&["audit", &toc]),
            strings(&["audit", &units, "--min-score", "0.2"]),
            strings(&["eval", &gold]),
            strings(&["eval", &gold, "--items", "--no-grade"]),
        ] {
            let mut a = args;
            a.extend(strings(&["--format", format]));
            runs.push((a, lines));
        }
    }
    runs
}

#[test]
fn json_outputs_carry_the_schema_first_and_repeat_byte_for_byte() {
    for (args, lines) in json_runs() {
        let first = aligner().args(&args).output().unwrap();
        assert!(
            first.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&first.stderr)
        );
        let second = aligner().args(&args).output().unwrap();
        assert_eq!(first.stdout, second.stdout, "{args:?}: not the same bytes twice");
        let text = String::from_utf8(first.stdout).unwrap();
        // The audit's documents are at version 2 (its roll-ups), the others at 1.
        let schema = if args[0] == "audit" { "aligner/2" } else { "aligner/1" };
        if lines {
            assert!(!text.is_empty(), "{args:?}");
            for l in text.lines() {
                assert!(l.starts_with(&format!(r#"{{"schema":"{schema}","#)), "{args:?}: {l}");
            }
        } else {
            assert!(
                text.starts_with(&format!("{{\n  \"schema\": \"{schema}\",\n")),
                "{args:?}: {text}"
            );
            assert!(serde_json::from_str::<Value>(&text).unwrap().is_object());
        }
    }
}

#[test]
fn jsonl_is_one_object_per_line_in_every_command() {
    for (args, lines) in json_runs() {
        if !lines {
            continue;
        }
        let text = stdout_of(aligner().args(&args));
        let records: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {l}")))
            .collect();
        assert!(records.iter().all(Value::is_object), "{args:?}");
        // The JSON document, for comparison.
        let mut json_args = args.clone();
        *json_args.last_mut().unwrap() = "json".to_string();
        let doc = crate::common::json_of(aligner().args(&json_args));
        let n = records.len();
        match args[0].as_str() {
            "frameworks" => assert_eq!(n, doc["frameworks"].as_array().unwrap().len()),
            "show" => assert_eq!(n, doc["found"].as_array().unwrap().len()),
            "search" => assert_eq!(n, doc["results"].as_array().unwrap().len()),
            "match" => assert_eq!(n, doc["units"].as_array().unwrap().len()),
            "audit" => {
                let kinds: Vec<&str> = records.iter().map(|r| r["record"].as_str().unwrap()).collect();
                assert_eq!(kinds[0], "summary");
                assert_eq!(records[0]["summary"], doc["summary"]);
                assert_eq!(records[0]["scope"], doc["scope"]);
                let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
                assert_eq!(count("standard"), doc["standards"].as_array().unwrap().len());
                assert_eq!(count("unit"), doc["units"].as_array().unwrap().len());
                assert_eq!(count("off_grade"), doc["off_grade"].as_array().unwrap().len());
                let rollups = doc["rollup"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["rows"].as_array().unwrap().len())
                    .sum::<usize>();
                assert_eq!(count("rollup"), rollups);
                // The same codes; the document's list is in code order within each domain.
                let mut gaps: Vec<String> = records
                    .iter()
                    .filter(|r| r["record"] == "standard" && r["status"] == "gap")
                    .map(|r| r["code"].to_string())
                    .collect();
                let mut listed: Vec<String> = doc["gaps"].as_array().unwrap().iter().map(|g| g.to_string()).collect();
                gaps.sort();
                listed.sort();
                assert_eq!(gaps, listed);
                let unaligned = records
                    .iter()
                    .filter(|r| r["record"] == "unit" && r["aligned"] == false)
                    .count();
                assert_eq!(unaligned, doc["unaligned_units"].as_array().unwrap().len());
            }
            "eval" => {
                assert_eq!(records[0]["record"], "summary");
                assert_eq!(records[0]["overall"], doc["overall"]);
                let items = doc.get("items").and_then(Value::as_array).map_or(0, Vec::len);
                assert_eq!(n, 1 + items, "{args:?}");
                assert!(records[1..].iter().all(|r| r["record"] == "item"));
            }
            other => panic!("{other}"),
        }
    }
}

/// `aligner ARGS` with `input` on standard input.
fn with_stdin(mut cmd: assert_cmd::Command, args: &[&str], input: &[u8]) -> Value {
    let out = cmd.args(args).write_stdin(input.to_vec()).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A report with the units' origins (`FILE:LINE`) cut down to their line numbers.
fn without_file_names(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if k == "origin" {
                        let line = x.as_str().unwrap().rsplit(':').next().unwrap().to_string();
                        *x = Value::from(line);
                    } else if k == "files" {
                        *x = Value::Null;
                    } else {
                        walk(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

#[test]
fn a_dash_reads_standard_input() {
    let units = example("grade3-units.csv");
    let toc = example("grade4-math-toc.txt");
    let gold = data("curriculum/mathfish-sample.jsonl");
    for (cmd, file) in [("match", &units), ("match", &toc), ("audit", &toc), ("eval", &gold)] {
        let from_file = crate::common::json_of(aligner().arg(cmd).arg(file).args(["--format", "json"]));
        let from_stdin = with_stdin(
            aligner(),
            &[cmd, "-", "--format", "json"],
            &std::fs::read(file).unwrap(),
        );
        assert_eq!(
            without_file_names(from_stdin.clone()),
            without_file_names(from_file),
            "{cmd} {file:?}"
        );
        if cmd == "match" {
            let origin = from_stdin["units"][0]["unit"]["origin"].as_str().unwrap();
            assert!(origin.starts_with("<stdin>:"), "{origin}");
        }
    }
    // Alongside a file in audit; and an empty standard input is an input error.
    let v = with_stdin(
        riverside(),
        &["audit", UNITS, "-", "--format", "json"],
        b"id,title,grade\nx1,Multiply a fraction by a whole number,4\n",
    );
    assert_eq!(v["summary"]["units"], 6);
    assert_eq!(v["scope"]["files"], serde_json::json!([UNITS, "<stdin>"]));
    riverside()
        .args(["match", "-"])
        .write_stdin("  \n")
        .assert()
        .code(2)
        .stderr("aligner: error: <stdin>: file is empty\n");
}

#[test]
fn an_empty_aligner_index_means_the_default_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("aligner"))
        .env("ALIGNER_INDEX", "")
        .env("XDG_CACHE_HOME", tmp.path())
        .arg("index")
        .arg(data("audit/riverside-math.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("aligner/index").is_dir());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&path_str(&tmp.path().join("aligner/index"))));
}

#[test]
fn search_reads_a_subject_as_match_does() {
    let hits = |subject: &str| {
        crate::common::json_of(aligner().args(["search", "fractions", "--subject", subject, "--format", "json"]))
            ["results"]
            .clone()
    };
    let math = hits("math");
    assert!(!math.as_array().unwrap().is_empty());
    assert_eq!(hits("mathematics"), math);
    assert_eq!(hits("Maths"), math);
}

#[test]
fn the_same_file_twice_is_a_usage_error() {
    riverside()
        .args(["audit", UNITS, UNITS])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("aligner: error: {UNITS} is given twice; give each file once\n"));
    riverside()
        .args(["audit", UNITS, &format!("./{UNITS}")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{UNITS} and ./{UNITS} are the same file"
        )));
}

#[test]
fn repeated_unit_ids_get_one_warning_each() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("units.csv");
    std::fs::File::create(&f)
        .unwrap()
        .write_all(
            b"id,title,grade\nu1,Equivalent fractions,4\nu2,Adding fractions,4\nu1,Comparing fractions,4\n\
              u2,Lines and angles,4\nu1,Fractions on a number line,4\nu3,Angles,4\n",
        )
        .unwrap();
    let out = riverside()
        .args(["match", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success());
    let name = f.display();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "aligner: warning: {name}: unit id u1 repeats (lines 2, 4, 6)\n\
             aligner: warning: {name}: unit id u2 repeats (lines 3, 5)\n"
        )
    );
}

#[test]
fn eval_with_nothing_to_score_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("gold.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"a\",\"title\":\"Adding fractions\"}\n{\"id\":\"b\",\"title\":\"Subtracting fractions\"}\n\
         {\"id\":\"c\",\"title\":\"Lines\",\"standards\":[\"RV.9.ZZ.1\"]}\n",
    )
    .unwrap();
    riverside()
        .arg("eval")
        .arg(&f)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no item can be scored: 2 entries have no codes, the codes of 1 item name no standard of riverside-math",
        ));
}

#[test]
fn eval_of_a_toc_counts_its_chapters_apart() {
    let toc = example("grade4-math-toc.txt");
    let v = crate::common::json_of(aligner().arg("eval").arg(&toc).args(["--format", "json"]));
    let no_codes: Vec<&str> = v["no_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    // Chapters and reviews have no codes; none of them is "unresolved".
    assert!(no_codes.len() >= 7, "{no_codes:?}");
    assert!(v["unresolved"].as_array().unwrap().is_empty(), "{}", v["unresolved"]);
    let table = stdout_of(aligner().arg("eval").arg(&toc));
    assert!(
        table.contains(&format!("{} entries have no codes (left out)", no_codes.len())),
        "{table}"
    );
    assert!(!table.contains("codes name no standard"), "{table}");
}

#[test]
fn tables_keep_codes_whole_within_80_columns() {
    // stdout is not a terminal: COLUMNS says 80 columns.
    let table = stdout_of(aligner().arg("frameworks").env("COLUMNS", "80"));
    let ids: Vec<String> = crate::common::json_of(aligner().args(["frameworks", "--format", "json"]))["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids {
        assert!(table.contains(&format!("│ {id} ")), "{id} broken:\n{table}");
    }
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    let audit = stdout_of(
        aligner()
            .arg("audit")
            .arg(example("grade4-math-toc.txt"))
            .env("COLUMNS", "80"),
    );
    let mut lines = audit.lines();
    for _ in 0..2 {
        let l = lines.next().unwrap();
        assert!(l.chars().count() <= 80, "{l}");
    }
}
