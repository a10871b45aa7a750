//! Users: the v2 lifecycle writes (keyed by `ref`) and the v1 reads.

mod create;

pub use create::{CreateUser, CreateUserParams};

use crate::thrive::common::Extra;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a user logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    /// With their email address (the default).
    Email,
    /// With their ref as the username ("non-email users").
    Ref,
}

impl LoginMethod {
    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Ref => "ref",
        }
    }
}

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Super Admin in the UI.
    Administrator,
    /// Learning Admin in the UI.
    Learneradmin,
    /// Learner (the default).
    Learner,
}

impl Role {
    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Learneradmin => "learneradmin",
            Self::Learner => "learner",
        }
    }
}

/// The user-lifecycle object returned by the v2 create, update and suspend calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleUser {
    /// The user ID.
    pub id: Option<String>,
    /// How the user logs in.
    pub login_method: Option<String>,
    /// Your organisation's unique identifier for the user.
    pub r#ref: Option<String>,
    /// The email address for the user.
    pub email: Option<String>,
    /// The given name of the individual.
    pub first_name: Option<String>,
    /// The family name of the individual.
    pub last_name: Option<String>,
    /// Role assigned to this individual.
    pub role: Option<String>,
    /// Name of this individual's role.
    pub job_title: Option<String>,
    /// The line manager's ref.
    pub manager_ref: Option<String>,
    /// Date started with the organisation.
    pub start_date: Option<String>,
    /// Date left the organisation.
    pub end_date: Option<String>,
    /// The user's preferred timezone.
    pub time_zone: Option<String>,
    /// The user's preferred language.
    pub language_code: Option<String>,
    /// Whether the account is active or suspended.
    pub active: Option<bool>,
    /// Date/time the user was created.
    pub created_at: Option<String>,
    /// Date/time the user was last modified.
    pub updated_at: Option<String>,
    /// Whether the account is managed by an auth provider.
    pub sso: Option<bool>,
    /// Domain this individual is associated with.
    pub domain: Option<String>,
    /// Custom field values for this user.
    pub additional_fields: Option<Value>,
    /// Fields Thrive adds that are not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{user}` output of the lifecycle tools.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct UserOutput {
    /// The user (`null` if Thrive answered with an empty body).
    pub user: Option<LifecycleUser>,
}
