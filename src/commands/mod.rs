//! One function per subcommand, each a short readable sequence.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod import;
pub(crate) mod schema;
pub(crate) mod serve;

use std::path::PathBuf;

/// `--root`, the same for every command that reads a site.
#[derive(Debug, clap::Args)]
pub struct SiteRoot {
    /// The site folder (holds content/ and themes/).
    #[arg(
        long,
        default_value = ".",
        value_name = "ORDNER",
        hide_default_value = true,
        help = "Der Site-Ordner mit content/ (und themes/); Standard: der aktuelle Ordner"
    )]
    pub root: PathBuf,
}
