//! What an editor did wrong: the one diagnostic type, collected across a whole
//! run so that every problem is reported at once, and its one human-readable
//! form (`path:line:column: Fehler[code]: message`, the source line with a
//! caret, a hint), shared by `build`, `check` and `serve`.

mod code;
pub(crate) mod format;
mod quote;

pub(crate) use quote::shorten;

pub(crate) use code::Code;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Default for Position {
    fn default() -> Self {
        Position::START
    }
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }

    /// Shift a position found inside an embedded text (front matter, body)
    /// by the number of file lines that come before that text.
    pub fn below(self, lines_before: usize) -> Self {
        Position {
            line: self.line + lines_before,
            column: self.column,
        }
    }
}

/// One problem in the site, with its place and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `yaml-syntax`, `unknown-key`.
    pub code: Code,
    /// Path relative to the site root, with `/` separators.
    pub file: PathBuf,
    pub position: Position,
    pub message: String,
    pub hint: Option<String>,
    /// For a spreadsheet (a returned questionnaire): the sheet, cell and
    /// field instead of line and column.
    pub place: Option<Box<SheetPlace>>,
}

/// A place in a workbook: `Fragebogen!B12`, with the field's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPlace {
    /// `None`: the file as a whole.
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub field: Option<String>,
}

impl SheetPlace {
    /// The file as a whole.
    pub const FILE: SheetPlace = SheetPlace {
        sheet: None,
        cell: None,
        field: None,
    };

    /// A cell of a sheet, with the label of its field.
    pub fn cell(sheet: &str, cell: &str, field: Option<&str>) -> SheetPlace {
        SheetPlace {
            sheet: Some(sheet.to_string()),
            cell: Some(cell.to_string()),
            field: field.map(str::to_string),
        }
    }

    /// `Fragebogen!B12 (Feld „Name der Kommune“)`, or nothing for the whole file.
    pub fn shown(&self) -> String {
        let mut out = String::new();
        if let (Some(sheet), Some(cell)) = (&self.sheet, &self.cell) {
            out.push_str(&format!("{sheet}!{cell}"));
        }
        if let Some(field) = &self.field {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("(Feld „{}“)", escape_controls(field)));
        }
        out
    }
}

impl Diagnostic {
    /// An error; `code` must be one whose severity is an error.
    pub fn error(
        code: Code,
        file: impl AsRef<Path>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        debug_assert_eq!(code.severity(), Severity::Error, "{code} is not an error");
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.as_ref().to_path_buf(),
            position,
            message: message.into(),
            hint: None,
            place: None,
        }
    }

    /// A warning; `code` must be one whose severity is a warning.
    pub fn warning(
        code: Code,
        file: impl AsRef<Path>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        debug_assert_eq!(
            code.severity(),
            Severity::Warning,
            "{code} is not a warning"
        );
        Diagnostic {
            severity: Severity::Warning,
            code,
            file: file.as_ref().to_path_buf(),
            position,
            message: message.into(),
            hint: None,
            place: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Place the diagnostic in a workbook instead of a text file.
    pub fn with_place(mut self, place: SheetPlace) -> Self {
        self.place = Some(Box::new(place));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The first line: `path:line:column: Fehler[code]: message` (or
    /// `Warnung[code]`), so that editors and terminals can jump to the place.
    pub fn headline(&self) -> String {
        let file = display_path(&self.file);
        let label = match self.severity {
            Severity::Error => "Fehler",
            Severity::Warning => "Warnung",
        };
        let at = match &self.place {
            Some(place) => match place.shown() {
                shown if shown.is_empty() => file,
                shown if place.sheet.is_some() => format!("{file}:{shown}"),
                shown => format!("{file} {shown}"),
            },
            None => format!("{file}:{}:{}", self.position.line, self.position.column),
        };
        format!(
            "{at}: {label}[{}]: {}",
            self.code,
            escape_controls(&self.message)
        )
    }

    /// Headline, the offending source line with a caret under the column, and the hint.
    pub fn render(&self, source_line: Option<&str>) -> String {
        let mut out = self.headline();
        if let Some(line) = source_line.filter(|l| !l.trim().is_empty()) {
            let number = self.position.line.to_string();
            let pad = " ".repeat(number.len());
            let (line, caret_pad) = snippet(line, self.position.column);
            out.push_str(&format!(
                "\n{pad} |\n{number} | {line}\n{pad} | {caret_pad}^"
            ));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  Hinweis: {hint}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  Hinweis: {hint}")?;
        }
        Ok(())
    }
}

/// All problems of a run, in a stable order (file, line, column).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sort by file and place, drop exact repeats.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.position, a.severity, &a.message)
                .cmp(&(&b.file, b.position, b.severity, &b.message))
        });
        self.0.dedup();
        self
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// Every diagnostic rendered with its source line (read from `root`), one
/// block each, separated by blank lines: the one human-readable format, which
/// `build`, `check` and `serve` print and the preview's error overlay shows.
pub(crate) fn report(root: &Path, diagnostics: &Diagnostics) -> String {
    let mut sources = SourceLines::default();
    diagnostics
        .iter()
        .map(|d| d.render(sources.line(root, d).as_deref()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The source lines that diagnostics quote: each file read and its line
/// starts found once per report, however many problems it has.
#[derive(Debug, Default)]
struct SourceLines {
    files: HashMap<PathBuf, Option<LineIndex>>,
}

#[derive(Debug)]
struct LineIndex {
    text: String,
    /// Where each line starts, and where its text ends (before `\n`, `\r\n` or `\r`).
    lines: Vec<(usize, usize)>,
    /// Whether each line holds a control character other than a tab.
    has_controls: Vec<bool>,
}

impl SourceLines {
    /// The line a diagnostic points at, without trailing whitespace.
    fn line(&mut self, root: &Path, d: &Diagnostic) -> Option<Cow<'_, str>> {
        if d.place.is_some() {
            return None; // a workbook has no source lines to quote
        }
        let index = self
            .files
            .entry(d.file.clone())
            .or_insert_with(|| LineIndex::read(&root.join(&d.file)));
        index.as_ref()?.line(d.position.line.checked_sub(1)?)
    }
}

impl LineIndex {
    /// Never through a symbolic link: a `symlink-ignored` warning must not quote its target.
    fn read(path: &Path) -> Option<LineIndex> {
        let bytes = crate::fs::read_regular(path).ok()?;
        Some(LineIndex::new(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Lines end in `\n`, `\r\n` or a lone `\r` (old Mac files), as the YAML
    /// parser counts them.
    fn new(text: String) -> LineIndex {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[end] == b'\n' && end > 0 && bytes[end - 1] == b'\r' {
                continue; // the `\n` of a `\r\n`, already counted at its `\r`
            }
            lines.push((start, end));
            start = end
                + if bytes[end..].starts_with(b"\r\n") {
                    2
                } else {
                    1
                };
        }
        if start < bytes.len() {
            lines.push((start, bytes.len()));
        }
        let has_controls = lines
            .iter()
            .map(|&(start, end)| {
                text[start..end]
                    .chars()
                    .any(|c| c != '\t' && c.is_control())
            })
            .collect();
        LineIndex {
            text,
            lines,
            has_controls,
        }
    }

    /// Line `n` (0-based), trailing whitespace removed, control characters visible.
    /// Borrowed, without a copy, unless the line holds control characters.
    fn line(&self, n: usize) -> Option<Cow<'_, str>> {
        let (start, end) = *self.lines.get(n)?;
        let line = self.text[start..end].trim_end();
        if !self.has_controls.get(n).copied().unwrap_or(true) {
            return Some(Cow::Borrowed(line));
        }
        Some(Cow::Owned(line.chars().map(visible).collect()))
    }
}

/// The most characters of a source line that a diagnostic quotes.
const SNIPPET_WIDTH: usize = 120;

/// A source line as a diagnostic quotes it, and the padding that puts a
/// caret under `column`: a long line (a flow list of thousands of aliases)
/// is cut to a window of [`SNIPPET_WIDTH`] characters around the column,
/// with `…` where text was left out, so that each message stays short.
pub(crate) fn snippet(line: &str, column: usize) -> (String, String) {
    if line.is_ascii() {
        // Byte offsets are character offsets: no copy of a long line per
        // diagnostic (20,000 aliases on one line each quote it).
        return cut(line.as_bytes(), column, |b| char::from(*b));
    }
    let chars: Vec<char> = line.chars().collect();
    cut(&chars, column, |c| *c)
}

/// [`snippet`] over the line's characters.
fn cut<T>(chars: &[T], column: usize, char_of: impl Fn(&T) -> char) -> (String, String) {
    let at = column.saturating_sub(1).min(chars.len());
    let (start, end) = if chars.len() <= SNIPPET_WIDTH {
        (0, chars.len())
    } else {
        let start = at.saturating_sub(SNIPPET_WIDTH / 2);
        let start = start.min(chars.len() - SNIPPET_WIDTH);
        (start, start + SNIPPET_WIDTH)
    };
    let mut shown: String = if start > 0 {
        "…".into()
    } else {
        String::new()
    };
    let mut pad: String = if start > 0 { " ".into() } else { String::new() };
    shown.extend(chars[start..end].iter().map(&char_of));
    pad.extend(
        chars[start..at]
            .iter()
            .map(|c| if char_of(c) == '\t' { '\t' } else { ' ' }),
    );
    if end < chars.len() {
        shown.push('…');
    }
    (shown, pad)
}

/// A control character in a quoted source line as its visible symbol
/// (NUL → ␀), one column wide so that the caret stays in place; tabs stay.
fn visible(c: char) -> char {
    match c {
        '\t' => c,
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// A path as diagnostics print it: `/` separators, control characters
/// (a newline in a file name) escaped so that the `path:line:col` stays one line.
pub(crate) fn display_path(path: &Path) -> String {
    escape_controls(&path.to_string_lossy().replace('\\', "/"))
}

/// Control characters written as escapes (`\n`, `\t`, `\u{7f}`): a message
/// line that quotes a file name stays one line.
pub(crate) fn escape_controls(text: &str) -> String {
    if !text.contains(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// „Meinten Sie „x“?“ for the candidate closest to `given`, if one is close
/// enough (a typo, not another word): the one "did you mean" of every hint.
/// A number with its noun in German: "1 Warnung", "2 Warnungen", "0 Dateien".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(crate) fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean_as(given, candidates, str::to_string)
}

/// [`did_you_mean`], the candidate shown as the editor writes it
/// (`@/schritte/02-info.md`, `#anker`, `kontakt()`).
pub(crate) fn did_you_mean_as<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    shown: impl FnOnce(&str) -> String,
) -> Option<String> {
    closest(given, candidates).map(|best| format!("Meinten Sie „{}“?", shown(best)))
}

/// A hint that starts with a "did you mean" sentence, if there is one, and
/// goes on with `rest` (what is possible).
pub(crate) fn suggestion_then(suggestion: Option<String>, rest: String) -> String {
    match suggestion {
        Some(question) => format!("{question} {rest}"),
        None => rest,
    }
}

/// The candidate closest to `word`, if it is close enough.
fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word_lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(2))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(count(1, "Warnung", "Warnungen"), "1 Warnung");
        assert_eq!(count(0, "Warnung", "Warnungen"), "0 Warnungen");
        assert_eq!(count(2, "Datei", "Dateien"), "2 Dateien");
    }

    #[test]
    fn headline_has_path_line_column_severity_and_code() {
        let d = Diagnostic::error(
            Code::BrokenLink,
            "content/a.md",
            Position::new(3, 7),
            "Kaputt.",
        );
        assert_eq!(
            d.headline(),
            "content/a.md:3:7: Fehler[broken-link]: Kaputt."
        );
        let w = Diagnostic::warning(Code::NoLeika, "content/a.md", Position::new(1, 1), "Hm.");
        assert_eq!(w.headline(), "content/a.md:1:1: Warnung[no-leika]: Hm.");
    }

    #[test]
    fn render_puts_caret_under_column() {
        let d = Diagnostic::error(Code::BrokenLink, "a.yaml", Position::new(12, 5), "Falsch.")
            .with_hint("So.");
        assert_eq!(
            d.render(Some("ags: 123")),
            "a.yaml:12:5: Fehler[broken-link]: Falsch.\n   |\n12 | ags: 123\n   |     ^\n  Hinweis: So."
        );
    }

    #[test]
    fn report_separates_blocks_by_a_blank_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "eins\nzwei\n").unwrap();
        let d = Diagnostics::from_iter([
            Diagnostic::error(Code::BrokenLink, "a.md", Position::new(2, 3), "Kaputt.")
                .with_hint("So."),
            Diagnostic::warning(Code::NoLeika, "b.md", Position::START, "Fehlt."),
        ]);
        assert_eq!(
            report(dir.path(), &d),
            "a.md:2:3: Fehler[broken-link]: Kaputt.\n  |\n2 | zwei\n  |   ^\n  Hinweis: So.\n\nb.md:1:1: Warnung[no-leika]: Fehlt."
        );
    }

    #[test]
    fn lines_end_in_lf_crlf_or_cr() {
        let line = |text: &str, n| {
            LineIndex::new(text.to_string())
                .line(n)
                .map(Cow::into_owned)
        };
        assert_eq!(line("a\rb\rc", 1).as_deref(), Some("b"));
        assert_eq!(line("a\r\nb\r\n", 1).as_deref(), Some("b"));
        assert_eq!(line("a\r\nb\r\n", 2), None);
        assert_eq!(line("a\nb", 0).as_deref(), Some("a"));
        assert_eq!(line("a\nb", 2), None);
        assert_eq!(line("a\n\nb", 1).as_deref(), Some(""));
    }

    #[test]
    fn long_source_lines_are_quoted_around_the_column() {
        assert_eq!(snippet("a\tb", 3), ("a\tb".to_string(), " \t".to_string()));
        let line = "x".repeat(100) + "^" + &"y".repeat(200);
        let (shown, pad) = snippet(&line, 101);
        assert_eq!(shown.chars().count(), SNIPPET_WIDTH + 2);
        assert!(shown.starts_with("…x") && shown.ends_with("y…"), "{shown}");
        assert_eq!(shown.chars().nth(pad.chars().count()), Some('^'));
        let (shown, pad) = snippet(&line, 301);
        assert!(shown.starts_with('…') && !shown.ends_with('…'));
        assert_eq!(pad.chars().count(), SNIPPET_WIDTH);
    }

    #[test]
    fn a_workbook_diagnostic_names_sheet_cell_and_field() {
        let d = Diagnostic::error(Code::InvalidEmail, "x.xlsx", Position::START, "Falsch.")
            .with_place(SheetPlace::cell("Fragebogen", "B12", Some("E-Mail")))
            .with_hint("So.");
        assert_eq!(
            report(Path::new("/nonexistent"), &Diagnostics::from_iter([d])),
            "x.xlsx:Fragebogen!B12 (Feld „E-Mail“): Fehler[invalid-email]: Falsch.\n  Hinweis: So."
        );
        let whole = Diagnostic::error(Code::InvalidEmail, "x.xlsx", Position::START, "Kaputt.")
            .with_place(SheetPlace::FILE);
        assert_eq!(whole.headline(), "x.xlsx: Fehler[invalid-email]: Kaputt.");
    }

    #[test]
    fn control_characters_in_paths_are_escaped() {
        let d = Diagnostic::error(
            Code::BrokenLink,
            "content/a\nb\t.md",
            Position::START,
            "Kaputt.",
        );
        assert_eq!(
            d.headline(),
            "content/a\\nb\\t.md:1:1: Fehler[broken-link]: Kaputt."
        );
    }

    #[test]
    fn did_you_mean_asks_for_the_closest_candidate() {
        let states = ["Thüringen", "Sachsen"];
        assert_eq!(
            did_you_mean("Thueringen", states).as_deref(),
            Some("Meinten Sie „Thüringen“?")
        );
        assert_eq!(did_you_mean("Bayern", states), None);
        assert_eq!(
            did_you_mean_as("pvgo", ["pvog", "kosten"], |b| format!("#{b}")).as_deref(),
            Some("Meinten Sie „#pvog“?")
        );
        assert_eq!(
            suggestion_then(did_you_mean("sachen", states), "Möglich: …".into()),
            "Meinten Sie „Sachsen“? Möglich: …"
        );
        assert_eq!(
            suggestion_then(did_you_mean("xyz", states), "Möglich: …".into()),
            "Möglich: …"
        );
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(
            closest("sttus", ["status", "since", "history"]),
            Some("status")
        );
        assert_eq!(closest("zzzzzzz", ["status", "since"]), None);
        assert_eq!(
            closest("Thueringen", ["Thüringen", "Sachsen"]),
            Some("Thüringen")
        );
    }
}
