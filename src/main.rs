//! The `mitnutzung` binary: parse arguments, run, exit with 0, 1 or 2.

use std::process::ExitCode;

/// mimalloc (its v2 line, chosen in `Cargo.toml`): the build allocates many
/// small strings and maps in parallel; glibc's allocator spent a fifth of the
/// time of large builds.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    mitnutzung::cli::run(mitnutzung::cli::parse())
}
