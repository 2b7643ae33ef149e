//! `mitnutzung build`: validate everything, render, and swap the new output in.

use std::path::PathBuf;

use clap::Args;

use crate::model::BuildOptions;
use crate::pipeline::{self, BuildError, BuildReport};
use crate::routes::BaseUrl;

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: super::SiteRoot,
    /// Where to write the site; default ROOT/public.
    #[arg(
        long,
        value_name = "ORDNER",
        help = "Wohin die Site geschrieben wird; Standard: public/ im Site-Ordner"
    )]
    pub output: Option<PathBuf>,
    /// Absolute URL the site is published under, overriding site.yaml.
    #[arg(
        long,
        value_parser = parse_base_url,
        value_name = "ADRESSE",
        help = "Absolute Adresse, unter der die Site veröffentlicht wird (statt base_url in site.yaml)"
    )]
    pub base_url: Option<BaseUrl>,
    /// Also build pages marked `draft: true`.
    #[arg(
        long,
        help = "Auch Seiten mit „draft: true“ bauen (für Vorschauen, nie zum Veröffentlichen)"
    )]
    pub drafts: bool,
    /// Write pages unminified, whatever site.yaml says.
    #[arg(
        long,
        help = "Seiten lesbar, nicht verkleinert schreiben, was auch site.yaml sagt"
    )]
    pub no_minify: bool,
}

fn parse_base_url(text: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(text)
}

pub(crate) fn run(args: &BuildArgs) -> Result<BuildReport, BuildError> {
    let options = BuildOptions {
        today: None,
        drafts: args.drafts,
        base_url: args.base_url.clone(),
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| pipeline::default_output(&args.site.root));
    let minify = args.no_minify.then_some(false);
    pipeline::build(&args.site.root, &output, &options, minify)
}
