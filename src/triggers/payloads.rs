//! The typed payloads of Thrive's outbound events (webhooks.md §1) and of
//! the polling triggers, and the trigger definitions that carry them.
//!
//! Payloads are typed but lossless: every struct keeps fields it does not
//! model in a flattened `extra` map, and fields the documentation calls
//! nullable are `Option`s. Serialising a payload gives back what Thrive
//! sent, with documented-nullable fields that were left out written as
//! `null`.

use crate::wire::record::record;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

record! {
    /// A user as user events carry it: only `id` is always present.
    pub struct EventUser {
        /// The Thrive user id.
        pub id: String,
        /// The user's reference (the REST API's `ref`); null if unset.
        #[serde(default)]
        pub reference: Option<String>,
        /// First name.
        #[serde(default)]
        pub first_name: Option<String>,
        /// Last name.
        #[serde(default)]
        pub last_name: Option<String>,
        /// Email address.
        #[serde(default)]
        pub email: Option<String>,
        /// Account status, e.g. `active`.
        #[serde(default)]
        pub status: Option<String>,
        /// Role, e.g. `learner`.
        #[serde(default)]
        pub role: Option<String>,
    }
}

record! {
    /// A learner as completion and assignment events carry them.
    pub struct EventLearner {
        /// The Thrive user id.
        pub id: String,
        /// The user's reference; null if unset.
        #[serde(default)]
        pub reference: Option<String>,
        /// Email address.
        #[serde(default)]
        pub email: Option<String>,
        /// First name.
        #[serde(default)]
        pub first_name: Option<String>,
        /// Last name.
        #[serde(default)]
        pub last_name: Option<String>,
    }
}

record! {
    /// A content item as events carry it.
    pub struct EventContent {
        /// The content id.
        pub id: String,
        /// Title.
        #[serde(default)]
        pub title: Option<String>,
        /// Type, e.g. `course` or `pathway`.
        #[serde(default, rename = "type")]
        pub kind: Option<String>,
        /// The item's URL on each of the tenant's domains.
        #[serde(default)]
        pub urls: Vec<String>,
    }
}

record! {
    /// `user.created`, `user.activated`, `user.deactivated`, `user.updated`.
    pub struct UserEvent {
        /// The event type, e.g. `user.deactivated`.
        pub event_type: String,
        /// The tenant.
        pub tenant_id: String,
        /// The user; rarely null, when the data was unavailable at dispatch.
        #[serde(default)]
        pub user: Option<EventUser>,
        /// When it happened (ISO 8601).
        pub created_at: String,
        /// When this delivery was sent (ISO 8601).
        pub dispatched_at: String,
    }
}

record! {
    /// `content.completed`, `content.passed`.
    pub struct CompletionEvent {
        /// The event type: `content.completed` or `content.passed`.
        pub event_type: String,
        /// The tenant.
        pub tenant_id: String,
        /// The learner.
        pub user: EventLearner,
        /// The content completed.
        pub content: EventContent,
        /// When it happened (ISO 8601).
        pub created_at: String,
        /// When this delivery was sent (ISO 8601).
        pub dispatched_at: String,
    }
}

record! {
    /// `content.created`, `.updated`, `.published`, `.deleted`, `.archived`, `.restored`.
    pub struct ContentEvent {
        /// The event type, e.g. `content.published`.
        pub event_type: String,
        /// The tenant.
        pub tenant_id: String,
        /// The content.
        pub content: EventContent,
        /// Who triggered it; left out when no user is associated.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub user: Option<EventUser>,
        /// When it happened (ISO 8601).
        pub created_at: String,
        /// When this delivery was sent (ISO 8601).
        pub dispatched_at: String,
    }
}

record! {
    /// The assignment an assignment event is about.
    pub struct EventAssignment {
        /// The assignment id.
        #[serde(default)]
        pub id: Option<String>,
        /// The audience assigned.
        #[serde(default)]
        pub audience_id: Option<String>,
        /// The primary content.
        #[serde(default)]
        pub primary_content_id: Option<String>,
        /// Days to complete.
        #[serde(default)]
        pub completion_period: Option<Number>,
        /// Whether the assignment recurs.
        #[serde(default)]
        pub recurring: Option<bool>,
        /// The recurrence (a string, e.g. `P1Y`).
        #[serde(default)]
        pub recurrence: Option<String>,
    }
}

record! {
    /// `assignment.*` (documented: `assigned`, `updated`, `removed`).
    pub struct AssignmentEvent {
        /// The event type, e.g. `assignment.assigned`.
        pub event_type: String,
        /// The tenant.
        pub tenant_id: String,
        /// Why, when Thrive says.
        #[serde(default)]
        pub reason: Option<String>,
        /// The assignment.
        pub assignment: EventAssignment,
        /// The primary content; left out when the assignment has none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub content: Option<EventContent>,
        /// Every affected user.
        pub users: Vec<EventLearner>,
        /// When it happened (ISO 8601).
        pub created_at: String,
        /// When this delivery was sent (ISO 8601).
        pub dispatched_at: String,
    }
}

/// An event whose fields are not documented yet (`enrolment.*`, `page.*`,
/// `post.*`, `comment.*`, `moderation.*`, `notification.*`): the common
/// fields, everything else passed through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UntypedEvent {
    /// The event type, e.g. `enrolment.overdue`.
    pub event_type: String,
    /// The tenant.
    pub tenant_id: String,
    /// When it happened (ISO 8601), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When this delivery was sent (ISO 8601), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatched_at: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A polled item that changed: the tool's item as it read, plus what the
/// poller knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolledEvent {
    /// `poll.enrolment.status_changed`, `poll.completion.created`,
    /// `poll.user.changed` or `poll.cpd_entry.created`.
    pub event_type: String,
    /// The tenant polled.
    pub tenant_id: String,
    /// The item's id.
    pub item_id: String,
    /// The item's change time the cursor advanced on (as Thrive wrote it).
    pub changed_at: String,
    /// The item, exactly as the polled tool returned it.
    pub item: Map<String, Value>,
}
