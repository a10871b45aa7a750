//! Text inputs whose schema states what they may hold ([`Text`]): a required
//! value that must not be blank, or an id in Thrive's 24-hex form. The type
//! carries both the schema (`minLength`, `pattern`, [`TEXT_KEYWORD`]) and the
//! check ([`check_text`]), so a form and the tool refuse the same values.

use super::*;

/// The schema keyword naming the kind of a text input in the validation
/// flavour (`text`, `hex-id`). The catalogue checks every input that carries
/// it with [`check_text`]; the form flavour keeps the `pattern` beside it.
pub const TEXT_KEYWORD: &str = "x-thrive-text";

/// A kind of text input: the pattern its schema states and the check that
/// words the same rule for a person.
pub trait TextKind: Send + Sync + 'static {
    /// The value of [`TEXT_KEYWORD`].
    const NAME: &'static str;
    /// The pattern every accepted value matches (the schema states it).
    const PATTERN: &'static str;
    /// The shortest accepted value, in characters.
    const MIN_LENGTH: usize;
    /// What an accepted value looks like, in words, for messages and for the
    /// hosts that cannot read a pattern.
    const EXPECTED: &'static str;
    /// Whether `value` is accepted (what [`Self::PATTERN`] says).
    fn accepts(value: &str) -> bool;
}

/// Any text with at least one character that is not a space: a required
/// name, reference or id that Thrive documents no layout for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonBlank {}

impl TextKind for NonBlank {
    const NAME: &'static str = "text";
    const PATTERN: &'static str = r"\S";
    const MIN_LENGTH: usize = 1;
    const EXPECTED: &'static str = "some text, not only spaces";
    fn accepts(value: &str) -> bool {
        !value.trim().is_empty()
    }
}

/// A Thrive id that Thrive documents as 24 hexadecimal characters (content,
/// activity and CPD ids), e.g. `507f1f77bcf86cd799439011`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HexId {}

impl TextKind for HexId {
    const NAME: &'static str = "hex-id";
    const PATTERN: &'static str = "^[0-9a-fA-F]{24}$";
    const MIN_LENGTH: usize = 24;
    const EXPECTED: &'static str =
        "a Thrive id: 24 characters, digits 0-9 and letters a-f, like 507f1f77bcf86cd799439011";
    fn accepts(value: &str) -> bool {
        value.len() == 24 && value.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

/// Checks `value` against the text kind named `kind` (a [`TEXT_KEYWORD`]
/// value), reporting a problem under `/{field}` (`field` may hold a deeper
/// pointer such as `userIds/2`). An unknown kind accepts everything.
pub fn check_text(kind: &str, field: &str, value: &str, out: &mut Vec<Violation>) {
    let (accepted, expected) = match kind {
        NonBlank::NAME => (NonBlank::accepts(value), NonBlank::EXPECTED),
        HexId::NAME => (HexId::accepts(value.trim()), HexId::EXPECTED),
        _ => return,
    };
    if !accepted {
        let label = pointer_words(field);
        out.push(Violation::new(
            format!("/{field}"),
            if kind == NonBlank::NAME {
                format!("{label} must not be blank")
            } else {
                format!("{label} must be {expected}")
            },
        ));
    }
}

/// `userIds/2` becomes `userIds[2]` for messages.
fn pointer_words(field: &str) -> String {
    let mut parts = field.split('/');
    let head = parts.next().unwrap_or_default().to_owned();
    head + &pointer_label(&parts.map(|p| format!("/{p}")).collect::<String>())
}

/// A text input of kind `K`. Its schema states the rule (`minLength`,
/// `pattern`, [`TEXT_KEYWORD`]) and the catalogue applies [`check_text`]
/// for the same kind, so the form and the tool cannot disagree. Reads as
/// `&str`; serialises as the text given.
pub struct Text<K: TextKind> {
    text: String,
    kind: std::marker::PhantomData<fn() -> K>,
}

/// A required text input that must not be blank.
pub type Required = Text<NonBlank>;

impl<K: TextKind> Text<K> {
    /// Wraps a value (unchecked: the catalogue checks inputs before a tool sees them).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            kind: std::marker::PhantomData,
        }
    }

    /// The text as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Reports a problem with this value under `/{field}` (for values inside
    /// a JSON list, which the catalogue's top-level check does not reach).
    pub fn check(&self, field: &str, out: &mut Vec<Violation>) {
        check_text(K::NAME, field, &self.text, out);
    }

    /// The schema of this kind of text (what [`JsonSchema`] gives).
    pub fn schema() -> Value {
        serde_json::json!({
            "type": "string",
            "minLength": K::MIN_LENGTH,
            "pattern": K::PATTERN,
            TEXT_KEYWORD: K::NAME,
        })
    }
}

impl<K: TextKind> Clone for Text<K> {
    fn clone(&self) -> Self {
        Self::new(self.text.clone())
    }
}

impl<K: TextKind> PartialEq for Text<K> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<K: TextKind> Eq for Text<K> {}

impl<K: TextKind> std::ops::Deref for Text<K> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<K: TextKind> AsRef<str> for Text<K> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl<K: TextKind> fmt::Debug for Text<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<K: TextKind> fmt::Display for Text<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de, K: TextKind> Deserialize<'de> for Text<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

impl<K: TextKind> Serialize for Text<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<K: TextKind> JsonSchema for Text<K> {
    fn schema_name() -> Cow<'static, str> {
        format!("Text_{}", K::NAME).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(Self::schema()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_malformed_ids_are_refused_with_the_field_named() {
        let mut out = Vec::new();
        check_text(NonBlank::NAME, "ref", "   ", &mut out);
        check_text(HexId::NAME, "id", "abc", &mut out);
        check_text(HexId::NAME, "userIds/1", "xyz", &mut out);
        check_text(HexId::NAME, "id", "507f1f77bcf86cd799439011", &mut out);
        check_text(NonBlank::NAME, "ref", "EMP-1", &mut out);
        let got: Vec<(String, String)> = out.into_iter().map(|v| (v.pointer, v.message)).collect();
        assert_eq!(
            got,
            vec![
                ("/ref".into(), "ref must not be blank".into()),
                ("/id".into(), format!("id must be {}", HexId::EXPECTED)),
                (
                    "/userIds/1".into(),
                    format!("userIds[1] must be {}", HexId::EXPECTED)
                ),
            ]
        );
    }

    #[test]
    fn the_schema_states_the_rule_the_check_applies() {
        assert_eq!(
            Required::schema(),
            serde_json::json!({"type": "string", "minLength": 1, "pattern": "\\S", "x-thrive-text": "text"})
        );
        let hex = Text::<HexId>::schema();
        assert_eq!(hex["pattern"], "^[0-9a-fA-F]{24}$");
        assert_eq!(hex["minLength"], 24);
    }
}
