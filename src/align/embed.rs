//! Static word embeddings (placeholder; being written).
