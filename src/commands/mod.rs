//! One function per subcommand, each a short readable sequence.

pub mod build;
pub mod check;
pub mod schema;
pub mod serve;
