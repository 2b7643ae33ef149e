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

/// One producer of one output file.
#[derive(Debug, Clone)]
struct Producer {
    kind: Kind,
    /// The output file, relative to the output folder, as written.
    output: OutputPath,
    /// For messages: "die Seite /impressum/".
    what: String,
    /// Where it comes from; `None` for generated files.
    file: Option<String>,
    position: Position,
}

impl Producer {
    /// How messages name it: what it is and where it comes from.
    fn named(&self) -> String {
        match &self.file {
            Some(file) => format!(
                "{} ({file}:{}:{})",
                self.what, self.position.line, self.position.column
            ),
            None => self.what.clone(),
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
    let mut plan = Plan::default();
    let generated = status_parts
        .iter()
        .chain(downloads)
        .cloned()
        .collect::<Vec<_>>();
    for producer in producers(site, theme, &generated, &routes) {
        plan.claim(producer);
    }
    plan.check_folders();
    plan.diagnostics
}

/// All producers, in claiming order; `generated` are the generator's own
/// outputs besides the fixed ones (status parts, questionnaires).
fn producers(
    site: &Site,
    theme: &Theme,
    generated_paths: &[SitePath],
    routes: &routes::Routes,
) -> Vec<Producer> {
    let mut all = generated(generated_paths, routes);
    for file in &theme.statics {
        let rel = file.rel();
        let source = routes::theme_path(&site.config.theme, &format!("static/{rel}"));
        let path = routes::theme_file(rel);
        let what = format!("die Datei {} des Themes", routes.url(&path));
        all.push(producer(
            Kind::Theme,
            &path,
            what,
            Some(source),
            Position::START,
        ));
    }
    for m in &site.municipalities {
        let path = routes::municipality(&m.id);
        let what = format!("die Seite {} der Kommune „{}“", routes.url(&path), m.name);
        let source = routes::source_file(&m.source);
        all.push(producer(
            Kind::Municipality,
            &path,
            what,
            Some(source),
            Position::START,
        ));
    }
    for p in site.all_pages() {
        let what = format!("die Seite {}", routes.url(&p.path));
        let source = display(&p.body.file);
        all.push(producer(
            Kind::Page,
            &p.path,
            what,
            Some(source),
            Position::START,
        ));
    }
    for i in super::plan::form_services(site) {
        let service = &site.services[i];
        let path = routes::questionnaire_form(&service.id);
        let what = format!(
            "die Seite {} (Fragebogen des Dienstes „{}“)",
            routes.url(&path),
            service.page.meta.title
        );
        let source = display(&service.page.body.file);
        all.push(producer(
            Kind::Page,
            &path,
            what,
            Some(source),
            Position::START,
        ));
    }
    for asset in &site.assets {
        let path = routes::asset(&asset.rel);
        let what = format!("die Datei {} aus content/", routes.url(&path));
        let source = routes::source_file(&asset.rel);
        all.push(producer(
            Kind::Content,
            &path,
            what,
            Some(source),
            Position::START,
        ));
    }
    all.extend(aliases(site));
    all
}

fn producer(
    kind: Kind,
    path: &SitePath,
    what: String,
    file: Option<String>,
    position: Position,
) -> Producer {
    Producer {
        kind,
        output: routes::output_file(path),
        what,
        file,
        position,
    }
}

/// The pages and files the generator writes from the site's data alone.
fn generated(status_parts: &[SitePath], routes: &routes::Routes) -> Vec<Producer> {
    let fixed = (super::plan::Listing::ALL
        .map(super::plan::Listing::path)
        .into_iter())
    .chain(super::files::GENERATED.iter().copied())
    .map(routes::fixed);
    let paths = fixed.chain(status_parts.iter().cloned());
    paths
        .map(|path| {
            let noun = if path.is_empty() || path.ends_with('/') {
                "Seite"
            } else {
                "Datei"
            };
            let what = format!("die vom Generator erzeugte {noun} {}", routes.url(&path));
            producer(Kind::Generated, &path, what, None, Position::START)
        })
        .collect()
}

fn aliases(site: &Site) -> Vec<Producer> {
    let mut all = Vec::new();
    for p in site.all_pages() {
        for alias in &p.meta.aliases {
            let what = format!("der Alias „{}“", alias.written);
            let source = display(&p.body.file);
            all.push(producer(
                Kind::Alias,
                &alias.path,
                what,
                Some(source),
                alias.position,
            ));
        }
    }
    all
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Output files by [`routes::output_key`], with their producer.
#[derive(Default)]
struct Plan {
    files: BTreeMap<String, Producer>,
    diagnostics: Diagnostics,
}

impl Plan {
    fn claim(&mut self, producer: Producer) {
        let key = routes::output_key(&producer.output);
        match self.files.get(&key) {
            None => {}
            // A site's own file replaces the theme's, as documented.
            Some(theme)
                if theme.kind == Kind::Theme
                    && producer.kind == Kind::Content
                    && theme.output == producer.output => {}
            Some(first) => {
                let d = collision(first, &producer);
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
                    found.push(folder_clash(file, producer));
                    break;
                }
                path = folder;
            }
        }
        self.diagnostics.extend(found);
    }
}

/// `second` would write the file `first` already writes.
fn collision(first: &Producer, second: &Producer) -> Diagnostic {
    let message = if first.output == second.output {
        format!(
            "{} ergibt dieselbe Datei {} wie {}.",
            capitalised(&second.what),
            second.output,
            first.named()
        )
    } else {
        format!(
            "{} ergibt die Datei {}, {} die Datei {}: auf Servern, die Groß- und Kleinschreibung nicht unterscheiden, ist das dieselbe Datei.",
            capitalised(&second.what),
            second.output,
            first.named(),
            first.output
        )
    };
    diagnostic(second, first, message)
}

/// `file` is a file where `inner` needs a folder.
fn folder_clash(file: &Producer, inner: &Producer) -> Diagnostic {
    let (first, second) = if file.kind <= inner.kind {
        (file, inner)
    } else {
        (inner, file)
    };
    let message = format!(
        "{} und {} passen nicht zusammen: {} ist eine Datei, wird aber für {} als Ordner gebraucht.",
        capitalised(&second.what),
        first.named(),
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
    let file = at.file.clone().unwrap_or_else(|| "content".into());
    Diagnostic::error(Code::DuplicateUrl, file, at.position, message).with_hint(hint)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
