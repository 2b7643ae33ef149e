//! One function per subcommand, each a short readable sequence.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod schema;
pub(crate) mod serve;
