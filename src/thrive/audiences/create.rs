//! `thrive_create_audience`: `POST /rest/v1/audiences`.

use super::{AudienceCategory, AudienceOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::register_tool;
use crate::rules::Rule;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`CreateAudience`].
///
/// The docs mark no field as required; each is sent only when given. Create
/// a structure first (category `structure`, no parentId), then the child
/// audiences in it (category `audience`, with parentId).
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAudienceParams {
    /// The name of the audience (max 100 characters).
    #[schemars(length(max = 100))]
    pub name: Option<String>,
    /// The external reference for the audience (max 100 characters). Give
    /// each audience a unique reference: the other audience tools accept it
    /// in place of the id.
    #[schemars(length(max = 100))]
    pub reference: Option<String>,
    /// The id or reference of the parent audience/structure; leave blank for
    /// a parent audience/structure. Required when category is 'audience'.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub parent_id: Option<String>,
    /// The audience category: 'audience' or 'structure'.
    pub category: Option<AudienceCategory>,
}

/// Create a new audience or structure in Thrive.
pub struct CreateAudience;

impl Block for CreateAudience {
    type Params = CreateAudienceParams;
    type Output = AudienceOutput;

    const ID: &'static str = "thrive_create_audience";
    const TITLE: &'static str = "Create audience";
    const DESCRIPTION: &'static str = "Create a new audience or structure in Thrive.";
    const ENDPOINT: &'static str = "POST /rest/v1/audiences";
    const HINTS: Hints = Hints::CREATE;
    const RULES: &'static [Rule] = &[
        Rule::AbsentWhen {
            field: "parentId",
            other: "category",
            value: "structure",
            message: "parentId must be left blank when category is 'structure': a structure is a top-level audience",
        },
        // Without a category the docs give no rule; Thrive decides.
        Rule::RequiredWhen {
            field: "parentId",
            other: "category",
            value: "audience",
            message: "parentId is required when category is 'audience': a child audience must belong to a structure",
        },
    ];
}

impl Tool for CreateAudience {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.body_fields(p)
    }
}

register_tool!(CreateAudience);
