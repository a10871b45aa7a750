//! `thrive_add_user_tags`: `POST /rest/v1/users/{userId}/tags`.

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

/// Inputs of [`AddUserTags`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddUserTagsParams {
    /// The learner ID (their Thrive user id, not their ref), e.g.
    /// `63f57d805d8ecbf46f5b5278`.
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub user_id: Required,
    /// The tags to add, 1 to 100, e.g. leadership.
    ///
    /// The tags must already exist. Thrive takes 1-100 per call; longer
    /// lists are sent in chunks of 100 and the counts merged.
    #[schemars(extend("x-options" = crate::options::TAG_NAME))]
    pub tags: JsonList<String, 1, 0>,
}

/// Add one or more tags to a learner in Thrive.
pub struct AddUserTags;

impl Block for AddUserTags {
    type Params = AddUserTagsParams;
    type Output = MessageOutput;

    const ID: &'static str = "thrive_add_user_tags";
    const TITLE: &'static str = "Add user tags";
    const DESCRIPTION: &'static str = "Add one or more tags to a learner in Thrive.";
    const ENDPOINT: &'static str = "POST /rest/v1/users/{userId}/tags";
    const HINTS: Hints = Hints::CREATE;
    const BATCHING: Batching = crate::thrive::chunked("/tags");
}

impl Tool for AddUserTags {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (tags, request) = together(
            p.tags.trimmed("tags"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.user_id]),
        )?;
        Ok(request.body(json!({ "tags": tags })))
    }
}

register_tool!(AddUserTags);
