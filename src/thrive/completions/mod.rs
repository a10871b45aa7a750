//! Learning completions: list, get, create.

mod create;
mod get;
mod list;

pub use create::{CreateCompletion, CreateCompletionParams};
pub use get::{GetCompletion, GetCompletionParams};
pub use list::{ListCompletions, ListCompletionsParams};

use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Number;

record! {
    /// A learning completion record: one user completed one content item.
    pub struct Completion {
        /// The completion ID.
        pub id: Option<String>,
        /// The user ID.
        pub user_id: Option<String>,
        /// The content ID for the content completed.
        pub content_id: Option<String>,
        /// The version of the content.
        pub content_version: Option<Number>,
        /// The skills acquired by completing this content.
        pub skills: Option<Vec<String>>,
        /// The type of completion record (the values are not documented).
        pub completion_type: Option<String>,
        /// Whether the completion had a due date.
        pub had_due_date: Option<bool>,
        /// Whether the completion was imported via RPL (Recognition of Prior Learning).
        #[serde(rename = "isRPL")]
        pub is_rpl: Option<bool>,
        /// Timestamp when the completion occurred (ISO 8601).
        pub completed_at: Option<String>,
        /// Timestamp the completion is valid until (ISO 8601).
        pub active_until: Option<String>,
    }
}

/// `{completion}` output of the get tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompletionOutput {
    /// The completion record (`null` if Thrive answered with an empty body).
    pub completion: Option<Completion>,
}

impl FromResponse for CompletionOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|completion| Self { completion })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|completion| Self { completion })
    }
}

/// `{completions}` output of the list tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompletionsOutput {
    /// The matching completion records (`[]` when Thrive sent no array).
    pub completions: Vec<Completion>,
}

impl FromResponse for CompletionsOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::bare_array(response).map(|completions| Self { completions })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::bare_array(raw).map(|completions| Self { completions })
    }
}

/// `{statementId}` output of the create tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatementOutput {
    /// The completion statement ID, whether the completion was created or
    /// already existed (`null` when Thrive sent none).
    pub statement_id: Option<String>,
}
