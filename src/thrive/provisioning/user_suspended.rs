//! `thrive_provision_user_suspended`: `POST /webhooks` (user API host), `user_suspended`.

use super::{Envelope, ProvisioningOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::params::check_date_input;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Tell Thrive a person left.
pub struct ProvisionUserSuspended;

/// Inputs of [`ProvisionUserSuspended`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionUserSuspendedParams {
    /// Envelope id and timestamp.
    #[serde(flatten, skip_serializing_if = "crate::wire::sent_apart")]
    pub envelope: Envelope,
    /// The user's reference.
    pub r#ref: Required,
    /// The date they left (ISO 8601). Thrive's docs do not name this field;
    /// it is sent as `endDate`, like the REST suspend.
    pub end_date: Option<crate::params::DateText<crate::params::Day>>,
}

impl Block for ProvisionUserSuspended {
    type Params = ProvisionUserSuspendedParams;
    type Output = ProvisioningOutput;

    const ID: &'static str = "thrive_provision_user_suspended";
    const TITLE: &'static str = "Provision: user suspended";
    const DESCRIPTION: &'static str =
        "Send Thrive a user_suspended event from an HR system: the person left.";
    const ENDPOINT: &'static str = "POST /webhooks (user API host)";
    const HINTS: Hints = Hints::UPDATE;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        super::check_envelope(&p.envelope, out);
        check_date_input("endDate", p.end_date.as_ref(), out);
    }
}

impl Tool for ProvisionUserSuspended {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        super::request(&p.envelope, "user_suspended", p)
    }
}

register_tool!(ProvisionUserSuspended);
