//! Memory of per-file parse results for the preview: a file whose text did
//! not change is not parsed again. Cross-file checks (references between
//! files) still run on every build; they are cheap.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::pages::{ParsedPage, RawPageMeta, RawServiceMeta};
use super::Municipality;
use crate::diagnostics::Diagnostic;

/// Results of one per-file step, by file, with the fingerprint of its inputs.
#[derive(Debug)]
pub struct Memo<T> {
    entries: HashMap<String, (u64, T)>,
    next: HashMap<String, (u64, T)>,
    /// How often the last build had to compute instead of reuse.
    pub misses: usize,
    /// Keep results for the next build (the preview); a one-off build does not.
    pub remember: bool,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo {
            entries: HashMap::new(),
            next: HashMap::new(),
            misses: 0,
            remember: false,
        }
    }
}

impl<T: Clone> Memo<T> {
    /// The remembered result for `key` if its inputs hash to `fingerprint`, else compute it.
    pub fn get_or(&mut self, key: &str, fingerprint: u64, compute: impl FnOnce() -> T) -> T {
        let value = match self.entries.remove(key) {
            Some((fp, value)) if fp == fingerprint => value,
            _ => {
                self.misses += 1;
                compute()
            }
        };
        if self.remember {
            self.next
                .insert(key.to_string(), (fingerprint, value.clone()));
        }
        value
    }

    /// End a build: forget files that are gone, start counting afresh.
    pub fn finish(&mut self) {
        self.entries = std::mem::take(&mut self.next);
    }

    pub fn start(&mut self) {
        self.misses = 0;
    }
}

/// A result with the diagnostics that producing it reported.
pub type WithDiagnostics<T> = (Option<T>, Vec<Diagnostic>);

/// Per-file parse results of the Markdown and municipality files.
#[derive(Debug, Default)]
pub struct ParseCache {
    pub pages: Memo<WithDiagnostics<ParsedPage<RawPageMeta>>>,
    pub services: Memo<WithDiagnostics<ParsedPage<RawServiceMeta>>>,
    pub municipalities: Memo<WithDiagnostics<Municipality>>,
}

impl ParseCache {
    /// A cache that keeps what it parsed for the next build.
    pub fn remembering() -> Self {
        let mut cache = ParseCache::default();
        cache.pages.remember = true;
        cache.services.remember = true;
        cache.municipalities.remember = true;
        cache
    }

    /// Files parsed (not reused) by the last build.
    pub fn parsed(&self) -> usize {
        self.pages.misses + self.services.misses + self.municipalities.misses
    }

    pub(super) fn start(&mut self) {
        self.pages.start();
        self.services.start();
        self.municipalities.start();
    }

    pub(super) fn finish(&mut self) {
        self.pages.finish();
        self.services.finish();
        self.municipalities.finish();
    }
}

/// Fingerprint of anything hashable.
pub fn fingerprint(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_until_the_input_changes() {
        let mut memo: Memo<String> = Memo {
            remember: true,
            ..Memo::default()
        };
        memo.start();
        assert_eq!(memo.get_or("a", 1, || "eins".into()), "eins");
        memo.finish();
        memo.start();
        assert_eq!(memo.get_or("a", 1, || "anders".into()), "eins");
        assert_eq!(memo.misses, 0);
        memo.finish();
        memo.start();
        assert_eq!(memo.get_or("a", 2, || "zwei".into()), "zwei");
        assert_eq!(memo.misses, 1);
    }
}
