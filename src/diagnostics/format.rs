//! The machine-readable ways `check` prints diagnostics: one JSON object for
//! CI and tools, and GitHub Actions annotations. The human-readable form is
//! [`super::report`], the same for `build`, `check` and `serve`.

use serde::Serialize;

use super::{Code, Diagnostic, Diagnostics, Severity};

/// One diagnostic in the JSON report; the keys are a stable interface.
#[derive(Debug, Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    pub severity: &'static str,
    /// Serialised as its kebab-case name.
    pub code: Code,
    pub message: &'a str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub hint: Option<&'a str>,
    /// Only for a workbook (`import`): sheet, cell and field label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
}

/// The whole JSON report.
#[derive(Debug, Serialize)]
pub(crate) struct JsonReport<'a> {
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub errors: usize,
    pub warnings: usize,
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn path(d: &Diagnostic) -> String {
    d.file.to_string_lossy().replace('\\', "/")
}

pub(crate) fn json(diagnostics: &Diagnostics) -> String {
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: severity(d),
                code: d.code,
                message: &d.message,
                file: path(d),
                line: d.position.line,
                column: d.position.column,
                hint: d.hint.as_deref(),
                sheet: d.place.as_ref().and_then(|p| p.sheet.as_deref()),
                cell: d.place.as_ref().and_then(|p| p.cell.as_deref()),
                field: d.place.as_ref().and_then(|p| p.field.as_deref()),
            })
            .collect(),
        errors: diagnostics.error_count(),
        warnings: diagnostics.warning_count(),
    };
    serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"
}

/// `::error file=…,line=…,col=…,title=code::message` lines for GitHub Actions.
pub(crate) fn github(diagnostics: &Diagnostics) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let mut message = match d.place.as_ref().map(|p| p.shown()) {
                Some(shown) if !shown.is_empty() => format!("{shown}: {}", d.message),
                _ => d.message.clone(),
            };
            if let Some(hint) = &d.hint {
                message.push_str(&format!("\nHinweis: {hint}"));
            }
            format!(
                "::{} file={},line={},col={},title={}::{}\n",
                severity(d),
                escape_property(&path(d)),
                d.position.line,
                d.position.column,
                escape_property(d.code.as_str()),
                escape_data(&message)
            )
        })
        .collect()
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Position;

    fn sample() -> Diagnostics {
        Diagnostics::from_iter([
            Diagnostic::error(
                Code::BrokenLink,
                "content/a.md",
                Position::new(2, 3),
                "Kaputt: 100%",
            )
            .with_hint("So, nicht so."),
            Diagnostic::warning(Code::NoLeika, "content/b.md", Position::new(1, 1), "Fehlt."),
        ])
    }

    #[test]
    fn json_has_the_documented_shape() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 1);
        assert_eq!(
            v["diagnostics"][0],
            serde_json::json!({"severity": "error", "code": "broken-link", "message": "Kaputt: 100%", "file": "content/a.md", "line": 2, "column": 3, "hint": "So, nicht so."})
        );
        assert_eq!(v["diagnostics"][1]["hint"], serde_json::Value::Null);
    }

    #[test]
    fn github_annotations_escape_their_parts() {
        let out = github(&sample());
        assert_eq!(
            out,
            "::error file=content/a.md,line=2,col=3,title=broken-link::Kaputt: 100%25%0AHinweis: So, nicht so.\n::warning file=content/b.md,line=1,col=1,title=no-leika::Fehlt.\n"
        );
    }
}
