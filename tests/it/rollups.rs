//! Roll-ups that read like the frameworks (CCSS ELA by strand and cluster within the strand, NGSS
//! by discipline and topic with the middle-school band counted once, math by grade, domain and
//! cluster) and the strand scope that `match` and `audit` share (the ELA literacy strands RH, RST,
//! WHST out unless asked for).

use crate::common::{aligner, data, json_of, stdout_of};
use serde_json::{json, Value};

const ELA: &str = "curriculum/rollup-g7-ela.csv";
const SCIENCE: &str = "curriculum/rollup-ms-science.csv";
const NOTHING: &str = "curriculum/rollup-nothing-g7.csv";
const LITERACY: [&str; 3] = ["RH", "RST", "WHST"];

fn audit_json(file: &str, extra: &[&str]) -> Value {
    json_of(
        aligner()
            .arg("audit")
            .arg(data(file))
            .args(extra)
            .args(["--format", "json"]),
    )
}

/// The roll-up rows of a level.
fn level<'a>(doc: &'a Value, name: &str) -> &'a Vec<Value> {
    doc["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == name)
        .unwrap_or_else(|| panic!("no level {name}: {}", doc["rollup"]))["rows"]
        .as_array()
        .unwrap()
}

fn levels(doc: &Value) -> Vec<String> {
    doc["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["level"].as_str().unwrap().to_string())
        .collect()
}

fn keys(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["key"].as_str().unwrap()).collect()
}

fn strand(code: &str) -> &str {
    code.split('.').next().unwrap()
}

/// Each level's rows as structure only (key, label, parent, standards): what the framework's
/// hierarchy and the scope decide, not the matcher's scores.
fn structure(doc: &Value) -> Value {
    doc["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let rows: Vec<Value> = l["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| json!({"key": r["key"], "label": r["label"], "parent": r["parent"], "standards": r["standards"]}))
                .collect();
            json!({"level": l["level"], "rows": rows})
        })
        .collect()
}

#[test]
fn an_ela_audit_rolls_up_by_strand_and_by_cluster_within_its_strand() {
    let v = audit_json(ELA, &[]);
    assert_eq!(v["schema"], "aligner/2");
    assert_eq!(v["scope"]["frameworks"], json!(["ccss-ela"]));
    assert_eq!(levels(&v), ["grade", "strand", "cluster"]);
    let strands = level(&v, "strand");
    assert_eq!(keys(strands), ["RL", "RI", "W", "SL", "L"]);
    let labels: Vec<&str> = strands.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Reading: Literature",
            "Reading: Informational Text",
            "Writing",
            "Speaking and Listening",
            "Language"
        ]
    );
    // Grade 7 without the literacy strands: 41 standards (RL.7.8 does not apply to literature).
    let total = v["summary"]["standards"].as_u64().unwrap();
    assert_eq!(total, 41);
    let sum = |rows: &[Value]| rows.iter().map(|r| r["standards"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum(strands), total);
    let clusters = level(&v, "cluster");
    assert_eq!(sum(clusters), total);
    // Unique keys (the range of the cluster's standards), each named within its strand.
    let ck = keys(clusters);
    let mut uniq = ck.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), ck.len(), "{ck:?}");
    assert_eq!(&ck[..4], ["RL.7.1-3", "RL.7.4-6", "RL.7.7-9", "RL.7.10"]);
    for c in clusters {
        let parent = c["parent"].as_str().unwrap();
        assert!(keys(strands).contains(&parent), "{c}");
        assert!(c["label"].as_str().unwrap().starts_with(&format!("{parent} · ")), "{c}");
        assert_eq!(strand(c["key"].as_str().unwrap()), parent, "{c}");
    }
    let craft = clusters.iter().find(|c| c["key"] == "RI.7.4-6").unwrap();
    assert_eq!(craft["label"], "RI · Craft and Structure");
    assert_eq!(craft["standards"], 3);
    // Neither the literacy strands nor the College and Career Readiness anchors are counted.
    for s in v["standards"].as_array().unwrap() {
        let code = s["code"].as_str().unwrap();
        assert!(!LITERACY.contains(&strand(code)) && !code.starts_with("CCRA"), "{code}");
    }
}

#[test]
fn the_literacy_strands_are_a_scope_of_their_own() {
    let lit = audit_json(ELA, &["--strand", "literacy"]);
    assert_eq!(keys(level(&lit, "strand")), LITERACY);
    assert_eq!(lit["summary"]["standards"], 29);
    assert_eq!(
        audit_json(ELA, &["--strand", "rh,RST", "--strand", "whst"])["summary"],
        lit["summary"]
    );
    for s in lit["standards"].as_array().unwrap() {
        assert!(LITERACY.contains(&strand(s["code"].as_str().unwrap())), "{s}");
    }
    // Middle-school literacy standards are a 6-8 band, counted once under it.
    assert_eq!(keys(level(&lit, "grade")), ["6-8"]);
    assert_eq!(audit_json(ELA, &["--strand", "all"])["summary"]["standards"], 70);
    let some = audit_json(ELA, &["--exclude", "SL,L"]);
    assert_eq!(keys(level(&some, "strand")), ["RL", "RI", "W"]);
    assert_eq!(some["summary"]["standards"], 41 - 6 - 6);
}

#[test]
fn matches_leave_the_excluded_strands_out() {
    let codes = |extra: &[&str]| -> Vec<String> {
        let v = json_of(
            aligner()
                .arg("match")
                .arg(data(ELA))
                .args(["--top", "5", "--format", "json"])
                .args(extra),
        );
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|u| u["matches"].as_array().unwrap().clone())
            .map(|m| m["code"].as_str().unwrap().to_string())
            .collect()
    };
    let default = codes(&[]);
    assert!(!default.is_empty());
    assert!(default.iter().all(|c| !LITERACY.contains(&strand(c))), "{default:?}");
    // Each unit keeps its five matches: the places go to the next standards.
    assert_eq!(default.len(), 22 * 5);
    let all = codes(&["--strand", "all"]);
    assert!(all.iter().any(|c| LITERACY.contains(&strand(c))), "{all:?}");
    let lit = codes(&["--strand", "literacy"]);
    assert!(
        !lit.is_empty() && lit.iter().all(|c| LITERACY.contains(&strand(c))),
        "{lit:?}"
    );
    let no_w = codes(&["--exclude", "W"]);
    assert!(no_w.iter().all(|c| strand(c) != "W") && default.iter().any(|c| strand(c) == "W"));
}

#[test]
fn a_strand_the_framework_lacks_is_a_usage_error() {
    let out = aligner()
        .arg("audit")
        .arg(data(ELA))
        .args(["--strand", "XYZ"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no strand XYZ in ccss-ela") && err.contains("RL"), "{err}");
    let out = aligner()
        .arg("match")
        .arg(data("curriculum/units.csv"))
        .args(["--framework", "ccss-math", "--strand", "literacy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no literacy strand"));
}

#[test]
fn an_ngss_audit_rolls_up_by_discipline_and_topic_and_counts_a_band_once() {
    let v = audit_json(SCIENCE, &[]);
    assert_eq!(v["scope"]["frameworks"], json!(["ngss"]));
    assert_eq!(levels(&v), ["grade", "discipline", "topic"]);
    // The middle-school band: 59 performance expectations, once, not under 6, 7 and 8.
    let grades = level(&v, "grade");
    assert_eq!(keys(grades), ["6-8"]);
    assert_eq!(grades[0]["standards"], 59);
    assert_eq!(v["summary"]["standards"], 59);
    let disc = level(&v, "discipline");
    assert_eq!(keys(disc), ["PS", "LS", "ESS", "ETS"]);
    assert_eq!(disc[0]["label"], "Physical Sciences");
    let topics = level(&v, "topic");
    let ps1 = topics.iter().find(|t| t["key"] == "MS-PS1").unwrap();
    assert_eq!(ps1["label"], "Matter and Its Interactions");
    assert_eq!(ps1["parent"], "PS");
    for t in topics {
        let key = t["key"].as_str().unwrap();
        assert!(key.starts_with(&format!("MS-{}", t["parent"].as_str().unwrap())), "{t}");
    }
    assert_eq!(topics.iter().map(|r| r["standards"].as_u64().unwrap()).sum::<u64>(), 59);
    // A discipline is a strand of the scope too.
    let ps = audit_json(SCIENCE, &["--strand", "PS"]);
    assert_eq!(keys(level(&ps, "discipline")), ["PS"]);
    assert_eq!(ps["summary"]["standards"], disc[0]["standards"]);
}

#[test]
fn math_keeps_grade_domain_and_cluster() {
    let v = json_of(
        aligner()
            .args(["audit", "examples/grade4-math-toc.txt", "--format", "json"])
            .current_dir(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(levels(&v), ["grade", "domain", "cluster"]);
    assert_eq!(keys(level(&v, "domain")), ["4.OA", "4.NBT", "4.MD", "4.G", "4.NF"]);
    let clusters = level(&v, "cluster");
    // Clusters under their domain, in their codes' order.
    assert_eq!(&keys(clusters)[3..5], ["4.NBT.A", "4.NBT.B"]);
    assert!(clusters.iter().all(|c| c["parent"].is_string()));
}

#[test]
fn jsonl_rollup_records_name_the_frameworks_levels() {
    let text = stdout_of(aligner().arg("audit").arg(data(SCIENCE)).args(["--format", "jsonl"]));
    let levels: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .inspect(|r| assert_eq!(r["schema"], "aligner/2"))
        .filter(|r| r["record"] == "rollup")
        .map(|r| r["level"].as_str().unwrap().to_string())
        .collect();
    let mut distinct = levels.clone();
    distinct.dedup();
    assert_eq!(distinct, ["grade", "discipline", "topic"]);
}

/// The structure of the roll-ups, which only the framework and the scope decide.
#[test]
fn rollup_structure_snapshots() {
    let ela = audit_json(ELA, &[]);
    insta::assert_json_snapshot!("rollup_ela_structure", structure(&ela));
    let ngss = audit_json(SCIENCE, &[]);
    insta::assert_json_snapshot!("rollup_ngss_structure", structure(&ngss));
}

/// The roll-up tables as people read them, for a unit that addresses nothing (so that only the
/// framework's hierarchy shows, not the matcher's scores): everything before the gap list.
#[test]
fn rollup_table_snapshots() {
    let tables = |extra: &[&str]| {
        let out = stdout_of(aligner().arg("audit").arg(data(NOTHING)).args(extra));
        out.split("Gaps: standards").next().unwrap().to_string()
    };
    insta::assert_snapshot!("rollup_ela_tables", tables(&["--framework", "ccss-ela"]));
    insta::assert_snapshot!("rollup_ngss_tables", tables(&["--framework", "ngss", "--grade", "6-8"]));
    insta::assert_snapshot!(
        "rollup_ela_literacy_tables",
        tables(&["--framework", "ccss-ela", "--strand", "literacy"])
    );
}
