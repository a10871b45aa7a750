//! `thrive_provision_user_joined`: `POST /webhooks` (user API host), `user_joined`.

use super::{Envelope, ProfileFields};
use crate::params::Required;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Tell Thrive a person joined: creates the user, or unsuspends them.
pub struct ProvisionUserJoined;

/// Inputs of [`ProvisionUserJoined`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionUserJoinedParams {
    /// Envelope id and timestamp.
    #[serde(flatten, skip_serializing_if = "crate::wire::sent_apart")]
    pub envelope: Envelope,
    /// The user's reference (your HR system's id).
    pub r#ref: Required,
    /// Email address.
    pub email: Required,
    /// First name.
    pub first_name: Required,
    /// Last name.
    pub last_name: Required,
    /// Optional profile fields.
    #[serde(flatten)]
    pub profile: ProfileFields,
}

provisioning_tool! {
    ProvisionUserJoined(ProvisionUserJoinedParams) sends "user_joined" as UPDATE;
    "thrive_provision_user_joined", "Provision: user joined",
    "Send Thrive a user_joined event from an HR system: create the user, or unsuspend them.";
    checks |p, out| { p.profile.check(out); }
}
