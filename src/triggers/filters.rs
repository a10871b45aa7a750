//! [`TriggerFilters`]: what a user narrows a trigger to in its form.

use super::event_type_matches;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The enrolment statuses Thrive documents (the values of the list
/// enrolments filter), offered as the choices of the `statuses` filter.
pub(crate) const ENROLMENT_STATUSES: [&str; 6] = [
    "archived",
    "complete",
    "open",
    "overdue",
    "scheduled",
    "unassigned",
];

/// The filters a user sets on a trigger in its form. Each trigger offers a
/// subset ([`Trigger::FILTERS`](super::Trigger::FILTERS)); an absent or
/// empty filter lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerFilters {
    /// Only these event types, e.g. `["content.passed"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Vec<String>>,
    /// Only events about these content ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub content_ids: Option<Vec<String>>,
    /// Only events about assignments to this audience id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Option<String>,
    /// The assignment whose enrolments are polled (required by
    /// `thrive_on_enrolment_status_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Option<String>,
    /// Only enrolments that changed to one of these statuses (default
    /// `overdue` and `complete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend(
        "items" = {
            "type": "string",
            "enum": ENROLMENT_STATUSES
        },
        "uniqueItems" = true
    ))]
    pub statuses: Option<Vec<String>>,
}

impl TriggerFilters {
    /// Whether an event (its type and its payload) passes the filters.
    pub fn matches(&self, event_type: &str, payload: &Value) -> bool {
        if let Some(types) = self.event_types.as_ref().filter(|t| !t.is_empty())
            && !types.iter().any(|t| event_type_matches(t, event_type))
        {
            return false;
        }
        if let Some(ids) = self.content_ids.as_ref().filter(|t| !t.is_empty()) {
            let content = payload
                .pointer("/content/id")
                .or_else(|| payload.pointer("/assignment/primaryContentId"))
                .or_else(|| payload.pointer("/item/contentId"))
                .and_then(Value::as_str);
            if !content.is_some_and(|c| ids.iter().any(|i| i == c)) {
                return false;
            }
        }
        if let Some(audience) = self.audience_id.as_deref().filter(|a| !a.is_empty()) {
            let got = payload
                .pointer("/assignment/audienceId")
                .or_else(|| payload.pointer("/item/audienceId"))
                .and_then(Value::as_str);
            if got != Some(audience) {
                return false;
            }
        }
        true
    }
}
