//! Readers of single JSON body fields, with Thrive-shaped 400s: the
//! validation the data layer shares with the routes. Nothing here knows
//! about HTTP beyond the error it returns.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::time;

/// 400 unless `count` is within the documented 1–100.
pub(crate) fn check_item_count(count: usize, what: &str) -> Result<(), ApiError> {
    if count == 0 {
        Err(ApiError::bad_request(format!(
            "{what} must contain at least 1 item"
        )))
    } else if count > 100 {
        Err(ApiError::bad_request(format!(
            "{what} must contain no more than 100 items"
        )))
    } else {
        Ok(())
    }
}

/// A body field that may be absent, explicitly `null`, or set.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Field<T> {
    /// Not in the body: leave unchanged.
    Absent,
    /// Explicit `null`: clear.
    Null,
    /// A value.
    Set(T),
}

impl<T> Field<T> {
    /// The value when set.
    pub(crate) fn set(self) -> Option<T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }
}

fn type_error(key: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("{key} must be {expected}"))
}

/// A string field.
pub(crate) fn field_string(map: &Map<String, Value>, key: &str) -> Result<Field<String>, ApiError> {
    match map.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::String(s)) => Ok(Field::Set(s.clone())),
        Some(_) => Err(type_error(key, "a string")),
    }
}

/// A required, non-empty string field.
pub(crate) fn required_string(map: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    match field_string(map, key)? {
        Field::Set(s) if !s.trim().is_empty() => Ok(s),
        Field::Set(_) => Err(ApiError::bad_request(format!("{key} must not be empty"))),
        _ => Err(ApiError::bad_request(format!("{key} is required"))),
    }
}

/// A boolean field.
pub(crate) fn field_bool(map: &Map<String, Value>, key: &str) -> Result<Field<bool>, ApiError> {
    match map.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::Bool(b)) => Ok(Field::Set(*b)),
        Some(_) => Err(type_error(key, "a boolean")),
    }
}

/// An integer field (a float with no fractional part is accepted).
pub(crate) fn field_int(map: &Map<String, Value>, key: &str) -> Result<Field<i64>, ApiError> {
    match map.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Field::Set(i)),
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Field::Set(f as i64)),
                _ => Err(type_error(key, "an integer")),
            },
        },
        Some(_) => Err(type_error(key, "an integer")),
    }
}

/// A number field.
pub(crate) fn field_number(map: &Map<String, Value>, key: &str) -> Result<Field<f64>, ApiError> {
    match map.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::Number(n)) => n
            .as_f64()
            .map(Field::Set)
            .ok_or_else(|| type_error(key, "a number")),
        Some(_) => Err(type_error(key, "a number")),
    }
}

/// An array-of-strings field.
pub(crate) fn field_string_array(
    map: &Map<String, Value>,
    key: &str,
) -> Result<Field<Vec<String>>, ApiError> {
    match map.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Field::Set)
            .ok_or_else(|| type_error(key, "an array of strings")),
        Some(_) => Err(type_error(key, "an array of strings")),
    }
}

/// An ISO 8601 date-time string field, kept as sent.
pub(crate) fn field_iso_string(
    map: &Map<String, Value>,
    key: &str,
) -> Result<Field<String>, ApiError> {
    match field_string(map, key)? {
        Field::Set(s) => {
            if time::parse_iso(&s).is_none() {
                return Err(ApiError::bad_request(format!(
                    "{key} must be an ISO 8601 date or date-time"
                )));
            }
            Ok(Field::Set(s))
        }
        other => Ok(other),
    }
}
