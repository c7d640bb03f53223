//! The `aligner` binary: parse arguments, run the library, map errors to exit codes.

use aligner::cli::{self, CliError};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = cli::run(cli, &mut out);
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Output(e)) => {
            let _ = writeln!(std::io::stderr(), "aligner: cannot write output: {e}");
            ExitCode::from(2)
        }
        Err(CliError::Lib(e)) => {
            let _ = out.flush();
            let _ = writeln!(std::io::stderr(), "aligner: error: {e}");
            ExitCode::from(2)
        }
    }
}
