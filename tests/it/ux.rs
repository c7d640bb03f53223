//! What a committee member trips over: tables at the terminal's width, `COLUMNS`, or their natural
//! width in a file; `frameworks` at 80 columns; one grade vocabulary for every command and input;
//! shell completions and the man page.

use crate::common::{aligner, data, json_of, riverside, stdout_of};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// The cells of a table's lines (split at its borders and column separators), trimmed.
fn cells(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.trim_matches('│')
                .split(['│', '┆'])
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn widest(out: &str) -> usize {
    out.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn columns_sets_the_width_and_words_stay_whole() {
    let mut cmd = aligner();
    cmd.args([
        "search",
        "add and subtract fractions with like denominators",
        "--grade",
        "4",
        "-n",
        "5",
    ])
    .env("COLUMNS", "70");
    let out = stdout_of(&mut cmd);
    // (At 60 the table would be 65 wide: its codes and longest word, `multiplication`, need it.)
    assert!(widest(&out) <= 70, "wider than 70:\n{out}");
    // Every word of the wrapped text column is a word of some result's statement.
    let j = json_of(aligner().args([
        "search",
        "add and subtract fractions with like denominators",
        "--grade",
        "4",
        "-n",
        "5",
        "--format",
        "json",
    ]));
    let words: Vec<String> = j["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["text"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let rows = cells(&out);
    assert!(rows.len() > 5, "{out}");
    // (A long statement is shortened after a whole word: `visual…`.)
    for w in rows.iter().skip(1).flat_map(|r| r[5].split_whitespace()) {
        let w = w.strip_suffix('…').unwrap_or(w);
        assert!(words.iter().any(|x| x == w), "{w:?} is cut:\n{out}");
    }
    // Codes are whole cells.
    for r in j["results"].as_array().unwrap() {
        let code = r["code"].as_str().unwrap();
        assert!(rows.iter().any(|row| row[1] == code), "{code} broken:\n{out}");
    }
}

#[test]
fn columns_60_narrows_the_frameworks_table() {
    let mut cmd = aligner();
    cmd.arg("frameworks").env("COLUMNS", "60");
    let out = stdout_of(&mut cmd);
    let table: Vec<&str> = out.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└'])).collect();
    assert!(table.len() > 12);
    assert!(table.iter().all(|l| l.chars().count() <= 60), "{out}");
    let mut natural = aligner();
    natural.arg("frameworks").env_remove("COLUMNS");
    let wide = stdout_of(&mut natural);
    // Without a width: one line per framework.
    let rows = wide.lines().filter(|l| l.starts_with('│')).count();
    assert_eq!(rows, 1 + 12, "{wide}");
    assert!(widest(&wide) > 80);
}

#[test]
fn a_file_or_pipe_gets_the_natural_width() {
    // Without a terminal and without COLUMNS: not cut to 80 columns; each gap's statement whole
    // on its row's one line, each unaligned unit's `file:line` whole.
    let file = example("grade4-math-toc.txt");
    let mut cmd = aligner();
    cmd.arg("audit").arg(&file).env_remove("COLUMNS");
    let out = stdout_of(&mut cmd);
    assert!(widest(&out) > 80, "still 80 columns:\n{out}");
    let csv = stdout_of(aligner().arg("audit").arg(&file).args(["--format", "csv"]));
    let mut gaps = 0;
    for line in csv.lines().skip(1) {
        let row: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        if row[5] == "gap" {
            gaps += 1;
            let text = row.last().unwrap();
            assert!(
                out.lines().any(|l| l.contains(&row[1]) && l.contains(text.as_str())),
                "{} not whole on one line:\n{out}",
                row[1]
            );
        }
    }
    assert!(gaps > 0);
    let j = json_of(aligner().arg("audit").arg(&file).args(["--format", "json"]));
    for u in j["unaligned_units"].as_array().unwrap() {
        let origin = u["origin"].as_str().unwrap();
        assert!(out.contains(origin), "{origin} split:\n{out}");
    }
    // And COLUMNS=60 wraps the same report's free text, keeping `file:line` whole.
    let mut narrow = aligner();
    narrow.arg("audit").arg(&file).env("COLUMNS", "60");
    let n = stdout_of(&mut narrow);
    for u in j["unaligned_units"].as_array().unwrap() {
        let origin = u["origin"].as_str().unwrap();
        assert!(n.contains(origin), "{origin} split at 60:\n{n}");
    }
    // A COLUMNS that is no positive number is ignored.
    let mut bad = aligner();
    bad.arg("audit").arg(&file).env("COLUMNS", "wide");
    assert_eq!(stdout_of(&mut bad), out);
}

#[test]
fn frameworks_reads_well_at_80_columns() {
    let mut cmd = aligner();
    cmd.arg("frameworks").env("COLUMNS", "80");
    let out = stdout_of(&mut cmd);
    assert!(widest(&out) <= 80, "wider than 80:\n{out}");
    let rows = cells(&out);
    let header = &rows[0];
    assert_eq!(
        header,
        &["id", "title", "grades", "standards"].map(String::from).to_vec(),
        "{out}"
    );
    let j = json_of(aligner().args(["frameworks", "--format", "json"]));
    let fws = j["frameworks"].as_array().unwrap();
    // One row per framework with its id whole; continuation lines have an empty id cell.
    let ids: Vec<&String> = rows[1..].iter().map(|r| &r[0]).filter(|c| !c.is_empty()).collect();
    assert_eq!(ids.len(), fws.len(), "{out}");
    for f in fws {
        let id = f["id"].as_str().unwrap();
        assert!(ids.iter().any(|c| *c == id), "{id} broken:\n{out}");
    }
    // Title words are never cut: each is a word of some framework's title or jurisdiction.
    let words: Vec<String> = fws
        .iter()
        .flat_map(|f| {
            format!(
                "{} ({})",
                f["title"].as_str().unwrap(),
                f["jurisdiction"].as_str().unwrap()
            )
            .split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
        })
        .collect();
    for w in rows[1..].iter().flat_map(|r| r[1].split_whitespace()) {
        assert!(
            words.iter().any(|x| x == w || x.starts_with(w) && w.ends_with(')')),
            "{w:?} cut:\n{out}"
        );
    }
    // A title wraps onto at most four lines (the longest, CCSS ELA's, is 130 characters).
    let mut lines_per_row = Vec::new();
    for r in &rows[1..] {
        if r[0].is_empty() {
            *lines_per_row.last_mut().unwrap() += 1;
        } else {
            lines_per_row.push(1);
        }
    }
    assert!(lines_per_row.iter().all(|&n| n <= 4), "{lines_per_row:?}\n{out}");
    // The counts: standards, plus components where a framework has them.
    for f in fws {
        let id = f["id"].as_str().unwrap();
        let row = rows.iter().find(|r| r[0] == id).unwrap();
        let kinds = &f["by_kind"];
        let parts = kinds["component"].as_u64().unwrap_or(0);
        assert!(
            row[3].ends_with(&format!(" + {parts}")) == (parts > 0),
            "{id}: {row:?} ({parts} components)"
        );
    }
}

/// `--grade` reads the same spellings in every command.
#[test]
fn every_command_reads_the_same_grade_spellings() {
    let search = json_of(aligner().args(["search", "fractions", "--grade", "fifth", "--format", "json"]));
    for r in search["results"].as_array().unwrap() {
        assert_eq!(r["grades"], serde_json::json!(["5"]), "{r}");
    }
    let units = data("audit/riverside-units.csv");
    let m = json_of(
        riverside()
            .arg("match")
            .arg(&units)
            .args(["--grade", "Grade 4", "--format", "json"]),
    );
    assert_eq!(m["units"][0]["unit"]["grade"], "4");
    for spelling in ["grade4", "4th", "fourth", "Grade 4-4"] {
        let a = json_of(
            riverside()
                .arg("audit")
                .arg(&units)
                .args(["--grade", spelling, "--format", "json"]),
        );
        assert_eq!(a["scope"]["grades"], "4", "{spelling}");
    }
    let a = json_of(
        riverside()
            .arg("audit")
            .arg(&units)
            .args(["--grade", "3–5", "--format", "json"]),
    );
    assert_eq!(a["scope"]["grades"], "3-5");
    for cmd in ["search", "match", "audit"] {
        let mut c = riverside();
        c.arg(cmd);
        if cmd == "search" {
            c.arg("fractions");
        } else {
            c.arg(&units);
        }
        c.args(["--grade", "fifthish"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--grade \"fifthish\" is not a grade or grade band",
            ))
            .stderr(predicate::str::contains("Kindergarten, Pre-K"));
    }
}

/// A unit list's grade column and an eval file's grade take the same words.
#[test]
fn unit_files_read_word_grades() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("units.csv");
    std::fs::write(
        &csv,
        "id,title,grade\na,Equivalent fractions with models,Fourth Grade\nb,Drawing lines and angles,grade four\n",
    )
    .unwrap();
    let m = json_of(riverside().arg("match").arg(&csv).args(["--format", "json"]));
    for u in m["units"].as_array().unwrap() {
        assert_eq!(u["unit"]["grade"], "4", "{u}");
    }
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"id\": \"e1\", \"title\": \"Equivalent fractions with models\", \"grade\": \"fourth\", \"standards\": [\"RV.4.NF.A.1\"]}\n",
    )
    .unwrap();
    let e = json_of(riverside().arg("eval").arg(&gold).args(["--format", "json"]));
    assert_eq!(e["by_grade"]["4"]["items"], 1, "{e}");
    std::fs::write(&csv, "id,title,grade\na,Fractions,Grade Thirteen\n").unwrap();
    riverside()
        .arg("match")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("units.csv:2"))
        .stderr(predicate::str::contains("fifth"));
}

#[test]
fn completions_and_man_page_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = stdout_of(aligner().args(["completions", shell]));
        assert!(out.len() > 500, "{shell}: {out}");
        for sub in ["audit", "frameworks", "search", "completions", "man"] {
            assert!(out.contains(sub), "{shell} completions lack {sub}");
        }
    }
    aligner().args(["completions", "tcsh"]).assert().code(2);
    let man = stdout_of(aligner().arg("man"));
    assert!(man.starts_with(".ie") || man.starts_with(".TH"), "{}", &man[..80]);
    assert!(man.contains(".TH aligner"), "{}", &man[..200]);
    for sub in ["audit", "frameworks", "search", "match", "eval", "completions"] {
        assert!(man.contains(sub), "man page lacks {sub}");
    }
}
