//! What an error carries besides its message, as types: the violations
//! of bad input, Thrive's own details, partial progress. JSON is made from
//! them only when a host renders the error ([`Details::to_json`]).

use serde::Serialize;
use serde_json::{Value, json};
use std::fmt;

/// Structured details of an [`Error`](super::Error).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Details {
    /// Every problem with the input of an `invalid_input` error.
    Violations(Vec<Violation>),
    /// Thrive's own object-valued `message`, as it sent it.
    Thrive(Value),
    /// A chunked step that failed after some of its items were applied.
    Partial {
        /// Items Thrive already applied.
        items_applied: u64,
        /// Items in the whole step.
        items_total: u64,
    },
    /// Anything else a caller attached with
    /// [`Error::with_details`](super::Error::with_details).
    Other(Value),
}

impl Details {
    /// The details as hosts show them under `error.details`: the
    /// violations as `[{pointer, message}]`, Thrive's object as sent,
    /// partial progress as `{itemsApplied, itemsTotal}`.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Violations(list) => Value::Array(
                list.iter()
                    .map(|v| json!({"pointer": v.pointer, "message": v.message}))
                    .collect(),
            ),
            Self::Thrive(value) | Self::Other(value) => value.clone(),
            Self::Partial {
                items_applied,
                items_total,
            } => json!({ "itemsApplied": items_applied, "itemsTotal": items_total }),
        }
    }
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer to the field in the input (`/users`, `/users/3/reference`);
    /// empty for the input as a whole.
    pub pointer: String,
    /// What is wrong, in words that name the field.
    pub message: String,
}

impl Violation {
    /// A violation at `pointer` with `message`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    /// `pointer: message`, or the message alone when it already starts with
    /// the field's name (`users[0]: …` at `/users/0`), so a name is never
    /// said twice.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.pointer.split('/').nth(1).unwrap_or_default();
        if self.pointer.is_empty() || (!field.is_empty() && self.message.starts_with(field)) {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}
