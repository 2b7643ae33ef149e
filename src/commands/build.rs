//! `mitnutzung build`: validate everything, render, and swap the new output in.

use crate::cli::BuildArgs;
use crate::model::BuildOptions;
use crate::pipeline::{self, BuildError, BuildReport};

pub fn run(args: &BuildArgs) -> Result<BuildReport, BuildError> {
    let options = BuildOptions {
        today: None,
        drafts: args.drafts,
        base_url: args.base_url.clone(),
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| pipeline::default_output(&args.root));
    let minify = args.no_minify.then_some(false);
    pipeline::build(&args.root, &output, &options, minify)
}
