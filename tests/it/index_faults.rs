//! Fault tests of the persistent index: builds killed at each stage, concurrent builds, damaged
//! and read-only indexes, upgrades of an index built from the user's files, leftovers of killed
//! builds. Builds are stopped at a named stage with the test hook `ALIGNER_TEST_HOLD=<stage>`
//! (see `src/index/build.rs`): the build writes `<index>.held` and waits until it is removed.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime};

const RIVERSIDE_CODE: &str = "RV.4.NF.A.1";
const SPRINGFIELD_CODE: &str = "SM.NUM.2";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_aligner")
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

fn riverside_csv() -> PathBuf {
    data("audit/riverside-math.csv")
}

fn springfield_csv() -> PathBuf {
    data("standards/springfield_math.csv")
}

/// `aligner` on the index `ix`, run from the repository root.
fn aligner(ix: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("ALIGNER_INDEX", ix)
        .env_remove("ALIGNER_TEST_HOLD")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn index(ix: &Path, src: &Path) {
    aligner(ix).args(["index", "--only"]).arg(src).assert().success();
}

fn sibling(ix: &Path, suffix: &str) -> PathBuf {
    let mut n = ix.file_name().unwrap().to_os_string();
    n.push(suffix);
    ix.with_file_name(n)
}

/// Start `aligner index ARGS` held at `stage`; return once it is waiting there.
fn start_held(ix: &Path, stage: &str, args: &[&std::ffi::OsStr]) -> Child {
    let marker = sibling(ix, ".held");
    let _ = std::fs::remove_file(&marker);
    let mut child = std::process::Command::new(bin())
        .arg("index")
        .args(args)
        .env("ALIGNER_INDEX", ix)
        .env("ALIGNER_TEST_HOLD", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while !marker.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            panic!(
                "build ended ({status}) before reaching stage {stage}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(Instant::now() < until, "build never reached stage {stage}");
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

fn kill(mut child: Child, ix: &Path) {
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let _ = std::fs::remove_file(sibling(ix, ".held"));
}

/// What builds left beside `ix`.
fn leftovers(ix: &Path) -> Vec<String> {
    let name = ix.file_name().unwrap().to_string_lossy().into_owned();
    let mut v: Vec<String> = std::fs::read_dir(ix.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            [".tmp-", ".old-", ".swap-"]
                .iter()
                .any(|k| n.starts_with(&format!("{name}{k}")))
        })
        .collect();
    v.sort();
    v
}

fn shows(ix: &Path, code: &str) {
    aligner(ix)
        .args(["show", code])
        .assert()
        .success()
        .stdout(predicate::str::contains(code));
}

fn read_meta(ix: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(ix.join("meta.json")).unwrap()).unwrap()
}

fn write_meta(ix: &Path, v: &serde_json::Value) {
    std::fs::write(ix.join("meta.json"), serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

/// A pid no process has (above any `pid_max`).
const DEAD_PID: u32 = 4_294_967_000;

#[test]
fn a_build_killed_at_any_stage_leaves_a_usable_index_and_the_next_build_cleans_up() {
    for stage in ["read", "commit", "corpus", "swap", "swapped"] {
        let tmp = tempfile::tempdir().unwrap();
        let ix = tmp.path().join("ix");
        index(&ix, &riverside_csv());
        let child = start_held(&ix, stage, &[springfield_csv().as_os_str()]);
        kill(child, &ix);
        assert!(!leftovers(&ix).is_empty(), "{stage}: the killed build left nothing?");
        if stage == "swapped" {
            // The new index was already in place.
            shows(&ix, SPRINGFIELD_CODE);
        } else {
            // The previous index answers, with the previous data (after a kill between the two
            // renames, it is put back first).
            shows(&ix, RIVERSIDE_CODE);
            aligner(&ix)
                .args(["search", "equivalent fractions visual models", "--top", "1"])
                .assert()
                .success()
                .stdout(predicate::str::contains(RIVERSIDE_CODE));
        }
        // The next build succeeds and removes what the killed one left.
        index(&ix, &springfield_csv());
        shows(&ix, SPRINGFIELD_CODE);
        assert_eq!(leftovers(&ix), Vec::<String>::new(), "{stage}");
    }
}

#[test]
fn two_concurrent_builds_one_is_busy() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    let first = start_held(&ix, "read", &[springfield_csv().as_os_str()]);
    aligner(&ix)
        .arg("index")
        .arg(riverside_csv())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("index is busy"));
    // Readers are not blocked by a build.
    shows(&ix, RIVERSIDE_CODE);
    std::fs::remove_file(sibling(&ix, ".held")).unwrap();
    let out = first.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    shows(&ix, SPRINGFIELD_CODE);
}

#[test]
fn a_reader_waits_for_a_build_between_its_renames() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    let build = start_held(&ix, "swap", &[springfield_csv().as_os_str()]);
    assert!(!ix.exists());
    let reader = std::process::Command::new(bin())
        .args(["show", SPRINGFIELD_CODE])
        .env("ALIGNER_INDEX", &ix)
        .env_remove("ALIGNER_TEST_HOLD")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::remove_file(sibling(&ix, ".held")).unwrap();
    assert!(build.wait_with_output().unwrap().status.success());
    let out = reader.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(SPRINGFIELD_CODE));
}

/// A damaged index: every command says so, naming the directory and `--rebuild`.
fn says_damaged(ix: &Path, what: &str) {
    says_damaged_to(
        ix,
        what,
        &[&["show", RIVERSIDE_CODE], &["search", "fractions"], &["frameworks"]],
    );
}

/// The same, for the commands that read the damaged part.
fn says_damaged_to(ix: &Path, what: &str, commands: &[&[&str]]) {
    for args in commands {
        aligner(ix)
            .args(args.iter())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(ix.display().to_string()))
            .stderr(predicate::str::contains("damaged"))
            .stderr(predicate::str::contains(what))
            .stderr(predicate::str::contains("aligner index --rebuild"))
            .stderr(predicate::str::contains("Footer").not());
    }
}

#[test]
fn a_lost_meta_json_is_reported_and_rebuild_restores_the_user_framework() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    std::fs::remove_file(ix.join("meta.json")).unwrap();
    says_damaged(&ix, "meta.json is missing");
    aligner(&ix)
        .args(["index", "--rebuild"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rebuilt from the frameworks stored in the index",
        ));
    shows(&ix, RIVERSIDE_CODE);
    aligner(&ix)
        .args(["frameworks", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("riverside-math"))
        .stdout(predicate::str::contains("ccss-math").not());
}

#[test]
fn garbage_stored_frameworks_are_reported_and_rebuilt_from_the_recorded_file() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    std::fs::write(ix.join("corpus.bin"), "not a stored corpus").unwrap();
    // `search` reads the engine store and tantivy, never the stored frameworks.
    says_damaged_to(&ix, "corpus.bin", &[&["show", RIVERSIDE_CODE], &["frameworks"]]);
    aligner(&ix).args(["search", "fractions"]).assert().success();
    let src = std::fs::canonicalize(riverside_csv()).unwrap();
    aligner(&ix)
        .args(["index", "--rebuild"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("rebuilt from {}", src.display())));
    shows(&ix, RIVERSIDE_CODE);
}

#[test]
fn a_truncated_or_garbage_engine_store_is_reported_and_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    let store = ix.join("engine.bin");
    let f = std::fs::OpenOptions::new().write(true).open(&store).unwrap();
    f.set_len(f.metadata().unwrap().len() / 2).unwrap();
    says_damaged_to(
        &ix,
        "engine.bin",
        &[&["search", "fractions"], &["match", "examples/grade3-units.csv"]],
    );
    std::fs::write(&store, "not a store").unwrap();
    says_damaged_to(&ix, "engine.bin", &[&["search", "fractions"]]);
    aligner(&ix).args(["index", "--rebuild"]).assert().success();
    aligner(&ix)
        .args(["search", "fractions"])
        .assert()
        .success()
        .stdout(predicate::str::contains("fraction"));
}

#[test]
fn a_truncated_or_missing_tantivy_file_is_reported_and_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    // Truncate every segment file of one kind, then delete tantivy's own meta.json.
    for (ext, what) in [("idx", "truncated or corrupted"), ("store", "truncated or corrupted")] {
        for e in std::fs::read_dir(ix.join("tantivy")).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == ext) {
                let f = std::fs::OpenOptions::new().write(true).open(e.path()).unwrap();
                f.set_len(f.metadata().unwrap().len() / 2).unwrap();
            }
        }
        says_damaged(&ix, what);
        aligner(&ix).args(["index", "--rebuild"]).assert().success();
        shows(&ix, RIVERSIDE_CODE);
    }
    std::fs::remove_file(ix.join("tantivy/meta.json")).unwrap();
    says_damaged(&ix, "tantivy/meta.json is missing");
    // Plain `aligner index FILES` over a damaged index works too.
    std::fs::remove_file(ix.join("meta.json")).unwrap();
    index(&ix, &springfield_csv());
    shows(&ix, SPRINGFIELD_CODE);
}

/// Every file under `dir`: its size, modification time and mode.
fn listing(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let md = e.metadata().unwrap();
            if md.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path(), (md.len(), md.modified().unwrap(), md.permissions().mode()));
        }
    }
    out
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// Run aligner ARGS on `ix` made truly read-only. As root: in a private mount namespace with `ix`
/// bind-mounted read-only, else (no right to mount, as in many containers) as the user `nobody`,
/// for whom root's index is read-only. As another user: with every file and folder of `ix` made
/// read-only. `None` when none of this can be arranged.
fn run_read_only(ix: &Path, args: &[&str]) -> Option<std::process::Output> {
    let run = |prefix: &[&str], script: Option<&str>| {
        let mut c = std::process::Command::new(prefix.first().copied().unwrap_or(bin()));
        if let Some((_, rest)) = prefix.split_first() {
            c.args(rest);
            if let Some(script) = script {
                c.args(["sh", "-c", script]).arg(ix);
            }
            c.arg(bin());
        }
        c.args(args)
            .env("ALIGNER_INDEX", ix)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    let works = |prefix: &[&str], script: &str| {
        std::process::Command::new(prefix[0])
            .args(&prefix[1..])
            .args(["sh", "-c", script])
            .arg(ix)
            .arg(bin())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if is_root() {
        const UNSHARE: &[&str] = &["unshare", "-m", "--"];
        const MOUNT: &str = r#"mount --bind -o ro "$0" "$0" && exec "$@""#;
        if works(
            UNSHARE,
            r#"mount --bind -o ro "$0" "$0" && ! touch "$0/probe" 2>/dev/null"#,
        ) {
            return Some(run(UNSHARE, Some(MOUNT)));
        }
        const NOBODY: &[&str] = &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
        if works(
            NOBODY,
            r#"test -x "$1" && test -r "$0/meta.json" && test -r tests/data/audit/riverside-units.csv && ! touch "$0/probe" 2>/dev/null"#,
        ) {
            return Some(run(NOBODY, Some(r#"exec "$@""#)));
        }
        return None;
    }
    let chmod = |mode: &str| {
        let ok = std::process::Command::new("chmod")
            .args(["-R", mode])
            .arg(ix)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    chmod("a-w");
    let out = run(&[], None);
    chmod("u+w");
    Some(out)
}

#[test]
fn a_read_only_index_serves_search_and_audit() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    // Others may look in (for the run as `nobody`).
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());

    // Every file has the mode of its siblings (tantivy writes two of them 0600).
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let corpus_mode = mode(&ix.join("corpus.bin"));
    for f in ["tantivy/meta.json", "tantivy/.managed.json", "meta.json"] {
        assert_eq!(mode(&ix.join(f)), corpus_mode, "{f}");
    }

    // Reading writes nothing: no lock file is created, no file changes.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(ix.join("tantivy").join(lock));
    }
    let before = listing(&ix);
    let reads: [&[&str]; 4] = [
        &["search", "compare fractions"],
        &["audit", "tests/data/audit/riverside-units.csv"],
        &["show", RIVERSIDE_CODE],
        &["frameworks"],
    ];
    for args in reads {
        aligner(&ix).args(args).assert().success();
    }
    assert_eq!(listing(&ix), before, "reading changed the index directory");

    // And on a really read-only index.
    for args in reads {
        match run_read_only(&ix, args) {
            Some(out) => assert!(
                out.status.success(),
                "{args:?} on a read-only index: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            None => {
                eprintln!("note: cannot make the index read-only here; checked that reading writes nothing");
                break;
            }
        }
    }
}

#[test]
fn an_index_of_user_files_is_rebuilt_from_them_after_an_upgrade() {
    let tmp = tempfile::tempdir().unwrap();
    let src_dir = tmp.path().join("district standards");
    std::fs::create_dir(&src_dir).unwrap();
    let src = src_dir.join("riverside-math.csv");
    std::fs::copy(riverside_csv(), &src).unwrap();
    let ix = tmp.path().join("ix");
    aligner(&ix)
        .args(["index", "--only", "--format", "csv"])
        .arg(&src)
        .assert()
        .success();

    // What it was built from is recorded so that it can be read again.
    let meta = read_meta(&ix);
    let canonical = std::fs::canonicalize(&src).unwrap();
    assert_eq!(meta["sources"], serde_json::json!([canonical.to_string_lossy()]));
    assert_eq!(meta["format"], "csv");
    let version = meta["schema_version"].clone();

    // Simulate an upgrade: the next command rebuilds it from the user's file.
    let mut old = meta.clone();
    old["schema_version"] = serde_json::json!(1);
    old["aligner_version"] = serde_json::json!("0.0.1");
    write_meta(&ix, &old);
    shows(&ix, RIVERSIDE_CODE);
    let meta = read_meta(&ix);
    assert_eq!(meta["schema_version"], version);
    assert_eq!(meta["frameworks"], serde_json::json!(["riverside-math"]));

    // With the file gone: refused, with the advice; never the shipped data.
    write_meta(&ix, &old);
    std::fs::remove_file(&src).unwrap();
    for args in [vec!["show", RIVERSIDE_CODE], vec!["frameworks"]] {
        aligner(&ix)
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(ix.display().to_string()))
            .stderr(predicate::str::contains("another aligner version"))
            .stderr(predicate::str::contains(canonical.display().to_string()))
            .stderr(predicate::str::contains(format!(
                "aligner index --only --format csv '{}'",
                canonical.display()
            )))
            .stderr(predicate::str::contains("aligner index --rebuild"));
    }
    assert_eq!(read_meta(&ix), old, "the index was replaced");

    // `--rebuild` then keeps the user's framework (stored in the index).
    aligner(&ix)
        .args(["index", "--rebuild"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rebuilt from the frameworks stored in the index",
        ));
    shows(&ix, RIVERSIDE_CODE);
    assert_eq!(read_meta(&ix)["schema_version"], version);
}

#[test]
fn a_stale_old_directory_is_never_promoted() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    // An `.old-<pid>` without its swap marker (a build killed after its swap): stale.
    std::fs::rename(&ix, sibling(&ix, &format!(".old-{DEAD_PID}"))).unwrap();
    // A dead build's temporary directory, and one of a running process (this one): kept.
    let mine = sibling(&ix, &format!(".tmp-{}", std::process::id()));
    std::fs::create_dir(sibling(&ix, &format!(".tmp-{DEAD_PID}"))).unwrap();
    std::fs::create_dir(&mine).unwrap();

    // The user deleted the index to get a fresh one: the shipped data, not the old index.
    aligner(&ix).args(["show", "4.NF.3"]).assert().success();
    aligner(&ix)
        .args(["show", RIVERSIDE_CODE])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown standard code"));
    let mine_name = mine.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(leftovers(&ix), vec![mine_name]);
    std::fs::remove_dir(&mine).unwrap();
}

#[test]
fn a_build_killed_between_its_renames_is_recovered_by_a_build_too() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    let child = start_held(&ix, "swap", &[springfield_csv().as_os_str()]);
    kill(child, &ix);
    assert!(!ix.exists());
    // A failing build puts the previous index back, and leaves it.
    aligner(&ix).arg("index").arg("/nonexistent.csv").assert().code(2);
    shows(&ix, RIVERSIDE_CODE);
    assert_eq!(leftovers(&ix), Vec::<String>::new());
}

#[test]
fn search_top_beyond_the_index_size_is_clamped() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    // The largest --top the command line takes, far beyond this index's size.
    aligner(&ix)
        .args(["search", "fractions", "--top", "10000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("RV.4.NF"));
    // Beyond it: a usage error, never an abort (an allocation of 34 GB) or a panic.
    for top in ["4294967296", "1152921504606846976", "18446744073709551615"] {
        aligner(&ix)
            .args(["search", "fractions", "--top", top])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--top").and(predicate::str::contains("panicked").not()));
    }
}

#[test]
fn index_refuses_what_is_not_a_regular_file_or_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let fifo = tmp.path().join("fifo.csv");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for p in [Path::new("/dev/null"), &fifo] {
        aligner(&ix)
            .arg("index")
            .arg(p)
            .timeout(Duration::from_secs(30))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{}: not a regular file or folder",
                p.display()
            )));
    }
    // A FIFO with a standards extension inside a folder is refused too (reading it could hang).
    aligner(&ix)
        .arg("index")
        .arg(tmp.path())
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fifo.csv: not a regular file or folder"));
}

#[test]
fn opening_says_what_it_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&ix, &riverside_csv());
    let lib = aligner::index::Library::open_or_build(&ix, &|_| {}).unwrap();
    assert_eq!(lib.rebuilt, None);
    drop(lib);
    let mut old = read_meta(&ix);
    old["schema_version"] = serde_json::json!(1);
    write_meta(&ix, &old);
    let lib = aligner::index::Library::open_or_build(&ix, &|_| {}).unwrap();
    let said = lib.rebuilt.clone().expect("a notice");
    let src = std::fs::canonicalize(riverside_csv()).unwrap();
    assert!(said.contains(&src.display().to_string()), "{said}");
    assert!(said.contains("index version 1;"), "{said}");
    assert!(lib
        .corpus()
        .unwrap()
        .frameworks
        .iter()
        .any(|f| f.id == "riverside-math"));
}
