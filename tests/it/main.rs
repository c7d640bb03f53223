//! The integration tests, one test binary: each module is one area, run as a user runs the
//! binary or as a caller uses the library. The modules share [`common`], and with it one index of
//! the shipped data and one of the small Riverside framework.

mod bad_inputs;
mod claims_toc;
mod cli_audit;
mod cli_eval;
mod cli_output;
mod cli_standards;
mod codes;
mod common;
mod compare;
mod correlation;
mod crosswalk;
mod curriculum;
mod decisions;
mod embed;
mod encoder;
mod engine;
mod frameworks_more;
mod hostile;
mod html;
mod index_faults;
mod ingest_standards;
mod rollups;
mod sentence;
mod subjects;
mod ux;
