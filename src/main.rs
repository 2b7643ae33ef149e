//! The `mitnutzung` binary: parse arguments, run, exit with 0, 1 or 2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    mitnutzung::cli::run(mitnutzung::cli::Cli::parse())
}
