//! `thrive_suspend_user`: `PATCH /rest/v2/users/ref/{ref}/suspend`.

use super::UserOutput;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::params::check_date_input;
use crate::params::{DateText, Day};
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`SuspendUser`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuspendUserParams {
    /// The user ref to suspend (sent as one path segment).
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    #[serde(skip_serializing_if = "crate::wire::sent_apart")]
    pub r#ref: Required,
    /// The date this individual left your organisation (ISO 8601), e.g.
    /// 2024-06-30T00:00:00.000Z. Left out of the request when blank.
    pub end_date: Option<DateText<Day>>,
}

declare_tool! {
    SuspendUser {
        id: "thrive_suspend_user",
        title: "Suspend user",
        description: "Suspend a user in Thrive by ref, marking the account inactive.",
        endpoint: "PATCH /rest/v2/users/ref/{ref}/suspend",
        hints: UPDATE,
        params: SuspendUserParams,
        output: UserOutput,
    }
    impl {
        fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
            check_date_input("endDate", p.end_date.as_ref(), out);
        }

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])?.body_fields(p)
        }
    }
}
