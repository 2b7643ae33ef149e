//! Memory of per-file parse results for the preview: a file whose text did
//! not change is not parsed again. Cross-file checks (references between
//! files) still run on every build; they are cheap.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use rayon::prelude::*;

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
    /// The remembered result for each item whose inputs hash to the same
    /// fingerprint as last time, else a new one. Fingerprints and the missing
    /// results are computed in parallel (fingerprints only when something is
    /// or will be remembered).
    pub fn get_all<I: Sync>(
        &mut self,
        items: &[I],
        key: impl Fn(&I) -> &str,
        fingerprint: impl Fn(&I) -> u64 + Sync,
        compute: impl Fn(&I) -> T + Sync,
    ) -> Vec<T>
    where
        T: Send,
    {
        let keyed = self.remember || !self.entries.is_empty();
        let fingerprints: Vec<u64> = if keyed {
            items.par_iter().map(&fingerprint).collect()
        } else {
            vec![0; items.len()]
        };
        let reused: Vec<Option<T>> = items
            .iter()
            .zip(&fingerprints)
            .map(|(item, fp)| match self.entries.remove(key(item)) {
                Some((old, value)) if old == *fp => Some(value),
                _ => None,
            })
            .collect();
        self.misses += reused.iter().filter(|r| r.is_none()).count();
        let values: Vec<T> = reused
            .into_par_iter()
            .zip(items.par_iter())
            .map(|(reused, item)| reused.unwrap_or_else(|| compute(item)))
            .collect();
        if self.remember {
            for ((item, fp), value) in items.iter().zip(fingerprints).zip(&values) {
                self.next.insert(key(item).to_string(), (fp, value.clone()));
            }
        }
        values
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

/// Fingerprint of anything hashable, for the preview's memo: the same within
/// one process (a fixed seed), and fast on long texts (foldhash rather than
/// the standard library's SipHash, which resists collisions crafted by an
/// attacker; the inputs here are the editors' own files).
pub fn fingerprint(value: &impl Hash) -> u64 {
    foldhash::quality::FixedState::with_seed(0x6d69_746e_7574_7a75).hash_one(value)
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
        // Items are (name, input); the fingerprint is the input's length.
        let mut run = |items: &[(&str, &str)]| {
            memo.start();
            let out = memo.get_all(
                items,
                |(name, _)| name,
                |(_, input)| input.len() as u64,
                |(_, input)| input.to_uppercase(),
            );
            memo.finish();
            (out, memo.misses)
        };
        assert_eq!(run(&[("a", "eins"), ("b", "zwei")]).1, 2);
        // Same fingerprint: the remembered result comes back, nothing is computed.
        assert_eq!(
            run(&[("a", "xxxx"), ("b", "zwei")]),
            (vec!["EINS".into(), "ZWEI".into()], 0)
        );
        assert_eq!(
            run(&[("a", "drei!"), ("b", "zwei")]),
            (vec!["DREI!".into(), "ZWEI".into()], 1)
        );
    }

    #[test]
    fn a_one_off_memo_computes_everything_and_keeps_nothing() {
        let mut memo: Memo<u32> = Memo::default();
        let out = memo.get_all(&[1u32, 2, 3], |_| "x", |_| unreachable!(), |i| i * 10);
        assert_eq!(out, vec![10, 20, 30]);
        memo.finish();
        assert!(memo.entries.is_empty());
    }
}
