//! `thrive_provision_user_updated`: `POST /webhooks` (user API host), `user_updated`.

use super::{Envelope, ProfileFields, ProvisioningOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

impl Block for ProvisionUserUpdated {
    type Params = ProvisionUserUpdatedParams;
    type Output = ProvisioningOutput;

    const ID: &'static str = "thrive_provision_user_updated";
    const TITLE: &'static str = "Provision: user updated";
    const DESCRIPTION: &'static str =
        "Send Thrive a user_updated event from an HR system: the ref plus the fields that changed.";
    const ENDPOINT: &'static str = "POST /webhooks (user API host)";
    const HINTS: Hints = Hints::UPDATE;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        super::check_envelope(&p.envelope, out);
        p.profile.check(out);
    }
}

impl Tool for ProvisionUserUpdated {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        super::request(&p.envelope, "user_updated", p)
    }
}

register_tool!(ProvisionUserUpdated);
