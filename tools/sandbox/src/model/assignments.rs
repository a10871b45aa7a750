//! Assignment and enrolment records and their JSON views.
//!
//! Plain data: the rules that change them are in `state` (and the choices
//! for undocumented behaviour are written there).

use serde_json::{Value, json};

use crate::time::{Millis, format_millis, format_opt};

/// The documented enrolment statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum EnrolmentStatus {
    Archived,
    Complete,
    Open,
    Overdue,
    Scheduled,
    Unassigned,
}

impl EnrolmentStatus {
    /// The wire names.
    pub(crate) const NAMES: [&'static str; 6] = [
        "archived",
        "complete",
        "open",
        "overdue",
        "scheduled",
        "unassigned",
    ];

    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Archived => "archived",
            EnrolmentStatus::Complete => "complete",
            EnrolmentStatus::Open => "open",
            EnrolmentStatus::Overdue => "overdue",
            EnrolmentStatus::Scheduled => "scheduled",
            EnrolmentStatus::Unassigned => "unassigned",
        }
    }

    /// Parses a wire name.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "archived" => Some(EnrolmentStatus::Archived),
            "complete" => Some(EnrolmentStatus::Complete),
            "open" => Some(EnrolmentStatus::Open),
            "overdue" => Some(EnrolmentStatus::Overdue),
            "scheduled" => Some(EnrolmentStatus::Scheduled),
            "unassigned" => Some(EnrolmentStatus::Unassigned),
            _ => None,
        }
    }

    /// Not yet done and still relevant.
    pub(crate) fn is_unfinished(self) -> bool {
        matches!(
            self,
            EnrolmentStatus::Open | EnrolmentStatus::Overdue | EnrolmentStatus::Scheduled
        )
    }
}

/// One event-log entry of an enrolment.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HistoryEntry {
    pub kind: &'static str,
    pub completion_id: Option<String>,
    pub previous: EnrolmentStatus,
    pub next: EnrolmentStatus,
    pub at: Millis,
}

/// One user's enrolment in one assignment.
#[derive(Clone, Debug)]
pub(crate) struct Enrolment {
    pub id: String,
    pub user_id: String,
    pub status: EnrolmentStatus,
    pub available_date: Option<Millis>,
    pub due_date: Option<Millis>,
    pub last_completed_at: Option<Millis>,
    pub history: Vec<HistoryEntry>,
    pub updated_at: Millis,
}

impl Enrolment {
    /// Moves to `next`, logging a history entry.
    pub(crate) fn transition(
        &mut self,
        kind: &'static str,
        next: EnrolmentStatus,
        completion_id: Option<String>,
        at: Millis,
    ) {
        self.history.push(HistoryEntry {
            kind,
            completion_id,
            previous: self.status,
            next,
            at,
        });
        self.status = next;
        self.updated_at = at;
    }
}

/// A stored assignment.
#[derive(Clone, Debug)]
pub(crate) struct Assignment {
    pub id: String,
    pub audience_id: String,
    pub primary_content_id: String,
    pub alternative_content_ids: Vec<String>,
    pub hide_alternative_content: bool,
    pub completion_period: i64,
    pub recurrence: Option<i64>,
    pub is_active: bool,
    pub is_deleted: bool,
    pub created_at: Millis,
    pub deleted_at: Option<Millis>,
    pub updated_at: Millis,
    pub enrolments: Vec<Enrolment>,
}

impl Assignment {
    /// The Assignment object.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "audienceId": self.audience_id,
            "primaryContentId": self.primary_content_id,
            "alternativeContentIds": self.alternative_content_ids,
            "hideAlternativeContent": self.hide_alternative_content,
            "completionPeriod": self.completion_period,
            "recurrence": self.recurrence,
            "isActive": self.is_active,
            "isDeleted": self.is_deleted,
            "createdAt": format_millis(self.created_at),
            "deletedAt": format_opt(self.deleted_at),
            "updatedAt": format_millis(self.updated_at),
        })
    }

    /// The Enrolment object for one of this assignment's enrolments.
    pub(crate) fn enrolment_json(&self, e: &Enrolment) -> Value {
        json!({
            "id": e.id,
            "userId": e.user_id,
            "assignmentId": self.id,
            "audienceId": self.audience_id,
            "primaryContentId": self.primary_content_id,
            "status": e.status.as_str(),
            "availableDate": format_opt(e.available_date),
            "dueDate": format_opt(e.due_date),
            "lastCompletedAt": format_opt(e.last_completed_at),
            "history": e.history.iter().map(|h| json!({
                "type": h.kind,
                "completionId": h.completion_id,
                "previousStatus": h.previous.as_str(),
                "nextStatus": h.next.as_str(),
                "createdAt": format_millis(h.at),
                "updatedAt": format_millis(h.at),
            })).collect::<Vec<_>>(),
            "updatedAt": format_millis(e.updated_at),
        })
    }

    /// Whether completing `content_id` completes this assignment.
    pub(crate) fn completed_by(&self, content_id: &str) -> bool {
        self.primary_content_id == content_id
            || self.alternative_content_ids.iter().any(|c| c == content_id)
    }
}
