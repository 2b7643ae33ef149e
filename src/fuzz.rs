//! The shared configuration of the property tests named `fuzz_*` (test builds
//! only). `cargo test` runs 256 cases per target from a fixed seed, so a run
//! is repeatable; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` override both, which
//! is how `scripts/fuzz.sh` runs rounds with fresh seeds. Failures are not
//! written to `proptest-regressions/`: each one found becomes a named unit test.

use proptest::test_runner::{Config, RngSeed};

/// The seed of a plain `cargo test` run.
const DEFAULT_SEED: u64 = 2026;

pub(crate) fn config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(DEFAULT_SEED);
    }
    config
}
