//! `thrive_delete_user`: `DELETE /rest/v2/users/ref/{ref}`.

use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::thrive::common::SuccessOutput;
use crate::tool::declare_tool;
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

declare_tool! {
    DeleteUser {
        id: "thrive_delete_user",
        title: "Delete user",
        description: "Permanently delete (obfuscate) a user in Thrive by ref while retaining training history.",
        endpoint: "DELETE /rest/v2/users/ref/{ref}",
        hints: DESTROY,
        params: DeleteUserParams,
        output: SuccessOutput,
    }
    impl {
        // The docs show a 200 whose body is not visible; an empty body (or
        // one without `success`) counts as success.

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])
        }
    }
}
