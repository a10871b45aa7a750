//! `thrive_update_assignment`: `PATCH /rest/v1/assignments/{assignmentId}`.

use super::AssignmentOutput;
use crate::api::{ApiRequest, JsonBody};
use crate::block::Block;
use crate::error::Result;
use crate::params::JsonList;
use crate::params::Required;
use crate::params::together;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`UpdateAssignment`].
///
/// `hideAlternativeContent` cannot be changed here (it is never sent), and a
/// recurrence cannot be cleared: an empty input means "leave unchanged".
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAssignmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Required,
    /// The audience ID. Always sent, even when the audience does not change.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The content ID for the primary content. Left unchanged when empty.
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub content_id: Option<String>,
    /// The number of days required to complete the assignment. Left
    /// unchanged when empty.
    #[schemars(range(min = 1))]
    pub completion_period: Option<u32>,
    /// The number of days until the assignment will reoccur, e.g. 365. Left
    /// unchanged when empty.
    #[schemars(range(min = 1))]
    pub recurrence: Option<u32>,
    /// Other content that also completes the assignment, by content id.
    /// Example: ["63f8c54f6f68ab3a2d60e5de"]. Replaces the alternatives when
    /// given; `[]` is sent as an empty list (clearing them, if Thrive accepts
    /// that; not documented). Left unchanged when empty.
    pub alternative_content_ids: Option<JsonList<String, 0, 0>>,
}

/// Update a compliance assignment in Thrive.
pub struct UpdateAssignment;

impl Block for UpdateAssignment {
    type Params = UpdateAssignmentParams;
    type Output = AssignmentOutput;

    const ID: &'static str = "thrive_update_assignment";
    const TITLE: &'static str = "Update assignment";
    const DESCRIPTION: &'static str = "Update a compliance assignment in Thrive.";
    const ENDPOINT: &'static str = "PATCH /rest/v1/assignments/{assignmentId}";
    const HINTS: Hints = Hints::UPDATE;
}

impl Tool for UpdateAssignment {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // alternativeContentIds is sent whenever given, as Sim does for a
        // non-empty text input; so an explicit "[]" goes out as [] (a
        // choice: the docs page is missing).
        let alternatives = p
            .alternative_content_ids
            .as_ref()
            .map(|ids| ids.trimmed("alternativeContentIds"))
            .transpose();
        let (alternatives, request) = together(
            alternatives,
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id]),
        )?;
        let body = JsonBody::new()
            .field("audienceId", p.audience_id.as_str())
            .optional("contentId", p.content_id.as_deref())
            .optional("completionPeriod", p.completion_period)
            .optional("recurrence", p.recurrence)
            .optional("alternativeContentIds", alternatives);
        Ok(request.body(body))
    }
}

register_tool!(UpdateAssignment);
