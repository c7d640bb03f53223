//! The `aligner` binary: parse arguments, run the library, map its outcome to the exit code.

mod cli;

use clap::Parser;
use cli::{CliError, Outcome};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(
                if e.use_stderr() {
                    Outcome::Error
                } else {
                    Outcome::Success
                }
                .code(),
            );
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let outcome = match cli::run(cli, &mut out) {
        Ok(outcome) => outcome,
        Err(CliError::Output(e)) => {
            cli::say(&format!("cannot write output: {e}"));
            Outcome::Error
        }
        Err(CliError::Lib(e)) => {
            let _ = out.flush();
            cli::say(&format!("error: {e}"));
            Outcome::Error
        }
    };
    ExitCode::from(outcome.code())
}
