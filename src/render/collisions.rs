//! Every file of the output with the one thing that produces it: generated
//! pages and data files, the theme's static files, municipality pages, the
//! Markdown pages, the files of `content/` and the aliases. Two producers of
//! one file are an error naming both (file and line), as is a file where
//! another output needs a folder. Paths are compared without letter case, as
//! the file systems of many hosts compare them. The one documented exception:
//! a file in `content/` replaces the theme's static file of the same path.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::model::Site;
use crate::routes::{self, OutputPath, SitePath};
use crate::templates::Theme;

/// What produces an output file, in the order they are claimed (a
/// collision is reported at the later one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Generated,
    Theme,
    Municipality,
    Page,
    Content,
    Alias,
}

/// One producer of one output file. What it is and where it comes from are
/// kept as borrowed data and put into words only for a message, since a
/// site of thousands of pages has thousands of producers and (almost) no
/// collision.
#[derive(Debug, Clone)]
struct Producer<'a> {
    kind: Kind,
    /// The output file, relative to the output folder, as written.
    output: OutputPath,
    what: What<'a>,
    /// Where it comes from; `None` for generated files.
    file: Option<Origin<'a>>,
    position: Position,
}

/// What a producer is, for messages ("die Seite /impressum/").
#[derive(Debug, Clone)]
enum What<'a> {
    Generated(SitePath),
    Theme(SitePath),
    Municipality(SitePath, &'a str),
    Page(SitePath),
    Form(SitePath, &'a str),
    Content(SitePath),
    /// The alias's path and how it was written.
    Alias(SitePath, &'a str),
}

impl What<'_> {
    fn words(&self, routes: &routes::Routes) -> String {
        match self {
            What::Generated(path) => {
                let noun = if path.is_empty() || path.ends_with('/') {
                    "Seite"
                } else {
                    "Datei"
                };
                format!("die vom Generator erzeugte {noun} {}", routes.url(path))
            }
            What::Theme(path) => format!("die Datei {} des Themes", routes.url(path)),
            What::Municipality(path, name) => {
                format!("die Seite {} der Kommune „{name}“", routes.url(path))
            }
            What::Page(path) => format!("die Seite {}", routes.url(path)),
            What::Form(path, service) => format!(
                "die Seite {} (Fragebogen des Dienstes „{service}“)",
                routes.url(path)
            ),
            What::Content(path) => format!("die Datei {} aus content/", routes.url(path)),
            What::Alias(_, written) => format!("der Alias „{written}“"),
        }
    }
}

/// The file a producer comes from, for messages.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    /// A file of the site, as read (`content/impressum.md`).
    File(&'a Path),
    /// A file of `content/`, relative to it.
    Source(&'a str),
    /// A static file of the theme, relative to its `static/`.
    ThemeStatic(&'a str, &'a str),
}

impl Origin<'_> {
    fn words(self) -> String {
        match self {
            Origin::File(path) => display(path),
            Origin::Source(rel) => routes::source_file(rel),
            Origin::ThemeStatic(theme, rel) => routes::theme_path(theme, &format!("static/{rel}")),
        }
    }
}

impl Producer<'_> {
    /// How messages name it: what it is and where it comes from.
    fn named(&self, routes: &routes::Routes) -> String {
        match self.file {
            Some(file) => format!(
                "{} ({}:{}:{})",
                self.what.words(routes),
                file.words(),
                self.position.line,
                self.position.column
            ),
            None => self.what.words(routes),
        }
    }
}

/// Every output the site and its theme produce; an error for each collision.
pub(super) fn check(
    site: &Site,
    theme: &Theme,
    status_parts: &[SitePath],
    downloads: &[SitePath],
) -> Diagnostics {
    let routes = routes::Routes::new(site.config.base_url.clone());
    let mut plan = Plan::new(&routes);
    let generated = status_parts
        .iter()
        .chain(downloads)
        .cloned()
        .collect::<Vec<_>>();
    for producer in producers(site, theme, &generated) {
        plan.claim(producer);
    }
    plan.check_folders();
    plan.diagnostics
}

/// All producers, in claiming order; `generated` are the generator's own
/// outputs besides the fixed ones (status parts, questionnaires).
fn producers<'a>(
    site: &'a Site,
    theme: &'a Theme,
    generated_paths: &[SitePath],
) -> Vec<Producer<'a>> {
    let mut all = generated(generated_paths);
    for file in &theme.statics {
        let rel = file.rel();
        let path = routes::theme_file(rel);
        let origin = Origin::ThemeStatic(&site.config.theme, rel);
        all.push(producer(
            Kind::Theme,
            What::Theme(path),
            Some(origin),
            Position::START,
        ));
    }
    for m in &site.municipalities {
        let what = What::Municipality(routes::municipality(&m.id), &m.name);
        let origin = Origin::Source(&m.source);
        all.push(producer(
            Kind::Municipality,
            what,
            Some(origin),
            Position::START,
        ));
    }
    for p in site.all_pages() {
        let origin = Origin::File(&p.body.file);
        all.push(producer(
            Kind::Page,
            What::Page(p.path.clone()),
            Some(origin),
            Position::START,
        ));
    }
    for i in super::plan::form_services(site) {
        let service = &site.services[i];
        let path = routes::questionnaire_form(&service.id);
        let what = What::Form(path, &service.page.meta.title);
        let origin = Origin::File(&service.page.body.file);
        all.push(producer(Kind::Page, what, Some(origin), Position::START));
    }
    for asset in &site.assets {
        let what = What::Content(routes::asset(&asset.rel));
        let origin = Origin::Source(&asset.rel);
        all.push(producer(Kind::Content, what, Some(origin), Position::START));
    }
    all.extend(aliases(site));
    all
}

fn producer<'a>(
    kind: Kind,
    what: What<'a>,
    file: Option<Origin<'a>>,
    position: Position,
) -> Producer<'a> {
    let path = match &what {
        What::Generated(p)
        | What::Theme(p)
        | What::Municipality(p, _)
        | What::Page(p)
        | What::Form(p, _)
        | What::Content(p)
        | What::Alias(p, _) => p,
    };
    Producer {
        kind,
        output: routes::output_file(path),
        what,
        file,
        position,
    }
}

/// The pages and files the generator writes from the site's data alone.
fn generated<'a>(status_parts: &[SitePath]) -> Vec<Producer<'a>> {
    let fixed = (super::plan::Listing::ALL
        .map(super::plan::Listing::path)
        .into_iter())
    .chain(super::files::GENERATED.iter().copied())
    .map(routes::fixed);
    let paths = fixed.chain(status_parts.iter().cloned());
    paths
        .map(|path| {
            producer(
                Kind::Generated,
                What::Generated(path),
                None,
                Position::START,
            )
        })
        .collect()
}

fn aliases(site: &Site) -> Vec<Producer<'_>> {
    let mut all = Vec::new();
    for p in site.all_pages() {
        for alias in &p.meta.aliases {
            let what = What::Alias(alias.path.clone(), &alias.written);
            let origin = Origin::File(&p.body.file);
            all.push(producer(Kind::Alias, what, Some(origin), alias.position));
        }
    }
    all
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Output files by [`routes::output_key`], with their producer.
struct Plan<'a, 'r> {
    files: BTreeMap<String, Producer<'a>>,
    diagnostics: Diagnostics,
    routes: &'r routes::Routes,
}

impl<'a, 'r> Plan<'a, 'r> {
    fn new(routes: &'r routes::Routes) -> Self {
        Plan {
            files: BTreeMap::new(),
            diagnostics: Diagnostics::new(),
            routes,
        }
    }

    fn claim(&mut self, producer: Producer<'a>) {
        let key = routes::output_key(&producer.output);
        match self.files.get(&key) {
            None => {}
            // A site's own file replaces the theme's, as documented.
            Some(theme)
                if theme.kind == Kind::Theme
                    && producer.kind == Kind::Content
                    && theme.output == producer.output => {}
            Some(first) => {
                let d = collision(first, &producer, self.routes);
                self.diagnostics.push(d);
                return;
            }
        }
        self.files.insert(key, producer);
    }

    /// A file cannot be written where another output needs a folder
    /// (`impressum` as a file and `impressum/index.html`).
    fn check_folders(&mut self) {
        let mut found = Vec::new();
        for (key, producer) in &self.files {
            let mut path = key.as_str();
            while let Some((folder, _)) = path.rsplit_once('/') {
                if let Some(file) = self.files.get(folder) {
                    found.push(folder_clash(file, producer, self.routes));
                    break;
                }
                path = folder;
            }
        }
        self.diagnostics.extend(found);
    }
}

/// `second` would write the file `first` already writes.
fn collision(first: &Producer, second: &Producer, routes: &routes::Routes) -> Diagnostic {
    let message = if first.output == second.output {
        format!(
            "{} ergibt dieselbe Datei {} wie {}.",
            capitalised(&second.what.words(routes)),
            second.output,
            first.named(routes)
        )
    } else {
        format!(
            "{} ergibt die Datei {}, {} die Datei {}: auf Servern, die Groß- und Kleinschreibung nicht unterscheiden, ist das dieselbe Datei.",
            capitalised(&second.what.words(routes)),
            second.output,
            first.named(routes),
            first.output
        )
    };
    diagnostic(second, first, message)
}

/// `file` is a file where `inner` needs a folder.
fn folder_clash(file: &Producer, inner: &Producer, routes: &routes::Routes) -> Diagnostic {
    let (first, second) = if file.kind <= inner.kind {
        (file, inner)
    } else {
        (inner, file)
    };
    let message = format!(
        "{} und {} passen nicht zusammen: {} ist eine Datei, wird aber für {} als Ordner gebraucht.",
        capitalised(&second.what.words(routes)),
        first.named(routes),
        file.output,
        inner.output
    );
    diagnostic(second, first, message)
}

/// The error, reported where `at` comes from (`first` was there before).
fn diagnostic(at: &Producer, first: &Producer, message: String) -> Diagnostic {
    let mut hint = match at.kind {
        Kind::Alias => "Entfernen Sie den Alias oder wählen Sie eine alte Adresse, unter der die Site nichts anderes veröffentlicht. Verglichen wird ohne Groß- und Kleinschreibung; „//“ zählt wie „/“, „/seite/index.html“ wie „/seite/“.",
        Kind::Page => "Benennen Sie die Datei um: jede Seite braucht eine eigene Adresse.",
        Kind::Content => "Benennen Sie die Datei um oder entfernen Sie sie: Dateien in content/ werden unverändert veröffentlicht und dürfen keine Seite und keine erzeugte Datei ersetzen.",
        Kind::Theme | Kind::Municipality | Kind::Generated => "Benennen Sie die Datei um: jede Datei der Site braucht eine eigene Adresse.",
    }
    .to_string();
    if first.kind == Kind::Generated {
        hint.push_str(" Diese Adresse vergibt der Generator selbst.");
    }
    let file = at.file.map_or_else(|| "content".into(), Origin::words);
    Diagnostic::error(Code::DuplicateUrl, file, at.position, message).with_hint(hint)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
