//! Small validated values of the domain: LeiKa keys, AGS, Länder, statuses,
//! dates, e-mail addresses, web addresses, phone numbers and slugs. Each parses from text or says, in
//! German, what is wrong and how to write it.

use std::fmt;

use serde::Serialize;

/// A LeiKa key: 14 digits starting with 99.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LeikaKey(String);

impl LeikaKey {
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits = text.chars().all(|c| c.is_ascii_digit());
        if digits && text.len() == 14 && text.starts_with("99") {
            return Ok(LeikaKey(text.to_string()));
        }
        Err(format!(
            "„{text}“ ist kein LeiKa-Schlüssel: er hat genau 14 Ziffern und beginnt mit 99 (z. B. \"99072002077000\")."
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The 16 German Länder with their two-digit AGS prefix.
pub const LAENDER: [(&str, &str); 16] = [
    ("01", "Schleswig-Holstein"),
    ("02", "Hamburg"),
    ("03", "Niedersachsen"),
    ("04", "Bremen"),
    ("05", "Nordrhein-Westfalen"),
    ("06", "Hessen"),
    ("07", "Rheinland-Pfalz"),
    ("08", "Baden-Württemberg"),
    ("09", "Bayern"),
    ("10", "Saarland"),
    ("11", "Berlin"),
    ("12", "Brandenburg"),
    ("13", "Mecklenburg-Vorpommern"),
    ("14", "Sachsen"),
    ("15", "Sachsen-Anhalt"),
    ("16", "Thüringen"),
];

/// One of the 16 Länder, by its official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Land(usize);

impl Land {
    pub fn parse(name: &str) -> Option<Land> {
        LAENDER.iter().position(|(_, n)| *n == name).map(Land)
    }

    pub fn name(self) -> &'static str {
        LAENDER[self.0].1
    }

    pub fn code(self) -> &'static str {
        LAENDER[self.0].0
    }

    pub fn from_code(code: &str) -> Option<Land> {
        LAENDER.iter().position(|(c, _)| *c == code).map(Land)
    }
}

/// Amtlicher Gemeindeschlüssel: 8 digits (Gemeinde) or 5 (Kreis), Land code 01..16 first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Ags(String);

impl Ags {
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits = text.chars().all(|c| c.is_ascii_digit());
        if !digits || !(text.len() == 8 || text.len() == 5) {
            return Err(format!(
                "„{text}“ ist kein Amtlicher Gemeindeschlüssel: er hat 8 Ziffern (Gemeinde) oder 5 (Kreis), z. B. \"16052000\"."
            ));
        }
        if Land::from_code(&text[..2]).is_none() {
            return Err(format!(
                "„{text}“ beginnt nicht mit einer Landesnummer von 01 bis 16."
            ));
        }
        Ok(Ags(text.to_string()))
    }

    pub fn land(&self) -> Land {
        Land::from_code(&self.0[..2]).expect("validated on parse")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a municipality stands with one service, in the guide's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Preparation,
    Information,
    Questionnaire,
    Commissioning,
    Live,
    Paused,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Preparation,
        Status::Information,
        Status::Questionnaire,
        Status::Commissioning,
        Status::Live,
        Status::Paused,
    ];

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Preparation => "preparation",
            Status::Information => "information",
            Status::Questionnaire => "questionnaire",
            Status::Commissioning => "commissioning",
            Status::Live => "live",
            Status::Paused => "paused",
        }
    }

    /// The German label the site shows.
    pub fn label(self) -> &'static str {
        match self {
            Status::Preparation => "Vorbereitung",
            Status::Information => "Informationen hinterlegen",
            Status::Questionnaire => "Fragebogen ausfüllen",
            Status::Commissioning => "In Betrieb nehmen",
            Status::Live => "Live",
            Status::Paused => "Pausiert",
        }
    }

    /// The guide's step (1..4) this status belongs to.
    pub fn step(self) -> Option<u8> {
        match self {
            Status::Preparation => Some(1),
            Status::Information => Some(2),
            Status::Questionnaire => Some(3),
            Status::Commissioning => Some(4),
            Status::Live | Status::Paused => None,
        }
    }

    pub fn codes() -> String {
        Status::ALL.map(Status::code).join(", ")
    }
}

/// A calendar date written as YYYY-MM-DD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let wrong = || {
            format!("„{text}“ ist kein gültiges Datum: schreiben Sie es als JJJJ-MM-TT, z. B. 2026-05-04.")
        };
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9]
                .iter()
                .all(|&i| bytes[i].is_ascii_digit());
        if !shape {
            return Err(wrong());
        }
        let year: u16 = text[..4].parse().map_err(|_| wrong())?;
        let month: u8 = text[5..7].parse().map_err(|_| wrong())?;
        let day: u8 = text[8..].parse().map_err(|_| wrong())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("Den Tag „{text}“ gibt es im Kalender nicht."));
        }
        Ok(Date { year, month, day })
    }

    /// Today's date (UTC) from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Year, month and day.
    pub fn ymd(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// `2026-05-04`. Written digit by digit rather than with `format!`:
    /// pages show tens of thousands of dates, and padding through
    /// `core::fmt` took 3 % of the whole-country build.
    pub fn iso(self) -> String {
        self.iso_text().as_str().to_string()
    }

    /// `04.05.2026`.
    pub fn german(self) -> String {
        self.german_text().as_str().to_string()
    }

    /// [`Date::iso`] without allocating, for writing straight into a view.
    pub fn iso_text(self) -> DateText {
        let (year, month, day) = (self.year.into(), self.month.into(), self.day.into());
        DateText::joined([(year, 4), (month, 2), (day, 2)], b'-')
    }

    /// [`Date::german`] without allocating.
    pub fn german_text(self) -> DateText {
        let (year, month, day) = (self.year.into(), self.month.into(), self.day.into());
        DateText::joined([(day, 2), (month, 2), (year, 4)], b'.')
    }
}

/// A date written out, on the stack: the longest is a `u16` year, two
/// `u8`s of three digits and two separators (13 bytes).
#[derive(Clone, Copy)]
pub struct DateText {
    bytes: [u8; 16],
    len: usize,
}

impl DateText {
    /// Three numbers, each with at least its number of digits, joined by `separator`.
    fn joined(parts: [(u32, usize); 3], separator: u8) -> DateText {
        let mut text = DateText {
            bytes: [0; 16],
            len: 0,
        };
        for (i, (n, width)) in parts.into_iter().enumerate() {
            if i > 0 {
                text.push(separator);
            }
            text.push_padded(n, width);
        }
        text
    }

    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    /// Append `n` in decimal with at least `width` digits, zeros in front (as
    /// `format!("{n:0width$}")` does).
    fn push_padded(&mut self, n: u32, width: usize) {
        let mut digits = [b'0'; 10];
        let mut rest = n;
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for &digit in &digits[start.min(digits.len().saturating_sub(width))..] {
            self.push(digit);
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and separators are ever pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl fmt::Debug for DateText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for DateText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.iso_text().as_str())
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An e-mail address of plausible shape (`name@domain.tld`): nothing that
/// could add headers or a scheme to a `mailto:` link (`?`, `&`, `%`, `:`,
/// spaces) passes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Email(String);

/// What to write instead of an invalid e-mail address.
pub const EMAIL_HINT: &str = "Schreiben Sie nur die Adresse, z. B. info@beispiel.bremen.de, ohne „mailto:“, Leerzeichen oder Zusätze wie „?subject=…“.";

impl Email {
    pub fn parse(text: &str) -> Result<Email, String> {
        let wrong =
            || format!("„{text}“ ist keine gültige E-Mail-Adresse (Form: name@beispiel.de).");
        let (local, domain) = text.split_once('@').ok_or_else(wrong)?;
        let local_ok = !local.is_empty()
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
        if local_ok && domain_ok && text.len() <= 254 {
            Ok(Email(text.to_string()))
        } else {
            Err(wrong())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web address from data: `https://` or `http://`, a host name with a dot
/// (or `localhost`), no spaces or control characters. Anything else
/// (`javascript:`, `data:`, `//host`) is refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(text: &str) -> Result<WebUrl, String> {
        let wrong = |why: &str| {
            format!(
                "„{}“ ist keine Webadresse: {why}.",
                crate::diagnostics::shorten(text)
            )
        };
        let lower = text.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(wrong(
                "erlaubt sind nur Adressen, die mit https:// oder http:// beginnen",
            ));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(wrong("sie enthält Leerzeichen oder Steuerzeichen"));
        }
        let host_ok = url::Url::parse(text)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .is_some_and(|h| h.contains('.') || h == "localhost");
        if !host_ok {
            return Err(wrong("der Rechnername fehlt oder ist unvollständig"));
        }
        Ok(WebUrl(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What to write instead of an invalid web address.
pub const URL_HINT: &str =
    "Schreiben Sie die Adresse vollständig, z. B. https://www.beispiel.bremen.de/kontakt.";

/// A phone number: digits, spaces and `+ ( ) / -`, at least one digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, String> {
        let allowed = text
            .chars()
            .all(|c| c.is_ascii_digit() || " +()/-".contains(c));
        if allowed && text.chars().any(|c| c.is_ascii_digit()) {
            return Ok(Phone(text.to_string()));
        }
        Err(format!(
            "„{}“ ist keine Telefonnummer: erlaubt sind Ziffern, Leerzeichen und + ( ) / -.",
            crate::diagnostics::shorten(text)
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What to write instead of an invalid phone number.
pub const PHONE_HINT: &str = "Schreiben Sie z. B. \"+49 421 361-0\" oder \"0421 / 361 0\".";

/// Whether `text` is a lowercase slug: `a-z`, `0-9`, single hyphens inside.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_format_writes_them() {
        let years = [0u16, 7, 42, 999, 1000, 2026, 9999, 10000, u16::MAX];
        for year in years {
            for (month, day) in [(1u8, 1u8), (5, 4), (12, 31), (0, 0), (99, 255)] {
                let date = Date { year, month, day };
                assert_eq!(date.iso(), format!("{year:04}-{month:02}-{day:02}"));
                assert_eq!(date.german(), format!("{day:02}.{month:02}.{year:04}"));
            }
        }
    }

    #[test]
    fn leika_keys() {
        assert!(LeikaKey::parse("99072002077000").is_ok());
        assert!(LeikaKey::parse("9907200207700").is_err());
        assert!(LeikaKey::parse("98072002077000").is_err());
        assert!(LeikaKey::parse("9907200207700a").is_err());
    }

    #[test]
    fn ags_and_land() {
        let gera = Ags::parse("16052000").unwrap();
        assert_eq!(gera.land().name(), "Thüringen");
        assert!(Ags::parse("04011").is_ok());
        assert!(Ags::parse("1605200").is_err());
        assert!(Ags::parse("17052000").is_err());
        assert_eq!(Land::parse("Bremen").unwrap().code(), "04");
        assert!(Land::parse("Thueringen").is_none());
    }

    #[test]
    fn dates_are_real() {
        assert_eq!(Date::parse("2024-02-29").unwrap().german(), "29.02.2024");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-5-4").is_err());
        assert!(Date::parse("2026-05-04").unwrap() < Date::parse("2026-05-05").unwrap());
    }

    #[test]
    fn days_since_epoch_become_dates() {
        assert_eq!(Date::from_days_since_epoch(0).iso(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(20_785).iso(), "2026-11-28");
        assert_eq!(Date::from_days_since_epoch(19_782).iso(), "2024-02-29");
        assert!(Date::today() > Date::parse("2025-01-01").unwrap());
    }

    #[test]
    fn statuses_in_order() {
        assert_eq!(Status::parse("live"), Some(Status::Live));
        assert!(Status::Preparation < Status::Live);
        assert_eq!(Status::Commissioning.step(), Some(4));
        assert_eq!(Status::parse("Live"), None);
    }

    #[test]
    fn emails_and_slugs() {
        assert!(Email::parse("hze@betriebskoordination.bremen.de").is_ok());
        assert!(Email::parse("vorname.nachname+team@x-y.bremen.de").is_ok());
        assert!(Email::parse("info@müllabfuhr.de").is_ok());
        assert!(Email::parse("hze@bremen").is_err());
        assert!(Email::parse("h ze@bremen.de").is_err());
        for bad in [
            "a@b.de?subject=Hallo",
            "a@b.de?bcc=x@evil.de",
            "a@b.de&cc=x@evil.de",
            "a%3Fsubject@b.de",
            "mailto:a@b.de",
            "javascript:alert(1)@b.de",
            "javascript:alert(1)//@b.de",
            "a@b.de\n",
            ".a@b.de",
            "a..b@b.de",
            "a@b-.de",
            "a@1.2.3.4",
            "a@b@c.de",
            "\"a\"@b.de",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(is_slug("hilfen-zur-erziehung"));
        assert!(!is_slug("Hilfen_zur"));
        assert!(!is_slug("a--b"));
    }

    #[test]
    fn web_urls_are_http_with_a_host() {
        for ok in [
            "https://www.bremen.de/",
            "http://beispiel.de/pfad?x=1#a",
            "HTTPS://WWW.BREMEN.DE",
            "http://localhost:8080/",
        ] {
            assert!(WebUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(document.domain)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "//www.bremen.de/",
            "www.bremen.de",
            "https:www.bremen.de",
            "https://",
            "https://bremen",
            "https://www.bremen.de/ seite",
            "https://www.bremen.de/\tseite",
            "ftp://bremen.de/",
            "mailto:a@b.de",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phones_are_digits_and_separators() {
        for ok in ["+49 421 361-0", "0421 / 361 0", "(0421) 361-12345", "115"] {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            " ",
            "+49 421 ABC",
            "javascript:alert(1)",
            "0421;ext=1",
            "0421\n1",
            "+-/()",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad:?}");
        }
    }
}
