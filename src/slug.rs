//! Slugs for heading ids and file names: lowercase, German transliteration
//! (ä→ae, ö→oe, ü→ue, ß→ss), other letters without accents, anything else
//! `-`; and the registry that keeps ids unique within one output page.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

/// The slug of a text, e.g. `Größe & Übersicht` → `groesse-uebersicht`.
/// The text is composed (NFC) first, so that a decomposed `o` + `◌̈` (as
/// macOS writes file names) transliterates like `ö`.
pub(crate) fn slugify(text: &str) -> String {
    if !text.is_ascii() {
        return slugify_chars(text.nfc());
    }
    slugify_chars(text.chars())
}

fn slugify_chars(chars: impl Iterator<Item = char>) -> String {
    let mut slug = Slug::default();
    for c in chars.flat_map(char::to_lowercase) {
        match c {
            'ä' => slug.push("ae"),
            'ö' => slug.push("oe"),
            'ü' => slug.push("ue"),
            'ß' => slug.push("ss"),
            c if c.is_ascii_alphanumeric() => slug.push(c.encode_utf8(&mut [0; 4])),
            // Spaces and punctuation: no letter to keep, so no need to decompose.
            c if c.is_ascii() => slug.dash = true,
            c => {
                let base: String = c.nfd().filter(char::is_ascii_alphanumeric).collect();
                match base.is_empty() {
                    true => slug.dash = true,
                    false => slug.push(&base),
                }
            }
        }
    }
    match slug.text.is_empty() {
        true => "abschnitt".to_string(),
        false => slug.text,
    }
}

/// A slug being written: runs of letters and digits joined by one `-`,
/// none at either end.
#[derive(Default)]
struct Slug {
    text: String,
    /// Something other than a letter or digit came since the last run.
    dash: bool,
}

impl Slug {
    fn push(&mut self, letters: &str) {
        if self.dash && !self.text.is_empty() {
            self.text.push('-');
        }
        self.dash = false;
        self.text.push_str(letters);
    }
}

/// The ids already used on one output page; hands out `x`, `x-2`, `x-3`, …
///
/// For each base it remembers the next number to try, so that n equal
/// headings cost n steps, not n²/2 (a number is skipped only when some other
/// heading took `x-n` literally, and each such id is skipped once).
#[derive(Debug, Default, Clone)]
pub(crate) struct IdRegistry {
    used: HashSet<String>,
    next: HashMap<String, usize>,
    order: Vec<String>,
}

impl IdRegistry {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A registry with ids the page template uses itself (e.g. the skip-link target).
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        let mut registry = Self::new();
        for id in reserved {
            registry.used.insert((*id).to_string());
        }
        registry
    }

    pub(crate) fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        if self.used.contains(&candidate) {
            let n = self.next.entry(candidate.clone()).or_insert(2);
            loop {
                candidate = format!("{base}-{n}");
                *n += 1;
                if !self.used.contains(&candidate) {
                    break;
                }
            }
        }
        self.used.insert(candidate.clone());
        self.order.push(candidate.clone());
        candidate
    }

    /// The ids handed out, in order.
    pub(crate) fn ids(&self) -> &[String] {
        &self.order
    }
}

/// Ids the default page layout uses; headings never take them.
pub(crate) const RESERVED_IDS: [&str; 1] = ["inhalt"];

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

    #[test]
    fn twenty_thousand_equal_headings_count_up() {
        let mut r = IdRegistry::new();
        assert_eq!(r.unique("x"), "x");
        for n in 2..=20_000 {
            assert_eq!(r.unique("x"), format!("x-{n}"));
        }
        assert_eq!(r.ids().len(), 20_000);
    }

    #[test]
    fn literal_numbered_ids_are_skipped() {
        let mut r = IdRegistry::new();
        assert_eq!(r.unique("x-2"), "x-2");
        assert_eq!(r.unique("x"), "x");
        assert_eq!(r.unique("x"), "x-3");
        assert_eq!(r.unique("x-4"), "x-4");
        assert_eq!(r.unique("x"), "x-5");
        assert_eq!(r.unique("x-2"), "x-2-2");
        assert_eq!(r.unique("x-3"), "x-3-2");
        assert_eq!(r.unique("x"), "x-6");
    }
}

/// Property tests (run with the other unit tests; `scripts/fuzz.sh` repeats them).
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// The registry as it was before it remembered counters: the reference.
    fn naive(used: &mut HashSet<String>, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        candidate
    }

    fn base() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("x".to_string()),
            (2usize..6).prop_map(|n| format!("x-{n}")),
            (2usize..4, 2usize..4).prop_map(|(a, b)| format!("x-{a}-{b}")),
            "[a-z0-9-]{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]

        #[test]
        fn fuzz_slug_is_a_clean_slug(text in any::<String>()) {
            let slug = slugify(&text);
            prop_assert!(!slug.is_empty());
            prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
        }

        /// The same slugs as the first, plainer way of writing them: each
        /// other character as `-`, then runs of `-` joined and trimmed.
        #[test]
        fn fuzz_slug_is_as_before(text in "[a-zA-Z0-9äöüÄÖÜßéèñçÅ ,.;:!?&/()„“–_'\"\\-]{0,40}|\\PC{0,20}") {
            let before = |chars: &mut dyn Iterator<Item = char>| {
                let mut out = String::new();
                for c in chars.flat_map(char::to_lowercase) {
                    match c {
                        'ä' => out.push_str("ae"),
                        'ö' => out.push_str("oe"),
                        'ü' => out.push_str("ue"),
                        'ß' => out.push_str("ss"),
                        c if c.is_ascii_alphanumeric() => out.push(c),
                        c => {
                            let base: String = c.nfd().filter(char::is_ascii_alphanumeric).collect();
                            out.push_str(if base.is_empty() { "-" } else { &base });
                        }
                    }
                }
                let joined = out.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
                if joined.is_empty() { "abschnitt".to_string() } else { joined }
            };
            let expected = before(&mut text.nfc());
            prop_assert_eq!(slugify(&text), expected);
        }

        #[test]
        fn fuzz_ids_are_unique_and_as_before(bases in proptest::collection::vec(base(), 0..24)) {
            let mut registry = IdRegistry::with_reserved(&RESERVED_IDS);
            let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
            for b in &bases {
                prop_assert_eq!(registry.unique(b), naive(&mut used, b));
            }
            let distinct: HashSet<&String> = registry.ids().iter().collect();
            prop_assert_eq!(distinct.len(), bases.len());
        }
    }
}
