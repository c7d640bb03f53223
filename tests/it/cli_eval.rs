//! `aligner eval` run as a committee runs it on a correlation it was handed: the metrics checked
//! by hand on the small Riverside framework, the per-item list, and the grade filter.
//!
//! tests/data/eval/riverside-correlation.jsonl holds seven items. e1, e2, e5 and e7 name the
//! standard their words state (e5 only its cluster, RV.4.NF.B); e3 claims an equivalence standard
//! for multiplying a fraction by a whole number; e4 claims "draw lines and angles" for classifying
//! triangles, whose own standard is its sibling; e6 names a code the framework does not have.

use crate::common::{data, json_of, riverside, stdout_of};
use serde_json::Value;

const GOLD: &str = "eval/riverside-correlation.jsonl";

fn eval_json(extra: &[&str]) -> Value {
    json_of(
        riverside()
            .arg("eval")
            .arg(data(GOLD))
            .args(["--format", "json"])
            .args(extra),
    )
}

#[test]
fn metrics_follow_the_scoring_rule() {
    let v = eval_json(&[]);
    assert_eq!(v["framework"], "riverside-math");
    assert_eq!(v["grade_filter"], true);
    // e6's code names nothing: left out of the metrics and listed.
    assert_eq!(v["unresolved"], serde_json::json!(["e6"]));
    let all = &v["overall"];
    assert_eq!(all["items"], 6);
    // First suggestions agree for e1, e2, e5 (a standard of the cluster counts) and e7: 4 of 6.
    assert_eq!(all["recall_at_1"], 0.6667);
    // e3's claimed standard (equivalence, for multiplying) is not suggested at all; e4's comes
    // second: (1+1+0+1/2+1+1)/6.
    assert_eq!(all["recall_at_5"], 0.8333);
    assert_eq!(all["mrr"], 0.75);
    // e4's first suggestion (RV.4.G.A.2) is in the cluster of its claimed RV.4.G.A.1; e3's
    // (RV.4.NF.B.4) is not in RV.4.NF.A.
    assert_eq!(all["near_miss"], 0.1667);
    assert_eq!(v["by_grade"]["4"]["items"], 5);
    assert_eq!(v["by_grade"]["5"]["recall_at_1"], 1.0);
    assert!(v.get("items").is_none(), "per-item outcomes only on request");
}

#[test]
fn items_say_where_the_publisher_and_aligner_differ() {
    let v = eval_json(&["--items"]);
    let items = v["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["e1", "e2", "e3", "e4", "e5", "e7"],
        "file order, unresolved left out"
    );
    let e3 = &items[2];
    assert_eq!(e3["publisher"], serde_json::json!(["RV.4.NF.A.1"]));
    assert_eq!(e3["suggested"][0], "RV.4.NF.B.4");
    assert_eq!(e3["first_agreeing"], Value::Null);
    assert!(!e3["suggested"]
        .as_array()
        .unwrap()
        .contains(&Value::from("RV.4.NF.A.1")));
    assert_eq!(e3["near_miss"], false);
    assert_eq!(items[3]["near_miss"], true);
    assert_eq!(items[4]["publisher"], serde_json::json!(["RV.4.NF.B"]));
    assert_eq!(items[4]["first_agreeing"], 1);

    // The table lists only the two items whose first suggestion differs.
    let table = stdout_of(riverside().arg("eval").arg(data(GOLD)).arg("--items"));
    assert!(
        table.contains("2 of 6 items where aligner's first suggestion"),
        "{table}"
    );
    assert!(
        table.contains("Classifying triangles") && table.contains("RV.4.G.A.2"),
        "{table}"
    );
    assert!(!table.contains("Equivalent fractions with models"), "{table}");

    // CSV: one row per scored item, nothing else.
    let csv = stdout_of(
        riverside()
            .arg("eval")
            .arg(data(GOLD))
            .args(["--items", "--format", "csv"]),
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,title,publisher,suggested,first_agreeing,near_miss");
    assert_eq!(lines.len(), 7);
    assert!(
        lines[3].starts_with("e3,") && lines[3].ends_with(",,false"),
        "{}",
        lines[3]
    );
}

#[test]
fn without_the_grade_filter_other_grades_compete() {
    let with = eval_json(&["--items"]);
    let without = eval_json(&["--items", "--no-grade"]);
    assert_eq!(without["grade_filter"], false);
    // With the filter, the grade 5 item sees only grade 5 standards.
    let e7 = |v: &Value| v["items"][5]["suggested"].as_array().unwrap().clone();
    assert_eq!(e7(&with), [Value::from("RV.5.NF.A.1")]);
    assert!(e7(&without).len() > 1);
    assert!(e7(&without).iter().any(|c| c.as_str().unwrap().starts_with("RV.4.")));
}
