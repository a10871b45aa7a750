//! `thrive_list_audience_members`: `GET /rest/v1/audiences/{audienceId}/members`.

use super::AudienceMember;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`ListAudienceMembers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAudienceMembersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000OneBased,
}

/// List the members of a Thrive audience with pagination.
pub struct ListAudienceMembers;

impl Block for ListAudienceMembers {
    type Params = ListAudienceMembersParams;
    type Output = Page<AudienceMember>;

    const ID: &'static str = "thrive_list_audience_members";
    const TITLE: &'static str = "List audience members";
    const DESCRIPTION: &'static str = "List the members of a Thrive audience with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences/{audienceId}/members";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000OneBased::PAGING;
}

impl Tool for ListAudienceMembers {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])?.paged(&p.paging))
    }
}

register_tool!(ListAudienceMembers);
