//! Building an index: read the frameworks, write tantivy and the stored corpus into a temporary
//! directory beside the target, and swap it in only when complete. A lock file beside the target
//! makes a second concurrent build fail at once with [`Error::IndexBusy`].

use super::schema::{self, Fields};
use super::{Meta, CORPUS_FILE, META_FILE, TANTIVY_DIR};
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::model::{Framework, Kind};
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
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
    refuse_foreign(dir)?;
    let corpus = Corpus::new(frameworks);
    let n_std: usize = corpus.frameworks.iter().map(|f| f.standards.len()).sum();
    progress(Progress::Indexing {
        frameworks: corpus.frameworks.len(),
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
    for fw in &corpus.frameworks {
        let aliases = crate::shipped::aliases(&fw.id);
        for (pos, s) in fw.standards.iter().enumerate() {
            if matches!(s.kind, Kind::Grouping) {
                continue;
            }
            let mut d = TantivyDocument::default();
            d.add_text(fields.fw, &fw.id);
            d.add_u64(fields.pos, pos as u64);
            if let Some(c) = &s.code {
                d.add_text(fields.code, crate::codes::normalize(c));
            }
            d.add_text(fields.kind, s.kind.as_str());
            d.add_text(fields.subject, fw.subject.to_ascii_lowercase());
            for g in &s.grades {
                d.add_i64(fields.grade, g.0 as i64);
            }
            d.add_text(fields.text, &s.text);
            let heads: Vec<&str> = fw.headings(pos).map(|a| a.text.as_str()).collect();
            if !heads.is_empty() {
                d.add_text(fields.heads, heads.join(" \n "));
            }
            for n in &s.notes {
                d.add_text(fields.notes, &n.text);
            }
            for name in s.code.as_deref().and_then(|c| aliases.get(c)).into_iter().flatten() {
                d.add_text(fields.names, name);
            }
            writer.add_document(d)?;
        }
    }
    writer.commit()?;
    let ids = index.searchable_segment_ids()?;
    if ids.len() > 1 {
        writer.merge(&ids).wait()?;
    }
    writer.wait_merging_threads()?;

    let corpus_path = tmp_path.join(CORPUS_FILE);
    let f = File::create(&corpus_path).map_err(|e| Error::io(&corpus_path, e))?;
    serde_json::to_writer(std::io::BufWriter::new(f), &corpus.frameworks)
        .map_err(|e| Error::io(&corpus_path, std::io::Error::other(e)))?;
    meta.frameworks = corpus.frameworks.iter().map(|f| f.id.clone()).collect();
    meta.standards = n_std;
    let meta_path = tmp_path.join(META_FILE);
    fs::write(&meta_path, serde_json::to_vec_pretty(&meta).expect("meta serializes"))
        .map_err(|e| Error::io(&meta_path, e))?;

    // Swap: old aside, new in place, old removed.
    let old = sibling(dir, &format!(".old-{}", std::process::id()));
    if dir.exists() {
        fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
    }
    if let Err(e) = fs::rename(&tmp_path, dir) {
        let _ = fs::rename(&old, dir);
        return Err(Error::io(dir, e));
    }
    let mut tmp = tmp;
    tmp.0 = None;
    let _ = fs::remove_dir_all(&old);
    progress(Progress::Done);
    Ok(())
}

/// Never replace a directory that holds something other than an aligner index.
fn refuse_foreign(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let empty = fs::read_dir(dir).map(|mut r| r.next().is_none()).unwrap_or(false);
    if !empty && !dir.join(META_FILE).exists() {
        return Err(Error::Index {
            dir: dir.to_path_buf(),
            msg: "the directory exists and is not an aligner index; choose another --index directory".into(),
        });
    }
    Ok(())
}

/// If a build was killed between its two renames, the previous index sits beside the target as
/// `<dir>.old-<pid>`: put it back.
pub fn recover(dir: &Path) {
    if dir.exists() {
        return;
    }
    let parent = parent_of(dir);
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(&parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&format!("{name}.old-")) && e.path().join(META_FILE).exists() {
            let _ = fs::rename(e.path(), dir);
            return;
        }
    }
}
