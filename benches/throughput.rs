//! Throughput benchmarks (divan): reading and indexing the shipped corpus, and search queries.
//!
//! Run: `cargo bench --bench throughput`. Each group has a baseline measured in the same run, so
//! the figures can be read as ratios: `index_shipped` against `read_shipped` (parsing alone),
//! `search_*` against `search_one_word`, `match_units` and `match_lessons` (in-process, one
//! thread; titles and lesson-length texts, on the fast path; `*_sentence` with the sentence model)
//! against `search_mixed`, and `audit_process_1000_units` (the whole `aligner audit` process on 1,000 units
//! against every shipped framework, index present) against `process_version` (the process doing
//! nothing but start and exit).

use aligner::align::{align_units, Matcher, Scope};
use aligner::index::search::Search;
use aligner::index::{build, read_shipped, Library};
use aligner::model::GradeRange;
use aligner::model::Unit;
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

/// Baseline: a one-word query over everything, on the fast path (as `search --fast`; with the
/// sentence model a search costs one encoding, about 10 ms, which would swamp what the baseline
/// is for). The search benchmarks all run on the fast path.
#[divan::bench]
fn search_one_word(bencher: divan::Bencher) {
    let lib = library();
    let s = Search {
        text: "fractions".into(),
        top: 10,
        fast: true,
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
            fast: true,
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
    let math = lib.framework_pos("ccss-math").unwrap();
    let searches: Vec<Search> = QUERIES
        .iter()
        .map(|q| Search {
            text: q.to_string(),
            top: 10,
            frameworks: Some(vec![math]),
            grades: GradeRange::parse("3-5"),
            fast: true,
            ..Default::default()
        })
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(searches.len()))
        .bench(|| searches.iter().map(|s| lib.search(s).unwrap().len()).sum::<usize>());
}

/// 1,000 units made from the shipped examples (tables of contents and unit lists), repeated.
fn thousand_units() -> Vec<Unit> {
    let ex = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut base = Vec::new();
    for f in ["grade3-units.csv", "grade4-math-toc.txt", "grade7-math-toc.md"] {
        base.extend(aligner::ingest::curriculum::read_curriculum(std::path::Path::new(ex).join(f).as_path()).unwrap());
    }
    let mut out = Vec::with_capacity(1000);
    while out.len() < 1000 {
        let mut u = base[out.len() % base.len()].clone();
        u.id = format!("u{}", out.len());
        u.parent = None;
        out.push(u);
    }
    out
}

/// Match `units` against CCSS math in process, one thread, and count them (units per second):
/// with the sentence model (each unit's texts encoded as it is matched), or on the fast path.
fn bench_matching(bencher: divan::Bencher, units: Vec<Unit>, no_grade: bool, fast: bool) {
    let lib = library();
    let p = aligner::align::Params::default();
    let m = Matcher::with_params(lib, if fast { p.fast() } else { p });
    let c = lib.corpus().unwrap();
    let scope = Scope {
        frameworks: Some(vec![lib.framework_pos("ccss-math").unwrap()]),
        no_grade,
        ..Default::default()
    };
    bencher
        .counter(divan::counter::ItemsCount::new(units.len()))
        .bench_local(|| align_units(&m, c, &units, &scope, 5).len());
}

/// Matching and claim checks of short units (titles, a few texts), each within its grade, on the
/// fast path (no sentence model).
#[divan::bench(sample_count = 10)]
fn match_units(bencher: divan::Bencher) {
    bench_matching(bencher, thousand_units(), false, true);
}

/// [`match_units`] with the sentence model: every unit's title (and text) encoded, one thread.
#[divan::bench(sample_count = 3)]
fn match_units_sentence(bencher: divan::Bencher) {
    bench_matching(bencher, thousand_units(), false, false);
}

/// 1,000 lesson-sized units (about 250 words each, like the lesson texts of a curriculum): the
/// titles of [`thousand_units`], each followed by the statements of eight CCSS math and ELA
/// standards picked deterministically, so a text has a lesson's length and varied vocabulary.
fn thousand_lessons() -> Vec<Unit> {
    let lib = library();
    let statements: Vec<&str> = ["ccss-math", "ccss-ela"]
        .iter()
        .flat_map(|id| &lib.corpus().unwrap().frameworks[lib.framework_pos(id).unwrap()].standards)
        .filter(|s| s.kind.is_alignable())
        .map(|s| s.text.as_str())
        .collect();
    thousand_units()
        .into_iter()
        .enumerate()
        .map(|(i, mut u)| {
            let parts: Vec<&str> = (0..8)
                .map(|k| statements[(i * 37 + k * 101) % statements.len()])
                .collect();
            u.text = parts.join(" ");
            u.claimed.clear();
            u
        })
        .collect()
}

/// Matching of long lesson texts, without a grade, on the fast path.
#[divan::bench(sample_count = 10)]
fn match_lessons(bencher: divan::Bencher) {
    bench_matching(bencher, thousand_lessons(), true, true);
}

/// 125 of [`thousand_lessons`] with the sentence model (250-word texts are the encoder's most
/// expensive input), one thread.
#[divan::bench(sample_count = 3)]
fn match_lessons_sentence(bencher: divan::Bencher) {
    let mut lessons = thousand_lessons();
    lessons.truncate(125);
    bench_matching(bencher, lessons, true, false);
}

fn write_units_file(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("units.jsonl");
    let mut s = String::new();
    for u in thousand_units() {
        let v = serde_json::json!({"id": u.id, "title": u.title, "text": u.text,
            "grade": u.grade.map(|g| g.to_string()), "standards": u.claimed});
        s.push_str(&v.to_string());
        s.push('\n');
    }
    std::fs::write(&p, s).unwrap();
    p
}

/// Baseline for the whole-process figure: `aligner --version`.
#[divan::bench(sample_count = 10)]
fn process_version() {
    let st = std::process::Command::new(env!("CARGO_BIN_EXE_aligner"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(st.status.success());
}

/// `aligner audit` of 1,000 units against every shipped framework, as a whole process.
#[divan::bench(sample_count = 10)]
fn audit_process_1000_units(bencher: divan::Bencher) {
    let d = tempfile::tempdir().unwrap();
    let ix = d.path().join("ix");
    aligner::index::build_from(&ix, &[], None, &|_| {}).unwrap();
    let units = write_units_file(d.path());
    let all = "ccss-math,ccss-ela,ngss,dc-math,dc-ela,md-math,pa-math";
    bencher.bench(|| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aligner"))
            .args(["audit", "--format", "json", "--framework", all, "--index"])
            .arg(&ix)
            .arg(&units)
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout.len()
    });
}

/// `aligner CMD ARGS...` as a whole process against the shipped index in `ix`.
fn run_process(ix: &std::path::Path, args: &[&str]) -> usize {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aligner"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg("--index")
        .arg(ix)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.len()
}

fn shipped_index_in(d: &tempfile::TempDir) -> std::path::PathBuf {
    let ix = d.path().join("ix");
    aligner::index::build_from(&ix, &[], None, &|_| {}).unwrap();
    ix
}

/// Baseline for `compare`: the audit of one of its two programs, as a whole process.
#[divan::bench(sample_count = 10)]
fn audit_process_example_toc(bencher: divan::Bencher) {
    let d = tempfile::tempdir().unwrap();
    let ix = shipped_index_in(&d);
    let args = [
        "audit",
        "examples/grade4-math-toc.txt",
        "-f",
        "ccss-math",
        "-g",
        "4",
        "--format",
        "json",
    ];
    bencher.bench(|| run_process(&ix, &args));
}

/// `aligner compare` of the two example grade-4 tables of contents, as a whole process: each
/// program is matched on its own, so about the cost of two audits in one process.
#[divan::bench(sample_count = 10)]
fn compare_process_two_tocs(bencher: divan::Bencher) {
    let d = tempfile::tempdir().unwrap();
    let ix = shipped_index_in(&d);
    let args = [
        "compare",
        "examples/grade4-math-toc.txt",
        "examples/grade4-math-toc-b.md",
        "-f",
        "ccss-math",
        "-g",
        "4",
        "--format",
        "json",
    ];
    bencher.bench(|| run_process(&ix, &args));
}
