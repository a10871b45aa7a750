//! The polling triggers: what an L&D workflow needs that Thrive does not
//! push, each read by the [`Poller`](super::Poller) from the tool it names.

use super::payloads::PolledEvent;
use super::{Trigger, TriggerSource};
use crate::register_trigger;

/// When an enrolment of an assignment changes to a watched status.
pub struct OnEnrolmentStatusChanged;
impl Trigger for OnEnrolmentStatusChanged {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_enrolment_status_changed";
    const TITLE: &'static str = "When an enrolment becomes overdue or complete";
    const DESCRIPTION: &'static str = "Polls an assignment's enrolments (updatedAtFrom) and starts for each one that changed to a watched status (default overdue and complete).";
    const EVENT_TYPES: &'static [&'static str] = &["poll.enrolment.status_changed"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_list_enrolments",
        cursor: "the latest enrolment updatedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &["assignmentId", "statuses"];
}
register_trigger!(OnEnrolmentStatusChanged);

/// When a completion is recorded.
pub struct OnCompletionRecorded;
impl Trigger for OnCompletionRecorded {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_completion_recorded";
    const TITLE: &'static str = "When a completion is recorded (polling)";
    const DESCRIPTION: &'static str = "Polls completions by completed date and starts for each new one; use where the completion webhook is not configured.";
    const EVENT_TYPES: &'static [&'static str] = &["poll.completion.created"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_list_completions",
        cursor: "the latest completedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &["contentIds"];
}
register_trigger!(OnCompletionRecorded);

/// When users change.
pub struct OnUsersUpdated;
impl Trigger for OnUsersUpdated {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_users_updated";
    const TITLE: &'static str = "When users change (polling)";
    const DESCRIPTION: &'static str = "Polls users by updatedSince and starts for each user created or changed since the last poll.";
    const EVENT_TYPES: &'static [&'static str] = &["poll.user.changed"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_search_users",
        cursor: "the latest user updatedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &[];
}
register_trigger!(OnUsersUpdated);

/// When a CPD entry is logged.
pub struct OnCpdEntryLogged;
impl Trigger for OnCpdEntryLogged {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_cpd_entry_logged";
    const TITLE: &'static str = "When a CPD entry is logged (polling)";
    const DESCRIPTION: &'static str =
        "Polls CPD entries by entry date and starts for each new one.";
    const EVENT_TYPES: &'static [&'static str] = &["poll.cpd_entry.created"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_query_cpd_entries",
        cursor: "the latest entryDate seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &[];
}
register_trigger!(OnCpdEntryLogged);
