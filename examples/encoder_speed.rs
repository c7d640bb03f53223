//! Units per second of the sentence encoder on one thread and on all cores, for lesson titles and
//! for 250-word texts: `cargo run --release --example encoder_speed`. Also prints the cosine of
//! each reference sentence with its float32 vector (`tests/data/encoder-reference.jsonl`).

use aligner::align::encoder::Encoder;
use std::time::Instant;

fn main() {
    let t0 = Instant::now();
    let e = Encoder::shipped();
    println!("load: {:.0} ms", t0.elapsed().as_secs_f64() * 1e3);
    let raw = std::fs::read_to_string("tests/data/encoder-reference.jsonl").unwrap();
    for l in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let want: Vec<f32> = v["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        let got = e.encode(v["text"].as_str().unwrap());
        let cos = aligner::align::semantic::dot(&got, &want);
        println!(
            "cos {cos:.5}  {}",
            v["text"].as_str().unwrap().chars().take(50).collect::<String>()
        );
    }
    // The dense layers alone: one 2048-token batch through a 384 -> 1536 product.
    let short: Vec<Vec<u32>> = (0..100)
        .map(|_| e.token_ids("Add and subtract fractions with unlike denominators using area models and number lines"))
        .collect();
    let long: Vec<Vec<u32>> = vec![short.concat().into_iter().take(256).collect(); 8];
    for (name, seqs) in [("100 x 20-token", &short), ("8 x 256-token", &long)] {
        let t = Instant::now();
        for _ in 0..5 {
            e.encode_ids(seqs, 1);
        }
        let toks: usize = seqs.iter().map(Vec::len).sum();
        println!("{name}: {:.0} tokens/s", 5.0 * toks as f64 / t.elapsed().as_secs_f64());
    }
    let titles: Vec<String> = (0..400)
        .map(|i| format!("Lesson {i}: Add and subtract fractions with unlike denominators using models"))
        .collect();
    let words = "students decompose a fraction into a sum of fractions with the same denominator and justify it with a visual model";
    let text: String = std::iter::repeat_n(words, 13).collect::<Vec<_>>().join(" ");
    let texts: Vec<String> = (0..40).map(|i| format!("{i} {text}")).collect();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    for (name, items) in [("titles", &titles), ("250-word texts", &texts)] {
        let toks: usize = items.iter().map(|t| e.token_ids(t).len()).sum();
        for threads in [1, cores] {
            let t = Instant::now();
            let v = e.encode_all(items, threads);
            let s = t.elapsed().as_secs_f64();
            assert_eq!(v.len(), items.len());
            println!(
                "{name}: {} units ({} tokens each), {threads} thread(s): {:.0} units/s",
                items.len(),
                toks / items.len(),
                items.len() as f64 / s
            );
        }
    }
}
