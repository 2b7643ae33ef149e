//! Runs the browser tests in `tests/browser/` (node's test runner driving
//! Debian's headless Chromium through playwright-core) as part of `cargo test`.
//! The npm packages are installed here (`npm ci`) when they are missing or
//! older than `package-lock.json`; a missing Chromium, Node, npm or Java makes
//! the test fail with the command that installs it — it never skips.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The one line that installs every system prerequisite on Debian/Ubuntu.
const APT_LINE: &str = "sudo apt-get install -y chromium nodejs npm default-jre-headless";

/// Written into `node_modules/` after `npm ci`: the lock file it installed.
const STAMP: &str = "node_modules/.mitnutzung-installed-lock.json";

#[test]
fn browser_tests_pass_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = chromium_path();
    for tool in ["node", "npm", "java"] {
        require_tool(tool);
    }
    install_npm_packages(&dir);
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
        .expect("node was found above");
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

/// `$CHROMIUM`, or Debian's `/usr/bin/chromium`; fails with the install line.
fn chromium_path() -> PathBuf {
    let chromium = PathBuf::from(std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()));
    assert!(
        chromium.exists(),
        "{} is missing. Install the browser-test prerequisites once:\n  {APT_LINE}\n\
         (or set CHROMIUM=/path/to/chromium)",
        chromium.display()
    );
    chromium
}

fn require_tool(tool: &str) {
    let found = Command::new(tool)
        .arg(if tool == "java" {
            "-version"
        } else {
            "--version"
        })
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is missing. Install the browser-test prerequisites once:\n  {APT_LINE}"
    );
}

/// Run `npm ci` when `node_modules` is missing or was installed from another
/// `package-lock.json` than the one checked in.
fn install_npm_packages(dir: &Path) {
    let lock =
        std::fs::read(dir.join("package-lock.json")).expect("package-lock.json is committed");
    if npm_packages_current(dir, &lock) {
        return;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .expect("npm was found above");
    assert!(
        output.status.success(),
        "`npm ci --prefix tests/browser` failed (the npm registry must be reachable):\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(dir.join(STAMP), &lock).expect("node_modules is writable after npm ci");
}

fn npm_packages_current(dir: &Path, lock: &[u8]) -> bool {
    dir.join("node_modules/playwright-core").is_dir()
        && std::fs::read(dir.join(STAMP)).is_ok_and(|stamp| stamp == lock)
}
