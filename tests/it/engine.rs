//! The engine: what `aligner index` stores for matching (the engine store, tantivy's code keys)
//! answers as the corpus would, the first stage keeps what exhaustive scoring ranks first,
//! `search` ranks as `match` does, and depth costs linear time.

use crate::common::{aligner, json_of, shipped_index};
use aligner::align::plan::guess_framework;
use aligner::align::{align_units, Matcher, Params, Scope};
use aligner::index::code_keys::CodeFrameworks;
use aligner::index::Library;
use aligner::model::Unit;
use std::path::Path;
use std::sync::OnceLock;

fn library() -> &'static Library {
    static L: OnceLock<Library> = OnceLock::new();
    L.get_or_init(|| Library::open(shipped_index()).expect("the shipped index opens"))
}

fn units(file: &str) -> Vec<Unit> {
    aligner::ingest::curriculum::read_curriculum(Path::new(env!("CARGO_MANIFEST_DIR")).join(file).as_path())
        .expect("example units")
}

#[test]
fn the_store_names_every_alignable_standard_and_its_nodes() {
    let lib = library();
    let c = lib.corpus().unwrap();
    let st = &lib.store;
    let mut docs = 0;
    for (f, fw) in c.frameworks.iter().enumerate() {
        for (i, s) in fw.standards.iter().enumerate() {
            let node = st.node_of(f, i);
            if s.kind == aligner::model::Kind::Grouping {
                assert!(node.is_none());
                continue;
            }
            let n = node.expect("every other node is stored");
            assert_eq!((st.node_fw(n), st.node_pos(n), st.node_kind(n)), (f, i, s.kind));
            assert_eq!(st.node_text(n), s.text);
            assert_eq!(st.node_code(n), s.code.as_deref().unwrap_or(""));
            assert_eq!(st.node_grades(n), s.grades);
            match st.doc_of(f, i) {
                Some(d) => {
                    assert!(s.kind.is_alignable());
                    assert_eq!(st.doc_node(d), n);
                    docs += 1;
                }
                None => assert!(!s.kind.is_alignable()),
            }
        }
    }
    assert_eq!(docs, st.n_docs());
    // Every stem of a statement is in the vocabulary, and its doc contains it.
    let d = st
        .doc_of(
            0,
            c.frameworks[0]
                .standards
                .iter()
                .position(|s| s.kind.is_alignable())
                .unwrap(),
        )
        .unwrap();
    for &t in st.seq(d) {
        assert_eq!(st.term(st.stem(t)), Some(t));
        assert!(st.has_term(d, t));
    }
}

#[test]
fn a_scopes_stored_mean_is_the_mean_of_its_standards_cosines() {
    let lib = library();
    let st = &lib.store;
    let math = lib.framework_pos("ccss-math").unwrap();
    let u = &units("examples/grade3-units.csv")[0];
    // The fast path's vector (static part only) and the full one (static and sentence parts).
    let sent = |t: &str| aligner::align::sentence::vectors(&[t], 1).pop().unwrap();
    let p = aligner::align::Params::default();
    let fast = aligner::align::semantic::unit_vector(u, &p.clone().fast(), &sent);
    let full = aligner::align::semantic::unit_vector(u, &p, &sent);
    assert!(fast.len() < full.len());
    for (q, grade) in [&fast, &full]
        .into_iter()
        .flat_map(|q| [None, Some(aligner::model::Grade(3)), Some(aligner::model::Grade(0))].map(|g| (q, g)))
    {
        let docs: Vec<u32> = match grade {
            None => st.fw_docs(math).collect(),
            Some(g) => st.docs_in_grades(math, g, g),
        };
        assert!(docs.len() > 10);
        let direct = docs.iter().map(|&d| st.cos(d, q)).sum::<f32>() / docs.len() as f32;
        let stored = st.mean_cos(&[math], grade, q).unwrap();
        // The stored sums are of the full vectors, the cosines of the quantized ones.
        assert!((direct - stored).abs() < 0.01, "{grade:?}: {direct} vs {stored}");
    }
}

#[test]
fn tantivy_code_keys_name_the_frameworks_the_code_index_names() {
    let lib = library();
    let c = lib.corpus().unwrap();
    let codes = CodeFrameworks::new(lib);
    let mut checked = 0;
    for fw in &c.frameworks {
        for s in fw.standards.iter().step_by(7) {
            let Some(code) = s.code.as_deref() else { continue };
            for spelling in [
                code.to_string(),
                code.to_lowercase(),
                format!("CCSS.Math.Content.{code}"),
            ] {
                let mut want: Vec<usize> = c.codes.lookup(&spelling, None).into_iter().map(|r| r.fw).collect();
                want.sort_unstable();
                want.dedup();
                assert_eq!(codes.lookup(&spelling), want, "{spelling}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000);
    // Headings without a node of their own, and unknown codes.
    for spelling in ["5.MD", "K.CC", "4.NF.Z.9", "nonsense"] {
        let mut want: Vec<usize> = c.codes.lookup(spelling, None).into_iter().map(|r| r.fw).collect();
        want.sort_unstable();
        want.dedup();
        assert_eq!(codes.lookup(spelling), want, "{spelling}");
    }
}

#[test]
fn the_first_stage_keeps_the_top_ten_of_exhaustive_scoring() {
    let lib = library();
    let c = lib.corpus().unwrap();
    let mut all: Vec<Unit> = Vec::new();
    for f in [
        "examples/grade3-units.csv",
        "examples/grade4-math-toc.txt",
        "examples/grade7-math-toc.md",
    ] {
        all.extend(units(f));
    }
    let fast = Matcher::new(lib);
    let full = Matcher::with_params(
        lib,
        Params {
            first_stage: 0.0,
            ..Params::default()
        },
    );
    let scope = Scope {
        frameworks: Some(vec![guess_framework(lib, &fast, &all, None, None)]),
        ..Default::default()
    };
    let (mut kept, mut total) = (0, 0);
    for u in &all {
        let a: Vec<_> = fast.match_unit(u, &scope, 10).into_iter().map(|m| m.r).collect();
        let b: Vec<_> = full.match_unit(u, &scope, 10).into_iter().map(|m| m.r).collect();
        total += b.len();
        kept += b.iter().filter(|r| a.contains(r)).count();
        assert_eq!(a.first(), b.first(), "{}", u.title);
    }
    assert!(total > 200, "{total}");
    assert!(kept as f64 >= 0.99 * total as f64, "{kept} of {total}");
    // And the whole pipeline agrees with itself: align_units is match_unit plus claims.
    let al = align_units(&fast, c, &all, &scope, 5);
    for (u, a) in all.iter().zip(&al) {
        let m: Vec<_> = fast.match_unit(u, &scope, 5).into_iter().map(|m| m.r).collect();
        assert_eq!(a.matches.iter().map(|m| m.r).collect::<Vec<_>>(), m);
    }
}

/// `search TEXT` and `match` of a unit titled TEXT give the same standards in the same order.
#[test]
fn search_ranks_as_match_ranks_a_unit_titled_with_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let titles = [
        ("add and subtract fractions with like denominators", "4"),
        ("Multiplying 1-digit numbers", "3"),
        ("Area of parallelograms", "6"),
        ("Vertical angles", "7"),
    ];
    for (title, grade) in titles {
        let f = dir.path().join("u.csv");
        std::fs::write(&f, format!("id,title\nu1,{title}\n")).unwrap();
        let m = json_of(aligner().args(["match"]).arg(&f).args([
            "--framework",
            "ccss-math",
            "--grade",
            grade,
            "--top",
            "5",
            "--format",
            "json",
        ]));
        let s = json_of(aligner().args([
            "search",
            title,
            "--framework",
            "ccss-math",
            "--grade",
            grade,
            "--top",
            "5",
            "--format",
            "json",
        ]));
        let from_match: Vec<&str> = m["units"][0]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["code"].as_str().unwrap())
            .collect();
        let from_search: Vec<&str> = s["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["code"].as_str().unwrap())
            .collect();
        assert!(!from_search.is_empty(), "{title}");
        assert_eq!(from_search, from_match, "{title}");
    }
}

#[test]
fn a_deep_chain_of_parents_is_indexed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("chain.csv");
    let mut csv = String::from("code,text,grade,parent\n");
    for i in 0..3000 {
        let parent = if i == 0 { String::new() } else { format!("C{}", i - 1) };
        csv.push_str(&format!(
            "C{i},Statement {i} about fractions and area number {i},4,{parent}\n"
        ));
    }
    std::fs::write(&f, csv).unwrap();
    let ix = dir.path().join("ix");
    let mut idx = assert_cmd::Command::cargo_bin("aligner").unwrap();
    idx.args(["index", "--index"]).arg(&ix).arg(&f).assert().success();
    let shown = json_of(
        assert_cmd::Command::cargo_bin("aligner")
            .unwrap()
            .args(["show", "C2999", "--format", "json", "--index"])
            .arg(&ix),
    );
    assert_eq!(shown["found"][0]["ancestors"].as_array().unwrap().len(), 2999);
}
