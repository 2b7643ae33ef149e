//! Reusing unchanged files of the previous output: a file whose bytes are
//! exactly those the previous build wrote at the same path is hard-linked
//! into the staging folder instead of written anew. On a disk, creating
//! thousands of inodes right after the last swap deleted thousands is what a
//! build spends most of its time on; a hard link adds a name, not an inode.
//! The swap stays what it was (one rename of the staging folder), and the
//! old folder's removal leaves the reused files with one name each.
//!
//! Only a regular file that has no other name (one link), reached from the
//! previous output without any symbolic link on the way, on the same device,
//! is linked; after linking, the new name must be that very file. Anything
//! else, and any error, falls back to writing the file.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::fs;

/// The previous output a staging folder may take unchanged files from.
#[derive(Debug)]
pub(super) struct Previous {
    dir: PathBuf,
    device: u64,
}

impl Previous {
    /// The output folder of an earlier build (it holds the marker), on the
    /// same device as `staging`; `None` for a first build.
    pub(super) fn of(output: &Path, staging: &Path) -> Option<Previous> {
        let marker = std::fs::symlink_metadata(output.join(super::MARKER)).ok()?;
        let staging = std::fs::symlink_metadata(staging).ok()?;
        (marker.is_file() && device(&marker) == device(&staging)).then(|| Previous {
            dir: output.to_path_buf(),
            device: device(&staging),
        })
    }

    /// Link the previous copy of `rel` to `target` if its bytes are
    /// `bytes`; `false` when it was not (and nothing is left at `target`).
    pub(super) fn link_if_unchanged(&self, rel: &str, bytes: &[u8], target: &Path) -> bool {
        let Some(old) = self.unchanged(rel, bytes) else {
            return false;
        };
        if std::fs::hard_link(self.dir.join(rel), target).is_err() {
            return false;
        }
        let linked = std::fs::symlink_metadata(target)
            .is_ok_and(|m| m.is_file() && same_inode(&m, &old))
            && self.plain_path(rel);
        if !linked {
            let _ = std::fs::remove_file(target);
        }
        linked
    }

    /// The previous copy's metadata when it is a lone regular file with
    /// exactly these bytes.
    fn unchanged(&self, rel: &str, bytes: &[u8]) -> Option<std::fs::Metadata> {
        if !self.plain_path(rel) {
            return None;
        }
        let mut file = fs::open_regular(&self.dir.join(rel)).ok()?;
        let meta = file.metadata().ok()?;
        let lone = links(&meta) == 1 && device(&meta) == self.device;
        if !lone || meta.len() != bytes.len() as u64 {
            return None;
        }
        let mut old = Vec::with_capacity(bytes.len());
        file.read_to_end(&mut old).ok()?;
        (old == bytes).then_some(meta)
    }

    /// Whether every folder on the way to `rel` is a real folder, no link.
    fn plain_path(&self, rel: &str) -> bool {
        let mut path = self.dir.clone();
        let folders = rel.split('/').collect::<Vec<_>>();
        folders[..folders.len() - 1].iter().all(|folder| {
            path.push(folder);
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
        })
    }
}

#[cfg(unix)]
fn device(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::dev(meta)
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Elsewhere nothing is reused: a file's other names cannot be counted.
#[cfg(not(unix))]
fn device(_: &std::fs::Metadata) -> u64 {
    0
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    u64::MAX
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::super::{write_atomically, OutputFile};

    fn build(out: &std::path::Path, files: &[(&str, &str)]) -> usize {
        let files: Vec<OutputFile> = (files.iter())
            .map(|(path, text)| OutputFile::bytes((*path).into(), *text))
            .collect();
        write_atomically(out, &files).unwrap().reused
    }

    fn inode(path: std::path::PathBuf) -> u64 {
        std::fs::symlink_metadata(path).unwrap().ino()
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        assert_eq!(
            build(&out, &[("index.html", "a"), ("b/index.html", "b")]),
            0
        );
        let (a, b) = (
            inode(out.join("index.html")),
            inode(out.join("b/index.html")),
        );
        assert_eq!(
            build(&out, &[("index.html", "a"), ("b/index.html", "B")]),
            1
        );
        assert_eq!(inode(out.join("index.html")), a, "the same file, linked");
        assert_ne!(inode(out.join("b/index.html")), b);
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B"
        );
        let meta = std::fs::metadata(out.join("index.html")).unwrap();
        assert_eq!(meta.nlink(), 1, "the old copy is gone");
    }

    #[test]
    fn a_file_with_another_name_is_not_linked() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "a")]);
        std::fs::hard_link(out.join("index.html"), dir.path().join("elsewhere")).unwrap();
        assert_eq!(build(&out, &[("index.html", "a")]), 0);
        assert_eq!(
            std::fs::metadata(out.join("index.html")).unwrap().nlink(),
            1
        );
    }

    #[test]
    fn nothing_is_linked_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "a"), ("d/index.html", "d")]);
        // Files the same as the new ones, but outside, reached by links.
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "d").unwrap();
        std::fs::write(outside.join("file"), "a").unwrap();
        std::fs::remove_dir_all(out.join("d")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("d")).unwrap();
        std::fs::remove_file(out.join("index.html")).unwrap();
        std::os::unix::fs::symlink(outside.join("file"), out.join("index.html")).unwrap();
        assert_eq!(
            build(&out, &[("index.html", "a"), ("d/index.html", "d")]),
            0
        );
        for path in ["index.html", "d/index.html"] {
            let meta = std::fs::symlink_metadata(out.join(path)).unwrap();
            assert!(
                meta.is_file() && meta.nlink() == 1,
                "{path} is a file of its own"
            );
        }
        assert_eq!(std::fs::metadata(outside.join("file")).unwrap().nlink(), 1);
    }

    #[test]
    fn a_first_build_or_a_folder_without_the_marker_reuses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        assert_eq!(build(&out, &[("index.html", "a")]), 0);
        std::fs::remove_file(out.join(super::super::MARKER)).unwrap();
        assert!(super::Previous::of(&out, dir.path()).is_none());
    }
}
