//! aligner: a standards-alignment analyzer.
//!
//! The data flows through the modules in this order: [`ingest`] reads standards frameworks and
//! curricula into the [`model`]; [`codes`] parses and resolves standard codes; [`index`] keeps the
//! frameworks in a tantivy index on disk; [`align`] matches units to standards and checks claims;
//! [`report`] computes coverage and renders it. [`align::plan`] is the entry point a command
//! calls: it resolves the scope and aligns the units.
//!
//! The `aligner` binary (`src/main.rs` and its `cli` module) only parses the command line, calls
//! these modules, writes their output and maps the outcome to the exit code.

pub mod align;
pub mod codes;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod model;
pub mod report;
pub mod review;
pub mod shipped;
pub mod text;

pub use error::{Error, Result};
