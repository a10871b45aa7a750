//! `thrive_get_user_by_ref`: `GET /rest/v1/users/ref/{ref}`.

use super::BasicUserOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetUserByRef`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetUserByRefParams {
    /// The user ref (your organisation's unique identifier for the
    /// individual; sent as one path segment).
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub r#ref: Required,
}

/// Get a single user in Thrive by their ref and return basic user information.
pub struct GetUserByRef;

impl Block for GetUserByRef {
    type Params = GetUserByRefParams;
    type Output = BasicUserOutput;

    const ID: &'static str = "thrive_get_user_by_ref";
    const TITLE: &'static str = "Get user by ref";
    const DESCRIPTION: &'static str =
        "Get a single user in Thrive by their ref and return basic user information.";
    const ENDPOINT: &'static str = "GET /rest/v1/users/ref/{ref}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetUserByRef {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])
    }
}

register_tool!(GetUserByRef);
