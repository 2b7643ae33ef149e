//! `mitnutzung check`: every validation, nothing written.

use crate::check::{self, CheckOptions};
use crate::cli::CheckArgs;
use crate::diagnostics::Diagnostics;
use crate::model::Date;
use crate::pipeline::BuildError;

pub fn run(args: &CheckArgs) -> Result<Diagnostics, BuildError> {
    let options = CheckOptions {
        drafts: args.drafts,
        today: args.today.unwrap_or_else(Date::today),
    };
    check::run(&args.root, &options)
}
