//! Throughput benchmarks (divan): reading and indexing the shipped corpus, and search queries.
//!
//! Run: `cargo bench --bench throughput`. Each group has a baseline measured in the same run, so
//! the figures can be read as ratios: `index_shipped` against `read_shipped` (parsing alone), and
//! `search_*` against `search_one_word`.

use aligner::index::search::Search;
use aligner::index::{build, read_shipped, Library};
use aligner::model::GradeRange;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// Baseline: parse every shipped framework, no index.
#[divan::bench(sample_count = 10)]
fn read_shipped_corpus() -> usize {
    read_shipped().unwrap().len()
}

/// Read and index the shipped corpus into a fresh directory (what `aligner index` does).
#[divan::bench(sample_count = 10)]
fn index_shipped(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| tempfile::tempdir().unwrap())
        .bench_local_values(|d| {
            aligner::index::build_from(&d.path().join("ix"), &[], None, &|_: build::Progress| {}).unwrap();
            d
        });
}

fn library() -> &'static Library {
    static L: OnceLock<(tempfile::TempDir, Library)> = OnceLock::new();
    let (_, lib) = L.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let ix = d.path().join("ix");
        let lib = Library::open_or_build(&ix, &|_| {}).unwrap();
        (d, lib)
    });
    lib
}

const QUERIES: &[&str] = &[
    "add and subtract fractions with like denominators",
    "vertical angles",
    "solve linear equations in one variable",
    "main idea of a text",
    "photosynthesis energy flow in ecosystems",
    "area of parallelograms",
    "telling time with a labeled clock",
    "interpret the structure of expressions",
];

/// Baseline: a one-word query over everything.
#[divan::bench]
fn search_one_word(bencher: divan::Bencher) {
    let lib = library();
    let s = Search {
        text: "fractions".into(),
        top: 10,
        ..Default::default()
    };
    bencher.bench(|| lib.search(&s).unwrap().len());
}

/// A mix of realistic queries over every framework.
#[divan::bench]
fn search_mixed(bencher: divan::Bencher) {
    let lib = library();
    let searches: Vec<Search> = QUERIES
        .iter()
        .map(|q| Search {
            text: q.to_string(),
            top: 10,
            ..Default::default()
        })
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(searches.len()))
        .bench(|| searches.iter().map(|s| lib.search(s).unwrap().len()).sum::<usize>());
}

/// The same queries filtered to one framework and grade band.
#[divan::bench]
fn search_filtered(bencher: divan::Bencher) {
    let lib = library();
    let math = lib.corpus.framework_pos("ccss-math").unwrap();
    let searches: Vec<Search> = QUERIES
        .iter()
        .map(|q| Search {
            text: q.to_string(),
            top: 10,
            frameworks: Some(vec![math]),
            grades: GradeRange::parse("3-5"),
            ..Default::default()
        })
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(searches.len()))
        .bench(|| searches.iter().map(|s| lib.search(s).unwrap().len()).sum::<usize>());
}
