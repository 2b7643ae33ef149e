//! Reading a site from disk: walking `content/` (walkdir) in a stable order,
//! decoding every text file, and sorting each file into the kind the format
//! gives it by its place. Nothing is interpreted here beyond that.

pub(crate) mod edit;
pub mod frontmatter;
pub mod unique;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::fingerprint::{fingerprint, Fingerprint};
use crate::fs;
use crate::routes::{self, SourcePath};

/// A text file of the site, decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/schritte/01-vorbereitung.md`.
    pub path: PathBuf,
    /// Path relative to `content/`, e.g. `schritte/01-vorbereitung.md`.
    pub rel: SourcePath,
    /// Shared, so that a page's body can point into it instead of copying it.
    pub text: Arc<String>,
    /// The fingerprint of `text`, taken once when the file was read: by it
    /// the preview tells an unchanged file without hashing its text again.
    pub fingerprint: Fingerprint,
}

impl SourceFile {
    /// A file whose text did not come from the loader (tests, `import`,
    /// a single file checked on its own).
    pub fn new(path: impl Into<PathBuf>, rel: impl Into<SourcePath>, text: &str) -> SourceFile {
        let read = FileText::new(text.to_string());
        SourceFile {
            path: path.into(),
            rel: rel.into(),
            text: read.text,
            fingerprint: read.fingerprint,
        }
    }
}

/// A file published as-is (downloads, images next to pages).
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path relative to `content/`.
    pub rel: SourcePath,
    pub absolute: PathBuf,
    pub size: u64,
}

/// Which role a Markdown file plays, from where it lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkdownKind {
    Home,
    Step,
    Service,
    /// A dated news item: `aktuelles/YYYY-MM-DD-slug.md`.
    News,
    Page,
}

/// Everything under `content/`, sorted by kind, still unparsed.
#[derive(Debug, Default)]
pub struct RawSite {
    pub config: Option<SourceFile>,
    pub markdown: Vec<(MarkdownKind, SourceFile)>,
    pub municipalities: Vec<SourceFile>,
    pub leikas: Option<SourceFile>,
    pub contacts: Option<SourceFile>,
    pub laender: Option<SourceFile>,
    pub questionnaire: Option<SourceFile>,
    pub assets: Vec<AssetFile>,
}

/// What reading a text file gave: its decoded text, or why it cannot be used
/// (too large, not UTF-8, a NUL byte).
pub type TextResult = Result<FileText, Diagnostic>;

/// A decoded text with its fingerprint, taken when it is read.
#[derive(Debug, Clone)]
pub struct FileText {
    pub text: Arc<String>,
    pub fingerprint: Fingerprint,
}

impl FileText {
    pub fn new(text: String) -> FileText {
        FileText {
            fingerprint: fingerprint(&text),
            text: Arc::new(text),
        }
    }
}

/// What the loader knows of a text file before reading it.
#[derive(Debug, Clone, Copy)]
pub struct TextStamp<'a> {
    /// Relative to `content/`, `/`-separated.
    pub rel: &'a str,
    pub modified: Option<SystemTime>,
    pub len: u64,
}

/// How the loader gets a text: given the file's stamp and a function that
/// reads it from disk, return its text. [`read_fresh`] always reads; the
/// preview passes one that may answer from what an earlier load read.
pub type ReadText<'a> = dyn Fn(
        TextStamp,
        &mut dyn FnMut() -> Result<TextResult, fs::FsError>,
    ) -> Result<TextResult, fs::FsError>
    + Sync
    + 'a;

/// Read every text from disk.
pub fn read_fresh(
    _: TextStamp,
    read: &mut dyn FnMut() -> Result<TextResult, fs::FsError>,
) -> Result<TextResult, fs::FsError> {
    read()
}

/// Read every file under `root/content`, reporting unreadable or misplaced files.
pub fn load(root: &Path) -> Result<(RawSite, Diagnostics), fs::FsError> {
    load_with(root, &read_fresh)
}

/// Like [`load`], getting each text through `read_text`.
/// The walk is sequential (for its order); files are read in parallel.
pub fn load_with(root: &Path, read_text: &ReadText) -> Result<(RawSite, Diagnostics), fs::FsError> {
    let content = root.join("content");
    let (found, links) = walk(&content)?;
    let loaded: Vec<Result<Loaded, fs::FsError>> =
        found.par_iter().map(|f| load_one(f, read_text)).collect();
    let mut raw = RawSite::default();
    let mut diagnostics: Diagnostics = links.iter().map(symlink_ignored).collect();
    for (f, loaded) in found.into_iter().zip(loaded) {
        let d = match loaded? {
            Loaded::Asset(asset) => {
                raw.assets.push(asset);
                continue;
            }
            Loaded::Text(Ok(text)) => place(f.rel, text, &mut raw),
            Loaded::Text(Err(d)) => Some(d),
        };
        diagnostics.extend(d);
    }
    Ok((raw, diagnostics))
}

/// A file found under `content/`.
struct Found {
    /// Relative to `content/`, `/`-separated.
    rel: String,
    absolute: PathBuf,
}

/// What reading one file gave.
enum Loaded {
    Asset(AssetFile),
    Text(TextResult),
}

/// Every file under `content/`, in a stable order, ignored names left out;
/// and, apart, the symbolic links met on the way (never followed).
fn walk(content: &Path) -> Result<(Vec<Found>, Vec<String>), fs::FsError> {
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    let mut found = Vec::new();
    let mut links = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|e| walk_error(content, e))?;
        if entry.file_type().is_file() {
            found.push(Found {
                rel: relative(content, entry.path()),
                absolute: entry.into_path(),
            });
        } else if entry.path_is_symlink() && entry.depth() > 0 {
            links.push(relative(content, entry.path()));
        }
    }
    Ok((found, links))
}

/// A symbolic link below `content/` (or a theme): left out, with a warning
/// naming it, so that nothing from outside the site is ever read or published.
pub fn symlink_ignored(path: impl AsRef<Path>) -> Diagnostic {
    let path = Path::new("content").join(path);
    symlink_warning(&path)
}

/// The `symlink-ignored` warning for a link at `path` (relative to the site root).
pub fn symlink_warning(path: &Path) -> Diagnostic {
    Diagnostic::warning(
        Code::SymlinkIgnored,
        path,
        Position::START,
        "Dies ist ein symbolischer Link. Links werden nicht verfolgt: sein Ziel wird weder gelesen noch veröffentlicht.",
    )
    .with_hint("Legen Sie an dieser Stelle eine echte Datei (eine Kopie) oder einen echten Ordner an, oder entfernen Sie den Link.")
}

/// Read one file: an asset's size, or a text through `read_text`.
fn load_one(f: &Found, read_text: &ReadText) -> Result<Loaded, fs::FsError> {
    let at = |source| fs::FsError {
        path: f.absolute.clone(),
        source,
    };
    if is_asset(&f.rel) {
        let meta = std::fs::symlink_metadata(&f.absolute).map_err(at)?;
        return Ok(Loaded::Asset(AssetFile {
            rel: routes::source(f.rel.clone()),
            absolute: f.absolute.clone(),
            size: meta.len(),
        }));
    }
    // One lookup says whether the text can be reused; the file is opened
    // only to read it (a file changed in between has a newer stamp next time).
    let seen = std::fs::symlink_metadata(&f.absolute).map_err(at)?;
    let stamp = TextStamp {
        rel: &f.rel,
        modified: seen.modified().ok(),
        len: seen.len(),
    };
    let mut read = || {
        let path = Path::new("content").join(&f.rel);
        let mut file = fs::open_regular(&f.absolute).map_err(at)?;
        let len = file.metadata().map_err(at)?.len();
        if len > MAX_TEXT_FILE {
            return Ok(Err(too_large(&path, len)));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes).map_err(at)?;
        Ok(decode(bytes, &path).map(FileText::new))
    };
    read_text(stamp, &mut read).map(Loaded::Text)
}

fn walk_error(content: &Path, e: walkdir::Error) -> fs::FsError {
    let path = e.path().unwrap_or(content).to_path_buf();
    let source = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("Verzeichnisschleife (symbolischer Link)"));
    fs::FsError { path, source }
}

/// Editor backups, swap files and hidden files are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Downloads, and every file that is neither Markdown nor YAML, are published as they are.
fn is_asset(rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or("");
    top == "downloads" || !(extension(rel) == "md" || is_yaml(rel))
}

fn extension(rel: &str) -> &str {
    rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("")
}

fn is_yaml(rel: &str) -> bool {
    matches!(extension(rel), "yaml" | "yml")
}

/// Put a decoded file where it belongs, or say why it cannot be there.
fn place(rel: String, read: FileText, raw: &mut RawSite) -> Option<Diagnostic> {
    let is_yaml = is_yaml(&rel);
    let file = SourceFile {
        path: Path::new("content").join(&rel),
        rel: routes::source(rel),
        text: read.text,
        fingerprint: read.fingerprint,
    };
    let top = file.rel.split('/').next().unwrap_or("");
    let depth = file.rel.matches('/').count();
    match (file.rel.as_str(), top, is_yaml) {
        ("site.yaml", _, _) => raw.config = Some(file),
        ("daten/leikas.yaml", _, _) => raw.leikas = Some(file),
        ("daten/kontakte.yaml", _, _) => raw.contacts = Some(file),
        ("daten/laender.yaml", _, _) => raw.laender = Some(file),
        ("daten/fragebogen.yaml", _, _) => raw.questionnaire = Some(file),
        (_, "kommunen", true) if depth == 1 => raw.municipalities.push(file),
        ("index.md", _, false) => raw.markdown.push((MarkdownKind::Home, file)),
        (_, "schritte", false) if depth == 1 => raw.markdown.push((MarkdownKind::Step, file)),
        (_, "dienste", false) if depth == 1 => raw.markdown.push((MarkdownKind::Service, file)),
        (_, "aktuelles", false) if depth == 1 => raw.markdown.push((MarkdownKind::News, file)),
        (_, "kommunen" | "daten" | "schritte" | "dienste" | "aktuelles", _) => {
            return Some(misplaced(&file))
        }
        (_, _, false) => raw.markdown.push((MarkdownKind::Page, file)),
        (_, _, true) => return Some(misplaced(&file)),
    }
    None
}

fn misplaced(file: &SourceFile) -> Diagnostic {
    Diagnostic::error(
        Code::MisplacedFile,
        &file.path,
        Position::START,
        format!("Die Datei „{}“ liegt an einer Stelle, an der das Format sie nicht kennt.", file.rel),
    )
    .with_hint(
        "Kommunen gehören als .yaml direkt in kommunen/, Dienste als .md direkt in dienste/, Schritte als NN-name.md direkt in schritte/, Meldungen als JJJJ-MM-TT-name.md direkt in aktuelles/, Daten nur in daten/leikas.yaml, daten/kontakte.yaml, daten/laender.yaml und daten/fragebogen.yaml; site.yaml liegt direkt in content/.",
    )
}

/// The largest Markdown or YAML file read (10 MB); a bigger one is an error,
/// checked before reading it.
pub const MAX_TEXT_FILE: u64 = 10 * 1024 * 1024;

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        Code::FileTooLarge,
        path,
        Position::START,
        format!(
            "Die Datei ist mit {} MB zu groß: Markdown- und YAML-Dateien haben höchstens 10 MB.",
            len.div_ceil(1024 * 1024)
        ),
    )
    .with_hint("Teilen Sie den Text auf mehrere Seiten auf; große Dateien zum Herunterladen gehören nach content/downloads/.")
}

/// UTF-8 text without NUL bytes, or a diagnostic at the first bad byte.
fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    let text = utf8(bytes, path)?;
    match memchr::memchr(0, text.as_bytes()) {
        None => Ok(text),
        Some(i) => Err(Diagnostic::error(
            Code::NulByte,
            path,
            position_at(&text[..i]),
            "Die Datei enthält ein Nullzeichen (NUL), das in Text nicht vorkommen darf.",
        )
        .with_hint("Löschen Sie das unsichtbare Zeichen an dieser Stelle (oft beim Kopieren aus einem anderen Programm entstanden) oder speichern Sie die Datei als reinen Text in UTF-8.")),
    }
}

/// The position just after `before` (the text up to a byte of interest).
fn position_at(before: &str) -> Position {
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Position::new(line, column)
}

/// UTF-8 text, or a diagnostic at the first invalid byte.
fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        Diagnostic::error(
            Code::InvalidUtf8,
            path,
            position_at(valid),
            "Die Datei ist nicht in UTF-8 gespeichert (ungültiges Byte).",
        )
        .with_hint("Speichern Sie die Datei in Ihrem Editor mit der Kodierung „UTF-8“.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let d = decode(b"title: a\nab\xffc".to_vec(), Path::new("content/x.md")).unwrap_err();
        assert_eq!(d.position, Position::new(2, 3));
        assert_eq!(d.code, Code::InvalidUtf8);
    }

    #[test]
    fn nul_bytes_are_an_error_at_their_place() {
        let d = decode(b"title: a\nab\0c".to_vec(), Path::new("content/x.md")).unwrap_err();
        assert_eq!(d.position, Position::new(2, 3));
        assert_eq!(d.code, Code::NulByte);
    }

    #[test]
    fn every_text_goes_through_the_reader_with_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("schritte")).unwrap();
        std::fs::write(content.join("index.md"), "---\ntitle: A\n---\n").unwrap();
        std::fs::write(content.join("schritte/01-a.md"), "---\ntitle: B\n---\n").unwrap();
        std::fs::write(content.join("bild.png"), "png").unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        let reader = |stamp: TextStamp, _: &mut dyn FnMut() -> _| {
            seen.lock()
                .unwrap()
                .push((stamp.rel.to_string(), stamp.len));
            Ok(Ok(FileText::new(format!(
                "---\ntitle: {}\n---\n",
                stamp.rel
            ))))
        };
        let (raw, d) = load_with(dir.path(), &reader).unwrap();
        assert!(d.is_empty());
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(
            seen,
            [("index.md".into(), 17), ("schritte/01-a.md".into(), 17)]
        );
        assert_eq!(*raw.markdown[0].1.text, "---\ntitle: index.md\n---\n");
        assert_eq!(raw.assets.len(), 1, "assets are not read as text");
    }

    #[test]
    fn backups_and_hidden_files_are_ignored() {
        assert!(is_ignored(".DS_Store"));
        assert!(is_ignored("impressum.md~"));
        assert!(is_ignored("#impressum.md#"));
        assert!(!is_ignored("impressum.md"));
    }

    #[test]
    fn files_go_where_their_place_says() {
        let mut raw = RawSite::default();
        let mut put = |rel: &str| place(rel.into(), FileText::new(String::new()), &mut raw);
        assert!(put("schritte/01-a.md").is_none());
        assert!(put("kommunen/gera.yaml").is_none());
        assert!(put("impressum.md").is_none());
        assert!(put("kommunen/gera.md").is_some());
        assert!(put("daten/x.yaml").is_some());
        assert!(put("daten/laender.yaml").is_none());
        assert!(put("daten/fragebogen.yaml").is_none());
        assert!(is_asset("downloads/fragebogen.xlsx"));
        assert!(is_asset("downloads/liesmich.md"));
        assert!(is_asset("bilder/karte.png"));
        assert!(!is_asset("kommunen/gera.yml"));
        assert_eq!(raw.markdown.len(), 2);
        assert_eq!(raw.municipalities.len(), 1);
        assert!(raw.laender.is_some());
        assert!(raw.questionnaire.is_some());
    }
}
