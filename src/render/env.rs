//! What Markdown rendering needs from the site: `@/` link targets and
//! shortcodes rendered through the theme, with the service in context.

use tera::Context;

use crate::markdown::shortcodes::{self, ArgValue, Call};
use crate::markdown::Env;
use crate::model::Site;
use crate::routes::{Routes, SourcePath};
use crate::templates::views::ServiceView;
use crate::templates::Theme;

/// The Markdown environment of one rendering: generic, or for one service.
pub(super) struct MarkdownEnv<'a> {
    pub site: &'a Site,
    pub routes: &'a Routes,
    pub theme: &'a Theme,
    /// Context holding `site`; shortcodes add `service` and their arguments.
    pub base: &'a Context,
    pub service: Option<&'a ServiceView>,
}

impl Env for MarkdownEnv<'_> {
    fn resolve(&self, source: &str) -> Option<String> {
        self.site
            .link_targets
            .get(source)
            .map(|path| self.routes.url(path))
    }

    fn base_path(&self) -> &str {
        self.routes.base().path()
    }

    fn known_sources(&self) -> Vec<&str> {
        self.site
            .link_targets
            .keys()
            .map(SourcePath::as_str)
            .collect()
    }

    fn is_draft(&self, source: &str) -> bool {
        self.site.drafts.iter().any(|d| d == source)
    }

    fn has_errors(&self, source: &str) -> bool {
        self.site.with_errors.iter().any(|s| s == source)
    }

    fn shortcode(&self, call: &Call) -> Result<String, (String, Option<String>)> {
        let template = self.theme.check_shortcode(&call.name)?;
        if !call.args.is_empty() {
            let accepted = self.theme.template_arguments(&template);
            shortcodes::check_arguments(call, &accepted)?;
        }
        if self.names_contact_with_errors(call) {
            // Reported at the contact; the build fails, the page is still checked.
            return Ok(String::new());
        }
        self.check_contact(call)?;
        let mut context = self.base.clone();
        context.insert("service", &self.service);
        for (key, value) in &call.args {
            match value {
                ArgValue::Str(s) => context.insert(key, s),
                ArgValue::Int(i) => context.insert(key, i),
                ArgValue::Float(f) => context.insert(key, f),
                ArgValue::Bool(b) => context.insert(key, b),
            }
        }
        self.theme
            .render(&template, &context)
            .map(|html| html.trim().to_string())
            .map_err(|d| {
                (
                    format!(
                        "Der Shortcode „{}“ lässt sich nicht darstellen. {}",
                        call.name, d.message
                    ),
                    d.hint,
                )
            })
    }
}

impl MarkdownEnv<'_> {
    fn names_contact_with_errors(&self, call: &Call) -> bool {
        call.name == "contact" && call.args.iter().any(|(key, value)| {
            key == "id"
                && matches!(value, ArgValue::Str(id) if self.site.contacts_with_errors.contains(id))
        })
    }

    /// `contact(id="…")` must name a contact of `daten/kontakte.yaml`.
    fn check_contact(&self, call: &Call) -> Result<(), (String, Option<String>)> {
        if call.name != "contact" {
            return Ok(());
        }
        let id = call.args.iter().find(|(k, _)| k == "id").map(|(_, v)| v);
        let known: Vec<&str> = self.site.contacts.keys().map(String::as_str).collect();
        let list = if known.is_empty() {
            "In content/daten/kontakte.yaml ist noch kein Kontakt eingetragen.".to_string()
        } else {
            format!("Bekannte Kontakte: {}.", known.join(", "))
        };
        match id {
            Some(ArgValue::Str(id)) if self.site.contacts.contains_key(id) => Ok(()),
            Some(ArgValue::Str(id)) => {
                let hint = crate::diagnostics::suggestion_then(
                    crate::diagnostics::did_you_mean(id, known.iter().copied()),
                    list,
                );
                Err((
                    format!("Den Kontakt „{id}“ gibt es in content/daten/kontakte.yaml nicht."),
                    Some(hint),
                ))
            }
            _ => Err((
                "Der Shortcode „contact“ braucht eine Kennung: {{ contact(id=\"…\") }}.".into(),
                Some(list),
            )),
        }
    }
}
