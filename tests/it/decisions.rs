//! Reviewers' decisions: `aligner review` writes the file to fill in; `--decisions` on `audit`
//! and `match` rejects pairs (they stop counting) and accepts them (they count whatever their
//! score), marks them reviewed in every format, and warns about rows naming nothing.

use crate::common::{aligner, data, json_of, stdout_of};
use serde_json::Value;
use std::path::Path;

const TOC: &str = "correlation/g4-math-toc.txt";

fn audit_json(decisions: Option<&Path>) -> Value {
    let mut c = aligner();
    c.arg("audit").arg(data(TOC)).args(["--format", "json"]);
    if let Some(d) = decisions {
        c.arg("--decisions").arg(d);
    }
    json_of(&mut c)
}

fn status(v: &Value, code: &str) -> String {
    v["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("{code} not counted"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The template of `aligner review` with `decide` applied to each data row (unit, code) ->
/// decision (or none), written to `path`; `extra` rows appended.
fn fill(template: &str, path: &Path, decide: impl Fn(&str, &str) -> Option<&'static str>, extra: &str) {
    let mut out = String::new();
    let mut rdr = csv::Reader::from_reader(template.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(rdr.headers().unwrap()).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        let mut cells: Vec<String> = r.iter().map(String::from).collect();
        if let Some(d) = decide(&cells[0], &cells[1]) {
            cells[2] = d.to_string();
            cells[3] = "committee".into();
            cells[4] = "2026-12-01".into();
        }
        w.write_record(&cells).unwrap();
    }
    out.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    out.push_str(extra);
    std::fs::write(path, out).unwrap();
}

fn template() -> String {
    stdout_of(aligner().arg("review").arg(data(TOC)))
}

#[test]
fn review_writes_every_match_and_claim_with_empty_decisions() {
    let t = template();
    let mut lines = t.lines();
    assert_eq!(lines.next(), Some("unit,code,decision,reviewer,date,note"));
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(t.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert!(rows
        .iter()
        .all(|r| r[2].is_empty() && r[3].is_empty() && r[4].is_empty()));
    // Every match of the run's JSON is a row of the template.
    let m = json_of(aligner().arg("match").arg(data(TOC)).args(["--format", "json"]));
    for u in m["units"].as_array().unwrap() {
        for x in u["matches"].as_array().unwrap() {
            let (id, code) = (u["unit"]["id"].as_str().unwrap(), x["code"].as_str().unwrap());
            assert!(rows.iter().any(|r| r[0] == id && r[1] == code), "{id} {code}");
        }
        for k in u["claims"].as_array().unwrap() {
            let (id, code) = (u["unit"]["id"].as_str().unwrap(), k["code"].as_str().unwrap());
            assert!(rows.iter().any(|r| r[0] == id && r[1] == code), "claim {id} {code}");
        }
    }
    let r = rows.iter().find(|r| r[0] == "1.2" && r[1] == "4.NBT.A.3").unwrap();
    assert!(r[5].starts_with("Rounding whole numbers; match 0."), "{r:?}");
    // --output writes the same file.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.csv");
    aligner()
        .arg("review")
        .arg(data(TOC))
        .arg("--output")
        .arg(&p)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), t);
}

#[test]
fn rejecting_every_pair_of_a_covered_standard_makes_it_a_gap_and_accepting_a_low_pair_covers() {
    let before = audit_json(None);
    assert_eq!(status(&before, "4.NBT.A.3"), "covered");
    // A standard the book addresses weakly or not at all, and a lesson to accept it for.
    let low = before["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] != "covered")
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("decisions.csv");
    // The round trip: the template, filled in (as a committee would, with any tool), fed back.
    fill(
        &template(),
        &d,
        |_, code| (code == "4.NBT.A.3").then_some("Reject"),
        &format!("4.2,{low},accept,committee,2026-12-02,taught in the money lesson\n"),
    );
    let out = aligner()
        .arg("audit")
        .arg(data(TOC))
        .arg("--decisions")
        .arg(&d)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("warning"),
        "a filled-in template names only what the run has: {stderr}"
    );
    assert!(stderr.contains("note: applied "), "{stderr}");
    let after: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status(&after, "4.NBT.A.3"), "gap");
    assert!(after["gaps"].as_array().unwrap().contains(&Value::from("4.NBT.A.3")));
    assert_eq!(status(&after, &low), "covered");
    let u = after["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "4.2")
        .unwrap();
    assert!(u["standards"].as_array().unwrap().contains(&Value::from(low.as_str())));
    let r = u["reviewed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == low.as_str())
        .unwrap();
    assert_eq!(
        (r["decision"].as_str(), r["reviewer"].as_str(), r["note"].as_str()),
        (Some("accept"), Some("committee"), Some("taught in the money lesson"))
    );
    // The claim of the rejected code is marked too.
    let l12 = after["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "1.2")
        .unwrap();
    assert_eq!(l12["claims"][0]["reviewed"]["decision"], "reject");
    // Table, Markdown and match show the marks.
    let table = stdout_of(aligner().arg("audit").arg(data(TOC)).arg("--decisions").arg(&d));
    assert!(
        table.contains("Reviewed decisions") && table.contains("✗ rejected") && table.contains("✓ reviewed"),
        "{table}"
    );
    let md = stdout_of(
        aligner()
            .arg("audit")
            .arg(data(TOC))
            .arg("--decisions")
            .arg(&d)
            .args(["--format", "md"]),
    );
    assert!(
        md.contains("## Reviewed decisions") && md.contains("✗ rejected"),
        "{md}"
    );
    let m = stdout_of(aligner().arg("match").arg(data(TOC)).arg("--decisions").arg(&d));
    assert!(m.contains("✗ rejected") && m.contains("✓ reviewed"), "{m}");
    let csv = stdout_of(
        aligner()
            .arg("match")
            .arg(data(TOC))
            .arg("--decisions")
            .arg(&d)
            .args(["--format", "csv"]),
    );
    assert!(csv.lines().next().unwrap().ends_with(",reviewed"), "{csv}");
    assert!(
        csv.lines().any(|l| l.contains(",4.NBT.A.3,") && l.ends_with(",reject")),
        "{csv}"
    );
}

#[test]
fn unknown_units_and_codes_are_warned_about_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d.csv");
    std::fs::write(
        &d,
        "unit,code,decision,reviewer,date,note\n9.9,4.NF.A.1,accept,,,\n3.2,4.NF.Z.9,reject,,,\n3.2,4.G.A.3,reject,,,\n3.2,4.NF.A.1,,,,\n",
    )
    .unwrap();
    let out = aligner()
        .arg("audit")
        .arg(data(TOC))
        .arg("--decisions")
        .arg(&d)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("d.csv:2: decision for unit \"9.9\""), "{stderr}");
    assert!(
        stderr.contains("d.csv:3: decision for code \"4.NF.Z.9\", which names no standard (did you mean"),
        "{stderr}"
    );
    assert!(
        stderr.contains("d.csv:4: rejection of unit 3.2 x 4.G.A.3, which the run neither matched nor claimed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("applied 0 decisions") && stderr.contains("(1 rows undecided)"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_decisions_file_stops_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body, want) in [
        (
            "bad.csv",
            "unit,code,decision\n3.2,4.NF.A.1,accept\n3.3,4.NF.A.2,perhaps\n",
            "bad.csv:3: decision \"perhaps\"",
        ),
        (
            "nohead.csv",
            "3.2,4.NF.A.1,accept\n",
            "nohead.csv:1: missing required column `unit`",
        ),
        (
            "twice.csv",
            "unit,code,decision\n3.2,4.NF.A.1,accept\n3.2,4.NF.A.1,reject\n",
            "twice.csv:3:",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        for cmd in ["audit", "match"] {
            let out = aligner()
                .arg(cmd)
                .arg(data(TOC))
                .arg("--decisions")
                .arg(&p)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd} {name}: {stderr}");
            assert!(stderr.contains(want), "{cmd} {name}: {stderr}");
        }
    }
}

/// `compare --decisions A.csv --decisions B.csv`: each file applies to its own program. Rejecting
/// every pair of one covered standard in the second program makes it a gap there, marked
/// reviewed, and leaves the first program's cell as it was.
#[test]
fn compare_applies_each_programs_decisions_to_that_program() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (a, b) = (root.join("grade4-math-toc.txt"), root.join("grade4-math-toc-b.md"));
    let scope = ["-f", "ccss-math", "-g", "4"];
    let compare = |extra: &[&Path]| {
        let mut c = aligner();
        c.arg("compare").arg(&a).arg(&b).args(scope).args(["--format", "json"]);
        for d in extra {
            c.arg("--decisions").arg(d);
        }
        json_of(&mut c)
    };
    let before = compare(&[]);
    let cell = |v: &Value, code: &str, p: usize| {
        v["standards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()["programs"][p]
            .clone()
    };
    let code = "4.NBT.A.3";
    assert_eq!(cell(&before, code, 1)["status"], "covered");
    let t = stdout_of(aligner().arg("review").arg(&b).args(scope));
    let dir = tempfile::tempdir().unwrap();
    let (none, reject) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    // The first program's file: its template, nothing decided yet.
    std::fs::write(&none, stdout_of(aligner().arg("review").arg(&a).args(scope))).unwrap();
    fill(&t, &reject, |_, c| c.starts_with(code).then_some("reject"), "");
    let after = compare(&[&none, &reject]);
    let b_cell = cell(&after, code, 1);
    assert_eq!(b_cell["status"], "gap", "{b_cell}");
    assert_eq!(b_cell["reviewed"][0]["decision"], "reject", "{b_cell}");
    assert_eq!(cell(&after, code, 0), cell(&before, code, 0));
    // More files than programs is a usage error.
    let out = aligner()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(scope)
        .args(["--decisions"])
        .arg(&none)
        .arg("--decisions")
        .arg(&none)
        .arg("--decisions")
        .arg(&none)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `crosswalk --decisions`: the unit is the --from standard's code; a rejected counterpart is no
/// longer listed, an accepted one is listed (at least `related`) whatever its score, both marked.
#[test]
fn crosswalk_honours_rejections_and_acceptances_by_source_code() {
    let run = |d: Option<&Path>| -> Vec<Value> {
        let mut c = aligner();
        c.args([
            "crosswalk",
            "--from",
            "sc-math",
            "--to",
            "ccss-math",
            "--grade",
            "3",
            "--format",
            "jsonl",
        ]);
        if let Some(d) = d {
            c.arg("--decisions").arg(d);
        }
        stdout_of(&mut c)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let before = run(None);
    let listed = before
        .iter()
        .find(|e| !e["matches"].as_array().unwrap().is_empty())
        .expect("a matched standard");
    let unlisted = before
        .iter()
        .find(|e| e["matches"].as_array().unwrap().is_empty())
        .expect("an unmatched standard");
    let (src, dst) = (
        listed["standard"]["code"].as_str().unwrap(),
        listed["matches"][0]["code"].as_str().unwrap(),
    );
    let lone = unlisted["standard"]["code"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xw.csv");
    std::fs::write(
        &file,
        format!("unit,code,decision,reviewer,date,note\n{src},{dst},reject,committee,2026-12-01,\n{lone},3.OA.A.1,accept,committee,2026-12-01,checked by hand\n"),
    )
    .unwrap();
    let after = run(Some(&file));
    let find = |code: &str| after.iter().find(|e| e["standard"]["code"] == code).unwrap().clone();
    assert!(
        !find(src)["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["code"] == dst),
        "{}",
        find(src)
    );
    let accepted = find(lone)["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "3.OA.A.1")
        .cloned()
        .unwrap_or_else(|| panic!("{}", find(lone)));
    assert_eq!(accepted["reviewed"]["decision"], "accept");
    assert!(accepted["relation"] == "related" || accepted["relation"] == "exact_match");
}
