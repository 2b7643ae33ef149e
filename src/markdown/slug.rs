//! Slugs for heading ids and file names: lowercase, German transliteration
//! (ä→ae, ö→oe, ü→ue, ß→ss), other letters without accents, anything else
//! `-`; and the registry that keeps ids unique within one output page.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// The slug of a text, e.g. `Größe & Übersicht` → `groesse-uebersicht`.
/// The text is composed (NFC) first, so that a decomposed `o` + `◌̈` (as
/// macOS writes file names) transliterates like `ö`.
pub fn slugify(text: &str) -> String {
    if !text.is_ascii() {
        return slugify_chars(text.nfc());
    }
    slugify_chars(text.chars())
}

fn slugify_chars(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(chars.size_hint().0);
    for c in chars.flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c => {
                let base: String = c.nfd().filter(char::is_ascii_alphanumeric).collect();
                if base.is_empty() {
                    out.push('-');
                } else {
                    out.push_str(&base);
                }
            }
        }
    }
    let collapsed = out
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if collapsed.is_empty() {
        "abschnitt".to_string()
    } else {
        collapsed
    }
}

/// The ids already used on one output page; hands out `x`, `x-2`, `x-3`, …
#[derive(Debug, Default, Clone)]
pub struct IdRegistry {
    used: HashSet<String>,
    order: Vec<String>,
}

impl IdRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry with ids the page template uses itself (e.g. the skip-link target).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        let mut registry = Self::new();
        for id in reserved {
            registry.used.insert((*id).to_string());
        }
        registry
    }

    pub fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        self.order.push(candidate.clone());
        candidate
    }

    /// The ids handed out, in order.
    pub fn ids(&self) -> &[String] {
        &self.order
    }
}

/// Ids the default page layout uses; headings never take them.
pub const RESERVED_IDS: [&str; 1] = ["inhalt"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_transliteration() {
        assert_eq!(slugify("Größe & Übersicht"), "groesse-uebersicht");
        assert_eq!(
            slugify("Schritt 2: Informationen hinterlegen"),
            "schritt-2-informationen-hinterlegen"
        );
        assert_eq!(slugify("Ärger mit Öfen"), "aerger-mit-oefen");
        assert_eq!(slugify("Café Señor"), "cafe-senor");
        assert_eq!(
            slugify("PVOG-Eintrag (Landesredaktion)"),
            "pvog-eintrag-landesredaktion"
        );
        assert_eq!(slugify("???"), "abschnitt");
    }

    #[test]
    fn decomposed_text_is_composed_first() {
        let nfd = "Gro\u{308}\u{df}e U\u{308}bersicht";
        assert_eq!(slugify(nfd), "groesse-uebersicht");
    }

    #[test]
    fn ids_are_unique_per_page() {
        let mut r = IdRegistry::with_reserved(&RESERVED_IDS);
        assert_eq!(r.unique("pvog"), "pvog");
        assert_eq!(r.unique("pvog"), "pvog-2");
        assert_eq!(r.unique("pvog"), "pvog-3");
        assert_eq!(r.unique("inhalt"), "inhalt-2");
        assert_eq!(r.ids(), ["pvog", "pvog-2", "pvog-3", "inhalt-2"]);
    }
}
