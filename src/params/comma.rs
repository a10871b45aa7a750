//! Comma-separated list inputs ([`CommaList`]) and the checks a schema
//! carries ([`check_by_schema`]).

use super::*;

/// The set of values a comma-separated list may hold.
pub trait ValueSet: Send + Sync + 'static {
    /// The allowed values, or `None` for free text items (ids).
    const VALUES: Option<&'static [&'static str]>;
    /// For free text items: the pattern one item matches (without anchors)
    /// and the schema of one item, whose [`TEXT_KEYWORD`] names the check
    /// [`check_by_schema`] applies to each item.
    const ITEM: (&'static str, fn() -> Value) = ("[^,\\s](?:[^,]*[^,\\s])?", Required::schema);
}

/// Any non-empty items (lists of references).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyItems {}

impl ValueSet for AnyItems {
    const VALUES: Option<&'static [&'static str]> = None;
}

/// Ids that Thrive documents as 24 hexadecimal characters ([`HexId`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HexIds {}

impl ValueSet for HexIds {
    const VALUES: Option<&'static [&'static str]> = None;
    const ITEM: (&'static str, fn() -> Value) = ("[0-9a-fA-F]{24}", Text::<HexId>::schema);
}

/// A comma-separated list input (`active,new`), as Thrive's query strings
/// take it. A form may send a real array instead; the catalogue joins it.
/// The schema states the allowed items; [`check_by_schema`] checks them.
pub struct CommaList<V: ValueSet> {
    text: String,
    set: std::marker::PhantomData<fn() -> V>,
}

impl<V: ValueSet> CommaList<V> {
    /// Wraps a value (unchecked).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            set: std::marker::PhantomData,
        }
    }

    /// The items as sent: trimmed, joined with `,`.
    pub fn joined(&self) -> String {
        self.text
            .split(',')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl<V: ValueSet> Clone for CommaList<V> {
    fn clone(&self) -> Self {
        Self::new(self.text.clone())
    }
}

impl<V: ValueSet> std::ops::Deref for CommaList<V> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<V: ValueSet> fmt::Debug for CommaList<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<'de, V: ValueSet> Deserialize<'de> for CommaList<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

/// Serialises as sent in a query: the items trimmed and joined with `,`.
impl<V: ValueSet> Serialize for CommaList<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.joined())
    }
}

impl<V: ValueSet> JsonSchema for CommaList<V> {
    fn schema_name() -> Cow<'static, str> {
        "CommaList".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let (item, item_pattern) = match V::VALUES {
            Some(values) => (
                serde_json::json!({"type": "string", "enum": values}),
                format!("(?:{})", values.join("|")),
            ),
            None => ((V::ITEM.1)(), V::ITEM.0.to_owned()),
        };
        json_schema!({
            "type": "string",
            "pattern": format!("^\\s*{item_pattern}\\s*(?:,\\s*{item_pattern}\\s*)*$"),
            LIST_KEYWORD: {"separator": ",", "items": item},
        })
    }
}

/// Whether an input's schema carries a rule [`check_by_schema`] checks (a
/// date layout, an email, a comma list, a kind of text).
pub fn has_layout(prop: &Value) -> bool {
    prop.get(DATE_KEYWORD).is_some()
        || prop.get(LIST_KEYWORD).is_some()
        || prop.get(TEXT_KEYWORD).is_some()
        || prop.get("format").and_then(Value::as_str) == Some("email")
}

/// Checks one input value against the documented rules its schema carries
/// ([`DATE_KEYWORD`], [`LIST_KEYWORD`], [`TEXT_KEYWORD`]); the catalogue calls it for every
/// input, so a rule stated in the schema is always checked, with a message
/// that names the field and the expected form.
pub fn check_by_schema(prop: &Value, field: &str, value: &Value, out: &mut Vec<Violation>) {
    let Some(text) = value.as_str() else { return };
    if let Some(kind) = prop.get(DATE_KEYWORD).and_then(Value::as_str) {
        match kind {
            Day::NAME => Day::check(field, text, out),
            Instant::NAME => Instant::check(field, text, out),
            Timestamp::NAME => Timestamp::check(field, text, out),
            SpaceDateTime::NAME => SpaceDateTime::check(field, text, out),
            LocalDateTime::NAME => LocalDateTime::check(field, text, out),
            _ => {}
        }
    }
    if prop.get("format").and_then(Value::as_str) == Some("email") && !is_email(text) {
        out.push(Violation::new(
            format!("/{field}"),
            format!("{field} must be an email address such as jane@example.com"),
        ));
    }
    if let Some(list) = prop.get(LIST_KEYWORD) {
        let allowed: Option<Vec<&str>> = list
            .pointer("/items/enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(Value::as_str).collect());
        check_comma_list(field, Some(text), allowed.as_deref(), out);
        if let Some(kind) = list
            .pointer("/items")
            .and_then(|i| i.get(TEXT_KEYWORD))
            .and_then(Value::as_str)
        {
            for (i, item) in text.split(',').map(str::trim).enumerate() {
                if !item.is_empty() {
                    check_text(kind, &format!("{field}/{i}"), item, out);
                }
            }
        }
    }
    if let Some(kind) = prop.get(TEXT_KEYWORD).and_then(Value::as_str) {
        check_text(kind, field, text, out);
    }
}

/// An address of the form `local@domain.tld`: no spaces, one `@`, a dot in
/// the domain. What Thrive accepts beyond that is not documented; this
/// catches the typing mistakes a form can make.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// Checks a comma-separated list input (`video,file`): no empty items and,
/// when `allowed` is given, only those values. Items are compared after
/// trimming, and exactly (Thrive's values are lower case).
pub fn check_comma_list(
    field: &str,
    value: Option<&str>,
    allowed: Option<&[&str]>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    if items.iter().any(|i| i.is_empty()) {
        out.push(Violation::new(
            format!("/{field}"),
            format!(
                "{field} has an empty value between commas; give the values separated by commas, e.g. a,b"
            ),
        ));
    }
    let Some(allowed) = allowed else { return };
    let unknown: Vec<String> = items
        .iter()
        .filter(|i| !i.is_empty() && !allowed.contains(i))
        .map(|i| format!("'{i}'"))
        .collect();
    if !unknown.is_empty() {
        out.push(Violation::new(
            format!("/{field}"),
            format!(
                "{field} has unknown value(s) {}; allowed values: {}",
                unknown.join(", "),
                allowed.join(", ")
            ),
        ));
    }
}
