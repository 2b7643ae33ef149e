//! Fingerprints: a 64-bit hash of anything hashable, by which the preview
//! tells whether the inputs of a result changed since the last build. The
//! same within one process (a fixed seed), and fast on long texts (foldhash
//! rather than the standard library's SipHash, which resists collisions
//! crafted by an attacker; the inputs here are the editors' own files).

use std::hash::{BuildHasher, Hash};

/// A fingerprint of everything a result was computed from.
pub(crate) type Fingerprint = u64;

/// The fingerprint of `value`.
pub(crate) fn fingerprint(value: &impl Hash) -> Fingerprint {
    foldhash::quality::FixedState::with_seed(0x6d69_746e_7574_7a75).hash_one(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_give_equal_fingerprints_and_a_change_another() {
        let text = "## Vorbereitung\n".repeat(1000);
        assert_eq!(fingerprint(&(&text, 3)), fingerprint(&(text.clone(), 3)));
        assert_ne!(fingerprint(&(&text, 3)), fingerprint(&(&text, 4)));
        assert_ne!(fingerprint(&"a"), fingerprint(&"b"));
    }
}
