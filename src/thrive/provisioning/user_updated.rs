//! `thrive_provision_user_updated`: `POST /webhooks` (user API host), `user_updated`.

use super::{Envelope, ProfileFields};
use crate::params::Required;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Tell Thrive a person's details changed.
pub struct ProvisionUserUpdated;

/// Inputs of [`ProvisionUserUpdated`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionUserUpdatedParams {
    /// Envelope id and timestamp.
    #[serde(flatten, skip_serializing_if = "crate::wire::sent_apart")]
    pub envelope: Envelope,
    /// The user's reference.
    pub r#ref: Required,
    /// New email address.
    pub email: Option<String>,
    /// New first name.
    pub first_name: Option<String>,
    /// New last name.
    pub last_name: Option<String>,
    /// Changed profile fields.
    #[serde(flatten)]
    pub profile: ProfileFields,
}

provisioning_tool! {
    ProvisionUserUpdated(ProvisionUserUpdatedParams) sends "user_updated" as UPDATE;
    "thrive_provision_user_updated", "Provision: user updated",
    "Send Thrive a user_updated event from an HR system: the ref plus the fields that changed.";
    checks |p, out| { p.profile.check(out); }
}
