//! Inputs that arrive as JSON text or as real JSON: paging options and
//! bounded lists ([`JsonList`]). Objects are [`JsonObject`].

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

/// One item of a [`JsonList`]: read from JSON by serde, then checked on its
/// own by [`ListItem::check`], so every list of that item refuses the same
/// items without each tool remembering to.
pub trait ListItem: DeserializeOwned {
    /// Reports what is wrong with item `index` of the list `field` beyond
    /// its JSON shape, under `/{field}/{index}...` and worded
    /// `{field}[{index}]...`. Default: nothing.
    fn check(&self, field: &str, index: usize, out: &mut Vec<Violation>) {
        let _ = (field, index, out);
    }
}

/// Text items (names, references, ids) are sent trimmed, so a blank one
/// would be an empty value: it is refused (the schema says so too).
impl ListItem for String {
    fn check(&self, field: &str, index: usize, out: &mut Vec<Violation>) {
        if self.trim().is_empty() {
            out.push(Violation::new(
                format!("/{field}/{index}"),
                format!("{field}[{index}] must not be empty"),
            ));
        }
    }
}

/// What a string-encoded JSON list holds, after parsing.
#[derive(Clone, PartialEq)]
enum Parsed<T> {
    Items(Vec<T>),
    /// The text was not JSON, or an item had the wrong shape: (pointer suffix, message).
    Invalid(Vec<(String, String)>),
}

/// A list given as a string holding a JSON array (what a form text field
/// holds), or as a real JSON array. The schema says `"type": "string"` with
/// `contentMediaType: application/json`; the runtime turns a real array into
/// its JSON text before validating. As Sim does, a single JSON value that is
/// not an array is taken as a one-item list.
///
/// The list checks itself: its items are reached only through
/// [`JsonList::items`], which names the field and gives every problem at
/// once instead of the items when the text is not a JSON list of `T`, when
/// the count is outside `MIN`..=`MAX` (`MAX = 0`: no upper bound), or when
/// an item fails its own [`ListItem::check`]. A tool reads its list in
/// [`Tool::request`](crate::Tool::request), which the catalogue and a typed
/// call both run after the tool's other checks, so the list's problems are
/// reported together with every other problem of the input.
#[derive(Clone, PartialEq)]
pub struct JsonList<T, const MIN: usize, const MAX: usize> {
    parsed: Parsed<T>,
}

impl<T: ListItem, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    /// A list of already-typed items (checked like parsed ones when read).
    pub fn from_items(items: Vec<T>) -> Self {
        Self {
            parsed: Parsed::Items(items),
        }
    }

    /// The items of the list input `field`, or an `invalid_input` error
    /// carrying every problem [`JsonList::check`] reports.
    pub fn items(&self, field: &str) -> crate::Result<&[T]> {
        let mut problems = Vec::new();
        self.check(field, &mut problems);
        match &self.parsed {
            Parsed::Items(items) if problems.is_empty() => Ok(items),
            _ => Err(crate::Error::invalid_input(problems)),
        }
    }

    /// The number of items, when the text was a JSON list of `T` (whatever
    /// its other problems).
    pub fn len(&self) -> Option<usize> {
        match &self.parsed {
            Parsed::Items(items) => Some(items.len()),
            Parsed::Invalid(_) => None,
        }
    }

    /// Whether the list is readable and holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// Reports every problem with this list as violations under `/{field}`:
    /// the text's or the items' shape, or else the item count and each
    /// item's own check.
    pub fn check(&self, field: &str, out: &mut Vec<Violation>) {
        let items = match &self.parsed {
            Parsed::Invalid(problems) => {
                for (suffix, message) in problems {
                    out.push(Violation::new(
                        format!("/{field}{suffix}"),
                        format!("{field}{}: {message}", pointer_label(suffix)),
                    ));
                }
                return;
            }
            Parsed::Items(items) => items,
        };
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
        for (i, item) in items.iter().enumerate() {
            item.check(field, i, out);
        }
    }

    /// Refuses more than `max` items for a replace: Thrive takes at most
    /// `max` per call, and a replace cannot be sent in chunks because each
    /// call replaces the whole list.
    pub fn check_replace_limit(&self, field: &str, max: usize, out: &mut Vec<Violation>) {
        if let Some(n) = self.len().filter(|n| *n > max) {
            out.push(Violation::new(
                format!("/{field}"),
                format!(
                    "{field} has {n} items; a replace takes at most {max} and cannot be split into several calls, because each call replaces the whole list"
                ),
            ));
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
    /// The items of the list input `field` as sent: each trimmed, as JSON
    /// strings; or every problem ([`JsonList::items`]).
    pub fn trimmed(&self, field: &str) -> crate::Result<Vec<Value>> {
        Ok(self
            .items(field)?
            .iter()
            .map(|i| Value::from(i.trim()))
            .collect())
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

impl<T: ListItem, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
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

    /// Parses the text of a form field (problems are kept for
    /// [`JsonList::items`] and [`JsonList::check`] to report).
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

/// Reading never fails on the list's content: unreadable text is kept and
/// reported, under the field's name, by [`JsonList::items`] and
/// [`JsonList::check`], so it is listed with the input's other problems
/// instead of stopping the whole input from being read.
impl<'de, T: ListItem, const MIN: usize, const MAX: usize> Deserialize<'de>
    for JsonList<T, MIN, MAX>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => Self::parse_str(&text),
            other => Self::parse_value(other),
        })
    }
}

/// Writes the items; a list whose text could not be read is not written
/// (an error, never an empty list in its place).
impl<T: Serialize, const MIN: usize, const MAX: usize> Serialize for JsonList<T, MIN, MAX> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.parsed {
            Parsed::Items(items) => items.serialize(s),
            Parsed::Invalid(_) => Err(serde::ser::Error::custom(
                "the list could not be read, so it is not sent",
            )),
        }
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
        // Every list of text refuses a blank item (`ListItem for String`),
        // so its schema says so too and a form refuses the same rows.
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

/// Both results, or every problem of both together: a tool that reads a
/// list input and builds its path from other inputs reports the problems
/// of each at once (`together(p.users.trimmed("users"),
/// ApiRequest::endpoint(..))?`).
pub fn together<A, B>(a: crate::Result<A>, b: crate::Result<B>) -> crate::Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        (Err(a), Err(b)) => {
            let mut all = problems_of(a);
            for v in problems_of(b) {
                if !all.contains(&v) {
                    all.push(v);
                }
            }
            Err(crate::Error::invalid_input(all))
        }
    }
}

/// An error's violations, or its message under the empty pointer when it
/// names no field.
fn problems_of(e: crate::Error) -> Vec<Violation> {
    let found = e.violations();
    if found.is_empty() {
        vec![Violation::new("", e.message().to_owned())]
    } else {
        found
    }
}
