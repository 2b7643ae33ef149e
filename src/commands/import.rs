//! `mitnutzung import FILE.xlsx`: a returned questionnaire → the
//! municipality's file: `name`, `state`, `ags`, `oe_id` in the open, the
//! service's status `questionnaire`, and everything else the file says
//! under `internal: fragebogen_<service>:` (never published). Every value is
//! checked first; with any error nothing is written.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::content::edit::{self, Node, Update, UsageEdit};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position, SheetPlace};
use crate::model::{BuildOptions, Date, Municipality, MunicipalityContext, Site, Status};
use crate::questionnaire::import::{self, Answers, Meta};
use crate::questionnaire::Layout;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The returned questionnaire.
    #[arg(
        value_name = "DATEI.xlsx",
        help = "Der zurückgeschickte Fragebogen (.xlsx)"
    )]
    pub file: PathBuf,
    #[command(flatten)]
    pub site: super::SiteRoot,
    #[arg(
        long,
        value_name = "DIENST",
        help = "Der Dienst, zu dem der Fragebogen gehört (Dateiname in content/dienste/); Standard: wie in der Datei vermerkt"
    )]
    pub service: Option<String>,
    #[arg(
        long,
        value_name = "KOMMUNE",
        help = "Die Kommune (Dateiname in content/kommunen/ ohne .yaml); Standard: die Kommune mit dem Gemeindeschlüssel des Fragebogens, sonst eine neue Datei"
    )]
    pub kommune: Option<String>,
    #[arg(long, value_parser = parse_date, value_name = "DATUM", help = "Seit wann der Status „questionnaire“ gilt (JJJJ-MM-TT); Standard: heute")]
    pub since: Option<Date>,
    #[arg(
        long,
        help = "Nur prüfen und zeigen, was sich änderte; nichts schreiben"
    )]
    pub dry_run: bool,
    #[arg(
        long,
        help = "Den Status auch dann auf „questionnaire“ setzen, wenn der Dienst schon weiter ist (commissioning, live) oder pausiert (paused)"
    )]
    pub force: bool,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

/// Why `import` stops before reading the questionnaire.
#[derive(Debug)]
pub(crate) enum ImportError {
    /// Bad usage (exit 2): the file cannot be read, `--kommune` is no file name.
    Usage(String),
    /// The site itself has errors (exit 1).
    Site(Diagnostics),
}

/// What `import` did.
#[derive(Debug)]
pub(crate) struct ImportReport {
    pub diagnostics: Diagnostics,
    /// The municipality file (relative to the root), its old and new text;
    /// `None` when errors stopped the import.
    pub change: Option<Change>,
}

#[derive(Debug)]
pub(crate) struct Change {
    pub file: PathBuf,
    pub old: Option<String>,
    pub new: String,
    pub written: bool,
}

impl ImportReport {
    fn failed(diagnostics: Diagnostics) -> Self {
        ImportReport {
            diagnostics,
            change: None,
        }
    }
}

pub(crate) fn run(args: &ImportArgs) -> Result<ImportReport, ImportError> {
    let root = &args.site.root;
    let bytes = std::fs::read(&args.file).map_err(|e| {
        ImportError::Usage(format!(
            "Die Datei {} lässt sich nicht lesen: {e}.",
            args.file.display()
        ))
    })?;
    if let Some(id) = &args.kommune {
        if !crate::model::values::is_slug(id) {
            return Err(ImportError::Usage(format!("„--kommune {id}“ ist kein Dateiname einer Kommune: nur Kleinbuchstaben, Ziffern und Bindestriche, ohne „.yaml“ (z. B. „gera“).")));
        }
    }
    let (site, site_diagnostics) = crate::pipeline::load_site(root, &BuildOptions::default())
        .map_err(|e| match e {
            crate::pipeline::BuildError::Content(d) => ImportError::Site(d),
            other => ImportError::Usage(other.to_string()),
        })?;
    if site_diagnostics.has_errors() {
        return Err(ImportError::Site(site_diagnostics));
    }
    let mut d = Diagnostics::new();
    let (opened, meta) = match import::open(&args.file, bytes) {
        Ok(opened) => opened,
        Err(e) => return Ok(ImportReport::failed(Diagnostics::from_iter([e]))),
    };
    let layout = match service_of(&site, &meta, args, &mut d) {
        Some(layout) => layout,
        None => return Ok(ImportReport::failed(d)),
    };
    let (answers, problems) = import::answers(&opened, &layout);
    d.extend(problems);
    if d.has_errors() {
        return Ok(ImportReport::failed(d));
    }
    let change = write(root, &site, &layout, &answers, args, &mut d);
    Ok(ImportReport {
        diagnostics: d,
        change,
    })
}

fn file_error(args: &ImportArgs, code: Code, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(code, &args.file, Position::START, message)
        .with_place(SheetPlace::FILE)
        .with_hint(hint)
}

/// The service the file is for, checked against the site and `--service`.
fn service_of(site: &Site, meta: &Meta, args: &ImportArgs, d: &mut Diagnostics) -> Option<Layout> {
    if meta.site != site.config.title {
        d.push(file_error(
            args,
            Code::NotAQuestionnaire,
            format!(
                "Der Fragebogen stammt von der Website „{}“, nicht von „{}“.",
                meta.site, site.config.title
            ),
            "Importieren Sie ihn in die Site, von der er heruntergeladen wurde.".into(),
        ));
        return None;
    }
    let ids: Vec<&str> = site.services.iter().map(|s| s.id.as_str()).collect();
    let Some(service) = site.services.iter().find(|s| s.id == meta.service) else {
        d.push(file_error(
            args,
            Code::UnknownService,
            format!(
                "Der Fragebogen gehört zum Dienst „{}“, den diese Website nicht hat.",
                meta.service
            ),
            format!("Dienste dieser Website: {}.", ids.join(", ")),
        ));
        return None;
    };
    if let Some(wanted) = args.service.as_deref().filter(|w| *w != service.id) {
        let (code, known) = if ids.contains(&wanted) {
            (Code::ImportConflict, "")
        } else {
            (Code::UnknownService, " (den diese Website nicht hat)")
        };
        d.push(file_error(args, code, format!("Der Fragebogen gehört zum Dienst „{}“, nicht zu „{wanted}“{known}.", service.id), "Lassen Sie „--service“ weg oder nennen Sie den Dienst, dessen Fragebogen die Kommune ausgefüllt hat.".into()));
        return None;
    }
    let Some(layout) = crate::questionnaire::service_layout(site, service) else {
        d.push(file_error(args, Code::NotAQuestionnaire, format!("Der Dienst „{}“ hat keinen Fragebogen, den diese Website erzeugt; seine Datei lässt sich nicht importieren.", service.id), "Importieren geht nur mit Fragebögen aus content/daten/fragebogen.yaml.".into()));
        return None;
    };
    if meta.version != layout.version.iso() {
        d.push(Diagnostic::warning(Code::OutdatedQuestionnaire, &args.file, Position::START, format!("Der Fragebogen hat den Stand „{}“, die Website den Stand {}; er wird nach Feldnamen gelesen.", meta.version, layout.version.iso())).with_place(SheetPlace::FILE).with_hint("Prüfen Sie die Angaben besonders; Felder, die es im alten Stand nicht gab, fehlen."));
    }
    Some(layout)
}

fn value<'a>(answers: &'a Answers, name: &str) -> Option<&'a str> {
    answers.values.get(name).map(|v| v.text.as_str())
}

/// Which municipality file the questionnaire is for: `--kommune`, the one
/// with its AGS, or the one named after the Kommune (new if absent).
fn municipality<'a>(
    site: &'a Site,
    answers: &Answers,
    args: &ImportArgs,
    d: &mut Diagnostics,
) -> Option<(String, Option<&'a Municipality>)> {
    let ags = value(answers, "ags");
    let by_ags = || {
        site.municipalities
            .iter()
            .find(|m| m.ags.as_ref().map(|a| a.as_str()) == ags && ags.is_some())
    };
    let id = match (&args.kommune, by_ags()) {
        (Some(id), _) => id.clone(),
        (None, Some(m)) => m.id.clone(),
        (None, None) => crate::slug::slugify(value(answers, "kommune").unwrap_or_default()),
    };
    let existing = site.municipalities.iter().find(|m| m.id == id);
    if let (Some(m), Some(ags)) = (existing, ags) {
        if let Some(theirs) = m.ags.as_ref().filter(|a| a.as_str() != ags) {
            let place = answers
                .values
                .get("ags")
                .map(|v| v.place.clone())
                .unwrap_or(SheetPlace::FILE);
            d.push(Diagnostic::error(Code::ImportConflict, &args.file, Position::START, format!("Die Kommune „{id}“ hat den Gemeindeschlüssel „{}“, der Fragebogen nennt „{ags}“.", theirs.as_str())).with_place(place).with_hint("Prüfen Sie den Schlüssel im Fragebogen, oder wählen Sie mit „--kommune ID“ die richtige Datei in content/kommunen/."));
            return None;
        }
    }
    Some((id, existing))
}

/// How the service's entry changes; `None` leaves it as it is.
fn usage_edit(
    m: Option<&Municipality>,
    layout: &Layout,
    args: &ImportArgs,
    d: &mut Diagnostics,
) -> Result<Option<UsageEdit>, ()> {
    let since = args.since.unwrap_or_else(Date::today).iso();
    let usage = m.and_then(|m| m.usages.iter().find(|u| u.service == layout.facts.id));
    let Some(usage) = usage else {
        return Ok(Some(UsageEdit {
            status: "questionnaire".into(),
            since,
            previous: None,
            history: Vec::new(),
        }));
    };
    let current = &usage.current;
    if current.status == Status::Questionnaire {
        let moved = args.since.is_some_and(|s| s != current.since);
        return Ok(moved.then(|| UsageEdit {
            status: "questionnaire".into(),
            since,
            previous: None,
            history: Vec::new(),
        }));
    }
    // Past the questionnaire (a paused service was live): never set back without --force.
    if matches!(
        current.status,
        Status::Commissioning | Status::Live | Status::Paused
    ) && !args.force
    {
        let name = m.map_or("", |m| m.name.as_str());
        d.push(file_error(args, Code::ImportConflict, format!("„{}“ ist beim Dienst „{}“ schon weiter („{}“ seit {}); der Import setzt den Status nicht auf „questionnaire“ zurück.", name, layout.facts.id, current.status.code(), current.since.iso()), "Ist das gewollt (etwa ein neuer Fragebogen nach einer Pause), rufen Sie den Import mit „--force“ auf; der bisherige Status kommt dann in „history“.".into()));
        return Err(());
    }
    Ok(Some(UsageEdit {
        status: "questionnaire".into(),
        since,
        previous: Some((current.status.code().to_string(), current.since.iso())),
        history: (usage.history.iter())
            .map(|c| (c.status.code().to_string(), c.since.iso()))
            .collect(),
    }))
}

/// The inputs of one person (or one value): group name, field id, parts.
type Group = (String, String, Vec<(String, Node)>);

/// Everything but the public keys, by field id in the order of the sheet:
/// a person as a map of its parts, a repeated field as a list.
pub(crate) fn internal_node(layout: &Layout, answers: &Answers) -> Node {
    const PUBLIC: [&str; 4] = ["kommune", "land", "ags", "oe_id"];
    let mut fields: Vec<(String, Node)> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for input in layout
        .inputs
        .iter()
        .filter(|i| !PUBLIC.contains(&i.field.as_str()))
    {
        let Some(text) = value(answers, &input.name) else {
            continue;
        };
        let group = input
            .person
            .as_ref()
            .map_or(input.name.clone(), |p| p.group.clone());
        let part = input
            .name
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_string();
        let entry = (part, Node::Scalar(text.to_string()));
        match groups.iter_mut().find(|(g, _, _)| *g == group) {
            Some((_, _, parts)) => parts.push(entry),
            None => groups.push((group, input.field.clone(), vec![entry])),
        }
    }
    for (group, field, parts) in groups {
        let is_person = layout
            .inputs
            .iter()
            .any(|i| i.field == field && i.person.is_some());
        let node = if is_person {
            Node::Map(parts)
        } else {
            parts
                .into_iter()
                .next()
                .map(|(_, n)| n)
                .unwrap_or(Node::Scalar(String::new()))
        };
        let repeated = group != field;
        match fields.iter_mut().find(|(f, _)| *f == field) {
            Some((_, Node::List(items))) => items.push(node),
            _ if repeated => fields.push((field, Node::List(vec![node]))),
            _ => fields.push((field, node)),
        }
    }
    if let Some(table) = &layout.pvog {
        const KEYS: [&str; 6] = ["leika", "leistung", "kommune", "ars", "link", "geprueft_am"];
        let rows: Vec<Node> = (answers.pvog.iter())
            .map(|row| {
                Node::Map(
                    (KEYS.iter().zip(row))
                        .filter_map(|(k, v)| Some((k.to_string(), Node::Scalar(v.clone()?))))
                        .collect(),
                )
            })
            .collect();
        if !rows.is_empty() {
            fields.push((table.name.clone(), Node::List(rows)));
        }
    }
    Node::Map(fields)
}

fn write(
    root: &Path,
    site: &Site,
    layout: &Layout,
    answers: &Answers,
    args: &ImportArgs,
    d: &mut Diagnostics,
) -> Option<Change> {
    let (id, existing) = municipality(site, answers, args, d)?;
    let usage = usage_edit(existing, layout, args, d).ok()?;
    let top = [
        ("name", "kommune"),
        ("state", "land"),
        ("ags", "ags"),
        ("oe_id", "oe_id"),
    ];
    let update = Update {
        top: (top.iter())
            .filter_map(|(key, field)| Some((*key, value(answers, field)?.to_string())))
            .collect(),
        service: layout.facts.id.clone(),
        usage,
        internal_key: format!("fragebogen_{}", layout.facts.id.replace('-', "_")),
        internal: internal_node(layout, answers),
    };
    let rel = PathBuf::from(crate::routes::source_file(&format!("kommunen/{id}.yaml")));
    let path = root.join(&rel);
    let old = std::fs::read_to_string(&path).ok();
    let refuse = |d: &mut Diagnostics, why: String| {
        d.push(Diagnostic::error(Code::ImportConflict, &rel, Position::START, format!("Die Datei lässt sich nicht ändern: {why}.")).with_place(SheetPlace::FILE).with_hint("Schreiben Sie die Datei in Blockform (eine Angabe je Zeile, wie im Beispiel im README) und importieren Sie erneut."));
    };
    let new = match edit::apply(old.as_deref().unwrap_or_default(), &update)
        .and_then(|t| edit::verify(&t, &update).map(|()| t))
    {
        Ok(new) => new,
        Err(why) => {
            refuse(d, why);
            return None;
        }
    };
    if !valid(site, &rel, &id, &new, d) {
        return None;
    }
    let unchanged = old.as_deref() == Some(new.as_str());
    let written = !args.dry_run && !unchanged;
    if written {
        if let Err(e) = write_atomically(&path, &new) {
            refuse(d, e.to_string());
            return None;
        }
    }
    Some(Change {
        file: rel,
        old,
        new,
        written,
    })
}

/// The new text reads as a valid municipality file, as `build` reads it.
fn valid(site: &Site, rel: &Path, id: &str, text: &str, d: &mut Diagnostics) -> bool {
    let file = SourceFile::new(
        rel.to_path_buf(),
        crate::routes::source(format!("kommunen/{id}.yaml")),
        text,
    );
    let ids: Vec<&str> = site.services.iter().map(|s| s.id.as_str()).collect();
    let context = MunicipalityContext {
        service_ids: &ids,
        today: None,
    };
    let (_, found) = crate::model::parsers::parse_municipality(&file, context);
    let errors: Vec<Diagnostic> = found.into_iter().filter(Diagnostic::is_error).collect();
    let ok = errors.is_empty();
    for e in errors {
        let message = format!(
            "Nach dem Import wäre die Datei fehlerhaft (Zeile {}): {}",
            e.position.line, e.message
        );
        d.push(Diagnostic {
            message,
            place: Some(Box::new(SheetPlace::FILE)),
            ..e
        });
    }
    ok
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, text.as_bytes())?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The changed lines between two texts (a longest common subsequence of
/// lines): removed lines with `- `, added ones with `+ `, unchanged ones
/// left out.
pub(crate) fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // common[i][j]: length of the common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || common[i][j + 1] >= common[i + 1][j]) {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        }
    }
    out
}
