//! Command-line definitions (clap), one file per subcommand. Each subcommand's `run` takes its
//! arguments, the shared [`Ctx`] and the output, and returns its [`Outcome`] (the exit code).
//! This layer is the only one that writes to stderr: warnings and a check's verdict, as
//! `aligner: ...` lines.

pub mod audit;
pub mod compare;
pub mod completions;
pub mod crosswalk;
pub mod eval;
pub mod frameworks;
pub mod index;
pub mod matching;
pub mod review;
pub mod search;
pub mod show;

use aligner::error::Error;
use aligner::index::{build::Progress, Library};
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
aligner show 4.NF.3\n  aligner frameworks\n  aligner audit examples/grade4-math-toc.txt --format html > audit.html\n  \
aligner compare book-a.txt book-b.txt -f ccss-math -g 4\n  \
aligner audit toc.txt --correlation publisher-correlation.csv\n  \
aligner crosswalk --from sc-math --to ccss-math --format case > crosswalk.json\n  \
aligner index my-district.csv --index ./district-index\n\n\
Exit codes: 0 success, 1 a check failed (audit thresholds), 2 usage or input error.\n\
A file argument `-` reads standard input (match, audit, eval)."
)]
pub struct Cli {
    /// Index directory; empty means the default [default: $XDG_CACHE_HOME/aligner/index or
    /// ~/.cache/aligner/index]
    #[arg(long, global = true, env = "ALIGNER_INDEX", value_name = "DIR", value_parser = index_dir)]
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
    Compare(compare::Args),
    Review(review::Args),
    Eval(eval::Args),
    Completions(completions::Args),
    Man(completions::ManArgs),
    Crosswalk(crosswalk::Args),
}

/// What every command may need: where the index is, and whether stderr shows progress.
pub struct Ctx {
    pub index_dir: PathBuf,
    pub progress: bool,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Ctx {
        Ctx {
            index_dir: cli
                .index
                .clone()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or_else(aligner::index::default_dir),
            progress: std::io::stderr().is_terminal(),
        }
    }

    /// Open the index, building it from the shipped data first if there is none. It stays open
    /// until the process ends, and is never freed: the process ends right after the command, and
    /// freeing a corpus of 200,000 standards piece by piece costs more than the exit.
    pub fn library(&self) -> Result<&'static Library, Error> {
        let bar = self.progress_bar();
        let lib = Library::open_or_build(&self.index_dir, &|p| bar.show(p));
        bar.finish();
        let lib = Box::leak(Box::new(lib?));
        if let Some(n) = &lib.rebuilt {
            say(&format!("note: {n}"));
        }
        Ok(lib)
    }

    /// A warning on stderr: `aligner: warning: MSG`.
    pub fn warn(&self, msg: &str) {
        say(&format!("warning: {msg}"));
    }

    /// One warning line each.
    pub fn warn_all(&self, msgs: &[String]) {
        for m in msgs {
            self.warn(m);
        }
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

/// One line on stderr, `aligner: LINE`. A closed or full stderr is ignored: nothing else could
/// report it.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "aligner: {line}");
}

/// How a command ended, which is the process's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Outcome {
    /// 0: the command did what was asked (and any check passed).
    Success = 0,
    /// 1: the command ran, and a check it was asked for failed (audit thresholds).
    CheckFailed = 1,
    /// 2: usage or input error; nothing (or only part) was done.
    Error = 2,
}

impl Outcome {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// From a command that returns a bare exit code.
    pub fn from_code(code: i32) -> Outcome {
        match code {
            0 => Outcome::Success,
            1 => Outcome::CheckFailed,
            _ => Outcome::Error,
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

/// A command's result as a bare exit code (0, 1 or 2; see [`Outcome`]).
pub type CmdResult = Result<i32, CliError>;

/// A command's result.
pub type CmdOutcome = Result<Outcome, CliError>;

pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

/// The outcome a command decided before it wrote its output, whether or not the output could be
/// written to a closed pipe (`| head`): the reader has gone, the verdict stands. Other write
/// errors stay errors.
pub fn despite_closed_pipe(outcome: Outcome, written: std::io::Result<()>) -> CmdOutcome {
    match written {
        Ok(()) => Ok(outcome),
        Err(e) if is_broken_pipe(&e) => Ok(outcome),
        Err(e) => Err(CliError::Output(e)),
    }
}

/// Run the parsed command line, writing results to `out`. A closed pipe ends a command quietly
/// with the outcome it had decided: a command writes only once it has succeeded, and `audit`
/// decides its check's verdict before writing.
pub fn run(cli: Cli, out: &mut dyn Write) -> CmdOutcome {
    let ctx = Ctx::new(&cli);
    let result = match cli.command {
        Command::Index(a) => index::run(a, &ctx, out).map(Outcome::from_code),
        Command::Frameworks(a) => frameworks::run(a, &ctx, out),
        Command::Show(a) => show::run(a, &ctx, out),
        Command::Search(a) => search::run(a, &ctx, out),
        Command::Match(a) => matching::run(a, &ctx, out),
        Command::Audit(a) => audit::run(a, &ctx, out),
        Command::Compare(a) => compare::run(a, &ctx, out),
        Command::Review(a) => review::run(a, &ctx, out),
        Command::Eval(a) => eval::run(a, &ctx, out),
        Command::Completions(a) => completions::run(a, out),
        Command::Man(a) => completions::run_man(a, out),
        Command::Crosswalk(a) => crosswalk::run(a, &ctx, out),
    };
    let outcome = match result {
        Err(CliError::Output(e)) if is_broken_pipe(&e) => Outcome::Success,
        r => r?,
    };
    despite_closed_pipe(outcome, out.flush())
}

/// `--index` and `ALIGNER_INDEX`: a directory; empty (`ALIGNER_INDEX=`) means the default.
fn index_dir(s: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(s))
}

/// The most results `--top` may ask for.
pub const MAX_TOP: u64 = 10_000;

/// `--top N`: 1 ..= [`MAX_TOP`].
pub fn top_parser() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_TOP)
}

/// `--min-score X`: a number in 0..1 (not NaN).
pub fn unit_interval(s: &str) -> Result<f32, String> {
    let x: f32 = s.trim().parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{s} is not between 0 and 1"))
    }
}

/// `--fail-under PCT`: a percentage in 0..100 (not NaN).
pub fn percentage(s: &str) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=100.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{s} is not a percentage between 0 and 100"))
    }
}
