//! minify-html's rules for tags — void elements, whitespace, closing tag
//! omission — read from `minify-html-common` once per tag name for the names
//! pages use most. The minifier asks these for every tag of every page; the
//! crate answers each question with a hash map lookup, this module with an
//! index into a table filled from those same answers on first use. Any other
//! name is asked of the crate directly, so the answers are always the crate's.

use std::sync::LazyLock;

use minify_html_common::spec::tag::ns::Namespace;
use minify_html_common::spec::tag::omission;
use minify_html_common::spec::tag::void::VOID_TAGS;
use minify_html_common::spec::tag::whitespace::{
    get_whitespace_minification_for_tag, WhitespaceMinification,
};

/// The names with a place in the tables (`""` stands for the root, as in
/// `minify-html-common`), sorted; none longer than 8 bytes (see [`key`]).
const NAMES: [&[u8]; 59] = [
    b"", b"a", b"abbr", b"article", b"aside", b"b", b"body", b"br", b"button", b"caption", b"code",
    b"dd", b"del", b"details", b"div", b"dl", b"dt", b"em", b"figure", b"footer", b"form", b"h1",
    b"h2", b"h3", b"h4", b"h5", b"h6", b"head", b"header", b"hr", b"html", b"i", b"img", b"input",
    b"label", b"li", b"link", b"main", b"meta", b"nav", b"ol", b"p", b"pre", b"s", b"section",
    b"small", b"span", b"strong", b"sub", b"summary", b"sup", b"table", b"tbody", b"td", b"th",
    b"thead", b"time", b"tr", b"ul",
];

/// A name of up to 8 bytes as one number (zero-padded: names hold no zero
/// bytes), so that finding it takes integer comparisons only.
fn key(name: &[u8]) -> Option<u64> {
    if name.len() > 8 {
        return None;
    }
    // Byte by byte: names are short, and a call to `memcpy` would cost more.
    let mut bytes = [0u8; 8];
    for (to, from) in bytes.iter_mut().zip(name) {
        *to = *from;
    }
    Some(u64::from_le_bytes(bytes))
}

/// Slots of the open-addressing table from keys to places in [`NAMES`]
/// (a power of two, at least twice as many as names).
const SLOTS: usize = 256;

/// The first slot to look in for `key` (Fibonacci hashing).
fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The place of `name` in [`NAMES`], if it has one.
fn index(tables: &Tables, name: &[u8]) -> Option<usize> {
    let key = key(name)?;
    let slots = &tables.slots;
    let mut at = slot(key);
    loop {
        let (k, place) = slots[at]?;
        if k == key {
            return Some(place);
        }
        at = (at + 1) % SLOTS;
    }
}

/// The crate's answers for every name (and pair of names) in [`NAMES`].
struct Tables {
    /// The key of each name with its place in [`NAMES`], by [`slot`].
    slots: [Option<(u64, usize)>; SLOTS],
    void: [bool; NAMES.len()],
    whitespace: [&'static WhitespaceMinification; NAMES.len()],
    /// `[before][after]`: `before`'s end tag may be left out when `after` follows.
    omit_before: [[bool; NAMES.len()]; NAMES.len()],
    /// `[parent][child]`: `child`'s end tag may be left out as `parent`'s last node.
    omit_as_last: [[bool; NAMES.len()]; NAMES.len()],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let pairs = |rule: fn(&[u8], &[u8]) -> bool| NAMES.map(|a| NAMES.map(|b| rule(a, b)));
    let mut slots = [None; SLOTS];
    for (place, name) in NAMES.iter().enumerate() {
        // A longer name (the tests forbid one) is not found: never a wrong answer.
        let Some(key) = key(name) else { continue };
        let mut at = slot(key);
        while slots[at].is_some() {
            at = (at + 1) % SLOTS;
        }
        slots[at] = Some((key, place));
    }
    Tables {
        slots,
        void: NAMES.map(|n| VOID_TAGS.contains(n)),
        whitespace: NAMES.map(|n| get_whitespace_minification_for_tag(Namespace::Html, n, false)),
        omit_before: pairs(omission::can_omit_as_before),
        omit_as_last: pairs(omission::can_omit_as_last_node),
    }
});

/// The tables, looked up once by a caller that asks many questions (the
/// first use fills them; every later one would still check that it did).
#[derive(Clone, Copy)]
pub(super) struct Tags(&'static Tables);

/// The tables of tag rules.
pub(super) fn tags() -> Tags {
    Tags(&TABLES)
}

/// A tag name (lowercase) with its place in the tables, found once for all
/// the questions asked about it.
#[derive(Clone, Copy)]
pub(super) struct Name<'n> {
    pub bytes: &'n [u8],
    index: Option<usize>,
}

impl Name<'_> {
    /// The same name, kept without its source when it has a place in the
    /// tables (its bytes are then [`NAMES`]'s own).
    pub(super) fn known(self) -> Option<Name<'static>> {
        let index = self.index?;
        Some(Name {
            bytes: NAMES[index],
            index: Some(index),
        })
    }
}

impl Tags {
    /// `bytes` (a lowercase tag name) with its place in the tables.
    pub(super) fn name(self, bytes: &[u8]) -> Name<'_> {
        Name {
            bytes,
            index: index(self.0, bytes),
        }
    }

    /// Whether `name` is a void element (no end tag).
    pub(super) fn is_void(self, name: Name) -> bool {
        match name.index {
            Some(i) => self.0.void[i],
            None => VOID_TAGS.contains(name.bytes),
        }
    }

    /// minify-html's whitespace rules for the HTML element `name`.
    pub(super) fn whitespace(self, name: Name, in_pre: bool) -> &'static WhitespaceMinification {
        match name.index {
            Some(i) if !in_pre => self.0.whitespace[i],
            _ => get_whitespace_minification_for_tag(Namespace::Html, name.bytes, in_pre),
        }
    }

    /// Whether minify-html ends `before` by itself when `after` starts in it.
    pub(super) fn can_omit_as_before(self, before: Name, after: Name) -> bool {
        match (before.index, after.index) {
            (Some(b), Some(a)) => self.0.omit_before[b][a],
            _ => omission::can_omit_as_before(before.bytes, after.bytes),
        }
    }

    /// Whether minify-html may leave out `child`'s end tag as `parent`'s last node.
    pub(super) fn can_omit_as_last_node(self, parent: Name, child: Name) -> bool {
        match (parent.index, child.index) {
            (Some(p), Some(c)) => self.0.omit_as_last[p][c],
            _ => omission::can_omit_as_last_node(parent.bytes, child.bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_are_sorted_and_unique() {
        assert!(NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(NAMES.iter().all(|n| n.len() <= 8));
        assert!((NAMES.iter().enumerate()).all(|(i, n)| index(&TABLES, n) == Some(i)));
    }

    /// Every answer is the crate's, for names in the tables and others.
    #[test]
    fn answers_are_minify_html_commons() {
        let others: [&[u8]; 6] = [
            b"optgroup",
            b"rp",
            b"x-eigen",
            b"rt",
            b"blockquote",
            b"figcaption",
        ];
        let names: Vec<&[u8]> = NAMES.iter().copied().chain(others).collect();
        let tags = tags();
        for &a in &names {
            let name_a = tags.name(a);
            assert_eq!(tags.is_void(name_a), VOID_TAGS.contains(a));
            for pre in [false, true] {
                let expected = get_whitespace_minification_for_tag(Namespace::Html, a, pre);
                assert!(std::ptr::eq(tags.whitespace(name_a, pre), expected));
            }
            for &b in &names {
                let name_b = tags.name(b);
                assert_eq!(
                    tags.can_omit_as_before(name_a, name_b),
                    omission::can_omit_as_before(a, b)
                );
                assert_eq!(
                    tags.can_omit_as_last_node(name_a, name_b),
                    omission::can_omit_as_last_node(a, b)
                );
            }
        }
    }
}
