//! Splitting a Markdown file into its YAML front matter and its body, keeping
//! track of where each starts so that every position counts from the file's
//! first line.

/// A Markdown file cut into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (without them), if the file has one.
    pub front_matter: Option<&'a str>,
    /// File lines before the front matter text (the opening `---`): 1.
    pub front_matter_lines_before: usize,
    pub body: &'a str,
    /// File lines before the body.
    pub body_lines_before: usize,
}

/// The opening `---` has no closing `---`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed;

pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            front_matter: None,
            front_matter_lines_before: 0,
            body: text,
            body_lines_before: 0,
        });
    }
    let mut offset = first_line_end;
    for (line, raw) in (2..).zip(text[first_line_end..].split_inclusive('\n')) {
        if raw.trim_end() == "---" {
            return Ok(Split {
                front_matter: Some(&text[first_line_end..offset]),
                front_matter_lines_before: 1,
                body: &text[offset + raw.len()..],
                body_lines_before: line,
            });
        }
        offset += raw.len();
    }
    Err(Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.front_matter, Some("title: A\n"));
        assert_eq!(s.front_matter_lines_before, 1);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_lines_before, 3);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Nur Text\n").unwrap();
        assert_eq!(s.front_matter, None);
        assert_eq!(s.body_lines_before, 0);
    }

    #[test]
    fn crlf_and_bom_work_and_unclosed_is_an_error() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nText").unwrap();
        assert_eq!(s.front_matter, Some("title: A\r\n"));
        assert_eq!(s.body, "Text");
        assert_eq!(split("---\ntitle: A\n"), Err(Unclosed));
    }
}

/// Property tests (run with the other unit tests; `scripts/fuzz.sh` repeats them).
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Files made of lines that matter to the splitter, and some that do not.
    fn file() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            Just("---".to_string()),
            Just("--- ".to_string()),
            Just("title: A".to_string()),
            Just("".to_string()),
            Just("\u{feff}---".to_string()),
            "[ -~äß\r\t]{0,12}",
        ];
        let end = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")];
        proptest::collection::vec((line, end), 0..12)
            .prop_map(|parts| parts.into_iter().map(|(l, e)| l + e).collect())
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]

        #[test]
        fn fuzz_front_matter_lines_add_up(text in prop_oneof![file(), any::<String>()]) {
            let Ok(s) = split(&text) else { return Ok(()) };
            let start = text.len() - s.body.len();
            prop_assert!(text.ends_with(s.body));
            if s.body.is_empty() {
                return Ok(());
            }
            // The body's first line is file line body_lines_before + 1.
            prop_assert_eq!(text[..start].matches('\n').count(), s.body_lines_before);
            if let Some(fm) = s.front_matter {
                prop_assert_eq!(s.front_matter_lines_before, 1);
                let fm_start = fm.as_ptr() as usize - text.as_ptr() as usize;
                prop_assert_eq!(text[..fm_start].matches('\n').count(), 1);
                prop_assert!(fm_start + fm.len() <= start);
            }
        }
    }
}
