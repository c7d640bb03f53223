//! `compare` run as a committee runs it on two grade-4 tables of contents, and the emphasis
//! (lessons and pages per standard) that `audit` and `compare` report.

use crate::common::{aligner, data, json_of, stdout_of};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn compare_json(files: &[PathBuf]) -> Value {
    json_of(
        aligner()
            .arg("compare")
            .args(files)
            .args(["-f", "ccss-math", "-g", "4", "--format", "json"]),
    )
}

fn a() -> PathBuf {
    example("grade4-math-toc.txt")
}
fn b() -> PathBuf {
    example("grade4-math-toc-b.md")
}

#[test]
fn side_by_side_table_ranks_with_a_reason() {
    let t = stdout_of(
        aligner()
            .arg("compare")
            .args([a(), b()])
            .args(["-f", "ccss-math", "-g", "4"]),
    );
    assert!(t.starts_with("2 programs against ccss-math grade 4"), "{t}");
    for section in ["rank", "By domain", "By cluster", "Lessons per standard"] {
        assert!(t.contains(section), "{section} missing:\n{t}");
    }
    assert!(t.contains("grade4-math-toc.txt") && t.contains("grade4-math-toc-b.md"));
    // The ranking says why: `N more standards covered than ...`.
    assert!(
        t.contains("more standards covered than") || t.contains("fewer gaps"),
        "{t}"
    );
}

#[test]
fn json_document_lines_up_programs_and_ranks_them() {
    let v = compare_json(&[a(), b()]);
    assert_eq!(v["schema"], "aligner/compare-1");
    let programs = v["programs"].as_array().unwrap();
    assert_eq!(programs.len(), 2);
    let n = v["scope"]["standards"].as_u64().unwrap() as usize;
    let standards = v["standards"].as_array().unwrap();
    assert_eq!(standards.len(), n);
    assert!(standards.iter().all(|s| s["programs"].as_array().unwrap().len() == 2));
    // The ranking is by standards covered.
    let ranking = v["ranking"].as_array().unwrap();
    let covered = |file: &Value| {
        programs.iter().find(|p| &p["file"] == file).unwrap()["covered"]
            .as_u64()
            .unwrap()
    };
    assert!(covered(&ranking[0]["file"]) >= covered(&ranking[1]["file"]));
    assert_eq!(ranking[0]["rank"], 1);
    // A difference is a standard one program covers and the other does not.
    for d in v["differences"].as_array().unwrap() {
        let s = standards.iter().find(|s| s["code"] == d["code"]).unwrap();
        let st: Vec<&str> = s["programs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert!(st.contains(&"covered") && st.iter().any(|x| *x != "covered"), "{d}");
    }
    // Covered by none: every program's status is something else; a cell's best unit is its first.
    for s in standards {
        let cells = s["programs"].as_array().unwrap();
        let none = cells.iter().all(|c| c["status"] != "covered");
        assert_eq!(
            none,
            v["covered_by_none"].as_array().unwrap().contains(&s["code"]),
            "{s}"
        );
        for c in cells {
            assert_eq!(c["best_unit"]["id"], c["units"][0], "{s}");
        }
    }
    // Every roll-up row has a cell per program whose counts add up.
    for level in v["rollup"].as_array().unwrap() {
        for row in level["rows"].as_array().unwrap() {
            for cell in row["programs"].as_array().unwrap() {
                let sum =
                    cell["covered"].as_u64().unwrap() + cell["weak"].as_u64().unwrap() + cell["gaps"].as_u64().unwrap();
                assert_eq!(sum, row["standards"].as_u64().unwrap(), "{row}");
            }
        }
    }
    // Deterministic.
    assert_eq!(v, compare_json(&[a(), b()]));
}

#[test]
fn each_program_is_matched_on_its_own() {
    // Program A's cells are the same whichever program it is compared with, and the same as its
    // own audit's.
    let with_b = compare_json(&[a(), b()]);
    let with_c = compare_json(&[a(), example("grade3-units.csv")]);
    let cells = |v: &Value| -> Vec<Value> {
        v["standards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["programs"][0].clone())
            .collect()
    };
    assert_eq!(cells(&with_b), cells(&with_c));
    let audit = json_of(
        aligner()
            .arg("audit")
            .arg(a())
            .args(["-f", "ccss-math", "-g", "4", "--format", "json"]),
    );
    for (s, cell) in audit["standards"].as_array().unwrap().iter().zip(cells(&with_b)) {
        assert_eq!(s["status"], cell["status"], "{}", s["code"]);
        assert_eq!(s["units"], cell["units"], "{}", s["code"]);
        assert_eq!(s["lessons"], cell["lessons"], "{}", s["code"]);
    }
    // Unit ids stay each program's own: B's cells name only B's lessons.
    let b_ids: Vec<Value> =
        json_of(
            aligner()
                .arg("audit")
                .arg(b())
                .args(["-f", "ccss-math", "-g", "4", "--format", "json"]),
        )["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].clone())
            .collect();
    for s in with_b["standards"].as_array().unwrap() {
        for id in s["programs"][1]["units"].as_array().unwrap() {
            assert!(b_ids.contains(id), "{id} is not a unit of B");
        }
    }
}

#[test]
fn csv_and_markdown() {
    let csv =
        stdout_of(
            aligner()
                .arg("compare")
                .args([a(), b()])
                .args(["-f", "ccss-math", "-g", "4", "--format", "csv"]),
        );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "framework,code,grades,program,status,best_score,lessons,pages,units"
    );
    let v = compare_json(&[a(), b()]);
    assert_eq!(lines.count(), 2 * v["standards"].as_array().unwrap().len());
    let md =
        stdout_of(
            aligner()
                .arg("compare")
                .args([a(), b()])
                .args(["-f", "ccss-math", "-g", "4", "--format", "md"]),
        );
    assert!(md.starts_with("# Program comparison"));
    for section in [
        "## Ranking",
        "## By domain",
        "## Standards some programs cover and others do not",
        "## Lessons per standard",
    ] {
        assert!(md.contains(section), "{section}");
    }
}

#[test]
fn programs_of_different_frameworks_need_one_named() {
    let out = aligner()
        .arg("compare")
        .arg(example("grade7-math-toc.md"))
        .arg(data("curriculum/g7-ela-anthology-toc.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("different frameworks") && err.contains("--framework"),
        "{err}"
    );
}

#[test]
fn one_program_or_the_same_twice_is_a_usage_error() {
    let out = aligner().arg("compare").arg(a()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = aligner().arg("compare").args([a(), a()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("twice"));
}

#[test]
fn audit_reports_lessons_and_pages_per_standard_and_domain() {
    let v = json_of(
        aligner()
            .arg("audit")
            .arg(b())
            .args(["-f", "ccss-math", "-g", "4", "--format", "json"]),
    );
    // The book runs from page 2 to the last lesson's start page (its end is not printed).
    assert_eq!(v["summary"]["pages"], 181);
    assert_eq!(v["summary"]["lessons"], 25);
    let standards = v["standards"].as_array().unwrap();
    for s in standards {
        let lessons = s["lessons"].as_u64().unwrap();
        // A standard is taught by at most the units that address it, and a gap by none.
        assert!(lessons as usize <= s["units"].as_array().unwrap().len(), "{s}");
        if s["status"] == "gap" {
            assert_eq!(lessons, 0, "{s}");
        }
        assert_eq!(s["pages"].is_null(), lessons == 0, "{s}");
    }
    // A domain's lessons are its standards' lessons, each once: no more than their sum, no fewer
    // than the most any one standard has.
    let domains = v["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "domain")
        .unwrap();
    for row in domains["rows"].as_array().unwrap() {
        let key = row["key"].as_str().unwrap();
        let of: Vec<u64> = standards
            .iter()
            .filter(|s| s["code"].as_str().unwrap().starts_with(&format!("{key}.")))
            .map(|s| s["lessons"].as_u64().unwrap())
            .collect();
        let l = row["lessons"].as_u64().unwrap();
        assert!(
            l <= of.iter().sum::<u64>() && l >= of.iter().copied().max().unwrap_or(0),
            "{row}"
        );
    }
    // The Markdown report lists the lessons per standard.
    let md = stdout_of(
        aligner()
            .arg("audit")
            .arg(b())
            .args(["-f", "ccss-math", "-g", "4", "--format", "md"]),
    );
    assert!(md.contains("## Lessons per standard"));
    assert!(md.contains("| 4.NBT.B.5 |"));
}

/// The gap list reads in the framework's domain order and, within a domain, in code order
/// (4.NBT.A.2 before 4.NBT.B.4, 4.MD.A.3 before 4.MD.B.4), whatever order the file lists them in.
#[test]
fn gaps_come_domain_by_domain_in_code_order() {
    let v = json_of(
        aligner()
            .arg("audit")
            .arg(a())
            .args(["-f", "ccss-math", "-g", "4", "--format", "json"]),
    );
    let gaps: Vec<String> = v["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .collect();
    assert!(gaps.len() > 3, "{gaps:?}");
    let domains = v["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "domain")
        .unwrap();
    let order: Vec<&str> = domains["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    let domain_of = |code: &str| order.iter().position(|d| code.starts_with(&format!("{d}."))).unwrap();
    let key = |code: &str| {
        let nums: Vec<String> = code.split('.').map(|p| format!("{p:>4}")).collect();
        (domain_of(code), nums)
    };
    let mut sorted = gaps.clone();
    sorted.sort_by_key(|g| key(g));
    assert_eq!(gaps, sorted);
}
