//! `aligner completions SHELL` and `aligner man`: shell completion scripts (clap_complete) and the
//! man page (clap_mangen, roff), both generated from the command-line definitions, to stdout.

use super::{Cli, CmdOutcome, Outcome};
use clap::{Args as ClapArgs, CommandFactory};
use clap_complete::Shell;
use std::io::Write;

/// Print a completion script for a shell.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner completions bash > ~/.local/share/bash-completion/completions/aligner\n  \
aligner completions zsh > ~/.zfunc/_aligner   # with fpath+=~/.zfunc before compinit\n  \
aligner completions fish > ~/.config/fish/completions/aligner.fish"
)]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Print the man page (roff).
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  aligner man > aligner.1 && man ./aligner.1\n  \
aligner man > ~/.local/share/man/man1/aligner.1")]
pub struct ManArgs {}

pub fn run(a: Args, out: &mut dyn Write) -> CmdOutcome {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "aligner", out);
    Ok(Outcome::Success)
}

pub fn run_man(_: ManArgs, out: &mut dyn Write) -> CmdOutcome {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd).render(out)?;
    Ok(Outcome::Success)
}
