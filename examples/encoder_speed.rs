//! Units per second of the sentence encoder on one thread and on all cores, for lesson titles and
//! for 250-word texts: `cargo run --release --example encoder_speed`. Also prints the cosine of
//! each reference sentence with its float32 vector (`tests/data/encoder-reference.jsonl`). Runs
//! every kernel of the dense layers this CPU has (f32, and int8 with AVX-512 VNNI), the kernel
//! `Encoder::shipped()` uses first.
//!
//! Besides wall-clock rates it prints rates per CPU second of the process (from `/proc/self/stat`,
//! Linux): on a busy machine the wall clock counts the time the threads wait for a core.

use aligner::align::encoder::{Encoder, Kernel};
use std::time::Instant;

/// The process's CPU time (user and system) in seconds, where `/proc/self/stat` says.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command's closing parenthesis; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ
}

/// Run `f`; its wall-clock and CPU seconds.
fn timed(f: impl FnOnce()) -> (f64, Option<f64>) {
    let (t, c) = (Instant::now(), cpu_seconds());
    f();
    let wall = t.elapsed().as_secs_f64();
    (wall, c.zip(cpu_seconds()).map(|(a, b)| b - a))
}

fn per_cpu(n: f64, cpu: Option<f64>) -> String {
    cpu.filter(|&c| c > 0.0)
        .map(|c| format!(" ({:.0}/CPU-s)", n / c))
        .unwrap_or_default()
}

fn main() {
    let t0 = Instant::now();
    let shipped = Encoder::shipped();
    println!(
        "load: {:.0} ms ({:?} kernel)",
        t0.elapsed().as_secs_f64() * 1e3,
        shipped.kernel()
    );
    let bytes = std::fs::read("data/encoder/minilm-l6-v2.bin").unwrap();
    let others: Vec<Encoder> = [Kernel::F32, Kernel::Int8]
        .into_iter()
        .filter(|&k| k.available() && k != shipped.kernel())
        .map(|k| Encoder::from_bytes_with(&bytes, k).unwrap())
        .collect();
    let raw = std::fs::read_to_string("tests/data/encoder-reference.jsonl").unwrap();
    let refs: Vec<(String, Vec<f32>)> = raw
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let want = v["vector"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect();
            (v["text"].as_str().unwrap().to_string(), want)
        })
        .collect();
    let short: Vec<Vec<u32>> = (0..100)
        .map(|_| {
            shipped.token_ids("Add and subtract fractions with unlike denominators using area models and number lines")
        })
        .collect();
    let long: Vec<Vec<u32>> = vec![short.concat().into_iter().take(256).collect(); 8];
    let titles: Vec<String> = (0..400)
        .map(|i| format!("Lesson {i}: Add and subtract fractions with unlike denominators using models"))
        .collect();
    let words = "students decompose a fraction into a sum of fractions with the same denominator and justify it with a visual model";
    let text: String = std::iter::repeat_n(words, 13).collect::<Vec<_>>().join(" ");
    let texts: Vec<String> = (0..40).map(|i| format!("{i} {text}")).collect();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);

    for e in std::iter::once(shipped).chain(&others) {
        println!("\n== {:?} kernel", e.kernel());
        let mut min = f32::INFINITY;
        for (text, want) in &refs {
            let got = e.encode(text);
            let cos = aligner::align::semantic::dot(&got, want);
            min = min.min(cos);
            println!("cos {cos:.5}  {}", text.chars().take(50).collect::<String>());
        }
        println!("min cos {min:.5}");
        // Batches of 2048 tokens of short and of 256-token sequences, on one thread.
        for (name, seqs) in [("100 x 20-token", &short), ("8 x 256-token", &long)] {
            let (wall, cpu) = timed(|| {
                for _ in 0..5 {
                    e.encode_ids(seqs, 1);
                }
            });
            let toks = 5.0 * seqs.iter().map(Vec::len).sum::<usize>() as f64;
            println!("{name}: {:.0} tokens/s{}", toks / wall, per_cpu(toks, cpu));
        }
        for (name, items) in [("titles", &titles), ("250-word texts", &texts)] {
            let toks: usize = items.iter().map(|t| e.token_ids(t).len()).sum();
            for threads in [1, cores] {
                let mut v = Vec::new();
                let (wall, cpu) = timed(|| v = e.encode_all(items, threads));
                assert_eq!(v.len(), items.len());
                let n = items.len() as f64;
                println!(
                    "{name}: {} units ({} tokens each), {threads} thread(s): {:.1} units/s{}",
                    items.len(),
                    toks / items.len(),
                    n / wall,
                    per_cpu(n, cpu.map(|c| c / threads as f64))
                );
            }
        }
    }
}
