//! The scheme of a link target as a browser decides it, and which schemes a
//! Markdown link or image may use. A browser decodes HTML character
//! references in an attribute, trims leading and trailing C0 controls and
//! spaces, removes every tab, LF and CR, and then reads the scheme
//! case-insensitively up to the first `:`; `jAvA&#x09;script:` is therefore
//! `javascript:`. [`link_scheme`] repeats exactly these steps.

use std::path::Path;

use crate::diagnostics::{shorten, Code, Diagnostic, Position};

/// Schemes a Markdown link or image may use; no scheme (a relative path,
/// `@/…`, `#anchor`, `//host/…`) is allowed too.
const ALLOWED: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The lowercase scheme a browser would read from `target` (an attribute
/// value as written, character references not yet decoded), or `None` when
/// the target is relative.
pub(crate) fn link_scheme(target: &str) -> Option<String> {
    let decoded = decode_references(target);
    let trimmed = decoded.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first_alpha = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (first_alpha && rest_ok).then(|| scheme.to_ascii_lowercase())
}

/// The scheme of `target` if a Markdown link or image must not use it.
pub(crate) fn forbidden_scheme(target: &str) -> Option<String> {
    link_scheme(target).filter(|s| !ALLOWED.contains(&s.as_str()))
}

/// The error for a Markdown link (`image: false`) or image with a forbidden scheme.
pub(crate) fn unsafe_link(
    file: &Path,
    position: Position,
    target: &str,
    scheme: &str,
    image: bool,
) -> Diagnostic {
    let what = if image { "Das Bild" } else { "Der Link" };
    Diagnostic::error(
        Code::UnsafeLink,
        file,
        position,
        format!(
            "{what} „{}“ verwendet das Schema „{scheme}:“; erlaubt sind nur https:, http:, mailto: und tel: sowie eigene Dateien.",
            shorten(target)
        ),
    )
    .with_hint("Schreiben Sie eine Webadresse mit https://…, eine E-Mail-Adresse mit mailto:…, eine Telefonnummer mit tel:… oder einen Link auf eine eigene Seite als @/datei.md.")
}

/// Decode HTML character references as a browser does in an attribute value:
/// numeric ones (with or without `;`) and the named ones that stand for an
/// ASCII character. Every other named reference stands for a non-ASCII
/// character, which ends a scheme just like the `&` left in place does.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match numeric_reference(after).or_else(|| named_reference(after)) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `#106;`, `#x6A`, … → the character and the bytes used (after the `&`).
fn numeric_reference(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix('#')?;
    let (radix, digits_from) = match body.as_bytes().first() {
        Some(b'x' | b'X') => (16, 2),
        _ => (10, 1),
    };
    let digits: &str = &text[digits_from..];
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if len == 0 {
        return None;
    }
    let value = digits[..len].chars().fold(0u32, |acc, c| {
        acc.saturating_mul(radix)
            .saturating_add(c.to_digit(radix).unwrap_or(0))
    });
    let c = match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    };
    let semicolon = usize::from(digits[len..].starts_with(';'));
    Some((c, digits_from + len + semicolon))
}

/// Named references that stand for ASCII characters (names are case-sensitive).
const NAMED: [(&str, char); 36] = [
    ("Tab", '\t'),
    ("NewLine", '\n'),
    ("excl", '!'),
    ("quot", '"'),
    ("QUOT", '"'),
    ("num", '#'),
    ("dollar", '$'),
    ("percnt", '%'),
    ("amp", '&'),
    ("AMP", '&'),
    ("apos", '\''),
    ("lpar", '('),
    ("rpar", ')'),
    ("ast", '*'),
    ("midast", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("period", '.'),
    ("sol", '/'),
    ("colon", ':'),
    ("semi", ';'),
    ("lt", '<'),
    ("LT", '<'),
    ("equals", '='),
    ("gt", '>'),
    ("GT", '>'),
    ("quest", '?'),
    ("commat", '@'),
    ("lsqb", '['),
    ("lbrack", '['),
    ("bsol", '\\'),
    ("rsqb", ']'),
    ("rbrack", ']'),
    ("lowbar", '_'),
    ("grave", '`'),
    ("verbar", '|'),
];

fn named_reference(text: &str) -> Option<(char, usize)> {
    let (name, _) = text.split_once(';')?;
    NAMED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| (*c, name.len() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_as_a_browser_reads_them() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://www.bremen.de/", Some("https")),
            ("HTTP://x.de", Some("http")),
            ("mailto:a@b.de", Some("mailto")),
            ("tel:+494213610", Some("tel")),
            ("javascript:alert(1)", Some("javascript")),
            ("JaVaScRiPt:alert(1)", Some("javascript")),
            ("  javascript:alert(1)", Some("javascript")),
            ("\u{1}\u{1f}javascript:alert(1)", Some("javascript")),
            ("java\tscript:alert(1)", Some("javascript")),
            ("java\nscr\ript:alert(1)", Some("javascript")),
            ("jAvA&#x09;script:alert(1)", Some("javascript")),
            ("&#106;avascript:alert(1)", Some("javascript")),
            ("&#0000106&#0000097vascript:alert(1)", Some("javascript")),
            ("&#x6A;&#X61;vascript:alert(1)", Some("javascript")),
            ("javascript&colon;alert(1)", Some("javascript")),
            ("java&Tab;script:alert(1)", Some("javascript")),
            ("java&NewLine;script&#58;alert(1)", Some("javascript")),
            ("data:text/html;base64,PHNjcmlwdD4=", Some("data")),
            ("vbscript:msgbox(1)", Some("vbscript")),
            ("VBScript:msgbox(1)", Some("vbscript")),
            ("x-custom+1.0:foo", Some("x-custom+1.0")),
            ("c:/windows", Some("c")),
            ("@/schritte/01-vorbereitung.md", None),
            ("@/seite.md#a:b", None),
            ("#anker", None),
            ("bild.png", None),
            ("../downloads/a.xlsx", None),
            ("/impressum/", None),
            ("//cdn.example.de/x.js", None),
            ("seite?x=a:b", None),
            ("1abc:def", None),
            ("java script:alert(1)", None),
            ("java\u{b}script:alert(1)", None),
            ("&nbsp;javascript:alert(1)", None),
            ("java&Colon;script", None),
            ("java&colonscript:x", None),
            ("", None),
        ];
        for (target, expected) in cases {
            assert_eq!(
                link_scheme(target).as_deref(),
                *expected,
                "scheme of {target:?}"
            );
        }
    }

    #[test]
    fn allowed_schemes_only() {
        for ok in [
            "https://a.de",
            "mailto:a@b.de",
            "tel:0421",
            "@/a.md",
            "#x",
            "a.png",
        ] {
            assert_eq!(forbidden_scheme(ok), None, "{ok}");
        }
        for bad in [
            "javascript:x",
            "data:image/png;base64,AA",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(forbidden_scheme(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn references_decode_like_html() {
        assert_eq!(decode_references("a&amp;b"), "a&b");
        assert_eq!(decode_references("&#0;&#x110000;"), "\u{FFFD}\u{FFFD}");
        assert_eq!(decode_references("&#99999999999999;"), "\u{FFFD}");
        assert_eq!(
            decode_references("& &#; &#x; &unknown;"),
            "& &#; &#x; &unknown;"
        );
        assert_eq!(decode_references("&#65&#x42;C"), "ABC");
    }
}
