//! `thrive_get_user_by_id`: `GET /rest/v1/user/{id}` (singular `user`).

use super::FullUserOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

/// Get a single user in Thrive by their ID and return basic user information.
pub struct GetUserById;

impl Block for GetUserById {
    type Params = GetUserByIdParams;
    type Output = FullUserOutput;

    const ID: &'static str = "thrive_get_user_by_id";
    const TITLE: &'static str = "Get user by ID";
    const DESCRIPTION: &'static str =
        "Get a single user in Thrive by their ID and return basic user information.";
    const ENDPOINT: &'static str = "GET /rest/v1/user/{id}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetUserById {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // The singular `user` is deliberate: search is `/users`, by id is `/user/{id}`.
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
    }
}

register_tool!(GetUserById);
