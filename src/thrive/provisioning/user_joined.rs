//! `thrive_provision_user_joined`: `POST /webhooks` (user API host), `user_joined`.

use super::{Envelope, ProfileFields, ProvisioningOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

impl Block for ProvisionUserJoined {
    type Params = ProvisionUserJoinedParams;
    type Output = ProvisioningOutput;

    const ID: &'static str = "thrive_provision_user_joined";
    const TITLE: &'static str = "Provision: user joined";
    const DESCRIPTION: &'static str =
        "Send Thrive a user_joined event from an HR system: create the user, or unsuspend them.";
    const ENDPOINT: &'static str = "POST /webhooks (user API host)";
    const HINTS: Hints = Hints::UPDATE;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        super::check_envelope(&p.envelope, out);
        p.profile.check(out);
    }
}

impl Tool for ProvisionUserJoined {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        super::request(&p.envelope, "user_joined", p)
    }
}

register_tool!(ProvisionUserJoined);
