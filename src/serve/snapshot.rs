//! The built site held in memory for the preview: one immutable snapshot per
//! successful build, swapped whole, and the comparison of two snapshots that
//! tells which pages really changed.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use crate::output::{Contents, OutputFile};

/// The body of one served file.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// Read from disk when requested (downloads and theme files, published as-is).
    File(PathBuf),
    Static(&'static [u8]),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub body: Body,
    /// Hash of the bytes, or of path and modification time for disk files.
    fingerprint: u64,
}

/// One complete build of the site.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, Entry>,
}

impl Snapshot {
    pub fn from_output(files: Vec<OutputFile>) -> Snapshot {
        let files = files
            .into_iter()
            .map(|f| {
                let (body, fingerprint) = match f.contents {
                    Contents::Bytes(bytes) => {
                        let fp = hash_bytes(&bytes);
                        (Body::Bytes(bytes.into()), fp)
                    }
                    Contents::Static(bytes) => (Body::Static(bytes), hash_bytes(bytes)),
                    Contents::Copy(path) => {
                        let fp = disk_fingerprint(&path);
                        (Body::File(path), fp)
                    }
                };
                (f.path, Entry { body, fingerprint })
            })
            .collect();
        Snapshot { files }
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.files.get(key)
    }

    /// Output paths whose content differs from `before` (added, changed or removed).
    pub fn changed_since(&self, before: &Snapshot) -> Vec<String> {
        let mut changed: Vec<String> = self
            .files
            .iter()
            .filter(|(k, e)| {
                before
                    .files
                    .get(*k)
                    .is_none_or(|b| b.fingerprint != e.fingerprint)
            })
            .map(|(k, _)| k.clone())
            .collect();
        changed.extend(
            before
                .files
                .keys()
                .filter(|k| !self.files.contains_key(*k))
                .cloned(),
        );
        changed.sort();
        changed
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn disk_fingerprint(path: &PathBuf) -> u64 {
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    if let Ok(meta) = std::fs::metadata(path) {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_changes_are_reported() {
        let a = Snapshot::from_output(vec![
            OutputFile::bytes("a.html", "1"),
            OutputFile::bytes("b.html", "2"),
            OutputFile::bytes("c.html", "3"),
        ]);
        let b = Snapshot::from_output(vec![
            OutputFile::bytes("a.html", "1"),
            OutputFile::bytes("b.html", "22"),
            OutputFile::bytes("d.html", "4"),
        ]);
        assert_eq!(b.changed_since(&a), vec!["b.html", "c.html", "d.html"]);
        assert!(a.changed_since(&a).is_empty());
    }
}
