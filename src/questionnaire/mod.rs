//! The Anbindungsfragebogen from one definition (`daten/fragebogen.yaml`):
//! each service's [`Layout`](layout::Layout), its XLSX workbook
//! ([`workbooks`]), the data the form on the site works from, and the
//! [`rules`] a value must follow wherever it is entered or read back.

pub(crate) mod import;
pub(crate) mod layout;
pub(crate) mod rules;
mod workbook;

use crate::diagnostics::{Code, Diagnostic, Position};
use crate::model::{QuestionnaireFile, Service, Site};
use crate::routes::{self, SitePath};

pub(crate) use layout::{layout, Layout, ServiceFacts};

/// What a questionnaire is made for: `service` of `site`, with its
/// confirmed LeiKa keys only (an unconfirmed key is never offered as the
/// service's).
pub(crate) fn facts(site: &Site, service: &Service) -> ServiceFacts {
    let leikas = (service.leikas.iter())
        .filter_map(|key| site.leikas.get(key))
        .filter(|l| l.confirmed)
        .map(|l| (l.key.as_str().to_string(), l.name.clone()))
        .collect();
    ServiceFacts {
        site: site.config.title.clone(),
        id: service.id.clone(),
        title: service.page.meta.title.clone(),
        mailbox: service.mailbox.as_str().to_string(),
        contact_form: service.contact_form,
        leikas,
    }
}

/// The layout of a service's generated questionnaire; `None` for a service
/// with a file of its own, or while the definition has errors.
pub(crate) fn service_layout(site: &Site, service: &Service) -> Option<Layout> {
    let definition = site.questionnaire.as_ref()?;
    match service.questionnaire {
        Some(QuestionnaireFile::Generated(_)) => Some(layout(definition, facts(site, service))),
        _ => None,
    }
}

/// One generated workbook.
#[derive(Debug, Clone)]
pub(crate) struct GeneratedWorkbook {
    pub service: String,
    pub path: SitePath,
    pub bytes: Vec<u8>,
}

/// The workbook of every service that gets a generated one, in the order of
/// the services; a workbook the format cannot hold is an error.
pub(crate) fn workbooks(site: &Site) -> (Vec<GeneratedWorkbook>, Vec<Diagnostic>) {
    let mut made = Vec::new();
    let mut errors = Vec::new();
    for service in &site.services {
        let Some(layout) = service_layout(site, service) else {
            continue;
        };
        let rel = routes::generated_questionnaire(&service.id);
        match workbook::workbook(&layout) {
            Ok(bytes) => made.push(GeneratedWorkbook {
                service: service.id.clone(),
                path: routes::asset(&rel),
                bytes,
            }),
            Err(e) => errors.push(Diagnostic::error(
                Code::WorkbookLimit,
                routes::source_file(&routes::source("daten/fragebogen.yaml")),
                Position::START,
                format!("Der Fragebogen des Dienstes „{}“ lässt sich nicht als Excel-Datei schreiben: {e}", service.page.meta.title),
            ).with_hint("Kürzen Sie die Texte des Fragebogens (Beschriftungen, Hilfetexte) und die Namen der LeiKa-Schlüssel des Dienstes.")),
        }
    }
    (made, errors)
}
