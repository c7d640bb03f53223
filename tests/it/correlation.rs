//! `audit --correlation`: a publisher's correlation sheet checked citation by citation against a
//! grade-4 table of contents, with right citations (by lesson number, page and title) and wrong
//! ones (a wrong lesson, a page past the end of the book, a code that does not exist, a grade-7
//! code, a review, a lesson that does not exist); bad sheets are refused with file and line.

use crate::common::{aligner, data};
use serde_json::Value;

const TOC: &str = "correlation/g4-math-toc.txt";
const SHEET: &str = "correlation/g4-correlation.csv";

fn audit(format: &str) -> (String, String) {
    let out = aligner()
        .arg("audit")
        .arg(data(TOC))
        .arg("--correlation")
        .arg(data(SHEET))
        .args(["--format", format])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

/// The citation of `code` at `citation`: (entry id, how found, verdict).
fn verdict(v: &Value, code: &str, citation: &str) -> (Option<String>, Option<String>, String) {
    let c = v["correlation"]["citations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code && c["citation"] == citation)
        .unwrap_or_else(|| panic!("no citation {code} at {citation}"));
    (
        c["entry"]["id"].as_str().map(String::from),
        c["entry"]["by"].as_str().map(String::from),
        c["verdict"].as_str().unwrap().to_string(),
    )
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn right_citations_are_supported_and_wrong_ones_get_their_verdict() {
    let (out, stderr) = audit("json");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "aligner/2");
    let sup = "supported".to_string();
    // Right ones, found by number, page and title.
    assert_eq!(
        verdict(&v, "4.NBT.A.1", "Lesson 1-1"),
        (s("1.1"), s("number"), sup.clone())
    );
    assert_eq!(verdict(&v, "4.NBT.A.3", "1.2"), (s("1.2"), s("number"), sup.clone()));
    assert_eq!(verdict(&v, "4.NF.A.1", "p. 58"), (s("3.2"), s("page"), sup.clone()));
    assert_eq!(
        verdict(
            &v,
            "4.NF.B.3c",
            "Adding and subtracting mixed numbers with like denominators"
        ),
        (s("3.6"), s("title"), sup.clone())
    );
    // One cell of two codes and two citations: four pairs.
    for (code, cite, id) in [
        ("4.MD.C.5", "5.1", "5.1"),
        ("4.MD.C.6", "5.1", "5.1"),
        ("4.MD.C.5", "5.2", "5.2"),
        ("4.MD.C.6", "5.2", "5.2"),
    ] {
        assert_eq!(
            verdict(&v, code, cite),
            (s(id), s("number"), sup.clone()),
            "{code} {cite}"
        );
    }
    // Wrong ones.
    assert_eq!(verdict(&v, "4.MD.C.7", "Lesson 3-4").2, "unsupported");
    assert_eq!(verdict(&v, "4.G.A.3", "pp. 412-415"), (None, None, "not_found".into()));
    assert_eq!(verdict(&v, "4.NF.D.9", "3.2").2, "unknown_code");
    assert_eq!(verdict(&v, "7.RP.A.2", "3.7").2, "off_grade");
    assert_eq!(verdict(&v, "4.OA.A.3", "Chapter 1 Review").2, "no_evidence");
    assert_eq!(verdict(&v, "4.NBT.B.4", "Lesson 9-9"), (None, None, "not_found".into()));
    let cites = v["correlation"]["citations"].as_array().unwrap();
    let unknown = cites.iter().find(|c| c["code"] == "4.NF.D.9").unwrap();
    let sugg: Vec<&str> = unknown["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        !sugg.is_empty() && sugg.iter().all(|c| c.starts_with("4.NF")),
        "{sugg:?}"
    );
    let wrong = cites.iter().find(|c| c["code"] == "4.MD.C.7").unwrap();
    assert!(wrong["evidence"].as_str().unwrap().contains("4.NF"), "{wrong}");
    assert_eq!(wrong["line"], 7);
    // Per standard: supported when one citation is.
    let std_of = |code: &str| {
        v["correlation"]["standards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(std_of("4.MD.C.5")["citations"], 2);
    assert_eq!(std_of("4.MD.C.5")["supported"], true);
    assert_eq!(std_of("4.MD.C.7")["supported"], false);
    let summary = &v["correlation"]["summary"];
    assert_eq!(summary["supported"], 8);
    assert_eq!(summary["not_found"], 2);
    assert_eq!(v["correlation"]["citations"].as_array().unwrap().len(), 14);
    // The rows with an empty cell are warned about with their line, not dropped silently.
    assert!(
        stderr.contains("g4-correlation.csv:13: correlation row has no standard code"),
        "{stderr}"
    );
    assert!(
        stderr.contains("g4-correlation.csv:14: correlation row has no citation"),
        "{stderr}"
    );
}

#[test]
fn every_audit_format_reports_the_check() {
    let (table, _) = audit("table");
    assert!(table.contains("Correlation check"), "{table}");
    assert!(table.contains("14 citations: "), "{table}");
    let (md, _) = audit("md");
    assert!(md.contains("## Correlation check"), "{md}");
    assert!(md.contains("| 7 | 4.MD.C.7 | Lesson 3-4 | 3.4 | unsupported |"), "{md}");
    let (jsonl, _) = audit("jsonl");
    let records: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let cites: Vec<&Value> = records.iter().filter(|r| r["record"] == "citation").collect();
    assert_eq!(cites.len(), 14);
    assert!(cites.iter().all(|r| r["schema"] == "aligner/2"));
    assert!(cites
        .iter()
        .any(|r| r["code"] == "7.RP.A.2" && r["verdict"] == "off_grade"));
    // Without a sheet, no correlation key at all.
    let out = aligner()
        .arg("audit")
        .arg(data(TOC))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("correlation").is_none());
}

#[test]
fn bad_sheets_stop_the_audit_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body, want) in [
        (
            "nocode.csv",
            "lesson,page\n1.1,2\n".as_bytes(),
            ":1: no standard code column",
        ),
        (
            "quote.csv",
            "code,lesson\n4.NF.A.1,\"3.2\n4.NF.A.2,3.4\n".as_bytes(),
            ":2: malformed CSV",
        ),
        ("empty.csv", b"\n\n".as_slice(), ": file is empty"),
        (
            "latin1.csv",
            b"code,lesson\n4.NF.A.1,Le\xe7on 3.2\n".as_slice(),
            ":2: not valid UTF-8",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        let out = aligner()
            .arg("audit")
            .arg(data(TOC))
            .arg("--correlation")
            .arg(&p)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(&format!("{name}{want}")), "{name}: {stderr}");
    }
}
