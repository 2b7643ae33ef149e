//! The command line in German: help texts with German headings and the exit
//! codes, and clap's usage errors retold in German (clap itself speaks
//! English). What clap does not let us reach — the order of the help's
//! sections, the word "help" in `mitnutzung help` (switched off) — is
//! documented in README.

use std::error::Error as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};

use super::{Cli, EXIT_USAGE};

const TEMPLATE: &str = "{about-with-newline}\nAufruf: {usage}\n\n{all-args}{after-help}";

/// What each command's exit codes mean, shown under its help.
const EXIT_CODES: [(&str, &str); 6] = [
    ("", "Rückgabewerte: 0 Erfolg, 1 Fehler im Inhalt, 2 falscher Aufruf.\nHilfe zu einem Befehl: mitnutzung BEFEHL --help"),
    ("build", "Rückgabewerte: 0 gebaut, die neue Site ist online; 1 Fehler im Inhalt oder beim Schreiben, public/ bleibt, wie es war; 2 falscher Aufruf, Ausgabeordner abgelehnt oder ein anderer Build schreibt gerade; 130/143 abgebrochen (Strg+C, SIGTERM)."),
    ("serve", "Rückgabewerte: 0 mit Strg+C beendet; 1 Fehler der Vorschau; 2 falscher Aufruf oder Port belegt."),
    ("check", "Rückgabewerte: 0 keine Fehler (Warnungen erlaubt); 1 Fehler, mit --deny-warnings auch Warnungen; 2 falscher Aufruf."),
    ("import", "Rückgabewerte: 0 eingelesen (oder keine Änderung nötig, oder Probelauf ohne Fehler); 1 Fehler im Fragebogen oder in der Site, nichts geschrieben; 2 falscher Aufruf oder Datei nicht lesbar."),
    ("schema", "Rückgabewerte: 0 geschrieben; 1 Schreiben fehlgeschlagen; 2 falscher Aufruf."),
];

/// The command line definition with German help.
pub(crate) fn command() -> clap::Command {
    let cli = german(Cli::command(), "")
        .disable_help_subcommand(true)
        .subcommand_help_heading("Befehle")
        .subcommand_value_name("BEFEHL")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Version anzeigen")
                .help_heading("Optionen"),
        );
    cli.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let usage = if name == "import" {
            "mitnutzung import DATEI.xlsx [OPTIONEN]".to_string()
        } else {
            format!("mitnutzung {name} [OPTIONEN]")
        };
        german(sub, &name).override_usage(usage)
    })
}

/// German template, headings, help flag and exit codes for one command.
fn german(command: clap::Command, name: &str) -> clap::Command {
    let exit_codes = EXIT_CODES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| t);
    command
        .help_template(TEMPLATE)
        .after_help(exit_codes)
        .disable_help_flag(true)
        .mut_args(|arg| arg.help_heading("Optionen"))
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Diese Hilfe anzeigen")
                .help_heading("Optionen"),
        )
}

/// Parse the command line; help and version are printed and end the
/// program (0), a usage error is told in German and ends it (2).
pub fn parse() -> Cli {
    let parsed = command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            eprintln!("{}", message(&e));
            std::process::exit(i32::from(EXIT_USAGE));
        }
    }
}

/// A usage error, in German, with where to read more.
pub(crate) fn message(e: &clap::Error) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(all)) => all.join(", "),
        _ => String::new(),
    };
    let suggestion = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => format!(" Meinten Sie „{s}“?"),
        Some(ContextValue::Strings(all)) if !all.is_empty() => {
            format!(" Meinten Sie „{}“?", all[0])
        }
        _ => String::new(),
    };
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "Den Befehl „{}“ gibt es nicht.{} Befehle: build, serve, check, schema.",
            text(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "Die Angabe „{}“ gibt es hier nicht.{}",
            text(ContextKind::InvalidArg),
            suggestion(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => invalid_value(e, &text),
        ErrorKind::MissingRequiredArgument
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!("Bei „{}“ fehlt der Wert.", text(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => {
            conflict(&text(ContextKind::InvalidArg), &text(ContextKind::PriorArg))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "Es fehlt ein Befehl: build, serve, check oder schema.".to_string()
        }
        ErrorKind::InvalidUtf8 => "Eine Angabe ist kein gültiger UTF-8-Text.".to_string(),
        _ => format!("Der Aufruf ist so nicht möglich ({}).", e.kind()),
    };
    format!("Fehler: {what}\n  Hinweis: mitnutzung --help zeigt alle Befehle, mitnutzung BEFEHL --help ihre Angaben.")
}

/// Two options that exclude each other, or one given twice.
fn conflict(arg: &str, prior: &str) -> String {
    if arg == prior {
        format!("„{arg}“ steht zweimal da; geben Sie es nur einmal an.")
    } else {
        format!("„{arg}“ passt nicht zusammen mit „{prior}“.")
    }
}

/// A value that does not fit its option: the option's own German reason
/// when it has one (`--base-url`, `--today`), else the accepted values.
fn invalid_value(e: &clap::Error, text: &dyn Fn(ContextKind) -> String) -> String {
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    if let Some(reason) = e.source() {
        return format!("Der Wert „{value}“ passt nicht zu {arg}: {reason}");
    }
    let valid = text(ContextKind::ValidValue);
    if valid.is_empty() {
        format!("Der Wert „{value}“ passt nicht zu {arg}.")
    } else {
        format!("Der Wert „{value}“ passt nicht zu {arg}; möglich sind: {valid}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(args: &[&str]) -> String {
        let e = command().try_get_matches_from(args).unwrap_err();
        message(&e)
    }

    #[test]
    fn the_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn usage_errors_are_told_in_german() {
        assert!(error_of(&["mitnutzung", "buidl"])
            .starts_with("Fehler: Den Befehl „buidl“ gibt es nicht. Meinten Sie „build“?"));
        assert!(error_of(&["mitnutzung", "build", "--roo", "x"])
            .starts_with("Fehler: Die Angabe „--roo“ gibt es hier nicht. Meinten Sie „--root“?"));
        assert!(error_of(&["mitnutzung", "check", "--format", "xml"]).starts_with(
            "Fehler: Der Wert „xml“ passt nicht zu --format <FORMAT>; möglich sind: human, json, github."
        ));
        assert!(error_of(&["mitnutzung"]).starts_with("Fehler: Es fehlt ein Befehl"));
        assert!(
            error_of(&["mitnutzung", "build", "--root", "a", "--root", "b"]).starts_with(
                "Fehler: „--root <ORDNER>“ steht zweimal da; geben Sie es nur einmal an."
            )
        );
    }
}
