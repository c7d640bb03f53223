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
