//! Curriculum readers: unit lists (CSV, JSON, JSONL) and tables of contents (text, Markdown).

use aligner::ingest::curriculum::{
    read_curriculum, read_curriculum_str, read_curriculum_str_with, read_toc, read_toc_with, CurriculumKind,
    CurriculumOptions, TocOptions, UnitsFormat,
};
use aligner::model::{GradeRange, Unit};
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/curriculum")
        .join(name)
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn read(name: &str) -> Vec<Unit> {
    read_curriculum(&data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn by_id<'a>(units: &'a [Unit], id: &str) -> &'a Unit {
    units.iter().find(|u| u.id == id).unwrap_or_else(|| {
        panic!(
            "no unit {id}; ids: {:?}",
            units.iter().map(|u| &u.id).collect::<Vec<_>>()
        )
    })
}

fn titles(units: &[Unit]) -> Vec<&str> {
    units.iter().map(|u| u.title.as_str()).collect()
}

fn grade(s: &str) -> Option<GradeRange> {
    GradeRange::parse(s)
}

/// The error message for `text` read as `name`.
fn err(name: &str, text: &str) -> String {
    match read_curriculum_str(Path::new(name), text) {
        Ok(u) => panic!("{name}: expected an error, got {} units", u.len()),
        Err(e) => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// unit lists

#[test]
fn khan_jsonl_lines_read_as_they_are() {
    let u = read("khan-sample.jsonl");
    assert_eq!(u.len(), 5);
    assert_eq!(u[0].id, "vertical_angles");
    assert_eq!(u[0].title, "Vertical angles");
    assert_eq!(u[0].text, "");
    assert_eq!(u[0].grade, grade("7"));
    assert_eq!(u[0].subject.as_deref(), Some("math"));
    assert_eq!(u[0].claimed, ["7.G.B.5"]);
    assert!(u[0].origin.ends_with("khan-sample.jsonl:1"), "{}", u[0].origin);
    assert_eq!(u[1].grade, grade("9-12"));
    assert_eq!(u[4].claimed, ["HSG-CO.B.7", "HSG-CO.B.8"]);
    assert!(u[4].origin.ends_with(":5"));
}

#[test]
fn mathfish_jsonl_lines_read_as_they_are() {
    let u = read("mathfish-sample.jsonl");
    assert_eq!(u.len(), 5);
    assert!(u.iter().all(|u| u.title.is_empty() && !u.text.is_empty()));
    assert_eq!(u[0].id, "im_lesson_005136");
    // Grades as the file writes them: `3/4`, `A-REI`, `8/G-CO`, `K`, `1/2/3/4/5/K`.
    let g: Vec<String> = u.iter().map(|u| u.grade.unwrap().to_string()).collect();
    assert_eq!(g, ["3-4", "9-12", "8-12", "K", "K-5"]);
    assert!(u[0].text.starts_with("Narrative This Number Talk"));
}

#[test]
fn csv_units_with_separators_and_case_insensitive_headers() {
    let u = read("units.csv");
    assert_eq!(u.len(), 5);
    assert_eq!(u[0].id, "u1");
    assert_eq!(u[0].text, "Students add fractions with like denominators.");
    assert_eq!(u[0].claimed, ["4.NF.B.3a", "4.NF.B.3d"]);
    assert_eq!(u[1].claimed, ["4.NF.A.2", "4.NF.A.1"]);
    assert_eq!(u[1].subject.as_deref(), Some("Math"));
    assert_eq!(u[2].id, "row-4");
    assert_eq!(u[2].grade, grade("K-5"));
    assert_eq!(u[2].claimed, ["5.MD.C.3", "5.MD.C.4"]);
    assert_eq!(u[3].title, "Ratios, rates, and percents");
    assert_eq!(u[3].text, "Use ratio reasoning; solve \"percent of\" problems.");
    assert_eq!(u[3].grade, grade("6-8"));
    assert!(u[3].claimed.is_empty());
    assert_eq!(u[4].grade, grade("HS"));
    assert!(u[4].origin.ends_with("units.csv:6"), "{}", u[4].origin);
}

#[test]
fn json_array_units() {
    let u = read("units.json");
    assert_eq!(u.len(), 3);
    assert_eq!(u[0].claimed, ["4.NF.B.3", "4.NF.B.4"]);
    assert!(u[0].origin.ends_with("units.json:2"), "{}", u[0].origin);
    assert_eq!(u[1].id, "2");
    assert_eq!(u[1].text, "Packing cubes");
    assert_eq!(u[1].grade, grade("5"));
    assert_eq!(u[1].claimed, ["5.MD.C.3", "5.MD.C.4"]);
    assert!(u[1].subject.is_none());
    assert_eq!(u[2].id, "row-6");
    assert_eq!(u[2].title, "No id here");
    assert_eq!(u[2].grade, grade("6-8"));
}

#[test]
fn jsonl_detected_in_json_and_extensionless_files() {
    let text = "{\"title\": \"A\", \"standards\": \"4.NF.3 4.NF.4\"}\n\n{\"title\": \"B\"}\n";
    for name in ["x.json", "x.jsonl", "x.ndjson", "x"] {
        let u = read_curriculum_str(Path::new(name), text).unwrap();
        assert_eq!(titles(&u), ["A", "B"], "{name}");
        assert_eq!(u[0].claimed, ["4.NF.3", "4.NF.4"]);
        assert_eq!(u[1].id, "row-3");
        assert_eq!(u[1].origin, format!("{name}:3"));
    }
}

#[test]
fn csv_sniffed_without_extension() {
    let u = read_curriculum_str(Path::new("units"), "id,title,grade,standards\n7,Area,3,3.MD.C.7\n").unwrap();
    assert_eq!(u[0].id, "7");
    assert_eq!(u[0].claimed, ["3.MD.C.7"]);
    assert_eq!(u[0].origin, "units:2");
}

// ---------------------------------------------------------------------------------------------
// unit list errors: every one names the file and the line

#[test]
fn jsonl_errors_name_file_and_line() {
    let e = err("bad.jsonl", "{\"title\": \"A\"}\n{\"title\": \"B\"\n");
    assert!(e.starts_with("bad.jsonl:2: malformed JSON"), "{e}");
    let e = err("bad.jsonl", "{\"title\": \"A\"}\n\n[1, 2]\n");
    assert_eq!(e, "bad.jsonl:3: expected a JSON object per line, found an array");
    let e = err("bad.jsonl", "{\"title\": \"A\"}\n{\"title\": 5}\n");
    assert_eq!(e, "bad.jsonl:2: field `title` must be a string, found a number");
    let e = err("bad.jsonl", "{\"title\": \"A\", \"standards\": [\"4.NF.3\", 7]}\n");
    assert_eq!(
        e,
        "bad.jsonl:1: field `standards` must be a list of strings, found a number in it"
    );
    let e = err("bad.jsonl", "{\"title\": \"A\", \"standards\": {\"a\": 1}}\n");
    assert_eq!(
        e,
        "bad.jsonl:1: field `standards` must be a string or a list of strings, found an object"
    );
    let e = err("bad.jsonl", "{\"id\": \"x\", \"title\": \"\", \"text\": \"  \"}\n");
    assert_eq!(e, "bad.jsonl:1: unit has neither a title nor a text/description");
    let e = err("bad.jsonl", "{\"title\": \"A\", \"grade\": \"thirteenth\"}\n");
    assert!(
        e.starts_with("bad.jsonl:1: field `grade`: not a grade or grade band: \"thirteenth\""),
        "{e}"
    );
    let e = err("bad.jsonl", "{\"title\": \"A\", \"grade\": true}\n");
    assert_eq!(e, "bad.jsonl:1: field `grade` must be a string, found a boolean");
}

#[test]
fn json_array_errors_name_file_and_line() {
    let e = err("bad.json", "[\n {\"title\": \"A\"},\n {\"title\": \"B\",}\n]");
    assert!(e.starts_with("bad.json:3: malformed JSON"), "{e}");
    let e = err("bad.json", "[\n {\"title\": \"A\"},\n\n \"just a string\"\n]");
    assert_eq!(e, "bad.json:4 at $[1]: expected a unit object, found a string");
    let e = err(
        "bad.json",
        "[\n {\"title\": \"A\"},\n {\"title\": \"B\",\n  \"subject\": [\"math\"]}\n]",
    );
    assert_eq!(
        e,
        "bad.json:3 at $[1].subject: field `subject` must be a string, found an array"
    );
    let e = err("bad.json", "[\n {\"title\": \"A\", \"grade\": \"13-14\"}\n]");
    assert!(e.starts_with("bad.json:2 at $[0].grade: field `grade`"), "{e}");
    let e = err("bad.json", "\n\n\"units\"");
    assert_eq!(e, "bad.json:3: expected a JSON array of unit objects, found a string");
    let e = err("bad.json", "[]");
    assert_eq!(e, "bad.json: no units in file");
}

#[test]
fn csv_errors_name_file_and_line() {
    let e = err("bad.csv", "id,name,grade\n1,Fractions,4\n");
    assert!(
        e.starts_with("bad.csv:1: missing required column `title` or `text`/`description`"),
        "{e}"
    );
    let e = err("bad.csv", "id,title,grade\n1,Fractions,4\n2,Decimals,grade thirteen\n");
    assert!(e.starts_with("bad.csv:3: field `grade`: not a grade"), "{e}");
    let e = err("bad.csv", "id,title,text\n1,Fractions,x\n2,,\n");
    assert_eq!(e, "bad.csv:3: unit has neither a title nor a text/description");
    let e = err("bad.csv", "id,title,grade\n1,Adding, subtracting,4\n");
    assert!(e.starts_with("bad.csv:2: row has 4 cells but the header has 3"), "{e}");
    let e = err("bad.csv", "id,title\n1,\"unterminated\n");
    assert!(e.starts_with("bad.csv:"), "{e}");
    let e = err("bad.csv", "id,title\n");
    assert_eq!(e, "bad.csv: no units in file");
}

#[test]
fn empty_and_entry_less_files_are_errors() {
    let e = read_curriculum(&data("missing-file.txt")).unwrap_err().to_string();
    assert!(e.contains("missing-file.txt"), "{e}");
    assert_eq!(err("e.md", "\n \n"), "e.md: file is empty");
    assert_eq!(err("e.csv", ""), "e.csv: file is empty");
    assert_eq!(
        err("e.txt", "Table of Contents\n\n   12\nGlossary ..... 300\n"),
        "e.txt: no table-of-contents entries found"
    );
}

// ---------------------------------------------------------------------------------------------
// tables of contents

#[test]
fn toc_chapters_decimal_numbers_leaders_pages_and_codes() {
    let u = read("chapters.txt");
    let ids: Vec<&str> = u.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "chapter-1",
            "1.1",
            "1.2",
            "1.3",
            "1.4",
            "chapter-2",
            "2.1",
            "2.1.1",
            "2.1.2",
            "2.2",
            "chapter-3",
            "3.1"
        ]
    );
    assert_eq!(
        titles(&u),
        [
            "Place Value",
            "Powers of ten",
            "Comparing decimals",
            "Rounding decimals",
            "Decimal expanded form",
            "Fractions",
            "Adding fractions",
            "Like denominators",
            "Unlike denominators",
            "Fraction word problems",
            "Volume",
            "Volume of prisms",
        ]
    );
    let parents: Vec<Option<usize>> = u.iter().map(|u| u.parent).collect();
    assert_eq!(
        parents,
        [
            None,
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            None,
            Some(5),
            Some(6),
            Some(6),
            Some(5),
            None,
            Some(10)
        ]
    );
    assert_eq!(by_id(&u, "2.1.1").context, ["Fractions", "Adding fractions"]);
    assert_eq!(by_id(&u, "2.1").claimed, ["5.NF.A.1"]);
    assert_eq!(by_id(&u, "2.2").claimed, ["5.NF.A.2", "5.NF.B.3"]);
    assert_eq!(by_id(&u, "3.1").claimed, ["5.MD.C.5"]);
    assert!(u.iter().all(|u| u.grade == grade("5")));
    assert!(by_id(&u, "1.1").origin.ends_with("chapters.txt:5"));
    assert!(by_id(&u, "chapter-3").origin.ends_with("chapters.txt:14"));
}

#[test]
fn toc_modules_topics_lessons_without_indentation() {
    let u = read("modules.txt");
    let got: Vec<(&str, &str, Option<usize>)> = u.iter().map(|u| (u.id.as_str(), u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("module-4", "Multiplication and Division", None),
            ("module-4/topic-a", "Place Value Understanding", Some(0)),
            (
                "module-4/topic-a/lesson-1",
                "Interpret multiplication as scaling",
                Some(1)
            ),
            ("module-4/topic-a/lesson-2", "Multiply by multiples of 10", Some(1)),
            ("entry-5", "Mid-Topic Assessment", Some(1)),
            ("module-4/topic-b", "Division", Some(0)),
            ("module-4/topic-b/lesson-3", "Divide with remainders", Some(5)),
            ("module-4/topic-b/lesson-4", "Solve division word problems", Some(5)),
            ("module-5", "Fractions", None),
            ("module-5/topic-a", "Equivalence", Some(8)),
            (
                "module-5/topic-a/lesson-1",
                "Equivalent fractions with area models",
                Some(9)
            ),
        ]
    );
    assert_eq!(u[7].claimed, ["4.OA.A.3"]);
    assert_eq!(u[10].context, ["Fractions", "Equivalence"]);
    assert!(u.iter().all(|u| u.grade.is_none() && u.subject.is_none()));
}

#[test]
fn toc_indentation_with_tabs_and_spaces_and_metadata_lines() {
    let u = read("indented.txt");
    let got: Vec<(&str, Option<usize>)> = u.iter().map(|u| (u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("Structure of Matter", None),
            ("Atoms and molecules", Some(0)),
            ("Pure substances and mixtures", Some(0)),
            ("Properties of mixtures", Some(2)),
            ("Energy", None),
            ("Kinetic energy", Some(4)),
            ("Potential energy", Some(4)),
        ]
    );
    assert_eq!(u[1].claimed, ["MS-PS1-1"]);
    assert_eq!(u[5].claimed, ["MS-PS3-1"]);
    assert_eq!(u[3].context, ["Structure of Matter", "Pure substances and mixtures"]);
    assert_eq!(u[0].id, "entry-1");
    assert!(u
        .iter()
        .all(|u| u.grade == grade("6-8") && u.subject.as_deref() == Some("science")));
}

#[test]
fn toc_units_lessons_parts_and_review_lines() {
    let u = read("units-lessons.txt");
    let got: Vec<(&str, &str, Option<usize>)> = u.iter().map(|u| (u.id.as_str(), u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("unit-1", "Ratios", None),
            ("unit-1/lesson-1", "Introducing ratios", Some(0)),
            ("unit-1/lesson-2", "Equivalent ratios", Some(0)),
            ("unit-2", "Percentages", None),
            ("unit-2/lesson-1", "Percent of a number", Some(3)),
            ("entry-6", "Unit 2 Test", Some(3)),
            ("part-a", "Review", None),
            ("part-b", "Enrichment", None),
        ]
    );
}

#[test]
fn toc_markdown_headings_lists_front_matter_and_prose() {
    let u = read("outline.md");
    let got: Vec<(&str, &str, Option<usize>)> = u.iter().map(|u| (u.id.as_str(), u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("unit-1", "Rigid Transformations", None),
            ("unit-1/section-a", "Moving in the Plane", Some(0)),
            ("1", "Moving in the plane", Some(1)),
            ("2", "Naming the moves", Some(1)),
            ("entry-5", "Practice: Rotation patterns", Some(3)),
            ("entry-6", "Practice: Reflections", Some(3)),
            ("unit-1/section-b", "Rigid Transformations", Some(0)),
            ("unit-1/section-b/lesson-3", "Rigid transformations", Some(6)),
            ("unit-1/section-b/lesson-4", "Congruence", Some(6)),
            ("unit-2", "Dilations", None),
            ("entry-11", "Similarity", Some(9)),
            ("entry-12", "Similar triangles", Some(10)),
            ("entry-13", "Side lengths", Some(11)),
            ("entry-14", "Slope", Some(10)),
        ]
    );
    assert_eq!(
        u[0].text,
        "In this unit students describe translations, rotations, and reflections."
    );
    assert_eq!(u[2].claimed, ["8.G.A.1"]);
    assert_eq!(u[5].claimed, ["8.G.A.1a", "8.G.A.1b"]);
    assert_eq!(u[12].context, ["Dilations", "Similarity", "Similar triangles"]);
    assert!(u.iter().all(|u| u.grade == grade("8")));
}

#[test]
fn toc_grade_from_title_line_and_caller_override() {
    let text = "Grade 4 Mathematics\nContents\nChapter 1 Numbers ..... 1\n1.1 Place value ..... 2\n";
    let u = read_toc(Path::new("g.txt"), text).unwrap();
    assert_eq!(u.len(), 2);
    assert_eq!(u[0].grade, grade("4"));
    assert_eq!(u[0].subject.as_deref(), Some("math"));
    let o = TocOptions {
        grade: grade("5"),
        subject: Some("ela".into()),
        markdown: None,
    };
    let u = read_toc_with(Path::new("g.txt"), text, &o).unwrap();
    assert!(u
        .iter()
        .all(|u| u.grade == grade("5") && u.subject.as_deref() == Some("ela")));
    let o = CurriculumOptions {
        grade: grade("K"),
        ..Default::default()
    };
    let u = read_curriculum_str_with(Path::new("g.txt"), "Unit 1 Counting\n", &o).unwrap();
    assert_eq!(u[0].grade, grade("K"));
    // A page-numbered line that mentions a grade is an entry, not a title line.
    let u = read_toc(
        Path::new("g.txt"),
        "Review of grade 3 skills ..... 2\nChapter 1 Numbers\n",
    )
    .unwrap();
    assert_eq!(u[0].title, "Review of grade 3 skills");
    assert_eq!(u[0].grade, None);
}

#[test]
fn toc_kind_can_be_forced() {
    let o = CurriculumOptions {
        kind: Some(CurriculumKind::Toc),
        ..Default::default()
    };
    let u = read_curriculum_str_with(Path::new("x.csv"), "Lesson 1: Title, with a comma\n", &o).unwrap();
    assert_eq!(u[0].id, "lesson-1");
    assert_eq!(u[0].title, "Title, with a comma");
    let o = CurriculumOptions {
        kind: Some(CurriculumKind::Units(UnitsFormat::Csv)),
        ..Default::default()
    };
    let u = read_curriculum_str_with(Path::new("x.txt"), "title\nA\n", &o).unwrap();
    assert_eq!(u[0].title, "A");
}

#[test]
fn toc_markdown_ids_unique_when_lessons_restart() {
    let text = "## Unit 1\n- Lesson 1: A\n- Lesson 2: B\n## Unit 2\n- Lesson 1: C\n1. D\n2. E\n## Unit 3\n1. F\n";
    let u = read_toc(Path::new("m.md"), text).unwrap();
    let ids: Vec<&str> = u.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "unit-1",
            "unit-1/lesson-1",
            "unit-1/lesson-2",
            "unit-2",
            "unit-2/lesson-1",
            "1",
            "2",
            "unit-3",
            "1-2"
        ]
    );
    assert_eq!(u[8].parent, Some(7));
}

#[test]
fn toc_book_title_lines_hyphen_numbers_and_tab_columns() {
    let text = "enVision Mathematics\nGrade 4 Volume 1\n\nTOPIC 5  Divide by 1-Digit Numbers\n\
                5-1 Mental Math: Find Quotients ..... 175\n5-2 Interpret Remainders ..... 187\n\
                Topic 5 Assessment Practice ..... 213\nTOPIC 6  Solve Problems\n6-1 Comparison Problems ..... 229\n";
    let u = read_toc(Path::new("envision.txt"), text).unwrap();
    let got: Vec<(&str, &str, Option<usize>)> = u.iter().map(|u| (u.id.as_str(), u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("topic-5", "Divide by 1-Digit Numbers", None),
            ("5.1", "Mental Math: Find Quotients", Some(0)),
            ("5.2", "Interpret Remainders", Some(0)),
            ("entry-4", "Topic 5 Assessment Practice", Some(0)),
            ("topic-6", "Solve Problems", None),
            ("6.1", "Comparison Problems", Some(4)),
        ]
    );
    assert!(u
        .iter()
        .all(|u| u.grade == grade("4") && u.subject.as_deref() == Some("math")));

    let text = "Contents\n\nUnit 1\tPlace Value\t1\n\tLesson 1\tRead and write numbers\t2\n\
                \tLesson 2\tCompare numbers\t8\nUnit 2\tAddition\t15\n\tLesson 1\tAdd with regrouping\t16\n";
    let u = read_toc(Path::new("tabs.txt"), text).unwrap();
    let got: Vec<(&str, &str, Option<usize>)> = u.iter().map(|u| (u.id.as_str(), u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("unit-1", "Place Value", None),
            ("unit-1/lesson-1", "Read and write numbers", Some(0)),
            ("unit-1/lesson-2", "Compare numbers", Some(0)),
            ("unit-2", "Addition", None),
            ("unit-2/lesson-1", "Add with regrouping", Some(3)),
        ]
    );
}

#[test]
fn toc_unnumbered_lessons_under_flush_left_chapters() {
    let text = "Math in Focus\n\nChapter 1 Whole Numbers\nRecall Prior Knowledge ....... 2\n\
                Numbers to 100,000 ....... 6\nChapter 2 Estimation\nRounding ....... 38\n";
    let u = read_toc(Path::new("mif.txt"), text).unwrap();
    let got: Vec<(&str, Option<usize>)> = u.iter().map(|u| (u.title.as_str(), u.parent)).collect();
    assert_eq!(
        got,
        [
            ("Whole Numbers", None),
            ("Recall Prior Knowledge", Some(0)),
            ("Numbers to 100,000", Some(0)),
            ("Estimation", None),
            ("Rounding", Some(3)),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// shipped examples

#[test]
fn example_grade4_toc() {
    let u = read_curriculum(&example("grade4-math-toc.txt")).unwrap();
    assert_eq!(u.len(), 33);
    assert_eq!(u.iter().filter(|u| u.parent.is_none()).count(), 6);
    assert!(u
        .iter()
        .all(|u| u.grade == grade("4") && u.subject.as_deref() == Some("math")));
    let l = by_id(&u, "3.6");
    assert_eq!(l.title, "Adding and subtracting mixed numbers with like denominators");
    assert_eq!(l.claimed, ["4.NF.B.3c"]);
    assert_eq!(l.context, ["Fractions"]);
    let r = u.iter().find(|u| u.title == "Chapter 3 Review").unwrap();
    assert_eq!(r.parent, u.iter().position(|u| u.id == "chapter-3"));
    assert_eq!(u.iter().filter(|u| !u.claimed.is_empty()).count(), 17);
    assert!(!u
        .iter()
        .any(|u| u.title.contains("Glossary") || u.title.contains("Index")));
}

#[test]
fn example_grade7_toc() {
    let u = read_curriculum(&example("grade7-math-toc.md")).unwrap();
    assert_eq!(u.len(), 46);
    assert_eq!(u.iter().filter(|u| u.parent.is_none()).count(), 5);
    assert!(u
        .iter()
        .all(|u| u.grade == grade("7") && u.subject.as_deref() == Some("math")));
    let v = u.iter().find(|u| u.title == "Vertical angles").unwrap();
    assert_eq!(v.context, ["Geometry", "Circles and Angles", "Angle relationships"]);
    assert_eq!(by_id(&u, "unit-1/topic-b/lesson-6").claimed, ["7.RP.A.3", "7.EE.B.3"]);
    assert!(u[0].text.starts_with("Students compute unit rates"));
}

#[test]
fn example_grade3_units() {
    let u = read_curriculum(&example("grade3-units.csv")).unwrap();
    assert_eq!(u.len(), 34);
    assert!(u.iter().all(|u| u.grade == grade("3")));
    assert_eq!(u.iter().filter(|u| u.title.is_empty()).count(), 9);
    let eq = by_id(&u, "ka-equivalent-fraction-models-1");
    assert_eq!(eq.claimed, ["3.NF.A.3", "3.NF.A.3a", "3.NF.A.3b"]);
}

/// Defect D16: a unit kept every ancestor's title as context, so an outline n levels deep cost
/// n² titles. Now it keeps the nearest few, and a very deep outline is read whole.
#[test]
fn a_very_deep_toc_is_read_whole_with_bounded_context() {
    const DEPTH: usize = 3_000;
    // Each line indented one column more than the one before, numbered `1.` .. `99.` and again.
    let text: String = (0..DEPTH)
        .map(|i| format!("{}{}. Step {i}\n", " ".repeat(i), i % 99 + 1))
        .collect();
    let u = read_toc(Path::new("deep.txt"), &text).unwrap();
    assert_eq!(u.len(), DEPTH);
    for (i, unit) in u.iter().enumerate() {
        assert_eq!(unit.title, format!("Step {i}"));
        assert_eq!(unit.parent, i.checked_sub(1), "{}", unit.title);
        // The nearest ancestors, outermost first, at most 4 of them.
        let want: Vec<String> = (i.saturating_sub(4)..i).map(|a| format!("Step {a}")).collect();
        assert_eq!(unit.context, want, "{}", unit.title);
    }
    let total: usize = u.iter().map(|u| u.context.len()).sum();
    assert!(total <= 4 * DEPTH, "{total} context titles");
}
