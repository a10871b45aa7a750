//! The polling triggers: what an L&D workflow needs that Thrive does not
//! push, each read by the [`Poller`](super::Poller) from the tool it names.

use super::TriggerSource;
use super::payloads::PolledEvent;

trigger! {
    /// When an enrolment of an assignment changes to a watched status.
    OnEnrolmentStatusChanged: PolledEvent {
        id: "thrive_on_enrolment_status_changed",
        title: "When an enrolment becomes overdue or complete",
        description: "Polls an assignment's enrolments (updatedAtFrom) and starts for each one that changed to a watched status (default overdue and complete).",
        event_types: ["poll.enrolment.status_changed"],
        source: TriggerSource::Polling {
            tool: "thrive_list_enrolments",
            cursor: "the latest enrolment updatedAt seen, with the ids seen at that instant",
        },
        filters: ["assignmentId", "statuses"],
    }
}

trigger! {
    /// When a completion is recorded.
    OnCompletionRecorded: PolledEvent {
        id: "thrive_on_completion_recorded",
        title: "When a completion is recorded (polling)",
        description: "Polls completions by completed date and starts for each new one; use where the completion webhook is not configured.",
        event_types: ["poll.completion.created"],
        source: TriggerSource::Polling {
            tool: "thrive_list_completions",
            cursor: "the latest completedAt seen, with the ids seen at that instant",
        },
        filters: ["contentIds"],
    }
}

trigger! {
    /// When users change.
    OnUsersUpdated: PolledEvent {
        id: "thrive_on_users_updated",
        title: "When users change (polling)",
        description: "Polls users by updatedSince and starts for each user created or changed since the last poll.",
        event_types: ["poll.user.changed"],
        source: TriggerSource::Polling {
            tool: "thrive_search_users",
            cursor: "the latest user updatedAt seen, with the ids seen at that instant",
        },
        filters: [],
    }
}

trigger! {
    /// When a CPD entry is logged.
    OnCpdEntryLogged: PolledEvent {
        id: "thrive_on_cpd_entry_logged",
        title: "When a CPD entry is logged (polling)",
        description: "Polls CPD entries by entry date and starts for each new one.",
        event_types: ["poll.cpd_entry.created"],
        source: TriggerSource::Polling {
            tool: "thrive_query_cpd_entries",
            cursor: "the latest entryDate seen, with the ids seen at that instant",
        },
        filters: [],
    }
}
