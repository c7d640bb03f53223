//! The federal frameworks (Head Start ELOF, CCRS for Adult Education) and the South Carolina and
//! Michigan sets shipped beside the others; indexing a district's file adds it to them; an audit
//! against a framework none of whose codes the publisher used says so once.

use crate::common::{aligner, data, json_of, stdout_of};
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn frameworks_json(c: &mut Command) -> Vec<Value> {
    json_of(c.args(["frameworks", "--format", "json"]))["frameworks"]
        .as_array()
        .expect("frameworks")
        .clone()
}

fn by_id<'a>(fws: &'a [Value], id: &str) -> &'a Value {
    fws.iter().find(|f| f["id"] == id).unwrap_or_else(|| {
        panic!(
            "no framework {id} in {:?}",
            fws.iter().map(|f| &f["id"]).collect::<Vec<_>>()
        )
    })
}

fn at(ix: &Path) -> Command {
    let mut c = Command::cargo_bin("aligner").unwrap();
    c.env("ALIGNER_INDEX", ix);
    c
}

#[test]
fn the_new_frameworks_are_shipped_with_their_notices() {
    let fws = frameworks_json(&mut aligner());
    // (id, nodes, alignable) as read from data/standards. SOURCES.md counts 751, 737 and 543
    // ASN entries for the state sets: each file's statements all become nodes (749, 735, 541),
    // the other two entries are the document and its rights statement.
    for (id, nodes, alignable) in [
        ("elof", 796, 739),
        ("ccrs-adult-ed", 191, 162),
        ("sc-math", 749, 0),
        ("sc-ela", 735, 0),
        ("mi-ela", 541, 0),
    ] {
        let f = by_id(&fws, id);
        assert_eq!(f["nodes"], nodes, "{id}");
        if alignable > 0 {
            assert_eq!(f["alignable"], alignable, "{id}");
        }
        assert_eq!(f["origin"], "shipped", "{id}");
        assert!(!f["license"].as_str().unwrap().is_empty(), "{id} has no notice");
    }
    let elof = by_id(&fws, "elof");
    assert_eq!(elof["by_kind"]["domain"], 12);
    assert_eq!(elof["by_kind"]["cluster"], 45);
    assert_eq!(elof["by_kind"]["standard"], 118);
    assert_eq!(elof["by_kind"]["component"], 621);
    assert!(elof["license"].as_str().unwrap().contains("public domain"));
    let grades: Vec<&String> = elof["by_grade"].as_object().unwrap().keys().collect();
    assert_eq!(grades, ["IT", "PK"]);
    let ccrs = by_id(&fws, "ccrs-adult-ed");
    let grades: Vec<&String> = ccrs["by_grade"].as_object().unwrap().keys().collect();
    assert_eq!(grades, ["A", "B", "C", "D", "E"]);
    assert!(ccrs["license"].as_str().unwrap().contains("Common Core"));
    let notice = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/NOTICE")).unwrap();
    for f in [
        "elof.csv",
        "ccrs-adult-ed.csv",
        "SC-math.json",
        "SC-english.json",
        "MI-english.json",
    ] {
        assert!(notice.contains(f), "data/NOTICE does not name {f}");
    }
    let table = stdout_of(aligner().arg("frameworks"));
    assert!(table.contains("All 12 frameworks are shipped with aligner."), "{table}");
    for id in ["elof", "ccrs-adult-ed", "sc-math", "sc-ela", "mi-ela", "ccss-math"] {
        assert!(table.contains(&format!("│ {id} ")), "{id} missing from\n{table}");
    }
}

#[test]
fn an_elof_goal_by_the_codes_people_type() {
    for spelling in ["P-MATH 1", "p-math 1", "P-MATH1", "P MATH 1"] {
        let j = json_of(aligner().args(["show", spelling, "--format", "json"]));
        let found = j["found"].as_array().unwrap();
        assert_eq!(found.len(), 1, "{spelling}: {found:?}");
        let s = &found[0];
        assert_eq!(s["standard"]["code"], "P-MATH 1", "{spelling}");
        assert_eq!(s["standard"]["framework"], "elof");
        assert_eq!(s["standard"]["kind"], "standard");
        assert_eq!(s["standard"]["grades"], serde_json::json!(["PK"]));
        let kids: Vec<&str> = s["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(kids, ["P-MATH 1.1", "P-MATH 1.2", "P-MATH 1.3"]);
        let up: Vec<&str> = s["ancestors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(up, ["P-MATH.CC", "P-MATH"]);
    }
    // An indicator keeps its age period.
    let j = json_of(aligner().args(["show", "P-MATH 1.3", "--format", "json"]));
    let notes = j["found"][0]["standard"]["notes"].to_string();
    assert!(notes.contains("Age period: By 60 Months"), "{notes}");
    // An infant/toddler goal.
    let t = stdout_of(aligner().args(["show", "IT-ATL 1"]));
    assert!(t.contains("Child manages feelings and emotions"), "{t}");
}

#[test]
fn search_by_early_learning_level() {
    let codes = |grade: &str, q: &str| -> Vec<(String, String)> {
        let j = json_of(aligner().args(["search", q, "--grade", grade, "--format", "json"]));
        j["results"]
            .as_array()
            .unwrap_or_else(|| panic!("no results in {j}"))
            .iter()
            .map(|r| {
                (
                    r["framework"].as_str().unwrap().to_string(),
                    r["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pk = codes("PK", "counts to 20 number words in sequence");
    assert!(!pk.is_empty());
    assert_eq!(pk[0].0, "elof", "{pk:?}");
    assert!(pk.iter().any(|(_, c)| c.starts_with("P-MATH 1")), "{pk:?}");
    assert!(
        pk.iter().all(|(f, c)| f != "elof" || c.starts_with("P-")),
        "PK gave infant/toddler goals: {pk:?}"
    );
    let it = codes("IT", "familiar adults comfort strong emotions");
    assert!(it.iter().all(|(f, c)| f == "elof" && c.starts_with("IT-")), "{it:?}");
    assert!(it.iter().any(|(_, c)| c.starts_with("IT-ATL 1")), "{it:?}");
}

#[test]
fn adult_education_levels_are_grades() {
    let j = json_of(aligner().args(["show", "CCR.R.2.B", "--format", "json"]));
    let s = &j["found"][0]["standard"];
    assert_eq!(s["framework"], "ccrs-adult-ed");
    assert_eq!(s["grades"], serde_json::json!(["B"]));
    assert!(
        s["text"].as_str().unwrap().starts_with("Determine the main idea"),
        "{s}"
    );
    assert!(s["notes"].to_string().contains("CCSS RI.3.2"), "{s}");
    for level in ["C", "Level C"] {
        let j = json_of(aligner().args([
            "search",
            "main idea key details summarize",
            "--grade",
            level,
            "--format",
            "json",
        ]));
        let rs = j["results"].as_array().unwrap();
        assert!(!rs.is_empty());
        for r in rs {
            assert_eq!(r["framework"], "ccrs-adult-ed", "{r}");
            assert_eq!(r["grades"], serde_json::json!(["C"]), "{r}");
        }
    }
}

#[test]
fn state_sets_read_with_their_codes() {
    let j = json_of(aligner().args(["show", "3-2.7", "--framework", "sc-math", "--format", "json"]));
    let s = &j["found"][0]["standard"];
    assert_eq!(s["code"], "3-2.7");
    assert_eq!(s["grades"], serde_json::json!(["3"]));
}

/// An index of the shipped data and the study's district file, in `dir`.
fn district_index(dir: &Path) -> std::path::PathBuf {
    let ix = dir.join("ix");
    let out = stdout_of(
        Command::cargo_bin("aligner")
            .unwrap()
            .arg("index")
            .arg("--index")
            .arg(&ix)
            .arg(data("standards/springfield-math.csv")),
    );
    assert!(out.contains("springfield-math") && out.contains("ccss-math"), "{out}");
    ix
}

#[test]
fn indexing_a_district_file_adds_it() {
    let d = tempfile::tempdir().unwrap();
    let ix = district_index(d.path());
    let check = |ix: &Path| {
        let fws = frameworks_json(&mut at(ix));
        assert_eq!(by_id(&fws, "ccss-math")["origin"], "shipped");
        assert_eq!(by_id(&fws, "ngss")["origin"], "shipped");
        let file = std::fs::canonicalize(data("standards/springfield-math.csv")).unwrap();
        assert_eq!(by_id(&fws, "springfield-math")["origin"], file.to_str().unwrap());
        stdout_of(at(ix).args(["show", "4.NF.3"]));
        stdout_of(at(ix).args(["show", "SPS.M5.FR.1"]));
        let table = stdout_of(at(ix).arg("frameworks"));
        assert!(
            table.contains("12 frameworks shipped with aligner; from your files:"),
            "{table}"
        );
        assert!(
            table.contains(&format!("  springfield-math: {}\n", file.display())),
            "{table}"
        );
    };
    check(&ix);
    // --rebuild builds the same again, from the shipped data and the file.
    let out = stdout_of(at(&ix).args(["index", "--rebuild"]));
    assert!(out.starts_with("rebuilt from the shipped data and "), "{out}");
    check(&ix);
    // After an upgrade (another index version), it is rebuilt from both.
    let meta_path = ix.join("meta.json");
    let mut meta: Value = serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    assert_eq!(meta["sources"][0], "(shipped data/standards)");
    meta["schema_version"] = 1.into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let o = at(&ix).arg("frameworks").output().unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("rebuilt the index") && err.contains("springfield-math.csv"),
        "{err}"
    );
    check(&ix);
}

#[test]
fn only_indexes_the_files_alone() {
    let d = tempfile::tempdir().unwrap();
    let ix = d.path().join("ix");
    let mut c = at(&ix);
    c.args(["index", "--only"]).arg(data("standards/springfield-math.csv"));
    stdout_of(&mut c);
    let fws = frameworks_json(&mut at(&ix));
    let ids: Vec<&str> = fws.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["springfield-math"]);
    let out = stdout_of(at(&ix).args(["index", "--rebuild"]));
    assert!(!out.contains("ccss-math"), "{out}");
    // --only needs files.
    at(&ix)
        .args(["index", "--only"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--only"));
}

#[test]
fn a_file_with_a_shipped_id_takes_its_place() {
    let d = tempfile::tempdir().unwrap();
    let mine = d.path().join("ccss-math.csv");
    std::fs::write(&mine, "code,text,grade\nM.1,My own counting standard,K\n").unwrap();
    let ix = d.path().join("ix");
    let o = at(&ix).arg("index").arg(&mine).output().unwrap();
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("takes the place of the shipped ccss-math"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fws = frameworks_json(&mut at(&ix));
    assert_eq!(by_id(&fws, "ccss-math")["nodes"], 1);
    assert_eq!(fws.iter().filter(|f| f["id"] == "ccss-math").count(), 1);
}

#[test]
fn auditing_against_a_district_set_says_whose_codes_were_claimed() {
    let d = tempfile::tempdir().unwrap();
    let ix = district_index(d.path());
    let toc = data("standards/g5-math-toc.txt");
    let o = at(&ix)
        .arg("audit")
        .arg(&toc)
        .args(["--framework", "springfield-math"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    let notes: Vec<&str> = err.lines().filter(|l| l.contains("claimed code")).collect();
    assert_eq!(notes.len(), 1, "{err}");
    assert!(
        notes[0].contains("none of the 6 claimed codes belong to springfield-math: they are ccss-math"),
        "{err}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("did you mean"), "{out}");
    assert!(!out.contains("unknown"), "{out}");
    // Against the publisher's own framework the claims are checked as usual, without the note.
    let o = at(&ix)
        .arg("audit")
        .arg(&toc)
        .args(["--framework", "ccss-math"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("claimed code"));
}
