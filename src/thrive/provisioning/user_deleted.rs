//! `thrive_provision_user_deleted`: `POST /webhooks` (user API host), `user_deleted`.

use super::{Envelope, ProvisioningOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

impl Block for ProvisionUserDeleted {
    type Params = ProvisionUserDeletedParams;
    type Output = ProvisioningOutput;

    const ID: &'static str = "thrive_provision_user_deleted";
    const TITLE: &'static str = "Provision: user deleted";
    const DESCRIPTION: &'static str = "Send Thrive a user_deleted event from an HR system: obfuscate the user, keeping training history.";
    const ENDPOINT: &'static str = "POST /webhooks (user API host)";
    const HINTS: Hints = Hints::DESTROY;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        super::check_envelope(&p.envelope, out);
    }
}

impl Tool for ProvisionUserDeleted {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        super::request(&p.envelope, "user_deleted", p)
    }
}

register_tool!(ProvisionUserDeleted);
