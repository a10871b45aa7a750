//! Small helpers for reporting every problem of an input at once.

use serde_json::Value;

/// The top-level input field a pointer is in: `/users/3` is `users`.
pub(super) fn field_of(pointer: &str) -> String {
    pointer.split('/').nth(1).unwrap_or_default().to_owned()
}

/// A valid value of a property's type, used only to let checks of other
/// fields run; it is never sent.
pub(super) fn placeholder(prop: &Value) -> Value {
    if let Some(first) = prop
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    match prop.get("type").and_then(Value::as_str) {
        Some("number" | "integer") => prop.get("minimum").cloned().unwrap_or_else(|| 1.into()),
        Some("boolean") => false.into(),
        _ => "".into(),
    }
}
