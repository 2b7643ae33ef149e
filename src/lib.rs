//! `mitnutzung`: the static site generator of the Mitnutzungsportal.
//!
//! Data flows one way: `content` (read files) → `model` (validate) →
//! `render` (plan the outputs, Markdown bodies, pages into a sink) → `links`
//! (the one link check over the finished pages) → `output` (minify, atomic
//! write). `pipeline` shows the order; `cli` is the only place that exits.

#![deny(clippy::too_many_lines)]
#![deny(unreachable_pub)]

mod check;
pub mod cli;
mod commands;
mod config;
pub mod content;
mod diagnostics;
mod feeds;
mod fingerprint;
mod fs;
#[cfg(test)]
mod fuzz;
mod highlight;
#[cfg(test)]
mod layering;
mod links;
mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
mod questionnaire;
mod render;
mod routes;
mod search;
mod serve;
mod slug;
mod templates;
