//! `thrive_get_user_by_id`: `GET /rest/v1/user/{id}` (singular `user`).

use super::FullUserOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetUserById`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetUserByIdParams {
    /// The user ID: Thrive's internal id, e.g. 646767d82535201223349e09 (not
    /// your organisation's ref; use thrive_get_user_by_ref for that).
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub id: Required,
}

declare_tool! {
    GetUserById {
        id: "thrive_get_user_by_id",
        title: "Get user by ID",
        description: "Get a single user in Thrive by their ID and return basic user information.",
        endpoint: "GET /rest/v1/user/{id}",
        hints: READ,
        params: GetUserByIdParams,
        output: FullUserOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            // The singular `user` is deliberate: search is `/users`, by id is `/user/{id}`.
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
        }
    }
}
