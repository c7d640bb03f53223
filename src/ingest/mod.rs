//! Readers for everything aligner takes in: standards frameworks ([`standards`]) and curricula
//! ([`curriculum`]).

// User text is sliced only at char boundaries and indexed only where the index is proven in
// range; the lints make every exception say why.
#![cfg_attr(not(test), warn(clippy::string_slice, clippy::indexing_slicing))]

pub(crate) mod csv_guard;
pub mod curriculum;
pub mod standards;
