//! Standards readers on the real shipped files (data/standards/), on excerpts of real files for the
//! formats not shipped (tests/data/standards/), and on malformed input.

use aligner::ingest::standards::{detect, read_framework, read_framework_str, Format};
use aligner::model::{Framework, Grade, Kind, Standard};
use aligner::Error;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/standards").join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/standards")
        .join(name)
}

fn read(path: &Path) -> Framework {
    let fw = read_framework(path, None).unwrap_or_else(|e| panic!("{e}"));
    check_invariants(&fw);
    fw
}

/// What every reader promises: non-empty unique uris, parents before children, children lists
/// consistent with parents, grades sorted and deduplicated, clean text.
fn check_invariants(fw: &Framework) {
    let mut uris = HashSet::new();
    for (i, s) in fw.standards.iter().enumerate() {
        assert!(!s.uri.trim().is_empty(), "node {i} has no uri");
        assert!(uris.insert(s.uri.as_str()), "uri {} repeats", s.uri);
        if let Some(p) = s.parent {
            assert!(p < i, "{} comes before its parent", s.uri);
            assert!(fw.standards[p].children.contains(&i));
        }
        for &c in &s.children {
            assert_eq!(fw.standards[c].parent, Some(i));
        }
        assert!(
            s.grades.windows(2).all(|w| w[0] < w[1]),
            "{} grades {:?}",
            s.uri,
            s.grades
        );
        assert!(!s.text.is_empty(), "{} has no text", s.uri);
        for bad in [
            "&lt;", "&gt;", "&quot;", "&amp;", "&#", "<sup>", "</sup>", "<br", "<li>", "<ul>", "  ",
        ] {
            assert!(!s.text.contains(bad), "{} text has {bad:?}: {}", s.uri, s.text);
            for n in &s.notes {
                assert!(!n.text.contains(bad), "{} note has {bad:?}: {}", s.uri, n.text);
            }
        }
        assert_eq!(s.text, s.text.trim());
    }
}

fn count(fw: &Framework, kind: Kind) -> usize {
    fw.standards.iter().filter(|s| s.kind == kind).count()
}

fn by_code<'a>(fw: &'a Framework, code: &str) -> &'a Standard {
    let found: Vec<&Standard> = fw
        .standards
        .iter()
        .filter(|s| s.code.as_deref() == Some(code))
        .collect();
    assert_eq!(found.len(), 1, "code {code} found {} times", found.len());
    found[0]
}

fn g(n: i8) -> Grade {
    Grade(n)
}

fn grades(lo: i8, hi: i8) -> Vec<Grade> {
    (lo..=hi).map(Grade).collect()
}

fn input_error(e: Error) -> String {
    match e {
        Error::Input { .. } => e.to_string(),
        other => panic!("expected an input error, got {other:?}"),
    }
}

// ------------------------------------------------------------------------------------------------
// ASN JSON: CCSS

#[test]
fn ccss_math_counts() {
    let fw = read(&shipped("ccss_math_D10003FB.json"));
    assert_eq!(fw.id, "ccss-math");
    assert_eq!(fw.jurisdiction, "CCSS");
    assert_eq!(fw.subject, "math");
    assert!(fw.license.contains("National Governors Association") && fw.license.contains("JES & Co."));
    assert!(fw.source.contains("http://asn.jesandco.org/resources/D10003FB"));
    assert_eq!(fw.standards.len(), 703);
    assert_eq!(count(&fw, Kind::Domain), 33);
    assert_eq!(count(&fw, Kind::Cluster), 147);
    assert_eq!(count(&fw, Kind::Standard), 385);
    assert_eq!(count(&fw, Kind::Practice), 8);
    assert_eq!(count(&fw, Kind::Component), 124);
    assert_eq!(count(&fw, Kind::Grouping), 6);

    // Content standards per grade; high school as one band.
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for s in fw.standards.iter().filter(|s| s.kind == Kind::Standard) {
        if s.grades.iter().any(|g| g.0 >= 9) {
            *per.entry("HS".into()).or_default() += 1;
        }
        for gr in s.grades.iter().filter(|g| g.0 < 9) {
            *per.entry(gr.label()).or_default() += 1;
        }
    }
    let expect = [
        ("K", 22),
        ("1", 21),
        ("2", 26),
        ("3", 25),
        ("4", 28),
        ("5", 26),
        ("6", 29),
        ("7", 24),
        ("8", 28),
        ("HS", 156),
    ];
    for (k, n) in expect {
        assert_eq!(per.get(k).copied(), Some(n), "grade {k}");
    }
    assert_eq!(per.len(), expect.len());
}

#[test]
fn ccss_math_nodes() {
    let fw = read(&shipped("ccss_math_D10003FB.json"));
    let s = by_code(&fw, "4.NF.B.3");
    assert_eq!(s.kind, Kind::Standard);
    assert_eq!(s.uri, "urn:guid:1195E43626BF4A6B8AA96AF62AFB4283");
    assert!(s.alt_codes.contains(&"4.NF.3".to_string()));
    assert!(s.alt_codes.contains(&"CCSS.Math.Content.4.NF.B.3".to_string()));
    assert_eq!(s.grades, vec![g(4)]);
    let parent = &fw.standards[s.parent.unwrap()];
    assert_eq!((parent.kind, parent.code.as_deref()), (Kind::Cluster, Some("4.NF.B")));
    assert_eq!(s.children.len(), 4, "4.NF.B.3 has components a-d");
    let a = &fw.standards[s.children[0]];
    assert_eq!((a.kind, a.code.as_deref()), (Kind::Component, Some("4.NF.B.3a")));

    let hs = by_code(&fw, "HSA-REI.B.3");
    assert_eq!(hs.grades, grades(9, 12));
    let mp = by_code(&fw, "MP1");
    assert_eq!(mp.kind, Kind::Practice);
    assert!(mp.alt_codes.contains(&"MP.1".to_string()));
    assert_eq!(mp.notes[0].kind, "comment");
    assert!(mp.notes[0].text.contains("\"Does this make sense?\""));
    assert!(fw.standards.iter().any(|s| s.notes.iter().any(|n| n.kind == "example")));

    // Entities and <sup> tags are gone from the text.
    let star = fw.standards.iter().find(|s| s.text.starts_with("Quantities")).unwrap();
    assert_eq!(star.text, "Quantities★");

    // ASN gives the 5.MD.B cluster the notation and GUID of standard 5.MD.B.2.
    let std = by_code(&fw, "5.MD.B.2");
    assert_eq!(std.kind, Kind::Standard);
    assert_eq!(std.uri, "urn:guid:055D92F32A6F4AEC83D80FA8E4578507");
    let cluster = &fw.standards[std.parent.unwrap()];
    assert_eq!(cluster.code.as_deref(), Some("5.MD.B"));
    assert_eq!(cluster.uri, "http://asn.jesandco.org/resources/S2390253");
}

#[test]
fn ccss_ela_counts() {
    let fw = read(&shipped("ccss_ela_D10003FC.json"));
    assert_eq!(fw.id, "ccss-ela");
    assert_eq!(fw.subject, "ela");
    assert_eq!(fw.standards.len(), 1084);
    // 575 "Standard" nodes: 542 grade-level standards and 33 anchor standards (CCRA.L.6 twice).
    assert_eq!(count(&fw, Kind::Standard), 542);
    assert_eq!(count(&fw, Kind::Practice), 33);
    assert_eq!(count(&fw, Kind::Component), 445);
    assert_eq!(count(&fw, Kind::Cluster), 46);
    // 13 strands and the 5 placeholders.
    assert_eq!(count(&fw, Kind::Grouping), 18);
    let placeholders: Vec<&Standard> = fw
        .standards
        .iter()
        .filter(|s| s.label.as_deref() == Some("Placeholder"))
        .collect();
    assert_eq!(placeholders.len(), 5);
    assert!(placeholders
        .iter()
        .all(|s| s.kind == Kind::Grouping && s.children.is_empty() && s.code.is_none()));
    assert!(placeholders.iter().any(|s| s.text == "(Begins in grade 3)"));
    let leaves = fw
        .standards
        .iter()
        .filter(|s| s.children.is_empty() && matches!(s.kind, Kind::Standard | Kind::Practice | Kind::Component))
        .count();
    assert_eq!(leaves, 904, "909 leaves less the 5 placeholders");

    let rl = by_code(&fw, "RL.K.1");
    assert!(rl.uri.starts_with("urn:guid:"));
    assert_eq!(rl.grades, vec![Grade::K]);
    assert_eq!(by_code(&fw, "W.5.3c").kind, Kind::Component);
    assert_eq!(by_code(&fw, "CCRA.R.1").kind, Kind::Practice);
    assert_eq!(by_code(&fw, "RST.9-10.6").grades, vec![g(9), g(10)]);
    assert!(!fw.standards.iter().any(|s| s.text.contains("&quot;")));
}

// ------------------------------------------------------------------------------------------------
// ASN RDF/XML: NGSS

#[test]
fn ngss_counts() {
    let fw = read(&shipped("NextGenScience.xml"));
    assert_eq!(fw.id, "ngss");
    assert_eq!(fw.jurisdiction, "NGSS");
    assert_eq!(fw.subject, "science");
    assert_eq!(fw.title, "Next Generation Science Standards");
    assert!(fw.license.contains("Achieve") && fw.license.contains("JES & Co."));

    // 207 labelled expectations plus HS-PS2-1, which the export labels "Benchmark".
    let pes: Vec<&Standard> = fw
        .standards
        .iter()
        .filter(|s| s.kind == Kind::PerformanceExpectation)
        .collect();
    assert_eq!(pes.len(), 208);
    assert_eq!(
        pes.iter()
            .filter(|s| s.label.as_deref() == Some("Performance Expectation"))
            .count(),
        207
    );
    let bench = by_code(&fw, "HS-PS2-1");
    assert_eq!(bench.label.as_deref(), Some("Benchmark"));
    assert_eq!(bench.kind, Kind::PerformanceExpectation);

    let mut first_grade: BTreeMap<i8, usize> = BTreeMap::new();
    for s in &pes {
        *first_grade.entry(s.grades[0].0).or_default() += 1;
    }
    let expect = [(0, 13), (1, 9), (2, 11), (3, 18), (4, 14), (5, 13), (6, 59), (9, 71)];
    assert_eq!(first_grade, expect.into_iter().collect::<BTreeMap<_, _>>());
    assert!(pes
        .iter()
        .filter(|s| s.code.as_deref().unwrap().starts_with("MS-"))
        .all(|s| s.grades == grades(6, 8)));
    assert!(pes
        .iter()
        .filter(|s| s.code.as_deref().unwrap().starts_with("HS-"))
        .all(|s| s.grades == grades(9, 12)));

    assert_eq!(count(&fw, Kind::Topic), 61);
    assert_eq!(count(&fw, Kind::Element), 576);
    // The 740 unlabeled statements: 576 elements, 103 headings above them, and the 61
    // "Students who demonstrate understanding can:" nodes, which are dropped.
    assert_eq!(count(&fw, Kind::Grouping), 103);
    assert!(!fw
        .standards
        .iter()
        .any(|s| s.text.starts_with("Students who demonstrate")));
    assert_eq!(fw.standards.len(), 1009 - 61);

    let notes = |kind: &str| pes.iter().filter(|s| s.notes.iter().any(|n| n.kind == kind)).count();
    assert_eq!(notes("clarification"), 176);
    assert_eq!(notes("assessment_boundary"), 126);
    let assoc = |kind: &str| {
        pes.iter()
            .map(|s| s.associations.iter().filter(|a| a.kind == kind).count())
            .sum::<usize>()
    };
    // 916 alignTo links on the 207 expectations (one repeated on HS-ESS1-6) and 16 on HS-PS2-1.
    assert_eq!(assoc("alignTo"), 915 + 16);
    assert_eq!(assoc("comprisedOf"), 878);
}

#[test]
fn ngss_expectation() {
    let fw = read(&shipped("NextGenScience.xml"));
    let pe = by_code(&fw, "K-PS2-1");
    assert_eq!(pe.uri, "http://asn.jesandco.org/resources/S2454351");
    let topic = &fw.standards[pe.parent.unwrap()];
    assert_eq!((topic.kind, topic.code.as_deref()), (Kind::Topic, Some("K-PS2")));
    assert_eq!(pe.notes.len(), 2);
    assert_eq!(pe.notes[0].kind, "clarification");
    assert!(pe.notes[0].text.starts_with("Examples of pushes or pulls"));
    assert_eq!(pe.notes[1].kind, "assessment_boundary");
    assert!(pe.notes[1].text.starts_with("Assessment is limited"));
    let align: Vec<&str> = pe
        .associations
        .iter()
        .filter(|a| a.kind == "alignTo")
        .map(|a| a.target.as_str())
        .collect();
    assert_eq!(
        align,
        [
            "http://corestandards.org/ELA-Literacy/W/K/7",
            "http://corestandards.org/Math/Practice/MP2",
            "http://corestandards.org/Math/Content/K/MD/A/1",
            "http://corestandards.org/Math/Content/K/MD/A/2",
        ]
    );
    let elements: Vec<&Standard> = pe
        .associations
        .iter()
        .filter(|a| a.kind == "comprisedOf")
        .map(|a| fw.standards.iter().find(|s| s.uri == a.target).unwrap())
        .collect();
    assert_eq!(elements.len(), 7);
    assert!(elements.iter().all(|e| e.kind == Kind::Element));

    // A clarification and a boundary bracketed into one comment are split.
    let both = by_code(&fw, "1-PS4-3");
    assert_eq!(
        both.notes.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(),
        ["clarification", "assessment_boundary"]
    );
    assert!(!both.notes[0].text.contains(']'));
}

// ------------------------------------------------------------------------------------------------
// ASN RDF/JSON: state sets

#[test]
fn dc_math_counts() {
    let fw = read(&shipped("DC-math.json"));
    assert_eq!(fw.id, "dc-math");
    assert_eq!(fw.jurisdiction, "District of Columbia");
    assert_eq!(fw.title, "Mathematics Standards");
    assert!(fw.license.contains("JES & Co."));
    let leaves: Vec<&Standard> = fw.standards.iter().filter(|s| s.children.is_empty()).collect();
    assert_eq!(leaves.len(), 511);
    assert!(leaves.iter().all(|s| s.kind == Kind::Standard && s.code.is_some()));
    let s = by_code(&fw, "PK.NSO.1");
    assert_eq!(s.grades, vec![Grade::PK]);
    assert!(s.alt_codes.contains(&"PK.NSO.1.".to_string()));
    // Children follow the publisher's hasChild order.
    let parent = &fw.standards[s.parent.unwrap()];
    let codes: Vec<&str> = parent
        .children
        .iter()
        .take(3)
        .map(|&c| fw.standards[c].code.as_deref().unwrap())
        .collect();
    assert_eq!(codes, ["PK.NSO.1", "PK.NSO.2", "PK.NSO.3"]);
    assert_eq!(parent.text, "Number Sense");
}

#[test]
fn dc_english_counts() {
    let fw = read(&shipped("DC-english.json"));
    assert_eq!(fw.id, "dc-ela");
    assert_eq!(fw.subject, "ela");
    assert_eq!(fw.standards.iter().filter(|s| s.children.is_empty()).count(), 747);
    assert_eq!(count(&fw, Kind::Standard), 680);
    assert_eq!(count(&fw, Kind::Component), 78);
    // HTML lists in the statements are flattened.
    assert!(fw
        .standards
        .iter()
        .any(|s| s.text.starts_with("Spell words with regular patterns")));
}

#[test]
fn md_math_codes_split_from_text() {
    let fw = read(&shipped("MD-math.json"));
    assert_eq!(fw.id, "md-math");
    assert_eq!(fw.jurisdiction, "Maryland");
    assert_eq!(fw.standards.len(), 1269 - 287);
    // The 838 published leaves include 287 assessment-limit bullets, now notes of their objective.
    let limits: usize = fw
        .standards
        .iter()
        .map(|s| s.notes.iter().filter(|n| n.kind == "assessment_boundary").count())
        .sum();
    assert_eq!(limits, 287);
    assert_eq!(count(&fw, Kind::Standard) + count(&fw, Kind::Component), 950);
    assert!(fw
        .standards
        .iter()
        .filter(|s| s.kind.is_alignable())
        .all(|s| s.code.is_some()));

    let top = &fw.standards[0];
    assert_eq!(top.code.as_deref(), Some("1.0"));
    assert!(top.text.starts_with("KNOWLEDGE OF ALGEBRA"));
    let topic = &fw.standards[top.children[0]];
    assert_eq!(
        (topic.code.as_deref(), topic.text.as_str()),
        (Some("1.A"), "Patterns and Functions")
    );
    let indicator = &fw.standards[topic.children[0]];
    assert_eq!(indicator.code.as_deref(), Some("1.A.2"));
    assert_eq!(indicator.kind, Kind::Standard);
    let objective = &fw.standards[indicator.children[0]];
    assert_eq!(objective.code.as_deref(), Some("1.A.2.a"));
    assert_eq!(objective.alt_codes, ["a)"]);
    assert_eq!(objective.kind, Kind::Component);
    assert!(objective.text.starts_with("Match patterns kinesthetically"));
    let with_limit = fw
        .standards
        .iter()
        .find(|s| s.text == "Represent and analyze numeric patterns using skip counting" && s.grades == vec![g(3)])
        .unwrap();
    assert_eq!(
        with_limit.notes[0].text,
        "Use 2, 5, 10, or 100 starting with any whole number (0 – 1000)"
    );
    assert!(with_limit.children.is_empty());
}

#[test]
fn pa_math_codes_split_from_text() {
    let fw = read(&shipped("PA-math.json"));
    assert_eq!(fw.id, "pa-math");
    assert_eq!(fw.jurisdiction, "Pennsylvania");
    assert_eq!(count(&fw, Kind::Standard), 279);
    assert_eq!(count(&fw, Kind::Grouping), 11);
    let s = by_code(&fw, "2.1.3.A");
    assert!(s.text.starts_with("Count using whole numbers"));
    assert_eq!(s.grades, grades(0, 3));
    assert_eq!(fw.standards[s.parent.unwrap()].code.as_deref(), Some("2.1"));
    let d = by_code(&fw, "2.2.5.D");
    assert_eq!(d.alt_codes, ["2.2.5.D."]);
    assert_eq!(d.text, "Demonstrate the ability to round numbers.");
}

// ------------------------------------------------------------------------------------------------
// CASE

#[test]
fn case_early_form_excerpt() {
    let path = fixture("case_math_excerpt.json");
    assert_eq!(
        detect(&path, &std::fs::read_to_string(&path).unwrap()).unwrap(),
        Format::Case
    );
    let fw = read(&path);
    assert_eq!(fw.id, "common-core-state-standards-for-mathematics");
    assert_eq!(fw.jurisdiction, "CCSS");
    assert_eq!(fw.subject, "math");
    assert!(fw.license.contains("National Governors Association"));
    assert_eq!(fw.standards.len(), 21);
    assert_eq!(count(&fw, Kind::Domain), 1);
    assert_eq!(count(&fw, Kind::Cluster), 3);
    assert_eq!(count(&fw, Kind::Standard), 7);
    assert_eq!(count(&fw, Kind::Practice), 2);
    assert_eq!(count(&fw, Kind::Component), 7);
    assert_eq!(count(&fw, Kind::Grouping), 1);
    let s = by_code(&fw, "4.NF.B.3");
    assert_eq!(s.alt_codes, ["CCSS.Math.Content.4.NF.B.3"]);
    assert_eq!(s.grades, vec![g(4)]);
    assert_eq!(fw.standards[s.parent.unwrap()].code.as_deref(), Some("4.NF.B"));
    let kids: Vec<&str> = s
        .children
        .iter()
        .map(|&c| fw.standards[c].code.as_deref().unwrap())
        .collect();
    assert_eq!(kids, ["4.NF.B.3a", "4.NF.B.3b", "4.NF.B.3c", "4.NF.B.3d"]);
    assert_eq!(by_code(&fw, "MP1").kind, Kind::Practice);
    assert!(fw.standards.iter().any(|s| s.notes.iter().any(|n| n.kind == "example")));
}

#[test]
fn case_1_0_framework() {
    let fw = read(&fixture("opensalt-framework-20c5134f-423d-4097-a971-3dd5152bf507.json"));
    assert_eq!(fw.id, "what-standards-could-be");
    assert_eq!(fw.title, "What Standards Could Be");
    assert_eq!(fw.jurisdiction, "Brandon Dorman");
    assert_eq!(fw.subject, "math");
    assert_eq!(fw.standards.len(), 16);
    assert_eq!(
        (
            count(&fw, Kind::Cluster),
            count(&fw, Kind::Standard),
            count(&fw, Kind::Component)
        ),
        (2, 6, 8)
    );
    // sequenceNumber puts 6.RP.A before 7.RP.A.
    assert_eq!(fw.standards[0].code.as_deref(), Some("6.RP.A"));
    assert_eq!(fw.standards[0].uri, "edfce0e7-dbbf-40d5-af1a-baccabef85e9");
    let order: Vec<&str> = fw.standards.iter().map(|s| s.code.as_deref().unwrap()).collect();
    assert_eq!(
        &order[..7],
        [
            "6.RP.A",
            "6.RP.A.1",
            "6.RP.A.2",
            "6.RP.A.3",
            "6.RP.A.3a",
            "6.RP.A.3b",
            "6.RP.A.3c"
        ]
    );
    let kinds: BTreeMap<&str, usize> =
        fw.standards
            .iter()
            .flat_map(|s| &s.associations)
            .fold(BTreeMap::new(), |mut m, a| {
                *m.entry(a.kind.as_str()).or_default() += 1;
                m
            });
    assert_eq!(
        kinds,
        [
            ("exactMatchOf", 16),
            ("exemplar", 2),
            ("isRelatedTo", 2),
            ("precedes", 3)
        ]
        .into_iter()
        .collect()
    );
    let a1 = by_code(&fw, "6.RP.A.1");
    let prec = a1.associations.iter().find(|a| a.kind == "precedes").unwrap();
    assert_eq!(prec.target_code.as_deref(), Some("6.RP.A.2"));
    let ex = by_code(&fw, "6.RP.A")
        .associations
        .iter()
        .find(|a| a.kind == "exemplar")
        .unwrap();
    assert!(ex.target.starts_with("https://www.illustrat"), "{}", ex.target);
    assert_eq!(by_code(&fw, "6.RP.A.1").grades, vec![g(6)]);
}

// ------------------------------------------------------------------------------------------------
// OpenSALT CSV

#[test]
fn opensalt_csv_excerpt() {
    let path = fixture("opensalt_ela_excerpt.csv");
    let fw = read(&path);
    assert_eq!(fw.id, "opensalt-ela-excerpt");
    assert_eq!(fw.subject, "ela");
    assert_eq!(fw.standards.len(), 20);
    // smartLevel order, whatever the row order.
    let levels: Vec<&str> = fw.standards.iter().take(3).map(|s| s.text.as_str()).collect();
    assert_eq!(
        levels,
        [
            "College and Career Anchor Standards",
            "Reading",
            "Key Ideas and Details"
        ]
    );
    assert_eq!(count(&fw, Kind::Practice), 10);
    assert_eq!(count(&fw, Kind::Grade), 1);
    let r1 = by_code(&fw, "CCRA.R.1");
    assert_eq!(r1.uri, "7c0fedc6-885d-11e7-a339-3bd2832b2fd2");
    assert_eq!(r1.grades, grades(0, 12));
    let ri = by_code(&fw, "RI.9-10.10");
    assert_eq!(ri.kind, Kind::Standard);
    assert_eq!(ri.grades, vec![g(9), g(10)]);
    // <br /> removed and the Mac Roman dash restored.
    assert!(ri.text.contains("grades 9—10 text complexity band proficiently, with scaffolding as needed at the high end of the range. By the end of grade 10"), "{}", ri.text);
    let grade = &fw.standards[fw.standards[ri.parent.unwrap()].parent.unwrap()];
    let grade = &fw.standards[grade.parent.unwrap()];
    assert_eq!((grade.kind, grade.text.as_str()), (Kind::Grade, "Grade 9-10"));
}

#[test]
#[ignore = "needs the full OpenSALT export (ALIGNER_OPENSALT_CSV=path/to/ccsso_ela_item.csv), which is not shipped"]
fn opensalt_csv_full_counts() {
    let path = std::env::var_os("ALIGNER_OPENSALT_CSV").expect("set ALIGNER_OPENSALT_CSV");
    let fw = read(Path::new(&path));
    assert_eq!(fw.standards.len(), 1189);
    assert_eq!(count(&fw, Kind::Standard) + count(&fw, Kind::Practice), 488);
    assert_eq!(count(&fw, Kind::Component), 413);
    assert_eq!(count(&fw, Kind::Grade), 11);
}

// ------------------------------------------------------------------------------------------------
// District CSV

#[test]
fn district_csv() {
    let path = fixture("springfield_math.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(detect(&path, &text).unwrap(), Format::Csv);
    let fw = read(&path);
    assert_eq!(fw.id, "springfield-math");
    assert_eq!(fw.subject, "math");
    assert_eq!(fw.standards.len(), 8);
    let num1 = by_code(&fw, "SM.NUM.1");
    assert_eq!(num1.uri, "urn:aligner:springfield-math:SM.NUM.1");
    assert_eq!(num1.grades, grades(0, 2));
    assert!(num1.text.ends_with("1,000 & compare them."));
    assert_eq!(by_code(&fw, "SM.NUM").kind, Kind::Domain);
    let num2 = by_code(&fw, "SM.NUM.2");
    assert_eq!(num2.kind, Kind::Standard);
    let a = by_code(&fw, "SM.NUM.2a");
    assert_eq!(
        (a.kind, a.grades.clone()),
        (Kind::Component, vec![g(4)]),
        "grades inherited"
    );
    // SM.GEO.1 names a parent defined on a later line.
    let geo1 = by_code(&fw, "SM.GEO.1");
    assert_eq!(fw.standards[geo1.parent.unwrap()].code.as_deref(), Some("SM.GEO"));
    assert_eq!(by_code(&fw, "SM.GEO").kind, Kind::Grouping);
    assert_eq!(by_code(&fw, "SM.PRAC.1").kind, Kind::Practice);
}

#[test]
fn district_csv_errors() {
    let p = Path::new("district.csv");
    let err = |text: &str| input_error(read_framework_str(p, text, Some(Format::Csv)).unwrap_err());

    let e = err("code,grade\nA,4\n");
    assert!(e.starts_with("district.csv:1:") && e.contains("`text`"), "{e}");
    let e = err("text,grade\nHello,4\n");
    assert!(e.starts_with("district.csv:1:") && e.contains("`code`"), "{e}");
    let e = err("code,text,parent\nA,First,\nB,Second,Z\n");
    assert!(
        e.starts_with("district.csv:3:") && e.contains("unknown parent code Z"),
        "{e}"
    );
    let e = err("code,text\nA,First\nB,Second\nA,Again\n");
    assert!(
        e.starts_with("district.csv:4:") && e.contains("duplicate code A") && e.contains("line 2"),
        "{e}"
    );
    let e = err("code,text,grade\nA,First,4\nB,Second,fourth-ish\n");
    assert!(e.starts_with("district.csv:3:") && e.contains("fourth-ish"), "{e}");
    let e = err("code,text,kind\nA,First,widget\n");
    assert!(e.starts_with("district.csv:2:") && e.contains("widget"), "{e}");
    let e = err("code,text\n");
    assert!(e.contains("no rows"), "{e}");
}

// ------------------------------------------------------------------------------------------------
// Detection and errors

#[test]
fn detects_every_shipped_format() {
    let cases = [
        ("ccss_math_D10003FB.json", Format::AsnJson),
        ("ccss_ela_D10003FC.json", Format::AsnJson),
        ("NextGenScience.xml", Format::AsnXml),
        ("DC-math.json", Format::AsnRdfJson),
        ("DC-english.json", Format::AsnRdfJson),
        ("MD-math.json", Format::AsnRdfJson),
        ("PA-math.json", Format::AsnRdfJson),
    ];
    for (name, format) in cases {
        let path = shipped(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(detect(&path, &text).unwrap(), format, "{name}");
    }
    let path = fixture("opensalt_ela_excerpt.csv");
    assert_eq!(
        detect(&path, &std::fs::read_to_string(&path).unwrap()).unwrap(),
        Format::Opensalt
    );
    let e = input_error(detect(Path::new("notes.txt"), "just some words\nand more").unwrap_err());
    assert!(e.starts_with("notes.txt"), "{e}");
}

#[test]
fn str_and_file_readers_agree() {
    let path = shipped("PA-math.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let a = read_framework(&path, None).unwrap();
    let b = read_framework_str(&path, &text, Some(Format::AsnRdfJson)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn forcing_the_wrong_format_is_an_error() {
    let path = shipped("NextGenScience.xml");
    for f in [
        Format::AsnJson,
        Format::AsnRdfJson,
        Format::Case,
        Format::Opensalt,
        Format::Csv,
    ] {
        let e = input_error(read_framework(&path, Some(f)).unwrap_err());
        assert!(e.contains("NextGenScience.xml"), "{f:?}: {e}");
    }
}

#[test]
fn truncated_json_names_the_line() {
    let text = std::fs::read_to_string(shipped("ccss_math_D10003FB.json")).unwrap();
    let cut = &text[..text.len() / 2];
    let lines = cut.lines().count();
    let e = input_error(read_framework_str(Path::new("math.json"), cut, None).unwrap_err());
    assert!(e.starts_with(&format!("math.json:{lines}:")), "{e}");
    assert!(e.contains("invalid JSON"), "{e}");
}

#[test]
fn wrong_type_names_the_json_path() {
    let p = Path::new("tree.json");
    let text = r#"[{"id":"a","text":"Top","children":[{"id":"b","text":"ok"},{"id":"c","text":"x","children":[{"id":"d","text":["no"]}]}]}]"#;
    let e = input_error(read_framework_str(p, text, None).unwrap_err());
    assert_eq!(
        e,
        "tree.json at $[0].children[1].children[0].text: expected a string, found an array"
    );

    let text = r#"[{"id":"a","text":"Top","children":[{"text":"no id"}]}]"#;
    let e = input_error(read_framework_str(p, text, None).unwrap_err());
    assert!(
        e.starts_with("tree.json at $[0].children[0]:") && e.contains("`id`"),
        "{e}"
    );

    let text = r#"{"http://x/D1":{"http://www.w3.org/1999/02/22-rdf-syntax-ns#type":[{"value":"http://purl.org/ASN/schema/core/StandardDocument"}],
      "http://purl.org/gem/qualifiers/hasChild":[{"value":"http://x/S1"}]},
      "http://x/S1":{"http://www.w3.org/1999/02/22-rdf-syntax-ns#type":[{"value":"http://purl.org/ASN/schema/core/Statement"}],
      "http://purl.org/dc/terms/description":[{"value":42}]}}"#;
    let e = input_error(read_framework_str(Path::new("state.json"), text, None).unwrap_err());
    assert!(
        e.contains("state.json at $[\"http://x/S1\"][\"http://purl.org/dc/terms/description\"][0].value"),
        "{e}"
    );

    let text = r#"{"CFDocument":{"identifier":"D","title":"T"},"CFItems":[{"identifier":"a","fullStatement":"A","educationLevel":[4]}]}"#;
    let e = input_error(read_framework_str(Path::new("case.json"), text, None).unwrap_err());
    assert_eq!(
        e,
        "case.json at $.CFItems[0].educationLevel[0]: expected a string, found a number"
    );
}

#[test]
fn malformed_xml_names_the_line() {
    let text = std::fs::read_to_string(shipped("NextGenScience.xml")).unwrap();
    // Break the closing tag of the first statement's notation (line 100 of the file).
    let target = "<asn:statementNotation>K-PS2</asn:statementNotation>";
    let line = text[..text.find(target).unwrap()].lines().count() + 1;
    let broken = text.replacen(target, "<asn:statementNotation>K-PS2</asn:statementNotatio>", 1);
    let e = input_error(read_framework_str(Path::new("ngss.xml"), &broken, None).unwrap_err());
    assert!(e.starts_with(&format!("ngss.xml:{line}:")), "{e}");

    let cut = &text[..text.len() / 3];
    let e = input_error(read_framework_str(Path::new("ngss.xml"), cut, Some(Format::AsnXml)).unwrap_err());
    assert!(e.starts_with("ngss.xml:") && e.contains("invalid XML"), "{e}");

    let e =
        input_error(read_framework_str(Path::new("x.xml"), "<rdf:RDF>\n<a>&bogus;</a>\n</rdf:RDF>", None).unwrap_err());
    assert!(e.starts_with("x.xml:2:"), "{e}");
}

#[test]
fn opensalt_csv_missing_column_is_named() {
    let text = "identifier,fullStatement,humanCodingScheme\nx,Some text,RL.1.1\n";
    let e = input_error(read_framework_str(Path::new("salt.csv"), text, Some(Format::Opensalt)).unwrap_err());
    assert!(e.starts_with("salt.csv:1:") && e.contains("`smartLevel`"), "{e}");
    let text = "identifier,fullStatement,smartLevel\nx,Some text,1\n,No id,1.1\n";
    let e = input_error(read_framework_str(Path::new("salt.csv"), text, None).unwrap_err());
    assert!(e.starts_with("salt.csv:3:") && e.contains("identifier"), "{e}");
    let text = "identifier,fullStatement,smartLevel\nx,Some text,1\ny,Unbalanced \"quote,1.1,extra\n";
    let e = input_error(read_framework_str(Path::new("salt.csv"), text, None).unwrap_err());
    assert!(e.starts_with("salt.csv:"), "{e}");
}

#[test]
fn empty_and_non_utf8_files() {
    let dir = std::env::temp_dir().join(format!("aligner-ingest-standards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "  \n").unwrap();
    let e = input_error(read_framework(&empty, None).unwrap_err());
    assert!(e.contains("empty.json") && e.contains("empty"), "{e}");

    let latin1 = dir.join("latin1.csv");
    std::fs::write(&latin1, b"code,text\nA,ok\nB,caf\xe9\n").unwrap();
    let e = input_error(read_framework(&latin1, None).unwrap_err());
    assert!(e.contains("latin1.csv:3") && e.contains("UTF-8"), "{e}");

    let e = input_error(read_framework_str(Path::new("blank.xml"), "", None).unwrap_err());
    assert!(e.contains("blank.xml"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_shipped_alias_names_a_standard_and_every_standard_has_names() {
    // data/matching/aliases/: a name under a code that the framework does not have would never be
    // used, so a typo in a code must fail here; and every standard and sub-standard has names.
    for (id, _) in aligner::shipped::ALIASES {
        let file = aligner::shipped::FILES
            .iter()
            .map(|(name, _)| shipped(name))
            .map(|p| read(&p))
            .find(|fw| fw.id == *id)
            .unwrap_or_else(|| panic!("no shipped framework {id}"));
        let names = aligner::shipped::aliases(id);
        let codes: HashSet<&str> = file
            .standards
            .iter()
            .filter(|s| s.kind.is_alignable())
            .filter_map(|s| s.code.as_deref())
            .collect();
        // A list may name anchors (RL.2) instead of codes: each must be the anchor of some standard.
        let anchors: HashSet<String> = codes.iter().filter_map(|c| aligner::codes::anchor_of_code(c)).collect();
        let anchored = names.keys().any(|k| !codes.contains(k) && anchors.contains(*k));
        for (code, list) in &names {
            assert!(
                codes.contains(code) || anchors.contains(*code),
                "{id}: alias code {code} names no standard"
            );
            assert!(
                list.iter().all(|n| !n.trim().is_empty() && !n.starts_with("I can")),
                "{code}: {list:?}"
            );
        }
        // Every standard has names (in an anchored list: every standard of an anchor, not its
        // sub-standards, which share their standard's anchor).
        let std_kind: HashSet<&str> = file
            .standards
            .iter()
            .filter(|s| s.kind == aligner::model::Kind::Standard)
            .filter_map(|s| s.code.as_deref())
            .collect();
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| !anchored || (std_kind.contains(*c) && aligner::codes::anchor_of_code(c).is_some()))
            .filter(|c| aligner::shipped::names_for(&names, c).is_none())
            .collect();
        assert!(missing.is_empty(), "{id}: standards without names: {missing:?}");
    }
}
