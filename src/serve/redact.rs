//! What of a diagnostic may reach the browser. The error overlay shows each
//! diagnostic like the terminal does, but never quotes a source line that
//! lies inside an `internal:` block of a YAML file (contact persons, notes
//! that are never published): for such a line it shows the message and the
//! hint only. Source lines are read without following symbolic links.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Every diagnostic rendered for the overlay, one block each, separated by blank lines.
pub(super) fn browser_report(root: &Path, diagnostics: &Diagnostics) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(quotable_line(root, d).as_deref()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The diagnostic's source line, unless it must not leave the machine.
fn quotable_line(root: &Path, d: &Diagnostic) -> Option<String> {
    let bytes = crate::fs::read_regular(&root.join(&d.file)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = d.position.line.checked_sub(1)?;
    if is_yaml(&d.file) && inside_internal(&text, line) {
        return None;
    }
    text.lines().nth(line).map(|l| l.trim_end().to_string())
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Whether line `index` (0-based) lies in an `internal:` block: on the key's
/// line or below it, before the next line indented no deeper than the key.
/// Blank lines, comments and flow continuations (`]`, `}`, `,`) do not end it.
fn inside_internal(text: &str, index: usize) -> bool {
    let mut block: Option<usize> = None;
    for (i, line) in text.lines().enumerate().take(index + 1) {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let continues = trimmed.is_empty() || trimmed.starts_with(['#', ']', '}', ',']);
        if block.is_some_and(|k| indent <= k && !continues) {
            block = None;
        }
        if block.is_none() && is_internal_key(trimmed) {
            block = Some(indent);
        }
        if i == index {
            return block.is_some();
        }
    }
    false
}

/// `internal:` as a mapping key (also quoted, or after a list dash).
fn is_internal_key(trimmed: &str) -> bool {
    let trimmed = trimmed.trim_start_matches(['-', ' ']);
    let Some((key, rest)) = trimmed.split_once(':') else {
        return false;
    };
    let key = key.trim().trim_matches(['"', '\'']);
    key == "internal" && (rest.is_empty() || rest.starts_with([' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    const GERA: &str = "name: Gera\ninternal:\n  contacts:\n    - {name: Erika,\n  email: x}\n\n  # Notiz\n  notes: geheim\nservices: {}\n";

    #[test]
    fn lines_of_the_internal_block_are_recognised() {
        let inside: Vec<usize> = (0..9).filter(|&i| inside_internal(GERA, i)).collect();
        assert_eq!(inside, [1, 2, 3, 4, 5, 6, 7]);
        assert!(inside_internal("internal: {a: geheim}\n", 0));
        assert!(inside_internal("\"internal\":\n  a: b\n", 1));
        assert!(!inside_internal("internals:\n  a: b\n", 1));
        assert!(!inside_internal("name: internal: x\n", 0));
    }

    #[test]
    fn the_overlay_quotes_no_internal_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/kommunen")).unwrap();
        std::fs::write(dir.path().join("content/kommunen/gera.yaml"), GERA).unwrap();
        let at = |line| {
            let d = Diagnostic::error(
                Code::YamlSyntax,
                "content/kommunen/gera.yaml",
                crate::diagnostics::Position::new(line, 3),
                "Fehler",
            );
            browser_report(dir.path(), &Diagnostics::from_iter([d]))
        };
        assert_eq!(
            at(8),
            "content/kommunen/gera.yaml:8:3: Fehler[yaml-syntax]: Fehler"
        );
        assert!(at(1).contains("1 | name: Gera"), "{}", at(1));
        assert!(at(9).contains("9 | services: {}"), "{}", at(9));
    }
}
