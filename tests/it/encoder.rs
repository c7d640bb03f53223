//! The sentence encoder against its reference: `tests/data/encoder-reference.jsonl` holds, for the
//! sentences of `tests/data/encoder-sentences.txt`, the token ids of Hugging Face's `tokenizers`
//! (the model's own `tokenizer.json`) and the vector of the float32 model computed with numpy
//! (`scripts/convert-encoder.py --reference`). aligner's int8 weights must stay within a cosine
//! of 0.995 of it, on both kernels of the dense layers (f32, and int8 where the CPU has AVX-512
//! VNNI), and its tokenizer must give the same ids.

use aligner::align::encoder::{Encoder, Kernel};

struct Ref {
    text: String,
    ids: Vec<u32>,
    vector: Vec<f32>,
}

fn references() -> Vec<Ref> {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/encoder-reference.jsonl"
    ))
    .unwrap();
    raw.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Ref {
                text: v["text"].as_str().unwrap().to_string(),
                ids: v["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as u32)
                    .collect(),
                vector: v["vector"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap() as f32)
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn tokenizer_gives_the_reference_ids() {
    let e = Encoder::shipped();
    let refs = references();
    assert_eq!(refs.len(), 10);
    for r in &refs {
        assert_eq!(e.token_ids(&r.text), r.ids, "{:?}", r.text);
    }
    // The long text is cut at 256 tokens, as sentence-transformers cuts it.
    assert!(refs.iter().any(|r| r.ids.len() == 256));
}

/// The shipped encoder for each kernel this CPU runs.
fn encoders() -> Vec<Encoder> {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/encoder/minilm-l6-v2.bin")).unwrap();
    [Kernel::F32, Kernel::Int8]
        .into_iter()
        .filter(|k| k.available())
        .map(|k| {
            let e = Encoder::from_bytes_with(&bytes, k).unwrap();
            assert_eq!(e.kernel(), k);
            e
        })
        .collect()
}

#[test]
fn vectors_agree_with_the_float32_model() {
    let refs = references();
    let texts: Vec<&str> = refs.iter().map(|r| r.text.as_str()).collect();
    let cos = aligner::align::semantic::dot;
    for e in encoders() {
        let got = e.encode_all(&texts, 2);
        for (r, v) in refs.iter().zip(&got) {
            assert_eq!(v.len(), 384);
            let c = cos(v, &r.vector);
            assert!(c > 0.995, "{:?} {:?}: cosine {c}", e.kernel(), r.text);
        }
        // Related texts are nearer than unrelated ones.
        assert!(cos(&got[0], &got[2]) > cos(&got[0], &got[4]));
    }
    // The shipped encoder is one of them (Int8 where it runs, unless ALIGNER_ENCODER_F32=1).
    assert!(Encoder::shipped().kernel().available());
}
