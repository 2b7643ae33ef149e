//! `mitnutzung`: the static site generator of the Mitnutzungsportal.
//!
//! Data flows one way: `content` (read files) → `model` (validate) →
//! `render` (Markdown, templates, data files in memory) → `output` (atomic
//! write). `pipeline` shows the order; `cli` is the only place that exits.

#![deny(clippy::too_many_lines)]

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fs;
#[cfg(test)]
mod fuzz;
pub mod highlight;
#[cfg(test)]
mod layering;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod serve;
pub mod slug;
pub mod templates;
