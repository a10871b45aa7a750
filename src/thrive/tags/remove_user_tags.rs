//! `thrive_remove_user_tags`: `PATCH /rest/v1/users/{userId}/tags`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::JsonList;
use crate::params::Required;
use crate::params::together;
use crate::register_tool;
use crate::thrive::common::MessageOutput;
use crate::tool::{Batching, Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

/// Inputs of [`RemoveUserTags`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemoveUserTagsParams {
    /// The learner ID (their Thrive user id, not their ref), e.g.
    /// `63f57d805d8ecbf46f5b5278`.
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub user_id: Required,
    /// The tags to remove, 1 to 100, e.g. leadership.
    ///
    /// Thrive takes 1-100 per call; longer lists are sent in chunks of 100
    /// (each call removes only its own names) and the counts merged.
    #[schemars(extend("x-options" = crate::options::TAG_NAME))]
    pub tags: JsonList<String, 1, 0>,
}

/// Remove one or more tags from a learner in Thrive.
pub struct RemoveUserTags;

impl Block for RemoveUserTags {
    type Params = RemoveUserTagsParams;
    type Output = MessageOutput;

    const ID: &'static str = "thrive_remove_user_tags";
    const TITLE: &'static str = "Remove user tags";
    const DESCRIPTION: &'static str = "Remove one or more tags from a learner in Thrive.";
    const ENDPOINT: &'static str = "PATCH /rest/v1/users/{userId}/tags";
    const HINTS: Hints = Hints::DESTROY;
    const BATCHING: Batching = crate::thrive::chunked("/value");
}

impl Tool for RemoveUserTags {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (tags, request) = together(
            p.tags.trimmed("tags"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.user_id]),
        )?;
        // A JSON-Patch-like object; `op` and `path` each have one allowed value.
        Ok(request.body(json!({ "op": "remove", "path": "tags", "value": tags })))
    }
}

register_tool!(RemoveUserTags);
