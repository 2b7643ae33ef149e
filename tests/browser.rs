//! Runs the browser tests in `tests/browser/` (node's test runner driving
//! Debian's headless Chromium through playwright-core) as part of `cargo test`.
//! `.ci/run` installs Chromium and the npm packages; on a machine without
//! them this test fails and says how to install them — it never skips.

use std::path::Path;
use std::process::Command;

#[test]
fn browser_tests_pass_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "npm packages for the browser tests are missing: run `npm ci --prefix tests/browser` (bash .ci/run does this)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: run `apt-get install chromium` (bash .ci/run does this)"
    );
    let output = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .current_dir(&dir)
        .env("MITNUTZUNG_BIN", env!("CARGO_BIN_EXE_mitnutzung"))
        .env(
            "MITNUTZUNG_FIXTURES",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        )
        .env("CHROMIUM", &chromium)
        .env("MITNUTZUNG_ROOT", env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node runs (apt-get install nodejs)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "browser tests failed:\n{report}");
    let passed: usize = report
        .lines()
        .find_map(|l| l.trim_start_matches(['ℹ', '#', ' ']).strip_prefix("pass "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(passed > 0, "no browser test ran:\n{report}");
}
