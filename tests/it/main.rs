//! The one integration test binary: each module is one area of the
//! specification, run against the real `mitnutzung` binary on sites built
//! from `tests/fixtures/`. One binary links once, so `cargo test` after a
//! change builds and starts much less than one binary per file.
//! Run one area with `cargo test --test it <module>`, e.g.
//! `cargo test --test it editor_mistakes`.

mod common;

mod bench_corpus;
mod browser;
mod build_output;
mod check;
mod command_line;
mod deep_nesting;
mod default_site;
mod editor_mistakes;
mod form;
mod fragebogen;
mod import;
mod laender;
mod minify;
mod news;
mod questionnaire_xlsx;
mod schemas;
mod search;
mod serve;
mod symlinks;
