//! `thrive_provision_user_deleted`: `POST /webhooks` (user API host), `user_deleted`.

use super::Envelope;
use crate::params::Required;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Tell Thrive to obfuscate a user, keeping their training history.
pub struct ProvisionUserDeleted;

/// Inputs of [`ProvisionUserDeleted`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionUserDeletedParams {
    /// Envelope id and timestamp.
    #[serde(flatten, skip_serializing_if = "crate::wire::sent_apart")]
    pub envelope: Envelope,
    /// The user's reference.
    pub r#ref: Required,
}

provisioning_tool! {
    ProvisionUserDeleted(ProvisionUserDeletedParams) sends "user_deleted" as DESTROY;
    "thrive_provision_user_deleted", "Provision: user deleted",
    "Send Thrive a user_deleted event from an HR system: obfuscate the user, keeping training history.";
    checks |p, out| {}
}
