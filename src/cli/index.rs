//! `aligner index`: build the persistent index.

use super::{CmdResult, Ctx};
use aligner::ingest::standards;
use clap::Args as ClapArgs;
use std::io::Write;
use std::path::PathBuf;

/// Build the standards index from the shipped data and the given files and folders.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner index                               # the shipped standards\n  \
aligner index my-district.csv                  # the shipped standards and a district's own set\n  \
aligner index --only my-district.csv           # the district's set alone\n  \
aligner index --only standards/                # folders are read recursively\n  \
aligner index --index /tmp/ix standards.json   # somewhere else (or set ALIGNER_INDEX)\n  \
aligner index --rebuild                        # again from what it was built from\n\n\
A file whose framework has the id of a shipped one takes its place. `aligner frameworks` says \
where each framework came from.\n\
The new index replaces the old one only once it is complete; a failed build leaves the old one.\n\
--rebuild reads again the files the index was built from (recorded in it), or the frameworks \
stored in it when those files are gone; it also repairs a damaged index."
)]
pub struct Args {
    /// Standards files or folders (.json, .xml, .rdf, .csv), indexed with the shipped data
    pub paths: Vec<PathBuf>,
    /// Index the given files alone, without the shipped standards
    #[arg(long, requires = "paths")]
    pub only: bool,
    /// Read every file as this format instead of detecting it from the content
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Rebuild the index from what it was built from (the files recorded in it, the frameworks
    /// stored in it when those are gone, or the shipped data)
    #[arg(long, conflicts_with_all = ["paths", "format", "only"])]
    pub rebuild: bool,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdResult {
    let bar = ctx.progress_bar();
    let started = std::time::Instant::now();
    let built = if a.rebuild {
        aligner::index::rebuild(&ctx.index_dir, &|p| bar.show(p))
    } else if a.only {
        aligner::index::build_only(&ctx.index_dir, &a.paths, a.format.map(Format::standards), &|p| {
            bar.show(p)
        })
    } else {
        aligner::index::build_from(&ctx.index_dir, &a.paths, a.format.map(Format::standards), &|p| {
            bar.show(p)
        })
    };
    bar.finish();
    let built = built?;
    ctx.warn_all(&built.warnings);
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

/// `--format`: the library's [`standards::Format`], by its [`id`](standards::Format::id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// ASN JSON tree (nested `children`), e.g. CCSS from ASN.
    AsnJson,
    /// ASN RDF/XML, e.g. NGSS.
    AsnXml,
    /// ASN RDF/JSON (flat object of URI -> properties), e.g. state sets.
    AsnRdfJson,
    /// 1EdTech CASE JSON package (CFDocument / CFItems / CFAssociations).
    Case,
    /// OpenSALT spreadsheet CSV export (hierarchy from `smartLevel`).
    Opensalt,
    /// Plain CSV of a district's own standards.
    Csv,
}

impl Format {
    pub fn standards(self) -> standards::Format {
        match self {
            Format::AsnJson => standards::Format::AsnJson,
            Format::AsnXml => standards::Format::AsnXml,
            Format::AsnRdfJson => standards::Format::AsnRdfJson,
            Format::Case => standards::Format::Case,
            Format::Opensalt => standards::Format::Opensalt,
            Format::Csv => standards::Format::Csv,
        }
    }
}
