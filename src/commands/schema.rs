//! `mitnutzung schema`: write the JSON Schemas of the editor-written files.

use crate::cli::SchemaArgs;
use crate::fs::{self, FsError};

pub fn run(args: &SchemaArgs) -> Result<usize, FsError> {
    let schemas = crate::model::schemas();
    for (name, schema) in &schemas {
        let text = serde_json::to_string_pretty(schema).expect("a schema serializes") + "\n";
        fs::write(&args.out.join(name), text.as_bytes())?;
    }
    Ok(schemas.len())
}
