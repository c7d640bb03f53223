//! Fair claim verdicts and clean units from real-looking tables of contents: `no_evidence` apart
//! from `unsupported`, reviews and assessments recognised, back matter dropped, page numbers kept
//! through to the reports, and codes and words as PDFs paste them.

use crate::common::{aligner, data, json_of, stdout_of};
use aligner::ingest::curriculum::{read_curriculum, read_curriculum_str};
use aligner::model::{Unit, UnitRole};
use serde_json::Value;
use std::path::Path;

fn toc(name: &str) -> Vec<Unit> {
    read_curriculum(&data(&format!("curriculum/{name}"))).unwrap()
}

/// `aligner match FILE --format jsonl`, one report per unit.
fn match_reports(name: &str) -> Vec<Value> {
    let out = stdout_of(
        aligner()
            .args(["match", "--format", "jsonl"])
            .arg(data(&format!("curriculum/{name}"))),
    );
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn claim<'a>(reports: &'a [Value], title: &str, code: &str) -> &'a Value {
    let r = reports
        .iter()
        .find(|r| r["unit"]["title"] == title)
        .unwrap_or_else(|| panic!("no unit titled {title}"));
    r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{title}: no claim {code}: {r}"))
}

#[test]
fn a_title_that_says_nothing_is_no_evidence_and_a_title_that_points_elsewhere_is_unsupported() {
    let r = match_reports("g7-ela-selections.txt");
    // Selection titles name a text, not a skill: the claim is neither confirmed nor contradicted.
    for (title, code) in [
        ("Thank You, Ma'am by Langston Hughes", "RL.7.2"),
        ("Seventh Grade by Gary Soto", "RL.7.3"),
        ("The Tell-Tale Heart", "RL.7.6"),
        ("I Have a Dream", "SL.7.3"),
        ("Review", "RL.7.2"),
    ] {
        assert_eq!(claim(&r, title, code)["status"], "no_evidence", "{title} {code}");
    }
    // "Determine Theme" is plainly RL.7.2's skill; a spelling standard is contradicted.
    let theme = r.iter().find(|r| r["unit"]["title"] == "Determine Theme").unwrap();
    assert_eq!(theme["matches"][0]["code"], "RL.7.2");
    assert_eq!(claim(&r, "Determine Theme", "L.7.2b")["status"], "unsupported");
}

#[test]
fn audit_counts_and_lists_the_new_verdict() {
    let j = json_of(
        aligner()
            .args(["audit", "--format", "json"])
            .arg(data("curriculum/g7-ela-selections.txt")),
    );
    let claims = &j["summary"]["claims"];
    assert_eq!(claims["no_evidence"], 7, "{claims}");
    assert_eq!(claims["unsupported"], 1, "{claims}");
    let theme = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["title"] == "Determine Theme")
        .unwrap();
    assert_eq!(theme["claims"][0]["code"], "L.7.2b");
    assert_eq!(theme["claims"][0]["status"], "unsupported");
    let table = stdout_of(aligner().arg("audit").arg(data("curriculum/g7-ela-selections.txt")));
    assert!(table.contains("7 no evidence"), "{table}");
    assert!(
        table.contains("no evidence") && table.contains("unsupported"),
        "{table}"
    );
}

#[test]
fn a_claimed_text_of_the_right_skill_stays_supported() {
    let r = match_reports("g5-math-toc.txt");
    assert_eq!(
        claim(&r, "Add and Subtract Fractions", "5.NF.A.1")["status"],
        "supported"
    );
    assert_eq!(claim(&r, "Round Decimals", "5.NBT.A.4")["status"], "supported");
}

#[test]
fn reviews_and_assessments_are_recognised_and_back_matter_is_no_unit() {
    let u = toc("g5-math-toc.txt");
    let role = |t: &str| u.iter().find(|u| u.title == t).unwrap_or_else(|| panic!("{t}")).role;
    assert_eq!(role("Mid-Chapter Checkpoint"), UnitRole::Assessment);
    assert_eq!(role("Chapter 1 Review/Test"), UnitRole::Assessment);
    assert_eq!(role("Show What You Know"), UnitRole::Assessment);
    assert_eq!(role("Performance Task"), UnitRole::Assessment);
    assert_eq!(role("Round Decimals"), UnitRole::Lesson);
    assert_eq!(u.iter().filter(|u| !u.role.is_lesson()).count(), 14);
    assert!(!u
        .iter()
        .any(|u| u.title.contains("Glossary") || u.title.contains("Index")));
    assert!(!u.iter().any(|u| u.title.starts_with("Critical Area")));

    let a = toc("g7-ela-anthology-toc.txt");
    for t in [
        "Glossary of Literary Terms",
        "Index of Titles and Authors",
        "Acknowledgments",
    ] {
        assert!(!a.iter().any(|u| u.title.starts_with(t)), "{t} is a unit");
    }
    assert_eq!(
        a.iter()
            .filter(|u| u.role == UnitRole::Assessment)
            .map(|u| u.title.as_str())
            .collect::<Vec<_>>(),
        ["Unit 1 Assessment", "Unit 2 Assessment", "Unit 3 Assessment"]
    );
    // The essential question is what its unit is about, not an entry of its own.
    let unit1 = a.iter().find(|u| u.title == "Coming of Age").unwrap();
    assert_eq!(unit1.text, "How do our experiences shape who we are?");
    assert!(!a.iter().any(|u| u.title.starts_with("Essential Question")));
}

#[test]
fn reviews_do_not_fill_units_aligned_to_nothing() {
    let j = json_of(
        aligner()
            .args(["audit", "--format", "json"])
            .arg(data("curriculum/g5-math-toc.txt")),
    );
    let s = &j["summary"];
    assert_eq!(s["review_units"], 14);
    let reviews = j["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 14);
    assert!(reviews.iter().all(|r| r["role"] == "assessment"), "{reviews:?}");
    let unaligned = j["unaligned_units"].as_array().unwrap();
    assert_eq!(s["unaligned_units"], unaligned.len());
    for u in unaligned {
        let t = u["title"].as_str().unwrap();
        assert!(u.get("role").is_none(), "{u}");
        assert!(
            !t.contains("Review") && !t.contains("Checkpoint") && !t.contains("Glossary"),
            "{t}"
        );
    }
    // A lesson whose claim the text supports covers a standard: it is not aligned to nothing.
    let supported_lessons: Vec<&str> = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            u["claims"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["status"] == "supported"))
        })
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    // 19 of the 32 claims (24 with --fast): enough for the check below to mean something.
    assert!(supported_lessons.len() > 15, "{supported_lessons:?}");
    assert!(unaligned
        .iter()
        .all(|u| !supported_lessons.contains(&u["id"].as_str().unwrap())));
    let table = stdout_of(aligner().arg("audit").arg(data("curriculum/g5-math-toc.txt")));
    assert!(table.contains("14 reviews and assessments, not counted among the units aligned to nothing"));
}

#[test]
fn page_numbers_reach_every_report() {
    let u = toc("g5-math-toc.txt");
    assert!(
        u.iter().all(|u| u.page.is_some()),
        "{:?}",
        u.iter().find(|u| u.page.is_none())
    );
    let page = |t: &str| u.iter().find(|u| u.title == t).unwrap().page.as_deref();
    assert_eq!(page("Place Value of Whole Numbers"), Some("11"));
    assert_eq!(page("Chapter 11 Review/Test"), Some("659"));

    let r = match_reports("g5-math-toc.txt");
    let round = r.iter().find(|r| r["unit"]["title"] == "Round Decimals").unwrap();
    assert_eq!(round["unit"]["page"], "141");
    let text = stdout_of(aligner().arg("match").arg(data("curriculum/g5-math-toc.txt")));
    assert!(text.contains("3.4 Round Decimals (grade 5) p. 141"), "{text}");
    assert!(
        text.contains("Mid-Chapter Checkpoint (grade 5) p. 35 [assessment]"),
        "{text}"
    );
    let csv = stdout_of(
        aligner()
            .args(["match", "--format", "csv"])
            .arg(data("curriculum/g5-math-toc.txt")),
    );
    assert!(csv.lines().next().unwrap().ends_with(",unit_page"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("3.4,Round Decimals,1,") && l.ends_with(",141")),
        "{csv}"
    );

    let j = json_of(
        aligner()
            .args(["audit", "--format", "json"])
            .arg(data("curriculum/g5-math-toc.txt")),
    );
    let unit = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "3.4")
        .unwrap();
    assert_eq!(unit["page"], "141");
    let csv = stdout_of(
        aligner()
            .args(["audit", "--format", "csv"])
            .arg(data("curriculum/g5-math-toc.txt")),
    );
    let row = csv.lines().find(|l| l.starts_with("ccss-math,5.NBT.A.4,")).unwrap();
    assert!(row.contains("3.4:141"), "{row}");
    let md = stdout_of(
        aligner()
            .args(["audit", "--format", "md"])
            .arg(data("curriculum/g7-ela-anthology-toc.txt")),
    );
    assert!(md.contains(", p. 58)"), "{md}");
}

#[test]
fn unit_lists_keep_a_page_column() {
    let csv = "id,title,page,standards\na,Adding fractions,112-118,5. NF. A. 1\nb,Unit 2 Assessment,130,\n";
    let u = read_curriculum_str(Path::new("u.csv"), csv).unwrap();
    assert_eq!(u[0].page.as_deref(), Some("112-118"));
    assert_eq!(u[0].claimed, ["5.NF.A.1"]);
    assert_eq!(u[1].role, UnitRole::Assessment);
    let json = r#"[{"title": "Round decimals", "pages": 141}, {"title": "Weight"}]"#;
    let u = read_curriculum_str(Path::new("u.json"), json).unwrap();
    assert_eq!(u[0].page.as_deref(), Some("141"));
    assert_eq!(u[1].page, None);
}

#[test]
fn codes_and_words_as_pdfs_paste_them() {
    let u = toc("pdf-paste-toc.txt");
    let titles: Vec<&str> = u.iter().map(|u| u.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Fractions",
            "Simplified Fractions",
            "Multiply Fractions",
            "Place Value of Decimals",
            "Scaling and Reflection"
        ]
    );
    let claimed: Vec<&[String]> = u.iter().map(|u| u.claimed.as_slice()).collect();
    assert_eq!(claimed[1], ["5.NF.B.5"]);
    assert_eq!(claimed[2], ["5-NF-B-4"]);
    assert_eq!(claimed[3], ["5.NBT.A.3"]);
    assert_eq!(claimed[4], ["RL.7.2"]);
    assert_eq!(u[3].id, "2.3", "the zero-width space after the number is gone");
    assert_eq!(u[1].page.as_deref(), Some("41"));
    // The closed-up codes resolve.
    let r = match_reports("pdf-paste-toc.txt");
    assert_eq!(claim(&r, "Simplified Fractions", "5.NF.B.5")["resolved"][0], "5.NF.B.5");
    assert_eq!(claim(&r, "Multiply Fractions", "5-NF-B-4")["resolved"][0], "5.NF.B.4");
}

#[test]
fn a_page_column_with_quotes_and_pasted_punctuation_loses_no_row() {
    // Quotes around a comma, doubled quotes, smart quotes, an en dash in the pages, a ligature and
    // a non-breaking space: every row is read, with its page as written.
    let csv = "id,title,page,standards\n\
               a,\"Fractions, decimals and \"\"percent\"\"\",112\u{2013}118,5. NF. A. 1\n\
               b,\"\u{201c}Thank You, Ma\u{2019}am\u{201d} \u{2014} Langston Hughes\",R12,RL.7.2\n\
               c,Classi\u{fb01}cation\u{a0}of shapes,\"\",\n";
    let u = read_curriculum_str(Path::new("u.csv"), csv).unwrap();
    assert_eq!(u.len(), 3);
    assert_eq!(u[0].title, "Fractions, decimals and \"percent\"");
    assert_eq!(u[0].page.as_deref(), Some("112\u{2013}118"));
    assert_eq!(u[0].claimed, ["5.NF.A.1"]);
    assert_eq!(
        u[1].title,
        "\u{201c}Thank You, Ma\u{2019}am\u{201d} \u{2014} Langston Hughes"
    );
    assert_eq!(u[1].page.as_deref(), Some("R12"));
    assert_eq!(
        u[2].title, "Classification\u{a0}of shapes",
        "the ligature spelled out, the rest as written"
    );
    assert_eq!(u[2].page, None);
    // A comma in an unquoted cell is refused with the line, not read as a shifted row.
    let shifted = "id,title,page\na,Thank You, Ma'am,12\n";
    let e = read_curriculum_str(Path::new("u.csv"), shifted)
        .unwrap_err()
        .to_string();
    assert!(e.contains("u.csv:2"), "{e}");
    // An unclosed quote is refused with the file and the line where it opens; an empty file too.
    let bad = "id,title,page\na,Adding,12\nb,\"Subtracting,13\nc,Multiplying,14\n";
    let e = read_curriculum_str(Path::new("u.csv"), bad).unwrap_err().to_string();
    assert!(e.contains("u.csv:3"), "{e}");
    let e = read_curriculum_str(Path::new("u.csv"), "").unwrap_err().to_string();
    assert!(e.contains("u.csv"), "{e}");
}
