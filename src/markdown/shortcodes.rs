//! Finding shortcodes — `{{ name(arg="value", n=1) }}` — in Markdown outside
//! fenced code and inline code, parsing their arguments, and swapping each
//! for a placeholder that survives Markdown rendering on the same line.

use crate::diagnostics::Position;

/// An argument value of a shortcode call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArgValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// One shortcode call, with its place in the Markdown body (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub name: String,
    pub args: Vec<(String, ArgValue)>,
    pub position: Position,
}

/// A malformed shortcode: where, what, and how to write it instead.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxProblem {
    pub position: Position,
    pub message: String,
    pub hint: String,
}

/// The body with every call replaced by [`placeholder`]`(index)`.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub text: String,
    pub calls: Vec<Call>,
    pub problems: Vec<SyntaxProblem>,
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The stand-in text for call number `index`.
pub(crate) fn placeholder(index: usize) -> String {
    format!("{OPEN}{index}{CLOSE}")
}

/// The first placeholder in `text`: the text before it, its index, the text after it.
pub(crate) fn next_placeholder(text: &str) -> Option<(&str, usize, &str)> {
    let mut from = 0;
    loop {
        let open = from + text[from..].find(OPEN)?;
        let digits_start = open + OPEN.len_utf8();
        let digits = text[digits_start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |i| digits_start + i);
        let index = text[digits_start..digits].parse::<usize>().ok();
        match (index, text[digits..].strip_prefix(CLOSE)) {
            (Some(index), Some(after)) => return Some((&text[..open], index, after)),
            _ => from = digits_start,
        }
    }
}

pub(crate) fn extract(body: &str) -> Extracted {
    let mut out = Extracted::default();
    if memchr::memmem::find(body.as_bytes(), b"{{").is_none() {
        // No call anywhere: most pages. The text stays as it is.
        out.text = body.to_string();
        return out;
    }
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let marker = fence_marker(trimmed);
        match (fence, marker) {
            (None, Some(open)) => fence = Some(open),
            (Some((c, n)), Some((c2, n2)))
                if c == c2 && n2 >= n && trimmed.trim_end().chars().all(|x| x == c) =>
            {
                fence = None
            }
            (None, None) => {
                scan_line(line, i + 1, &mut out);
                continue;
            }
            _ => {}
        }
        out.text.push_str(line);
    }
    out
}

fn fence_marker(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Copy one line to the output, replacing shortcodes outside inline code.
/// Every search resumes where the last one ended, so a line is read about
/// once however many calls or code spans it holds.
fn scan_line(line: &str, number: usize, out: &mut Extracted) {
    let mut pos = 0;
    let mut column = (0, 1); // (byte offset, its 1-based column)
    let (mut tick, mut open, mut close) = (Next::new("`"), Next::new("{{"), Next::new("}}"));
    while pos < line.len() {
        match (tick.at(line, pos), open.at(line, pos)) {
            (Some(c), o) if o.is_none_or(|o| c < o) => {
                let run = line[c..].chars().take_while(|x| *x == '`').count();
                let ticks = "`".repeat(run);
                let end = line[c + run..]
                    .find(&ticks)
                    .map(|e| c + run + e + run)
                    .unwrap_or(c + run);
                out.text.push_str(&line[pos..end]);
                pos = end;
            }
            (_, Some(o)) => {
                out.text.push_str(&line[pos..o]);
                column = (o, column.1 + line[column.0..o].chars().count());
                let end = close.at(line, o).map(|e| e - o);
                pos = o + take_call(&line[o..], end, Position::new(number, column.1), out);
            }
            (_, None) => {
                out.text.push_str(&line[pos..]);
                pos = line.len();
            }
        }
    }
}

/// The next place of a pattern at or after a position, remembered between calls.
struct Next {
    pattern: &'static str,
    found: Option<Option<usize>>,
}

impl Next {
    fn new(pattern: &'static str) -> Self {
        Next {
            pattern,
            found: None,
        }
    }

    fn at(&mut self, line: &str, pos: usize) -> Option<usize> {
        match self.found {
            Some(None) => return None,
            Some(Some(p)) if p >= pos => return Some(p),
            _ => {}
        }
        let p =
            memchr::memmem::find(&line.as_bytes()[pos..], self.pattern.as_bytes()).map(|i| pos + i);
        self.found = Some(p);
        p
    }
}

/// Parse the call at the start of `text` (which begins with `{{`; its `}}` at
/// `end`, if any); return how many bytes it took.
fn take_call(text: &str, end: Option<usize>, position: Position, out: &mut Extracted) -> usize {
    let Some(end) = end else {
        out.problems.push(SyntaxProblem {
            position,
            message: "Ein Shortcode wird mit „{{“ geöffnet, aber auf derselben Zeile nicht mit „}}“ geschlossen.".into(),
            hint: "Schreiben Sie Shortcodes in eine Zeile, z. B. {{ questionnaire() }}; für wörtliche Klammern setzen Sie den Text in `Backticks`.".into(),
        });
        out.text.push_str("{{");
        return 2;
    };
    let inner = text[2..end].trim();
    match parse_call(inner) {
        Ok((name, args)) => {
            out.text.push_str(&placeholder(out.calls.len()));
            out.calls.push(Call {
                name,
                args,
                position,
            });
        }
        Err(message) => out.problems.push(SyntaxProblem {
            position,
            message: format!("Der Shortcode „{{{{ {inner} }}}}“ ist nicht lesbar: {message}"),
            hint: "Schreibweise: {{ name() }} oder {{ name(schluessel=\"Wert\", zahl=1) }}.".into(),
        }),
    }
    end + 2
}

fn parse_call(inner: &str) -> Result<(String, Vec<(String, ArgValue)>), String> {
    let open = inner.find('(').ok_or("die runden Klammern fehlen.")?;
    let name = inner[..open].trim();
    if !is_ident(name) {
        return Err(format!("„{name}“ ist kein Shortcode-Name."));
    }
    let args_text = inner[open + 1..]
        .strip_suffix(')')
        .ok_or("die schließende Klammer „)“ fehlt.")?;
    Ok((name.to_string(), parse_args(args_text)?))
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

fn parse_args(mut text: &str) -> Result<Vec<(String, ArgValue)>, String> {
    let mut args = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(args);
        }
        let eq = text
            .find('=')
            .ok_or("ein Argument braucht die Form name=\"Wert\".")?;
        let key = text[..eq].trim();
        if !is_ident(key) {
            return Err(format!("„{key}“ ist kein Argumentname."));
        }
        let (value, rest) = parse_value(text[eq + 1..].trim_start())?;
        args.push((key.to_string(), value));
        text = rest.trim_start();
        text = match text.strip_prefix(',') {
            Some(after) => after,
            None if text.is_empty() => text,
            None => return Err("Argumente werden mit Kommas getrennt.".into()),
        };
    }
}

fn parse_value(text: &str) -> Result<(ArgValue, &str), String> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, c)| c)),
                '"' => return Ok((ArgValue::Str(value), &quoted[i + 1..])),
                c => value.push(c),
            }
        }
        return Err("ein Text-Argument wird nicht mit \" geschlossen.".into());
    }
    let end = text.find(',').unwrap_or(text.len());
    let word = text[..end].trim();
    let value = match word {
        "true" => ArgValue::Bool(true),
        "false" => ArgValue::Bool(false),
        w => w
            .parse::<i64>()
            .map(ArgValue::Int)
            .or_else(|_| w.parse::<f64>().map(ArgValue::Float))
            .map_err(|_| format!("„{w}“ ist kein Wert: Texte stehen in Anführungszeichen."))?,
    };
    Ok((value, &text[end..]))
}

/// Every argument of `call` must be one its template reads (`accepted`);
/// otherwise the message and hint ("Meinten Sie …?") for the first that is not.
/// The generator reads these arguments itself, whatever the theme's template does.
const GENERATOR_ARGUMENTS: [(&str, &str); 1] = [("contact", "id")];

pub(crate) fn check_arguments(
    call: &Call,
    accepted: &[String],
) -> Result<(), (String, Option<String>)> {
    let mut accepted = accepted.to_vec();
    for (shortcode, argument) in GENERATOR_ARGUMENTS {
        if call.name == shortcode && !accepted.iter().any(|a| a == argument) {
            accepted.push(argument.to_string());
        }
    }
    let Some((name, _)) = call
        .args
        .iter()
        .find(|(name, _)| !accepted.iter().any(|a| a == name))
    else {
        return Ok(());
    };
    let message = format!(
        "Der Shortcode „{}“ kennt kein Argument „{name}“.",
        call.name
    );
    if accepted.is_empty() {
        let hint = format!(
            "„{0}“ nimmt keine Argumente: schreiben Sie {{{{ {0}() }}}}.",
            call.name
        );
        return Err((message, Some(hint)));
    }
    let list = accepted.join(", ");
    let hint = crate::diagnostics::suggestion_then(
        crate::diagnostics::did_you_mean(name, accepted.iter().map(String::as_str)),
        format!("Möglich sind: {list}."),
    );
    Err((message, Some(hint)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_and_replaces_them() {
        let e = extract("Text {{ contact(id=\"bk\", n=2) }} mehr\n\n{{ leikas() }}\n");
        assert_eq!(
            e.text,
            format!("Text {} mehr\n\n{}\n", placeholder(0), placeholder(1))
        );
        assert_eq!(e.calls[0].name, "contact");
        assert_eq!(
            e.calls[0].args,
            vec![
                ("id".into(), ArgValue::Str("bk".into())),
                ("n".into(), ArgValue::Int(2))
            ]
        );
        assert_eq!(e.calls[0].position, Position::new(1, 6));
        assert_eq!(e.calls[1].position, Position::new(3, 1));
    }

    #[test]
    fn never_inside_code() {
        let body = "```\n{{ leikas() }}\n```\nSo: `{{ leikas() }}` und ``{{ x() }}``\n~~~~\n{{ y() }}\n~~~~\n";
        let e = extract(body);
        assert!(e.calls.is_empty());
        assert!(e.problems.is_empty());
        assert_eq!(e.text, body);
    }

    #[test]
    fn malformed_calls_are_problems() {
        let e = extract("a {{ leikas }}\nb {{ contact(id=bk) }}\nc {{ leikas()\n");
        let lines: Vec<usize> = e.problems.iter().map(|p| p.position.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        assert!(e.problems[0]
            .message
            .ends_with("die runden Klammern fehlen."));
        assert!(e.problems[1]
            .message
            .ends_with("„bk“ ist kein Wert: Texte stehen in Anführungszeichen."));
    }

    #[test]
    fn unknown_arguments_suggest_the_closest() {
        let call = extract("{{ contact(idd=\"x\") }}").calls.remove(0);
        let (message, hint) = check_arguments(&call, &["id".into()]).unwrap_err();
        assert_eq!(
            message,
            "Der Shortcode „contact“ kennt kein Argument „idd“."
        );
        assert_eq!(hint.unwrap(), "Meinten Sie „id“? Möglich sind: id.");
        let other = extract("{{ mailbox(id=\"x\") }}").calls.remove(0);
        let (_, hint) = check_arguments(&other, &[]).unwrap_err();
        assert_eq!(
            hint.unwrap(),
            "„mailbox“ nimmt keine Argumente: schreiben Sie {{ mailbox() }}."
        );
        let themed = extract("{{ contact(id=\"x\") }}").calls.remove(0);
        assert!(check_arguments(&themed, &[]).is_ok());
        let ok = extract("{{ contact(id=\"x\") }}").calls.remove(0);
        assert!(check_arguments(&ok, &["id".into()]).is_ok());
    }

    #[test]
    fn escaped_quotes_in_strings() {
        let e = extract("{{ x(t=\"a \\\"b\\\", c\") }}");
        assert_eq!(e.calls[0].args[0].1, ArgValue::Str("a \"b\", c".into()));
    }
}

/// Property tests (run with the other unit tests; `scripts/fuzz.sh` repeats them).
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Bodies made of what matters to the scanner: braces, calls, backticks, fences.
    fn body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{{"),
            Just("}}"),
            Just("{{ leikas() }}"),
            Just("{{ contact(id=\"a\", n=1) }}"),
            Just("{{ x(t=\"a \\\" b\") }}"),
            Just("{{ x(t=\"offen) }}"),
            Just("{{ 1x() }}"),
            Just("`"),
            Just("``"),
            Just("```"),
            Just("~~~"),
            Just("\n"),
            Just("\r\n"),
            Just(" "),
            Just("ä"),
            Just("Text"),
            Just("("),
            Just(")"),
            Just("="),
            Just(","),
            Just("\""),
            Just("\u{E000}"),
            Just("\u{E001}"),
            Just("7"),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    fn inside(body: &str, p: Position) -> Result<(), TestCaseError> {
        let lines: Vec<&str> = body.split_inclusive('\n').collect();
        prop_assert!(p.line >= 1 && p.line <= lines.len(), "{p:?}");
        let length = lines[p.line - 1]
            .trim_end_matches(['\n', '\r'])
            .chars()
            .count();
        prop_assert!(p.column >= 1 && p.column <= length + 1, "{p:?}");
        Ok(())
    }

    /// The substitution as it was: one search of the whole page per snippet.
    fn reference(mut html: String, snippets: &[String]) -> String {
        for (i, snippet) in snippets.iter().enumerate() {
            let token = placeholder(i);
            let block = format!("<p>{token}</p>\n");
            if html.contains(&block) {
                html = html.replacen(&block, &format!("{snippet}\n"), 1);
            } else {
                html = html.replacen(&token, snippet, 1);
            }
        }
        html
    }

    /// Rendered pages with each placeholder at most once, in any order.
    fn page() -> impl Strategy<Value = (String, Vec<String>)> {
        let filler = prop_oneof![
            Just("<p>"),
            Just("</p>\n"),
            Just("x"),
            Just("\n"),
            Just("\u{E000}"),
            Just("\u{E001}")
        ];
        (
            Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
            0usize..7,
            proptest::collection::vec(filler, 0..7),
            0usize..7,
        )
            .prop_flat_map(|(order, used, fillers, count)| {
                let mut html = String::new();
                for (i, index) in order.into_iter().take(used).enumerate() {
                    html.push_str(fillers.get(i).copied().unwrap_or("<p>"));
                    html.push_str(&placeholder(index));
                    html.push_str(fillers.get(i + 1).copied().unwrap_or("</p>\n"));
                }
                (
                    Just(html),
                    proptest::collection::vec("[a-z<>/]{0,5}", count),
                )
            })
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]

        #[test]
        fn fuzz_shortcode_positions_are_inside(text in prop_oneof![body(), any::<String>()]) {
            let e = extract(&text);
            for p in e.calls.iter().map(|c| c.position).chain(e.problems.iter().map(|p| p.position)) {
                inside(&text, p)?;
            }
            for i in 0..e.calls.len() {
                prop_assert!(e.text.contains(&placeholder(i)));
            }
        }

        #[test]
        fn fuzz_snippets_land_where_they_did((html, snippets) in page()) {
            prop_assert_eq!(
                super::super::insert_snippets(html.clone(), &snippets),
                reference(html, &snippets)
            );
        }
    }
}
