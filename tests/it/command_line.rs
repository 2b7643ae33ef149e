//! The command line in German: help with the exit codes, usage errors with
//! exit code 2, told word for word.

use crate::common::mitnutzung;

const HINT: &str =
    "  Hinweis: mitnutzung --help zeigt alle Befehle, mitnutzung BEFEHL --help ihre Angaben.\n";

#[test]
fn the_help_is_german_and_names_the_exit_codes() {
    let run = mitnutzung(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with(
        "Baut das Mitnutzungsportal aus content/ und themes/.\n\nAufruf: mitnutzung <BEFEHL>\n\nBefehle:\n  build   Baut die Site nach public/ (oder --output)\n"
    ), "{}", run.stdout);
    assert!(run
        .stdout
        .contains("\nOptionen:\n  -h, --help     Diese Hilfe anzeigen\n"));
    assert!(run.stdout.ends_with("Rückgabewerte: 0 Erfolg, 1 Fehler im Inhalt, 2 falscher Aufruf.\nHilfe zu einem Befehl: mitnutzung BEFEHL --help\n"));
    for command in ["build", "serve", "check", "schema"] {
        let run = mitnutzung(&[command, "--help"]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains(&format!(
                "\nAufruf: mitnutzung {command} [OPTIONEN]\n\nOptionen:\n"
            )),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("\nRückgabewerte: 0 "), "{}", run.stdout);
        for english in ["Usage", "Options", "Print help", "[default", "[possible"] {
            assert!(
                !run.stdout.contains(english),
                "{command}: {english}\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn usage_errors_are_german_with_exit_code_2() {
    let cases: [(&[&str], &str); 4] = [
        (&["buidl"], "Fehler: Den Befehl „buidl“ gibt es nicht. Meinten Sie „build“? Befehle: build, serve, check, schema.\n"),
        (&["check", "--deny-warning"], "Fehler: Die Angabe „--deny-warning“ gibt es hier nicht. Meinten Sie „--deny-warnings“?\n"),
        (&["check", "--today", "gestern"], "Fehler: Der Wert „gestern“ passt nicht zu --today <DATUM>: „gestern“ ist kein gültiges Datum: schreiben Sie es als JJJJ-MM-TT, z. B. 2026-05-04.\n"),
        (&[], "Fehler: Es fehlt ein Befehl: build, serve, check oder schema.\n"),
    ];
    for (args, expected) in cases {
        let run = mitnutzung(args);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{args:?}");
        assert_eq!(run.stderr, format!("{expected}{HINT}"), "{args:?}");
    }
}
