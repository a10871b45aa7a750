//! `thrive_create_user`: `POST /rest/v2/users`.

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

/// Inputs of [`CreateUser`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserParams {
    /// Your organisation's unique identifier for this individual.
    pub r#ref: Required,
    /// The given name of the individual.
    pub first_name: Required,
    /// The family name of the individual.
    pub last_name: Required,
    /// The user's email address, e.g. jane@example.com. Needed unless the
    /// user signs in with their reference.
    #[schemars(email)]
    pub email: Option<String>,
    /// How the user signs in: with their email address (the default) or
    /// with their reference.
    pub login_method: Option<LoginMethod>,
    /// Role assigned: 'administrator', 'learneradmin', or 'learner' (defaults to 'learner').
    pub role: Option<Role>,
    /// Name of this individual's role in your organisation.
    pub job_title: Option<String>,
    /// Your organisation's unique identifier for this individual's line manager.
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub manager_ref: Option<String>,
    /// Date this individual started with your organisation e.g. 2026-01-31.
    pub start_date: Option<DateText<Day>>,
    /// Date this individual left your organisation e.g. 2026-01-31.
    pub end_date: Option<DateText<Day>>,
    /// The user's preferred timezone (tenant default if omitted), e.g. Europe/London.
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

/// Create a new user in Thrive.
pub struct CreateUser;

impl Block for CreateUser {
    type Params = CreateUserParams;
    type Output = UserOutput;

    const ID: &'static str = "thrive_create_user";
    const TITLE: &'static str = "Create user";
    const DESCRIPTION: &'static str = "Create a new user in Thrive.";
    const ENDPOINT: &'static str = "POST /rest/v2/users";
    const HINTS: Hints = Hints::CREATE;
    const RULES: &'static [Rule] = &[
        Rule::RequiredUnless {
            field: "email",
            other: "loginMethod",
            value: "ref",
            message: "email is required unless the user signs in with their reference (loginMethod \"ref\")",
        },
        Rule::NotBefore {
            field: "endDate",
            start: "startDate",
        },
    ];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        super::check_profile(p.start_date.as_ref(), p.end_date.as_ref(), out);
    }
}

impl Tool for CreateUser {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        super::profile_request(
            ApiRequest::endpoint(Self::ENDPOINT, &[]),
            p.additional_fields.as_ref(),
            p,
        )
    }
}

register_tool!(CreateUser);
