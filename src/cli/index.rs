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
aligner index --index /tmp/ix standards.json   # somewhere else (or set ALIGNER_INDEX)\n\n\
The new index replaces the old one only once it is complete; a failed build leaves the old one."
)]
pub struct Args {
    /// Standards files or folders (.json, .xml, .rdf, .csv); default: the shipped data
    pub paths: Vec<PathBuf>,
    /// Read every file as this format instead of detecting it from the content
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    let bar = ctx.progress_bar();
    let started = std::time::Instant::now();
    let meta = crate::index::build_from(&ctx.index_dir, &a.paths, a.format, &|p| bar.show(p));
    bar.finish();
    let meta = meta?;
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
