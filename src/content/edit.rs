//! Changing a municipality file in place, as text: the values of a few
//! keys, one service's status, one block under `internal:`. Everything else
//! — the editor's comments, key order, quoting, blank lines — stays as it
//! was, byte for byte. Every value goes through
//! [`quote_scalar`](super::yaml::quote_scalar); [`verify`] reads the result
//! back and compares it with what was meant, so a value can never become
//! a key of its own.

use super::yaml::{quote_scalar, to_json};

/// A value to write under `internal:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Scalar(String),
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
}

impl Node {
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Node::Scalar(s) => serde_json::Value::String(s.clone()),
            Node::Map(entries) => serde_json::Value::Object(
                (entries.iter())
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Node::List(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
        }
    }
}

/// `key: value` (and below) as block YAML at `indent`.
fn render_entry(key: &str, node: &Node, indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    match node {
        Node::Scalar(s) => out.push(format!("{pad}{key}: {}", quote_scalar(s))),
        Node::Map(entries) if entries.is_empty() => out.push(format!("{pad}{key}: {{}}")),
        Node::List(items) if items.is_empty() => out.push(format!("{pad}{key}: []")),
        Node::Map(entries) => {
            out.push(format!("{pad}{key}:"));
            for (k, v) in entries {
                render_entry(k, v, indent + 2, out);
            }
        }
        Node::List(items) => {
            out.push(format!("{pad}{key}:"));
            for item in items {
                render_item(item, indent + 2, out);
            }
        }
    }
}

fn render_item(node: &Node, indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    match node {
        Node::Map(entries) if !entries.is_empty() => {
            let start = out.len();
            for (k, v) in entries {
                render_entry(k, v, indent + 2, out);
            }
            out[start].replace_range(..indent + 2, &format!("{pad}- "));
        }
        Node::Scalar(s) => out.push(format!("{pad}- {}", quote_scalar(s))),
        other => {
            let start = out.len();
            render_entry("x", other, indent + 2, out);
            out[start] = format!(
                "{pad}- {}",
                out[start].trim_start().trim_start_matches("x: ")
            );
        }
    }
}

/// The change of one service's status.
#[derive(Debug, Clone)]
pub(crate) struct UsageEdit {
    pub status: String,
    pub since: String,
    /// The status before, appended to `history`.
    pub previous: Option<(String, String)>,
    /// The history as it was (to rewrite one that is not a block list).
    pub history: Vec<(String, String)>,
}

/// What `import` changes in a municipality file.
#[derive(Debug, Clone)]
pub(crate) struct Update {
    /// Top-level keys and values, in the order they belong in (`name`, `state`, …).
    pub top: Vec<(&'static str, String)>,
    pub service: String,
    /// `None`: leave the service's entry as it is.
    pub usage: Option<UsageEdit>,
    /// The key under `internal:` that the import owns, replaced whole.
    pub internal_key: String,
    pub internal: Node,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_skip(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A plain key at `indent` → the rest of the line after its colon.
fn key_rest<'a>(line: &'a str, indent: usize, key: &str) -> Option<&'a str> {
    if indent_of(line) != indent {
        return None;
    }
    let rest = line[indent..].strip_prefix(key)?.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(rest)
}

/// The value part of the rest of a line and what follows it (a comment).
fn split_value(rest: &str) -> (&str, &str) {
    let start = rest.len() - rest.trim_start().len();
    let body = &rest[start..];
    let end = if let Some(quoted) = body.strip_prefix('"') {
        let mut escaped = false;
        let mut end = body.len();
        for (i, c) in quoted.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = i + 2;
                    break;
                }
                _ => escaped = false,
            }
        }
        end
    } else if body.starts_with('\'') {
        let bytes = body.as_bytes();
        let mut i = 1;
        while i < bytes.len() {
            if bytes[i] == b'\'' {
                if bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        (i + 1).min(body.len())
    } else {
        body.find(" #")
            .or_else(|| body.find("\t#"))
            .unwrap_or(body.len())
    };
    let value = body[..end].trim_end();
    (value, &rest[start + value.len()..])
}

/// The lines of a key's block: from `at` to its last line that is not
/// blank or a comment (exclusive end).
fn block_end(lines: &[String], at: usize) -> usize {
    let indent = indent_of(&lines[at]);
    let (value, _) = split_value(lines[at][indent..].split_once(':').map_or("", |(_, r)| r));
    let mut last = at;
    for (i, line) in lines.iter().enumerate().skip(at + 1) {
        if is_skip(line) {
            continue;
        }
        let n = indent_of(line);
        let same_level_item = n == indent && value.is_empty() && line[n..].starts_with("- ");
        if n <= indent && !same_level_item {
            break;
        }
        last = i;
    }
    last + 1
}

fn find(lines: &[String], from: usize, to: usize, indent: usize, key: &str) -> Option<usize> {
    (from..to).find(|&i| key_rest(&lines[i], indent, key).is_some())
}

/// The indentation of a block's first child line.
fn child_indent(lines: &[String], at: usize, end: usize, default: usize) -> usize {
    (at + 1..end)
        .find(|&i| !is_skip(&lines[i]))
        .map_or(default, |i| indent_of(&lines[i]))
}

/// Set a key's scalar value, unless it already reads as `value`; the
/// comment after it stays.
fn set_scalar(lines: &mut Vec<String>, at: usize, key: &str, value: &str) {
    let end = block_end(lines, at);
    let indent = indent_of(&lines[at]);
    let block: Vec<&str> = lines[at..end]
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect();
    let current = to_json(&block.join("\n")).ok();
    let current = current.as_ref().and_then(|v| v.get(key)).map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    if current.as_deref() == Some(value) {
        return;
    }
    let rest = key_rest(&lines[at], indent, key).unwrap_or("");
    let (_, tail) = split_value(rest);
    let tail = if tail.trim().is_empty() { "" } else { tail };
    lines[at] = format!("{}{key}: {}{tail}", " ".repeat(indent), quote_scalar(value));
    lines.drain(at + 1..end);
}

/// Lines where a new top-level key may go: after the leading comments.
fn first_key_line(lines: &[String]) -> usize {
    lines
        .iter()
        .position(|l| !is_skip(l))
        .unwrap_or(lines.len())
}

/// A top-level key's block (`services:`, `internal:`), created empty before
/// `before` (or at the end) when missing; an inline `{}` opens it up.
fn open_block(lines: &mut Vec<String>, key: &str, before: Option<&str>) -> Result<usize, String> {
    if let Some(at) = find(lines, 0, lines.len(), 0, key) {
        let rest = key_rest(&lines[at], 0, key).unwrap_or("");
        let (value, tail) = split_value(rest);
        return match value {
            "" => Ok(at),
            "{}" => {
                lines[at] = format!("{key}:{tail}");
                Ok(at)
            }
            _ => Err(format!("„{key}:“ ist nicht in Blockform geschrieben (eine Angabe je Zeile); so lässt sich die Datei nicht gezielt ändern.")),
        };
    }
    let at = before
        .and_then(|b| find(lines, 0, lines.len(), 0, b))
        .unwrap_or(lines.len());
    lines.insert(at, format!("{key}:"));
    Ok(at)
}

/// Change `text` (a municipality file, possibly empty) as `update` says.
pub(crate) fn apply(text: &str, update: &Update) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    top_keys(&mut lines, &update.top);
    service(&mut lines, update)?;
    internal(&mut lines, update)?;
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

fn top_keys(lines: &mut Vec<String>, top: &[(&'static str, String)]) {
    let mut after = None;
    for (key, value) in top {
        if let Some(at) = find(lines, 0, lines.len(), 0, key) {
            set_scalar(lines, at, key, value);
            after = Some(block_end(lines, at));
        } else {
            let at = after.unwrap_or_else(|| first_key_line(lines));
            lines.insert(at, format!("{key}: {}", quote_scalar(value)));
            after = Some(at + 1);
        }
    }
}

fn service(lines: &mut Vec<String>, update: &Update) -> Result<(), String> {
    let Some(usage) = &update.usage else {
        return Ok(());
    };
    let services = open_block(lines, "services", Some("internal"))?;
    let end = block_end(lines, services);
    let indent = child_indent(lines, services, end, 2);
    let Some(at) = find(lines, services + 1, end, indent, &update.service) else {
        let pad = " ".repeat(indent + 2);
        let entry = [
            format!("{}{}:", " ".repeat(indent), update.service),
            format!("{pad}status: {}", usage.status),
            format!("{pad}since: {}", usage.since),
        ];
        lines.splice(end..end, entry);
        return Ok(());
    };
    let entry_end = block_end(lines, at);
    let inner = child_indent(lines, at, entry_end, indent + 2);
    let status = find(lines, at + 1, entry_end, inner, "status")
        .ok_or_else(|| format!("Beim Dienst „{}“ fehlt „status:“.", update.service))?;
    set_scalar(lines, status, "status", &usage.status);
    let entry_end = block_end(lines, at);
    match find(lines, at + 1, entry_end, inner, "since") {
        Some(since) => set_scalar(lines, since, "since", &usage.since),
        None => lines.insert(
            status + 1,
            format!("{}since: {}", " ".repeat(inner), usage.since),
        ),
    }
    if let Some(previous) = &usage.previous {
        history(lines, at, inner, usage, previous);
    }
    Ok(())
}

fn history(
    lines: &mut Vec<String>,
    at: usize,
    inner: usize,
    usage: &UsageEdit,
    previous: &(String, String),
) {
    let item = |pad: usize, (status, since): &(String, String)| {
        format!("{}- {{status: {status}, since: {since}}}", " ".repeat(pad))
    };
    let entry_end = block_end(lines, at);
    let Some(h) = find(lines, at + 1, entry_end, inner, "history") else {
        lines.splice(
            entry_end..entry_end,
            [
                format!("{}history:", " ".repeat(inner)),
                item(inner + 2, previous),
            ],
        );
        return;
    };
    let h_end = block_end(lines, h);
    let (value, _) = split_value(key_rest(&lines[h], inner, "history").unwrap_or(""));
    if value.is_empty() && h_end > h + 1 {
        let pad = indent_of(
            &lines[h + 1..h_end]
                .iter()
                .find(|l| !is_skip(l))
                .cloned()
                .unwrap_or_default(),
        );
        lines.insert(h_end, item(pad, previous));
    } else {
        let mut block = vec![format!("{}history:", " ".repeat(inner))];
        block.extend(
            usage
                .history
                .iter()
                .chain([previous])
                .map(|c| item(inner + 2, c)),
        );
        lines.splice(h..h_end, block);
    }
}

fn internal(lines: &mut Vec<String>, update: &Update) -> Result<(), String> {
    let at = open_block(lines, "internal", None)?;
    let end = block_end(lines, at);
    let indent = child_indent(lines, at, end, 2);
    let mut block = Vec::new();
    render_entry(&update.internal_key, &update.internal, indent, &mut block);
    match find(lines, at + 1, end, indent, &update.internal_key) {
        Some(own) => {
            let own_end = block_end(lines, own);
            lines.splice(own..own_end, block);
        }
        None => {
            lines.splice(end..end, block);
        }
    }
    Ok(())
}

/// Read the written text back: the top-level values, the service's status
/// and the `internal` block are exactly what `update` meant.
pub(crate) fn verify(text: &str, update: &Update) -> Result<(), String> {
    let value = to_json(text)?;
    for (key, meant) in &update.top {
        let got = value.get(*key).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        if got.as_deref() != Some(meant.as_str()) {
            return Err(format!("„{key}“ liest sich nicht als „{meant}“ zurück"));
        }
    }
    let internal = value
        .get("internal")
        .and_then(|i| i.get(&update.internal_key));
    if internal != Some(&update.internal.to_json()) {
        return Err("der Block unter „internal:“ liest sich nicht wie geschrieben zurück".into());
    }
    if let Some(usage) = &update.usage {
        let entry = value.get("services").and_then(|s| s.get(&update.service));
        let status = entry.and_then(|e| e.get("status")).and_then(|s| s.as_str());
        if status != Some(usage.status.as_str()) {
            return Err(format!(
                "der Status des Dienstes „{}“ liest sich nicht zurück",
                update.service
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(usage: Option<UsageEdit>, internal: Node) -> Update {
        Update {
            top: vec![
                ("name", "Gera".into()),
                ("state", "Thüringen".into()),
                ("ags", "16052000".into()),
                ("oe_id", "L100012.OE.225060530".into()),
            ],
            service: "beistandschaft".into(),
            usage,
            internal_key: "fragebogen_beistandschaft".into(),
            internal,
        }
    }

    fn usage(previous: Option<(&str, &str)>) -> UsageEdit {
        UsageEdit {
            status: "questionnaire".into(),
            since: "2026-12-10".into(),
            previous: previous.map(|(a, b)| (a.into(), b.into())),
            history: vec![("preparation".into(), "2025-11-02".into())],
        }
    }

    const GERA: &str = "# Kopf\nname: Gera   # Name\nstate: Thüringen\nags: \"16052000\"\nexample: true\nservices:\n  beistandschaft:\n    status: information # Stand\n    since: 2026-05-04\n    history:\n      - {status: preparation, since: 2025-11-02}\n  hilfen-zur-erziehung:\n    status: preparation\n    since: 2026-10-01\n# vor internal\ninternal:\n  notes: Vermerk\n";

    #[test]
    fn an_existing_file_keeps_comments_order_and_quoting() {
        let node = Node::Map(vec![("amt".into(), Node::Scalar("Jugendamt".into()))]);
        let u = update(Some(usage(Some(("information", "2026-05-04")))), node);
        let out = apply(GERA, &u).unwrap();
        assert_eq!(
            out,
            "# Kopf\nname: Gera   # Name\nstate: Thüringen\nags: \"16052000\"\noe_id: L100012.OE.225060530\nexample: true\nservices:\n  beistandschaft:\n    status: questionnaire # Stand\n    since: 2026-12-10\n    history:\n      - {status: preparation, since: 2025-11-02}\n      - {status: information, since: 2026-05-04}\n  hilfen-zur-erziehung:\n    status: preparation\n    since: 2026-10-01\n# vor internal\ninternal:\n  notes: Vermerk\n  fragebogen_beistandschaft:\n    amt: Jugendamt\n"
        );
        verify(&out, &u).unwrap();
        // Again, with the service already at the questionnaire: nothing changes.
        let again = apply(&out, &update(None, u.internal.clone())).unwrap();
        assert_eq!(again, out);
    }

    #[test]
    fn a_new_file_is_written_whole() {
        let node = Node::Map(vec![(
            "personen".into(),
            Node::List(vec![Node::Map(vec![
                ("name".into(), Node::Scalar("A".into())),
                ("email".into(), Node::Scalar("a@b.de".into())),
            ])]),
        )]);
        let u = update(Some(usage(None)), node);
        let out = apply("", &u).unwrap();
        assert_eq!(
            out,
            "name: Gera\nstate: Thüringen\nags: '16052000'\noe_id: L100012.OE.225060530\nservices:\n  beistandschaft:\n    status: questionnaire\n    since: 2026-12-10\ninternal:\n  fragebogen_beistandschaft:\n    personen:\n      - name: A\n        email: a@b.de\n"
        );
        verify(&out, &u).unwrap();
    }

    #[test]
    fn hostile_values_stay_values() {
        let hostile = ["a\ninternal: x", "&a", "*b", "x: y", "# z", "a\n---\nb: c"];
        let node = Node::Map(
            (hostile.iter().enumerate())
                .map(|(i, v)| (format!("k{i}"), Node::Scalar(v.to_string())))
                .collect(),
        );
        let mut u = update(Some(usage(None)), node);
        u.top[0].1 = "Gera\ninternal: {kontakt: x}".into();
        let out = apply(GERA, &u).unwrap();
        verify(&out, &u).unwrap();
        assert!(
            out.contains("name: \"Gera\\ninternal: {kontakt: x}\"   # Name\n"),
            "{out}"
        );
        assert!(
            out.contains("    k1: '&a'\n    k2: '*b'\n    k3: 'x: y'\n    k4: '# z'\n"),
            "{out}"
        );
    }

    #[test]
    fn a_flow_history_is_rewritten_as_a_block() {
        let text = "name: Gera\nstate: Thüringen\nservices:\n  beistandschaft: \n    status: information\n    since: 2026-05-04\n    history: [{status: preparation, since: 2025-11-02}]\n";
        let u = update(
            Some(usage(Some(("information", "2026-05-04")))),
            Node::Map(vec![]),
        );
        let out = apply(text, &u).unwrap();
        assert!(out.contains("    history:\n      - {status: preparation, since: 2025-11-02}\n      - {status: information, since: 2026-05-04}\n"), "{out}");
        assert!(apply("name: x\ninternal: {a: b}\n", &u).is_err());
    }
}
