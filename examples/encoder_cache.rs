//! Writes `data/encoder/vectors.bin`: the sentence vectors of every text an index of the shipped
//! corpus encodes (see `src/align/sentence.rs`), so that `aligner index` encodes none of them.
//! Run after changing the shipped standards, the aliases, the encoder or the `s_heads`/`s_alias`
//! weights:
//!
//!     cargo run --release --example encoder_cache
//!
//! A test (`tests/it/encoder.rs`) fails when the cache no longer covers the shipped corpus.

use aligner::align::encoder::Encoder;
use aligner::align::sentence::{model_digest, threads, Cache};
use aligner::align::Params;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fws = aligner::index::read_shipped()?;
    let texts = aligner::index::docs::sentence_texts(&fws, &Params::default());
    let tokens: usize = texts.iter().map(|t| Encoder::shipped().token_ids(t).len()).sum();
    eprintln!(
        "{} texts, {tokens} tokens; encoding on {} threads",
        texts.len(),
        threads()
    );
    let t0 = std::time::Instant::now();
    let vecs = Encoder::shipped().encode_all(&texts, threads());
    eprintln!("encoded in {:.1} s", t0.elapsed().as_secs_f64());
    let bytes = Cache::to_bytes(&texts, &vecs, model_digest());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/encoder/vectors.bin");
    std::fs::write(&path, &bytes)?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}
