//! `thrive_get_user_by_ref`: `GET /rest/v1/users/ref/{ref}`.

use super::BasicUserOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
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

declare_tool! {
    GetUserByRef {
        id: "thrive_get_user_by_ref",
        title: "Get user by ref",
        description: "Get a single user in Thrive by their ref and return basic user information.",
        endpoint: "GET /rest/v1/users/ref/{ref}",
        hints: READ,
        params: GetUserByRefParams,
        output: BasicUserOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])
        }
    }
}
