//! Enrolments of an assignment: list, get.

mod get;
mod list;

pub use get::{GetEnrolment, GetEnrolmentParams};
pub use list::{ListEnrolments, ListEnrolmentsParams};

use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An enrolment status, as the list filter takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EnrolmentStatus {
    /// No longer relevant to the user.
    Archived,
    /// A completion was recorded before the due date.
    Complete,
    /// Active and can be completed.
    Open,
    /// No completion and past the due date.
    Overdue,
    /// Scheduled for the current recurring period.
    Scheduled,
    /// Appears as the previous status in the event log when the enrolment is created.
    Unassigned,
}

impl EnrolmentStatus {
    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Archived => "archived",
            Self::Complete => "complete",
            Self::Open => "open",
            Self::Overdue => "overdue",
            Self::Scheduled => "scheduled",
            Self::Unassigned => "unassigned",
        }
    }
}

record! {
    /// One event-log entry of an enrolment's history.
    pub struct EnrolmentEvent {
        /// The type of the logged event (the values are not documented).
        pub r#type: Option<String>,
        /// The completion ID.
        pub completion_id: Option<String>,
        /// The previous enrolment status.
        pub previous_status: Option<String>,
        /// The next enrolment status.
        pub next_status: Option<String>,
        /// Date the event was logged.
        pub created_at: Option<String>,
        /// Date the event was last modified.
        pub updated_at: Option<String>,
    }
}

record! {
    /// The record of one user in one compliance assignment.
    pub struct Enrolment {
        /// The enrolment ID.
        pub id: Option<String>,
        /// The assignee user ID.
        pub user_id: Option<String>,
        /// The assignment ID.
        pub assignment_id: Option<String>,
        /// The audience ID.
        pub audience_id: Option<String>,
        /// The assigned content ID.
        pub primary_content_id: Option<String>,
        /// Enrolment status: archived, complete, open, overdue, scheduled or
        /// unassigned. Kept as text so a status Thrive adds later still reads.
        pub status: Option<String>,
        /// Date a scheduled enrolment becomes open.
        pub available_date: Option<String>,
        /// Date after which a scheduled enrolment is overdue.
        pub due_date: Option<String>,
        /// Date a scheduled enrolment was last completed.
        pub last_completed_at: Option<String>,
        /// Event-log history entries.
        pub history: Option<Vec<EnrolmentEvent>>,
        /// Date the enrolment was last updated.
        pub updated_at: Option<String>,
    }
}

/// `{enrolment}` output of the get tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EnrolmentOutput {
    /// The enrolment (`null` if Thrive answered with an empty body).
    pub enrolment: Option<Enrolment>,
}

impl FromResponse for EnrolmentOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|enrolment| Self { enrolment })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|enrolment| Self { enrolment })
    }
}

/// `{enrolments}` output of the list tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EnrolmentsOutput {
    /// The matching enrolments (`[]` when Thrive sent no array).
    pub enrolments: Vec<Enrolment>,
}

impl FromResponse for EnrolmentsOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::bare_array(response).map(|enrolments| Self { enrolments })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::bare_array(raw).map(|enrolments| Self { enrolments })
    }
}
