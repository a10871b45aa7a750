//! Compliance assignments: list, create, get, update, delete.

mod create;
mod delete;
mod get;
mod list;
mod update;

pub use create::{CreateAssignment, CreateAssignmentParams};
pub use delete::{DeleteAssignment, DeleteAssignmentParams};
pub use get::{GetAssignment, GetAssignmentParams};
pub use list::{ListAssignments, ListAssignmentsParams};
pub use update::{UpdateAssignment, UpdateAssignmentParams};

use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Number;
use serde_json::Value;

record! {
    /// A compliance assignment: content assigned to an audience, to be completed
    /// within a period and optionally recurring.
    pub struct Assignment {
        /// The assignment ID.
        pub id: Option<String>,
        /// The audience ID.
        pub audience_id: Option<String>,
        /// The content ID for the primary content (sent as `contentId` on
        /// create and update).
        pub primary_content_id: Option<String>,
        /// Content IDs that can also complete the assignment.
        pub alternative_content_ids: Option<Vec<String>>,
        /// Whether to hide the alternative content.
        pub hide_alternative_content: Option<bool>,
        /// Number of days required to complete the assignment, counted from the
        /// moment it is assigned (default 30).
        pub completion_period: Option<Number>,
        /// Number of days until the assignment reoccurs; `null` when it does not
        /// recur. The REST API documents a whole number of days, while Thrive's
        /// assignment webhooks carry it as a string, so it is passed through as
        /// Thrive sent it.
        pub recurrence: Option<Value>,
        /// Whether the assignment is active.
        pub is_active: Option<bool>,
        /// Whether the assignment is deleted.
        pub is_deleted: Option<bool>,
        /// Creation timestamp (ISO 8601).
        pub created_at: Option<String>,
        /// Deletion timestamp (ISO 8601).
        pub deleted_at: Option<String>,
        /// Last-update timestamp (ISO 8601).
        pub updated_at: Option<String>,
    }
}

/// `{assignment}` output of the create, get and update tools.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AssignmentOutput {
    /// The assignment (`null` if Thrive answered with an empty body).
    pub assignment: Option<Assignment>,
}

impl FromResponse for AssignmentOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|assignment| Self { assignment })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|assignment| Self { assignment })
    }
}

/// `{assignments}` output of the list tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AssignmentsOutput {
    /// The matching assignments (`[]` when Thrive sent no array).
    pub assignments: Vec<Assignment>,
}

impl FromResponse for AssignmentsOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::bare_array(response).map(|assignments| Self { assignments })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::bare_array(raw).map(|assignments| Self { assignments })
    }
}
