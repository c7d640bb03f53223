//! `aligner index`: build the persistent index.

use super::{CmdResult, Ctx};
use crate::ingest::standards::Format;
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Build the standards index from the shipped data or from the given files and folders.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner index                               # the shipped standards\n  \
aligner index data/standards my-district.csv   # folders are read recursively\n  \
aligner index --index /tmp/ix standards.json   # somewhere else (or set ALIGNER_INDEX)\n  \
aligner index --rebuild                        # again from what it was built from\n\n\
The new index replaces the old one only once it is complete; a failed build leaves the old one.\n\
--rebuild reads again the files the index was built from (recorded in it), or the frameworks \
stored in it when those files are gone; it also repairs a damaged index."
)]
pub struct Args {
    /// Standards files or folders (.json, .xml, .rdf, .csv); default: the shipped data
    pub paths: Vec<PathBuf>,
    /// Read every file as this format instead of detecting it from the content
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Rebuild the index from what it was built from (the files recorded in it, the frameworks
    /// stored in it when those are gone, or the shipped data)
    #[arg(long, conflicts_with_all = ["paths", "format"])]
    pub rebuild: bool,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    let bar = ctx.progress_bar();
    let started = std::time::Instant::now();
    let built = if a.rebuild {
        crate::index::rebuild(&ctx.index_dir, &|p| bar.show(p))
    } else {
        crate::index::build_from(&ctx.index_dir, &a.paths, a.format, &|p| bar.show(p))
    };
    bar.finish();
    let built = built?;
    print_warnings(&mut std::io::stderr().lock(), &built.warnings);
    let meta = &built.meta;
    if a.rebuild {
        write!(out, "rebuilt from {}: ", built.from)?;
    }
    writeln!(
        out,
        "indexed {} standards of {} frameworks ({}) into {} in {:.2}s",
        meta.standards,
        meta.frameworks.len(),
        meta.frameworks.join(", "),
        ctx.index_dir.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(0)
}

/// The readers' warnings, one `aligner: warning: …` line each (stderr errors are ignored, as for
/// the progress display).
fn print_warnings(err: &mut dyn Write, warnings: &[String]) {
    for w in warnings {
        let _ = writeln!(err, "aligner: warning: {w}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_warning_is_a_line() {
        let mut buf = Vec::new();
        super::print_warnings(
            &mut buf,
            &[
                "a.csv: parent cycle broken at X.1".into(),
                "b.json: duplicate code Y".into(),
            ],
        );
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "aligner: warning: a.csv: parent cycle broken at X.1\naligner: warning: b.json: duplicate code Y\n"
        );
    }
}
