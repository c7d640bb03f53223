//! `match` and `audit` run as a user runs them: the JSONL contract, claim checks, coverage
//! arithmetic on a framework small enough to check by hand, report snapshots and exit codes.

use crate::common::{aligner, data, json_of, riverside, stdout_of};
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const UNITS: &str = "tests/data/audit/riverside-units.csv";

/// `aligner CMD FILE EXTRA... --format json` with the shipped index, parsed (for `match`, its
/// array of unit reports).
fn json_report(cmd: &str, file: &Path, extra: &[&str]) -> Value {
    let v = json_of(aligner().arg(cmd).arg(file).args(extra).args(["--format", "json"]));
    if cmd == "match" {
        v["units"].clone()
    } else {
        v
    }
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

#[test]
fn coverage_arithmetic_checks_by_hand() {
    let v = json_of(riverside().args(["audit", UNITS, "--format", "json"]));
    // Scope: the units' grade 4; the grade-5 standard is not counted.
    assert_eq!(v["scope"]["frameworks"], serde_json::json!(["riverside-math"]));
    assert_eq!(v["scope"]["grades"], "4");
    // Six grade-4 standards: u1 covers NF.A.1, u2 NF.B.3, u3 G.A.1 -> 3 of 6 = 50.0 %.
    let s = &v["summary"];
    assert_eq!((s["standards"].as_u64(), s["covered"].as_u64()), (Some(6), Some(3)));
    assert_eq!(s["coverage_pct"], 50.0);
    assert_eq!(s["weak"].as_u64().unwrap() + s["gaps"].as_u64().unwrap(), 3);
    let status = |code: &str| {
        v["standards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == code)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for code in ["RV.4.NF.A.1", "RV.4.NF.B.3", "RV.4.G.A.1"] {
        assert_eq!(status(code), "covered", "{code}");
    }
    // Multiplying fractions is taught nowhere.
    assert_eq!(status("RV.4.NF.B.4"), "gap");
    assert!(v["gaps"].as_array().unwrap().contains(&Value::from("RV.4.NF.B.4")));
    // Roll-ups: each domain 50 %, fractions 2 of 4, geometry 1 of 2.
    let level = |name: &str| {
        v["rollup"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["level"] == name)
            .unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone()
    };
    let dom = level("domain");
    let nf = dom.iter().find(|d| d["key"] == "RV.4.NF").unwrap();
    assert_eq!(
        (nf["standards"].as_u64(), nf["covered"].as_u64(), nf["pct"].as_f64()),
        (Some(4), Some(2), Some(50.0))
    );
    let g = dom.iter().find(|d| d["key"] == "RV.4.G").unwrap();
    assert_eq!((g["standards"].as_u64(), g["covered"].as_u64()), (Some(2), Some(1)));
    assert_eq!(level("cluster").len(), 3);
    // The picnic addresses nothing; the covered standard lists the unit that covers it.
    let unaligned: Vec<&str> = v["unaligned_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert!(unaligned.contains(&"u4"), "{unaligned:?}");
    let b3 = v["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "RV.4.NF.B.3")
        .unwrap();
    assert_eq!(b3["units"][0], "u2");
}

#[test]
fn claims_are_checked() {
    let out = stdout_of(riverside().args(["match", UNITS, "--format", "jsonl"]));
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let claim = |unit: &str, code: &str| -> Value {
        let u = lines.iter().find(|l| l["unit"]["id"] == unit).unwrap();
        u["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(claim("u1", "RV.4.NF.A.1")["status"], "supported");
    assert_eq!(claim("u2", "RV.5.NF.A.1")["status"], "off_grade");
    let unknown = claim("u3", "RV.4.NF.B.9");
    assert_eq!(unknown["status"], "unknown");
    assert!(unknown["suggestions"]
        .as_array()
        .unwrap()
        .contains(&Value::from("RV.4.NF.B.3")));
    // "Naming shapes" shares no word with any Riverside standard: it says nothing either way
    // about multiplying fractions.
    assert_eq!(claim("u5", "RV.4.NF.B.4")["status"], "no_evidence");
}

#[test]
fn match_jsonl_follows_the_contract() {
    let out = stdout_of(
        aligner()
            .args(["match"])
            .arg(data("curriculum/khan-sample.jsonl"))
            .args(["--framework", "ccss-math", "--format", "jsonl"]),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "one line per unit");
    for l in lines {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["unit"]["id"].is_string() && v["unit"]["title"].is_string());
        let ms = v["matches"].as_array().unwrap();
        assert!(!ms.is_empty() && ms.len() <= 5);
        let mut last = f64::INFINITY;
        for m in ms {
            let s = m["score"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&s) && s <= last, "{m}");
            last = s;
            assert_eq!(m["framework"], "ccss-math");
            assert!(["strong", "moderate", "weak"].contains(&m["strength"].as_str().unwrap()));
            assert!(m["evidence"].is_array());
            // `code` is the code as the framework publishes it.
            let code = m["code"].as_str().unwrap();
            assert!(!code.starts_with("CCSS."), "{code}");
        }
        assert!(v["claims"].is_array() && v["unclaimed"].is_array());
    }
}

#[test]
fn a_unit_grade_limits_its_candidates() {
    let v = json_report("match", &example("grade3-units.csv"), &[]);
    for u in v.as_array().unwrap() {
        for m in u["matches"].as_array().unwrap() {
            assert!(m["code"].as_str().unwrap().starts_with("3."), "{}", m["code"]);
        }
    }
}

#[test]
fn table_report_snapshot() {
    let out = stdout_of(riverside().args(["audit", UNITS]));
    insta::assert_snapshot!("audit_table", out);
}

#[test]
fn json_report_snapshot() {
    let v = json_of(riverside().args(["audit", UNITS, "--format", "json"]));
    insta::assert_json_snapshot!("audit_json", v);
}

#[test]
fn markdown_and_csv_reports() {
    let md = stdout_of(riverside().args(["audit", UNITS, "--format", "md"]));
    assert!(md.starts_with("# Standards coverage audit"));
    assert!(md.contains("| RV.4.NF | Fractions | 4 | 2 |"));
    let csv = stdout_of(riverside().args(["audit", UNITS, "--format", "csv"]));
    let mut rows = csv.lines();
    assert_eq!(
        rows.next().unwrap(),
        "framework,code,grades,domain,cluster,status,best_score,units,unit_pages,lessons,pages,text"
    );
    assert_eq!(rows.count(), 6);
}

#[test]
fn exit_codes_follow_thresholds() {
    riverside()
        .args(["audit", UNITS, "--fail-under", "50"])
        .assert()
        .code(0);
    riverside()
        .args(["audit", UNITS, "--fail-under", "60"])
        .assert()
        .code(1);
    riverside().args(["audit", UNITS, "--fail-on-gaps"]).assert().code(1);
    riverside()
        .args(["audit", UNITS, "--fail-under", "150"])
        .assert()
        .code(2);
    riverside().args(["audit", UNITS, "--min-score", "2"]).assert().code(2);
}

#[test]
fn a_missing_file_exits_2_naming_it() {
    riverside()
        .args(["audit", UNITS, "no/such/toc.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/toc.txt"));
}

#[test]
fn an_example_toc_is_not_fully_covered() {
    aligner()
        .args(["audit"])
        .arg(example("grade4-math-toc.txt"))
        .args(["--fail-under", "100"])
        .assert()
        .code(1);
}

#[test]
fn a_unit_lists_each_standard_once() {
    // Two sub-standards of 4.MD.C.5 count for it once, where the first comes (5.2's matches above
    // 0.2; with the default cut-off 5.2 keeps only its claimed 4.MD.C.6).
    for extra in [&[][..], &["--min-score", "0.2"][..]] {
        let v = json_report("audit", &example("grade4-math-toc.txt"), extra);
        for u in v["units"].as_array().unwrap() {
            let s: Vec<&str> = u["standards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            let mut once = s.clone();
            once.sort();
            once.dedup();
            assert_eq!(once.len(), s.len(), "{}: {s:?}", u["id"]);
        }
    }
    let v = json_report("audit", &example("grade4-math-toc.txt"), &["--min-score", "0.2"]);
    let u = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "5.2")
        .unwrap();
    assert_eq!(u["standards"], serde_json::json!(["4.MD.C.6", "4.MD.C.5"]));
}

#[test]
fn a_chapter_rolls_up_its_lessons() {
    let v = json_report("audit", &example("grade4-math-toc.txt"), &[]);
    let units = v["units"].as_array().unwrap();
    // Chapters have lessons under them, and a chapter is never listed as aligned to nothing
    // when one of its lessons is aligned.
    let unaligned: Vec<&str> = v["unaligned_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    for u in units.iter().filter(|u| u["parent"].is_null()) {
        let id = u["id"].as_str().unwrap();
        let lesson_aligned = units
            .iter()
            .any(|l| l["parent"] == id && !l["standards"].as_array().unwrap().is_empty());
        if lesson_aligned {
            assert!(!unaligned.contains(&id), "{id} has aligned lessons");
        }
    }
}

/// `aligner match` of one unit, given as a JSON line, against CCSS math: that unit's report.
fn match_one_against_ccss_math(unit_json: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("unit.jsonl");
    std::fs::write(&f, format!("{unit_json}\n")).unwrap();
    let mut v = json_report("match", &f, &["--framework", "ccss-math"]);
    v[0].take()
}

#[test]
fn a_lesson_name_finds_its_standard_through_the_names_lessons_give_it() {
    // No CCSS statement says "SOH CAH TOA"; data/matching/aliases/ccss-math.tsv names HSG-SRT.C.6
    // (trigonometric ratios) so, and the name's words are the evidence.
    let v = match_one_against_ccss_math(r#"{"id":"t","title":"SOH CAH TOA"}"#);
    let top = &v["matches"][0];
    assert_eq!(top["code"], "HSG-SRT.C.6", "{v}");
    let ev: Vec<&str> = top["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert!(ev.iter().any(|e| e.eq_ignore_ascii_case("soh")), "{top}");
}

#[test]
fn a_unit_without_shared_words_gets_weak_matches_by_meaning() {
    // "Origami" shares no word with a grade 4 statement of CCSS math, nor does the synonym list
    // add one, so only the meaning side can find 4.G (figures folded along a line of symmetry);
    // such a match stays weak.
    let v = match_one_against_ccss_math(r#"{"id":"q","title":"Origami","grade":"4"}"#);
    let matches = v["matches"].as_array().unwrap();
    assert!(!matches.is_empty());
    assert!(
        matches.iter().any(|m| m["code"].as_str().unwrap().starts_with("4.G.")),
        "{matches:?}"
    );
    for m in matches {
        assert_eq!(m["strength"], "weak", "{m}");
        assert!(m["evidence"].as_array().unwrap().is_empty(), "{m}");
    }
}

#[test]
fn everyday_phrases_add_the_standards_words_whatever_their_inflection() {
    // synonyms.tsv has "take apart -> decompose"; "Taking apart" finds it through the stems, and
    // the decomposing standard comes first with "decompose" among its evidence.
    let v = match_one_against_ccss_math(r#"{"id":"t","title":"Taking apart","grade":"K"}"#);
    let top = &v["matches"][0];
    assert_eq!(top["code"], "K.OA.A.3", "{v}");
    assert!(
        top["evidence"].as_array().unwrap().iter().any(|e| e == "decompose"),
        "{top}"
    );
}

#[test]
fn a_sub_standard_names_its_standard_which_is_not_listed_after_it() {
    // A matched sub-standard implies its standard: the row says which (`standard`), and the
    // standard does not take a second place further down the list.
    let v = json_report(
        "match",
        &example("grade4-math-toc.txt"),
        &["--framework", "ccss-math", "--top", "10"],
    );
    let mut parts = 0;
    for u in v.as_array().unwrap() {
        let ms = u["matches"].as_array().unwrap();
        for (i, m) in ms.iter().enumerate() {
            let code = m["code"].as_str().unwrap();
            let Some(std) = m["standard"].as_str() else {
                assert!(!code.ends_with(|c: char| c.is_ascii_lowercase()), "{m}");
                continue;
            };
            parts += 1;
            assert!(
                code.starts_with(std) && code.len() == std.len() + 1,
                "{code} names {std}"
            );
            assert!(
                ms[i + 1..].iter().all(|n| n["code"] != std),
                "{std} listed after {code}: {u}"
            );
        }
    }
    assert!(parts > 0, "no sub-standard matched");
}

#[test]
fn outline_rows_nest_by_level_or_parent() {
    // JSON Lines rows with a `level`: chapters, lessons, an activity under a lesson.
    let levels = data("curriculum/outline-levels.jsonl");
    let v = json_report("audit", &levels, &[]);
    let parent =
        |v: &Value, id: &str| v["units"].as_array().unwrap().iter().find(|u| u["id"] == id).unwrap()["parent"].clone();
    assert_eq!(parent(&v, "ch5"), Value::Null);
    assert_eq!(parent(&v, "ch5-1"), "ch5");
    assert_eq!(parent(&v, "ch5-2-a"), "ch5-2");
    assert_eq!(parent(&v, "ch5-3"), "ch5");
    assert_eq!(parent(&v, "ch6-4"), "ch6");
    // The lesson's context is its chapter's title: in the match report, and in the words it
    // finds (the activity's title alone says "protractor"; its lesson says "drawing angles").
    let m = json_report("match", &levels, &[]);
    let unit = |id: &str| {
        m.as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"]["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        unit("ch5-2-a")["unit"]["context"],
        serde_json::json!(["Angles", "Drawing angles"])
    );
    assert_eq!(unit("ch5-2-a")["matches"][0]["code"], "4.MD.C.6");
    // A CSV with a `parent` column.
    let v = json_report("audit", &data("curriculum/outline-parent.csv"), &[]);
    assert_eq!(parent(&v, "ch3-4"), "ch3");
    assert_eq!(parent(&v, "ch4-2"), "ch4");
}

#[test]
fn a_parent_that_is_no_earlier_row_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("outline.csv");
    std::fs::write(&f, "id,parent,title\nl1,ch1,Ordering fractions\nch1,,Fractions\n").unwrap();
    aligner()
        .arg("audit")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outline.csv:2").and(predicate::str::contains("\"ch1\"")));
}
