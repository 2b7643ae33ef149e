//! Deserialization helpers that refuse what the YAML crate would let through
//! silently: [`UniqueMap`] (a mapping whose keys must not repeat; the later
//! entry would win), [`AnyYaml`] (arbitrary YAML, such as `internal:`, read
//! only to check that none of its mappings repeats a key) and [`Text`] (a
//! text field that refuses numbers, `true`/`false`, empty values and texts
//! longer than its bound). Their error texts start with the prefixes of
//! `content::yaml`, which turns them into German diagnostics.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::content::yaml::{DUPLICATE_KEY, TOO_LONG};

/// A mapping from text keys to values in which every key occurs once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueMap<V>(pub BTreeMap<String, V>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        UniqueMap(BTreeMap::new())
    }
}

impl<V> std::ops::Deref for UniqueMap<V> {
    type Target = BTreeMap<String, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("{DUPLICATE_KEY}{key}`"))
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(duplicate(&key));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueMap(out))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for UniqueMap<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        BTreeMap::<String, V>::schema_name()
    }
    fn inline_schema() -> bool {
        BTreeMap::<String, V>::inline_schema()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        BTreeMap::<String, V>::json_schema(generator)
    }
}

/// Any YAML value, dropped after reading; a mapping with a repeated key
/// (at any depth) is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnyYaml;

impl<'de> Deserialize<'de> for AnyYaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyVisitor)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = AnyYaml;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_i64<E>(self, _: i64) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_u64<E>(self, _: u64) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_i128<E>(self, _: i128) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_u128<E>(self, _: u128) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_f64<E>(self, _: f64) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_str<E>(self, _: &str) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_unit<E>(self) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_none<E>(self) -> Result<AnyYaml, E> {
        Ok(AnyYaml)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<AnyYaml, D::Error> {
        AnyYaml::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyYaml, A::Error> {
        while seq.next_element::<AnyYaml>()?.is_some() {}
        Ok(AnyYaml)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyYaml, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<KeyText>()? {
            if let KeyText(Some(key)) = key {
                if !seen.insert(key.clone()) {
                    return Err(duplicate(&key));
                }
            }
            map.next_value::<AnyYaml>()?;
        }
        Ok(AnyYaml)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<AnyYaml, A::Error> {
        let (_, variant) = data.variant::<AnyYaml>()?;
        de::VariantAccess::newtype_variant::<AnyYaml>(variant)
    }
}

/// A mapping key as written, when it is a scalar (complex keys are not compared).
struct KeyText(Option<String>);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(Some(v.to_string())))
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(Some("~".into())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<KeyText, A::Error> {
                AnyVisitor.visit_seq(seq).map(|_| KeyText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<KeyText, A::Error> {
                AnyVisitor.visit_map(map).map(|_| KeyText(None))
            }
            fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<KeyText, A::Error> {
                AnyVisitor.visit_enum(data).map(|_| KeyText(None))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// A text an editor writes (a title, a name), at most `MAX` characters.
/// Numbers, `true`/`false` and empty values are refused: they are almost
/// always a mistake, and quoting them says that the text is meant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Text<const MAX: usize>(pub String);

/// Titles and names.
pub type Name = Text<300>;
/// Descriptions and summaries.
pub type Description = Text<1000>;

impl<const MAX: usize> Text<MAX> {
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<const MAX: usize>;
        impl<'v, const MAX: usize> Visitor<'v> for TextVisitor<MAX> {
            type Value = Text<MAX>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<MAX>, E> {
                let count = v.chars().count();
                if count > MAX {
                    return Err(E::custom(format_args!("{TOO_LONG}{count}/{MAX}")));
                }
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor::<MAX>)
    }
}

impl<const MAX: usize> JsonSchema for Text<MAX> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Text{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "maxLength": MAX})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        services: UniqueMap<u32>,
        internal: Option<AnyYaml>,
        #[serde(default)]
        name: Name,
    }

    fn parse(text: &str) -> Result<Doc, String> {
        crate::content::yaml::parse_for_test(text)
    }

    #[test]
    fn repeated_keys_are_refused_at_every_level() {
        assert!(parse("services: {a: 1, b: 2}\n").is_ok());
        let e = parse("services:\n  a: 1\n  a: 2\n").unwrap_err();
        assert!(e.contains("duplicate entry with key `a`"), "{e}");
        let e = parse("services: {}\ninternal:\n  x:\n    - {k: 1, k: 2}\n").unwrap_err();
        assert!(e.contains("duplicate entry with key `k`"), "{e}");
        assert!(parse("services: {}\ninternal:\n  x: [1, {a: 1}, {a: 2}]\n").is_ok());
    }

    #[test]
    fn texts_refuse_numbers_empty_values_and_length() {
        assert!(parse("services: {}\nname: Gera\n").is_ok());
        assert!(parse("services: {}\nname: \"123\"\n").is_ok());
        for bad in ["123", "~", "true", "1.5", "[a]"] {
            assert!(
                parse(&format!("services: {{}}\nname: {bad}\n")).is_err(),
                "{bad}"
            );
        }
        let long = "x".repeat(301);
        let e = parse(&format!("services: {{}}\nname: {long}\n")).unwrap_err();
        assert!(e.contains("text too long: 301/300"), "{e}");
    }
}
