//! `thrive_provision_user_updated`: `POST /webhooks` (user API host), `user_updated`.

use super::{Envelope, ProfileFields, ProvisioningOutput, put};
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Map;

/// Tell Thrive a person's details changed.
pub struct ProvisionUserUpdated;

/// Inputs of [`ProvisionUserUpdated`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionUserUpdatedParams {
    /// Envelope id and timestamp.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The user's reference.
    pub r#ref: String,
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

impl Tool for ProvisionUserUpdated {
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

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let mut user = Map::new();
        user.insert("ref".into(), p.r#ref.clone().into());
        put(&mut user, "email", p.email.as_deref());
        put(&mut user, "firstName", p.first_name.as_deref());
        put(&mut user, "lastName", p.last_name.as_deref());
        p.profile.put_into(&mut user);
        Ok(super::request(&p.envelope, "user_updated", user))
    }
}

crate::register_tool!(ProvisionUserUpdated);
