//! `mitnutzung serve`: the live preview, until Ctrl-C.

use crate::cli::ServeArgs;
use crate::serve::{self, ServeError, ServeOptions};

pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    serve::run(ServeOptions {
        root: args.root.clone(),
        interface: args.interface,
        port: args.port,
        drafts: args.drafts,
        allow_hosts: args.allow_host.clone(),
    })
}
