//! The sentence encoder: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; see
//! `data/encoder/README.md`) run in-process, offline. This module owns the shipped model file
//! (`data/encoder/minilm-l6-v2.bin`, compiled into the binary and decoded on first use) and the
//! text side: tokenization is the WordPiece tokenizer of [`super::embed`] (the same vocabulary),
//! truncated to the model's 256 tokens as sentence-transformers does. The forward pass itself is
//! the workspace crate `aligner-minilm` (`crates/minilm`), kept apart so that every profile builds
//! it optimized.

use std::sync::OnceLock;

pub use aligner_minilm::{Kernel, ModelError as EncoderError, BATCH_TOKENS};
use aligner_minilm::{Model, CLS, SEP};

pub(crate) const SHIPPED: &[u8] = include_bytes!("../../data/encoder/minilm-l6-v2.bin");

/// The sentence model, ready to encode text.
#[derive(Debug)]
pub struct Encoder {
    model: Model,
}

impl Encoder {
    /// The shipped model (decoded on first use).
    pub fn shipped() -> &'static Encoder {
        static E: OnceLock<Encoder> = OnceLock::new();
        E.get_or_init(|| Encoder::from_bytes(SHIPPED).expect("the shipped encoder file is well-formed (tested)"))
    }

    /// Read an encoder file, for the kernel of [`Kernel::auto`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Encoder, EncoderError> {
        Encoder::from_bytes_with(bytes, Kernel::auto())
    }

    /// Read an encoder file, for a kernel ([`Kernel::F32`] if this CPU does not run `kernel`).
    pub fn from_bytes_with(bytes: &[u8], kernel: Kernel) -> Result<Encoder, EncoderError> {
        Ok(Encoder {
            model: Model::from_bytes_with(bytes, kernel)?,
        })
    }

    /// The model's name, from its file.
    pub fn model(&self) -> &str {
        &self.model.model
    }

    /// The kernel of the dense layers.
    pub fn kernel(&self) -> Kernel {
        self.model.kernel()
    }

    /// The vector's length.
    pub fn dims(&self) -> usize {
        self.model.dims()
    }

    /// The model's input for a text: `[CLS]`, its WordPiece tokens (at most `max_tokens - 2`),
    /// `[SEP]`.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![CLS];
        let toks = super::embed::Embeddings::shipped().tokenize(text);
        ids.extend(toks.into_iter().take(self.model.max_tokens() - 2));
        ids.push(SEP);
        ids
    }

    /// One text's vector (L2-normalized).
    pub fn encode(&self, text: &str) -> Vec<f32> {
        self.encode_all(&[text], 1).pop().unwrap_or_default()
    }

    /// The vectors of many texts, in order, on up to `threads` threads.
    pub fn encode_all<S: AsRef<str> + Sync>(&self, texts: &[S], threads: usize) -> Vec<Vec<f32>> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.token_ids(t.as_ref())).collect();
        self.encode_ids(&ids, threads)
    }

    /// The vectors of tokenized texts ([`Encoder::token_ids`]), in order.
    pub fn encode_ids(&self, ids: &[Vec<u32>], threads: usize) -> Vec<Vec<f32>> {
        self.model.encode_ids(ids, threads)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_cut_to_the_model_limit_and_encoded_alike_in_any_batch() {
        let e = Encoder::shipped();
        let long = "triangle ".repeat(400);
        let ids = e.token_ids(&long);
        assert_eq!(ids.len(), 256);
        assert_eq!((ids[0], ids[255]), (CLS, SEP));
        let texts = ["Add fractions with like denominators", "", long.as_str()];
        let all = e.encode_all(&texts, 2);
        for (t, v) in texts.iter().zip(&all) {
            assert_eq!(&e.encode(t), v);
        }
    }
}
