//! `mitnutzung serve`: the live preview, until Ctrl-C.

use std::path::PathBuf;

use clap::Args;

use crate::serve::{self, ServeError, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (holds content/ and themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on; anything but loopback makes the preview reachable from the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Also show pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// A further host name the preview answers (repeatable), e.g. this machine's name with --interface 0.0.0.0.
    #[arg(long, value_name = "NAME", value_parser = crate::serve::hosts::parse_allow_host)]
    pub allow_host: Vec<String>,
}

pub(crate) fn run(args: &ServeArgs) -> Result<(), ServeError> {
    serve::run(ServeOptions {
        root: args.root.clone(),
        interface: args.interface,
        port: args.port,
        drafts: args.drafts,
        allow_hosts: args.allow_host.clone(),
    })
}
