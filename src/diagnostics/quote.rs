//! Values quoted in messages: cut to a readable length, on one line.

/// At most 60 characters of a target for a message (a `data:` URL can be
/// megabytes), control characters written as references (`&#x09;`) so that
/// the message stays on one line and shows what the editor typed.
pub(crate) fn shorten(target: &str) -> String {
    let mut out = String::new();
    for (i, c) in target.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&format!("&#x{:02X};", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_targets_are_shortened() {
        let long = "x".repeat(100);
        assert_eq!(shorten(&long).chars().count(), 61);
        assert_eq!(shorten("kurz"), "kurz");
        assert_eq!(shorten("jAvA\tscript:"), "jAvA&#x09;script:");
    }
}
