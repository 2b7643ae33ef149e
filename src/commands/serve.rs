//! `mitnutzung serve`: the live preview, until Ctrl-C.

use clap::Args;

use crate::serve::{self, ServeError, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: super::SiteRoot,
    /// Address to listen on; anything but loopback makes the preview reachable from the network.
    #[arg(
        long,
        default_value = "127.0.0.1",
        value_name = "ADRESSE",
        hide_default_value = true,
        help = "IP-Adresse, auf der die Vorschau lauscht; Standard: 127.0.0.1 (nur dieser Rechner). Jede andere macht sie aus dem Netz erreichbar"
    )]
    pub interface: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(
        long,
        default_value_t = 1111,
        value_name = "PORT",
        hide_default_value = true,
        help = "Port der Vorschau; Standard: 1111, 0 wählt einen freien"
    )]
    pub port: u16,
    /// Also show pages marked `draft: true`.
    #[arg(long, help = "Auch Seiten mit „draft: true“ zeigen")]
    pub drafts: bool,
    /// A further host name the preview answers (repeatable), e.g. this machine's name with --interface 0.0.0.0.
    #[arg(
        long,
        value_name = "NAME",
        value_parser = crate::serve::hosts::parse_allow_host,
        help = "Ein weiterer Rechnername, unter dem die Vorschau antwortet (mehrfach möglich), z. B. der Name dieses Rechners mit --interface 0.0.0.0"
    )]
    pub allow_host: Vec<String>,
}

pub(crate) fn run(args: &ServeArgs) -> Result<(), ServeError> {
    serve::run(ServeOptions {
        root: args.site.root.clone(),
        interface: args.interface,
        port: args.port,
        drafts: args.drafts,
        allow_hosts: args.allow_host.clone(),
    })
}
