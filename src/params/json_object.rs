//! [`JsonObject`]: a free object of custom fields given as JSON text, as a
//! real object, or as a form's rows.

use super::*;

/// A JSON object given as a string (or as a real object), e.g.
/// `additionalFields` = `{"department":"Sales"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonObject {
    parsed: Result<Map<String, Value>, String>,
}

impl JsonObject {
    /// The object given for the input `field`, or an `invalid_input` error
    /// carrying every problem [`JsonObject::check`] reports: an unreadable
    /// or unnamed field never reaches a request.
    pub fn map(&self, field: &str) -> crate::Result<&Map<String, Value>> {
        let mut problems = Vec::new();
        self.check(field, &mut problems);
        match &self.parsed {
            Ok(map) if problems.is_empty() => Ok(map),
            _ => Err(crate::Error::invalid_input(problems)),
        }
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

/// Serialises as the object it holds; an object [`JsonObject::check`]
/// refuses is not written (an error, never an empty object in its place).
impl Serialize for JsonObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut problems = Vec::new();
        self.check("", &mut problems);
        match &self.parsed {
            Ok(map) if problems.is_empty() => map.serialize(s),
            _ => Err(serde::ser::Error::custom(
                "the custom fields could not be read, so they are not sent",
            )),
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
