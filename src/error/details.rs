//! What an error carries besides its message, as types. JSON is made from
//! them only when a host renders the error ([`Details::to_json`]).

use super::Violation;
use serde_json::{Value, json};

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
