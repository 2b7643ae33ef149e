//! Every diagnostic code the crate emits, in one enum: its stable kebab-case
//! name (printed in the human format, the JSON report and GitHub annotations),
//! its severity and a one-sentence meaning. README's table of codes is
//! rendered from [`Code::ALL`]; a unit test keeps the two in step.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Severity;

/// A stable, machine-readable name for one kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    AgsLandMismatch,
    BrokenAnchor,
    BrokenLink,
    DuplicateFieldId,
    DuplicateId,
    DuplicateKey,
    DuplicateLeika,
    DuplicateMunicipality,
    DuplicateState,
    DuplicateStep,
    DuplicateUrl,
    EmptySection,
    EmptyTitle,
    ErrorInCell,
    FileName,
    FileTooLarge,
    FormulaInCell,
    FutureDate,
    HistoryOrder,
    ImportConflict,
    InvalidAgs,
    InvalidAlias,
    InvalidArs,
    InvalidBaseUrl,
    InvalidDate,
    InvalidEmail,
    InvalidFieldId,
    InvalidId,
    InvalidKeyword,
    InvalidLeika,
    InvalidNote,
    InvalidPhone,
    InvalidRepeat,
    InvalidUrl,
    InvalidUtf8,
    LinkToDraft,
    MalformedUrl,
    MisplacedFile,
    MissingDescription,
    MissingDownload,
    MissingFile,
    MissingKey,
    MissingValue,
    NewsDate,
    NoLeika,
    NoQuestionnaire,
    NotAQuestionnaire,
    NulByte,
    OrphanDownload,
    OutdatedQuestionnaire,
    PhoneAsNumber,
    Shortcode,
    ShortcodeSyntax,
    StatusWithoutDate,
    StepName,
    SymlinkIgnored,
    Template,
    ThemeIo,
    TooDeep,
    TooLong,
    UnclosedFrontMatter,
    UnconfirmedLeika,
    UnknownAgreement,
    UnknownCodeLanguage,
    UnknownCondition,
    UnknownContact,
    UnknownFieldType,
    UnknownHighlightTheme,
    UnknownKey,
    UnknownLeika,
    UnknownService,
    UnknownState,
    UnknownStatus,
    UnknownTemplate,
    UnknownTheme,
    UnsafeHtml,
    UnsafeLink,
    UnusualOeId,
    WorkbookLimit,
    WrongType,
    YamlSyntax,
    YamlTag,
}

impl Code {
    /// Every code, in the order of the enum (alphabetical by name).
    pub const ALL: [Code; 82] = [
        Code::AgsLandMismatch,
        Code::BrokenAnchor,
        Code::BrokenLink,
        Code::DuplicateFieldId,
        Code::DuplicateId,
        Code::DuplicateKey,
        Code::DuplicateLeika,
        Code::DuplicateMunicipality,
        Code::DuplicateState,
        Code::DuplicateStep,
        Code::DuplicateUrl,
        Code::EmptySection,
        Code::EmptyTitle,
        Code::ErrorInCell,
        Code::FileName,
        Code::FileTooLarge,
        Code::FormulaInCell,
        Code::FutureDate,
        Code::HistoryOrder,
        Code::ImportConflict,
        Code::InvalidAgs,
        Code::InvalidAlias,
        Code::InvalidArs,
        Code::InvalidBaseUrl,
        Code::InvalidDate,
        Code::InvalidEmail,
        Code::InvalidFieldId,
        Code::InvalidId,
        Code::InvalidKeyword,
        Code::InvalidLeika,
        Code::InvalidNote,
        Code::InvalidPhone,
        Code::InvalidRepeat,
        Code::InvalidUrl,
        Code::InvalidUtf8,
        Code::LinkToDraft,
        Code::MalformedUrl,
        Code::MisplacedFile,
        Code::MissingDescription,
        Code::MissingDownload,
        Code::MissingFile,
        Code::MissingKey,
        Code::MissingValue,
        Code::NewsDate,
        Code::NoLeika,
        Code::NoQuestionnaire,
        Code::NotAQuestionnaire,
        Code::NulByte,
        Code::OrphanDownload,
        Code::OutdatedQuestionnaire,
        Code::PhoneAsNumber,
        Code::Shortcode,
        Code::ShortcodeSyntax,
        Code::StatusWithoutDate,
        Code::StepName,
        Code::SymlinkIgnored,
        Code::Template,
        Code::ThemeIo,
        Code::TooDeep,
        Code::TooLong,
        Code::UnclosedFrontMatter,
        Code::UnconfirmedLeika,
        Code::UnknownAgreement,
        Code::UnknownCodeLanguage,
        Code::UnknownCondition,
        Code::UnknownContact,
        Code::UnknownFieldType,
        Code::UnknownHighlightTheme,
        Code::UnknownKey,
        Code::UnknownLeika,
        Code::UnknownService,
        Code::UnknownState,
        Code::UnknownStatus,
        Code::UnknownTemplate,
        Code::UnknownTheme,
        Code::UnsafeHtml,
        Code::UnsafeLink,
        Code::UnusualOeId,
        Code::WorkbookLimit,
        Code::WrongType,
        Code::YamlSyntax,
        Code::YamlTag,
    ];

    /// The stable kebab-case name, e.g. `broken-anchor`.
    #[allow(clippy::too_many_lines)] // one line per code
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::AgsLandMismatch => "ags-land-mismatch",
            Code::BrokenAnchor => "broken-anchor",
            Code::BrokenLink => "broken-link",
            Code::DuplicateFieldId => "duplicate-field-id",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateKey => "duplicate-key",
            Code::DuplicateLeika => "duplicate-leika",
            Code::DuplicateMunicipality => "duplicate-municipality",
            Code::DuplicateState => "duplicate-state",
            Code::DuplicateStep => "duplicate-step",
            Code::DuplicateUrl => "duplicate-url",
            Code::EmptySection => "empty-section",
            Code::EmptyTitle => "empty-title",
            Code::FileName => "file-name",
            Code::FileTooLarge => "file-too-large",
            Code::FutureDate => "future-date",
            Code::HistoryOrder => "history-order",
            Code::InvalidAgs => "invalid-ags",
            Code::InvalidAlias => "invalid-alias",
            Code::InvalidBaseUrl => "invalid-base-url",
            Code::InvalidDate => "invalid-date",
            Code::InvalidEmail => "invalid-email",
            Code::InvalidFieldId => "invalid-field-id",
            Code::InvalidKeyword => "invalid-keyword",
            Code::InvalidId => "invalid-id",
            Code::InvalidLeika => "invalid-leika",
            Code::InvalidNote => "invalid-note",
            Code::InvalidPhone => "invalid-phone",
            Code::InvalidRepeat => "invalid-repeat",
            Code::InvalidUrl => "invalid-url",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::LinkToDraft => "link-to-draft",
            Code::MalformedUrl => "malformed-url",
            Code::MisplacedFile => "misplaced-file",
            Code::MissingDescription => "missing-description",
            Code::MissingDownload => "missing-download",
            Code::MissingFile => "missing-file",
            Code::MissingKey => "missing-key",
            Code::NoLeika => "no-leika",
            Code::NoQuestionnaire => "no-questionnaire",
            Code::NulByte => "nul-byte",
            Code::OrphanDownload => "orphan-download",
            Code::Shortcode => "shortcode",
            Code::ShortcodeSyntax => "shortcode-syntax",
            Code::StatusWithoutDate => "status-without-date",
            Code::StepName => "step-name",
            Code::SymlinkIgnored => "symlink-ignored",
            Code::Template => "template",
            Code::ThemeIo => "theme-io",
            Code::TooDeep => "too-deep",
            Code::TooLong => "too-long",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::UnconfirmedLeika => "unconfirmed-leika",
            Code::UnknownAgreement => "unknown-agreement",
            Code::UnknownCodeLanguage => "unknown-code-language",
            Code::UnknownCondition => "unknown-condition",
            Code::UnknownContact => "unknown-contact",
            Code::UnknownFieldType => "unknown-field-type",
            Code::UnknownHighlightTheme => "unknown-highlight-theme",
            Code::UnknownKey => "unknown-key",
            Code::UnknownLeika => "unknown-leika",
            Code::UnknownService => "unknown-service",
            Code::UnknownState => "unknown-state",
            Code::UnknownStatus => "unknown-status",
            Code::UnknownTemplate => "unknown-template",
            Code::UnknownTheme => "unknown-theme",
            Code::UnsafeHtml => "unsafe-html",
            Code::UnsafeLink => "unsafe-link",
            Code::UnusualOeId => "unusual-oe-id",
            Code::ErrorInCell => "error-in-cell",
            Code::FormulaInCell => "formula-in-cell",
            Code::ImportConflict => "import-conflict",
            Code::InvalidArs => "invalid-ars",
            Code::MissingValue => "missing-value",
            Code::NewsDate => "news-date",
            Code::NotAQuestionnaire => "not-a-questionnaire",
            Code::OutdatedQuestionnaire => "outdated-questionnaire",
            Code::PhoneAsNumber => "phone-as-number",
            Code::WorkbookLimit => "workbook-limit",
            Code::WrongType => "wrong-type",
            Code::YamlSyntax => "yaml-syntax",
            Code::YamlTag => "yaml-tag",
        }
    }

    /// Whether a problem of this kind stops the build (fixed per code).
    pub const fn severity(self) -> Severity {
        match self {
            Code::MissingDescription
            | Code::NoLeika
            | Code::UnconfirmedLeika
            | Code::NoQuestionnaire
            | Code::OrphanDownload
            | Code::SymlinkIgnored
            | Code::UnknownCodeLanguage
            | Code::UnsafeHtml
            | Code::UnusualOeId
            | Code::OutdatedQuestionnaire
            | Code::PhoneAsNumber => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What the code means, in one English sentence (README's table).
    #[allow(clippy::too_many_lines)] // one line per code
    pub const fn meaning(self) -> &'static str {
        match self {
            Code::AgsLandMismatch => "A municipality's AGS starts with the code of another Land than its `state`.",
            Code::BrokenAnchor => "A link's `#anchor` names no id on the target page.",
            Code::BrokenLink => "A link (`@/file.md` in Markdown, or `/path/` in a page or template) points to no file of the site.",
            Code::DuplicateFieldId => "Two fields, or two sections, in `daten/fragebogen.yaml` have the same id.",
            Code::DuplicateId => "An id appears twice in `daten/kontakte.yaml`.",
            Code::DuplicateKey => "A key is written twice in one YAML mapping, at any depth.",
            Code::DuplicateLeika => "A LeiKa key appears twice in `daten/leikas.yaml`.",
            Code::DuplicateMunicipality => "Two municipality files of one Land have the same name.",
            Code::DuplicateState => "A Land appears twice in `daten/laender.yaml`.",
            Code::DuplicateStep => "Two step files have the same number.",
            Code::DuplicateUrl => "Two sources (pages, aliases, generated files, theme files) would write the same output file.",
            Code::EmptySection => "A section in `daten/fragebogen.yaml` has no field, or the file has no section.",
            Code::EmptyTitle => "A page's `title` is empty.",
            Code::FileName => "A file or folder name does not make a clean address (lower-case letters, digits, hyphens).",
            Code::FileTooLarge => "A Markdown or YAML file is larger than 10 MB.",
            Code::FutureDate => "A status date lies after today (`check` only).",
            Code::HistoryOrder => "A municipality's status `history` goes back in time.",
            Code::InvalidAgs => "An `ags` is not an official municipality key (8 digits, or 5 for a district).",
            Code::InvalidAlias => "An entry of `aliases` is not a path from the site root.",
            Code::InvalidBaseUrl => "`base_url` in `site.yaml` is not an absolute `https://`/`http://` address.",
            Code::InvalidDate => "A date is not a real day written as `YYYY-MM-DD`.",
            Code::InvalidEmail => "A mailbox or contact e-mail address (also in `daten/laender.yaml`) is not a plain e-mail address.",
            Code::InvalidFieldId => "A section or field id in `daten/fragebogen.yaml` is not lower-case letters, digits and `_` starting with a letter (at most 64), or reads as an Excel cell such as `ab12`.",
            Code::InvalidKeyword => "A `keywords:` entry of a page is empty or given twice.",
            Code::InvalidId => "A contact id holds characters other than lower-case letters, digits and hyphens.",
            Code::InvalidLeika => "A LeiKa key is not 14 digits starting with `99`.",
            Code::InvalidNote => "A Land's `note` in `daten/laender.yaml` is more than one paragraph, or holds HTML or an image.",
            Code::InvalidPhone => "A contact's `phone` holds characters other than digits, spaces and `+ ( ) / -`.",
            Code::InvalidRepeat => "A `pvog_links` field in `daten/fragebogen.yaml` has `repeat: true`, though it is a table of rows anyway.",
            Code::InvalidUrl => "A contact's `url` (also in `daten/laender.yaml`, or a link in a Land's `note`) is not an `https://`/`http://` address with a host.",
            Code::InvalidUtf8 => "A Markdown or YAML file is not valid UTF-8 text.",
            Code::LinkToDraft => "A link points to a page with `draft: true`, which is not published.",
            Code::MalformedUrl => "A web address in Markdown is malformed (`www.…` without `https://`, spaces, no host).",
            Code::MisplacedFile => "A file lies where the site format does not expect one.",
            Code::MissingDescription => "A page has no `description` (for a service, no `summary` either).",
            Code::MissingDownload => "A `questionnaire` names a file that is not in `content/downloads/`.",
            Code::MissingFile => "A file the site needs (`site.yaml`, `index.md`, the `content/` folder) is missing.",
            Code::MissingKey => "A required key is missing.",
            Code::NoLeika => "A service has no LeiKa key yet.",
            Code::NoQuestionnaire => "A service has no questionnaire yet.",
            Code::NulByte => "A Markdown or YAML file holds a NUL character.",
            Code::OrphanDownload => "A file in `content/downloads/` is linked from no page.",
            Code::Shortcode => "A shortcode is unknown, lacks an argument or has one its template does not read.",
            Code::ShortcodeSyntax => "A shortcode is malformed (`{{ name(key=\"value\") }}`).",
            Code::StatusWithoutDate => "A status has no `since` date.",
            Code::StepName => "A step file is not named `NN-name.md`.",
            Code::SymlinkIgnored => "A symbolic link in `content/` or the theme is neither followed nor published.",
            Code::Template => "A theme template fails to render.",
            Code::ThemeIo => "The theme's files cannot be read.",
            Code::TooDeep => "Markdown or a rendered page nests elements deeper than can be built.",
            Code::TooLong => "A title, name or `topic` is over 300 characters, a description or summary over 1,000.",
            Code::UnclosedFrontMatter => "The front matter is opened with `---` but never closed.",
            Code::UnconfirmedLeika => "A service names a LeiKa key marked `confirmed: false`; its page does not show it.",
            Code::UnknownAgreement => "An `agreement` in `daten/laender.yaml` is not `yes`, `no`, `in_progress` or `unknown`.",
            Code::UnknownCodeLanguage => "A fenced code block names a language without highlighting.",
            Code::UnknownCondition => "A field's `when` in `daten/fragebogen.yaml` names no known condition (`contact_form`).",
            Code::UnknownContact => "A service names a contact that `daten/kontakte.yaml` does not define.",
            Code::UnknownFieldType => "A field's `type` in `daten/fragebogen.yaml` is not one of the known field types.",
            Code::UnknownHighlightTheme => "`highlight_theme` in `site.yaml` names no known colour scheme.",
            Code::UnknownKey => "A YAML key is not part of the site format.",
            Code::UnknownLeika => "A service names a LeiKa key that `daten/leikas.yaml` does not list.",
            Code::UnknownService => "A municipality file names a service that has no page in `content/dienste/`.",
            Code::UnknownState => "A `state` (of a municipality or in `daten/laender.yaml`) is not the name of a German Land.",
            Code::UnknownStatus => "A status is not one of the known status codes.",
            Code::UnknownTemplate => "A page asks for a `template` the theme does not have.",
            Code::UnknownTheme => "`theme` in `site.yaml` names a folder that `themes/` does not hold.",
            Code::UnsafeHtml => "Raw HTML in Markdown would run code (`<script>`, `on…=` attributes, `javascript:` addresses).",
            Code::UnsafeLink => "A link or image uses a scheme other than `https:`, `http:`, `mailto:` or `tel:`.",
            Code::UnusualOeId => "An organisational unit id has an unusual form.",
            Code::ErrorInCell => "A cell of a returned questionnaire shows an Excel error (`#DIV/0!`, `#N/A` …) instead of a value (`import`).",
            Code::FormulaInCell => "A cell of a returned questionnaire holds a formula instead of a value (`import`).",
            Code::ImportConflict => "A returned questionnaire contradicts the site: another service than `--service`, another AGS than the municipality's file, or a status past the questionnaire without `--force` (`import`).",
            Code::InvalidArs => "An ARS (Amtlicher Regionalschlüssel) in a returned questionnaire is not 12 digits starting with a Land's number (`import`).",
            Code::MissingValue => "A required field of a returned questionnaire is empty, or a contact person or PVOG row lacks a part it needs (`import`).",
            Code::NewsDate => "A news file's name does not start with a real date (`YYYY-MM-DD-slug.md`), or its `date:` differs from that date.",
            Code::NotAQuestionnaire => "A file given to `import` is not an Anbindungsfragebogen of this site (another XLSX, a damaged file, another site's questionnaire).",
            Code::OutdatedQuestionnaire => "A returned questionnaire was made from another version of `daten/fragebogen.yaml`; it is still read by field name (`import`).",
            Code::PhoneAsNumber => "A phone number of a returned questionnaire arrived as a number, so a leading 0 may be lost; it is imported as it arrived (`import`).",
            Code::WorkbookLimit => "A service's generated questionnaire cannot be written as XLSX: a text of `daten/fragebogen.yaml` or of the service exceeds a limit of the format.",
            Code::WrongType => "A number, `true`/`false`, a list or no value stands where a text is required.",
            Code::YamlSyntax => "A YAML file or front matter cannot be parsed.",
            Code::YamlTag => "A YAML tag such as `!!binary` or `!name` is used.",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialised as its kebab-case name, so reports stay plain strings.
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "<!-- codes:start -->\n";
    const END: &str = "<!-- codes:end -->";

    /// The variant names as written in this file's `enum Code`, in order:
    /// independent of `ALL`, so a variant left out of `ALL` is found.
    fn declared_variants() -> Vec<&'static str> {
        let source = include_str!("code.rs");
        let body = source
            .split_once("pub enum Code {\n")
            .and_then(|(_, rest)| rest.split_once("\n}"))
            .map(|(body, _)| body)
            .expect("code.rs declares `pub enum Code`");
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .map(|l| l.trim_end_matches(','))
            .collect()
    }

    #[test]
    fn all_holds_every_variant_once_in_declaration_order() {
        let listed: Vec<String> = Code::ALL.iter().map(|c| format!("{c:?}")).collect();
        assert_eq!(listed, declared_variants());
    }

    #[test]
    fn names_are_unique_kebab_case_and_sorted() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "names sorted (the enum's Ord follows them) and unique"
        );
        for name in names {
            assert!(
                !name.is_empty()
                    && name.split('-').all(|part| !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{name} is not kebab-case"
            );
        }
        assert_eq!(Code::BrokenAnchor.as_str(), "broken-anchor");
        assert_eq!(Code::YamlTag.to_string(), "yaml-tag");
    }

    #[test]
    fn meanings_are_one_sentence() {
        for code in Code::ALL {
            let meaning = code.meaning();
            assert!(
                meaning.ends_with('.') && !meaning.trim_end_matches('.').contains(". "),
                "{code}: {meaning}"
            );
        }
    }

    #[test]
    fn serialises_as_its_name() {
        assert_eq!(
            serde_json::to_string(&Code::UnknownKey).unwrap(),
            "\"unknown-key\""
        );
    }

    /// README's table of codes: one row per code.
    fn table() -> String {
        let mut out = String::from("| code | severity | meaning |\n| --- | --- | --- |\n");
        for code in Code::ALL {
            let severity = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("| `{code}` | {severity} | {} |\n", code.meaning()));
        }
        out
    }

    #[test]
    fn readme_table_of_codes_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).expect("README.md is readable");
        let (before, rest) = readme
            .split_once(START)
            .expect("README has <!-- codes:start -->");
        let (current, after) = rest.split_once(END).expect("README has <!-- codes:end -->");
        let wanted = table();
        if std::env::var_os("MITNUTZUNG_BLESS").is_some() {
            std::fs::write(path, format!("{before}{START}{wanted}{END}{after}"))
                .expect("README.md is writable");
            return;
        }
        assert!(
            current == wanted,
            "README's table of diagnostic codes is stale; rewrite it with\n  MITNUTZUNG_BLESS=1 cargo test --lib diagnostics\n--- README\n{current}--- Code::ALL\n{wanted}"
        );
    }
}
