//! Build-time syntax highlighting of fenced code with syntect, into CSS
//! classes (no inline styles). The syntax set is loaded once, and only when a
//! page actually has fenced code with a language.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn themes() -> &'static ThemeSet {
    static THEMES: OnceLock<ThemeSet> = OnceLock::new();
    THEMES.get_or_init(ThemeSet::load_defaults)
}

/// Names of the highlight themes a site may choose.
pub(crate) fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

/// The stylesheet for a theme's highlight classes (empty for an unknown theme).
pub(crate) fn css(theme: &str) -> String {
    themes()
        .themes
        .get(theme)
        .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default()
}

/// Highlights code; shared read-only by all rendering threads.
#[derive(Debug, Default)]
pub(crate) struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// HTML with `hl-` classes for `code` in language `lang`, or `None` if the language is unknown.
    pub(crate) fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| syntaxes.find_syntax_by_extension(lang))?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_into_classes_without_inline_style() {
        let html = Highlighter::new()
            .highlight("xml", "<a href=\"x\">b</a>\n")
            .unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(Highlighter::new()
            .highlight("no-such-language", "x")
            .is_none());
    }

    #[test]
    fn default_theme_exists_and_has_css() {
        assert!(theme_names().iter().any(|t| t == "InspiredGitHub"));
        assert!(css("InspiredGitHub").contains(".hl-"));
    }
}
