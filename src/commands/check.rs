//! `mitnutzung check`: every validation, nothing written.

use clap::Args;

use crate::check::{self, CheckOptions};
use crate::diagnostics::Diagnostics;
use crate::model::Date;
use crate::pipeline::BuildError;

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text on stderr, as `build` prints it.
    Human,
    /// One JSON object on stdout (keys documented in README).
    Json,
    /// GitHub Actions annotations on stdout.
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: super::SiteRoot,
    #[arg(
        long,
        value_enum,
        default_value_t = Format::Human,
        value_name = "FORMAT",
        hide_default_value = true,
        hide_possible_values = true,
        help = "Ausgabe: human (Text auf stderr, wie bei build; Standard), json (ein JSON-Objekt auf stdout) oder github (Anmerkungen für GitHub Actions)"
    )]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long, help = "Auch bei Warnungen mit 1 enden")]
    pub deny_warnings: bool,
    /// Also check pages marked `draft: true`.
    #[arg(long, help = "Auch Seiten mit „draft: true“ prüfen")]
    pub drafts: bool,
    /// The day status dates may not lie after (YYYY-MM-DD); default: today.
    #[arg(
        long,
        value_parser = parse_date,
        value_name = "DATUM",
        help = "Der Tag, nach dem kein Statusdatum liegen darf (JJJJ-MM-TT); Standard: heute"
    )]
    pub today: Option<crate::model::Date>,
}

fn parse_date(text: &str) -> Result<crate::model::Date, String> {
    crate::model::Date::parse(text)
}

pub(crate) fn run(args: &CheckArgs) -> Result<Diagnostics, BuildError> {
    let options = CheckOptions {
        drafts: args.drafts,
        today: args.today.unwrap_or_else(Date::today),
    };
    check::run(&args.site.root, &options)
}
