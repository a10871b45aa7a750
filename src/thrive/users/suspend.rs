//! `thrive_suspend_user`: `PATCH /rest/v2/users/ref/{ref}/suspend`.

use super::UserOutput;
use crate::api::{ApiRequest, JsonBody};
use crate::error::{Result, Violation};
use crate::params::{DateFormat, check_date};
use crate::params::{DateText, Day};
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`SuspendUser`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuspendUserParams {
    /// The user ref to suspend (sent as one path segment).
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub r#ref: String,
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
            check_date("endDate", p.end_date.as_deref(), DateFormat::Iso8601, out);
        }

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            let body = JsonBody::new().optional("endDate", p.end_date.as_deref());
            Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])?.body(body))
        }
    }
}
