//! Command-line definitions (clap), one file per subcommand. Each subcommand's `run` takes its
//! arguments, the shared [`Ctx`] and the output, and returns the exit code.

pub mod audit;
pub mod eval;
pub mod frameworks;
pub mod index;
pub mod matching;
pub mod search;
pub mod show;

use crate::error::Error;
use crate::index::{build::Progress, Library};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "aligner",
    version,
    about = "Standards-alignment analyzer: match curricula and textbook tables of contents to standards, report coverage and gaps",
    long_about = "aligner reads standards frameworks (CCSS, NGSS, state sets, a district's CSV), matches curriculum \
units and textbook tables of contents to them, checks the codes a publisher claims, and reports coverage and gaps.\n\n\
The shipped standards (CCSS math and ELA, NGSS, DC, MD and PA sets) are indexed on first use.",
    after_help = "Examples:\n  aligner search \"add fractions with like denominators\" --grade 4 --framework ccss-math\n  \
aligner show 4.NF.3\n  aligner frameworks\n  aligner index my-district.csv --index ./district-index\n\n\
Exit codes: 0 success, 1 a check failed (audit thresholds), 2 usage or input error."
)]
pub struct Cli {
    /// Index directory [default: $XDG_CACHE_HOME/aligner/index or ~/.cache/aligner/index]
    #[arg(long, global = true, env = "ALIGNER_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Index(index::Args),
    Frameworks(frameworks::Args),
    Show(show::Args),
    Search(search::Args),
    Match(matching::Args),
    Audit(audit::Args),
    Eval(eval::Args),
}

/// What every command may need: where the index is, and whether stderr shows progress.
pub struct Ctx {
    pub index_dir: PathBuf,
    pub progress: bool,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Ctx {
        Ctx {
            index_dir: cli.index.clone().unwrap_or_else(crate::index::default_dir),
            progress: std::io::stderr().is_terminal(),
        }
    }

    /// Open the index, building it from the shipped data first if there is none.
    pub fn library(&self) -> Result<Library, Error> {
        let bar = self.progress_bar();
        let lib = Library::open_or_build(&self.index_dir, &|p| bar.show(p));
        bar.finish();
        lib
    }

    pub fn progress_bar(&self) -> ProgressBar {
        ProgressBar(self.progress.then(|| {
            let pb = indicatif::ProgressBar::new_spinner();
            pb.enable_steady_tick(std::time::Duration::from_millis(120));
            pb
        }))
    }
}

/// A spinner on stderr, only when stderr is a terminal.
pub struct ProgressBar(Option<indicatif::ProgressBar>);

impl ProgressBar {
    pub fn show(&self, p: Progress) {
        if let Some(pb) = &self.0 {
            match p {
                Progress::Reading(what) => pb.set_message(format!("reading {what}")),
                Progress::Indexing { frameworks, standards } => {
                    pb.set_message(format!("indexing {standards} standards of {frameworks} frameworks"))
                }
                Progress::Done => pb.set_message("index ready"),
            }
        }
    }
    pub fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

/// A command's failure: a library error (exit 2), or the output could not be written.
#[derive(Debug)]
pub enum CliError {
    Lib(Error),
    Output(std::io::Error),
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Lib(e)
    }
}
impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Output(e)
    }
}

pub type CmdResult = Result<i32, CliError>;

/// Run the parsed command line, writing results to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> CmdResult {
    let ctx = Ctx::new(&cli);
    let code = match cli.command {
        Command::Index(a) => index::run(a, &ctx, out)?,
        Command::Frameworks(a) => frameworks::run(a, &ctx, out)?,
        Command::Show(a) => show::run(a, &ctx, out)?,
        Command::Search(a) => search::run(a, &ctx, out)?,
        Command::Match(a) => matching::run(a, &ctx, out)?,
        Command::Audit(a) => audit::run(a, &ctx, out)?,
        Command::Eval(a) => eval::run(a, &ctx, out)?,
    };
    out.flush()?;
    Ok(code)
}
