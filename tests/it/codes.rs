//! The code resolver on the shipped corpus: a table of spellings, and every claim list found in
//! the publisher alignments (`tests/data/codes/eval-claims.tsv`).

use aligner::corpus::Corpus;
use aligner::model::Grade;
use std::sync::OnceLock;

fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| Corpus::new(aligner::index::read_shipped().expect("shipped data reads")))
}

fn code_of(code: &str, fw: &str) -> String {
    let c = corpus();
    let f = c.framework_pos(fw).unwrap();
    let found = c.resolve(code, Some(f)).unwrap_or_else(|e| panic!("{code}: {e}"));
    assert_eq!(found.len(), 1, "{code} is ambiguous in {fw}: {found:?}");
    c.standard(found[0]).code.clone().unwrap()
}

#[test]
fn spellings_name_the_same_standard() {
    let table = [
        ("4.NF.B.3", "4.NF.B.3"),
        ("4.NF.3", "4.NF.B.3"),
        ("4.nf.b.3", "4.NF.B.3"),
        ("CCSS.Math.Content.4.NF.B.3", "4.NF.B.3"),
        ("HSA-REI.B.3", "HSA-REI.B.3"),
        ("HSA.REI.B.3", "HSA-REI.B.3"),
        ("A-REI.B.3", "HSA-REI.B.3"),
        ("A-REI.3", "HSA-REI.B.3"),
        ("A.REI.3", "HSA-REI.B.3"),
        ("HSF-TF.7", "HSF-TF.B.7"),
        ("4.MD.C.5a", "4.MD.C.5a"),
        ("4.MD.C.5.a", "4.MD.C.5a"),
        ("6.NS.C.7.C", "6.NS.C.7c"),
        ("HSF-BF.B.4a", "HSF-BF.B.4a"),
        ("K.CC.B", "K.CC.B"),
        ("G-GMD", "HSG-GMD"),
        ("MP.1", "MP1"),
    ];
    for (spelling, want) in table {
        let got = code_of(spelling, "ccss-math");
        assert!(
            got.eq_ignore_ascii_case(want) || got.ends_with(want),
            "{spelling} -> {got}, want {want}"
        );
    }
    assert_eq!(code_of("MS-PS1-1", "ngss"), "MS-PS1-1");
    // CCSS math groups a domain across grades, so a grade's domain `5.MD` is no node of its own:
    // it names that grade's clusters of the domain.
    let c = corpus();
    let math = c.framework_pos("ccss-math").unwrap();
    let mut md: Vec<String> = c
        .resolve("5.MD", Some(math))
        .unwrap()
        .iter()
        .map(|r| c.standard(*r).code.clone().unwrap())
        .collect();
    md.sort();
    assert_eq!(md, ["5.MD.A", "5.MD.B", "5.MD.C"]);
    assert_eq!(code_of("RL.4.1", "ccss-ela"), "RL.4.1");
    assert_eq!(code_of("CCSS.ELA-Literacy.W.9-10.2f", "ccss-ela"), "W.9-10.2f");
}

#[test]
fn unknown_codes_get_suggestions() {
    let c = corpus();
    let f = c.framework_pos("ccss-math").unwrap();
    let err = c.resolve("4.NF.Z.9", Some(f)).unwrap_err().to_string();
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("4.NF."), "{err}");
}

#[test]
fn every_claim_list_in_the_publisher_alignments_resolves() {
    let c = corpus();
    let f = c.framework_pos("ccss-math").unwrap();
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/codes/eval-claims.tsv")).unwrap();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (grade, codes) = line.split_once('\t').unwrap();
        let claims: Vec<String> = codes.split(' ').map(String::from).collect();
        let g = Grade::parse(grade);
        for claim in c.resolve_claims(&claims, g, Some(f)) {
            assert!(
                !claim.refs.is_empty(),
                "{} (grade {grade}) does not resolve",
                claim.spelled
            );
            n += 1;
        }
    }
    assert!(n > 800, "only {n} claims read");
}
