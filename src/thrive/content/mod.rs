//! Content records: get, query.

mod get;
mod query;

pub use get::{GetContent, GetContentParams};
pub use query::{QueryContent, QueryContentParams};

use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Number;

/// The content types the `types` and `omitTypes` filters accept.
pub const CONTENT_TYPES: [&str; 14] = [
    "article",
    "assessment",
    "broadcast",
    "cmi5",
    "elearning",
    "event",
    "file",
    "pathway",
    "question",
    "quiz",
    "scorm",
    "url",
    "video",
    "mixed",
];

record! {
    /// Expected time to complete a content item.
    pub struct ContentDuration {
        /// Duration value.
        pub value: Option<Number>,
        /// The unit of the duration (always 'minutes').
        pub unit: Option<String>,
    }
}

record! {
    /// Who performed an action in a content item's history.
    pub struct PerformedBy {
        /// The kind of actor, e.g. `user` or `system`.
        pub r#type: Option<String>,
        /// The actor, e.g. the user ID.
        pub value: Option<String>,
    }
}

record! {
    /// One action in a content item's history.
    pub struct ContentHistoryEntry {
        /// The action, e.g. `created`.
        pub action: Option<String>,
        /// When the action happened (ISO 8601).
        pub timestamp: Option<String>,
        /// Who performed the action.
        pub performed_by: Option<PerformedBy>,
    }
}

record! {
    /// A content record.
    pub struct Content {
        /// Unique identifier for the content.
        pub id: Option<String>,
        /// Title of the content.
        pub title: Option<String>,
        /// Detailed description (may contain HTML).
        pub description: Option<String>,
        /// Tags associated with this content.
        pub tags: Option<Vec<String>>,
        /// The kind of artifact associated with this content.
        pub r#type: Option<String>,
        /// Creation timestamp (ISO 8601).
        pub created_at: Option<String>,
        /// Last-update timestamp (ISO 8601).
        pub updated_at: Option<String>,
        /// User ID who authored the content (`null` for auto-curated content).
        pub author: Option<String>,
        /// Whether the content is recognised as official.
        pub is_official: Option<bool>,
        /// Expected time to complete the content.
        pub duration: Option<ContentDuration>,
        /// Chronological history of actions on this content.
        pub content_history: Option<Vec<ContentHistoryEntry>>,
    }
}

/// `{content}` output of the get tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ContentOutput {
    /// The content record (`null` if Thrive answered with an empty body).
    pub content: Option<Content>,
}

impl FromResponse for ContentOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|content| Self { content })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|content| Self { content })
    }
}

/// The values of the comma-separated `types`/`omitTypes` filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentTypes {}

impl crate::params::ValueSet for ContentTypes {
    const VALUES: Option<&'static [&'static str]> = Some(&CONTENT_TYPES);
}
