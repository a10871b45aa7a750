//! Activity records: get, query.

mod get;
mod query;

pub use get::{GetActivity, GetActivityParams};
pub use query::{QueryActivities, QueryActivitiesParams};

use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// The activity types (actions) the `actions` and `omitActions` filters accept.
pub const ACTIVITY_TYPES: [&str; 20] = [
    "viewed",
    "completed",
    "passed",
    "pinned",
    "unpinned",
    "liked",
    "unliked",
    "commented",
    "commentdeleted",
    "shared",
    "progressed",
    "registered",
    "followed",
    "unfollowed",
    "started",
    "resumed",
    "searched",
    "found",
    "loggedin",
    "loggedout",
];

record! {
    /// An activity record: one thing a user did.
    pub struct Activity {
        /// The activity action type (e.g. `viewed`, `completed`).
        pub r#type: Option<String>,
        /// The name of the activity.
        pub name: Option<String>,
        /// Unique ID for this activity record.
        pub id: Option<String>,
        /// User ID who triggered the activity.
        pub user: Option<String>,
        /// Timestamp when the activity occurred (ISO 8601).
        pub date: Option<String>,
        /// Identifier for the context item.
        pub context_id: Option<String>,
        /// What this activity was in relation to (e.g. `content`).
        pub context_type: Option<String>,
        /// Unstructured activity data; shape varies by type.
        pub data: Option<Value>,
        /// Additional context information.
        pub with: Option<Value>,
    }
}

/// `{activity}` output of the get tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ActivityOutput {
    /// The activity record (`null` if Thrive answered with an empty body).
    pub activity: Option<Activity>,
}

impl FromResponse for ActivityOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|activity| Self { activity })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|activity| Self { activity })
    }
}

/// The values of the comma-separated `actions`/`omitActions` filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityTypes {}

impl crate::params::ValueSet for ActivityTypes {
    const VALUES: Option<&'static [&'static str]> = Some(&ACTIVITY_TYPES);
}
