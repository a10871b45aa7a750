//! `thrive_suspend_user`: `PATCH /rest/v2/users/ref/{ref}/suspend`.

use super::UserOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::params::check_date_input;
use crate::params::{DateText, Day};
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

/// Suspend a user in Thrive by ref, marking the account inactive.
pub struct SuspendUser;

impl Block for SuspendUser {
    type Params = SuspendUserParams;
    type Output = UserOutput;

    const ID: &'static str = "thrive_suspend_user";
    const TITLE: &'static str = "Suspend user";
    const DESCRIPTION: &'static str =
        "Suspend a user in Thrive by ref, marking the account inactive.";
    const ENDPOINT: &'static str = "PATCH /rest/v2/users/ref/{ref}/suspend";
    const HINTS: Hints = Hints::UPDATE;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("endDate", p.end_date.as_ref(), out);
    }
}

impl Tool for SuspendUser {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref])?.body_fields(p)
    }
}

register_tool!(SuspendUser);
