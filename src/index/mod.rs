//! The persistent index: a tantivy index of every standard plus the stored frameworks
//! (`corpus.json`) and a `meta.json` saying what it was built from.
//!
//! Location: `--index DIR`, else `$ALIGNER_INDEX`, else `$XDG_CACHE_HOME/aligner/index`, else
//! `$HOME/.cache/aligner/index`, else `.aligner-index` in the working directory. An index built
//! from the shipped data by another version of aligner is rebuilt when opened.

pub mod build;
pub mod schema;
pub mod search;

use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::ingest::standards::{self, Format};
use crate::model::Framework;
use crate::shipped;
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexReader, ReloadPolicy};

pub const META_FILE: &str = "meta.json";
pub const CORPUS_FILE: &str = "corpus.json";
pub const TANTIVY_DIR: &str = "tantivy";

/// What an index was built from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub aligner_version: String,
    pub schema_version: u32,
    /// The shipped data's fingerprint when built from it; `None` when built from user files.
    pub shipped: Option<String>,
    pub sources: Vec<String>,
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub standards: usize,
}

/// The default index directory (without `--index` or `ALIGNER_INDEX`).
pub fn default_dir() -> PathBuf {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(x) = env("XDG_CACHE_HOME") {
        return x.join("aligner").join("index");
    }
    if let Some(h) = env("HOME").or_else(|| env("USERPROFILE")) {
        return h.join(".cache").join("aligner").join("index");
    }
    PathBuf::from(".aligner-index")
}

/// Read the shipped corpus (embedded in the binary).
pub fn read_shipped() -> Result<Vec<Framework>> {
    shipped::FILES
        .iter()
        .map(|(name, bytes)| {
            let path = Path::new("data/standards").join(name);
            let text = crate::error::text_from_bytes(&path, bytes.to_vec())?;
            standards::read_framework_str(&path, &text, None)
        })
        .collect()
}

/// Read frameworks from files and folders (folders recursively: `.json`, `.xml`, `.rdf`, `.csv`).
pub fn read_paths(
    paths: &[PathBuf],
    format: Option<Format>,
    progress: &dyn Fn(build::Progress),
) -> Result<Vec<Framework>> {
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files)?;
    }
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no standards files (.json, .xml, .rdf, .csv) found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut out: Vec<Framework> = Vec::new();
    for f in files {
        progress(build::Progress::Reading(f.display().to_string()));
        let fw = standards::read_framework(&f, format)?;
        if let Some(prev) = out.iter().find(|p| p.id == fw.id) {
            return Err(Error::Usage(format!(
                "framework id {:?} is read from both {} and {}; index them separately",
                fw.id, prev.source, fw.source
            )));
        }
        out.push(fw);
    }
    Ok(out)
}

fn collect_files(p: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let md = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
    if md.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
        .map_err(|e| Error::io(p, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect_files(&e, out)?;
        } else if matches!(
            e.extension()
                .and_then(|x| x.to_str())
                .map(|x| x.to_ascii_lowercase())
                .as_deref(),
            Some("json" | "xml" | "rdf" | "csv")
        ) {
            out.push(e);
        }
    }
    Ok(())
}

/// Build the index at `dir` from the shipped corpus or from `paths`.
pub fn build_from(
    dir: &Path,
    paths: &[PathBuf],
    format: Option<Format>,
    progress: &dyn Fn(build::Progress),
) -> Result<Meta> {
    let _lock = build::lock(dir)?;
    let (frameworks, meta) = if paths.is_empty() {
        progress(build::Progress::Reading("shipped standards".into()));
        (
            read_shipped()?,
            new_meta(Some(shipped::fingerprint()), vec!["(shipped data/standards)".into()]),
        )
    } else {
        let fws = read_paths(paths, format, progress)?;
        (
            fws,
            new_meta(None, paths.iter().map(|p| p.display().to_string()).collect()),
        )
    };
    build::build(dir, frameworks, meta, progress)?;
    read_meta(dir)
}

fn new_meta(shipped: Option<String>, sources: Vec<String>) -> Meta {
    Meta {
        aligner_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: schema::version(),
        shipped,
        sources,
        frameworks: Vec::new(),
        standards: 0,
    }
}

fn read_meta(dir: &Path) -> Result<Meta> {
    let p = dir.join(META_FILE);
    let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Index {
        dir: dir.to_path_buf(),
        msg: format!("{META_FILE}: {e}; rebuild it with `aligner index`"),
    })
}

/// An opened index: the frameworks and the tantivy searcher.
pub struct Library {
    pub dir: PathBuf,
    pub meta: Meta,
    pub corpus: Corpus,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
}

impl Library {
    /// Open the index at `dir`. When there is none (or it was built from the shipped data by
    /// another version), build it from the shipped data first.
    pub fn open_or_build(dir: &Path, progress: &dyn Fn(build::Progress)) -> Result<Library> {
        build::recover(dir);
        let stale = match read_meta(dir) {
            Ok(m) => {
                m.schema_version != schema::version()
                    || m.shipped.as_ref().is_some_and(|f| *f != shipped::fingerprint())
            }
            Err(_) => !dir.join(META_FILE).exists(),
        };
        if stale {
            match build_from(dir, &[], None, progress) {
                Ok(_) => {}
                // Someone else is building it: wait for them, then open.
                Err(Error::IndexBusy { .. }) => {
                    let _l = wait_lock(dir)?;
                }
                Err(e) => return Err(e),
            }
        }
        Library::open(dir)
    }

    /// Open an existing index.
    pub fn open(dir: &Path) -> Result<Library> {
        let meta = read_meta(dir)?;
        let err = |msg: String| Error::Index {
            dir: dir.to_path_buf(),
            msg,
        };
        let corpus_path = dir.join(CORPUS_FILE);
        let bytes = std::fs::read(&corpus_path).map_err(|e| Error::io(&corpus_path, e))?;
        let frameworks: Vec<Framework> = serde_json::from_slice(&bytes)
            .map_err(|e| err(format!("{CORPUS_FILE}: {e}; rebuild it with `aligner index`")))?;
        let index = Index::open_in_dir(dir.join(TANTIVY_DIR))?;
        schema::register(&index);
        let fields =
            Fields::from_schema(&index.schema()).map_err(|e| err(format!("{e}; rebuild it with `aligner index`")))?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Library {
            dir: dir.to_path_buf(),
            meta,
            corpus: Corpus::new(frameworks),
            index,
            reader,
            fields,
        })
    }
}

fn wait_lock(dir: &Path) -> Result<build::BuildLock> {
    for _ in 0..600 {
        match build::lock(dir) {
            Err(Error::IndexBusy { .. }) => std::thread::sleep(std::time::Duration::from_millis(100)),
            r => return r,
        }
    }
    Err(Error::IndexBusy { dir: dir.to_path_buf() })
}
