//! Shared helpers for the integration tests: one index of the shipped data and one of the
//! Riverside framework, each built once for the whole test binary.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A temporary directory holding an index of the shipped data, built once per test binary.
pub fn shipped_index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().expect("temp dir");
        let ix = d.path().join("index");
        Command::cargo_bin("aligner")
            .unwrap()
            .args(["index", "--index"])
            .arg(&ix)
            .assert()
            .success();
        d
    })
    .path()
    .join("index")
    .leak()
}

/// `aligner` with the shared index.
pub fn aligner() -> Command {
    let mut c = Command::cargo_bin("aligner").unwrap();
    // Tables are as wide as `COLUMNS` says: the tests' own, not the caller's.
    c.env("ALIGNER_INDEX", shipped_index()).env_remove("COLUMNS");
    c
}

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

pub fn stdout_of(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Run a command that succeeds and parse its standard output as JSON.
pub fn json_of(c: &mut Command) -> serde_json::Value {
    serde_json::from_str(&stdout_of(c)).expect("JSON output")
}

/// An index of the hand-checkable Riverside framework (tests/data/audit/riverside-math.csv).
pub fn riverside_index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        Command::cargo_bin("aligner")
            .unwrap()
            .args(["index", "--only", "--index"])
            .arg(d.path().join("ix"))
            .arg(data("audit/riverside-math.csv"))
            .assert()
            .success();
        d
    })
    .path()
    .join("ix")
    .leak()
}

pub fn riverside() -> Command {
    let mut c = Command::cargo_bin("aligner").unwrap();
    c.env("ALIGNER_INDEX", riverside_index())
        .env_remove("COLUMNS")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}
