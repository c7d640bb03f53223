//! Readers for everything aligner takes in: standards frameworks ([`standards`]) and curricula
//! ([`curriculum`]).

pub mod curriculum;
pub mod standards;
