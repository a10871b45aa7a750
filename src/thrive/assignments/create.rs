//! `thrive_create_assignment`: `POST /rest/v1/assignments`.

use super::AssignmentOutput;
use crate::api::{ApiRequest, JsonBody};
use crate::block::Block;
use crate::error::Result;
use crate::params::JsonList;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// Inputs of [`CreateAssignment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAssignmentParams {
    /// The audience ID.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The content ID for the primary content. Responses call it
    /// `primaryContentId`.
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub content_id: Required,
    /// Other content that also completes the assignment, by content id.
    /// Example: ["63f8c54f6f68ab3a2d60e5de"]. An empty list is not sent.
    pub alternative_content_ids: Option<JsonList<String, 0, 0>>,
    /// Whether to hide the alternative content.
    pub hide_alternative_content: Option<bool>,
    /// The number of days required to complete the assignment (default 30).
    /// Counted from the moment it is assigned; the Thrive UI allows 1 day to
    /// 3 years.
    #[schemars(range(min = 1))]
    pub completion_period: Option<u32>,
    /// The number of days until the assignment will reoccur, e.g. 365.
    /// Recurring re-assigns the content and resets progress.
    #[schemars(range(min = 1))]
    pub recurrence: Option<u32>,
}

/// Create a compliance assignment in Thrive for an audience and content item.
pub struct CreateAssignment;

impl Block for CreateAssignment {
    type Params = CreateAssignmentParams;
    type Output = AssignmentOutput;

    const ID: &'static str = "thrive_create_assignment";
    const TITLE: &'static str = "Create assignment";
    const DESCRIPTION: &'static str =
        "Create a compliance assignment in Thrive for an audience and content item.";
    const ENDPOINT: &'static str = "POST /rest/v1/assignments";
    const HINTS: Hints = Hints::CREATE;
}

impl Tool for CreateAssignment {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let alternatives: Option<Vec<Value>> = p
            .alternative_content_ids
            .as_ref()
            .map(|ids| ids.trimmed("alternativeContentIds"))
            .transpose()?
            .filter(|ids| !ids.is_empty());
        let body = JsonBody::new()
            .field("audienceId", p.audience_id.as_str())
            .field("contentId", p.content_id.as_str())
            .optional("alternativeContentIds", alternatives)
            .optional("hideAlternativeContent", p.hide_alternative_content)
            .optional("completionPeriod", p.completion_period)
            .optional("recurrence", p.recurrence);
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[])?.body(body))
    }
}

register_tool!(CreateAssignment);
