//! The polling triggers: what an L&D workflow needs that Thrive does not
//! push, each read by the [`Poller`](crate::triggers::Poller) from the tool
//! it polls, by type.

use crate::block::Block;
use crate::error::{Error, Result};
use crate::params::{DateText, Required};
use crate::register_polled_trigger;
use crate::thrive::common::Page;
use crate::thrive::completions::{CompletionsOutput, ListCompletions, ListCompletionsParams};
use crate::thrive::cpd::{CpdEntry, QueryCpdEntries, QueryCpdEntriesParams};
use crate::thrive::enrolments::{EnrolmentsOutput, ListEnrolments, ListEnrolmentsParams};
use crate::thrive::users::{SearchUsers, SearchUsersParams, User};
use crate::tool::Hints;
use crate::triggers::payloads::PolledEvent;
use crate::triggers::{Polled, PolledItem, Trigger, TriggerFilters, TriggerSource};

/// When an enrolment of an assignment changes to a watched status.
pub struct OnEnrolmentStatusChanged;

impl Block for OnEnrolmentStatusChanged {
    type Params = TriggerFilters;
    type Output = PolledEvent;

    const ID: &'static str = "thrive_on_enrolment_status_changed";
    const TITLE: &'static str = "When an enrolment becomes overdue or complete";
    const DESCRIPTION: &'static str = "Polls an assignment's enrolments (updatedAtFrom) and starts for each one that changed to a watched status (default overdue and complete).";
    const ENDPOINT: &'static str = ListEnrolments::ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnEnrolmentStatusChanged {
    const EVENT_TYPES: &'static [&'static str] = &["poll.enrolment.status_changed"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: ListEnrolments::ID,
        cursor: "the latest enrolment updatedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &["assignmentId", "statuses"];
}

register_polled_trigger!(OnEnrolmentStatusChanged);

/// When a completion is recorded.
pub struct OnCompletionRecorded;

impl Block for OnCompletionRecorded {
    type Params = TriggerFilters;
    type Output = PolledEvent;

    const ID: &'static str = "thrive_on_completion_recorded";
    const TITLE: &'static str = "When a completion is recorded (polling)";
    const DESCRIPTION: &'static str = "Polls completions by completed date and starts for each new one; use where the completion webhook is not configured.";
    const ENDPOINT: &'static str = ListCompletions::ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnCompletionRecorded {
    const EVENT_TYPES: &'static [&'static str] = &["poll.completion.created"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: ListCompletions::ID,
        cursor: "the latest completedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &["contentIds"];
}

register_polled_trigger!(OnCompletionRecorded);

/// When users change.
pub struct OnUsersUpdated;

impl Block for OnUsersUpdated {
    type Params = TriggerFilters;
    type Output = PolledEvent;

    const ID: &'static str = "thrive_on_users_updated";
    const TITLE: &'static str = "When users change (polling)";
    const DESCRIPTION: &'static str = "Polls users by updatedSince and starts for each user created or changed since the last poll.";
    const ENDPOINT: &'static str = SearchUsers::ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnUsersUpdated {
    const EVENT_TYPES: &'static [&'static str] = &["poll.user.changed"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: SearchUsers::ID,
        cursor: "the latest user updatedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &[];
}

register_polled_trigger!(OnUsersUpdated);

/// When a CPD entry is logged.
pub struct OnCpdEntryLogged;

impl Block for OnCpdEntryLogged {
    type Params = TriggerFilters;
    type Output = PolledEvent;

    const ID: &'static str = "thrive_on_cpd_entry_logged";
    const TITLE: &'static str = "When a CPD entry is logged (polling)";
    const DESCRIPTION: &'static str =
        "Polls CPD entries by entry date and starts for each new one.";
    const ENDPOINT: &'static str = QueryCpdEntries::ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnCpdEntryLogged {
    const EVENT_TYPES: &'static [&'static str] = &["poll.cpd_entry.created"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: QueryCpdEntries::ID,
        cursor: "the latest entryDate seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &[];
}

register_polled_trigger!(OnCpdEntryLogged);

/// The statuses an enrolment trigger watches when the user sets none.
const WATCHED_STATUSES: [&str; 2] = ["overdue", "complete"];

impl Polled for OnEnrolmentStatusChanged {
    type Tool = ListEnrolments;

    fn params(filters: &TriggerFilters, from: &str) -> Result<ListEnrolmentsParams> {
        let assignment = filters
            .assignment_id
            .as_deref()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| Error::field("/assignmentId", "assignmentId is required"))?;
        Ok(ListEnrolmentsParams {
            assignment_id: Required::new(assignment),
            updated_at_from: Some(DateText::new(from)),
            updated_at_to: None,
            status: None,
            paging: Default::default(),
        })
    }

    fn items(output: EnrolmentsOutput) -> Vec<PolledItem> {
        output
            .enrolments
            .iter()
            .filter_map(|e| PolledItem::of(e.id.as_ref(), e.updated_at.as_ref(), e))
            .collect()
    }

    /// Only enrolments now in a watched status start the trigger.
    fn keep(filters: &TriggerFilters, item: &PolledItem) -> bool {
        let status = item.item.get("status").and_then(serde_json::Value::as_str);
        let status = status.unwrap_or_default();
        match filters.statuses.as_deref().filter(|s| !s.is_empty()) {
            Some(watched) => watched.iter().any(|s| s == status),
            None => WATCHED_STATUSES.contains(&status),
        }
    }
}

impl Polled for OnCompletionRecorded {
    type Tool = ListCompletions;

    fn params(_: &TriggerFilters, from: &str) -> Result<ListCompletionsParams> {
        Ok(ListCompletionsParams {
            content_id: None,
            is_rpl: None,
            user_id: None,
            completed_date_range_start: Some(DateText::new(from)),
            completed_date_range_end: None,
            paging: Default::default(),
        })
    }

    fn items(output: CompletionsOutput) -> Vec<PolledItem> {
        output
            .completions
            .iter()
            .filter_map(|c| PolledItem::of(c.id.as_ref(), c.completed_at.as_ref(), c))
            .collect()
    }
}

impl Polled for OnUsersUpdated {
    type Tool = SearchUsers;

    fn params(_: &TriggerFilters, from: &str) -> Result<SearchUsersParams> {
        Ok(SearchUsersParams {
            paging: Default::default(),
            updated_since: Some(DateText::new(from)),
            statuses: None,
            omit_statuses: None,
            status: None,
        })
    }

    fn items(output: Page<User>) -> Vec<PolledItem> {
        output
            .results
            .iter()
            .filter_map(|u| PolledItem::of(u.id.as_ref(), u.updated_at.as_ref(), u))
            .collect()
    }
}

impl Polled for OnCpdEntryLogged {
    type Tool = QueryCpdEntries;
    const SPACE_DATE: bool = true;

    fn params(_: &TriggerFilters, from: &str) -> Result<QueryCpdEntriesParams> {
        Ok(QueryCpdEntriesParams {
            paging: Default::default(),
            entry_date_from: Some(DateText::new(from)),
            entry_date_to: None,
        })
    }

    fn items(output: Page<CpdEntry>) -> Vec<PolledItem> {
        output
            .results
            .iter()
            .filter_map(|e| PolledItem::of(e.log_entry_id.as_ref(), e.entry_date.as_ref(), e))
            .collect()
    }
}
