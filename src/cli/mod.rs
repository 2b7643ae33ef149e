//! Command-line arguments (clap), printing of diagnostics for people, and the
//! exit codes: 0 success, 1 content errors, 2 bad usage.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod usage;
pub use usage::parse;

use crate::commands::{
    self,
    build::BuildArgs,
    check::{CheckArgs, Format},
    import::ImportArgs,
    schema::SchemaArgs,
    serve::ServeArgs,
};
use crate::diagnostics::Diagnostics;
use crate::pipeline::BuildError;

#[derive(Debug, Parser)]
#[command(
    name = "mitnutzung",
    version,
    about = "Baut das Mitnutzungsportal aus content/ und themes/."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands; their help texts are German, for the editors.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    #[command(about = "Baut die Site nach public/ (oder --output)")]
    Build(BuildArgs),
    /// Live preview: build into memory, serve, rebuild and reload on changes.
    #[command(
        about = "Vorschau im Browser: baut in den Speicher und bei jeder Änderung neu, offene Seiten laden sich neu"
    )]
    Serve(ServeArgs),
    /// Validate everything (also links, anchors, downloads, dates) without writing.
    #[command(
        about = "Prüft alles (auch Links, Anker, Downloads, Daten), ohne etwas zu schreiben"
    )]
    Check(CheckArgs),
    /// Write JSON Schemas of site.yaml, front matter and data files (for editors' YAML tooling).
    #[command(
        about = "Schreibt JSON-Schemas für site.yaml, Kopfbereiche und Datendateien (für die YAML-Prüfung im Editor)"
    )]
    Schema(SchemaArgs),
    /// Read a returned questionnaire (XLSX) into the municipality's file.
    #[command(
        about = "Liest einen zurückgeschickten Fragebogen (.xlsx) in die Datei der Kommune ein"
    )]
    Import(ImportArgs),
}

pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Run the parsed command and turn its outcome into an exit code.
pub fn run(cli: Cli) -> ExitCode {
    // Before any thread is started (`main` calls this first).
    crate::search::forget_environment();
    match cli.command {
        Command::Build(args) => build(&args),
        Command::Serve(args) => serve(&args),
        Command::Check(args) => check(&args),
        Command::Import(args) => import(&args),
        Command::Schema(args) => match commands::schema::run(&args) {
            Ok(written) => {
                println!("{written} Schemas nach {} geschrieben.", args.out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Fehler: {e}");
                ExitCode::from(EXIT_CONTENT)
            }
        },
    }
}

fn missing_root(root: &Path) -> Option<ExitCode> {
    if root.is_dir() {
        return None;
    }
    eprintln!(
        "Fehler: Der Site-Ordner {} existiert nicht.",
        root.display()
    );
    Some(ExitCode::from(EXIT_USAGE))
}

fn build(args: &BuildArgs) -> ExitCode {
    if let Some(code) = missing_root(&args.site.root) {
        return code;
    }
    #[cfg(unix)]
    exit_cleanly_on_signals();
    match commands::build::run(args) {
        Ok(report) => {
            print_diagnostics(&args.site.root, &report.warnings);
            print_left_over(&report.left_over);
            let out = args
                .output
                .clone()
                .unwrap_or_else(|| crate::pipeline::default_output(&args.site.root));
            println!(
                "Fertig: {} Dateien nach {} geschrieben{}.",
                report.files,
                out.display(),
                count_suffix(report.warnings.warning_count() + report.left_over.len())
            );
            ExitCode::SUCCESS
        }
        Err(e) => ExitCode::from(report_error(&args.site.root, e)),
    }
}

/// The new site is live, but old copies remain: a warning each, exit 0.
fn print_left_over(left_over: &[crate::output::LeftOver]) {
    for left in left_over {
        eprintln!(
            "Warnung: Die neue Ausgabe ist vollständig, aber die alte Kopie {} ließ sich nicht entfernen ({}).\n  Hinweis: Der nächste Build versucht es erneut; Sie können den Ordner auch von Hand löschen.\n",
            left.dir.display(),
            left.error
        );
    }
}

/// SIGINT/SIGTERM during a build: remove its staging folder, then exit with
/// 130 or 143 (128 + the signal), as shells do.
#[cfg(unix)]
fn exit_cleanly_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let stopped = crate::output::interrupt();
            let name = if signal == SIGINT {
                "SIGINT"
            } else {
                "SIGTERM"
            };
            if stopped.removed > 0 {
                eprintln!("Abgebrochen ({name}): Der halb geschriebene Build wurde entfernt; die vorige Ausgabe bleibt unverändert.");
            } else {
                eprintln!("Abgebrochen ({name}).");
            }
            std::process::exit(128 + signal);
        }
    });
}

fn check(args: &CheckArgs) -> ExitCode {
    if let Some(code) = missing_root(&args.site.root) {
        return code;
    }
    let diagnostics = match commands::check::run(args) {
        Ok(d) => d,
        Err(e) => return ExitCode::from(report_error(&args.site.root, e)),
    };
    match args.format {
        Format::Json => print!("{}", crate::diagnostics::format::json(&diagnostics)),
        Format::Github => print!("{}", crate::diagnostics::format::github(&diagnostics)),
        Format::Human => {
            print_diagnostics(&args.site.root, &diagnostics);
            eprintln!(
                "Prüfung: {} Fehler, {}.",
                diagnostics.error_count(),
                crate::diagnostics::count(diagnostics.warning_count(), "Warnung", "Warnungen")
            );
        }
    }
    let failed =
        diagnostics.has_errors() || (args.deny_warnings && diagnostics.warning_count() > 0);
    ExitCode::from(if failed { EXIT_CONTENT } else { 0 })
}

fn import(args: &ImportArgs) -> ExitCode {
    use commands::import::ImportError;
    if let Some(code) = missing_root(&args.site.root) {
        return code;
    }
    let report = match commands::import::run(args) {
        Ok(report) => report,
        Err(ImportError::Usage(message)) => {
            eprintln!("Fehler: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
        Err(ImportError::Site(d)) => {
            print_diagnostics(&args.site.root, &d);
            eprintln!(
                "Import abgebrochen: Die Site hat {} Fehler; beheben Sie sie zuerst (mitnutzung check). Nichts geschrieben.",
                d.error_count()
            );
            return ExitCode::from(EXIT_CONTENT);
        }
    };
    print_diagnostics(&args.site.root, &report.diagnostics);
    let Some(change) = report.change else {
        eprintln!(
            "Import abgebrochen: {} Fehler{}; nichts geschrieben.",
            report.diagnostics.error_count(),
            warning_suffix(&report.diagnostics)
                .replace(" (", ", ")
                .replace(')', "")
        );
        return ExitCode::from(EXIT_CONTENT);
    };
    let file = crate::diagnostics::display_path(&change.file);
    let warnings = warning_suffix(&report.diagnostics);
    if change.old.as_deref() == Some(change.new.as_str()) {
        println!("Keine Änderung: {file} ist schon auf dem Stand des Fragebogens{warnings}.");
    } else if change.written {
        let verb = if change.old.is_some() {
            "geändert"
        } else {
            "angelegt"
        };
        println!("Importiert: {file} {verb}{warnings}.");
    } else {
        let verb = if change.old.is_some() {
            "geändert"
        } else {
            "angelegt"
        };
        println!("Probelauf, nichts geschrieben: {file} würde so {verb}{warnings}:");
        print!(
            "{}",
            commands::import::diff(change.old.as_deref().unwrap_or(""), &change.new)
        );
    }
    ExitCode::SUCCESS
}

fn serve(args: &ServeArgs) -> ExitCode {
    if let Some(code) = missing_root(&args.site.root) {
        return code;
    }
    match commands::serve::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ crate::serve::ServeError::Bind { .. }) => {
            eprintln!("Fehler: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("Fehler: {e}");
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn warning_suffix(d: &Diagnostics) -> String {
    count_suffix(d.warning_count())
}

fn count_suffix(warnings: usize) -> String {
    match warnings {
        0 => String::new(),
        n => format!(
            " ({})",
            crate::diagnostics::count(n, "Warnung", "Warnungen")
        ),
    }
}

/// Print a failed build's reasons; return its exit code.
pub fn report_error(root: &Path, e: BuildError) -> u8 {
    match e {
        BuildError::Content(d) => {
            print_diagnostics(root, &d);
            eprintln!(
                "Abgebrochen: {} Fehler{}; public/ bleibt unverändert.",
                d.error_count(),
                warning_suffix(&d).replace(" (", ", ").replace(')', "")
            );
            EXIT_CONTENT
        }
        BuildError::Output(e) if e.is_refusal() => {
            eprintln!("Fehler: {e}");
            EXIT_USAGE
        }
        other => {
            eprintln!("Fehler: {other}");
            EXIT_CONTENT
        }
    }
}

/// Every diagnostic with its source line, to stderr.
pub fn print_diagnostics(root: &Path, diagnostics: &Diagnostics) {
    if diagnostics.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}\n", crate::diagnostics::report(root, diagnostics));
}
