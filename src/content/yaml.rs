//! The one wrapper around the YAML crate (`serde_yaml`): parsing typed data
//! with editor-friendly German messages, and finding the line of a key path
//! for problems found after parsing. Replacing the YAML crate touches only
//! this file.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, suggestion_then, Code, Diagnostic, Position};

/// Start of the error text for a mapping key written twice (`model::unique`
/// raises it; the YAML crate itself would let the later entry win).
pub const DUPLICATE_KEY: &str = "duplicate entry with key `";
/// Start of the error text for a text longer than its field allows:
/// `text too long: <count>/<max>`.
pub const TOO_LONG: &str = "text too long: ";

/// One step of a path into a YAML document: a mapping key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A YAML text inside a file, with the number of file lines before it
/// (1 for front matter, which starts after the opening `---`).
#[derive(Debug, Clone)]
pub struct YamlSource<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub lines_before: usize,
    /// The text's outline, made on the first [`YamlSource::position`].
    outline: OnceCell<Outline<'a>>,
}

impl<'a> YamlSource<'a> {
    pub fn new(file: &'a Path, text: &'a str, lines_before: usize) -> Self {
        YamlSource {
            file,
            text,
            lines_before,
            outline: OnceCell::new(),
        }
    }

    /// Deserialize the text; an empty text (or only comments) reads as an empty mapping.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        self.check_tags()?;
        let text = if is_blank(self.text) { "{}" } else { self.text };
        serde_yaml::from_str(text).map_err(|e| self.diagnose(&e))
    }

    /// Deserialize a document that must be a list; an empty text is an empty list.
    pub fn parse_list<T: DeserializeOwned>(&self) -> Result<Vec<T>, Diagnostic> {
        if is_blank(self.text) {
            return Ok(Vec::new());
        }
        self.check_tags()?;
        serde_yaml::from_str(self.text).map_err(|e| self.diagnose(&e))
    }

    /// YAML tags (`!!binary`, `!python/object`, `!x`) are refused: the YAML
    /// crate would drop them without a word and read the bare value.
    fn check_tags(&self) -> Result<(), Diagnostic> {
        let Some((at, tag)) = find_tag(self.text) else {
            return Ok(());
        };
        Err(Diagnostic::error(
            Code::YamlTag,
            self.file,
            at.below(self.lines_before),
            format!("Die YAML-Markierung „{tag}“ wird nicht unterstützt."),
        )
        .with_hint(format!(
            "Löschen Sie „{tag}“ und schreiben Sie nur den Wert. Soll ein Text mit „!“ beginnen, setzen Sie ihn in Anführungszeichen, z. B. \"!wichtig\"."
        )))
    }

    /// A key written twice: at the repeated key, naming the first one's line.
    fn duplicate_key(&self, serde_at: Position, path: Option<&str>, key: &str) -> Diagnostic {
        let segs = path.map(parse_path).unwrap_or_default();
        let segs: Vec<Seg> = segs
            .iter()
            .map(|s| match s {
                OwnedSeg::Key(k) => Seg::Key(k),
                OwnedSeg::Index(i) => Seg::Index(*i),
            })
            .collect();
        let found = self
            .outline
            .get_or_init(|| Outline::new(self.text))
            .occurrences(&segs, key);
        let place = path
            .map(|p| format!(" (in „{}“)", readable_path(p)))
            .unwrap_or_default();
        let (at, first) = match found.as_slice() {
            [first, second, ..] => (
                second.below(self.lines_before),
                Some(first.below(self.lines_before)),
            ),
            _ => (serde_at, None),
        };
        let first = first
            .map(|p| format!("; zuerst in Zeile {}", p.line))
            .unwrap_or_default();
        Diagnostic::error(
            Code::DuplicateKey,
            self.file,
            at,
            format!("Der Schlüssel „{key}“ steht doppelt{place}{first}."),
        )
        .with_hint("Jeder Schlüssel darf nur einmal vorkommen, sonst gilt stillschweigend nur der letzte: führen Sie die beiden Einträge zusammen oder löschen Sie einen.")
    }

    /// The file position of the value (or key) at `path`; the nearest found
    /// ancestor when the path cannot be followed to its end.
    pub fn position(&self, path: &[Seg]) -> Position {
        self.outline
            .get_or_init(|| Outline::new(self.text))
            .locate(path)
            .below(self.lines_before)
    }

    fn diagnose(&self, err: &serde_yaml::Error) -> Diagnostic {
        let position = err
            .location()
            .map(|l| Position::new(l.line(), l.column()))
            .map_or(Position::START, |p| within(self.text, p))
            .below(self.lines_before);
        let full = err.to_string();
        let (path, message) = split_error(&full);
        if let Some(rest) = message.strip_prefix(DUPLICATE_KEY) {
            let key = rest.strip_suffix('`').unwrap_or(rest);
            return self.duplicate_key(position, path, key);
        }
        explain(self.file, position, path, message)
    }
}

/// A parser position kept inside the text: past the last line (an unclosed
/// quote reported at the end of the stream) is the end of the last line, and
/// past the end of a line (the parser does not always count a lone `\r` as a
/// line break) is the end of that line.
fn within(text: &str, p: Position) -> Position {
    let lengths: Vec<usize> = yaml_lines(text).map(|l| l.chars().count()).collect();
    let Some(&last) = lengths.last() else {
        return Position::START;
    };
    if p.line > lengths.len() {
        return Position::new(lengths.len(), last + 1);
    }
    let length = lengths[p.line.max(1) - 1];
    Position::new(p.line.max(1), p.column.clamp(1, length + 1))
}

fn is_blank(text: &str) -> bool {
    yaml_lines(text).all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// Deserialize a text directly, the error as the YAML crate prints it (unit tests
/// of the types that read YAML).
#[cfg(test)]
pub fn parse_for_test<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// A YAML text as a JSON value (for checking content against the JSON Schemas).
pub fn to_json(text: &str) -> Result<serde_json::Value, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// One text as a YAML scalar that reads back as exactly that text, on one
/// line, whatever it holds (`&a`, `*b`, `x: y`, `# z`, a newline followed by
/// `internal:`): the YAML crate's own quoting where it stays on one line,
/// else a double-quoted string with escapes. Every value `import` writes
/// goes through here, so a cell cannot add a key or a document.
pub(crate) fn quote_scalar(text: &str) -> String {
    let reads_back = |written: &str| {
        !written.contains(['\n', '\r'])
            && serde_yaml::from_str::<serde_yaml::Value>(written).ok()
                == Some(serde_yaml::Value::String(text.to_string()))
    };
    if let Ok(written) = serde_yaml::to_string(text) {
        let written = written.strip_suffix('\n').unwrap_or(&written);
        if reads_back(written) {
            return written.to_string();
        }
    }
    // JSON's string escapes are YAML's double-quoted escapes.
    let written = serde_json::to_string(text).expect("a string serialises");
    assert!(
        reads_back(&written),
        "double-quoted text reads back: {text:?}"
    );
    written
}

/// serde_yaml prints `path: message at line L column C`; return (path, message).
fn split_error(full: &str) -> (Option<&str>, &str) {
    let without_place = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full,
    };
    match without_place.split_once(": ") {
        Some((path, rest))
            if !path.contains(' ') && !path.is_empty() && !path.starts_with("invalid") =>
        {
            (Some(path), rest)
        }
        _ => (None, without_place),
    }
}

/// Turn a serde_yaml message into a German diagnostic with a hint.
fn explain(file: &Path, at: Position, path: Option<&str>, message: &str) -> Diagnostic {
    let place = path
        .map(|p| format!(" (in „{}“)", readable_path(p)))
        .unwrap_or_default();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let hint = suggestion_then(
            did_you_mean(field, allowed.iter().copied()),
            format!("Erlaubt sind hier: {}.", allowed.join(", ")),
        );
        return Diagnostic::error(
            Code::UnknownKey,
            file,
            at,
            format!("Unbekannter Schlüssel „{field}“{place}."),
        )
        .with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return Diagnostic::error(
            Code::MissingKey,
            file,
            at,
            format!("Die Angabe „{field}“ fehlt{place}."),
        )
        .with_hint(format!("Ergänzen Sie eine Zeile „{field}: …“."));
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let field = rest.trim_end_matches('`');
        return Diagnostic::error(
            Code::DuplicateKey,
            file,
            at,
            format!("Der Schlüssel „{field}“ steht doppelt{place}."),
        )
        .with_hint("Jeder Schlüssel darf nur einmal vorkommen: löschen Sie eine der Zeilen.");
    }
    if let Some(rest) = message.strip_prefix(TOO_LONG) {
        let (count, max) = rest.split_once('/').unwrap_or((rest, "?"));
        return Diagnostic::error(
            Code::TooLong,
            file,
            at,
            format!("Der Text ist zu lang: {count} Zeichen, erlaubt sind höchstens {max}{place}."),
        )
        .with_hint("Kürzen Sie den Text. Titel und Namen haben höchstens 300 Zeichen, Beschreibungen und Zusammenfassungen höchstens 1.000.");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return explain_type(file, at, &place, rest);
    }
    if message.starts_with("duplicate entry") {
        return Diagnostic::error(
            Code::DuplicateKey,
            file,
            at,
            format!("Ein Schlüssel steht doppelt{place}."),
        )
        .with_hint(
            "Jeder Schlüssel darf nur einmal vorkommen: löschen oder benennen Sie einen um.",
        );
    }
    syntax_error(file, at, message)
}

fn syntax_error(file: &Path, at: Position, message: &str) -> Diagnostic {
    const INDENT: &str = "Prüfen Sie die Einrückung: Schlüssel auf derselben Ebene stehen genau untereinander, nur mit Leerzeichen eingerückt.";
    let (german, hint) = if message.contains("cannot start any token")
        || message.contains("tab character")
    {
        ("Hier steht ein Zeichen, mit dem kein Wert beginnen darf", "Rücken Sie mit Leerzeichen ein, nicht mit Tabulatoren; Werte, die mit @, `, % oder * beginnen, setzen Sie in Anführungszeichen.")
    } else if message.contains("mapping values are not allowed") {
        ("Hier steht ein Doppelpunkt, wo keiner stehen darf", "Meist ist die Zeile falsch eingerückt. Enthält ein Wert selbst einen Doppelpunkt, setzen Sie ihn in Anführungszeichen, z. B. title: \"Schritt 1: Vorbereitung\".")
    } else if message.contains("did not find expected key")
        || message.contains("block sequence entries are not allowed")
    {
        (
            "Die Zeile passt nicht zur Einrückung der Zeilen davor",
            INDENT,
        )
    } else if message.contains("did not find expected ',' or ']'") {
        (
            "In der Liste in eckigen Klammern fehlt ein Komma oder die schließende Klammer „]“",
            "Schreiben Sie Listen so: [\"a\", \"b\"].",
        )
    } else if message.contains("did not find expected ',' or '}'") {
        (
            "In den geschweiften Klammern fehlt ein Komma oder die schließende Klammer „}“",
            "Schreiben Sie so: {status: live, since: 2026-05-04}.",
        )
    } else if message.contains("could not find expected ':'") {
        (
            "Hinter einem Schlüssel fehlt der Doppelpunkt",
            "Schreiben Sie „schlüssel: wert“.",
        )
    } else if message.contains("end of stream")
        || message.contains("unexpected end")
        || message.contains("found unexpected")
    {
        (
            "Ein Anführungszeichen oder eine Klammer wird nicht geschlossen",
            "Prüfen Sie, ob jedes \" und jede [ oder { wieder geschlossen wird.",
        )
    } else if message.contains("more than one document") {
        (
            "Die Datei enthält mehrere Dokumente (eine Zeile „---“ zu viel)",
            "Löschen Sie die zusätzliche Trennlinie „---“.",
        )
    } else {
        ("Die Datei ist kein gültiges YAML", INDENT)
    };
    Diagnostic::error(
        Code::YamlSyntax,
        file,
        at,
        format!("YAML-Syntaxfehler: {german} ({message})."),
    )
    .with_hint(hint)
}

fn explain_type(file: &Path, at: Position, place: &str, rest: &str) -> Diagnostic {
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let message = format!(
        "Hier wird {} erwartet, gefunden wurde {}{place}.",
        german_expected(expected),
        german_found(found)
    );
    let literal = found.split('`').nth(1);
    let hint = match (expected.contains("string"), literal) {
        (true, Some(lit)) => format!("Setzen Sie den Wert in Anführungszeichen: \"{lit}\"."),
        _ if found == "unit value" => "Tragen Sie hinter dem Doppelpunkt einen Wert ein („~“ und „null“ bedeuten in YAML „kein Wert“).".into(),
        _ if expected.contains("sequence") => {
            "Schreiben Sie eine Liste, z. B. [\"a\", \"b\"] oder untereinander mit „- “.".into()
        }
        _ => "Vergleichen Sie die Schreibweise mit dem Beispiel im README.".into(),
    };
    Diagnostic::error(Code::WrongType, file, at, message).with_hint(hint)
}

fn german_expected(expected: &str) -> String {
    match expected {
        e if e.contains("string") => "ein Text".into(),
        e if e.contains("sequence") => "eine Liste".into(),
        e if e.contains("bool") => "true oder false".into(),
        e if e.starts_with('i') || e.starts_with('u') || e.contains("integer") => {
            "eine ganze Zahl".into()
        }
        e if e.contains("map") || e.starts_with("struct") => {
            "eine Zuordnung (Zeilen „schlüssel: wert“)".into()
        }
        other => other.to_string(),
    }
}

fn german_found(found: &str) -> String {
    let literal = found.split('`').nth(1).unwrap_or("");
    match found {
        f if f.starts_with("integer") || f.starts_with("floating point") => {
            format!("die Zahl {literal}")
        }
        f if f.starts_with("boolean") => format!("der Wahrheitswert {literal}"),
        f if f.starts_with("string") => format!("der Text {}", found.trim_start_matches("string ")),
        "sequence" => "eine Liste".into(),
        "map" => "eine Zuordnung".into(),
        "unit value" => "kein Wert".into(),
        other => other.to_string(),
    }
}

/// serde_yaml's `a.b[1]` as editors count: `a.b, Eintrag 2`; deeper
/// `a[0].b[1]` as `a, Eintrag 1, b, Eintrag 2`.
fn readable_path(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.split_inclusive(']') {
        let (before, index) = match part.split_once('[') {
            Some((before, index)) => (before, Some(index)),
            None => (part, None),
        };
        let before = before.trim_matches('.');
        if !before.is_empty() {
            parts.push(before.to_string());
        }
        if let Some(index) = index {
            let n: usize = index.trim_end_matches(']').parse().unwrap_or(0);
            parts.push(format!("Eintrag {}", n + 1));
        }
    }
    parts.join(", ")
}

/// The names between backticks in "expected one of `a`, `b`".
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// A non-blank, non-comment line: its 1-based number, indentation and text after it.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

/// The lines of a text as the YAML parser counts them: ended by `\n`,
/// `\r\n` or a lone `\r` (old Mac files).
fn yaml_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\n', '\r']) {
            Some(end) => {
                let skip = if current[end..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                let next = &current[end + skip..];
                rest = (!next.is_empty()).then_some(next);
                Some(&current[..end])
            }
            None => {
                rest = None;
                (!current.is_empty()).then_some(current)
            }
        }
    })
}

fn content_lines(text: &str) -> Vec<Line<'_>> {
    yaml_lines(text)
        .enumerate()
        .filter_map(|(i, raw)| {
            let trimmed = raw.trim_start_matches(' ');
            let blank = trimmed.trim().is_empty() || trimmed.starts_with('#');
            (!blank && trimmed != "---").then(|| Line {
                number: i + 1,
                indent: raw.len() - trimmed.len(),
                text: trimmed.trim_end(),
            })
        })
        .collect()
}

/// The key a line starts with (`key:` or `"key":`), and the column offset of its value.
fn line_key(text: &str) -> Option<(&str, usize)> {
    let colon = text.find(':')?;
    let key = text[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
    let after = &text[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ')) || key.contains(' ') && !text.starts_with('"')
    {
        return None;
    }
    let value_offset = colon + 1 + (after.len() - after.trim_start().len());
    Some((key, value_offset))
}

/// Position of the value (or key) at `path` in a YAML text; 1-based.
pub fn locate(text: &str, path: &[Seg]) -> Position {
    Outline::new(text).locate(path)
}

/// The content lines of a YAML text, where each line's block of more
/// indented lines ends, and the keys and list items of every block searched
/// so far. Built once per text, so that locating one path per problem costs
/// about the length of the path, not of the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outline<'a> {
    lines: Vec<Line<'a>>,
    /// For each line, the index of the first later line indented no deeper.
    ends: Vec<usize>,
    blocks: RefCell<HashMap<Block, Members<'a>>>,
    /// The positions of the items of a flow list (`["x", "y"]`) on a line,
    /// by the line's number and indentation, for each line searched so far.
    flow_items: RefCell<HashMap<(usize, usize), Vec<Position>>>,
}

/// A run of lines that belong together: `lines[start..end]`, after the text
/// behind a list item's `- ` on line `head.0` at indentation `head.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Block {
    head: Option<(usize, usize)>,
    start: usize,
    end: usize,
}

/// One line of a block at the block's own indentation, with the block below it.
#[derive(Debug, Clone, Copy)]
struct Member<'a> {
    line: Line<'a>,
    index: usize,
    children: Block,
}

/// The lines of a block at its own indentation: the first of each key, and every list item.
#[derive(Debug, Clone, Default)]
struct Members<'a> {
    empty: bool,
    keys: HashMap<&'a str, Member<'a>>,
    items: Vec<Member<'a>>,
}

impl<'a> Outline<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let lines = content_lines(text);
        let mut ends = vec![lines.len(); lines.len()];
        let mut open: Vec<usize> = Vec::new();
        for (i, line) in lines.iter().enumerate().rev() {
            while open.last().is_some_and(|&j| lines[j].indent > line.indent) {
                open.pop();
            }
            ends[i] = open.last().copied().unwrap_or(lines.len());
            open.push(i);
        }
        Outline {
            lines,
            ends,
            blocks: RefCell::default(),
            flow_items: RefCell::default(),
        }
    }

    /// Position of the value (or key) at `path`; the nearest found ancestor
    /// when the path cannot be followed to its end.
    pub(crate) fn locate(&self, path: &[Seg]) -> Position {
        let mut block = Block {
            head: None,
            start: 0,
            end: self.lines.len(),
        };
        let mut found = self
            .lines
            .first()
            .map(|l| Position::new(l.number, l.indent + 1))
            .unwrap_or(Position::START);
        let mut current: Option<Line> = None;
        for seg in path {
            match self.step(block, *seg) {
                Some((line, position, children)) => {
                    found = position;
                    current = Some(line);
                    block = children;
                }
                None => {
                    return current
                        .and_then(|l| self.inline_position(l, *seg))
                        .unwrap_or(found)
                }
            }
        }
        found
    }

    /// Like [`inline_position`], with each line's flow-list items found
    /// once: a list of n aliases on one line costs n, not n².
    fn inline_position(&self, line: Line, seg: Seg) -> Option<Position> {
        let Seg::Index(n) = seg else {
            return inline_position(line, seg);
        };
        let mut cache = self.flow_items.borrow_mut();
        let items = cache
            .entry((line.number, line.indent))
            .or_insert_with(|| flow_item_positions(line));
        items.get(n).copied()
    }

    /// Where `key` stands, each time, in the block mapping at `path`; 1-based.
    fn occurrences(&self, path: &[Seg], key: &str) -> Vec<Position> {
        let mut block = Block {
            head: None,
            start: 0,
            end: self.lines.len(),
        };
        for seg in path {
            match self.step(block, *seg) {
                Some((_, _, children)) => block = children,
                None => return Vec::new(),
            }
        }
        let body = self.lines[block.start..block.end].iter().copied();
        let lines: Vec<Line> = self.head(block).into_iter().chain(body).collect();
        let Some(indent) = lines.iter().map(|l| l.indent).min() else {
            return Vec::new();
        };
        lines
            .iter()
            .filter(|l| l.indent == indent && line_key(l.text).is_some_and(|(k, _)| k == key))
            .map(|l| Position::new(l.number, l.indent + 1))
            .collect()
    }

    fn step(&self, block: Block, seg: Seg) -> Option<(Line<'a>, Position, Block)> {
        let mut blocks = self.blocks.borrow_mut();
        let members = blocks.entry(block).or_insert_with(|| self.members(block));
        if members.empty {
            return None;
        }
        match seg {
            Seg::Key(k) => members.keys.get(k).map(|m| key_step(*m)),
            Seg::Index(n) => members.items.get(n).map(|m| index_step(*m)),
        }
    }

    fn head(&self, block: Block) -> Option<Line<'a>> {
        let (index, indent) = block.head?;
        let line = self.lines[index];
        Some(Line {
            number: line.number,
            indent,
            text: line.text.get(indent - line.indent..).unwrap_or(""),
        })
    }

    /// Index a block: the lines at its smallest indentation and the block below each.
    fn members(&self, block: Block) -> Members<'a> {
        let head = self.head(block).map(|line| {
            let index = block.head.map_or(0, |(i, _)| i);
            let rest = &self.lines[block.start..block.end];
            let below = rest.iter().take_while(|l| l.indent > line.indent).count();
            (line, index, block.start + below)
        });
        let body =
            (block.start..block.end).map(|i| (self.lines[i], i, self.ends[i].min(block.end)));
        let all = head.into_iter().chain(body);
        let Some(indent) = all.clone().map(|(l, _, _)| l.indent).min() else {
            return Members {
                empty: true,
                ..Members::default()
            };
        };
        let mut members = Members::default();
        for (line, index, end) in all.filter(|(l, _, _)| l.indent == indent) {
            let start = if block.head == Some((index, line.indent)) {
                block.start
            } else {
                index + 1
            };
            let member = Member {
                line,
                index,
                children: Block {
                    head: None,
                    start,
                    end,
                },
            };
            if let Some((key, _)) = line_key(line.text) {
                members.keys.entry(key).or_insert(member);
            }
            if line.text.starts_with("- ") || line.text == "-" {
                members.items.push(member);
            }
        }
        members
    }
}

type Step<'a> = (Line<'a>, Position, Block);

/// Into the value of a key: its line, where the value starts (or the key, for a block below), and the block below.
fn key_step(member: Member) -> Step {
    let line = member.line;
    let value_offset = line_key(line.text).map_or(0, |(_, offset)| offset);
    let value_offset = value_offset.min(line.text.len());
    let column = if value_offset < line.text.len() {
        line.indent + line.text[..value_offset].chars().count() + 1
    } else {
        line.indent + 1
    };
    let value_line = Line {
        number: line.number,
        indent: line.indent + line.text[..value_offset].chars().count(),
        text: &line.text[value_offset..],
    };
    (
        value_line,
        Position::new(line.number, column),
        member.children,
    )
}

/// Into a list item: the text after its `- `, and that text with the lines below it as a block.
fn index_step(member: Member) -> Step {
    let line = member.line;
    let item = Line {
        number: line.number,
        indent: line.indent + 2,
        text: line.text.get(2..).unwrap_or(""),
    };
    let block = Block {
        head: (!item.text.is_empty()).then_some((member.index, item.indent)),
        ..member.children
    };
    // The item's text; a bare `-` (its value on the lines below) at the dash.
    let column = line.indent + if item.text.is_empty() { 1 } else { 3 };
    (item, Position::new(line.number, column), block)
}

/// A key or index inside a flow collection on one line: `{a: 1, b: 2}` or `["x", "y"]`.
fn inline_position(line: Line, seg: Seg) -> Option<Position> {
    let offset = match seg {
        Seg::Key(k) => find_flow_key(line.text, k)?,
        Seg::Index(n) => find_flow_item(line.text, n)?,
    };
    Some(Position::new(
        line.number,
        line.indent + line.text[..offset].chars().count() + 1,
    ))
}

fn find_flow_key(text: &str, key: &str) -> Option<usize> {
    let pattern = format!("{key}:");
    text.match_indices(&pattern)
        .find(|(i, _)| *i == 0 || matches!(text.as_bytes()[i - 1], b'{' | b',' | b' '))
        .map(|(i, _)| {
            let after = i + pattern.len();
            after + (text[after..].len() - text[after..].trim_start().len())
        })
}

fn find_flow_item(text: &str, n: usize) -> Option<usize> {
    flow_item_offsets(text).get(n).copied()
}

/// Where each item of the flow list on a line starts (byte offsets).
fn flow_item_offsets(text: &str) -> Vec<usize> {
    let Some(open) = text.find('[') else {
        return Vec::new();
    };
    let mut starts = vec![open + 1];
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i <= open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => starts.push(i + 1),
            (None, ']') => break,
            _ => {}
        }
    }
    starts
        .into_iter()
        .map(|start| start + (text[start..].len() - text[start..].trim_start().len()))
        .collect()
}

/// The file positions of a line's flow-list items, columns counted in one pass.
fn flow_item_positions(line: Line) -> Vec<Position> {
    let (mut chars, mut counted) = (0, 0);
    flow_item_offsets(line.text)
        .into_iter()
        .map(|offset| {
            chars += line.text[counted..offset].chars().count();
            counted = offset;
            Position::new(line.number, line.indent + chars + 1)
        })
        .collect()
}

/// One step of a path as serde_yaml prints it (`services.a.history[1]`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum OwnedSeg {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<OwnedSeg> {
    let mut out = Vec::new();
    for part in path.trim_start_matches('.').split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(OwnedSeg::Key(key.to_string()));
        }
        for index in pieces {
            let n = index.trim_end_matches(']').parse().unwrap_or(0);
            out.push(OwnedSeg::Index(n));
        }
    }
    out
}

/// The first YAML tag at the start of a node, with its position (1-based).
/// A lexical scan, so that tags the YAML crate drops are seen: values in
/// block mappings and lists, and in flow collections on one line; quoted
/// texts, comments, block scalars (`|`, `>`) and continued texts are skipped.
fn find_tag(text: &str) -> Option<(Position, &str)> {
    if !text.contains('!') {
        return None;
    }
    // Indentation of the line that opened a block scalar, while inside it.
    let mut block: Option<usize> = None;
    // Whether the next line may start a node (the line before ended in `key:` or `-`).
    let mut node_expected = true;
    for (i, raw) in yaml_lines(text).enumerate() {
        let trimmed = raw.trim_start_matches(' ');
        let indent = raw.len() - trimmed.len();
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(parent) = block {
            if indent > parent {
                continue;
            }
            block = None;
        }
        let (value, offset, has_prefix) = node_value(trimmed);
        if !has_prefix && !node_expected {
            continue;
        }
        if let Some(at) = tag_in_value(value) {
            let start = indent + offset + at;
            let tag = tag_at(&raw[start..]);
            return Some((Position::new(i + 1, raw[..start].chars().count() + 1), tag));
        }
        let value = value.trim_end();
        node_expected = value.is_empty();
        if value.starts_with(['|', '>']) {
            block = Some(indent);
        }
    }
    None
}

/// The value part of a line after `- ` and `key: ` prefixes: (value, its byte
/// offset in the line, whether a prefix was there).
fn node_value(line: &str) -> (&str, usize, bool) {
    let mut offset = 0;
    let mut prefixed = false;
    loop {
        let rest = &line[offset..];
        if rest == "-" || rest.starts_with("- ") || rest == "?" || rest.starts_with("? ") {
            let skip = 1 + (rest[1..].len() - rest[1..].trim_start().len());
            offset += skip;
            prefixed = true;
        } else if rest.starts_with(['"', '\'', '[', '{', '!']) {
            return (rest, offset, prefixed);
        } else if let Some((_, value_offset)) = line_key(rest) {
            offset += value_offset.min(rest.len());
            return (&line[offset..], offset, true);
        } else {
            return (rest, offset, prefixed);
        }
    }
}

/// Byte offset of a tag in a value: at its start, or after `[`, `{`, `,` or
/// `: ` inside a flow collection (outside quotes).
fn tag_in_value(value: &str) -> Option<usize> {
    if value.starts_with('!') {
        return Some(0);
    }
    if !value.starts_with(['[', '{']) {
        return None;
    }
    let mut quote: Option<char> = None;
    let mut node_start = true;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if node_start => quote = Some(c),
            (None, '!') if node_start => return Some(i),
            (None, '#') if value[..i].ends_with(' ') => return None,
            (None, '[' | '{' | ',') => node_start = true,
            (None, ':') => node_start = value[i + 1..].starts_with(' '),
            (None, ' ') => {}
            _ => node_start = false,
        }
    }
    None
}

/// The tag at the start of `text`: up to a space or a flow indicator.
fn tag_at(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .unwrap_or(text.len());
    &text[..end]
}

#[cfg(test)]
mod quote_tests {
    use super::quote_scalar;

    #[test]
    fn every_scalar_reads_back_as_itself_on_one_line() {
        for text in [
            "Gera",
            "a\ninternal: x",
            "&a",
            "*b",
            "x: y",
            "# z",
            "a # b",
            "16052000",
            "true",
            "~",
            "",
            " lead",
            "- x",
            "[a]",
            "{a: b}",
            "'q'",
            "\"d\"",
            "tab\there",
            "\u{2028}",
            "---",
            "!tag",
            "%YAML",
            "@x",
            "`y",
            "a\r\nb",
        ] {
            let written = quote_scalar(text);
            assert!(!written.contains('\n'), "{text:?} → {written}");
            let back: serde_yaml::Value = serde_yaml::from_str(&format!("k: {written}\n")).unwrap();
            assert_eq!(
                back["k"],
                serde_yaml::Value::String(text.to_string()),
                "{written}"
            );
        }
        assert_eq!(quote_scalar("Gera"), "Gera");
        assert_eq!(quote_scalar("16052000"), "'16052000'");
        assert_eq!(quote_scalar("a\ninternal: x"), "\"a\\ninternal: x\"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    const DOC: &str = "name: Gera\nstate: Thüringen\nservices:\n  beistandschaft:\n    status: live\n    since: 2026-05-04\n    history:\n      - {status: preparation, since: 2025-11-02}\n      - status: questionnaire\n        since: 2026-02-10\nleikas: [\"99072002077000\", \"123\"]\n";

    #[test]
    fn locates_nested_keys_and_values() {
        use Seg::*;
        assert_eq!(locate(DOC, &[Key("state")]), Position::new(2, 8));
        assert_eq!(
            locate(DOC, &[Key("services"), Key("beistandschaft"), Key("since")]),
            Position::new(6, 12)
        );
        assert_eq!(
            locate(DOC, &[Key("services"), Key("beistandschaft")]),
            Position::new(4, 3)
        );
    }

    #[test]
    fn locates_list_items_block_and_flow() {
        use Seg::*;
        let history = [Key("services"), Key("beistandschaft"), Key("history")];
        let mut p = history.to_vec();
        p.extend([Index(0), Key("since")]);
        assert_eq!(locate(DOC, &p), Position::new(8, 38));
        let mut p = history.to_vec();
        p.extend([Index(1), Key("since")]);
        assert_eq!(locate(DOC, &p), Position::new(10, 16));
        assert_eq!(
            locate(DOC, &[Key("leikas"), Index(1)]),
            Position::new(11, 28)
        );
    }

    #[test]
    fn unknown_path_falls_back_to_nearest_ancestor() {
        use Seg::*;
        assert_eq!(
            locate(DOC, &[Key("services"), Key("nope"), Key("since")]),
            Position::new(3, 1)
        );
    }

    #[test]
    fn an_error_at_the_end_of_the_text_points_at_its_last_line() {
        // Found by fuzz_yaml_errors_point_inside_the_file: serde_yaml puts the
        // end of the stream on a line after the last one.
        let d = parse_err("'\n");
        assert_eq!(d.position, Position::new(1, 2));
        let d = YamlSource::new(Path::new("f.md"), "name: \"a\n", 1)
            .parse::<Sample>()
            .unwrap_err();
        assert_eq!(d.position.line, 2);
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let lines: Vec<&str> = yaml_lines("a\rb\r\nc\n\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
        assert_eq!(yaml_lines("a\n").count(), 1);
        assert_eq!(yaml_lines("").count(), 0);
        assert_eq!(
            locate("a: 1\rb:\r  c: 2\r", &[Seg::Key("b"), Seg::Key("c")]),
            Position::new(3, 6)
        );
    }

    #[test]
    fn positions_count_characters_and_many_lookups_stay_linear() {
        use Seg::*;
        assert_eq!(locate("größe: 1\n", &[Key("größe")]), Position::new(1, 8));
        assert_eq!(locate("-\n  a: 1\n", &[Index(0)]), Position::new(1, 1));
        let text = "- key: \"1\"\n  name: x\n".repeat(100_000);
        let source = YamlSource::new(Path::new("x"), &text, 0);
        for i in (0..100_000).step_by(7) {
            let p = source.position(&[Index(i), Key("name")]);
            assert_eq!(p, Position::new(2 * i + 2, 9));
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        ags: Option<String>,
        tags: Option<Vec<String>>,
    }

    fn parse_err(text: &str) -> Diagnostic {
        YamlSource::new(Path::new("content/x.yaml"), text, 0)
            .parse::<Sample>()
            .unwrap_err()
    }

    #[test]
    fn paths_read_like_editors_count() {
        assert_eq!(readable_path(".[0]"), "Eintrag 1");
        assert_eq!(
            readable_path("services.a.history[1]"),
            "services.a.history, Eintrag 2"
        );
        assert_eq!(readable_path("services.a"), "services.a");
        assert_eq!(
            readable_path("sections[0].fields[2]"),
            "sections, Eintrag 1, fields, Eintrag 3"
        );
        assert_eq!(readable_path("a[1].b"), "a, Eintrag 2, b");
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let d = parse_err("name: a\nnmae: b\n");
        assert_eq!(
            d.headline(),
            "content/x.yaml:2:1: Fehler[unknown-key]: Unbekannter Schlüssel „nmae“."
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("Meinten Sie „name“? Erlaubt sind hier: name, ags, tags.")
        );
    }

    #[test]
    fn unquoted_numbers_are_read_as_written() {
        let s: Sample = YamlSource::new(Path::new("x"), "name: a\nags: 04011000\n", 0)
            .parse()
            .unwrap();
        assert_eq!(s.ags.as_deref(), Some("04011000"));
    }

    #[test]
    fn wrong_type_says_what_was_expected() {
        let d = parse_err("name: a\ntags: x\n");
        assert_eq!(d.position.line, 2);
        assert_eq!(
            d.message,
            "Hier wird eine Liste erwartet, gefunden wurde der Text \"x\" (in „tags“)."
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("Schreiben Sie eine Liste, z. B. [\"a\", \"b\"] oder untereinander mit „- “.")
        );
    }

    #[test]
    fn syntax_errors_and_missing_keys_are_diagnostics() {
        let d = parse_err("name: a\n\tags: b\n");
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(d.position.line, 2);
        let d = parse_err("ags: \"1\"\n");
        assert_eq!(d.message, "Die Angabe „name“ fehlt.");
        let d = YamlSource::new(Path::new("f.md"), "tags: x\n", 1)
            .parse::<Sample>()
            .unwrap_err();
        assert_eq!(d.position.line, 2);
    }

    #[test]
    fn tags_are_found_where_nodes_start_only() {
        let tag = |t: &str| find_tag(t).map(|(p, tag)| (p.line, p.column, tag.to_string()));
        assert_eq!(tag("a: !!binary eA==\n"), Some((1, 4, "!!binary".into())));
        assert_eq!(tag("a:\n  - x\n  - !x {}\n"), Some((3, 5, "!x".into())));
        assert_eq!(tag("a: [b, !t c]\n"), Some((1, 8, "!t".into())));
        assert_eq!(tag("a:\n  !t\n"), Some((2, 3, "!t".into())));
        for fine in [
            "a: Achtung!\n",
            "a: \"!wichtig\"\n",
            "a: Hallo, !Welt\n",
            "a: x # !kommentar\n",
            "a: |\n  !kein Tag\nb: 1\n",
            "a: ein Text\n  !weiter\n",
            "a: ['!x', \"!y\"]\n",
        ] {
            assert_eq!(tag(fine), None, "{fine}");
        }
    }

    #[test]
    fn repeated_keys_name_both_lines() {
        let text = "name: a\nmap:\n  k: 1\n  j: 2\n  k: 3\n";
        let found = Outline::new(text).occurrences(&[Seg::Key("map")], "k");
        assert_eq!(found, [Position::new(3, 3), Position::new(5, 3)]);
        assert_eq!(
            parse_path("internal.a[2].b"),
            [
                OwnedSeg::Key("internal".into()),
                OwnedSeg::Key("a".into()),
                OwnedSeg::Index(2),
                OwnedSeg::Key("b".into())
            ]
        );
    }
}

/// Property tests (run with the other unit tests; `scripts/fuzz.sh` repeats them).
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// The locator as it was before the outline: one scan of the text per
    /// path (the reference the outline must agree with).
    fn reference(text: &str, path: &[Seg]) -> Position {
        let mut scope = content_lines(text);
        let mut found = scope
            .first()
            .map_or(Position::START, |l| Position::new(l.number, l.indent + 1));
        let mut current: Option<Line> = None;
        for seg in path {
            let step = scope
                .iter()
                .map(|l| l.indent)
                .min()
                .and_then(|indent| match seg {
                    Seg::Key(k) => reference_key(&scope, indent, k),
                    Seg::Index(n) => reference_index(&scope, indent, *n),
                });
            let Some((line, position, children)) = step else {
                return current
                    .and_then(|l| inline_position(l, *seg))
                    .unwrap_or(found);
            };
            (found, current, scope) = (position, Some(line), children);
        }
        found
    }

    type Scan<'a> = (Line<'a>, Position, Vec<Line<'a>>);

    fn below<'a>(scope: &[Line<'a>], index: usize, indent: usize) -> Vec<Line<'a>> {
        scope[index + 1..]
            .iter()
            .take_while(|l| l.indent > indent)
            .copied()
            .collect()
    }

    fn reference_key<'a>(scope: &[Line<'a>], indent: usize, key: &str) -> Option<Scan<'a>> {
        let index = scope
            .iter()
            .position(|l| l.indent == indent && line_key(l.text).is_some_and(|(k, _)| k == key))?;
        let line = scope[index];
        let (_, offset) = line_key(line.text)?;
        let offset = offset.min(line.text.len());
        let chars = line.text[..offset].chars().count();
        let column = if offset < line.text.len() {
            line.indent + chars + 1
        } else {
            line.indent + 1
        };
        let value = Line {
            number: line.number,
            indent: line.indent + chars,
            text: &line.text[offset..],
        };
        Some((
            value,
            Position::new(line.number, column),
            below(scope, index, indent),
        ))
    }

    fn reference_index<'a>(scope: &[Line<'a>], indent: usize, n: usize) -> Option<Scan<'a>> {
        let (index, line) = scope
            .iter()
            .enumerate()
            .filter(|(_, l)| l.indent == indent && (l.text.starts_with("- ") || l.text == "-"))
            .nth(n)?;
        let item = Line {
            number: line.number,
            indent: line.indent + 2,
            text: line.text.get(2..).unwrap_or(""),
        };
        let mut children = vec![item];
        children.extend(below(scope, index, indent));
        children.retain(|l| !l.text.is_empty());
        let column = line.indent + if item.text.is_empty() { 1 } else { 3 };
        Some((item, Position::new(line.number, column), children))
    }

    /// YAML-shaped texts: keys, list items, flow collections, comments, odd lines.
    fn yaml() -> impl Strategy<Value = String> {
        let body = prop_oneof![
            Just("a: 1"),
            Just("b:"),
            Just("name: Gera"),
            Just("ä: ü"),
            Just("\"a\": x"),
            Just("- x"),
            Just("-"),
            Just("- a: 1"),
            Just("- - b"),
            Just("- {a: 1, b: [x, y]}"),
            Just("a: {b: 1, name: x}"),
            Just("b: [\"x\", 'y, z', w]"),
            Just("[a, b]"),
            Just("# Kommentar"),
            Just(""),
            Just("---"),
            Just("a:b"),
            Just("a: |"),
            Just("\tb: 1"),
        ];
        let line = prop_oneof![
            (0usize..7, body).prop_map(|(i, b)| format!("{}{b}", " ".repeat(i))),
            "[ -~äü\t]{0,10}",
        ];
        let end = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")];
        proptest::collection::vec((line, end), 0..14)
            .prop_map(|parts| parts.into_iter().map(|(l, e)| l + e).collect())
    }

    fn path() -> impl Strategy<Value = Vec<Seg<'static>>> {
        let seg = prop_oneof![
            prop_oneof![Just("a"), Just("b"), Just("name"), Just("ä"), Just("x")]
                .prop_map(Seg::Key),
            (0usize..3).prop_map(Seg::Index),
        ];
        proptest::collection::vec(seg, 0..5)
    }

    /// A position inside `text` (line-wise as the YAML parser counts): line and column both exist.
    fn inside(text: &str, p: Position) -> Result<(), TestCaseError> {
        let lines: Vec<&str> = yaml_lines(text).collect();
        prop_assert!(p.line >= 1 && p.column >= 1, "{p:?}");
        prop_assert!(
            p.line <= lines.len().max(1),
            "{p:?} past the {} lines of {text:?}",
            lines.len()
        );
        let length = lines.get(p.line - 1).map_or(0, |l| l.chars().count());
        prop_assert!(
            p.column <= length + 1,
            "{p:?} past the end of line {:?}",
            lines.get(p.line - 1)
        );
        Ok(())
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Typed {
        a: Option<u32>,
        b: Option<Vec<String>>,
        name: Option<String>,
    }

    /// YAML-shaped or arbitrary texts, with every kind of line end.
    fn text_with_cr() -> impl Strategy<Value = String> {
        prop_oneof![yaml(), any::<String>()]
    }

    /// Texts without carriage returns, for comparing with the old locator,
    /// which split lines as `str::lines` does (a lone `\r` ended no line).
    fn text() -> impl Strategy<Value = String> {
        text_with_cr().prop_map(|t| t.replace('\r', ""))
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]

        #[test]
        fn fuzz_yaml_positions_are_inside_and_as_before(
            text in text(),
            paths in proptest::collection::vec(path(), 1..6),
        ) {
            let source = YamlSource::new(Path::new("content/x.yaml"), &text, 0);
            for path in &paths {
                let p = source.position(path);
                prop_assert_eq!(p, reference(&text, path), "path {:?}", path);
                inside(&text, p)?;
            }
        }

        #[test]
        fn fuzz_yaml_errors_point_inside_the_file(text in text_with_cr()) {
            for lines_before in [0, 1] {
                let file = format!("{}{text}", "---\n".repeat(lines_before));
                let source = YamlSource::new(Path::new("content/x.md"), &text, lines_before);
                if let Err(d) = source.parse::<Typed>() {
                    inside(&file, d.position)?;
                }
                if let Err(d) = source.parse::<BTreeMap<String, Vec<String>>>() {
                    inside(&file, d.position)?;
                }
                if let Err(d) = source.parse_list::<String>() {
                    inside(&file, d.position)?;
                }
            }
        }
    }
}
