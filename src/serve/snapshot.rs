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
    /// For disk files: hash of path, size and modification time.
    disk_fingerprint: u64,
}

impl Entry {
    /// Same content? Shared bytes are compared by pointer first, then byte for byte.
    fn same_as(&self, other: &Entry) -> bool {
        match (&self.body, &other.body) {
            (Body::Bytes(a), Body::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Body::Static(a), Body::Static(b)) => a == b,
            (Body::File(a), Body::File(b)) => {
                a == b && self.disk_fingerprint == other.disk_fingerprint
            }
            _ => false,
        }
    }
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
                let (body, disk_fingerprint) = match f.contents {
                    Contents::Bytes(bytes) => (Body::Bytes(bytes), 0),
                    Contents::Static(bytes) => (Body::Static(bytes), 0),
                    Contents::Copy(path) => {
                        let fp = disk_fingerprint(&path);
                        (Body::File(path), fp)
                    }
                };
                (
                    f.path,
                    Entry {
                        body,
                        disk_fingerprint,
                    },
                )
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
            .filter(|(k, e)| before.files.get(*k).is_none_or(|b| !e.same_as(b)))
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
