//! `thrive_provision_user_suspended`: `POST /webhooks` (user API host), `user_suspended`.

use super::Envelope;
use crate::params::Required;
use crate::params::check_date_input;
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

provisioning_tool! {
    ProvisionUserSuspended(ProvisionUserSuspendedParams) sends "user_suspended" as UPDATE;
    "thrive_provision_user_suspended", "Provision: user suspended",
    "Send Thrive a user_suspended event from an HR system: the person left.";
    checks |p, out| { check_date_input("endDate", p.end_date.as_ref(), out); }
}
