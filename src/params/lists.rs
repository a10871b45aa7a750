//! Inputs that arrive as JSON text or as real JSON: paging options, bounded
//! lists ([`JsonList`]) and objects ([`JsonObject`]).

use super::*;

/// Runtime options every paginated tool accepts besides its own parameters.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagingOptions {
    /// Fetch every page and return all matching items in one result
    /// (the pagination summary then covers them all). Default false.
    #[serde(default)]
    pub return_all: Option<bool>,
    /// With Fetch all pages, stop after this many items, e.g. 500.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_results: Option<u64>,
}

impl PagingOptions {
    /// The input names these options use.
    pub const FIELDS: [&'static str; 2] = ["returnAll", "maxResults"];
}

/// What a string-encoded JSON list holds, after parsing.
#[derive(Clone, PartialEq)]
pub(super) enum Parsed<T> {
    Items(Vec<T>),
    /// The text was not JSON, or an item had the wrong shape: (pointer suffix, message).
    Invalid(Vec<(String, String)>),
}

/// A list given as a string holding a JSON array (what a form text field
/// holds), or as a real JSON array. The schema says `"type": "string"` with
/// `contentMediaType: application/json`; the runtime turns a real array into
/// its JSON text before validating.
///
/// `MIN` and `MAX` are the item-count bounds checked by [`JsonList::check`]
/// (`MAX = 0` means no upper bound). As Sim does, a single JSON value that is
/// not an array is taken as a one-item list.
#[derive(Clone, PartialEq)]
pub struct JsonList<T, const MIN: usize, const MAX: usize> {
    parsed: Parsed<T>,
}

impl<T, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    /// A list of already-typed items.
    pub fn from_items(items: Vec<T>) -> Self {
        Self {
            parsed: Parsed::Items(items),
        }
    }

    /// The items, or an empty slice when the text was invalid (validation
    /// reports that before any request is built).
    pub fn items(&self) -> &[T] {
        match &self.parsed {
            Parsed::Items(items) => items,
            Parsed::Invalid(_) => &[],
        }
    }

    /// Reports every problem with this list as violations under `/{field}`.
    pub fn check(&self, field: &str, out: &mut Vec<Violation>) {
        match &self.parsed {
            Parsed::Invalid(problems) => {
                for (suffix, message) in problems {
                    out.push(Violation::new(
                        format!("/{field}{suffix}"),
                        format!("{field}{}: {message}", pointer_label(suffix)),
                    ));
                }
            }
            Parsed::Items(items) => {
                let n = items.len();
                if n < MIN {
                    out.push(Violation::new(
                        format!("/{field}"),
                        if n == 0 {
                            format!("{field} must not be an empty list (at least {MIN} item(s))")
                        } else {
                            format!("{field} must have at least {MIN} items, got {n}")
                        },
                    ));
                }
                if MAX > 0 && n > MAX {
                    out.push(Violation::new(
                        format!("/{field}"),
                        format!("{field} must have at most {MAX} items, got {n}"),
                    ));
                }
            }
        }
    }
}

/// The most items one replace call takes: Thrive's per-call limit, which a
/// replace cannot get around by chunking.
pub const REPLACE_LIMIT: usize = 100;

/// A field transform for replace lists: states [`REPLACE_LIMIT`] as the
/// decoded array's `maxItems`, the limit [`JsonList::check_replace_limit`]
/// enforces: `#[schemars(transform = crate::params::replace_limit)]`.
pub fn replace_limit(schema: &mut Schema) {
    if let Some(Value::Object(content)) = schema.get_mut("contentSchema") {
        content.insert("maxItems".into(), REPLACE_LIMIT.into());
    }
}

impl<T, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    /// Refuses more than `max` items for a replace: Thrive takes at most
    /// `max` per call, and a replace cannot be sent in chunks because each
    /// call replaces the whole list.
    pub fn check_replace_limit(&self, field: &str, max: usize, out: &mut Vec<Violation>) {
        let n = self.items().len();
        if n > max {
            out.push(Violation::new(
                format!("/{field}"),
                format!(
                    "{field} has {n} items; a replace takes at most {max} and cannot be split into several calls, because each call replaces the whole list"
                ),
            ));
        }
    }
}

/// `/3/reference` becomes `[3].reference` for messages.
pub(super) fn pointer_label(suffix: &str) -> String {
    suffix
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.chars().all(|c| c.is_ascii_digit()) {
                format!("[{s}]")
            } else {
                format!(".{s}")
            }
        })
        .collect()
}

/// Lists of names, references or ids: items are text and sent trimmed.
impl<const MIN: usize, const MAX: usize> JsonList<String, MIN, MAX> {
    /// Reports what [`check`](Self::check) reports, then what
    /// [`check_not_blank`](Self::check_not_blank) reports.
    pub fn check_texts(&self, field: &str, out: &mut Vec<Violation>) {
        self.check(field, out);
        self.check_not_blank(field, out);
    }

    /// Reports every blank item (`["a", " "]`) under `/{field}/{index}`.
    pub fn check_not_blank(&self, field: &str, out: &mut Vec<Violation>) {
        for (i, item) in self.items().iter().enumerate() {
            if item.trim().is_empty() {
                out.push(Violation::new(
                    format!("/{field}/{i}"),
                    format!("{field}[{i}] must not be empty"),
                ));
            }
        }
    }

    /// The items as sent: each trimmed, as JSON strings.
    pub fn trimmed(&self) -> Vec<Value> {
        self.items().iter().map(|i| Value::from(i.trim())).collect()
    }
}

impl<T: fmt::Debug, const MIN: usize, const MAX: usize> fmt::Debug for JsonList<T, MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.parsed {
            Parsed::Items(items) => f.debug_list().entries(items).finish(),
            Parsed::Invalid(p) => f.debug_tuple("Invalid").field(p).finish(),
        }
    }
}

impl<T: DeserializeOwned, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    fn parse_value(value: Value) -> Self {
        let values = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        let mut items = Vec::with_capacity(values.len());
        let mut problems = Vec::new();
        for (i, v) in values.into_iter().enumerate() {
            match serde_json::from_value::<T>(v) {
                Ok(item) => items.push(item),
                Err(e) => problems.push((format!("/{i}"), e.to_string())),
            }
        }
        let parsed = if problems.is_empty() {
            Parsed::Items(items)
        } else {
            Parsed::Invalid(problems)
        };
        Self { parsed }
    }

    /// Parses the text of a form field.
    pub fn parse_str(text: &str) -> Self {
        if text.trim().is_empty() {
            return Self::from_items(Vec::new());
        }
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Self::parse_value(value),
            Err(e) => Self {
                parsed: Parsed::Invalid(vec![(
                    String::new(),
                    format!(
                        "is not valid JSON ({e}); expected a JSON array such as [\"a\", \"b\"]"
                    ),
                )]),
            },
        }
    }
}

impl<'de, T: DeserializeOwned, const MIN: usize, const MAX: usize> Deserialize<'de>
    for JsonList<T, MIN, MAX>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => Self::parse_str(&text),
            other => Self::parse_value(other),
        })
    }
}

impl<T: Serialize, const MIN: usize, const MAX: usize> Serialize for JsonList<T, MIN, MAX> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items().serialize(s)
    }
}

impl<T: JsonSchema, const MIN: usize, const MAX: usize> JsonSchema for JsonList<T, MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        "JsonList".into()
    }

    fn inline_schema() -> bool {
        true
    }

    /// JSON text whose decoded value is described by `contentSchema`: an
    /// array of `T` with the documented item counts. The form flavour draws
    /// the decoded array itself.
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut content = Map::new();
        content.insert("type".into(), "array".into());
        let mut items = generator.subschema_for::<T>().to_value();
        // Every list of text refuses a blank item (`check_not_blank`), so
        // its schema says so too and a form refuses the same rows.
        if items == serde_json::json!({"type": "string"})
            && let Value::Object(map) = &mut items
        {
            map.insert("minLength".into(), 1.into());
            map.insert("pattern".into(), <NonBlank as TextKind>::PATTERN.into());
        }
        content.insert("items".into(), items);
        content.insert("minItems".into(), MIN.into());
        if MAX > 0 {
            content.insert("maxItems".into(), MAX.into());
        }
        json_schema!({
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": Value::Object(content),
        })
    }
}

/// A JSON object given as a string (or as a real object), e.g.
/// `additionalFields` = `{"department":"Sales"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonObject {
    parsed: Result<Map<String, Value>, String>,
}

impl JsonObject {
    /// The object, or an empty map when invalid (validation reports it).
    pub fn map(&self) -> Map<String, Value> {
        self.parsed.clone().unwrap_or_default()
    }

    /// The name a form gives a row it adds to a free object before anyone
    /// names it (RJSF's `newKey`, `newKey-1`, ...). The schema refuses it as
    /// a name (`propertyNames`) and so does [`JsonObject::check`].
    pub const PLACEHOLDER_KEY: &'static str = "newKey";

    /// The names a row may not have: blank, or a form's placeholder.
    fn property_names() -> Value {
        serde_json::json!({
            "type": "string",
            "pattern": NonBlank::PATTERN,
            "not": {"pattern": format!("^{}(-\\d+)?$", Self::PLACEHOLDER_KEY)},
        })
    }

    /// Reports a problem with this object as a violation under `/{field}`:
    /// text that is not an object, a blank name, or a row a form added and
    /// nobody named (`{"newKey": "New Value"}`).
    pub fn check(&self, field: &str, out: &mut Vec<Violation>) {
        match &self.parsed {
            Err(message) => out.push(Violation::new(
                format!("/{field}"),
                format!("{field} {message}"),
            )),
            Ok(map) => {
                for key in map.keys() {
                    let placeholder = key.strip_prefix(Self::PLACEHOLDER_KEY).is_some_and(|rest| {
                        rest.is_empty()
                            || rest
                                .strip_prefix('-')
                                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
                    });
                    if key.trim().is_empty() {
                        out.push(Violation::new(
                            format!("/{field}"),
                            format!("{field} has a field without a name; give each one a name, e.g. department"),
                        ));
                    } else if placeholder {
                        out.push(Violation::new(
                            format!("/{field}/{key}"),
                            format!(
                                "{field} has a field still called {key:?}, as the form added it; give it the custom field's name (e.g. department) or remove it"
                            ),
                        ));
                    }
                }
            }
        }
    }

    fn from_value(value: Value) -> Self {
        let parsed = match value {
            Value::Object(map) => Ok(map),
            Value::Array(rows) => Self::from_rows(rows),
            other => Err(format!(
                "must hold custom fields such as {{\"department\":\"Sales\"}}, got {}",
                json_kind(&other)
            )),
        };
        Self { parsed }
    }
}

impl JsonObject {
    /// The rows a form draws for a free object (`[{"name": "department",
    /// "value": "Sales"}]`) as the object they stand for. Every row needs a
    /// text `name` and a `value`; a name may appear once.
    fn from_rows(rows: Vec<Value>) -> Result<Map<String, Value>, String> {
        let mut map = Map::new();
        for (i, row) in rows.into_iter().enumerate() {
            let name = row
                .get("name")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|n| !n.is_empty());
            let (Some(name), Some(value)) = (name, row.get("value")) else {
                return Err(format!(
                    "row {} needs a name and a value, e.g. {{\"name\": \"department\", \"value\": \"Sales\"}}",
                    i + 1
                ));
            };
            if map.insert(name.to_owned(), value.clone()).is_some() {
                return Err(format!(
                    "has the field {name:?} twice; give each field once"
                ));
            }
        }
        Ok(map)
    }
}

/// Serialises as the object it holds (empty when invalid).
impl Serialize for JsonObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.parsed {
            Ok(map) => map.serialize(s),
            Err(_) => Map::new().serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(v) => Self::from_value(v),
                Err(e) => Self {
                    parsed: Err(format!(
                        "is not valid JSON ({e}); expected an object such as {{\"department\":\"Sales\"}}"
                    )),
                },
            },
            other => Self::from_value(other),
        })
    }
}

impl JsonSchema for JsonObject {
    fn schema_name() -> Cow<'static, str> {
        "JsonObject".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"type": "object", "propertyNames": Self::property_names()},
        })
    }
}
