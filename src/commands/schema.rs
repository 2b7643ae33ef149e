//! `mitnutzung schema`: write the JSON Schemas of the editor-written files.

use std::path::PathBuf;

use clap::Args;

use crate::fs::{self, FsError};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Folder to write the *.schema.json files into.
    #[arg(
        long,
        default_value = "schemas",
        value_name = "ORDNER",
        hide_default_value = true,
        help = "Ordner für die *.schema.json-Dateien; Standard: schemas"
    )]
    pub out: PathBuf,
}

pub(crate) fn run(args: &SchemaArgs) -> Result<usize, FsError> {
    let schemas = crate::model::schemas();
    for (name, schema) in &schemas {
        let text = serde_json::to_string_pretty(schema).expect("a schema serializes") + "\n";
        fs::write(&args.out.join(name), text.as_bytes())?;
    }
    Ok(schemas.len())
}
