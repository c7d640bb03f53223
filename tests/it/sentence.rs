//! The sentence model in the matcher: the shipped vector cache covers the shipped corpus (so that
//! `aligner index` encodes nothing on a fresh clone) and agrees with the encoder; `--fast` leaves
//! the model out, and the model changes what is found.

use crate::common::{aligner, json_of};
use aligner::align::encoder::Encoder;
use aligner::align::sentence::{vectors, Cache};
use aligner::align::Params;

fn shipped_texts() -> Vec<String> {
    let fws = aligner::index::read_shipped().expect("the shipped corpus reads");
    aligner::index::docs::sentence_texts(&fws, &Params::default())
}

#[test]
fn the_shipped_cache_covers_every_text_an_index_of_the_shipped_corpus_encodes() {
    let cache = Cache::shipped();
    let texts = shipped_texts();
    assert!(texts.len() > 5000, "{}", texts.len());
    let missing: Vec<&String> = texts.iter().filter(|t| cache.get(t).is_none()).collect();
    assert!(
        missing.is_empty(),
        "{} of {} texts are not in data/encoder/vectors.bin (run `cargo run --release --example encoder_cache`), e.g. {:?}",
        missing.len(),
        texts.len(),
        &missing[..missing.len().min(3)]
    );
}

#[test]
fn the_cached_vectors_are_the_encoders() {
    let texts = shipped_texts();
    let sample: Vec<&String> = texts.iter().step_by(701).collect();
    let enc = Encoder::shipped();
    for (t, got) in sample.iter().zip(vectors(&sample, 2)) {
        let want = enc.encode(t);
        let cos: f32 = want.iter().zip(&got).map(|(a, b)| a * b).sum();
        assert!(cos > 0.99, "{t:?}: cosine {cos}");
    }
}

/// Each unit's first match: its code and score.
fn top_matches(args: &[&str]) -> Vec<(String, f64)> {
    let units = crate::common::data("curriculum/mathfish-sample.jsonl");
    let mut c = aligner();
    c.arg("match").arg(&units).args(["--format", "json"]).args(args);
    json_of(&mut c)["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let m = &u["matches"][0];
            (
                m["code"].as_str().unwrap_or("").to_string(),
                m["score"].as_f64().unwrap_or(0.0),
            )
        })
        .collect()
}

#[test]
fn fast_leaves_the_sentence_model_out_and_the_model_changes_rankings() {
    let full = top_matches(&[]);
    let fast = top_matches(&["--fast"]);
    assert_eq!(full.len(), fast.len());
    assert!(full.len() >= 5);
    // Both rank a standard first for every unit; the sentence model's meaning changes the scores.
    assert!(
        full.iter().chain(&fast).all(|c| !c.0.is_empty() && c.1 > 0.0),
        "{full:?} {fast:?}"
    );
    assert!(full.iter().zip(&fast).any(|(a, b)| a.1 != b.1), "{full:?} {fast:?}");
}
