//! The shipped static embeddings (`data/embeddings/`): shape, tokenization, and that they carry
//! meaning.

use aligner::align::embed::{cosine, Embeddings};

#[test]
fn shipped_shape() {
    let e = Embeddings::shipped();
    assert_eq!(e.vocab_size(), 30522, "BERT-uncased vocabulary");
    assert_eq!(e.dims(), 128);
    assert_eq!(e.token_id("[PAD]"), Some(0));
    assert_eq!(e.token_id("[UNK]"), Some(100));
    assert_eq!(e.token_id("the"), Some(1996));
    assert_eq!(e.token(1996), Some("the"));
    assert_eq!(e.embed("fractions").len(), 128);
}

#[test]
fn tokenizes_known_words() {
    let e = Embeddings::shipped();
    assert_eq!(
        e.tokens("Multiplying Fractions"),
        ["multi", "##ply", "##ing", "fraction", "##s"]
    );
    assert_eq!(e.tokens("Pythagorean"), ["p", "##yt", "##ha", "##gor", "##ean"]);
    let ids = e.tokenize("vertical angles");
    assert_eq!(ids, [e.token_id("vertical").unwrap(), e.token_id("angles").unwrap()]);
}

#[test]
fn similar_meanings_are_closer() {
    let e = Embeddings::shipped();
    let q = e.embed("multiply fractions");
    let near = cosine(&q, &e.embed("multiplication of fractions by whole numbers"));
    let far = cosine(&q, &e.embed("the water cycle and weather"));
    assert!(near > far + 0.2, "near {near} far {far}");

    let angles = e.embed("Vertical angles");
    let geo = cosine(
        &angles,
        &e.embed("Use facts about supplementary, complementary, vertical, and adjacent angles"),
    );
    let stats = cosine(
        &angles,
        &e.embed("Summarize numerical data sets in relation to their context"),
    );
    assert!(geo > stats, "geometry {geo} statistics {stats}");
}

#[test]
fn embedding_is_normalized_and_stable() {
    let e = Embeddings::shipped();
    let v = e.embed("Solve linear equations in one variable.");
    let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    assert_eq!(v, e.embed("solve LINEAR equations in one variable"));
    assert!((cosine(&v, &v) - 1.0).abs() < 1e-5);
    assert!(e.embed("").iter().all(|&x| x == 0.0));
}

#[test]
fn xcheck_python() {
    let Ok(path) = std::env::var("XCHECK") else { return };
    let data: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let e = Embeddings::shipped();
    let mut bad = 0;
    let mut maxdiff = 0f32;
    for d in &data {
        let t = d["text"].as_str().unwrap();
        let ids: Vec<u32> = d["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        let mine = e.tokenize(t);
        if mine != ids {
            bad += 1;
            if bad < 4 {
                eprintln!("MISMATCH {:?}", &t[..t.len().min(80)]);
            }
        }
        let v: Vec<f32> = d["vec"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        let m = e.embed(t);
        for (a, b) in v.iter().zip(&m) {
            maxdiff = maxdiff.max((a - b).abs());
        }
    }
    eprintln!(
        "xcheck: {} texts, {bad} token mismatches, max vec diff {maxdiff}",
        data.len()
    );
    assert_eq!(bad, 0);
}

#[test]
fn timing() {
    if std::env::var("TIMING").is_err() {
        return;
    }
    let t = std::time::Instant::now();
    let e = Embeddings::shipped();
    eprintln!("load {:?}", t.elapsed());
    let text = std::fs::read_to_string("/work/shared/eval/dev-mathfish-problems.jsonl").unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let words: Vec<&str> = first["text"].as_str().unwrap().split_whitespace().take(300).collect();
    let s = words.join(" ");
    let n = 2000;
    let t = std::time::Instant::now();
    let mut acc = 0.0;
    for _ in 0..n {
        acc += e.embed(std::hint::black_box(&s))[0];
    }
    eprintln!(
        "embed 300 words: {:?} per call ({} tokens) {acc}",
        t.elapsed() / n,
        e.tokenize(&s).len()
    );
}
