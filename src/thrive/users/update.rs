//! `thrive_update_user`: `PATCH /rest/v2/users/ref/{ref}`.

use super::{LoginMethod, Role, UserOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::JsonObject;
use crate::params::Required;
use crate::params::{DateText, Day};
use crate::register_tool;
use crate::rules::Rule;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`UpdateUser`].
///
/// Only the fields given are sent; a blank input counts as absent and is not
/// sent, so the field keeps its value in Thrive. Thrive clears a field that
/// is sent as an explicit `null`, which this tool cannot express (a `null`
/// input is absent too).
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserParams {
    /// The user ref to update (your organisation's unique identifier for the
    /// individual; sent as one path segment).
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    #[serde(skip_serializing_if = "crate::wire::sent_apart")]
    pub r#ref: Required,
    /// The given name of the individual.
    pub first_name: Option<String>,
    /// The family name of the individual.
    pub last_name: Option<String>,
    /// The email address for the user.
    #[schemars(email)]
    pub email: Option<String>,
    /// How the user signs in: with their email address or with their
    /// reference.
    pub login_method: Option<LoginMethod>,
    /// Role assigned: 'administrator', 'learneradmin', or 'learner'.
    pub role: Option<Role>,
    /// Name of this individual's role in your organisation.
    pub job_title: Option<String>,
    /// Your organisation's unique identifier for this individual's line manager.
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub manager_ref: Option<String>,
    /// Date this individual started with your organisation e.g.
    /// 2021-08-19T18:00:00.000Z.
    pub start_date: Option<DateText<Day>>,
    /// Date this individual left your organisation e.g. 2026-01-31.
    pub end_date: Option<DateText<Day>>,
    /// The user's preferred timezone, e.g. Europe/London.
    pub time_zone: Option<String>,
    /// The user's preferred language (e.g. 'en-gb').
    pub language_code: Option<String>,
    /// Whether the account is managed by an authentication provider.
    pub sso: Option<bool>,
    /// Domain this individual is associated with.
    pub domain: Option<String>,
    /// Custom fields set up in your Thrive tenant, each a name and a value,
    /// e.g. department = Sales.
    pub additional_fields: Option<JsonObject>,
}

/// Update an existing user in Thrive by ref. Only the fields provided are changed.
pub struct UpdateUser;

impl Block for UpdateUser {
    type Params = UpdateUserParams;
    type Output = UserOutput;

    const ID: &'static str = "thrive_update_user";
    const TITLE: &'static str = "Update user";
    const DESCRIPTION: &'static str =
        "Update an existing user in Thrive by ref. Only the fields provided are changed.";
    const ENDPOINT: &'static str = "PATCH /rest/v2/users/ref/{ref}";
    const HINTS: Hints = Hints::UPDATE;
    const RULES: &'static [Rule] = &[Rule::NotBefore {
        field: "endDate",
        start: "startDate",
    }];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        super::check_profile(p.start_date.as_ref(), p.end_date.as_ref(), out);
    }
}

impl Tool for UpdateUser {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // Not documented: a PATCH with no field to change. It is sent as
        // `{}` (Thrive should answer with the unchanged user) rather than
        // refused, so a workflow may "touch" a user without failing.
        super::profile_request(
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.r#ref]),
            p.additional_fields.as_ref(),
            p,
        )
    }
}

register_tool!(UpdateUser);
