//! Building an index: read the frameworks, write tantivy, the engine store and the stored corpus
//! into a temporary
//! directory beside the target, and swap it in only when complete. A lock file beside the target
//! makes a second concurrent build fail at once with [`Error::IndexBusy`].
//!
//! Beside an index `DIR` a build uses `DIR.lock` (the build lock, kept), `DIR.tmp-<pid>` (the new
//! index being written), and, while swapping, `DIR.swap-<pid>` (a marker written before the old
//! index is moved aside) and `DIR.old-<pid>` (the old index). A build killed between the two
//! renames leaves the marker and the old index: [`recover`] puts that old index back. Anything else
//! left by a killed build is stale and removed by the next build ([`tidy`]); an `.old-<pid>`
//! without its marker is never put back.
//!
//! Test hook: with `ALIGNER_TEST_HOLD=<stage>` in the environment, a build stops at that stage,
//! writes the file `DIR.held` (holding the stage name) and waits until that file is removed (at
//! most 60 s) before going on. Stages: `read` (the frameworks are read and the temporary directory
//! exists), `commit` (tantivy is committed), `store` (the engine store is written), `corpus` (the stored frameworks and `meta.json` are
//! written), `swap` (between the two renames: the old index is aside, the new one not yet in
//! place) and `swapped` (the new index is in place, the old one not yet removed); the last two
//! only when there is an index to replace. The fault tests (`tests/it/index_faults.rs`) kill a build
//! there.

use super::schema::{self, Fields};
use super::{Meta, CORPUS_FILE, META_FILE, TANTIVY_DIR};
use crate::error::{Error, Result};
use crate::model::{Framework, Kind};
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// What the build is doing, for a progress display.
#[derive(Debug, Clone)]
pub enum Progress {
    Reading(String),
    Indexing { frameworks: usize, standards: usize },
    Done,
}

/// Holds the build lock of an index directory until dropped.
pub struct BuildLock {
    _file: File,
}

/// Take the build lock of `dir` (the file `<dir>.lock` beside it), or fail with IndexBusy.
pub fn lock(dir: &Path) -> Result<BuildLock> {
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let path = sibling(dir, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(BuildLock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => Err(Error::IndexBusy { dir: dir.to_path_buf() }),
        Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    parent_of(dir).join(format!("{name}{suffix}"))
}

/// Removes a half-built directory unless disarmed.
struct TempDir(Option<PathBuf>);
impl Drop for TempDir {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_dir_all(p);
        }
    }
}

/// Build the index at `dir` from `frameworks`, replacing any index there only once the new one is
/// complete. The caller holds the lock (see [`lock`]).
pub fn build(dir: &Path, frameworks: Vec<Framework>, mut meta: Meta, progress: &dyn Fn(Progress)) -> Result<()> {
    tidy(dir);
    refuse_foreign(dir)?;
    // Headings without a code get the one their children share, as the corpus a command opens
    // does (`Corpus::new`); the code index itself is not needed to build.
    let mut fws = frameworks;
    for fw in &mut fws {
        crate::codes::derive_heading_codes(fw);
    }
    let n_std: usize = fws.iter().map(|f| f.standards.len()).sum();
    progress(Progress::Indexing {
        frameworks: fws.len(),
        standards: n_std,
    });

    let tmp_path = sibling(dir, &format!(".tmp-{}", std::process::id()));
    if tmp_path.exists() {
        fs::remove_dir_all(&tmp_path).map_err(|e| Error::io(&tmp_path, e))?;
    }
    let tmp = TempDir(Some(tmp_path.clone()));
    let tantivy_dir = tmp_path.join(TANTIVY_DIR);
    fs::create_dir_all(&tantivy_dir).map_err(|e| Error::io(&tantivy_dir, e))?;

    let (schema, fields) = Fields::schema();
    let index = Index::create_in_dir(&tantivy_dir, schema)?;
    schema::register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 64_000_000)?;
    hold(dir, "read");
    let params = crate::align::Params::default();
    // Three jobs run side by side: this thread walks the corpus and feeds tantivy (which indexes
    // on a thread of its own), a second analyses each standard for the engine store, and a third
    // embeds the standards. Node and doc numbers are counted here, in corpus order, so the result
    // does not depend on the threads' timing.
    let (rows, vecs) = std::thread::scope(|sc| -> Result<_> {
        let emb = sc.spawn(|| super::docs::embed_docs(&fws, &params));
        let (tx, rx) = std::sync::mpsc::sync_channel::<Option<super::docs::NodeTexts>>(4096);
        let fws_ref = &fws;
        let collect = sc.spawn(move || {
            let mut rows = super::docs::Collector::default();
            for msg in rx {
                match msg {
                    Some(nt) => {
                        rows.add(fws_ref, &nt);
                    }
                    None => rows.end_framework(),
                }
            }
            rows
        });
        let (mut next_node, mut next_doc) = (0u32, 0u32);
        for (f, fw) in fws.iter().enumerate() {
            let aliases = crate::shipped::aliases(&fw.id);
            let by_uri: rustc_hash::FxHashMap<&str, usize> = fw
                .standards
                .iter()
                .enumerate()
                .map(|(i, s)| (s.uri.as_str(), i))
                .collect();
            for (pos, s) in fw.standards.iter().enumerate() {
                if matches!(s.kind, Kind::Grouping) {
                    // Only its code, for code lookups: a grouping is no search result.
                    let keys = crate::codes::keys(s);
                    if !keys.is_empty() {
                        let mut d = TantivyDocument::default();
                        d.add_u64(fields.fwi, f as u64);
                        for k in keys {
                            d.add_text(fields.code, k);
                        }
                        if let Some(c) = s.code.as_deref().map(crate::codes::normalize) {
                            d.add_text(fields.primary, c);
                        }
                        writer.add_document(d)?;
                    }
                    continue;
                }
                let nt = super::docs::node_texts(&fws, f, pos, &by_uri, &aliases);
                let (node, doc) = (next_node, next_doc);
                next_node += 1;
                if s.kind.is_alignable() {
                    next_doc += 1;
                }
                let mut d = TantivyDocument::default();
                d.add_text(fields.fw, &fw.id);
                d.add_u64(fields.fwi, f as u64);
                d.add_u64(fields.pos, pos as u64);
                d.add_u64(fields.node, node as u64);
                if s.kind.is_alignable() {
                    d.add_text(fields.alignable, "1");
                    d.add_u64(fields.doc, doc as u64);
                }
                // Every key the code index finds it by (its code's spellings, its alternative codes).
                for k in crate::codes::keys(s) {
                    d.add_text(fields.code, k);
                }
                if let Some(c) = s.code.as_deref().map(crate::codes::normalize).filter(|c| !c.is_empty()) {
                    d.add_text(fields.primary, c);
                }
                d.add_text(fields.kind, s.kind.as_str());
                d.add_text(fields.subject, fw.subject.to_ascii_lowercase());
                for g in &s.grades {
                    d.add_i64(fields.grade, g.0 as i64);
                }
                let t = &nt.texts;
                use super::store::{F_CLUSTER, F_DOMAIN, F_NOTES, F_TEXT};
                for (field, k) in [
                    (fields.text, F_TEXT),
                    (fields.cluster, F_CLUSTER),
                    (fields.domain, F_DOMAIN),
                    (fields.notes, F_NOTES),
                ] {
                    if !t[k].is_empty() {
                        d.add_text(field, &t[k]);
                    }
                }
                for name in &nt.names {
                    d.add_text(fields.names, name);
                }
                writer.add_document(d)?;
                // The collector has stopped only if it panicked, which join reports below.
                let _ = tx.send(Some(nt));
            }
            let _ = tx.send(None);
        }
        drop(tx);
        let rows = collect.join().expect("the collector thread does not panic");
        Ok((rows, emb.join().expect("the embedding thread does not panic")))
    })?;
    // The engine store is written while tantivy commits and merges its segments.
    std::thread::scope(|sc| -> Result<()> {
        let store = sc.spawn(|| {
            rows.write(&tmp_path, &fws, vecs)
                .map_err(|e| Error::io(&tmp_path.join(super::store::STORE_FILE), e))
        });
        writer.commit()?;
        let ids = index.searchable_segment_ids()?;
        if ids.len() > 1 {
            writer.merge(&ids).wait()?;
        }
        writer.wait_merging_threads()?;
        hold(dir, "commit");
        store.join().expect("writing the store does not panic")
    })?;
    hold(dir, "store");

    let corpus_path = tmp_path.join(CORPUS_FILE);
    fs::write(&corpus_path, super::codec::encode(&fws)).map_err(|e| Error::io(&corpus_path, e))?;
    meta.frameworks = fws.iter().map(|f| f.id.clone()).collect();
    meta.standards = n_std;
    let meta_path = tmp_path.join(META_FILE);
    fs::write(&meta_path, serde_json::to_vec_pretty(&meta).expect("meta serializes"))
        .map_err(|e| Error::io(&meta_path, e))?;
    same_modes(&tmp_path);
    hold(dir, "corpus");

    // Swap: marker written, old aside, new in place, marker and old removed.
    let pid = std::process::id();
    let old = sibling(dir, &format!(".old-{pid}"));
    let marker = sibling(dir, &format!(".swap-{pid}"));
    let had_old = dir.exists();
    if had_old {
        File::create(&marker).map_err(|e| Error::io(&marker, e))?;
        if let Err(e) = fs::rename(dir, &old) {
            let _ = fs::remove_file(&marker);
            return Err(Error::io(dir, e));
        }
        hold(dir, "swap");
    }
    if let Err(e) = fs::rename(&tmp_path, dir) {
        if had_old {
            let _ = fs::rename(&old, dir);
            let _ = fs::remove_file(&marker);
        }
        return Err(Error::io(dir, e));
    }
    let mut tmp = tmp;
    tmp.0 = None;
    if had_old {
        hold(dir, "swapped");
        let _ = fs::remove_file(&marker);
        let _ = fs::remove_dir_all(&old);
    }
    progress(Progress::Done);
    // The frameworks of a large index take a while to free (hundreds of thousands of small
    // allocations): a thread of their own does it, so the build returns at once.
    let _ = std::thread::Builder::new().spawn(move || drop(fws));
    Ok(())
}

/// Give every file of the new index the mode of `corpus.bin` (the umask's): tantivy writes
/// `meta.json` and `.managed.json` with mode 0600, which makes an index unreadable by other users.
#[cfg(unix)]
fn same_modes(tmp: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(reference) = fs::metadata(tmp.join(CORPUS_FILE)) else {
        return;
    };
    let mode = reference.permissions().mode() & 0o777;
    let Ok(entries) = fs::read_dir(tmp.join(TANTIVY_DIR)) else {
        return;
    };
    for e in entries.flatten() {
        if let Ok(md) = e.metadata() {
            if md.is_file() && md.permissions().mode() & 0o777 != mode {
                let _ = fs::set_permissions(e.path(), fs::Permissions::from_mode(mode));
            }
        }
    }
}

#[cfg(not(unix))]
fn same_modes(_tmp: &Path) {}

/// The test hook (see the module documentation): stop at `stage` when `ALIGNER_TEST_HOLD` names it.
fn hold(dir: &Path, stage: &str) {
    if std::env::var_os("ALIGNER_TEST_HOLD").is_none_or(|v| v != stage) {
        return;
    }
    let marker = sibling(dir, ".held");
    if fs::write(&marker, stage).is_err() {
        return;
    }
    let until = Instant::now() + Duration::from_secs(60);
    while marker.exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Never replace a directory that holds something other than an aligner index.
fn refuse_foreign(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let empty = fs::read_dir(dir).map(|mut r| r.next().is_none()).unwrap_or(false);
    if !empty && !looks_like_index(dir) {
        return Err(Error::Index {
            dir: dir.to_path_buf(),
            msg: "the directory exists and is not an aligner index; choose another --index directory".into(),
        });
    }
    Ok(())
}

/// `dir` holds an aligner index, possibly a damaged one: it has its `meta.json`, its stored
/// frameworks or its `tantivy` folder.
pub(crate) fn looks_like_index(dir: &Path) -> bool {
    dir.join(META_FILE).exists() || dir.join(CORPUS_FILE).exists() || dir.join(TANTIVY_DIR).is_dir()
}

/// What a build leaves beside `dir`: `tmp`, `old` or `swap`, and the pid of that build.
fn leftover(dir: &Path, file_name: &str) -> Option<(&'static str, u32)> {
    let name = dir.file_name()?.to_string_lossy().into_owned();
    let rest = file_name.strip_prefix(&name)?.strip_prefix('.')?;
    for kind in ["tmp", "old", "swap"] {
        if let Some(pid) = rest.strip_prefix(kind).and_then(|r| r.strip_prefix('-')) {
            if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
                return pid.parse().ok().map(|p| (kind, p));
            }
        }
    }
    None
}

/// The leftovers beside `dir`: (kind, pid, path).
fn leftovers(dir: &Path) -> Vec<(&'static str, u32, PathBuf)> {
    let Ok(entries) = fs::read_dir(parent_of(dir)) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .flatten()
        .filter_map(|e| {
            let (kind, pid) = leftover(dir, &e.file_name().to_string_lossy())?;
            Some((kind, pid, e.path()))
        })
        .collect();
    out.sort();
    out
}

/// Whether process `pid` is running (Linux: `/proc/<pid>` exists). Without `/proc` it is taken
/// as not running: the caller holds the build lock, which every build holds while it runs.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

/// With the build lock held: put back an index whose build was killed between its two renames,
/// then remove what killed builds left beside `dir` (temporary directories, old indexes and
/// markers of builds that are no longer running).
pub fn tidy(dir: &Path) {
    recover_locked(dir);
    for (_, pid, path) in leftovers(dir) {
        if running(pid) {
            continue;
        }
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

/// If a build was killed between its two renames, the previous index sits beside the target as
/// `<dir>.old-<pid>` with the marker `<dir>.swap-<pid>`: put it back. Does nothing when `dir`
/// exists, or when another process holds the build lock (that build is not finished).
pub fn recover(dir: &Path) {
    if dir.exists() {
        return;
    }
    if let Ok(_lock) = lock(dir) {
        recover_locked(dir);
    }
}

fn recover_locked(dir: &Path) {
    if dir.exists() {
        return;
    }
    let found = leftovers(dir);
    // The most recent swap first (pids are not ordered; markers' times are).
    let mut swaps: Vec<(std::time::SystemTime, u32, PathBuf)> = found
        .iter()
        .filter(|(kind, _, _)| *kind == "swap")
        .map(|(_, pid, p)| {
            let t = fs::metadata(p)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (t, *pid, p.clone())
        })
        .collect();
    swaps.sort();
    for (_, pid, marker) in swaps.into_iter().rev() {
        let old = sibling(dir, &format!(".old-{pid}"));
        if old.join(META_FILE).exists() && fs::rename(&old, dir).is_ok() {
            let _ = fs::remove_file(&marker);
            return;
        }
    }
}
