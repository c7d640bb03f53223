//! The persistent index: a tantivy index of every standard plus the stored frameworks
//! (`corpus.bin`) and a `meta.json` saying what it was built from.
//!
//! Location: `--index DIR`, else `$ALIGNER_INDEX`, else `$XDG_CACHE_HOME/aligner/index`, else
//! `$HOME/.cache/aligner/index`, else `.aligner-index` in the working directory.
//!
//! Faults and upgrades:
//! - An index built by another version (another [`schema::version`]) is rebuilt when opened from
//!   what it was built from: the shipped data, or the user's files recorded in `meta.json` (as
//!   absolute paths, with the `--format` used). When those files are gone it is left alone and the
//!   error says how to rebuild it; it is never replaced by the shipped data.
//! - Reading needs no write access: the index is opened through [`ReadOnlyDir`], which takes no
//!   lock (an index directory is never written in place, see [`build`]).
//! - A damaged index (a file missing or corrupted) is reported as such, naming the directory and
//!   `aligner index --rebuild` ([`rebuild`]), which rebuilds it without anything being deleted
//!   by hand.

pub mod build;
pub mod code_keys;
pub mod codec;
pub mod docs;
pub mod schema;
pub mod search;
pub mod store;

use crate::corpus::Corpus;
use crate::error::{Error, Location, Result};
use crate::ingest::standards::{self, Format};
use crate::model::Framework;
use crate::shipped;
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

pub const META_FILE: &str = "meta.json";
pub const CORPUS_FILE: &str = "corpus.bin";
pub const TANTIVY_DIR: &str = "tantivy";

/// What `sources` holds for an index of the shipped data.
pub const SHIPPED_SOURCE: &str = "(shipped data/standards)";

/// What an index was built from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub aligner_version: String,
    pub schema_version: u32,
    /// The shipped data's fingerprint when the shipped frameworks are in it; `None` when it was
    /// built from the user's files alone (`aligner index --only FILES`).
    pub shipped: Option<String>,
    /// What it was built from: [`SHIPPED_SOURCE`] when the shipped frameworks are in it, then the
    /// user's files and folders as absolute, canonical paths (indexes built before aligner
    /// recorded them so hold the paths as given).
    pub sources: Vec<String>,
    /// The `--format` given when it was built (its command-line name), if any.
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub standards: usize,
    /// Where each framework came from, by id: `shipped`, or the file it was read from (absolute).
    #[serde(default)]
    pub origins: std::collections::BTreeMap<String, String>,
}

/// What [`Meta::origins`] holds for a shipped framework.
pub const SHIPPED_ORIGIN: &str = "shipped";

impl Meta {
    /// The shipped frameworks are in it (alone, or with the user's files).
    pub fn is_shipped(&self) -> bool {
        self.shipped.is_some()
    }

    /// The user's files and folders it was built from, as recorded (without [`SHIPPED_SOURCE`]).
    pub fn user_sources(&self) -> Vec<&str> {
        self.sources
            .iter()
            .map(String::as_str)
            .filter(|s| *s != SHIPPED_SOURCE)
            .collect()
    }

    /// Where framework `id` came from: `shipped` or its file.
    pub fn origin(&self, id: &str) -> Option<&str> {
        self.origins.get(id).map(String::as_str)
    }

    /// Up to date for this aligner: same index schema, and the same shipped data when built from it.
    pub fn is_current(&self) -> bool {
        self.schema_version == schema::version() && self.shipped.as_ref().is_none_or(|f| *f == shipped::fingerprint())
    }

    /// "aligner 0.1.0, index version 12", and this aligner's index version when it differs.
    pub fn built_by(&self) -> String {
        let mut s = format!(
            "aligner {}, index version {}",
            self.aligner_version, self.schema_version
        );
        if self.schema_version != schema::version() {
            s.push_str(&format!("; this aligner writes version {}", schema::version()));
        }
        s
    }

    /// The recorded `--format`.
    pub fn format(&self) -> Option<Format> {
        self.format.as_deref().and_then(Format::from_id)
    }

    /// The recorded user sources as paths to read again (none for the shipped data alone), when
    /// every one of them is an absolute path that still exists; else the ones that cannot be read
    /// again, each with why, as `Err`.
    pub fn source_paths(&self) -> std::result::Result<Vec<PathBuf>, Vec<String>> {
        let user = self.user_sources();
        let bad: Vec<String> = user
            .iter()
            .filter_map(|s| {
                let p = Path::new(s);
                if !p.is_absolute() {
                    Some(format!("{s} (recorded as a relative path)"))
                } else if !p.exists() {
                    Some(format!("{s} (gone)"))
                } else {
                    None
                }
            })
            .collect();
        if !bad.is_empty() {
            return Err(bad);
        }
        if user.is_empty() && !self.is_shipped() {
            return Err(vec!["(no sources recorded)".into()]);
        }
        Ok(user.iter().map(PathBuf::from).collect())
    }

    /// The `aligner index …` command that rebuilds it from its recorded sources.
    pub fn index_command(&self) -> String {
        let mut c = String::from("aligner index");
        if !self.is_shipped() && !self.sources.iter().any(|s| s == SHIPPED_SOURCE) {
            c.push_str(" --only");
        }
        if let Some(f) = &self.format {
            c.push_str(" --format ");
            c.push_str(f);
        }
        for s in self.user_sources() {
            c.push(' ');
            c.push_str(&shell_quote(s));
        }
        c
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ',' | ':' | '@'))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
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
            let mut fw = standards::read_framework_str(&path, &text, None)?;
            if let Some(d) = shipped::DESCRIPTIONS.iter().find(|d| d.file == *name) {
                fw.title = d.title.into();
                fw.jurisdiction = d.jurisdiction.into();
                fw.license = d.license.into();
            }
            Ok(fw)
        })
        .collect()
}

/// Read frameworks from files and folders (folders recursively: `.json`, `.xml`, `.rdf`, `.csv`).
pub fn read_paths(
    paths: &[PathBuf],
    format: Option<Format>,
    progress: &dyn Fn(build::Progress),
) -> Result<Vec<Framework>> {
    Ok(read_files(paths, format, progress)?
        .into_iter()
        .map(|(_, fw)| fw)
        .collect())
}

/// [`read_paths`], each framework with the file it was read from.
fn read_files(
    paths: &[PathBuf],
    format: Option<Format>,
    progress: &dyn Fn(build::Progress),
) -> Result<Vec<(PathBuf, Framework)>> {
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
    let mut out: Vec<(PathBuf, Framework)> = Vec::new();
    for f in files {
        progress(build::Progress::Reading(f.display().to_string()));
        let fw = standards::read_framework(&f, format)?;
        if let Some((_, prev)) = out.iter().find(|(_, p)| p.id == fw.id) {
            return Err(Error::Usage(format!(
                "framework id {:?} is read from both {} and {}; index them separately",
                fw.id, prev.source, fw.source
            )));
        }
        out.push((f, fw));
    }
    Ok(out)
}

/// A standards file must be a regular file (or a symlink to one), so that the index can be
/// rebuilt from it later: a FIFO, a device or a process substitution is refused.
fn not_regular(p: &Path) -> Error {
    Error::input(
        Location::file(p),
        "not a regular file or folder (aligner reads standards from files it can read again to rebuild the index; save it to a file first)",
    )
}

fn collect_files(p: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let md = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
    if md.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    if !md.is_dir() {
        return Err(not_regular(p));
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
            if !e.is_file() {
                return Err(not_regular(&e));
            }
            out.push(e);
        }
    }
    Ok(())
}

/// The outcome of a build: what was written, from what, and the readers' warnings.
#[derive(Debug, Clone)]
pub struct Built {
    pub meta: Meta,
    /// What it was built from, for a message: "the shipped data", the files, or the frameworks
    /// that were stored in the index.
    pub from: String,
    /// What the readers repaired or found doubtful (see [`Framework::warnings`]; each names its
    /// file).
    pub warnings: Vec<String>,
}

/// Build the index at `dir` from the shipped corpus and the frameworks of `paths` (none: the
/// shipped corpus alone). A file whose framework has the id of a shipped one takes its place,
/// with a warning.
pub fn build_from(
    dir: &Path,
    paths: &[PathBuf],
    format: Option<Format>,
    progress: &dyn Fn(build::Progress),
) -> Result<Built> {
    build_with(dir, paths, format, true, progress)
}

/// Build the index at `dir` from the frameworks of `paths` alone, without the shipped corpus
/// (`aligner index --only FILES`).
pub fn build_only(
    dir: &Path,
    paths: &[PathBuf],
    format: Option<Format>,
    progress: &dyn Fn(build::Progress),
) -> Result<Built> {
    if paths.is_empty() {
        return Err(Error::Usage(
            "--only builds the index from the given files alone: give the standards files to index".into(),
        ));
    }
    build_with(dir, paths, format, false, progress)
}

fn build_with(
    dir: &Path,
    paths: &[PathBuf],
    format: Option<Format>,
    with_shipped: bool,
    progress: &dyn Fn(build::Progress),
) -> Result<Built> {
    let _lock = build::lock(dir)?;
    build::tidy(dir);
    build_locked(dir, paths, format, with_shipped, progress)
}

/// [`build_with`] with the lock held.
fn build_locked(
    dir: &Path,
    paths: &[PathBuf],
    format: Option<Format>,
    with_shipped: bool,
    progress: &dyn Fn(build::Progress),
) -> Result<Built> {
    if paths.is_empty() {
        return build_shipped(dir, progress);
    }
    // Recorded as absolute, canonical paths, so that a later version can read them again.
    let canonical = |p: &Path| -> Result<String> {
        let c = std::fs::canonicalize(p).map_err(|e| Error::io(p, e))?;
        Ok(c.to_string_lossy().into_owned())
    };
    let mut sources = Vec::new();
    if with_shipped {
        sources.push(SHIPPED_SOURCE.to_string());
    }
    for p in paths {
        let md = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if !md.is_file() && !md.is_dir() {
            return Err(not_regular(p));
        }
        sources.push(canonical(p)?);
    }
    let user = read_files(paths, format, progress)?;
    let mut fws = Vec::new();
    let mut origins = std::collections::BTreeMap::new();
    if with_shipped {
        progress(build::Progress::Reading("shipped standards".into()));
        fws = read_shipped()?;
        for fw in &fws {
            origins.insert(fw.id.clone(), SHIPPED_ORIGIN.to_string());
        }
    }
    let mut replaced = Vec::new();
    for (file, fw) in user {
        origins.insert(fw.id.clone(), canonical(&file)?);
        match fws.iter().position(|s| s.id == fw.id) {
            Some(pos) => {
                replaced.push(format!(
                    "{}: framework {} takes the place of the shipped {} (`aligner index --only` indexes your files alone)",
                    file.display(),
                    fw.id,
                    fw.id
                ));
                if let Some(slot) = fws.get_mut(pos) {
                    *slot = fw;
                }
            }
            None => fws.push(fw),
        }
    }
    let mut meta = new_meta(with_shipped.then(shipped::fingerprint), sources);
    meta.format = format.map(|f| f.id().to_string());
    meta.origins = origins;
    let from = if with_shipped {
        format!("the shipped data and {}", meta.user_sources().join(", "))
    } else {
        meta.sources.join(", ")
    };
    let mut built = finish(dir, fws, meta, from, progress)?;
    built.warnings.splice(0..0, replaced);
    Ok(built)
}

fn build_shipped(dir: &Path, progress: &dyn Fn(build::Progress)) -> Result<Built> {
    progress(build::Progress::Reading("shipped standards".into()));
    let fws = read_shipped()?;
    let mut meta = new_meta(Some(shipped::fingerprint()), vec![SHIPPED_SOURCE.into()]);
    meta.origins = fws.iter().map(|f| (f.id.clone(), SHIPPED_ORIGIN.to_string())).collect();
    finish(dir, fws, meta, "the shipped data".into(), progress)
}

fn finish(
    dir: &Path,
    frameworks: Vec<Framework>,
    meta: Meta,
    from: String,
    progress: &dyn Fn(build::Progress),
) -> Result<Built> {
    let warnings = frameworks.iter().flat_map(|f| f.warnings.iter().cloned()).collect();
    build::build(dir, frameworks, meta, progress)?;
    Ok(Built {
        meta: read_meta(dir)?,
        from,
        warnings,
    })
}

/// `aligner index --rebuild`: rebuild the index at `dir` from what it was built from, whatever
/// state it is in, without the user deleting anything:
/// - built from the shipped data: from the shipped data;
/// - built from files that all still exist: from them (with the recorded `--format`);
/// - otherwise, when its stored frameworks (`corpus.bin`) can be read: from those;
/// - with neither `meta.json` nor readable stored frameworks (or no index at all): from the
///   shipped data.
///
/// Refuses only when the index was built from files that are gone and its stored frameworks
/// cannot be read.
pub fn rebuild(dir: &Path, progress: &dyn Fn(build::Progress)) -> Result<Built> {
    let _lock = build::lock(dir)?;
    build::tidy(dir);
    let meta = read_meta(dir).ok();
    let stored = || read_corpus(dir);
    match meta {
        Some(m) if m.is_shipped() && m.user_sources().is_empty() => build_shipped(dir, progress),
        Some(m) => match m.source_paths() {
            Ok(paths) => build_locked(dir, &paths, m.format(), m.is_shipped(), progress),
            Err(gone) => match stored() {
                Ok(fws) => {
                    let from = format!(
                        "the frameworks stored in the index (its sources cannot be read again: {})",
                        gone.join(", ")
                    );
                    let mut meta = new_meta(None, m.sources.clone());
                    meta.format = m.format.clone();
                    meta.origins = m.origins.clone();
                    finish(dir, fws, meta, from, progress)
                }
                Err(e) => Err(Error::Index {
                    dir: dir.to_path_buf(),
                    msg: format!(
                        "cannot rebuild it: its sources cannot be read again ({}) and its stored frameworks cannot be read ({}); run `aligner index` with the standards files",
                        gone.join(", "),
                        short(&e.to_string())
                    ),
                }),
            },
        },
        None => match stored() {
            Ok(fws) if is_shipped_set(&fws) => build_shipped(dir, progress),
            Ok(fws) => {
                let sources = fws.iter().map(|f| f.source.clone()).collect();
                let from = "the frameworks stored in the index (its meta.json was unreadable)".to_string();
                finish(dir, fws, new_meta(None, sources), from, progress)
            }
            Err(_) => build_shipped(dir, progress),
        },
    }
}

/// The stored frameworks are exactly the shipped ones (same ids, same sources).
fn is_shipped_set(fws: &[Framework]) -> bool {
    let key = |f: &Framework| (f.id.clone(), f.source.clone());
    let mut have: Vec<_> = fws.iter().map(key).collect();
    have.sort();
    let Ok(shipped) = read_shipped() else { return false };
    let mut want: Vec<_> = shipped.iter().map(key).collect();
    want.sort();
    have == want
}

fn new_meta(shipped: Option<String>, sources: Vec<String>) -> Meta {
    Meta {
        aligner_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: schema::version(),
        shipped,
        sources,
        format: None,
        frameworks: Vec::new(),
        standards: 0,
        origins: Default::default(),
    }
}

/// "damaged (…); rebuild it with `aligner index --rebuild`".
fn damaged(dir: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Index {
        dir: dir.to_path_buf(),
        msg: format!("damaged ({reason}); rebuild it with `aligner index --rebuild`"),
    }
}

/// A file of the index that cannot be read: damaged when it is missing or malformed; a plain I/O
/// error (permission denied, …) otherwise.
fn unreadable(dir: &Path, path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        damaged(dir, format!("{} is missing", rel(dir, path)))
    } else {
        Error::Index {
            dir: dir.to_path_buf(),
            msg: format!("cannot read {}: {e}", rel(dir, path)),
        }
    }
}

fn rel(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir).unwrap_or(p).display().to_string()
}

/// The first line of a message, at most 160 characters.
fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default();
    match line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

fn read_meta(dir: &Path) -> Result<Meta> {
    let p = dir.join(META_FILE);
    let bytes = std::fs::read(&p).map_err(|e| unreadable(dir, &p, e))?;
    serde_json::from_slice(&bytes).map_err(|e| damaged(dir, format!("{META_FILE}: {e}")))
}

fn read_corpus(dir: &Path) -> Result<Vec<Framework>> {
    let p = dir.join(CORPUS_FILE);
    let bytes = std::fs::read(&p).map_err(|e| unreadable(dir, &p, e))?;
    codec::decode(&bytes).map_err(|e| damaged(dir, format!("{CORPUS_FILE}: {e}")))
}

/// A tantivy error raised while opening the index, said in a few words, naming the file.
fn open_failure(dir: &Path, e: TantivyError) -> Error {
    let name = |p: &Path| {
        format!(
            "{TANTIVY_DIR}/{}",
            p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
        )
    };
    let reason = match &e {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => format!("{} is missing", name(p)),
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => match io_error.kind() {
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => {
                format!("{} is truncated or corrupted", name(filepath))
            }
            std::io::ErrorKind::PermissionDenied => {
                return Error::Index {
                    dir: dir.to_path_buf(),
                    msg: format!("cannot read {}: {io_error}", name(filepath)),
                }
            }
            _ => format!("{}: {}", name(filepath), short(&io_error.to_string())),
        },
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_)) | TantivyError::IncompatibleIndex(_) => {
            "written by an incompatible version of the search engine".into()
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_)) => {
            format!("the {TANTIVY_DIR} folder is missing")
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::NotADirectory(_)) => {
            format!("{TANTIVY_DIR} is not a folder")
        }
        TantivyError::DataCorruption(c) => short(&format!("{c:?}")),
        other => short(&other.to_string()),
    };
    damaged(dir, reason)
}

/// The tantivy directory of an index opened for reading: reads go to an [`MmapDirectory`];
/// nothing is written, and no lock is taken (tantivy's reader takes `.tantivy-meta.lock`, which
/// only guards against a writer's garbage collection; an aligner index is never written in place),
/// so that a read-only index can be searched.
#[derive(Debug, Clone)]
pub struct ReadOnlyDir(MmapDirectory);

impl ReadOnlyDir {
    pub fn open(path: &Path) -> std::result::Result<ReadOnlyDir, OpenDirectoryError> {
        MmapDirectory::open(path).map(ReadOnlyDir)
    }
}

fn read_only_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, "the index is opened read-only")
}

impl Directory for ReadOnlyDir {
    fn get_file_handle(&self, path: &Path) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only_error()),
            filepath: path.to_path_buf(),
        })
    }
    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(read_only_error(), path.to_path_buf()))
    }
    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error())
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn acquire_lock(&self, _lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }
    fn watch(&self, _cb: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// An opened index: the tantivy searcher and the engine store, opened by memory map; the
/// frameworks themselves are read when a command first asks for them ([`Library::corpus`]).
pub struct Library {
    pub dir: PathBuf,
    pub meta: Meta,
    corpus: std::sync::OnceLock<Corpus>,
    pub store: store::Store,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Set when opening rebuilt an index built by another aligner version: what was done, for
    /// the command line to tell the user ("rebuilt the index at DIR from …").
    pub rebuilt: Option<String>,
}

impl Library {
    /// Open the index at `dir`. When there is none, build it from the shipped data first. When it
    /// was built by another version of aligner, rebuild it from what it was built from (see
    /// [`Library::rebuilt`]): the shipped data, or the user's files when they all still exist;
    /// if they do not, fail with a message saying how to rebuild it (never from the shipped data).
    pub fn open_or_build(dir: &Path, progress: &dyn Fn(build::Progress)) -> Result<Library> {
        build::recover(dir);
        let mut rebuilt = None;
        let attempt = match read_meta(dir) {
            Ok(m) if m.is_current() => Ok(()),
            Ok(m) if m.is_shipped() && m.user_sources().is_empty() => {
                rebuilt = Some(format!(
                    "rebuilt the index at {} from the shipped data (it was built by {})",
                    dir.display(),
                    m.built_by()
                ));
                build_from(dir, &[], None, progress).map(drop)
            }
            Ok(m) => {
                let paths = m.source_paths().map_err(|gone| Error::Index {
                    dir: dir.to_path_buf(),
                    msg: format!(
                        "built by another aligner version ({}) from {}, and cannot be rebuilt from them: {}; run `{}` (or `aligner index --rebuild` to rebuild it from the frameworks stored in it)",
                        m.built_by(),
                        m.sources.join(", "),
                        gone.join(", "),
                        m.index_command()
                    ),
                })?;
                rebuilt = Some(format!(
                    "rebuilt the index at {} from {} (it was built by {})",
                    dir.display(),
                    m.sources.join(", "),
                    m.built_by()
                ));
                build_with(dir, &paths, m.format(), m.is_shipped(), progress)
                    .map(drop)
                    .map_err(|e| match e {
                        e @ Error::IndexBusy { .. } => e,
                        e => Error::Index {
                            dir: dir.to_path_buf(),
                            msg: format!(
                                "built by another aligner version ({}); rebuilding it from {} failed: {e}",
                                m.built_by(),
                                m.sources.join(", ")
                            ),
                        },
                    })
            }
            // No index yet (or an empty directory): build it from the shipped data.
            Err(_) if is_empty_or_missing(dir) => build_from(dir, &[], None, progress).map(drop),
            // A damaged index: say so (opening names what is wrong).
            Err(e) if build::looks_like_index(dir) => return Err(e),
            // Something else: the build refuses to replace it.
            Err(_) => build_from(dir, &[], None, progress).map(drop),
        };
        match attempt {
            Ok(()) => {}
            // Someone else is building it: wait for them, then open.
            Err(Error::IndexBusy { .. }) => {
                let _l = wait_lock(dir)?;
                build::tidy(dir);
                rebuilt = None;
            }
            Err(e) => return Err(e),
        }
        let mut lib = Library::open(dir)?;
        lib.rebuilt = rebuilt;
        Ok(lib)
    }

    /// Open an existing index, read-only.
    pub fn open(dir: &Path) -> Result<Library> {
        let meta = read_meta(dir)?;
        let store = store::Store::open(dir)?;
        let fail = |e| open_failure(dir, e);
        let tantivy_dir = ReadOnlyDir::open(&dir.join(TANTIVY_DIR)).map_err(|e| fail(e.into()))?;
        let index = Index::open(tantivy_dir).map_err(fail)?;
        schema::register(&index);
        let fields = Fields::from_schema(&index.schema()).map_err(fail)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(fail)?;
        Ok(Library {
            dir: dir.to_path_buf(),
            meta,
            corpus: std::sync::OnceLock::new(),
            store,
            index,
            reader,
            fields,
            rebuilt: None,
        })
    }
}

impl Library {
    /// The frameworks, read from the index on first use (`search` never needs them).
    pub fn corpus(&self) -> Result<&Corpus> {
        if let Some(c) = self.corpus.get() {
            return Ok(c);
        }
        let c = Corpus::new(read_corpus(&self.dir)?);
        Ok(self.corpus.get_or_init(|| c))
    }

    /// The ids of the frameworks in the index, in index order.
    pub fn framework_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.store.meta.frameworks.iter().map(|f| f.id.as_str())
    }

    /// Position of the framework with this id (case-insensitive), without reading the corpus.
    pub fn framework_pos(&self, id: &str) -> Result<usize> {
        crate::corpus::framework_pos(self.framework_ids(), id)
    }

    /// Positions of frameworks selected by an optional id list.
    pub fn framework_filter(&self, ids: &[String]) -> Result<Option<Vec<usize>>> {
        crate::corpus::framework_filter(self.framework_ids(), ids)
    }
}

fn is_empty_or_missing(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut r) => r.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
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
