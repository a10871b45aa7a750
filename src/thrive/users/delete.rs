//! `thrive_delete_user`: `DELETE /rest/v2/users/ref/{ref}`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`DeleteUser`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteUserParams {
    /// The user ref to delete. Thrive removes the user's personal data (names,
    /// email, ref) for good and keeps the learning records, linked only by
    /// the internal Thrive user id; the account cannot be restored.
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub r#ref: Required,
}

/// Permanently delete (obfuscate) a user in Thrive by ref while retaining training history.
pub struct DeleteUser;

impl Block for DeleteUser {
    type Params = DeleteUserParams;
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_delete_user";
    const TITLE: &'static str = "Delete user";
    const DESCRIPTION: &'static str =
        "Permanently delete (obfuscate) a user in Thrive by ref while retaining training history.";
    const ENDPOINT: &'static str = "DELETE /rest/v2/users/ref/{ref}";
    const HINTS: Hints = Hints::DESTROY;
}

impl Tool for DeleteUser {
    // The docs show a 200 whose body is not visible; an empty body (or
    // one without `success`) counts as success.

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])
    }
}

register_tool!(DeleteUser);
