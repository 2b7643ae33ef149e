//! The built site held in memory for the preview: one immutable snapshot per
//! successful build, swapped whole, and the comparison of two snapshots that
//! tells which pages really changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::output::{Contents, OutputFile};

/// The body of one served file: always bytes in memory, never a path read
/// per request (a path could have become a symbolic link since the build).
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Bytes(Arc<[u8]>),
    Static(&'static [u8]),
}

impl Body {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(bytes) => bytes,
            Body::Static(bytes) => bytes,
        }
    }
}

/// What identifies the version of a file copied from disk (downloads, theme
/// files): read again only when this changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DiskStamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl DiskStamp {
    /// The stamp of a regular file at `path`, looked at without following a link.
    fn of(path: &Path) -> Option<DiskStamp> {
        std::fs::symlink_metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|meta| DiskStamp::from(&meta))
    }

    fn from(meta: &std::fs::Metadata) -> DiskStamp {
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        DiskStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode,
        }
    }
}

/// The folder of the search index in the output.
const SEARCH_FOLDER: &str = "pagefind/";

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub body: Body,
    /// For files copied from disk: where from, and which version was read.
    disk: Option<(PathBuf, DiskStamp)>,
}

impl Entry {
    /// Same content? Shared bytes are compared by pointer first, then byte for byte.
    fn same_as(&self, other: &Entry) -> bool {
        match (&self.body, &other.body) {
            (Body::Bytes(a), Body::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Body::Static(a), Body::Static(b)) => a == b,
            _ => false,
        }
    }
}

/// One complete build of the site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot {
    pub files: BTreeMap<String, Entry>,
}

impl Snapshot {
    /// Take a build's files into memory. Files the build copies from disk are
    /// read now — never through a symbolic link, in the file or in a folder
    /// on its way below `root` — or taken from `before` while unchanged. A file
    /// that cannot be read so is left out (and `skipped` names it).
    pub(crate) fn from_output(
        files: Vec<OutputFile>,
        root: &Path,
        before: &Snapshot,
    ) -> (Snapshot, Vec<PathBuf>) {
        let mut skipped = Vec::new();
        let mut out = BTreeMap::new();
        for f in files {
            let entry = match f.contents {
                Contents::Bytes(bytes) => Some(Entry {
                    body: Body::Bytes(bytes),
                    disk: None,
                }),
                Contents::Static(bytes) => Some(Entry {
                    body: Body::Static(bytes),
                    disk: None,
                }),
                Contents::Copy(path) => {
                    let entry = from_disk(root, path.clone(), before.files.get(f.path.as_str()));
                    if entry.is_none() {
                        skipped.push(path);
                    }
                    entry
                }
            };
            if let Some(entry) = entry {
                out.insert(f.path.into(), entry);
            }
        }
        (Snapshot { files: out }, skipped)
    }

    /// This snapshot with the search index (`pagefind/…`) replaced by `files`.
    pub(crate) fn with_search_index(&self, files: Vec<OutputFile>) -> Snapshot {
        let mut next = self.clone();
        next.files.retain(|k, _| !k.starts_with(SEARCH_FOLDER));
        for f in files {
            if let Contents::Bytes(bytes) = f.contents {
                let entry = Entry {
                    body: Body::Bytes(bytes),
                    disk: None,
                };
                next.files.insert(f.path.into(), entry);
            }
        }
        next
    }

    /// Keep `before`'s search index until the new one is built.
    pub(crate) fn carry_search_index(&mut self, before: &Snapshot) {
        let index = (before.files.iter()).filter(|(k, _)| k.starts_with(SEARCH_FOLDER));
        for (k, e) in index {
            self.files.entry(k.clone()).or_insert_with(|| e.clone());
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.files.get(key)
    }

    /// Output paths whose content differs from `before` (added, changed or removed).
    pub(crate) fn changed_since(&self, before: &Snapshot) -> Vec<String> {
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

/// A file copied from disk, as an entry holding its bytes.
fn from_disk(root: &Path, path: PathBuf, before: Option<&Entry>) -> Option<Entry> {
    if !folders_are_real(root, &path) {
        return None;
    }
    let stamp = DiskStamp::of(&path)?;
    if let Some(previous) = before.filter(|b| b.disk.as_ref() == Some(&(path.clone(), stamp))) {
        return Some(previous.clone());
    }
    let mut file = crate::fs::open_regular(&path).ok()?;
    // The stamp of the very file read (a file changed meanwhile differs from it next time).
    let stamp = DiskStamp::from(&file.metadata().ok()?);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    Some(Entry {
        body: Body::Bytes(bytes.into()),
        disk: Some((path, stamp)),
    })
}

/// Whether every folder between `root` and `path` is a real folder, not a link.
fn folders_are_real(root: &Path, path: &Path) -> bool {
    let Ok(below) = path.strip_prefix(root) else {
        return false;
    };
    let mut at = root.to_path_buf();
    let mut parts: Vec<_> = below.components().collect();
    parts.pop();
    parts.into_iter().all(|part| {
        at.push(part);
        std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(files: Vec<OutputFile>) -> Snapshot {
        Snapshot::from_output(files, Path::new("."), &Snapshot::default()).0
    }

    #[test]
    fn only_real_changes_are_reported() {
        let a = snapshot(vec![
            OutputFile::bytes("a.html".into(), "1"),
            OutputFile::bytes("b.html".into(), "2"),
            OutputFile::bytes("c.html".into(), "3"),
        ]);
        let b = snapshot(vec![
            OutputFile::bytes("a.html".into(), "1"),
            OutputFile::bytes("b.html".into(), "22"),
            OutputFile::bytes("d.html".into(), "4"),
        ]);
        assert_eq!(b.changed_since(&a), vec!["b.html", "c.html", "d.html"]);
        assert!(a.changed_since(&a).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn copied_files_are_held_in_memory_and_never_read_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/downloads")).unwrap();
        std::fs::write(root.join("secret"), "geheim").unwrap();
        let file = root.join("content/downloads/a.xlsx");
        std::fs::write(&file, "tabelle").unwrap();
        let copy = |p: &Path| {
            vec![OutputFile {
                path: "downloads/a.xlsx".into(),
                contents: Contents::Copy(p.to_path_buf()),
            }]
        };
        let (first, skipped) = Snapshot::from_output(copy(&file), root, &Snapshot::default());
        assert!(skipped.is_empty());
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(root.join("secret"), &file).unwrap();
        assert_eq!(
            first.get("downloads/a.xlsx").unwrap().body.bytes(),
            b"tabelle",
            "bytes of the build, not of the disk now"
        );
        let (second, skipped) = Snapshot::from_output(copy(&file), root, &first);
        assert!(second.get("downloads/a.xlsx").is_none());
        assert_eq!(skipped, std::slice::from_ref(&file));
        std::fs::remove_file(&file).unwrap();
        std::fs::remove_dir(root.join("content/downloads")).unwrap();
        std::fs::create_dir(root.join("elsewhere")).unwrap();
        std::fs::write(root.join("elsewhere/a.xlsx"), "geheim").unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("content/downloads")).unwrap();
        let (third, _) = Snapshot::from_output(copy(&file), root, &first);
        assert!(
            third.get("downloads/a.xlsx").is_none(),
            "a linked folder on the way is refused"
        );
    }
}
