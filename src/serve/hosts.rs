//! Which `Host` (and `Origin`) the preview answers: its own bound address,
//! the loopback names, and the names given with `--allow-host`, each with the
//! preview's port. Everything else is refused, so that a page on another
//! site cannot read the preview through a DNS name rebound to this machine.

use std::net::{IpAddr, SocketAddr};

/// The hosts one preview answers, lowercased, each as `name:port`.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    hosts: Vec<String>,
}

impl AllowedHosts {
    /// The bound address, `localhost`, `127.0.0.1` and `[::1]`, and `extra` names, all with the bound port.
    pub(crate) fn new(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let port = bound.port();
        let mut names = vec![
            host_name(bound.ip()),
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "[::1]".to_string(),
        ];
        names.extend(extra.iter().map(|n| n.to_ascii_lowercase()));
        let mut hosts = Vec::new();
        for name in names {
            hosts.push(format!("{name}:{port}"));
            if port == 80 {
                // Browsers leave out the default port.
                hosts.push(name);
            }
        }
        hosts.dedup();
        AllowedHosts { hosts }
    }

    /// Whether a `Host` header (or a request's authority) names this preview.
    pub(crate) fn host(&self, host: Option<&str>) -> bool {
        host.is_some_and(|h| self.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
    }

    /// Whether an `Origin` header, if sent, is a page of this preview.
    pub(crate) fn origin(&self, origin: Option<&str>) -> bool {
        origin.is_none_or(|o| {
            o.strip_prefix("http://")
                .is_some_and(|rest| self.host(Some(rest)))
        })
    }
}

/// How an address appears in a `Host` header (IPv6 in brackets), without the port.
fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    }
}

/// A name for `--allow-host`: a host name or an IP address, without port.
pub(crate) fn parse_allow_host(text: &str) -> Result<String, String> {
    if let Ok(ip) = text.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(host_name(ip));
    }
    let valid = !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!("„{text}“ ist kein Rechnername und keine IP-Adresse. Geben Sie den Namen ohne Port und ohne http:// an, z. B. --allow-host mein-rechner.local"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_loopback_and_extra_names_with_the_port() {
        let bound: SocketAddr = "127.0.0.1:4321".parse().unwrap();
        let allowed = AllowedHosts::new(bound, &["Vorschau.local".into()]);
        for ok in [
            "127.0.0.1:4321",
            "localhost:4321",
            "LOCALHOST:4321",
            "[::1]:4321",
            "vorschau.local:4321",
        ] {
            assert!(allowed.host(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4321",
            "localhost",
            "localhost:80",
            "127.0.0.1:4322",
            "",
        ] {
            assert!(!allowed.host(Some(bad)), "{bad}");
        }
        assert!(!allowed.host(None));
        assert!(allowed.origin(None));
        assert!(allowed.origin(Some("http://localhost:4321")));
        assert!(!allowed.origin(Some("http://evil.example")));
        assert!(!allowed.origin(Some("https://localhost:4321")));
    }

    #[test]
    fn allow_host_takes_names_and_addresses_only() {
        assert_eq!(parse_allow_host("Rechner.local").unwrap(), "rechner.local");
        assert_eq!(parse_allow_host("192.168.1.5").unwrap(), "192.168.1.5");
        assert_eq!(parse_allow_host("::1").unwrap(), "[::1]");
        assert_eq!(parse_allow_host("[fe80::1]").unwrap(), "[fe80::1]");
        for bad in ["", "rechner:8080", "http://rechner", "a..b", "rech ner"] {
            assert!(parse_allow_host(bad).is_err(), "{bad}");
        }
    }
}
