//! Rebuild the binary whenever the embedded default theme changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/mitnutzung");
}
